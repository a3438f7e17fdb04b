package io.github.meshalloc.allocator.algorithms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.allocator.OutOfMemoryException;
import io.github.meshalloc.allocator.TtFatalException;
import io.github.meshalloc.allocator.algorithms.FreeListOpt.MetaBlock;
import io.github.meshalloc.allocator.algorithms.FreeListOpt.SearchPolicy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Unit tests of {@link FreeListOpt} against reference section 6; expected addresses are worked out by
 * hand from the reference (the traces are in the comments). "Quirk n" refers to the checklist of
 * reference 6.12.
 */
class FreeListOptTest {

    private static final long KIB = 1024;
    private static final long MIB = 1024 * KIB;
    private static final long GIB = 1024 * MIB;

    /** 64 KiB arena, 1 KiB minimum and alignment: 64 KiB / 1 KiB = 64, bitlen 7, so 7 size classes. */
    private static FreeListOpt kib64(SearchPolicy policy) {
        return new FreeListOpt(64 * KIB, 0, KIB, KIB, policy);
    }

    /**
     * A 64 KiB arena with wedges at 3K, 5K and 8K (1 KiB each). Free blocks, with their metablocks:
     * A = [0, 3K) slot 1 (class 1), B = [4K, 5K) slot 3 (class 0), C = [6K, 8K) slot 5 (class 1),
     * D = [9K, 64K) slot 6 (55 KiB, class 5).
     */
    private static FreeListOpt holes(SearchPolicy policy) {
        FreeListOpt allocator = kib64(policy);
        assertEquals(OptionalLong.of(3 * KIB), allocator.allocateAtAddress(3 * KIB, KIB));
        assertEquals(OptionalLong.of(5 * KIB), allocator.allocateAtAddress(5 * KIB, KIB));
        assertEquals(OptionalLong.of(8 * KIB), allocator.allocateAtAddress(8 * KIB, KIB));
        return allocator;
    }

    private static MetaBlock row(int id, long address, long size, int prev, int next, boolean allocated) {
        return new MetaBlock(id, address, size, prev, next, allocated);
    }

    @Nested
    class Construction {

        @Test
        void sizeClassCountIsClampedBitLengthOfArenaOverBase() {
            // Reference 2.6: clamp(bitlen(max / 1024), 2, 18).
            assertEquals(18, FreeListOpt.sizeClassCountFor(GIB));
            assertEquals(18, FreeListOpt.sizeClassCountFor(128 * MIB));
            assertEquals(17, FreeListOpt.sizeClassCountFor(64 * MIB));
            assertEquals(11, FreeListOpt.sizeClassCountFor(1398720)); // WH L1 bank: bitlen(1365) = 11
            assertEquals(3, FreeListOpt.sizeClassCountFor(4 * KIB));
            assertEquals(2, FreeListOpt.sizeClassCountFor(KIB));
            assertEquals(2, FreeListOpt.sizeClassCountFor(0));
            assertEquals(18, FreeListOpt.sizeClassCountFor(1L << 50));
            assertEquals(18, new FreeListOpt(GIB, 0, KIB, KIB).sizeClassCount());
        }

        @Test
        void sizeClassIsIntegerLog2OfSizeOverBaseCappedAtLastClass() {
            FreeListOpt gib = new FreeListOpt(GIB, 0, KIB, KIB);
            assertEquals(0, gib.sizeClassOf(0));
            assertEquals(0, gib.sizeClassOf(1023));
            assertEquals(0, gib.sizeClassOf(2047));
            assertEquals(1, gib.sizeClassOf(2048));
            assertEquals(1, gib.sizeClassOf(4095));
            assertEquals(2, gib.sizeClassOf(4096));
            assertEquals(17, gib.sizeClassOf(128 * MIB));
            assertEquals(17, gib.sizeClassOf(1L << 40));
            FreeListOpt small = new FreeListOpt(4 * KIB, 0, KIB, KIB);
            assertEquals(2, small.sizeClassOf(4 * KIB));
            assertEquals(2, small.sizeClassOf(GIB));
        }

        @Test
        void defaultPolicyIsBestAndAccessorsReportTheArguments() {
            FreeListOpt allocator = new FreeListOpt(GIB, 2 * KIB, 32, 64);
            assertEquals(SearchPolicy.BEST, allocator.searchPolicy());
            assertEquals(GIB, allocator.maxSizeBytes());
            assertEquals(2 * KIB, allocator.offsetBytes());
            assertEquals(32, allocator.minAllocationSizeBytes());
            assertEquals(64, allocator.alignmentBytes());
            assertEquals(0, allocator.shrinkSizeBytes());
            assertEquals(OptionalLong.empty(), allocator.lowestOccupiedAddress());
            assertEquals(0, SearchPolicy.FIRST.ordinal());
            assertEquals(1, SearchPolicy.BEST.ordinal());
        }

        @Test
        void badConstructorArgumentsAreRejectedNamingTheValue() {
            assertMessage(() -> new FreeListOpt(-1, 0, 32, 32), "maxSizeBytes must be >= 0, got -1");
            assertMessage(() -> new FreeListOpt(KIB, -32, 32, 32), "offsetBytes must be >= 0, got -32");
            assertMessage(() -> new FreeListOpt(KIB, 0, -1, 32), "minAllocationSize must be >= 0, got -1");
            assertMessage(() -> new FreeListOpt(KIB, 0, 32, 0), "alignment must be > 0, got 0");
            assertMessage(() -> new FreeListOpt(KIB, 0, 32, -32), "alignment must be > 0, got -32");
            // An offset off the alignment is only a debug assertion in tt-metal; release builds accept it.
            assertEquals(48, new FreeListOpt(KIB, 48, 32, 32).allocate(32).getAsLong());
            assertMessage(() -> new FreeListOpt(Long.MAX_VALUE, 32, 32, 32),
                    "offsetBytes 32 + maxSizeBytes 9223372036854775807 must not exceed Long.MAX_VALUE");
            assertMessage(() -> new FreeListOpt(KIB, 0, 32, 32, null), "policy must be FIRST or BEST, got null");
        }

        @Test
        void negativeSizesAreRejected() {
            FreeListOpt allocator = kib64(SearchPolicy.FIRST);
            assertMessage(() -> allocator.allocate(-1), "sizeBytes must be >= 0, got -1");
            assertMessage(() -> allocator.allocateAtAddress(0, -1), "sizeBytes must be >= 0, got -1");
            assertMessage(() -> allocator.availableAddresses(-1), "sizeBytes must be >= 0, got -1");
            assertMessage(() -> allocator.shrinkSize(-1, true), "shrinkSizeBytes must be >= 0, got -1");
        }

        private void assertMessage(Runnable call, String message) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class, call::run);
            assertEquals(message, error.getMessage());
        }
    }

    @Nested
    class Allocate {

        @Test
        void requestIsRoundedUpToMinimumThenAlignment() {
            // Quirk 2: req = align(max(size, min)); addresses are offset + multiples of the alignment.
            FreeListOpt allocator = new FreeListOpt(64 * KIB, 0, 32, 32);
            assertEquals(OptionalLong.of(0), allocator.allocate(1));
            assertEquals(OptionalLong.of(32), allocator.allocate(1));
            assertEquals(OptionalLong.of(64), allocator.allocate(33));
            assertEquals(OptionalLong.of(128), allocator.allocate(1));
            assertEquals(OptionalLong.of(64), allocator.getAllocationSize(64));
        }

        @Test
        void alignmentNeedNotBeAPowerOfTwo() {
            FreeListOpt allocator = new FreeListOpt(10_000, 0, 1, 48);
            assertEquals(OptionalLong.of(0), allocator.allocate(50)); // 96 bytes
            assertEquals(OptionalLong.of(96), allocator.allocate(1)); // 48 bytes
            assertEquals(OptionalLong.of(144), allocator.allocate(1));
            assertEquals(OptionalLong.of(96), allocator.getAllocationSize(0));
        }

        @Test
        void offsetIsAddedToEveryReturnedAddress() {
            FreeListOpt allocator = new FreeListOpt(MIB, 4096, 32, 32);
            assertEquals(OptionalLong.of(4096), allocator.allocate(100));
            assertEquals(OptionalLong.of(4096 + MIB - 128), allocator.allocate(100, false));
            assertEquals(OptionalLong.of(4096), allocator.lowestOccupiedAddress());
        }

        @Test
        void topDownIsMisalignedWhenTheArenaSizeIsNotAMultipleOfTheAlignment() {
            // Inferred from the C++ placement "offset in block = block size - request": nothing rounds the
            // top of the arena down. 2049 B arena, 16 B alignment: top-down 16 B lands at 2033.
            FreeListOpt allocator = new FreeListOpt(2049, 0, 1, 16);
            assertEquals(OptionalLong.of(2033), allocator.allocate(1, false));
            assertEquals(OptionalLong.of(0), allocator.allocate(1, true));
        }

        @Test
        void l1MinimumAllocationIsTheDramAlignment() {
            // Quirk 1: the BankManager builds every free list with min = alignment = DRAM alignment
            // (32 on Wormhole), so a 16 B L1 request takes 32 B. Wormhole L1 manager: offset 100416,
            // size 1398720, 11 classes; top-down from 100416 + 1398720 = 1499136.
            FreeListOpt l1 = new FreeListOpt(1398720, 100416, 32, 32, SearchPolicy.FIRST);
            assertEquals(11, l1.sizeClassCount());
            assertEquals(OptionalLong.of(1499104), l1.allocate(16, false));
            assertEquals(OptionalLong.of(1499072), l1.allocate(16, false));
            assertEquals(64, l1.getStatistics().totalAllocatedBytes());
        }

        @Test
        void topDownPlacesTheBlockAtTheEndOfTheChosenFreeBlock() {
            // Quirk 3. Wedge at 8K: free [0, 8K) slot 1 and [9K, 64K) slot 2.
            FreeListOpt allocator = kib64(SearchPolicy.FIRST);
            allocator.allocateAtAddress(8 * KIB, KIB);
            assertEquals(OptionalLong.of(63 * KIB), allocator.allocate(KIB, false));
            assertEquals(OptionalLong.of(0), allocator.allocate(KIB, true));
            // Top-down split leaves the free left part in a new slot (3) below the allocated block (slot 2).
            assertEquals(List.of(
                    row(0, 8 * KIB, KIB, 4, 3, true),
                    row(1, 0, KIB, -1, 4, true),
                    row(2, 63 * KIB, KIB, 3, -1, true),
                    row(3, 9 * KIB, 54 * KIB, 0, 2, false),
                    row(4, KIB, 7 * KIB, 1, 0, false)), allocator.getMetaBlockTable());
        }

        @Test
        void firstPolicyTakesTheLowestOrHighestFitAcrossAllEligibleClasses() {
            // Quirk 4 (FIRST). Free: A [0,3K) cl.1, B [4K,5K) cl.0, C [6K,8K) cl.1, D [9K,64K) cl.5.
            assertEquals(OptionalLong.of(0), holes(SearchPolicy.FIRST).allocate(KIB, true));
            assertEquals(OptionalLong.of(63 * KIB), holes(SearchPolicy.FIRST).allocate(KIB, false));
            assertEquals(OptionalLong.of(0), holes(SearchPolicy.FIRST).allocate(2 * KIB, true));
            assertEquals(OptionalLong.of(62 * KIB), holes(SearchPolicy.FIRST).allocate(2 * KIB, false));
            assertEquals(OptionalLong.of(9 * KIB), holes(SearchPolicy.FIRST).allocate(4 * KIB, true));
            assertEquals(OptionalLong.of(60 * KIB), holes(SearchPolicy.FIRST).allocate(4 * KIB, false));
        }

        @Test
        void bestPolicyTakesTheFirstFitOfTheLowestClassWithAFit() {
            // Quirk 4 (BEST = segregated first fit). 1 KiB: class 0 holds B -> 4K both ways.
            assertEquals(OptionalLong.of(4 * KIB), holes(SearchPolicy.BEST).allocate(KIB, true));
            assertEquals(OptionalLong.of(4 * KIB), holes(SearchPolicy.BEST).allocate(KIB, false));
            // 2 KiB: class 1 in address order is A (3K) then C (exactly 2K). Bottom-up meets A first and
            // stops there although C fits exactly: not best fit. Top-down meets C first.
            assertEquals(OptionalLong.of(0), holes(SearchPolicy.BEST).allocate(2 * KIB, true));
            assertEquals(OptionalLong.of(6 * KIB), holes(SearchPolicy.BEST).allocate(2 * KIB, false));
            // 4 KiB: classes 2 to 4 are empty, class 5 holds D.
            assertEquals(OptionalLong.of(9 * KIB), holes(SearchPolicy.BEST).allocate(4 * KIB, true));
            assertEquals(OptionalLong.of(60 * KIB), holes(SearchPolicy.BEST).allocate(4 * KIB, false));
        }

        @Test
        void outOfMemoryReturnsEmptyAndChangesNothing() {
            FreeListOpt allocator = holes(SearchPolicy.FIRST);
            List<MetaBlock> before = allocator.getMetaBlockTable();
            assertEquals(OptionalLong.empty(), allocator.allocate(56 * KIB)); // D holds only 55 KiB
            assertEquals(OptionalLong.empty(), allocator.allocate(55 * KIB + 1, false));
            assertEquals(before, allocator.getMetaBlockTable());
            assertEquals(OptionalLong.of(9 * KIB), allocator.allocate(55 * KIB));
        }

        @Test
        void classListsStayInAscendingAddressOrderBeyondTheLinearInsertLimit() {
            // 40 one-KiB holes in class 0, freed in a shuffled order: more than 30 entries, so later
            // inserts take the binary-search path; the list must still be sorted by address.
            FreeListOpt allocator = new FreeListOpt(GIB, 0, KIB, KIB, SearchPolicy.FIRST);
            List<Long> holes = new ArrayList<>();
            for (int i = 0; i < 80; i++) {
                long address = allocator.allocate(KIB).getAsLong();
                if (i % 2 == 0) {
                    holes.add(address);
                }
            }
            Collections.shuffle(holes, new Random(7));
            holes.forEach(allocator::deallocate);
            List<Integer> classZero = allocator.segregatedFreeBlocks().get(0);
            assertEquals(40, classZero.size());
            List<MetaBlock> table = allocator.getMetaBlockTable();
            long previous = -1;
            for (int slot : classZero) {
                long address = table.stream().filter(r -> r.blockId() == slot).findFirst().orElseThrow().address();
                assertTrue(address > previous, "class list out of order at slot " + slot);
                previous = address;
            }
            // FIRST bottom-up takes the lowest hole.
            assertEquals(OptionalLong.of(0), allocator.allocate(KIB));
        }
    }

    @Nested
    class AllocateAtAddress {

        @Test
        void doesNotCheckAlignment() {
            // Quirk 6: a misaligned start is accepted and split there; there is no address limit either.
            FreeListOpt allocator = new FreeListOpt(64 * KIB, 0, 32, 32);
            assertEquals(OptionalLong.of(100), allocator.allocateAtAddress(100, 32));
            assertEquals(List.of(
                    row(0, 100, 32, 1, 2, true),
                    row(1, 0, 100, -1, 0, false),
                    row(2, 132, 64 * KIB - 132, 0, -1, false)), allocator.getMetaBlockTable());
            assertEquals(OptionalLong.of(100), allocator.lowestOccupiedAddress());
        }

        @Test
        void failsOnAnyOverlapOrOverrun() {
            // Quirk 6.
            FreeListOpt allocator = kib64(SearchPolicy.BEST);
            assertEquals(OptionalLong.of(0), allocator.allocate(2 * KIB));
            assertEquals(OptionalLong.empty(), allocator.allocateAtAddress(KIB, KIB)); // inside allocated
            assertEquals(OptionalLong.empty(), allocator.allocateAtAddress(KIB, 2 * KIB)); // straddles
            assertEquals(OptionalLong.empty(), allocator.allocateAtAddress(63 * KIB, 2 * KIB)); // past the end
            assertEquals(OptionalLong.empty(), allocator.allocateAtAddress(64 * KIB, KIB)); // beyond
            assertEquals(OptionalLong.of(2 * KIB), allocator.allocateAtAddress(2 * KIB, KIB));
            assertEquals(List.of(new AddressRange(0, 2 * KIB), new AddressRange(2 * KIB, 3 * KIB)),
                    allocator.allocatedAddresses());
        }

        @Test
        void startBelowTheOffsetWrapsAndFails() {
            FreeListOpt allocator = new FreeListOpt(64 * KIB, 4 * KIB, KIB, KIB);
            assertEquals(OptionalLong.empty(), allocator.allocateAtAddress(0, KIB));
            assertEquals(OptionalLong.empty(), allocator.allocateAtAddress(2 * KIB, KIB));
            assertEquals(OptionalLong.of(4 * KIB), allocator.allocateAtAddress(4 * KIB, KIB));
        }
    }

    @Nested
    class Deallocate {

        @Test
        void unknownDoubleAndInteriorAddressesAreIgnored() {
            // Quirk 5.
            FreeListOpt allocator = kib64(SearchPolicy.FIRST);
            assertEquals(OptionalLong.of(0), allocator.allocate(2 * KIB));
            assertEquals(OptionalLong.of(2 * KIB), allocator.allocate(KIB));
            List<MetaBlock> before = allocator.getMetaBlockTable();
            allocator.deallocate(KIB); // interior
            allocator.deallocate(5 * KIB); // free space
            allocator.deallocate(100 * KIB); // outside
            allocator.deallocate(-1);
            assertEquals(before, allocator.getMetaBlockTable());

            allocator.deallocate(0);
            List<MetaBlock> afterFree = allocator.getMetaBlockTable();
            allocator.deallocate(0); // double free
            assertEquals(afterFree, allocator.getMetaBlockTable());
        }

        @Test
        void doubleMergeRetiresTheFreedSlotThenTheUpperOneAndReusesLifo() {
            // Quirk 9 and reference 6.4/6.6. a, b, c, d = 1 KiB each at 0..3K in slots 0..3; slot 4 is the
            // rest. Free b (no merge), c (merges into b: slot 2 retired), d (merges into b: slot 3
            // retired, then with the rest: slot 4 retired). Reuse stack: [2, 3, 4].
            FreeListOpt allocator = new FreeListOpt(GIB, 0, KIB, KIB);
            for (long expected = 0; expected < 4 * KIB; expected += KIB) {
                assertEquals(OptionalLong.of(expected), allocator.allocate(KIB));
            }
            allocator.deallocate(KIB);
            allocator.deallocate(2 * KIB);
            allocator.deallocate(3 * KIB);
            assertEquals(List.of(2, 3, 4), allocator.freeMetaBlockSlots());
            assertEquals(List.of(row(0, 0, KIB, -1, 1, true), row(1, KIB, GIB - KIB, 0, -1, false)),
                    allocator.getMetaBlockTable());

            // Top-down: the left remainder [1K, 1G-1K) takes slot 4 (last retired), slot 1 moves to the top.
            assertEquals(OptionalLong.of(GIB - KIB), allocator.allocate(KIB, false));
            // At 4K inside slot 4: left remainder [1K, 4K) takes slot 3, right remainder slot 2.
            assertEquals(OptionalLong.of(4 * KIB), allocator.allocateAtAddress(4 * KIB, KIB));
            assertEquals(List.of(), allocator.freeMetaBlockSlots());
            assertEquals(List.of(
                    row(0, 0, KIB, -1, 3, true),
                    row(1, GIB - KIB, KIB, 2, -1, true),
                    row(2, 5 * KIB, GIB - 6 * KIB, 4, 1, false),
                    row(3, KIB, 3 * KIB, 0, 4, false),
                    row(4, 4 * KIB, KIB, 3, 2, true)), allocator.getMetaBlockTable());
            // Hence allocated_addresses is in slot order, not address order.
            assertEquals(List.of(
                    new AddressRange(0, KIB),
                    new AddressRange(GIB - KIB, GIB),
                    new AddressRange(4 * KIB, 5 * KIB)), allocator.allocatedAddresses());
        }

        @Test
        void freeingEverythingLeavesOneFreeBlock() {
            FreeListOpt allocator = holes(SearchPolicy.FIRST);
            allocator.deallocate(5 * KIB);
            allocator.deallocate(3 * KIB);
            allocator.deallocate(8 * KIB);
            assertEquals(List.of(new AddressRange(0, 64 * KIB)), allocator.availableAddresses(KIB));
            assertEquals(1, allocator.getMetaBlockTable().size());
            assertEquals(new Statistics(64 * KIB, 0, 64 * KIB, 64 * KIB), allocator.getStatistics());
        }
    }

    @Nested
    class LowestOccupied {

        @Test
        void clearKeepsAStaleLowestOccupiedAddress() {
            // Quirk 8: clear() does not reset it; the next allocation takes min(stale, new); a free above
            // the stale value does not recompute it.
            FreeListOpt allocator = kib64(SearchPolicy.FIRST);
            assertEquals(OptionalLong.of(0), allocator.allocate(KIB));
            allocator.clear();
            assertEquals(OptionalLong.of(0), allocator.lowestOccupiedAddress());
            assertEquals(OptionalLong.of(63 * KIB), allocator.allocate(KIB, false));
            assertEquals(OptionalLong.of(0), allocator.lowestOccupiedAddress());
            allocator.deallocate(63 * KIB);
            assertEquals(OptionalLong.of(0), allocator.lowestOccupiedAddress());
            assertTrue(allocator.allocatedAddresses().isEmpty());
        }

        @Test
        void deallocateRecomputesOnlyAtOrBelowTheLowest() {
            // Quirk 10.
            FreeListOpt allocator = kib64(SearchPolicy.FIRST);
            allocator.allocate(KIB); // 0
            allocator.allocate(KIB); // 1K
            allocator.allocate(KIB); // 2K
            allocator.deallocate(KIB);
            assertEquals(OptionalLong.of(0), allocator.lowestOccupiedAddress());
            allocator.deallocate(0); // merged [0, 2K); its successor 2K is allocated
            assertEquals(OptionalLong.of(2 * KIB), allocator.lowestOccupiedAddress());
        }

        @Test
        void recomputationOnlyWalksUpwardsFromTheMergedBlock() {
            // Quirks 7 + 10: a block leaked by an address-limit violation at relative 0 is below the
            // freed block, so the upward walk misses it and the lowest becomes empty.
            FreeListOpt allocator = new FreeListOpt(64 * KIB, 4 * KIB, KIB, KIB, SearchPolicy.FIRST);
            assertThrows(AddressLimitViolationException.class, () -> allocator.allocate(KIB, true, 5 * KIB));
            assertEquals(OptionalLong.empty(), allocator.lowestOccupiedAddress());
            assertEquals(OptionalLong.of(5 * KIB), allocator.allocate(KIB));
            assertEquals(OptionalLong.of(5 * KIB), allocator.lowestOccupiedAddress());
            allocator.deallocate(5 * KIB);
            assertEquals(OptionalLong.empty(), allocator.lowestOccupiedAddress());
            assertEquals(List.of(new AddressRange(4 * KIB, 5 * KIB)), allocator.allocatedAddresses());
        }

        @Test
        void freeingWhileTheLowestIsEmptyComparesWithItsLastValue() {
            // Inferred (see FreeListOpt.deallocate): with the lowest empty the C++ reads the optional's
            // leftover payload, here 2K. Two leaked blocks at 0 and 1K; freeing 0 (<= 2K) recomputes
            // and finds the leaked block at 1K.
            FreeListOpt allocator = kib64(SearchPolicy.FIRST);
            allocator.allocateAtAddress(2 * KIB, KIB);
            allocator.deallocate(2 * KIB);
            assertEquals(OptionalLong.empty(), allocator.lowestOccupiedAddress());
            assertThrows(AddressLimitViolationException.class, () -> allocator.allocate(KIB, true, 10 * KIB));
            assertThrows(AddressLimitViolationException.class, () -> allocator.allocate(KIB, true, 10 * KIB));
            assertEquals(OptionalLong.empty(), allocator.lowestOccupiedAddress());
            allocator.deallocate(0);
            assertEquals(OptionalLong.of(KIB), allocator.lowestOccupiedAddress());
        }
    }

    @Nested
    class AddressLimit {

        @Test
        void violationThrowsAfterCarvingAndLeaksUntilClear() {
            // Quirk 7, with the mid-2025 L1 mock's limit = offset + 32 scaled down.
            FreeListOpt allocator = new FreeListOpt(64 * KIB, 4096, 32, 32, SearchPolicy.FIRST);
            AddressLimitViolationException error = assertThrows(AddressLimitViolationException.class,
                    () -> allocator.allocate(32, true, 4128));
            assertEquals("Out of Memory: Cannot allocate at an address below 4128. Allocation at 4096",
                    error.getMessage());
            assertEquals(4128, error.addressLimit());
            assertEquals(4096, error.address());
            assertTrue(error instanceof OutOfMemoryException);

            assertEquals(List.of(new AddressRange(4096, 4128)), allocator.allocatedAddresses());
            assertEquals(OptionalLong.empty(), allocator.lowestOccupiedAddress());
            assertEquals(32, allocator.getStatistics().totalAllocatedBytes());
            assertEquals(OptionalLong.of(32), allocator.getAllocationSize(4096));

            assertEquals(OptionalLong.of(4128), allocator.allocate(32, true, 4128));
            assertEquals(OptionalLong.of(4128), allocator.lowestOccupiedAddress());

            allocator.clear();
            assertTrue(allocator.allocatedAddresses().isEmpty());
            assertEquals(OptionalLong.of(4128), allocator.lowestOccupiedAddress());
        }

        @Test
        void topDownAboveTheLimitAndZeroLimitDoNotThrow() {
            FreeListOpt allocator = new FreeListOpt(64 * KIB, 4096, 32, 32, SearchPolicy.FIRST);
            assertEquals(OptionalLong.of(4096 + 64 * KIB - 32), allocator.allocate(32, false, 4128));
            assertEquals(OptionalLong.of(4096), allocator.allocate(32, true, 0));
            AddressLimitViolationException error = assertThrows(AddressLimitViolationException.class,
                    () -> allocator.allocate(32, false, 4096 + 64 * KIB));
            assertEquals(4096 + 64 * KIB - 64, error.address());
        }
    }

    @Nested
    class ShrinkAndReset {

        @Test
        void zeroShrinkIsANoOpBeforeAnyCheck() {
            FreeListOpt allocator = kib64(SearchPolicy.FIRST);
            allocator.shrinkSize(0, false);
            assertEquals(64 * KIB, allocator.maxSizeBytes());
        }

        @Test
        void topDownShrinkIsFatal() {
            TtFatalException error = assertThrows(TtFatalException.class,
                    () -> kib64(SearchPolicy.FIRST).shrinkSize(KIB, false));
            assertEquals("Shrinking from the top is currently not supported", error.getMessage());
        }

        @Test
        void shrinkNotStrictlyBelowMaxSizeIsFatal() {
            FreeListOpt allocator = kib64(SearchPolicy.FIRST);
            assertEquals("Shrink size 65536 must be smaller than max size 65536",
                    assertThrows(TtFatalException.class, () -> allocator.shrinkSize(64 * KIB, true)).getMessage());
            assertEquals("Shrink size 65537 must be smaller than max size 65536",
                    assertThrows(TtFatalException.class, () -> allocator.shrinkSize(64 * KIB + 1, true)).getMessage());
        }

        @Test
        void shrinkIntoAnAllocatedBlockIsFatal() {
            // Quirk 11. The reported "shrink size" is the new bottom (accumulated shrink).
            FreeListOpt allocator = kib64(SearchPolicy.FIRST);
            allocator.allocate(KIB);
            assertEquals("Shrink size 1024 cuts into allocated block at address 0",
                    assertThrows(TtFatalException.class, () -> allocator.shrinkSize(KIB, true)).getMessage());

            FreeListOpt shrunk = kib64(SearchPolicy.FIRST);
            shrunk.shrinkSize(2 * KIB, true);
            assertEquals(OptionalLong.of(2 * KIB), shrunk.allocate(KIB));
            assertEquals("Shrink size 3072 cuts into allocated block at address 2048",
                    assertThrows(TtFatalException.class, () -> shrunk.shrinkSize(KIB, true)).getMessage());
        }

        @Test
        void shrinkMovesTheBottomAndResetAddsAFreeBlockBelowAnAllocatedBottom() {
            FreeListOpt allocator = kib64(SearchPolicy.BEST);
            assertEquals(OptionalLong.of(63 * KIB), allocator.allocate(KIB, false)); // slot 0; [0,63K) slot 1
            allocator.shrinkSize(4 * KIB, true); // slot 1 becomes [4K, 63K)
            assertEquals(60 * KIB, allocator.maxSizeBytes());
            assertEquals(4 * KIB, allocator.shrinkSizeBytes());
            assertEquals(List.of(new AddressRange(4 * KIB, 63 * KIB)), allocator.availableAddresses(KIB));
            assertEquals(new Statistics(60 * KIB, KIB, 59 * KIB, 59 * KIB), allocator.getStatistics());
            assertEquals(OptionalLong.empty(), allocator.allocateAtAddress(0, KIB));
            assertEquals(OptionalLong.of(4 * KIB), allocator.allocate(KIB)); // slot 1; rest in slot 2

            allocator.resetSize(); // slot 1 is allocated: new free slot 3 = [0, 4K) below it
            assertEquals(64 * KIB, allocator.maxSizeBytes());
            assertEquals(0, allocator.shrinkSizeBytes());
            assertEquals(List.of(
                    row(0, 63 * KIB, KIB, 2, -1, true),
                    row(1, 4 * KIB, KIB, 3, 2, true),
                    row(2, 5 * KIB, 58 * KIB, 1, 0, false),
                    row(3, 0, 4 * KIB, -1, 1, false)), allocator.getMetaBlockTable());
            assertEquals(OptionalLong.of(0), allocator.allocate(4 * KIB));
        }

        @Test
        void shrinksAccumulateAndResetExtendsAFreeBottomBlock() {
            FreeListOpt allocator = kib64(SearchPolicy.FIRST);
            allocator.shrinkSize(KIB, true);
            allocator.shrinkSize(KIB, true);
            assertEquals(2 * KIB, allocator.shrinkSizeBytes());
            assertEquals(List.of(row(0, 2 * KIB, 62 * KIB, -1, -1, false)), allocator.getMetaBlockTable());
            allocator.resetSize();
            assertEquals(List.of(row(0, 0, 64 * KIB, -1, -1, false)), allocator.getMetaBlockTable());
            allocator.resetSize(); // not shrunk: no-op
            assertEquals(64 * KIB, allocator.maxSizeBytes());
        }

        @Test
        void consumingTheWholeLeadingBlockRetiresItsSlot() {
            FreeListOpt allocator = kib64(SearchPolicy.FIRST);
            allocator.allocate(KIB, false); // slot 0 = [63K, 64K), slot 1 = [0, 63K)
            allocator.shrinkSize(63 * KIB, true);
            assertEquals(List.of(1), allocator.freeMetaBlockSlots());
            assertEquals(List.of(row(0, 63 * KIB, KIB, -1, -1, true)), allocator.getMetaBlockTable());
            allocator.resetSize(); // reuses slot 1 for [0, 63K)
            assertEquals(List.of(row(0, 63 * KIB, KIB, 1, -1, true), row(1, 0, 63 * KIB, -1, 0, false)),
                    allocator.getMetaBlockTable());
        }

        @Test
        void clearWhileShrunkRestoresTheWholeArena() {
            // Reference 6.2: init adds the shrink back.
            FreeListOpt allocator = kib64(SearchPolicy.FIRST);
            allocator.shrinkSize(4 * KIB, true);
            allocator.clear();
            assertEquals(64 * KIB, allocator.maxSizeBytes());
            assertEquals(0, allocator.shrinkSizeBytes());
            assertEquals(OptionalLong.of(0), allocator.allocate(KIB));
        }

        @Test
        void shrinkScansMetablocksInIndexOrderAndStopsAtTheFirstFreeHit() {
            // Quirk 11 / reference 6.10 step 3: an allocated block below the new bottom is missed when a
            // free block containing the new bottom comes first in index order. 16 KiB, 5 classes.
            FreeListOpt allocator = new FreeListOpt(16 * KIB, 0, KIB, KIB);
            // slot 0 = [12K,15K) alloc, slot 1 = [0,12K), slot 2 = [15K,16K)
            assertEquals(OptionalLong.of(12 * KIB), allocator.allocateAtAddress(12 * KIB, 3 * KIB));
            allocator.shrinkSize(KIB, true); // slot 1 = [1K, 12K)
            // slot 1 = [8K,11K) alloc, slot 3 = [1K,8K), slot 4 = [11K,12K)
            assertEquals(OptionalLong.of(8 * KIB), allocator.allocateAtAddress(8 * KIB, 3 * KIB));
            allocator.deallocate(12 * KIB); // slot 4 = [11K,16K); slots 0 then 2 retired
            // slot 3 = [1K,2K) alloc; its right remainder [2K,8K) reuses slot 2
            assertEquals(OptionalLong.of(KIB), allocator.allocateAtAddress(KIB, KIB));
            // New bottom 5K: slot 2 [2K,8K) (free, contains 5K) is met before slot 3 ([1K,2K), allocated,
            // below 5K), so no fatal; slot 2 loses 4K and moves up by 4K: [6K, 8K). [2K, 6K) is lost.
            allocator.shrinkSize(4 * KIB, true);
            assertEquals(5 * KIB, allocator.shrinkSizeBytes());
            assertEquals(11 * KIB, allocator.maxSizeBytes());
            assertEquals(List.of(
                    row(1, 8 * KIB, 3 * KIB, 2, 4, true),
                    row(2, 6 * KIB, 2 * KIB, 3, 1, false),
                    row(3, KIB, KIB, -1, 2, true),
                    row(4, 11 * KIB, 5 * KIB, 1, -1, false)), allocator.getMetaBlockTable());

            // No live block starts at the bottom (5K): reset hits the C++ debug assertion.
            assertEquals("Lowest block not found during reset size",
                    assertThrows(TtFatalException.class, allocator::resetSize).getMessage());

            // Freeing [1K,2K) merges it with slot 2 by link: slot 3 = [1K, 4K) (sizes add up), slot 2 retired.
            allocator.deallocate(KIB);
            // New bottom 6K: slot 1 (allocated at 8K) is fine, slot 3 [1K,4K) and slot 4 [11K,16K) do not
            // contain 6K: "does not align".
            assertEquals("Shrink size 6144 does not align with any block. This must be a bug",
                    assertThrows(TtFatalException.class, () -> allocator.shrinkSize(KIB, true)).getMessage());
        }
    }

    @Nested
    class Queries {

        @Test
        void statisticsCountLiveMetablocksOnly() {
            // Two dead slots with stale sizes exist; the newest version skips them (mid-2025 did not).
            FreeListOpt allocator = kib64(SearchPolicy.FIRST);
            assertEquals(OptionalLong.of(63 * KIB), allocator.allocate(KIB, false));
            assertEquals(OptionalLong.of(0), allocator.allocate(KIB));
            assertEquals(OptionalLong.of(KIB), allocator.allocate(2 * KIB));
            allocator.deallocate(0);
            assertEquals(new Statistics(64 * KIB, 3 * KIB, 61 * KIB, 60 * KIB), allocator.getStatistics());
            allocator.deallocate(KIB);
            assertEquals(2, allocator.freeMetaBlockSlots().size());
            assertEquals(new Statistics(64 * KIB, KIB, 63 * KIB, 63 * KIB), allocator.getStatistics());
            assertTrue(allocator.getStatistics().largestFreeBlockAddrs().isEmpty());
        }

        @Test
        void statisticsReportMaxSizeAsFreeWhenNothingIsAllocated() {
            FreeListOpt allocator = kib64(SearchPolicy.FIRST);
            assertEquals(new Statistics(64 * KIB, 0, 64 * KIB, 64 * KIB), allocator.getStatistics());
            allocator.shrinkSize(4 * KIB, true);
            assertEquals(new Statistics(60 * KIB, 0, 60 * KIB, 60 * KIB), allocator.getStatistics());
        }

        @Test
        void availableAddressesAreGroupedByClassThenAddress() {
            FreeListOpt allocator = holes(SearchPolicy.FIRST);
            assertEquals(List.of(List.of(3), List.of(1, 5), List.of(), List.of(), List.of(), List.of(6), List.of()),
                    allocator.segregatedFreeBlocks());
            assertEquals(List.of(
                    new AddressRange(4 * KIB, 5 * KIB),
                    new AddressRange(0, 3 * KIB),
                    new AddressRange(6 * KIB, 8 * KIB),
                    new AddressRange(9 * KIB, 64 * KIB)), allocator.availableAddresses(KIB));
            // 2049 B rounds to 3 KiB (class 1): C is too small.
            assertEquals(List.of(new AddressRange(0, 3 * KIB), new AddressRange(9 * KIB, 64 * KIB)),
                    allocator.availableAddresses(2049));
            assertEquals(List.of(), allocator.availableAddresses(56 * KIB));
        }

        @Test
        void allocationSizeIsTheRoundedSizeOfTheBlockStartingThere() {
            FreeListOpt allocator = new FreeListOpt(GIB, 2 * KIB, KIB, KIB);
            assertEquals(OptionalLong.of(2 * KIB), allocator.allocate(500));
            assertEquals(OptionalLong.of(2 * KIB + KIB), allocator.allocate(3000));
            assertEquals(OptionalLong.of(KIB), allocator.getAllocationSize(2 * KIB));
            assertEquals(OptionalLong.of(3 * KIB), allocator.getAllocationSize(3 * KIB));
            assertEquals(OptionalLong.empty(), allocator.getAllocationSize(4 * KIB)); // interior
            assertEquals(OptionalLong.empty(), allocator.getAllocationSize(0)); // relative 0 is not absolute 0
            allocator.deallocate(2 * KIB);
            assertEquals(OptionalLong.empty(), allocator.getAllocationSize(2 * KIB));
        }

        @Test
        void memoryBlockTableIsAbsoluteAndMetaBlockTableRelative() {
            FreeListOpt allocator = new FreeListOpt(64 * KIB, 4 * KIB, KIB, KIB);
            allocator.allocate(KIB);
            assertEquals(List.of(new MemoryBlock(4 * KIB, KIB, true), new MemoryBlock(5 * KIB, 63 * KIB, false)),
                    allocator.getMemoryBlockTable());
            assertEquals(List.of(row(0, 0, KIB, -1, 1, true), row(1, KIB, 63 * KIB, 0, -1, false)),
                    allocator.getMetaBlockTable());
        }

        @Test
        void dumpFollowsTheCppLayout() {
            FreeListOpt allocator = new FreeListOpt(4 * KIB, 0, KIB, KIB);
            allocator.allocate(KIB);
            String expected = String.join("\n",
                    "FreeListOpt allocator info:",
                    "segregated free blocks by size:",
                    "  Size class 0: (1024 - 2048) blocks: ",
                    "  Size class 1: (2048 - 4096) blocks: 1 ",
                    "  Size class 2: (4096 - inf) blocks: ",
                    "Free slots in block table: ",
                    "Block table:",
                    "       Block      Address         Size       PrevID       NextID    Allocated ",
                    "           0            0         1024         none            1          yes",
                    "           1         1024         3072            0         none           no",
                    "");
            assertEquals(expected, allocator.dumpBlocks());
        }
    }

    @Nested
    class EdgeArenas {

        @Test
        void zeroSizedArenaHasTwoClassesAndFailsEveryRequest() {
            // Quirk 12 (TRACE with trace_region_size 0).
            FreeListOpt trace = new FreeListOpt(0, 0, 32, 32, SearchPolicy.FIRST);
            assertEquals(2, trace.sizeClassCount());
            assertEquals(OptionalLong.empty(), trace.allocate(1));
            assertEquals(OptionalLong.empty(), trace.allocate(0, false));
            assertEquals(OptionalLong.empty(), trace.allocateAtAddress(0, 32));
            assertEquals(List.of(), trace.availableAddresses(0));
            assertEquals(new Statistics(0, 0, 0, 0), trace.getStatistics());
        }

        @Test
        void zeroMinimumLetsZeroByteRequestsCreateEmptyBlocksFreedLastInFirstOut() {
            // With min 0 a 0-byte request is 0 bytes: an empty allocated block at 0 whose free remainder
            // also starts at 0. Two allocated blocks then share address 0; the allocated table is
            // searched from the back, so a free releases the most recent one.
            FreeListOpt allocator = new FreeListOpt(64 * KIB, 0, 0, KIB);
            assertEquals(OptionalLong.of(0), allocator.allocate(0)); // slot 0 = [0, 0); slot 1 = [0, 64K)
            assertEquals(OptionalLong.of(0), allocator.allocate(KIB)); // slot 1 = [0, 1K); slot 2 = rest
            assertEquals(OptionalLong.of(KIB), allocator.getAllocationSize(0));
            // allocated_addresses lists the empty block too, as the empty range (0, 0), in slot order.
            assertEquals(List.of(new AddressRange(0, 0), new AddressRange(0, KIB)), allocator.allocatedAddresses());
            allocator.deallocate(0); // frees slot 1, merges slot 2 into it; walk up finds nothing
            assertEquals(OptionalLong.empty(), allocator.lowestOccupiedAddress());
            assertEquals(List.of(row(0, 0, 0, -1, 1, true), row(1, 0, 64 * KIB, 0, -1, false)),
                    allocator.getMetaBlockTable());
            assertEquals(OptionalLong.of(0), allocator.getAllocationSize(0));
            allocator.deallocate(0); // frees the empty block, merges slot 1 into slot 0
            assertEquals(List.of(row(0, 0, 64 * KIB, -1, -1, false)), allocator.getMetaBlockTable());
        }
    }

    // ---- Mutation-testing review: table growth, the allocated-block table, clear, arena bounds ----


    @Test
    void anArenaMayEndExactlyAtLongMaxValue() {
        FreeListOpt top = new FreeListOpt(Long.MAX_VALUE - 64, 64, 32, 32, SearchPolicy.FIRST);
        assertEquals(OptionalLong.of(64), top.allocate(1024, true, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new FreeListOpt(Long.MAX_VALUE - 63, 64, 32, 32, SearchPolicy.FIRST));
    }

    @Test
    void freshAndClearedListsAreTrustedAndHaveNoAllocationSizes() {
        FreeListOpt list = new FreeListOpt(64 * 1024, 0, 32, 32, SearchPolicy.FIRST);
        assertTrue(list.freeListsTrustedForTesting());
        assertEquals(OptionalLong.empty(), list.getAllocationSize(0));
        list.allocate(1024, true, 0);
        list.clear();
        assertTrue(list.freeListsTrustedForTesting());
    }

    @Test
    void clearForgetsEveryAllocatedAddress() {
        FreeListOpt list = new FreeListOpt(64 * 1024, 0, 32, 32, SearchPolicy.FIRST);
        FreeListOpt fresh = new FreeListOpt(64 * 1024, 0, 32, 32, SearchPolicy.FIRST);
        long a = list.allocate(1024, true, 0).getAsLong();
        list.allocate(2048, true, 0);
        list.clear();
        // The address allocated before clear() is unknown now: freeing it is a silent no-op (reference 6.6, 6.9).
        list.deallocate(a);
        assertEquals(OptionalLong.empty(), list.getAllocationSize(a));
        assertEquals(fresh.getMetaBlockTable(), list.getMetaBlockTable());
        assertEquals(fresh.segregatedFreeBlocks(), list.segregatedFreeBlocks());
        assertEquals(List.of(), list.freeMetaBlockSlots());
        assertEquals(OptionalLong.of(0), list.allocate(1024, true, 0));
        assertEquals(OptionalLong.of(1024), list.allocate(1024, true, 0));
    }

    /**
     * Relative addresses that are multiples of 2 MiB all hash to bucket 0 ((a ^ (a >> 12) * 3) mod 512) in the
     * C++ table. The model's table is an address-indexed map instead: ten addresses outgrow its first 16 slots
     * (kept at most half full), and freeing the oldest deletes a slot from the middle of the probe runs.
     */
    @Test
    void manyAllocationsInOneHashBucketStayFindable() {
        FreeListOpt list = new FreeListOpt(32 * MIB, 0, 32, 32, SearchPolicy.FIRST);
        List<Long> addresses = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            addresses.add(list.allocate(2 * MIB, true, 0).getAsLong());
        }
        assertEquals(2 * MIB * 9, addresses.get(9));
        list.deallocate(addresses.remove(0)); // the oldest entry of a full bucket
        assertEquals(OptionalLong.empty(), list.getAllocationSize(0));
        for (long address : addresses) {
            assertEquals(OptionalLong.of(2 * MIB), list.getAllocationSize(address));
        }
        assertEquals(OptionalLong.of(0), list.allocate(2 * MIB, true, 0));
        addresses.add(0L);
        addresses.add(list.allocate(2 * MIB, true, 0).getAsLong()); // eleven in bucket 0
        assertEquals(2 * MIB * 10, addresses.get(10));
        for (long address : addresses) {
            assertEquals(OptionalLong.of(2 * MIB), list.getAllocationSize(address));
            list.deallocate(address);
        }
        assertEquals(0, list.getStatistics().totalAllocatedBytes());
        assertEquals(1, list.getMetaBlockTable().size());
    }

    /**
     * clear() empties the allocated-block table on each of its paths: a map that still holds addresses is
     * swept, a map emptied by deallocations is left as it is, and a map past 2^16 slots is dropped. Each
     * time, no old address is known afterwards and the same addresses are handed out and freed again.
     */
    @Test
    void clearForgetsAddressesWhetherTheTableIsSweptKeptOrDropped() {
        FreeListOpt list = new FreeListOpt(64 * MIB, 0, 32, 32, SearchPolicy.FIRST);
        for (int blocks : new int[] {100, 40_000, 100}) {
            for (boolean freeFirst : new boolean[] {false, true}) {
                List<Long> addresses = new ArrayList<>();
                for (int i = 0; i < blocks; i++) {
                    addresses.add(list.allocate(1024, true, 0).getAsLong());
                }
                assertEquals(1024L * (blocks - 1), addresses.get(blocks - 1));
                if (freeFirst) {
                    for (int i = 0; i < blocks; i += 2) {
                        list.deallocate(addresses.get(i));
                        assertEquals(OptionalLong.empty(), list.getAllocationSize(addresses.get(i)));
                    }
                    for (int i = 1; i < blocks; i += 2) {
                        assertEquals(OptionalLong.of(1024), list.getAllocationSize(addresses.get(i)));
                        list.deallocate(addresses.get(i));
                    }
                    assertEquals(0, list.getStatistics().totalAllocatedBytes());
                }
                list.clear();
                for (long address : List.of(addresses.get(0), addresses.get(blocks / 2), addresses.get(blocks - 1))) {
                    assertEquals(OptionalLong.empty(), list.getAllocationSize(address), "after clear: " + address);
                    list.deallocate(address); // unknown now: a silent no-op
                }
                assertEquals(List.of(new MemoryBlock(0, 64 * MIB, false)), list.getMemoryBlockTable());
            }
        }
        // After the dropped table is rebuilt small, two entries at one address still come back last in first out.
        FreeListOpt zero = new FreeListOpt(64 * MIB, 0, 0, 32, SearchPolicy.FIRST);
        for (int i = 0; i < 40_000; i++) {
            zero.allocate(1024, true, 0);
        }
        zero.clear();
        assertEquals(OptionalLong.of(0), zero.allocate(0, true, 0));
        assertEquals(OptionalLong.of(0), zero.allocate(64, true, 0));
        assertEquals(OptionalLong.of(64), zero.getAllocationSize(0));
        zero.deallocate(0);
        assertEquals(OptionalLong.of(0), zero.getAllocationSize(0));
    }

    /**
     * 64 free 1 KiB blocks fill size class 0's storage exactly (it starts at 8 entries and doubles to 64), and
     * freeing their neighbours retires more than 64 metablock slots: both tables grow and the class list loses
     * its first entry while full.
     */
    @Test
    void fullClassListsAndManyRetiredSlotsKeepTheAllocatorConsistent() {
        FreeListOpt list = new FreeListOpt(1024 * 1024, 0, 32, 32, SearchPolicy.FIRST);
        List<Long> blocks = new ArrayList<>();
        for (int i = 0; i < 129; i++) {
            blocks.add(list.allocate(1024, true, 0).getAsLong());
        }
        for (int i = 0; i < 128; i += 2) {
            list.deallocate(blocks.get(i)); // 64 separate free 1 KiB blocks, all in class 0
        }
        assertEquals(64, list.segregatedFreeBlocks().get(0).size());
        assertEquals(OptionalLong.of(0), list.allocate(1024, true, 0)); // takes the first entry of the full list
        assertEquals(63, list.segregatedFreeBlocks().get(0).size());
        list.deallocate(0);
        for (int i = 1; i < 129; i += 2) {
            list.deallocate(blocks.get(i)); // merges with the free neighbours: slots retired
        }
        list.deallocate(blocks.get(128)); // merges with everything below and the free top of the arena
        assertEquals(129, list.freeMetaBlockSlots().size());
        assertEquals(0, list.getStatistics().totalAllocatedBytes());
        assertEquals(List.of(new MemoryBlock(0, 1024 * 1024, false)), list.getMemoryBlockTable());
        assertEquals(OptionalLong.of(0), list.allocate(4096, true, 0));
    }
}
