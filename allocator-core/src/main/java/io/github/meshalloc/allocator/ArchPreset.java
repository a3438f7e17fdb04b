package io.github.meshalloc.allocator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Chip configurations as data: what {@code L1BankingAllocator::generate_config} produces for each
 * architecture in a non-profiler build (reference 2.2-2.4 and 3).
 *
 * <p>Sources: alignments from {@code noc_parameters.h} / {@code wh_hal.cpp} / {@code bh_hal.cpp};
 * DRAM banks, sizes, offsets and worker L1 size from {@code wormhole_b0_80_arch.yaml} and
 * {@code blackhole_140_arch.yaml}. Values the references do not give are assumptions, marked [I] or [3P]:
 * <ul>
 *   <li>Wormhole B0 {@code l1_unreserved_base} = 100416: the value tt-metal's own
 *       {@code test_overlapped_bank_manager.cpp} uses for a Wormhole-like allocator [T]; the real value
 *       depends on the firmware memory map of the build.</li>
 *   <li>Wormhole B0 compute grid 8x8 (64 L1 banks) out of the 8x10 worker grid: the grid
 *       {@code compute_with_storage_grid_size()} reports on multi-chip Wormhole systems, where dispatch
 *       runs on Ethernet cores [I].</li>
 *   <li>Blackhole {@code l1_unreserved_base} = 111616: the first circular-buffer address in a
 *       third-party Blackhole trace [3P]; compute grid 13x10 (one column for dispatch) [I].</li>
 * </ul>
 * Every {@link AllocatorConfig} is a record: derive variants with its {@code with...} methods.
 */
public enum ArchPreset {
    /** Wormhole B0 (n150/n300/T3K chips): 12 DRAM banks of 1 GiB, 1,499,136 B of L1 per core. */
    WORMHOLE_B0(12, 1L << 30, true, 32, 32, 100416, 8, 10, 1499136, 8, 8),
    /** Blackhole (p150): 8 DRAM banks of 0xFF000000 B, 1,572,864 B of L1 per core. */
    BLACKHOLE(8, 4278190080L, false, 64, 64, 111616, 14, 10, 1572864, 13, 10);

    /** HAL L1 alignment on both architectures (max of NOC L1 read and write alignment). */
    public static final long L1_ALIGNMENT = 16;

    /** Every preset, in declaration order. */
    static final List<ArchPreset> ALL = List.of(values());

    private final int numDramChannels;
    private final long dramBankSize;
    private final boolean alternatingDramOffsets;
    private final long dramAlignment;
    private final long dramUnreservedBase;
    private final long l1UnreservedBase;
    private final int workerColumns;
    private final int workerRows;
    private final long workerL1Size;
    private final int computeColumns;
    private final int computeRows;
    // Immutable parts of every config this preset hands out, shared by them (so BankLayout.forConfig finds the
    // preset's layout by identity).
    private final List<Long> dramBankOffsets;
    private final CoreRangeSet workerGrid;
    private final CoreRangeSet computeGrid;
    private final BankLayout bankLayout;

    ArchPreset(int numDramChannels, long dramBankSize, boolean alternatingDramOffsets, long dramAlignment,
               long dramUnreservedBase, long l1UnreservedBase, int workerColumns, int workerRows, long workerL1Size,
               int computeColumns, int computeRows) {
        this.numDramChannels = numDramChannels;
        this.dramBankSize = dramBankSize;
        this.alternatingDramOffsets = alternatingDramOffsets;
        this.dramAlignment = dramAlignment;
        this.dramUnreservedBase = dramUnreservedBase;
        this.l1UnreservedBase = l1UnreservedBase;
        this.workerColumns = workerColumns;
        this.workerRows = workerRows;
        this.workerL1Size = workerL1Size;
        this.computeColumns = computeColumns;
        this.computeRows = computeRows;
        List<Long> offsets = new ArrayList<>(numDramChannels);
        for (int channel = 0; channel < numDramChannels; channel++) {
            offsets.add(alternatingDramOffsets && channel % 2 == 1 ? dramBankSize : 0L);
        }
        this.dramBankOffsets = List.copyOf(offsets);
        this.workerGrid = CoreRangeSet.of(CoreRange.grid(workerColumns, workerRows));
        this.computeGrid = CoreRangeSet.of(CoreRange.grid(computeColumns, computeRows));
        this.bankLayout = BankLayout.of(config());
    }

    /**
     * The bank layout of every config this preset hands out (computed once; {@link BankLayout#forConfig} finds it for
     * those configs and their {@code with...} copies).
     */
    public BankLayout bankLayout() {
        return bankLayout;
    }

    /** HAL DRAM alignment (32 on Wormhole, 64 on Blackhole). */
    public long dramAlignment() {
        return dramAlignment;
    }

    /** The config with no trace region and no L1_SMALL (what {@code open_mesh_device()} uses by default). */
    public AllocatorConfig config() {
        return config(0, 0);
    }

    /**
     * The config for the given trace region and L1_SMALL sizes, each rounded up to the DRAM alignment as
     * {@code generate_config} does (reference 3 steps 4-5).
     */
    public AllocatorConfig config(long traceRegionSize, long l1SmallSize) {
        return new AllocatorConfig(numDramChannels, dramBankSize, dramBankOffsets, dramUnreservedBase, dramAlignment,
                l1UnreservedBase, workerGrid, workerL1Size, roundUp(l1SmallSize, dramAlignment),
                roundUp(traceRegionSize, dramAlignment), computeGrid, Collections.emptyList(), L1_ALIGNMENT, false);
    }

    private static long roundUp(long value, long alignment) {
        return (value + alignment - 1) / alignment * alignment;
    }
}
