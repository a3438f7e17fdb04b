package io.github.meshalloc.allocator;

import com.google.common.base.Preconditions;
import com.google.common.math.LongMath;
import java.util.List;

/**
 * Everything an {@link Allocator} is built from: one chip's bank layout.
 *
 * <p>Models {@code AllocatorConfig} ({@code tt_metal/impl/allocator/allocator_types.hpp}) as filled by
 * {@code L1BankingAllocator::generate_config} (reference 3). The core-type table of the C++ is
 * expressed by {@code workerGrid} and {@code computeGrid}: worker cores inside the compute grid are
 * ComputeAndStore (one L1 bank each), the rest Dispatch. Ready presets live in {@link ArchPreset}.
 *
 * @param numDramChannels     DRAM views seen by the allocator (one DRAM bank each)
 * @param dramBankSize        bytes per DRAM bank
 * @param dramBankOffsets     physical offset of each DRAM bank (one per channel)
 * @param dramUnreservedBase  first allocatable byte of each DRAM bank
 * @param dramAlignment       DRAM alignment; also the free-list alignment and minimum allocation of every bank manager
 * @param l1UnreservedBase    first allocatable byte of L1 (rounded up to the DRAM alignment by generate_config)
 * @param workerGrid          every logical Tensix core
 * @param workerL1Size        bytes of L1 per core
 * @param l1SmallSize         bytes of L1_SMALL per core, at the top of L1
 * @param traceRegionSize     bytes of the TRACE region per DRAM bank, at the top of DRAM
 * @param computeGrid         Tensix cores that compute and store (the L1 banks)
 * @param l1BankRemap         bank id of the k-th compute core in row-major order; empty for tt-metal's seeded shuffle
 * @param l1Alignment         L1 alignment
 * @param disableInterleaved  sharded-only allocator (sub-device allocators)
 */
public record AllocatorConfig(
        int numDramChannels,
        long dramBankSize,
        List<Long> dramBankOffsets,
        long dramUnreservedBase,
        long dramAlignment,
        long l1UnreservedBase,
        CoreRangeSet workerGrid,
        long workerL1Size,
        long l1SmallSize,
        long traceRegionSize,
        CoreRangeSet computeGrid,
        List<Integer> l1BankRemap,
        long l1Alignment,
        boolean disableInterleaved) {

    public AllocatorConfig {
        Preconditions.checkArgument(numDramChannels >= 0, "numDramChannels %s must not be negative", numDramChannels);
        Preconditions.checkNotNull(dramBankOffsets, "dramBankOffsets");
        Preconditions.checkNotNull(workerGrid, "workerGrid");
        Preconditions.checkNotNull(computeGrid, "computeGrid");
        Preconditions.checkNotNull(l1BankRemap, "l1BankRemap");
        dramBankOffsets = List.copyOf(dramBankOffsets);
        l1BankRemap = List.copyOf(l1BankRemap);
        Preconditions.checkArgument(dramBankOffsets.size() == numDramChannels,
                "dramBankOffsets has %s entries but numDramChannels is %s; one offset per channel is required",
                dramBankOffsets.size(), numDramChannels);
        checkPowerOfTwo("dramAlignment", dramAlignment);
        checkPowerOfTwo("l1Alignment", l1Alignment);
        Preconditions.checkArgument(dramBankSize >= 0, "dramBankSize %s must not be negative", dramBankSize);
        Preconditions.checkArgument(dramUnreservedBase >= 0 && dramUnreservedBase % dramAlignment == 0,
                "dramUnreservedBase %s must be a non-negative multiple of the DRAM alignment %s",
                dramUnreservedBase, dramAlignment);
        Preconditions.checkArgument(dramBankSize - dramUnreservedBase - traceRegionSize >= 0,
                "dramBankSize %s leaves no room for dramUnreservedBase %s and traceRegionSize %s",
                dramBankSize, dramUnreservedBase, traceRegionSize);
        Preconditions.checkArgument(traceRegionSize >= 0 && traceRegionSize % dramAlignment == 0,
                "traceRegionSize %s must be a non-negative multiple of the DRAM alignment %s",
                traceRegionSize, dramAlignment);
        Preconditions.checkArgument(l1UnreservedBase >= 0 && l1UnreservedBase % dramAlignment == 0,
                "l1UnreservedBase %s must be a non-negative multiple of the DRAM alignment %s "
                        + "(generate_config rounds it up to the DRAM alignment)", l1UnreservedBase, dramAlignment);
        Preconditions.checkArgument(workerL1Size > l1UnreservedBase,
                "workerL1Size %s must exceed l1UnreservedBase %s", workerL1Size, l1UnreservedBase);
        // generate_config's two TT_FATAL checks on l1_small_size (reference 3 step 7).
        Preconditions.checkArgument(l1SmallSize >= 0 && l1SmallSize < workerL1Size - l1UnreservedBase,
                "l1SmallSize %s must be at least 0 and below workerL1Size - l1UnreservedBase = %s",
                l1SmallSize, workerL1Size - l1UnreservedBase);
        Preconditions.checkArgument(l1SmallSize % l1Alignment == 0,
                "l1SmallSize %s must be a multiple of the L1 alignment %s", l1SmallSize, l1Alignment);
        Preconditions.checkArgument(workerGrid.contains(computeGrid),
                "computeGrid %s must lie inside workerGrid %s", computeGrid, workerGrid);
        int computeCores = computeGrid.numCores();
        Preconditions.checkArgument(l1BankRemap.isEmpty() || l1BankRemap.size() == computeCores,
                "l1BankRemap has %s entries; it must be empty or have one per compute core (%s)",
                l1BankRemap.size(), computeCores);
    }

    private static void checkPowerOfTwo(String name, long value) {
        Preconditions.checkArgument(value > 0 && LongMath.isPowerOfTwo(value),
                "%s %s must be a positive power of two", name, value);
    }

    /** Size of the DRAM bank manager's arena: {@code dramBankSize - dramUnreservedBase - traceRegionSize} (reference 4.1). */
    public long dramManagerSize() {
        return dramBankSize - dramUnreservedBase - traceRegionSize;
    }

    /** Size of the L1 bank manager's arena: {@code workerL1Size - l1UnreservedBase - l1SmallSize} (reference 4.2). */
    public long l1ManagerSize() {
        return workerL1Size - l1UnreservedBase - l1SmallSize;
    }

    /** Number of L1 banks: one per compute core. */
    public int numL1Banks() {
        return computeGrid.numCores();
    }

    /** A copy with another trace region size (what {@code open_mesh_device(trace_region_size=...)} changes). */
    public AllocatorConfig withTraceRegionSize(long size) {
        return new AllocatorConfig(numDramChannels, dramBankSize, dramBankOffsets, dramUnreservedBase, dramAlignment,
                l1UnreservedBase, workerGrid, workerL1Size, l1SmallSize, size, computeGrid, l1BankRemap,
                l1Alignment, disableInterleaved);
    }

    /** A copy with another L1_SMALL size (what {@code open_mesh_device(l1_small_size=...)} changes). */
    public AllocatorConfig withL1SmallSize(long size) {
        return new AllocatorConfig(numDramChannels, dramBankSize, dramBankOffsets, dramUnreservedBase, dramAlignment,
                l1UnreservedBase, workerGrid, workerL1Size, size, traceRegionSize, computeGrid, l1BankRemap,
                l1Alignment, disableInterleaved);
    }

    /** A copy with another DRAM unreserved base. */
    public AllocatorConfig withDramUnreservedBase(long base) {
        return new AllocatorConfig(numDramChannels, dramBankSize, dramBankOffsets, base, dramAlignment,
                l1UnreservedBase, workerGrid, workerL1Size, l1SmallSize, traceRegionSize, computeGrid, l1BankRemap,
                l1Alignment, disableInterleaved);
    }

    /** A copy with an explicit L1 bank remap. */
    public AllocatorConfig withL1BankRemap(List<Integer> remap) {
        return new AllocatorConfig(numDramChannels, dramBankSize, dramBankOffsets, dramUnreservedBase, dramAlignment,
                l1UnreservedBase, workerGrid, workerL1Size, l1SmallSize, traceRegionSize, computeGrid, remap,
                l1Alignment, disableInterleaved);
    }

    /**
     * The config of a sub-device allocator built from this global config (reference 12.1): no DRAM
     * (bank size 0), no trace, no L1_SMALL, worker and compute grid = the sub-device's cores, L1 from
     * {@code l1UnreservedBase} to {@code l1UnreservedBase + localL1Size}, sharded only.
     *
     * <p>Deviation: the C++ keeps the global {@code dram_unreserved_base}, so its DRAM manager size
     * {@code 0 - base} wraps to almost 2^64 [I]; no sub-device allocator is ever asked for DRAM, and
     * meshalloc sets the base to 0 so that the DRAM arena is simply empty.
     */
    public AllocatorConfig forSubDevice(CoreRangeSet cores, long localL1Size, List<Integer> globalBankIds) {
        return new AllocatorConfig(numDramChannels, 0, dramBankOffsets, 0, dramAlignment,
                l1UnreservedBase, cores, l1UnreservedBase + localL1Size, 0, 0, cores, globalBankIds,
                l1Alignment, true);
    }
}
