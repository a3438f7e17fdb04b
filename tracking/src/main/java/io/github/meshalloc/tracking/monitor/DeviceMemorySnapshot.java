package io.github.meshalloc.tracking.monitor;

import com.google.common.base.Preconditions;
import io.github.meshalloc.tracking.server.AllocationServer;
import io.github.meshalloc.tracking.server.DeviceCounters;
import io.github.meshalloc.tracking.wire.AllocMessage;
import io.github.meshalloc.tracking.wire.MessageType;

/**
 * One device's memory as a monitor displays it: used bytes per counter, the totals the bars divide by, the buffer
 * count, and (v2) the cached device description.
 *
 * <p>Models the QUERY RESPONSE fields the monitor reads ({@code dram/l1/l1_small/trace_allocated}) and the totals
 * {@code display_stats} of {@code MUM/allocation_monitor_client.cpp} uses: fixed 12 GiB DRAM / 75 MiB L1 in v1; the
 * server's device info in v2, with the same fallback (reference 7). {@code numBuffers} is not on the wire (no monitor
 * shows it); it is filled when the snapshot is taken from a server model, for balance reports.
 *
 * @param deviceId    device id
 * @param dramUsed    dram_allocated (u64)
 * @param l1Used      l1_allocated (u64)
 * @param l1SmallUsed l1_small_allocated (u64)
 * @param traceUsed   trace_allocated (u64)
 * @param dramTotal   DRAM capacity for the bar (u64)
 * @param l1Total     L1 capacity for the bar (u64)
 * @param numBuffers  live buffer count (0 when built from a RESPONSE)
 * @param description device description (v2), {@link DeviceDescription#UNAVAILABLE} otherwise
 */
public record DeviceMemorySnapshot(int deviceId, long dramUsed, long l1Used, long l1SmallUsed, long traceUsed,
                                   long dramTotal, long l1Total, long numBuffers, DeviceDescription description) {

    /** The monitor's DRAM capacity when no device info is available: 12 GiB. */
    public static final long DEFAULT_DRAM_TOTAL = 12L * 1024 * 1024 * 1024;
    /** The monitor's L1 capacity when no device info is available: 75 MiB. */
    public static final long DEFAULT_L1_TOTAL = 75L * 1024 * 1024;

    /** Validates the description. */
    public DeviceMemorySnapshot {
        Preconditions.checkNotNull(description, "description");
    }

    /**
     * What the monitor knows after a QUERY: the RESPONSE's counters, totals from the description when available
     * (else the defaults), no buffer count.
     *
     * @throws IllegalArgumentException if the message is not a RESPONSE
     */
    public static DeviceMemorySnapshot fromResponse(AllocMessage response, DeviceDescription description) {
        Preconditions.checkNotNull(response, "response");
        Preconditions.checkArgument(response.typeCode() == MessageType.RESPONSE.code(),
                "expected a RESPONSE (type 4) but got type %s", response.typeCode());
        return of(response.deviceId(), response.dramAllocated(), response.l1Allocated(),
                response.l1SmallAllocated(), response.traceAllocated(), 0, description);
    }

    /** The server model's counters for {@code deviceId} (0..7), with its buffer count. */
    public static DeviceMemorySnapshot ofServer(AllocationServer server, int deviceId,
                                                DeviceDescription description) {
        Preconditions.checkNotNull(server, "server");
        DeviceCounters c = server.counters(deviceId);
        return of(deviceId, c.dram(), c.l1(), c.l1Small(), c.trace(), c.numBuffers(), description);
    }

    private static DeviceMemorySnapshot of(int deviceId, long dram, long l1, long l1Small, long trace,
                                           long numBuffers, DeviceDescription description) {
        Preconditions.checkNotNull(description, "description");
        long dramTotal = description.available() ? description.totalDramSize() : DEFAULT_DRAM_TOTAL;
        long l1Total = description.available() ? description.totalL1Size() : DEFAULT_L1_TOTAL;
        return new DeviceMemorySnapshot(deviceId, dram, l1, l1Small, trace, dramTotal, l1Total, numBuffers,
                description);
    }
}
