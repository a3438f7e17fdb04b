package io.github.meshalloc.tracking;

import com.google.common.base.Preconditions;
import io.github.meshalloc.allocator.AllocationReporter;
import io.github.meshalloc.allocator.BufferType;
import io.github.meshalloc.tracking.wire.AllocMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One process's connection to the allocation server.
 *
 * <p>Models the process-wide singleton {@code AllocationClient} of the seeds' fork
 * ({@code tt_metal/impl/allocator/allocation_client.cpp}, allocation-server reference 6): enabled iff the
 * environment variable {@code TT_ALLOC_TRACKING_ENABLED} equals "1" at first use (later changes have no
 * effect), connects lazily before each send, warns once when the server is absent, and drops messages
 * silently while it is down. Timestamps come from a step counter, not a clock.
 */
public final class AllocationClient implements AllocationReporter {
    /** The environment variable read once at first use. */
    public static final String ENABLE_VARIABLE = "TT_ALLOC_TRACKING_ENABLED";
    /** The warning printed once when the server is not available. */
    public static final String SERVER_UNAVAILABLE_WARNING =
            "[TT-Metal] Warning: Allocation tracking enabled but server not available at /tmp/tt_allocation_server.sock";

    private final int pid;
    private final Map<String, String> environment;
    private final ServerLink link;
    private final LongSupplier clock;
    private final List<String> warnings = new ArrayList<>();
    private Boolean enabled;
    private boolean warnedUnavailable;
    private long sent;
    private long dropped;

    /**
     * @param pid         the process id put in every record
     * @param environment the process environment, read once at first use
     * @param link        the socket
     * @param clock       timestamps for ALLOC-type records (a simulation step counter)
     */
    public AllocationClient(int pid, Map<String, String> environment, ServerLink link, LongSupplier clock) {
        this.pid = pid;
        this.environment = Map.copyOf(Preconditions.checkNotNull(environment, "environment"));
        this.link = Preconditions.checkNotNull(link, "link");
        this.clock = Preconditions.checkNotNull(clock, "clock");
    }

    /** Models {@code is_enabled()}: the environment variable as it was at first use. */
    @Override
    public synchronized boolean isEnabled() {
        if (enabled == null) {
            enabled = "1".equals(environment.get(ENABLE_VARIABLE));
        }
        return enabled;
    }

    private synchronized void send(AllocMessage message) {
        if (!isEnabled()) {
            return;
        }
        if (!link.isUp()) {
            if (!warnedUnavailable) {
                warnings.add(SERVER_UNAVAILABLE_WARNING);
                warnedUnavailable = true;
            }
            dropped++;
            return;
        }
        link.deliver(message);
        sent++;
    }

    @Override
    public void reportAllocation(int deviceId, long size, BufferType type, long bufferId) {
        send(AllocMessage.alloc(deviceId, size, type.code(), pid, bufferId, clock.getAsLong()));
    }

    @Override
    public void reportDeallocation(int deviceId, long bufferId) {
        send(AllocMessage.free(deviceId, pid, bufferId));
    }

    /** Seed 000's call: the record's device id stays 0 (E0 form, allocation-server reference 2.2). */
    @Override
    public void reportDeallocationAddressOnly(long bufferId) {
        send(AllocMessage.free(0, pid, bufferId));
    }

    /** Models {@code report_cb_allocation(device, size, cb_address)}. */
    public void reportCbAllocation(int deviceId, long size, long cbAddress) {
        send(AllocMessage.cbAlloc(deviceId, size, pid, cbAddress, clock.getAsLong()));
    }

    /** Models {@code report_cb_deallocation(device, size, cb_address)}. */
    public void reportCbDeallocation(int deviceId, long size, long cbAddress) {
        send(AllocMessage.cbFree(deviceId, size, pid, cbAddress));
    }

    /** The process id. */
    public int pid() {
        return pid;
    }

    /** Records delivered. */
    public synchronized long sent() {
        return sent;
    }

    /** Records dropped because the server was down. */
    public synchronized long dropped() {
        return dropped;
    }

    /** Warnings the client printed (at most one "server not available"). */
    public synchronized List<String> warnings() {
        return List.copyOf(warnings);
    }
}
