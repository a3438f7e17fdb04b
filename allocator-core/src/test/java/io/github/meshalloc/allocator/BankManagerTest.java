package io.github.meshalloc.allocator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableSortedMap;
import io.github.meshalloc.allocator.algorithms.AddressLimitViolationException;
import io.github.meshalloc.allocator.algorithms.MemoryBlock;
import io.github.meshalloc.allocator.algorithms.Statistics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link BankManager} against reference section 5 (late-2025 {@code bank_manager.cpp}). Expected values
 * are derived by hand from the reference; every address is bank-local unless a bank offset is added.
 */
class BankManagerTest {

    private static final long GIB = 1L << 30;
    /** HAL DRAM alignment: Wormhole 32, Blackhole 64 (reference 2.2). */
    private static final long WH_DRAM_ALIGN = 32;
    private static final long BH_DRAM_ALIGN = 64;
    private static final long L1_ALIGN = 16;
    /** Wormhole-like L1 layout of tt-metal's own mock (reference 3, test_overlapped_bank_manager.cpp). */
    private static final long WH_L1_BASE = 100416;
    private static final long WH_L1_SIZE = 1499136;
    private static final long WH_L1_ALLOCATABLE = WH_L1_SIZE - WH_L1_BASE;

    /** The late-2025 whitelist of non-power-of-two bank counts, written out independently of the main code. */
    private static final Set<Integer> LATE_2025_WHITELIST =
            Set.of(7, 12, 20, 48, 56, 63, 70, 72, 80, 94, 108, 110, 117, 120, 124, 126, 130, 140);

    private static final CoreRangeSet NO_CORES = new CoreRangeSet(List.of());
    private static final CoreRangeSet WH_COMPUTE = CoreRangeSet.of(CoreRange.grid(8, 8));

    private static List<Long> whDramOffsets() {
        List<Long> offsets = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            offsets.add(i % 2 == 1 ? GIB : 0L);
        }
        return offsets;
    }

    /** A Wormhole DRAM manager: 12 banks at offsets 0 / 1 GiB, free list from 32. */
    private static BankManager whDram(long size) {
        return new BankManager(BufferType.DRAM, whDramOffsets(), size, WH_DRAM_ALIGN, WH_DRAM_ALIGN, false,
                AllocatorDependencies.SINGLE, WH_DRAM_ALIGN);
    }

    private static Map<Integer, Long> zeroOffsets(int banks) {
        Map<Integer, Long> map = new TreeMap<>();
        for (int i = 0; i < banks; i++) {
            map.put(i, 0L);
        }
        return map;
    }

    /** A Wormhole L1 manager as late-2025 builds it: 64 banks, interleaved limit = offset = l1_unreserved_base. */
    private static BankManager whL1(long interleavedLimit) {
        return new BankManager(BufferType.L1, zeroOffsets(64), WH_L1_ALLOCATABLE, interleavedLimit, L1_ALIGN,
                WH_L1_BASE, false, AllocatorDependencies.SINGLE, WH_DRAM_ALIGN);
    }

    private static long allocInterleaved(BankManager manager, long size, long pageSize, boolean bottomUp) {
        return manager.allocateBuffer(size, pageSize, bottomUp, WH_COMPUTE, OptionalInt.empty());
    }

    private static long allocSharded(BankManager manager, long size, long pageSize, boolean bottomUp, int shards) {
        return manager.allocateBuffer(size, pageSize, bottomUp, WH_COMPUTE, OptionalInt.of(shards));
    }

    /** Everything observable about allocator 0, to compare before and after a failed call. */
    private record Snapshot(List<MemoryBlock> blocks, Statistics stats, List<Long> addresses, OptionalLong lowest,
                            long bankSize) {
        static Snapshot of(BankManager manager) {
            return new Snapshot(manager.getMemoryBlockTable(0), manager.getStatistics(), manager.allocatedAddresses(0),
                    manager.lowestOccupiedAddress(manager.bankIds().get(0)), manager.bankSize());
        }
    }

    @Nested
    class Construction {

        @Test
        void vectorFormNumbersBanksByPositionAndTakesTheirOffsets() {
            BankManager manager = whDram(GIB - 32);
            assertEquals(BufferType.DRAM, manager.bufferType());
            assertEquals(12, manager.numBanks());
            assertEquals(IntStream.range(0, 12).boxed().toList(), manager.bankIds());
            assertEquals(0, manager.bankOffset(0));
            assertEquals(GIB, manager.bankOffset(1));
            assertEquals(0, manager.bankOffset(10));
            assertEquals(GIB, manager.bankOffset(11));
            assertEquals(0, manager.interleavedAddressLimit(), "the vector form has no interleaved limit");
            assertEquals(GIB - 32, manager.bankSize());
            assertEquals(WH_DRAM_ALIGN, manager.alignmentBytes());
            assertEquals(1, manager.numAllocators());
        }

        @Test
        void mapFormKeepsTheGivenBankIdsOffsetsAndLimit() {
            Map<Integer, Long> map = new LinkedHashMap<>();
            map.put(9, 0L);
            map.put(2, 64L);
            map.put(5, -128L);
            map.put(7, 1024L);
            BankManager manager = new BankManager(BufferType.L1, map, 4096, 512, L1_ALIGN, 512, false,
                    AllocatorDependencies.SINGLE, WH_DRAM_ALIGN);
            assertEquals(List.of(2, 5, 7, 9), manager.bankIds());
            assertEquals(64, manager.bankOffset(2));
            assertEquals(-128, manager.bankOffset(5), "bank offsets are signed 64-bit");
            assertEquals(512, manager.interleavedAddressLimit());
            assertEquals(L1_ALIGN, manager.alignmentBytes());
            assertEquals(4096, manager.bankSize());
        }

        @Test
        void aSortedMapInAnotherOrderIsStillReadInAscendingBankIdOrder() {
            // bank_id_to_bank_offset_ is a std::unordered_map in the C++; meshalloc keeps the ids ascending so that its
            // listings are deterministic, and a caller's map sorted by another comparator (here descending) must not
            // leak its order into the manager.
            Map<Integer, Long> descending = ImmutableSortedMap.<Integer, Long>reverseOrder().put(9, 0L).put(2, 64L).put(5, -128L).put(7, 1024L).build();
            BankManager manager = new BankManager(BufferType.L1, descending, 4096, 512, L1_ALIGN, 512, false,
                    AllocatorDependencies.SINGLE, WH_DRAM_ALIGN);
            assertEquals(List.of(2, 5, 7, 9), manager.bankIds());
            assertEquals(-128, manager.bankOffset(5));
        }

        @Test
        void unknownBankIsFatalWithTheCxxMessage() {
            BankManager manager = whDram(4096);
            TtFatalException e = assertThrows(TtFatalException.class, () -> manager.bankOffset(12));
            assertEquals("Expected bank 12 to be tracked!", e.getMessage());
        }

        @Test
        void anAllocationOffsetOffTheDramAlignmentIsAcceptedAsInReleaseBuilds() {
            // Algorithm's constructor only debug-asserts offset % alignment; addresses become offset + k x 32.
            BankManager manager = new BankManager(BufferType.DRAM, List.of(0L, 0L), 4096, WH_DRAM_ALIGN, 16, false,
                    AllocatorDependencies.SINGLE, WH_DRAM_ALIGN);
            assertEquals(16, manager.allocateBuffer(2 * 16, 16, true, NO_CORES, OptionalInt.empty()));
            assertEquals(48, manager.allocateBuffer(2 * 16, 16, true, NO_CORES, OptionalInt.empty()));
            // The empty L1_SMALL manager of a sub-device allocator with local L1 size 4112 (reference 12.1).
            BankManager small = new BankManager(BufferType.L1_SMALL, Map.of(), 0, WH_L1_BASE + 4112, L1_ALIGN,
                    WH_L1_BASE + 4112, true, AllocatorDependencies.SINGLE, WH_DRAM_ALIGN);
            assertEquals(0, small.bankSize());
        }

        @Test
        void vectorFormL1HasLimitZeroSoInterleavedL1IsFatal() {
            // Reference 4.4 / 5.3 step 4: interleaved L1 with limit 0 -> "Address limit 0 needs to be larger than zero."
            BankManager manager = new BankManager(BufferType.L1, List.of(0L, 0L, 0L, 0L), 4096, L1_ALIGN, 0, false,
                    AllocatorDependencies.SINGLE, WH_DRAM_ALIGN);
            Snapshot before = Snapshot.of(manager);
            TtFatalException e = assertThrows(TtFatalException.class,
                    () -> allocInterleaved(manager, 1024, 1024, false));
            assertEquals("Address limit 0 needs to be larger than zero.", e.getMessage());
            assertFalse(e instanceof OutOfMemoryException);
            assertEquals(before, Snapshot.of(manager));
            // Sharded L1 does not use the limit.
            assertEquals(4096 - 1024, allocSharded(manager, 1024, 1024, false, 1));
        }

        @Test
        void interleavedDramAndTraceNeverUseTheLimit() {
            BankManager trace = new BankManager(BufferType.TRACE, List.of(0L, 0L), 4096, WH_DRAM_ALIGN, 0, false,
                    AllocatorDependencies.SINGLE, WH_DRAM_ALIGN);
            assertEquals(0, trace.allocateBuffer(2048, 1024, true, NO_CORES, OptionalInt.empty()));
        }

        @ParameterizedTest(name = "{0} banks")
        @ValueSource(ints = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 7, 12, 20, 48, 56, 63, 70, 72, 80, 94, 108,
                110, 117, 120, 124, 126, 130, 140})
        void powersOfTwoAndTheLate2025WhitelistAreAccepted(int banks) {
            for (BufferType type : List.of(BufferType.DRAM, BufferType.L1, BufferType.TRACE)) {
                BankManager manager = new BankManager(type, zeroOffsets(banks), 4096, 0, WH_DRAM_ALIGN, 0, false,
                        AllocatorDependencies.SINGLE, WH_DRAM_ALIGN);
                assertEquals(banks, manager.numBanks());
            }
        }

        @ParameterizedTest(name = "{0} banks")
        @ValueSource(ints = {20, 48, 72, 108, 117, 126})
        void countsFirstWhitelistedInLate2025AreAccepted(int banks) {
            BankManager.validateNumBanks(banks, BufferType.DRAM, false);
            assertTrue(BankManager.NON_POW2_BANK_COUNTS.contains(banks));
        }

        @Test
        void invalidCountIsFatalWithTheCxxMessage() {
            TtFatalException dram = assertThrows(TtFatalException.class,
                    () -> new BankManager(BufferType.DRAM, zeroOffsets(3), 4096, 0, WH_DRAM_ALIGN, 0, false,
                            AllocatorDependencies.SINGLE, WH_DRAM_ALIGN));
            assertEquals("Invalid number of memory banks 3 for DRAM. Num banks must be power of 2 or have a dedicated "
                    + "modulo implementation", dram.getMessage());
            TtFatalException l1 = assertThrows(TtFatalException.class,
                    () -> BankManager.validateNumBanks(131, BufferType.L1, false));
            assertEquals("Invalid number of memory banks 131 for L1. Num banks must be power of 2 or have a dedicated "
                    + "modulo implementation", l1.getMessage());
        }

        @Test
        void everyCountUpTo1024IsAcceptedExactlyWhenPowerOfTwoOrWhitelisted() {
            for (BufferType type : List.of(BufferType.DRAM, BufferType.L1, BufferType.TRACE)) {
                for (int n = 0; n <= 1024; n++) {
                    boolean expected = (n != 0 && Integer.bitCount(n) == 1) || LATE_2025_WHITELIST.contains(n);
                    final int banks = n;
                    if (expected) {
                        BankManager.validateNumBanks(banks, type, false);
                    } else {
                        assertThrows(TtFatalException.class, () -> BankManager.validateNumBanks(banks, type, false),
                                type + " with " + n + " banks");
                    }
                }
            }
        }

        @Test
        void zeroBanksIsRejectedUnlessTheTypeNeverInterleaves() {
            // Reference 2.5: 0 is not a power of two (n && !(n & (n-1))).
            TtFatalException e = assertThrows(TtFatalException.class,
                    () -> new BankManager(BufferType.DRAM, List.of(), 4096, WH_DRAM_ALIGN, 0, false,
                            AllocatorDependencies.SINGLE, WH_DRAM_ALIGN));
            assertEquals("Invalid number of memory banks 0 for DRAM. Num banks must be power of 2 or have a dedicated "
                    + "modulo implementation", e.getMessage());
            // L1_SMALL with l1_small_size == 0 has no banks at all, and that is allowed.
            BankManager small = new BankManager(BufferType.L1_SMALL, Map.of(), 0, 0, L1_ALIGN, 0, false,
                    AllocatorDependencies.SINGLE, WH_DRAM_ALIGN);
            assertEquals(0, small.numBanks());
            assertEquals(0, small.bankSize());
            BankManager sharded = new BankManager(BufferType.L1, Map.of(), 4096, 0, L1_ALIGN, 0, true,
                    AllocatorDependencies.SINGLE, WH_DRAM_ALIGN);
            assertEquals(0, sharded.numBanks());
        }

        @ParameterizedTest(name = "{0} banks")
        @ValueSource(ints = {3, 5, 13, 65, 131})
        void l1SmallAndDisableInterleavedAcceptAnyCount(int banks) {
            assertEquals(banks, new BankManager(BufferType.L1_SMALL, zeroOffsets(banks), 4096, 0, L1_ALIGN, 0, false,
                    AllocatorDependencies.SINGLE, WH_DRAM_ALIGN).numBanks());
            for (BufferType type : List.of(BufferType.DRAM, BufferType.L1, BufferType.TRACE)) {
                assertEquals(banks, new BankManager(type, zeroOffsets(banks), 4096, 0, L1_ALIGN, 0, true,
                        AllocatorDependencies.SINGLE, WH_DRAM_ALIGN).numBanks());
            }
        }
    }

    @Nested
    class SizePerBank {

        @ParameterizedTest(name = "size {0}, page {1}, {2} banks, alignment {3} -> {4}")
        @CsvSource({
                // ceil(pages / banks) x roundup(page, alignment)  (reference 5.2)
                "4096, 1024, 3, 32, 2048",      // 4 pages over 3 banks -> 2 per bank
                "0, 1024, 12, 32, 0",           // no pages
                "1024, 0, 12, 32, 0",           // page size 0 -> 0 pages
                "1200, 100, 12, 32, 128",       // 12 pages, 1 per bank, 100 -> 128
                "1300, 100, 12, 32, 256",       // 13 pages, 2 per bank
                "2048, 2048, 64, 16, 2048",     // 1 page, 1 bank holds it
                "133120, 2048, 64, 16, 4096",   // 65 pages over 64 banks
                "100, 100, 1, 16, 112",         // 100 -> 112 at 16
                "1000, 1000, 130, 16, 1008",    // Blackhole L1: 1 page over 130 banks
                "4194304, 2048, 12, 32, 350208", // 2048 pages over 12 banks -> 171 per bank
                "4194304, 2048, 8, 64, 524288",  // 2048 pages over 8 banks -> 256 per bank
                "3000, 1000, 3, 64, 1024",      // 1000 -> 1024 at 64
        })
        void calculateBankSizeSpread(long size, long page, int banks, long alignment, long expected) {
            assertEquals(expected, Allocator.calculateBankSizeSpread(size, page, banks, alignment));
        }

        @Test
        void theManagerReservesTheSpreadInEveryBank() {
            BankManager manager = whDram(GIB - 32);
            // 13 pages of 100 B over 12 banks: 2 pages per bank of roundup(100, 32) = 128 -> 256.
            assertEquals(32, allocInterleaved(manager, 1300, 100, true));
            assertEquals(256, manager.getStatistics().totalAllocatedBytes());
            assertEquals(32 + 256, allocInterleaved(manager, 1300, 100, true));
        }
    }

    @Nested
    class InterleavedAndSharded {

        @Test
        void interleavedSpreadsOverAllBanksAndShardedOverTheShards() {
            BankManager manager = whL1(WH_L1_BASE);
            // 64 pages of 2 KiB over 64 banks: 2048 per bank; top-down from W.
            long interleaved = allocInterleaved(manager, 64 * 2048, 2048, false);
            assertEquals(WH_L1_SIZE - 2048, interleaved);
            // The same 64 pages sharded over 8 cores: 8 pages per shard = 16384, reserved in every bank.
            long sharded = allocSharded(manager, 64 * 2048, 2048, false, 8);
            assertEquals(WH_L1_SIZE - 2048 - 16384, sharded);
            assertEquals(2048 + 16384, manager.getStatistics().totalAllocatedBytes());
        }

        @Test
        void moreShardsThanComputeCoresIsFatalWithTheCxxMessage() {
            BankManager manager = whL1(WH_L1_BASE);
            Snapshot before = Snapshot.of(manager);
            TtFatalException e = assertThrows(TtFatalException.class,
                    () -> allocSharded(manager, 65 * 2048, 2048, false, 65));
            assertEquals("Expected number of shards 65 to be less than or equal to total number of L1 banks 64 in "
                    + "compute cores", e.getMessage());
            assertEquals(before, Snapshot.of(manager));
            assertEquals(WH_L1_SIZE - 2048, allocSharded(manager, 64 * 2048, 2048, false, 64));
        }

        @Test
        void theShardLimitIsTheComputeGridNotTheBankCount() {
            // A 4-bank DRAM manager asked for 6 shards is fine when the compute grid has 8 cores.
            BankManager manager = new BankManager(BufferType.DRAM, List.of(0L, 0L, 0L, 0L), 8192, WH_DRAM_ALIGN, 0,
                    false, AllocatorDependencies.SINGLE, WH_DRAM_ALIGN);
            CoreRangeSet eight = CoreRangeSet.of(CoreRange.grid(4, 2));
            assertEquals(0, manager.allocateBuffer(6 * 1024, 1024, true, eight, OptionalInt.of(6)));
            assertEquals(1024, manager.getStatistics().totalAllocatedBytes());
            assertThrows(TtFatalException.class,
                    () -> manager.allocateBuffer(9 * 1024, 1024, true, eight, OptionalInt.of(9)));
        }

        @Test
        void late2025LimitEqualsOffsetSoBottomUpInterleavedL1Works() {
            BankManager manager = whL1(WH_L1_BASE);
            assertEquals(WH_L1_BASE, allocInterleaved(manager, 64 * 1024, 1024, true));
        }

        @Test
        void mid2025LimitAboveOffsetThrowsAfterCarvingTheBlock() {
            // The test mock's limit 100432 over offset 100416 [T NonzeroAllocOffset]; reference 6.3 step 8 quirk.
            BankManager manager = whL1(100432);
            AddressLimitViolationException e = assertThrows(AddressLimitViolationException.class,
                    () -> allocInterleaved(manager, 64 * 4096, 4096, true));
            assertEquals("Out of Memory: Cannot allocate at an address below 100432. Allocation at 100416",
                    e.getMessage());
            assertEquals(4096, manager.getStatistics().totalAllocatedBytes(), "the block stays carved");
            assertEquals(List.of(), manager.allocatedAddresses(0), "but the manager never recorded it");
            assertEquals(OptionalLong.empty(), manager.lowestOccupiedAddress(0));
            // Sharded ignores the limit; top-down interleaved lands far above it.
            assertEquals(WH_L1_BASE + 4096, allocSharded(manager, 4096, 4096, true, 1));
            assertEquals(WH_L1_SIZE - 4096, allocInterleaved(manager, 64 * 4096, 4096, false));
            // deallocate_all only frees recorded addresses: the leaked block survives; clear() frees it.
            manager.deallocateAll();
            assertEquals(4096, manager.getStatistics().totalAllocatedBytes());
            manager.clear();
            assertEquals(0, manager.getStatistics().totalAllocatedBytes());
        }
    }

    @Nested
    class OutOfMemory {

        @Test
        void messageHasTheLate2025Wording() {
            BankManager manager = whDram(4096);
            allocInterleaved(manager, 12 * 2048, 2048, true);
            OutOfMemoryException e = assertThrows(OutOfMemoryException.class,
                    () -> allocInterleaved(manager, 12 * 4096, 4096, true));
            assertEquals("Out of Memory: Not enough space to allocate 49152 B DRAM buffer across 12 banks, where each "
                    + "bank needs to store 4096 B, but bank size is 4096 B (allocated: 2048 B, free: 2048 B, largest "
                    + "free block: 2048 B)", e.getMessage());
        }

        @Test
        void shardedMessageCountsTheShards() {
            BankManager manager = whL1(WH_L1_BASE);
            OutOfMemoryException e = assertThrows(OutOfMemoryException.class,
                    () -> allocSharded(manager, 4 * 1398736, 1398736, false, 4));
            assertEquals("Out of Memory: Not enough space to allocate 5594944 B L1 buffer across 4 banks, where each "
                    + "bank needs to store 1398736 B, but bank size is 1398720 B (allocated: 0 B, free: 1398720 B, "
                    + "largest free block: 1398720 B)", e.getMessage());
        }

        @Test
        void anEmptyArenaFailsEveryRequest() {
            BankManager trace = new BankManager(BufferType.TRACE, whDramOffsets(), 0, WH_DRAM_ALIGN, GIB, false,
                    AllocatorDependencies.SINGLE, WH_DRAM_ALIGN);
            OutOfMemoryException e = assertThrows(OutOfMemoryException.class,
                    () -> trace.allocateBuffer(12 * 32, 32, true, NO_CORES, OptionalInt.empty()));
            assertEquals("Out of Memory: Not enough space to allocate 384 B TRACE buffer across 12 banks, where each "
                    + "bank needs to store 32 B, but bank size is 0 B (allocated: 0 B, free: 0 B, largest free "
                    + "block: 0 B)", e.getMessage());
        }

        @Test
        void outOfMemoryLeavesTheManagerUntouched() {
            // Reference 5.5: nothing is recorded and the free list is unchanged.
            BankManager manager = whDram(8192);
            allocInterleaved(manager, 12 * 1024, 1024, true);
            long top = allocInterleaved(manager, 12 * 2048, 2048, false);
            manager.deallocateBuffer(32);
            Snapshot before = Snapshot.of(manager);
            String dump = manager.dumpBlocks(0);
            assertThrows(OutOfMemoryException.class, () -> allocInterleaved(manager, 12 * 8192, 8192, true));
            assertThrows(OutOfMemoryException.class, () -> allocInterleaved(manager, 12 * 8192, 8192, false));
            assertEquals(before, Snapshot.of(manager));
            assertEquals(dump, manager.dumpBlocks(0));
            assertEquals(List.of(top), manager.allocatedAddresses(0));
        }
    }

    @Nested
    class DramAlignmentFreeList {

        @Test
        void sixteenBytePerBankL1RequestOccupiesThirtyTwoOnWormhole() {
            // Reference 5.1: the free list's minimum and alignment are the DRAM alignment for every type.
            BankManager manager = whL1(WH_L1_BASE);
            assertEquals(16, Allocator.calculateBankSizeSpread(16, 16, 1, L1_ALIGN));
            assertEquals(WH_L1_BASE, allocSharded(manager, 16, 16, true, 1));
            assertEquals(32, manager.getStatistics().totalAllocatedBytes());
            assertEquals(new MemoryBlock(WH_L1_BASE, 32, true), manager.getMemoryBlockTable(0).get(0));
            assertEquals(WH_L1_BASE + 32, allocSharded(manager, 16, 16, true, 1));
            assertEquals(WH_L1_SIZE - 32, allocSharded(manager, 16, 16, false, 1));
        }

        @Test
        void sixteenBytePerBankL1RequestOccupiesSixtyFourOnBlackhole() {
            long base = 111616;
            long w = 1572864;
            BankManager manager = new BankManager(BufferType.L1, zeroOffsets(130), w - base, base, L1_ALIGN, base,
                    false, AllocatorDependencies.SINGLE, BH_DRAM_ALIGN);
            assertEquals(base, allocSharded(manager, 16, 16, true, 1));
            assertEquals(64, manager.getStatistics().totalAllocatedBytes());
            assertEquals(base + 64, allocInterleaved(manager, 130 * 48, 48, true));
            assertEquals(128, manager.getStatistics().totalAllocatedBytes());
            assertEquals(w - 64, allocInterleaved(manager, 16, 16, false));
        }

        @Test
        void addressesAreTheOffsetPlusMultiplesOfTheDramAlignment() {
            BankManager manager = whL1(WH_L1_BASE);
            for (long perBank : List.of(16L, 48L, 80L, 112L, 144L)) {
                long bottom = allocSharded(manager, perBank, perBank, true, 1);
                long top = allocSharded(manager, perBank, perBank, false, 1);
                assertEquals(0, (bottom - WH_L1_BASE) % WH_DRAM_ALIGN, "bottom-up " + perBank);
                assertEquals(0, (top - WH_L1_BASE) % WH_DRAM_ALIGN, "top-down " + perBank);
            }
        }
    }

    @Nested
    class Deallocation {

        @Test
        void deallocateFreesAndForgetsTheAddress() {
            BankManager manager = whDram(GIB - 32);
            long a = allocInterleaved(manager, 12 * 1024, 1024, true);
            long b = allocInterleaved(manager, 12 * 1024, 1024, true);
            assertEquals(List.of(a, b), manager.allocatedAddresses(0));
            manager.deallocateBuffer(a);
            assertEquals(List.of(b), manager.allocatedAddresses(0));
            assertEquals(1024, manager.getStatistics().totalAllocatedBytes());
            assertEquals(a, allocInterleaved(manager, 12 * 1024, 1024, true), "the freed range is reused");
        }

        @Test
        void unknownInteriorAndDoubleFreesAreSilentNoOps() {
            BankManager manager = whDram(GIB - 32);
            long a = allocInterleaved(manager, 12 * 2048, 2048, true);
            allocInterleaved(manager, 12 * 1024, 1024, true);
            manager.deallocateBuffer(a);
            Snapshot before = Snapshot.of(manager);
            manager.deallocateBuffer(a);
            manager.deallocateBuffer(a + 1024);
            manager.deallocateBuffer(123456);
            assertEquals(before, Snapshot.of(manager));
        }

        @Test
        void deallocateAllFreesEveryRecordedAddressAndForgetsThem() {
            BankManager manager = whDram(GIB - 32);
            allocInterleaved(manager, 12 * 1024, 1024, true);
            allocInterleaved(manager, 12 * 4096, 4096, false);
            allocInterleaved(manager, 12 * 2048, 2048, true);
            manager.deallocateAll();
            assertEquals(List.of(), manager.allocatedAddresses(0));
            assertEquals(new Statistics(GIB - 32, 0, GIB - 32, GIB - 32), manager.getStatistics());
            assertEquals(List.of(new MemoryBlock(32, GIB - 32, false)), manager.getMemoryBlockTable(0));
            assertEquals(OptionalLong.empty(), manager.lowestOccupiedAddress(0));
        }

        @Test
        void clearResetsTheFreeListButKeepsTheStaleLowestOccupiedAddress() {
            // Reference 5.4 / 6.9 / 6.12 #8.
            BankManager manager = whDram(GIB - 32);
            assertEquals(32, allocInterleaved(manager, 12 * 1024, 1024, true));
            allocInterleaved(manager, 12 * 1024, 1024, false);
            manager.clear();
            assertEquals(List.of(), manager.allocatedAddresses(0));
            assertEquals(List.of(new MemoryBlock(32, GIB - 32, false)), manager.getMemoryBlockTable(0));
            assertEquals(OptionalLong.of(32), manager.lowestOccupiedAddress(0), "stale after clear");
            long top = allocInterleaved(manager, 12 * 1024, 1024, false);
            assertEquals(GIB - 1024, top);
            assertEquals(OptionalLong.of(32), manager.lowestOccupiedAddress(0), "min(stale, new)");
        }

        @Test
        void clearUndoesAShrink() {
            BankManager manager = whDram(8192);
            manager.shrinkSize(1024, true, 0);
            assertEquals(8192 - 1024, manager.bankSize());
            manager.clear();
            assertEquals(8192, manager.bankSize());
            assertEquals(32, allocInterleaved(manager, 12 * 1024, 1024, true));
        }
    }

    @Nested
    class LowestOccupied {

        @Test
        void emptyUntilSomethingIsAllocatedEvenForAnUnknownBank() {
            BankManager manager = whDram(GIB - 32);
            assertEquals(OptionalLong.empty(), manager.lowestOccupiedAddress(0));
            assertEquals(OptionalLong.empty(), manager.lowestOccupiedAddress(99),
                    "the bank offset is only looked up when there is an address");
        }

        @Test
        void addsTheOffsetOfTheAskedBank() {
            BankManager manager = whDram(GIB - 32);
            allocInterleaved(manager, 12 * 1024, 1024, false);
            long bottom = allocInterleaved(manager, 12 * 1024, 1024, true);
            assertEquals(OptionalLong.of(bottom), manager.lowestOccupiedAddress(0));
            assertEquals(OptionalLong.of(bottom + GIB), manager.lowestOccupiedAddress(1));
            assertEquals(OptionalLong.of(bottom), manager.lowestOccupiedAddress(2));
            TtFatalException e = assertThrows(TtFatalException.class, () -> manager.lowestOccupiedAddress(12));
            assertEquals("Expected bank 12 to be tracked!", e.getMessage());
            manager.deallocateBuffer(bottom);
            assertEquals(OptionalLong.of(GIB - 1024), manager.lowestOccupiedAddress(0));
        }
    }

    @Nested
    class StatisticsAndBlocks {

        @Test
        void statisticsFollowAllocations() {
            long size = 64 * 1024;
            BankManager manager = whDram(size);
            assertEquals(new Statistics(size, 0, size, size), manager.getStatistics());
            long a = allocInterleaved(manager, 12 * 1024, 1024, true);
            allocInterleaved(manager, 12 * 2048, 2048, true);
            assertEquals(new Statistics(size, 3072, size - 3072, size - 3072), manager.getStatistics());
            manager.deallocateBuffer(a);
            assertEquals(new Statistics(size, 2048, size - 2048, size - 3072), manager.getStatistics());
        }

        @Test
        void memoryBlockTableIsInMetablockOrderWithAbsoluteAddresses() {
            BankManager manager = whDram(4096);
            assertEquals(32, allocInterleaved(manager, 12 * 1024, 1024, true));
            assertEquals(32 + 3584, allocInterleaved(manager, 12 * 512, 512, false));
            assertEquals(List.of(
                    new MemoryBlock(32, 1024, true),
                    new MemoryBlock(32 + 3584, 512, true),
                    new MemoryBlock(32 + 1024, 2560, false)), manager.getMemoryBlockTable(0));
        }

        @Test
        void invalidAllocatorIdIsFatal() {
            BankManager manager = whDram(4096);
            TtFatalException e = assertThrows(TtFatalException.class,
                    () -> manager.allocateBuffer(1024, 1024, true, NO_CORES, OptionalInt.empty(), 1));
            assertEquals("Invalid allocator ID 1 (num_allocators=1)", e.getMessage());
            assertThrows(TtFatalException.class, () -> manager.getStatistics(1));
            assertThrows(TtFatalException.class, () -> manager.deallocateBuffer(32, 1));
        }
    }

    @Nested
    class ShrinkAndReset {

        @Test
        void shrinkMovesTheBottomUpAndResetGivesItBack() {
            BankManager manager = whDram(8192);
            manager.shrinkSize(1024, true, 0);
            assertEquals(8192 - 1024, manager.bankSize());
            assertEquals(32 + 1024, allocInterleaved(manager, 12 * 1024, 1024, true));
            manager.resetSize(0);
            assertEquals(8192, manager.bankSize());
            assertEquals(32, allocInterleaved(manager, 12 * 1024, 1024, true));
        }

        @Test
        void shrinkFromTheTopOrIntoAnAllocationIsFatal() {
            BankManager manager = whDram(8192);
            TtFatalException top = assertThrows(TtFatalException.class, () -> manager.shrinkSize(1024, false, 0));
            assertEquals("Shrinking from the top is currently not supported", top.getMessage());
            allocInterleaved(manager, 12 * 1024, 1024, true);
            Snapshot before = Snapshot.of(manager);
            assertThrows(TtFatalException.class, () -> manager.shrinkSize(1024, true, 0));
            assertEquals(before, Snapshot.of(manager));
        }

        @Test
        void dependenciesMakeShrinkAndResetFatal() {
            BankManager manager = new BankManager(BufferType.DRAM, List.of(0L), 8192, WH_DRAM_ALIGN, 0, false,
                    AllocatorDependencies.fromMap(Map.of(0, List.of(1))), WH_DRAM_ALIGN);
            for (int id = 0; id < 2; id++) {
                final int allocatorId = id;
                assertEquals("Expected single allocator!", assertThrows(TtFatalException.class,
                        () -> manager.shrinkSize(1024, true, allocatorId)).getMessage());
                assertEquals("Expected single allocator!", assertThrows(TtFatalException.class,
                        () -> manager.resetSize(allocatorId)).getMessage());
            }
        }
    }

    @Nested
    class HighWaterMark {

        @Test
        void tracksBottomUpEndsPlusTheBankOffsetSpreadWhileOn() {
            BankManager manager = whDram(GIB - 32);
            assertEquals(0, manager.getHighWaterMark());
            allocInterleaved(manager, 12 * 4096, 4096, true);
            assertEquals(0, manager.getHighWaterMark(), "nothing is tracked before begin");
            manager.beginHighWaterMarkTracking();
            long a = allocInterleaved(manager, 12 * 1024, 1024, true);
            assertEquals(32 + 4096, a);
            // address + size per bank + (max bank offset - min bank offset)
            assertEquals(a + 1024 + GIB, manager.getHighWaterMark());
            allocInterleaved(manager, 12 * 1024, 1024, false);
            assertEquals(a + 1024 + GIB, manager.getHighWaterMark(), "top-down allocations are not tracked");
            assertEquals(a + 1024 + GIB, manager.endHighWaterMarkTracking());
            allocInterleaved(manager, 12 * 8192, 8192, true);
            assertEquals(a + 1024 + GIB, manager.getHighWaterMark(), "nothing is tracked after end");
            manager.beginHighWaterMarkTracking();
            assertEquals(0, manager.getHighWaterMark(), "begin restarts from 0");
        }

        @Test
        void usesTheUnroundedSizePerBank() {
            BankManager manager = whL1(WH_L1_BASE);
            manager.beginHighWaterMarkTracking();
            allocSharded(manager, 16, 16, true, 1);
            assertEquals(WH_L1_BASE + 16, manager.endHighWaterMarkTracking());
        }

        @Test
        void aFreeDoesNotLowerTheMark() {
            BankManager manager = new BankManager(BufferType.DRAM, List.of(0L, 0L), 8192, WH_DRAM_ALIGN, 0, false,
                    AllocatorDependencies.SINGLE, WH_DRAM_ALIGN);
            manager.beginHighWaterMarkTracking();
            long a = manager.allocateBuffer(2 * 1024, 1024, true, NO_CORES, OptionalInt.empty());
            manager.deallocateBuffer(a);
            manager.allocateBuffer(2 * 512, 512, true, NO_CORES, OptionalInt.empty());
            assertEquals(1024, manager.getHighWaterMark());
        }
    }

    @ParameterizedTest
    @EnumSource(value = BufferType.class, names = {"DRAM", "L1", "L1_SMALL", "TRACE"})
    void bufferTypeIsKept(BufferType type) {
        assertEquals(type, new BankManager(type, zeroOffsets(4), 4096, 4096, L1_ALIGN, 0, false,
                AllocatorDependencies.SINGLE, WH_DRAM_ALIGN).bufferType());
    }

    // ---- Mutation-testing review: constructor and argument checks, high-water mark, ranges ----

    @Test
    void constructorRejectsEachBadArgumentByName() {
        List<Long> two = List.of(0L, 0L);
        AllocatorDependencies single = AllocatorDependencies.SINGLE;
        assertEquals("bank size -1 must not be negative", assertThrows(IllegalArgumentException.class,
                () -> new BankManager(BufferType.DRAM, two, -1, 32, 0, false, single, 32)).getMessage());
        assertEquals("interleaved address limit -1 must not be negative", assertThrows(IllegalArgumentException.class,
                () -> new BankManager(BufferType.L1, Map.of(0, 0L), 4096, -1, 16, 0, false, single, 32)).getMessage());
        assertEquals("alignment 0 must be positive", assertThrows(IllegalArgumentException.class,
                () -> new BankManager(BufferType.DRAM, two, 4096, 0, 0, false, single, 32)).getMessage());
        assertEquals("DRAM alignment 48 must be a positive power of two", assertThrows(IllegalArgumentException.class,
                () -> new BankManager(BufferType.DRAM, two, 4096, 32, 0, false, single, 48)).getMessage());
        assertEquals("allocation offset -32 must not be negative", assertThrows(IllegalArgumentException.class,
                () -> new BankManager(BufferType.DRAM, two, 4096, 32, -32, false, single, 32)).getMessage());
        // The smallest legal values are accepted.
        BankManager minimal = new BankManager(BufferType.L1, Map.of(0, 0L), 0, 0, 1, 0, false, single, 1);
        assertEquals(0, minimal.bankSize());
    }

    @Test
    void allocateBufferRejectsNegativeSizesByNameAndAcceptsZero() {
        BankManager manager = whDram(64 * 1024);
        assertEquals("size -64 must not be negative", assertThrows(IllegalArgumentException.class,
                () -> manager.allocateBuffer(-64, 32, true, NO_CORES, OptionalInt.empty())).getMessage());
        assertEquals("page size -32 must not be negative", assertThrows(IllegalArgumentException.class,
                () -> manager.allocateBuffer(64, -32, true, NO_CORES, OptionalInt.empty())).getMessage());
        assertEquals(List.of(), manager.allocatedAddresses(0));
        // Zero bytes per bank still take the free list's minimum allocation (the DRAM alignment).
        assertEquals(WH_DRAM_ALIGN, manager.allocateBuffer(0, 0, true, NO_CORES, OptionalInt.empty()));
        assertEquals(WH_DRAM_ALIGN, manager.getStatistics().totalAllocatedBytes());
    }

    @Test
    void highWaterMarkAddsTheBankOffsetSpreadOnBothPaths() {
        // Offsets 1024 and 3072: the spread is 2048 (max - min), not their sum.
        Map<Integer, Long> offsets = Map.of(0, 1024L, 1, 3072L);
        BankManager single = new BankManager(BufferType.DRAM, offsets, 64 * 1024, 0, 32, 32, false,
                AllocatorDependencies.SINGLE, 32);
        single.beginHighWaterMarkTracking();
        long a = single.allocateBuffer(2 * 2048, 2048, true, NO_CORES, OptionalInt.empty());
        assertEquals(a + 2048 + 2048, single.endHighWaterMarkTracking());

        BankManager overlapped = new BankManager(BufferType.DRAM, offsets, 64 * 1024, 0, 32, 32, false,
                AllocatorDependencies.fromMap(Map.of(0, List.of(1))), 32);
        overlapped.beginHighWaterMarkTracking();
        long b = overlapped.allocateBuffer(2 * 2048, 2048, true, NO_CORES, OptionalInt.empty(), 1);
        assertEquals(b + 2048 + 2048, overlapped.getHighWaterMark());
        long c = overlapped.allocateBuffer(2 * 2048, 2048, true, NO_CORES, OptionalInt.empty(), 0);
        assertEquals(b + 2048, c);
        assertEquals(c + 2048 + 2048, overlapped.endHighWaterMarkTracking());
        assertEquals(List.of(new io.github.meshalloc.allocator.algorithms.AddressRange(c, c + 2048)),
                overlapped.allocatedRanges(0));
        assertEquals(2048, overlapped.allocatedRanges(0).get(0).size());
    }
}
