package io.github.meshalloc.tracking;

import io.github.meshalloc.tracking.wire.AllocMessage;

/**
 * The Unix socket between a process's AllocationClient and the allocation server, as an object.
 *
 * <p>Models {@code /tmp/tt_allocation_server.sock} (allocation-server reference 1): while the server is
 * down a send fails and the client drops the message silently.
 */
public interface ServerLink {
    /** Whether a connect would succeed now (the server is listening). */
    boolean isUp();

    /** Delivers one whole record; only called while {@link #isUp()}. Each record is applied atomically. */
    void deliver(AllocMessage message);
}
