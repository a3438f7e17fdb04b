package io.github.meshalloc.allocator.algorithms;

import com.google.common.base.Preconditions;

/**
 * A half-open address range {@code [start, end)}.
 *
 * <p>Models the {@code std::pair<DeviceAddr, DeviceAddr>} that tt-metal's
 * {@code AllocatorAlgorithm::available_addresses} and {@code allocated_addresses} return
 * ({@code tt_metal/impl/allocator/algorithms/allocator_algorithm.hpp}). The legacy {@link FreeList}
 * fills {@code end} with the last valid start address instead (reference 6.13); its Javadoc says so.
 *
 * @param start first address of the range
 * @param end   one past the last address (for the legacy FreeList's available addresses: the last
 *              valid start address, inclusive)
 */
public record AddressRange(long start, long end) {
    public AddressRange {
        Preconditions.checkArgument(Long.compareUnsigned(start, end) <= 0,
                "AddressRange start %s must not be above end %s", start, end);
    }

    /** Number of bytes in {@code [start, end)}. */
    public long size() {
        return end - start;
    }
}
