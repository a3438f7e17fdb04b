package io.github.meshalloc.tracking.server;

import com.google.common.base.Preconditions;
import io.github.meshalloc.tracking.log.LogEvent.HistoryKind;

/**
 * One event of a key's history (history server).
 *
 * <p>Models {@code struct BufferEvent} of {@code MUM/allocation_server_enhanced.cpp} (reference 5) without its
 * timestamp, which the server never prints.
 *
 * @param kind          ALLOC (new key), REUSE (ALLOC of a live key) or FREE (matched or not)
 * @param size          ALLOC/REUSE: the message size; matched FREE: the stored size; unmatched FREE: 0
 * @param pid           the message's pid
 * @param refCountAfter reference count after the event (0 for an unmatched FREE)
 */
public record HistoryEvent(HistoryKind kind, long size, int pid, int refCountAfter) {

    /** Validates the kind. */
    public HistoryEvent {
        Preconditions.checkNotNull(kind, "kind");
    }
}
