package io.github.meshalloc.allocator.algorithms;

import java.util.List;
import java.util.OptionalLong;

/**
 * A free-list allocation algorithm over one arena {@code [offset, offset + maxSize)}.
 *
 * <p>Models tt-metal's abstract {@code AllocatorAlgorithm}
 * ({@code tt_metal/impl/allocator/algorithms/allocator_algorithm.hpp}); implemented by
 * {@link FreeListOpt} (what the runtime uses) and the legacy {@link FreeList}. All addresses taken
 * and returned are absolute (offset included) unless a method says otherwise. Implementations are
 * not thread-safe: like the C++, locking belongs to the owner (the {@code Allocator}).
 */
public interface AllocatorAlgorithm {

    /**
     * Allocates {@code sizeBytes} (rounded up to the minimum allocation size and alignment).
     *
     * @param bottomUp     place at the lowest (true) or highest (false) fitting address
     * @param addressLimit 0 for none; otherwise an allocation landing below it throws
     *                     {@link AddressLimitViolationException} (after carving, as the C++ does)
     * @return the absolute address, or empty when no free block fits
     */
    OptionalLong allocate(long sizeBytes, boolean bottomUp, long addressLimit);

    /** {@code allocate(sizeBytes, bottomUp, 0)}. */
    default OptionalLong allocate(long sizeBytes, boolean bottomUp) {
        return allocate(sizeBytes, bottomUp, 0);
    }

    /** {@code allocate(sizeBytes, true, 0)}: the C++ defaults. */
    default OptionalLong allocate(long sizeBytes) {
        return allocate(sizeBytes, true, 0);
    }

    /** Allocates exactly at {@code absoluteStartAddress}; empty if that range is not entirely inside one free block. */
    OptionalLong allocateAtAddress(long absoluteStartAddress, long sizeBytes);

    /** Frees the block that starts at {@code absoluteAddress}; unknown or already free addresses are ignored. */
    void deallocate(long absoluteAddress);

    /** Frees everything: the arena becomes one free block (see each implementation for what survives). */
    void clear();

    /** Removes {@code shrinkSizeBytes} from the bottom of the arena (sub-device L1 carving). */
    void shrinkSize(long shrinkSizeBytes, boolean bottomUp);

    /** Undoes {@link #shrinkSize}. */
    void resetSize();

    /** The lowest allocated absolute address as the algorithm tracks it (with tt-metal's staleness quirks). */
    OptionalLong lowestOccupiedAddress();

    /** Free ranges able to hold {@code sizeBytes}; the order and the meaning of {@code end} are per implementation. */
    List<AddressRange> availableAddresses(long sizeBytes);

    /** Statistics of the arena. */
    Statistics getStatistics();

    /** The block table, one row per block in the implementation's natural order. */
    List<MemoryBlock> getMemoryBlockTable();

    /** A readable rendering of the block table, like the C++ {@code dump_blocks}. */
    String dumpBlocks();

    /** Current usable size of the arena in bytes ({@code max_size_bytes_}). */
    long maxSizeBytes();

    /** Absolute address of the arena's relative address 0. */
    long offsetBytes();

    /** Minimum number of bytes any allocation takes. */
    long minAllocationSizeBytes();

    /** Alignment of sizes and (relative) addresses. */
    long alignmentBytes();
}
