package io.github.meshalloc.allocator;

import io.github.meshalloc.allocator.algorithms.MemoryBlock;
import io.github.meshalloc.allocator.algorithms.Statistics;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Everything observable about one allocator at one moment: per buffer type the block table, recorded
 * addresses, statistics and lowest occupied address; the live Buffer set with each Buffer's status and
 * address; the unsafe flag.
 *
 * <p>A meshalloc construct (no C++ twin) used to show that a rejected call changed nothing: take a
 * snapshot before and after and compare with {@code equals}.
 *
 * @param types             per buffer type (DRAM, L1, L1_SMALL, TRACE) its bank-manager state
 * @param buffers           the live Buffer set in order
 * @param allocationsUnsafe the unsafe flag
 */
public record AllocatorSnapshot(Map<BufferType, TypeState> types, List<BufferState> buffers,
                                boolean allocationsUnsafe) {

    public AllocatorSnapshot {
        types = Map.copyOf(types);
        buffers = List.copyOf(buffers);
    }

    /**
     * One bank manager's state.
     *
     * @param blocks              the free list's block table
     * @param allocatedAddresses  addresses recorded by the bank manager
     * @param statistics          the free list's statistics
     * @param lowestOccupied      the lowest occupied address (bank-local)
     * @param bankSize            the current bank size
     */
    public record TypeState(List<MemoryBlock> blocks, List<Long> allocatedAddresses, Statistics statistics,
                            OptionalLong lowestOccupied, long bankSize) {
        public TypeState {
            blocks = List.copyOf(blocks);
            allocatedAddresses = List.copyOf(allocatedAddresses);
        }
    }

    /**
     * One Buffer as the allocator's set holds it.
     *
     * @param uniqueId the buffer's id
     * @param status   its allocation status
     * @param address  its address
     */
    public record BufferState(long uniqueId, AllocationStatus status, long address) {
    }
}
