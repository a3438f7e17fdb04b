package io.github.meshalloc.allocator.algorithms;

import java.util.List;

/**
 * Allocation statistics of one free list (or bank manager).
 *
 * <p>Models tt-metal's {@code Statistics} struct ({@code tt_metal/api/tt-metalium/allocator_types.hpp}):
 * {@code total_allocatable_size_bytes}, {@code total_allocated_bytes}, {@code total_free_bytes},
 * {@code largest_free_block_bytes}, and the older {@code largest_free_block_addrs}, which only the
 * legacy {@link FreeList} still fills (reference 6.11 and 6.13). FreeListOpt leaves it empty.
 *
 * @param totalAllocatableSizeBytes current usable size of the arena (after any shrink)
 * @param totalAllocatedBytes       bytes in allocated blocks
 * @param totalFreeBytes            bytes in free blocks ({@code totalAllocatableSizeBytes} when nothing is allocated)
 * @param largestFreeBlockBytes     size of the largest free block
 * @param largestFreeBlockAddrs     absolute starts of free blocks that were at least the running maximum
 *                                  when visited (legacy FreeList only)
 */
public record Statistics(
        long totalAllocatableSizeBytes,
        long totalAllocatedBytes,
        long totalFreeBytes,
        long largestFreeBlockBytes,
        List<Long> largestFreeBlockAddrs) {

    public Statistics {
        largestFreeBlockAddrs = List.copyOf(largestFreeBlockAddrs);
    }

    /** Statistics without the legacy address list (FreeListOpt's form). */
    public Statistics(long totalAllocatableSizeBytes, long totalAllocatedBytes, long totalFreeBytes,
                      long largestFreeBlockBytes) {
        this(totalAllocatableSizeBytes, totalAllocatedBytes, totalFreeBytes, largestFreeBlockBytes, List.of());
    }
}
