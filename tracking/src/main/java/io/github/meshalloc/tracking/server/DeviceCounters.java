package io.github.meshalloc.tracking.server;

import io.github.meshalloc.tracking.wire.BufferTypeCode;

/**
 * Snapshot of one device's counters, all unsigned 64-bit values in longs (they wrap like the C++ atomics).
 *
 * <p>Models {@code struct DeviceStats} of {@code MUM/allocation_server_poc.cpp} (reference 3.1): buffer counters for
 * every version, CB and kernel counters for S5 (zero elsewhere).
 *
 * @param dram              dram_allocated
 * @param l1                l1_allocated
 * @param l1Small           l1_small_allocated (buffer types 2 and 3)
 * @param trace             trace_allocated
 * @param numBuffers        num_buffers
 * @param cb                cb_allocated (S5)
 * @param kernel            kernel_allocated (S5)
 * @param kernelApplication kernel_application (S5)
 * @param kernelFabric      kernel_fabric (S5)
 * @param kernelDispatch    kernel_dispatch (S5)
 */
public record DeviceCounters(long dram, long l1, long l1Small, long trace, long numBuffers, long cb, long kernel,
                             long kernelApplication, long kernelFabric, long kernelDispatch) {

    /** All zero. */
    public static final DeviceCounters ZERO = new DeviceCounters(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** dram + l1 + l1_small + trace (mod 2^64): the statistics block's "Total". */
    public long total() {
        return dram + l1 + l1Small + trace;
    }

    /** The byte counter fed by a buffer-type counter. */
    public long counter(BufferTypeCode.Counter counter) {
        switch (counter) {
            case DRAM:
                return dram;
            case L1:
                return l1;
            case L1_SMALL:
                return l1Small;
            case TRACE:
                return trace;
            default:
                throw new AssertionError(counter);
        }
    }
}
