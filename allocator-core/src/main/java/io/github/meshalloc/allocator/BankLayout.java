package io.github.meshalloc.allocator;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSortedMap;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The bank descriptors an {@link Allocator} derives from its {@link AllocatorConfig}: which bank id sits at which DRAM
 * offset, which L1 bank id belongs to which compute core and the L1 bank offsets. Immutable, and a function of three
 * config fields only (the DRAM bank offsets, the compute grid and the L1 bank remap), so allocators built from configs
 * that agree on them share one layout.
 *
 * <p>Models the bank-descriptor part of {@code AllocatorImpl} / {@code L1BankingAllocator}'s constructor
 * ({@code init_one_bank_per_channel} and {@code init_compute_and_storage_l1_bank_manager}, reference 4.1 and 4.2),
 * including the seeded {@code std::shuffle} of the L1 bank ids ({@link StdShuffle}); tt-metal recomputes it for every
 * allocator, meshalloc computes it once per {@link ArchPreset} ({@link ArchPreset#bankLayout()}) and reuses it for
 * every config built from that preset ({@link #forConfig}).
 *
 * @param dramBankOffsets        the config's DRAM bank offsets (an input)
 * @param computeGrid            the config's compute grid (an input)
 * @param l1BankRemap            the config's L1 bank remap (an input)
 * @param dramBankIdToOffset     DRAM (and TRACE) bank id to offset: bank k at the k-th offset, cast through int32
 * @param l1BankIdToLogicalCore  L1 bank id to its compute core, ascending bank id
 * @param logicalCoreToL1BankIds compute core to its L1 bank ids, in row-major core order
 * @param l1BankIdToOffset       L1 bank id to offset (all 0), ascending bank id
 */
public record BankLayout(List<Long> dramBankOffsets, CoreRangeSet computeGrid, List<Integer> l1BankRemap,
                         ImmutableSortedMap<Integer, Long> dramBankIdToOffset,
                         ImmutableSortedMap<Integer, CoreCoord> l1BankIdToLogicalCore,
                         ImmutableMap<CoreCoord, List<Integer>> logicalCoreToL1BankIds,
                         ImmutableSortedMap<Integer, Long> l1BankIdToOffset) {

    public BankLayout {
        Preconditions.checkNotNull(dramBankOffsets, "dramBankOffsets");
        Preconditions.checkNotNull(computeGrid, "computeGrid");
        Preconditions.checkNotNull(l1BankRemap, "l1BankRemap");
        Preconditions.checkNotNull(dramBankIdToOffset, "dramBankIdToOffset");
        Preconditions.checkNotNull(l1BankIdToLogicalCore, "l1BankIdToLogicalCore");
        Preconditions.checkNotNull(logicalCoreToL1BankIds, "logicalCoreToL1BankIds");
        Preconditions.checkNotNull(l1BankIdToOffset, "l1BankIdToOffset");
        dramBankOffsets = List.copyOf(dramBankOffsets);
        l1BankRemap = List.copyOf(l1BankRemap);
    }

    /**
     * Derives the layout of {@code config}.
     *
     * @throws IllegalArgumentException if the L1 bank remap gives one bank id to two cores
     */
    public static BankLayout of(AllocatorConfig config) {
        Preconditions.checkNotNull(config, "config");
        // init_one_bank_per_channel: DRAM and TRACE share the bank offsets, each cast through int32 [R].
        ImmutableSortedMap.Builder<Integer, Long> dram = ImmutableSortedMap.naturalOrder();
        List<Long> offsets = config.dramBankOffsets();
        for (int i = 0; i < offsets.size(); i++) {
            dram.put(i, (long) (int) (long) offsets.get(i));
        }
        // init_compute_and_storage_l1_bank_manager: one L1 bank per compute core, ids from the remap or the shuffle.
        // Worker cores inside the compute grid, in worker-grid order: the compute grid's own sorted cores, since
        // AllocatorConfig guarantees the compute grid lies inside the worker grid.
        List<CoreCoord> computeCores = config.computeGrid().cores();
        List<Integer> bankIds = config.l1BankRemap().isEmpty()
                ? StdShuffle.shuffledIds(computeCores.size(), 0)
                : config.l1BankRemap();
        int n = computeCores.size();
        // Core indices sorted by bank id: (id << 32 | k) sorts by the signed id, then k. The maps below are then
        // filled in key order, which their builders' sort handles in one linear pass.
        long[] byBank = new long[n];
        for (int k = 0; k < n; k++) {
            byBank[k] = ((long) bankIds.get(k) << 32) | k;
        }
        Arrays.sort(byBank);
        for (int i = 1; i < n; i++) {
            if ((int) (byBank[i] >> 32) == (int) (byBank[i - 1] >> 32)) {
                throw duplicateBankId(bankIds);
            }
        }
        ImmutableSortedMap.Builder<Integer, CoreCoord> bankToCore = ImmutableSortedMap.naturalOrder();
        ImmutableSortedMap.Builder<Integer, Long> l1 = ImmutableSortedMap.naturalOrder();
        for (long entry : byBank) {
            int bankId = (int) (entry >> 32);
            bankToCore.put(bankId, computeCores.get((int) entry));
            l1.put(bankId, 0L);
        }
        ImmutableMap.Builder<CoreCoord, List<Integer>> coreToBanks = ImmutableMap.builderWithExpectedSize(n);
        for (int k = 0; k < n; k++) {
            coreToBanks.put(computeCores.get(k), List.of(bankIds.get(k)));
        }
        return new BankLayout(config.dramBankOffsets(), config.computeGrid(), config.l1BankRemap(), dram.build(),
                bankToCore.buildOrThrow(), coreToBanks.buildOrThrow(), l1.buildOrThrow());
    }

    /** The error for the first core (in core order) whose bank id an earlier core already has. */
    private static IllegalArgumentException duplicateBankId(List<Integer> bankIds) {
        Set<Integer> seen = new HashSet<>();
        for (int bankId : bankIds) {
            if (!seen.add(bankId)) {
                return new IllegalArgumentException(
                        "L1 bank id " + bankId + " is given to two cores; bank ids must be distinct");
            }
        }
        throw new AssertionError("no duplicate bank id in " + bankIds);
    }

    /**
     * The layout of {@code config}: the preset's own when {@code config} agrees with an {@link ArchPreset} on the
     * fields the layout depends on (every config a preset hands out, and their {@code with...} copies), otherwise
     * derived now.
     *
     * @throws IllegalArgumentException if the L1 bank remap gives one bank id to two cores
     */
    public static BankLayout forConfig(AllocatorConfig config) {
        Preconditions.checkNotNull(config, "config");
        for (ArchPreset preset : ArchPreset.ALL) {
            BankLayout shared = preset.bankLayout();
            if (shared.derivesFrom(config)) {
                return shared;
            }
        }
        return of(config);
    }

    /** Whether this layout is the one {@code config} derives (it agrees on the three input fields). */
    public boolean derivesFrom(AllocatorConfig config) {
        // Cheapest first: a preset's remap is empty, a sub-device's is not.
        return same(l1BankRemap, config.l1BankRemap()) && same(computeGrid, config.computeGrid())
                && same(dramBankOffsets, config.dramBankOffsets());
    }

    /** Equality with the identity shortcut (a preset's configs share their grid and offset list instances). */
    private static boolean same(Object a, Object b) {
        return a == b || a.equals(b);
    }
}
