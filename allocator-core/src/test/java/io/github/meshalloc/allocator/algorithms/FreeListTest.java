package io.github.meshalloc.allocator.algorithms;

import io.github.meshalloc.allocator.OutOfMemoryException;
import io.github.meshalloc.allocator.TtFatalException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Unit tests of every behaviour and quirk of the legacy {@link FreeList} listed in reference
 * section 6.13. Expected values are derived by hand from the rules there (and from
 * {@code free_list.cpp} @0c554498); each test's comments give the derivation.
 *
 * <p>Unless a test says otherwise: arena of 1024 bytes, offset 0, minimum allocation 32, alignment 32.
 */
class FreeListTest {

    private static final long MAX = 1024;
    private static final long MIN = 32;
    private static final long ALIGN = 32;

    private static FreeList first() {
        return first(0);
    }

    private static FreeList first(long offset) {
        return new FreeList(MAX, offset, MIN, ALIGN, FreeList.SearchPolicy.FIRST);
    }

    private static FreeList best() {
        return new FreeList(MAX, 0, MIN, ALIGN, FreeList.SearchPolicy.BEST);
    }

    private static MemoryBlock used(long address, long size) {
        return new MemoryBlock(address, size, true);
    }

    private static MemoryBlock free(long address, long size) {
        return new MemoryBlock(address, size, false);
    }

    private static OptionalLong at(long address) {
        return OptionalLong.of(address);
    }

    private static AddressRange range(long start, long lastStart) {
        return new AddressRange(start, lastStart);
    }

    /** Allocated 32-byte separators at the given addresses, so that free blocks of chosen sizes remain between them. */
    private static void separators(FreeList freeList, long... addresses) {
        for (long address : addresses) {
            assertEquals(at(address), freeList.allocateAtAddress(address, 32));
        }
    }

    @Nested
    class Construction {

        @Test
        void startsAsOneFreeBlockWithNoLowestAddress() {
            FreeList freeList = first(256);
            assertEquals(List.of(free(256, 1024)), freeList.getMemoryBlockTable());
            assertEquals(new Statistics(1024, 0, 1024, 1024, List.of(256L)), freeList.getStatistics());
            assertEquals(OptionalLong.empty(), freeList.lowestOccupiedAddress());
            assertAll(
                    () -> assertEquals(1024, freeList.maxSizeBytes()),
                    () -> assertEquals(256, freeList.offsetBytes()),
                    () -> assertEquals(32, freeList.minAllocationSizeBytes()),
                    () -> assertEquals(32, freeList.alignmentBytes()),
                    () -> assertEquals(0, freeList.shrinkSizeBytes()),
                    () -> assertEquals(FreeList.SearchPolicy.FIRST, freeList.searchPolicy()));
        }

        @Test
        void searchPolicyOrdinalsMatchTheCppValues() {
            // "Policy BEST = 0 / FIRST = 1"
            assertEquals(0, FreeList.SearchPolicy.BEST.ordinal());
            assertEquals(1, FreeList.SearchPolicy.FIRST.ordinal());
        }

        @Test
        void rejectsBadArgumentsNamingTheValue() {
            FreeList.SearchPolicy p = FreeList.SearchPolicy.FIRST;
            assertAll(
                    () -> assertMessage("alignment must be >= 1, was 0",
                            () -> new FreeList(MAX, 0, MIN, 0, p)),
                    () -> assertMessage("maxSizeBytes must be >= 0, was -1",
                            () -> new FreeList(-1, 0, MIN, ALIGN, p)),
                    () -> assertMessage("offsetBytes must be >= 0, was -32",
                            () -> new FreeList(MAX, -32, MIN, ALIGN, p)),
                    () -> assertMessage("minAllocationSize must be >= 0, was -1",
                            () -> new FreeList(MAX, 0, -1, ALIGN, p)),
                    () -> assertMessage("policy must be BEST or FIRST, was null",
                            () -> new FreeList(MAX, 0, MIN, ALIGN, null)),
                    () -> assertTrue(assertThrows(IllegalArgumentException.class,
                            () -> new FreeList(Long.MAX_VALUE, 64, MIN, ALIGN, p)).getMessage()
                            .startsWith("offsetBytes + maxSizeBytes must not exceed")));
        }

        private void assertMessage(String expected, Runnable construction) {
            assertEquals(expected, assertThrows(IllegalArgumentException.class, construction::run).getMessage());
        }

        @Test
        void misalignedOffsetIsAcceptedAsInReleaseBuilds() {
            // The offset % alignment check is a debug-only TT_ASSERT; addresses become offset + multiples of 32.
            FreeList freeList = first(16);
            assertEquals(at(16), freeList.allocate(32));
            assertEquals(at(48), freeList.allocate(32));
        }
    }

    @Nested
    class Allocate {

        @Test
        void requestIsTheMinimumAllocationThenRoundedUpToTheAlignment() {
            // "req(size) = max(size, min_allocation_size) rounded up to a multiple of alignment"
            FreeList freeList = first();
            assertEquals(at(0), freeList.allocate(1));    // 32
            assertEquals(at(32), freeList.allocate(33));  // 64
            assertEquals(at(96), freeList.allocate(64));  // 64
            assertEquals(List.of(used(0, 32), used(32, 64), used(96, 64), free(160, 864)),
                    freeList.getMemoryBlockTable());
        }

        @Test
        void noFittingBlockReturnsEmptyWithoutException() {
            FreeList freeList = first();
            assertEquals(OptionalLong.empty(), freeList.allocate(1025));
            assertEquals(List.of(free(0, 1024)), freeList.getMemoryBlockTable());
        }

        @Test
        void firstFitWalksUpFromTheFreeHeadOrDownFromTheFreeTail() {
            // Free: [0,64) 64, [96,256) 160, [288,512) 224, [544,960) 416, [992,1024) 32.
            FreeList freeList = first();
            separators(freeList, 64, 256, 512, 960);
            // Bottom-up, 128 bytes: [0,64) is too small, [96,256) is the lowest fit; placed at its start.
            assertEquals(at(96), freeList.allocate(100, true));
            // Top-down, 64 bytes: the tail [992,1024) is too small; [544,960) is the highest fit, placed at its end.
            assertEquals(at(960 - 64), freeList.allocate(64, false));
            // Bottom-up, 64 bytes: [0,64) now fits exactly and comes first.
            assertEquals(at(0), freeList.allocate(64, true));
        }

        @Test
        void bestFitTakesTheSmallestFit() {
            // Free: [0,64) 64, [96,256) 160, [288,512) 224, [544,960) 416, [992,1024) 32.
            FreeList bottomUp = best();
            separators(bottomUp, 64, 256, 512, 960);
            // 128 bytes: fits 160, 224, 416; smallest is [96,256), placed at its start.
            assertEquals(at(96), bottomUp.allocate(100, true));

            FreeList topDown = best();
            separators(topDown, 64, 256, 512, 960);
            // Same choice walking down from the tail; placed at the end of [96,256).
            assertEquals(at(256 - 128), topDown.allocate(100, false));
        }

        @Test
        void bestFitTiesGoToTheFirstBlockMetInWalkOrder() {
            // Free: [0,128) 128, [160,288) 128, [320,1024) 704.
            FreeList freeList = best();
            separators(freeList, 128, 288);
            // 64 bytes, top-down: walk 704 (kept), 128 at 160 (smaller, kept), 128 at 0 (tie, not taken).
            assertEquals(at(288 - 64), freeList.allocate(64, false));

            FreeList other = best();
            separators(other, 128, 288);
            // 64 bytes, bottom-up: 128 at 0 kept, 128 at 160 is a tie, 704 larger.
            assertEquals(at(0), other.allocate(64, true));
        }

        @Test
        void bestFitExactSizeEndsTheWalk() {
            // Free: [0,128) 128, [160,288) 128, [320,1024) 704; 128 is an exact fit for both small blocks.
            FreeList bottomUp = best();
            separators(bottomUp, 128, 288);
            assertEquals(at(0), bottomUp.allocate(128, true));
            FreeList topDown = best();
            separators(topDown, 128, 288);
            assertEquals(at(160), topDown.allocate(128, false));
            assertEquals(List.of(free(0, 128), used(128, 32), used(160, 128), used(288, 32), free(320, 704)),
                    topDown.getMemoryBlockTable());
        }

        @Test
        void topDownInAnArenaNotAMultipleOfTheAlignmentIsFlushWithTheEnd() {
            // Inferred from "o = size - r top-down": nothing rounds the arena end, so the address is not aligned.
            FreeList freeList = new FreeList(1000, 0, MIN, ALIGN, FreeList.SearchPolicy.FIRST);
            assertEquals(at(968), freeList.allocate(32, false));
        }
    }

    @Nested
    class CarveCases {

        @Test
        void caseAWholeFreeBlockBecomesAllocated() {
            FreeList freeList = first();
            assertEquals(at(0), freeList.allocate(1024));
            assertEquals(List.of(used(0, 1024)), freeList.getMemoryBlockTable());
            assertEquals(List.of(), freeList.availableAddresses(32));
            assertEquals(new Statistics(1024, 1024, 0, 0, List.of()), freeList.getStatistics());
            assertEquals(OptionalLong.empty(), freeList.allocate(32));
        }

        @Test
        void caseBAllocatedBlockBeforeTheShrunkFreeBlock() {
            FreeList freeList = first();
            assertEquals(at(0), freeList.allocate(64));
            assertEquals(List.of(used(0, 64), free(64, 960)), freeList.getMemoryBlockTable());
        }

        @Test
        void caseCAllocatedBlockAfterTheShrunkFreeBlock() {
            FreeList freeList = first();
            assertEquals(at(960), freeList.allocate(64, false));
            assertEquals(List.of(free(0, 960), used(960, 64)), freeList.getMemoryBlockTable());
        }

        @Test
        void caseDNewFreeRemainderFollowsTheOriginalInTheFreeList() {
            FreeList freeList = first();
            assertEquals(at(128), freeList.allocateAtAddress(128, 64));
            assertEquals(List.of(free(0, 128), used(128, 64), free(192, 832)), freeList.getMemoryBlockTable());
            // Splitting the middle of the tail block again: remainder enters after [192,512) and becomes free tail.
            assertEquals(at(512), freeList.allocateAtAddress(512, 64));
            assertEquals(List.of(range(0, 96), range(192, 480), range(576, 992)), freeList.availableAddresses(32));
            // Free tail moved: top-down lands at the end of [576,1024).
            assertEquals(at(992), freeList.allocate(32, false));
        }
    }

    @Nested
    class AddressLimit {

        @Test
        void violationThrowsAfterCarvingAndAfterUpdatingLowest() {
            FreeList freeList = first(1024);
            AddressLimitViolationException e = assertThrows(AddressLimitViolationException.class,
                    () -> freeList.allocate(64, true, 1088));
            assertEquals("Out of Memory: Cannot allocate at an address below 1088. Tried to allocate at 1024",
                    e.getMessage());
            assertEquals(1088, e.addressLimit());
            assertEquals(1024, e.address());
            assertTrue(e instanceof OutOfMemoryException);
            // The carve is not undone (the block leaks) and lowest was already lowered.
            assertEquals(List.of(used(1024, 64), free(1088, 960)), freeList.getMemoryBlockTable());
            assertEquals(at(1024), freeList.lowestOccupiedAddress());
            assertEquals(64, freeList.getStatistics().totalAllocatedBytes());
        }

        @Test
        void addressEqualToTheLimitPassesAndZeroMeansNoLimit() {
            FreeList freeList = first(1024);
            assertThrows(AddressLimitViolationException.class, () -> freeList.allocate(64, true, 1088));
            assertEquals(at(1088), freeList.allocate(64, true, 1088));
            assertEquals(at(1152), freeList.allocate(64, true, 0));
        }

        @Test
        void leakedBlockIsAnOrdinaryAllocatedBlockForDeallocate() {
            FreeList freeList = first(1024);
            assertThrows(AddressLimitViolationException.class, () -> freeList.allocate(64, true, 1088));
            assertEquals(at(1088), freeList.allocate(64));
            // lowest is 1024 (the leaked block); freeing it recomputes lowest to the next allocated block.
            freeList.deallocate(1024);
            assertEquals(List.of(free(1024, 64), used(1088, 64), free(1152, 896)), freeList.getMemoryBlockTable());
            assertEquals(at(1088), freeList.lowestOccupiedAddress());
        }
    }

    @Nested
    class AllocateAtAddress {

        @Test
        void failsOnOverlapPastTheEndOrAcrossAnAllocatedBlock() {
            FreeList freeList = first();
            separators(freeList, 64);
            List<MemoryBlock> before = freeList.getMemoryBlockTable();
            assertEquals(OptionalLong.empty(), freeList.allocateAtAddress(32, 96));  // runs over [64,96)
            assertEquals(OptionalLong.empty(), freeList.allocateAtAddress(64, 32));  // allocated start
            assertEquals(OptionalLong.empty(), freeList.allocateAtAddress(80, 32));  // interior of allocated
            assertEquals(OptionalLong.empty(), freeList.allocateAtAddress(992, 64)); // past the end
            assertEquals(OptionalLong.empty(), freeList.allocateAtAddress(1024, 32));
            assertEquals(before, freeList.getMemoryBlockTable());
        }

        @Test
        void rangeEndingAtTheFreeBlockEndIsCaseC() {
            FreeList freeList = first();
            separators(freeList, 64);
            assertEquals(at(32), freeList.allocateAtAddress(32, 32));
            assertEquals(List.of(free(0, 32), used(32, 32), used(64, 32), free(96, 928)),
                    freeList.getMemoryBlockTable());
        }

        @Test
        void misalignedAddressIsAcceptedAndSplitAtAsInReleaseBuilds() {
            // The alignment check is a debug-only TT_ASSERT.
            FreeList freeList = first();
            assertEquals(at(16), freeList.allocateAtAddress(16, 32));
            assertEquals(List.of(free(0, 16), used(16, 32), free(48, 976)), freeList.getMemoryBlockTable());
        }

        @Test
        void takesAndReturnsAbsoluteAddressesAndLowersLowest() {
            FreeList freeList = first(4096);
            assertEquals(at(4096 + 512), freeList.allocateAtAddress(4096 + 512, 32));
            assertEquals(at(4096 + 512), freeList.lowestOccupiedAddress());
            assertEquals(at(4096 + 256), freeList.allocateAtAddress(4096 + 256, 32));
            assertEquals(at(4096 + 256), freeList.lowestOccupiedAddress());
            assertEquals(at(4096 + 768), freeList.allocateAtAddress(4096 + 768, 32));
            assertEquals(at(4096 + 256), freeList.lowestOccupiedAddress());
        }

        @Test
        void addressBelowTheOffsetWrapsAndUsuallyMatchesNothing() {
            // Relative start = 0 - 64 wraps to 2^64 - 64; plus 32 it is still huge, so no block holds it.
            FreeList freeList = first(64);
            assertEquals(OptionalLong.empty(), freeList.allocateAtAddress(0, 32));
            assertEquals(List.of(free(64, 1024)), freeList.getMemoryBlockTable());
        }

        @Test
        void addressBelowTheOffsetWhoseEndWrapsPastZeroCorruptsTheFirstFreeBlock() {
            // Inferred from free_list.cpp in unsigned arithmetic (the reference's "[I] nothing matches" does not
            // hold here): start = 32 - 64 = 2^64 - 32 and start + 64 wraps to 32 <= 1024, so [0,1024) "holds" it.
            // In-block offset 2^64 - 32, not case b or c, so case d: allocated [2^64-32, +64), remainder [32,1024)
            // of 992 bytes, and the original's size becomes 1024 - 64 - 992 = 2^64 - 32.
            FreeList freeList = first(64);
            assertEquals(at(32), freeList.allocateAtAddress(32, 64));
            assertEquals(List.of(new MemoryBlock(64, -32, false), used(32, 64), free(96, 992)),
                    freeList.getMemoryBlockTable());
            assertEquals(at(32), freeList.lowestOccupiedAddress());
        }
    }

    @Nested
    class Deallocate {

        @Test
        void unknownInteriorFreeAndDoubleFreesAreSilentNoOps() {
            FreeList freeList = first();
            separators(freeList, 0, 64);
            List<MemoryBlock> before = freeList.getMemoryBlockTable();
            freeList.deallocate(16);   // interior
            freeList.deallocate(2048); // outside
            freeList.deallocate(32);   // start of a free block
            assertEquals(before, freeList.getMemoryBlockTable());
            freeList.deallocate(64);
            List<MemoryBlock> afterOne = freeList.getMemoryBlockTable();
            freeList.deallocate(64);   // double free
            assertEquals(afterOne, freeList.getMemoryBlockTable());
            assertEquals(List.of(used(0, 32), free(32, 992)), afterOne);
        }

        @Test
        void neitherNeighbourFreeSplicesBetweenTheNearestFreeBlocks() {
            FreeList freeList = first();
            separators(freeList, 0, 32, 64, 96, 128);
            freeList.deallocate(64); // no free block before: becomes free head, before [160,1024)
            freeList.deallocate(0);  // free head again, before [64,96)
            assertEquals(List.of(range(0, 0), range(64, 64), range(160, 992)), freeList.availableAddresses(32));
            assertEquals(at(992), freeList.allocate(32, false)); // free tail is still [160,1024)
            assertEquals(at(160), freeList.allocate(64, true));  // [0,32) and [64,96) too small
            assertEquals(at(0), freeList.allocate(32, true));    // free head is [0,32)
        }

        @Test
        void freePredecessorAbsorbsTheBlockAndBothSidesMerge() {
            FreeList freeList = first();
            separators(freeList, 0, 32, 64);
            freeList.deallocate(0);
            assertEquals(List.of(free(0, 32), used(32, 32), used(64, 32), free(96, 928)),
                    freeList.getMemoryBlockTable());
            freeList.deallocate(32); // merges into [0,32)
            assertEquals(List.of(free(0, 64), used(64, 32), free(96, 928)), freeList.getMemoryBlockTable());
            freeList.deallocate(64); // merges both ways
            assertEquals(List.of(free(0, 1024)), freeList.getMemoryBlockTable());
            assertEquals(List.of(range(0, 992)), freeList.availableAddresses(32));
            assertEquals(at(0), freeList.allocate(1024));
        }

        @Test
        void freeSuccessorIsAbsorbedAndItsFreeListPlaceTakenOver() {
            FreeList freeList = first();
            separators(freeList, 0, 32);
            freeList.deallocate(32);
            assertEquals(List.of(used(0, 32), free(32, 992)), freeList.getMemoryBlockTable());
            assertEquals(List.of(range(32, 992)), freeList.availableAddresses(32));
            assertEquals(at(992), freeList.allocate(32, false));
        }
    }

    @Nested
    class LowestOccupiedAddress {

        @Test
        void recomputedOnlyWhenTheFreedAddressEqualsIt() {
            FreeList freeList = first();
            separators(freeList, 0, 32, 64);
            assertEquals(at(0), freeList.lowestOccupiedAddress());
            freeList.deallocate(32);
            assertEquals(at(0), freeList.lowestOccupiedAddress());
            freeList.deallocate(0); // recomputed: first allocated block in the block list
            assertEquals(at(64), freeList.lowestOccupiedAddress());
            freeList.deallocate(64);
            assertEquals(OptionalLong.empty(), freeList.lowestOccupiedAddress());
        }

        @Test
        void staleAfterClearAndTakesTheMinimumAfterwards() {
            FreeList freeList = first(128);
            assertEquals(at(128 + 96), freeList.allocateAtAddress(128 + 96, 32));
            freeList.clear();
            assertEquals(at(128 + 96), freeList.lowestOccupiedAddress());
            assertEquals(at(128 + 512), freeList.allocateAtAddress(128 + 512, 32));
            assertEquals(at(128 + 96), freeList.lowestOccupiedAddress());
            freeList.deallocate(128 + 512); // 512 is not the lowest: no recompute, stale although nothing is allocated
            assertEquals(at(128 + 96), freeList.lowestOccupiedAddress());
            assertEquals(0, freeList.getStatistics().totalAllocatedBytes());
            assertEquals(at(128), freeList.allocate(32));
            assertEquals(at(128), freeList.lowestOccupiedAddress());
        }

        @Test
        void staleLowestBlocksAShrinkAlthoughNothingIsAllocated() {
            FreeList freeList = first();
            separators(freeList, 96);
            freeList.clear();
            TtFatalException e = assertThrows(TtFatalException.class, () -> freeList.shrinkSize(128, true));
            assertEquals("Shrinking size by 128 that would cut into allocated memory at address 96 and is not supported",
                    e.getMessage());
            assertDoesNotThrow(() -> freeList.shrinkSize(96, true));
        }
    }

    @Nested
    class Clear {

        @Test
        void clearWhileShrunkLosesTheShrunkBytesForGood() {
            FreeList freeList = first();
            freeList.shrinkSize(64, true);
            freeList.clear();
            assertEquals(960, freeList.maxSizeBytes());
            assertEquals(0, freeList.shrinkSizeBytes());
            assertEquals(List.of(free(0, 960)), freeList.getMemoryBlockTable()); // addresses restart at 0
            freeList.resetSize(); // no-op now
            assertEquals(960, freeList.maxSizeBytes());
            assertEquals(List.of(free(0, 960)), freeList.getMemoryBlockTable());
            assertEquals(OptionalLong.empty(), freeList.allocate(1024));
            assertEquals(at(0), freeList.allocate(960));
            assertEquals(960, freeList.getStatistics().totalAllocatableSizeBytes());
        }

        @Test
        void clearFreesEverything() {
            FreeList freeList = first();
            separators(freeList, 0, 128, 512);
            freeList.clear();
            assertEquals(List.of(free(0, 1024)), freeList.getMemoryBlockTable());
            assertEquals(at(0), freeList.allocate(1024));
        }
    }

    @Nested
    class ShrinkSize {

        @Test
        void zeroIsANoOpBeforeAnyCheck() {
            FreeList freeList = first();
            assertDoesNotThrow(() -> freeList.shrinkSize(0, false));
            assertEquals(1024, freeList.maxSizeBytes());
        }

        @Test
        void checksComeInTheStatedOrder() {
            FreeList freeList = first();
            // (2) before (3): top-down with a size above max reports top-down.
            assertFatal("Shrinking from the top is currently not supported", () -> freeList.shrinkSize(2048, false));
            // (3): size above max, reported before the lowest check (lowest is 0 after this allocation).
            assertEquals(at(0), freeList.allocate(32));
            assertFatal("Shrink size 2048 must be smaller than max size 1024", () -> freeList.shrinkSize(2048, true));
            // (4): size above the relative lowest.
            assertFatal("Shrinking size by 64 that would cut into allocated memory at address 0 and is not supported",
                    () -> freeList.shrinkSize(64, true));
        }

        @Test
        void lowestCheckComesBeforeTheAlreadyShrunkCheckAndEqualityPasses() {
            FreeList freeList = first();
            freeList.shrinkSize(64, true);
            assertEquals(at(64), freeList.allocate(32)); // lowest 64
            assertFatal("Shrinking size by 96 that would cut into allocated memory at address 64 and is not supported",
                    () -> freeList.shrinkSize(96, true));
            assertFatal("Can only shrink size if it is not already shrunk", () -> freeList.shrinkSize(64, true));
        }

        @Test
        void freeHeadLargerThanTheShrinkMovesItsStart() {
            FreeList freeList = first(256);
            freeList.shrinkSize(64, true);
            assertEquals(960, freeList.maxSizeBytes());
            assertEquals(64, freeList.shrinkSizeBytes());
            assertEquals(List.of(free(256 + 64, 960)), freeList.getMemoryBlockTable());
            assertEquals(new Statistics(960, 0, 960, 960, List.of(256L + 64)), freeList.getStatistics());
            assertEquals(at(256 + 64), freeList.allocate(32));
            assertEquals(new Statistics(960, 32, 928, 928, List.of(256L + 96)), freeList.getStatistics());
        }

        @Test
        void shrinkEqualToTheLowestDropsTheHeadBlock() {
            FreeList freeList = first();
            separators(freeList, 64);
            freeList.shrinkSize(64, true); // free head [0,64) is exactly 64: dropped from both lists
            assertEquals(List.of(used(64, 32), free(96, 928)), freeList.getMemoryBlockTable());
            assertEquals(List.of(range(96, 992)), freeList.availableAddresses(32));
            assertEquals(960, freeList.maxSizeBytes());
            assertEquals(at(64), freeList.lowestOccupiedAddress()); // untouched
        }

        @Test
        void shrinkByTheWholeEmptyArenaIsANullDereference() {
            // s = max passes check (3); the only block is dropped and its missing successor dereferenced [I].
            FreeList freeList = first();
            TtFatalException e = assertThrows(TtFatalException.class, () -> freeList.shrinkSize(1024, true));
            assertTrue(e.getMessage().startsWith("Null dereference in FreeList::shrink_size"), e.getMessage());
            assertEquals(1024, freeList.maxSizeBytes());
        }

        private void assertFatal(String message, Runnable call) {
            assertEquals(message, assertThrows(TtFatalException.class, call::run).getMessage());
        }
    }

    @Nested
    class ResetSize {

        @Test
        void notShrunkIsANoOp() {
            FreeList freeList = first();
            separators(freeList, 0);
            freeList.resetSize();
            assertEquals(List.of(used(0, 32), free(32, 992)), freeList.getMemoryBlockTable());
            assertEquals(1024, freeList.maxSizeBytes());
        }

        @Test
        void case3FreeHeadAtTheShrinkSizeIsExtendedDownToZero() {
            FreeList freeList = first();
            freeList.shrinkSize(64, true);
            assertEquals(at(992), freeList.allocate(32, false));
            freeList.resetSize();
            assertEquals(List.of(free(0, 992), used(992, 32)), freeList.getMemoryBlockTable());
            assertEquals(1024, freeList.maxSizeBytes());
            assertEquals(0, freeList.shrinkSizeBytes());
        }

        @Test
        void case2FreedOldHeadNeverMergesDownwards() {
            FreeList freeList = first();
            freeList.shrinkSize(64, true);
            assertEquals(at(64), freeList.allocate(32));
            freeList.resetSize(); // free head [96,1024) does not start at 64: new free block [0,64) in front
            assertEquals(List.of(free(0, 64), used(64, 32), free(96, 928)), freeList.getMemoryBlockTable());
            assertEquals(List.of(range(0, 32), range(96, 992)), freeList.availableAddresses(32));

            // [64,96) has no back link: it merges forwards only, leaving two adjacent free blocks.
            freeList.deallocate(64);
            assertEquals(List.of(free(0, 64), free(64, 960)), freeList.getMemoryBlockTable());
            assertEquals(List.of(range(0, 32), range(64, 992)), freeList.availableAddresses(32));
            assertEquals(OptionalLong.empty(), freeList.lowestOccupiedAddress());
            // With nothing allocated the statistics override hides the fragmentation.
            assertEquals(new Statistics(1024, 0, 1024, 1024, List.of(0L, 64L)), freeList.getStatistics());
            assertEquals(OptionalLong.empty(), freeList.allocate(1024));
            assertEquals(at(64), freeList.allocate(960));
        }

        @Test
        void case2FreedOldHeadCutsTheBlockBelowOutOfTheFreeList() {
            FreeList freeList = first();
            freeList.shrinkSize(64, true);
            assertEquals(at(64), freeList.allocate(32));
            assertEquals(at(96), freeList.allocate(32));
            freeList.resetSize(); // [0,64) free head, its free successor [128,1024)

            // [64,96) frees without a predecessor: it becomes free head; [0,64) keeps a stale free
            // successor, so it still counts as free but is no longer reachable from the free head.
            freeList.deallocate(64);
            assertEquals(List.of(free(0, 64), free(64, 32), used(96, 32), free(128, 896)),
                    freeList.getMemoryBlockTable());
            assertEquals(List.of(range(64, 64), range(128, 992)), freeList.availableAddresses(32));
            assertEquals(at(96), freeList.lowestOccupiedAddress());
            assertEquals(new Statistics(1024, 32, 992, 896, List.of(0L, 128L)), freeList.getStatistics());

            // Freeing [96,128) merges both ways into [64,1024); [0,64) stays out of the free list.
            freeList.deallocate(96);
            assertEquals(List.of(free(0, 64), free(64, 960)), freeList.getMemoryBlockTable());
            assertEquals(List.of(range(64, 992)), freeList.availableAddresses(32));
            assertEquals(OptionalLong.empty(), freeList.lowestOccupiedAddress());
            assertEquals(at(64), freeList.allocate(960));
            // [0,64) is listed as free but can never be allocated.
            assertEquals(OptionalLong.empty(), freeList.allocate(32));
            assertEquals(OptionalLong.empty(), freeList.allocateAtAddress(0, 32));
            assertEquals(new Statistics(1024, 960, 64, 64, List.of(0L)), freeList.getStatistics());
        }

        @Test
        void case1BlockBelowTurnsAllocatedWhenTheOldHeadIsFreed() {
            FreeList freeList = first();
            assertEquals(at(32), freeList.allocateAtAddress(32, 992));
            freeList.shrinkSize(32, true); // drops [0,32): no free block left
            freeList.resetSize();          // case 1: [0,32) free head and tail, in front of [32,1024)
            assertEquals(List.of(free(0, 32), used(32, 992)), freeList.getMemoryBlockTable());

            // [32,1024) has no back link and no successor: it becomes free head and tail alone,
            // and [0,32), with no free-list links, is now classified allocated.
            freeList.deallocate(32);
            assertEquals(List.of(used(0, 32), free(32, 992)), freeList.getMemoryBlockTable());
            assertEquals(at(0), freeList.lowestOccupiedAddress()); // recomputed: [0,32) counts as allocated
            assertEquals(new Statistics(1024, 32, 992, 992, List.of(32L)), freeList.getStatistics());
            assertEquals(OptionalLong.empty(), freeList.allocate(1024));

            // deallocate(offset + 0) frees it and everything merges back.
            freeList.deallocate(0);
            assertEquals(List.of(free(0, 1024)), freeList.getMemoryBlockTable());
            assertEquals(OptionalLong.empty(), freeList.lowestOccupiedAddress());
            assertEquals(at(0), freeList.allocate(1024));
        }

        @Test
        void case2BlockCarvedAtTheOldHeadStartIsSkippedByBlockWalksAndLeaks() {
            FreeList freeList = first();
            assertEquals(at(32), freeList.allocateAtAddress(32, 64)); // [0,32) F, [32,96) A, [96,1024) F
            freeList.shrinkSize(32, true);                             // drops [0,32)
            assertEquals(at(96), freeList.allocateAtAddress(96, 32));
            freeList.resetSize(); // case 2: [0,32) in front; [32,96) has no back link
            assertEquals(List.of(free(0, 32), used(32, 64), used(96, 32), free(128, 896)),
                    freeList.getMemoryBlockTable());

            freeList.deallocate(32); // becomes free head; [0,32) is cut out of the free list
            assertEquals(at(96), freeList.lowestOccupiedAddress());

            // Case b inside the old head: the new block inherits the missing back link, and [0,32)
            // still points at the old head object, now [64,96): walks skip [32,64).
            assertEquals(at(32), freeList.allocate(32));
            assertEquals(at(32), freeList.lowestOccupiedAddress());
            assertEquals(List.of(free(0, 32), free(64, 32), used(96, 32), free(128, 896)),
                    freeList.getMemoryBlockTable());
            Statistics stats = freeList.getStatistics();
            assertEquals(new Statistics(1024, 32, 960, 896, List.of(0L, 64L, 128L)), stats);
            assertEquals(992, stats.totalAllocatedBytes() + stats.totalFreeBytes()); // 32 bytes missing

            // deallocate cannot find it: the block leaks.
            freeList.deallocate(32);
            assertEquals(List.of(free(0, 32), free(64, 32), used(96, 32), free(128, 896)),
                    freeList.getMemoryBlockTable());
            assertEquals(at(32), freeList.lowestOccupiedAddress());
        }
    }

    @Nested
    class Reporting {

        @Test
        void availableAddressesAreRelativeAndEndAtTheLastValidStart() {
            FreeList freeList = first(2048);
            assertEquals(List.of(range(0, 1024 - 128)), freeList.availableAddresses(100));
            assertEquals(at(2048 + 128), freeList.allocateAtAddress(2048 + 128, 32));
            assertEquals(List.of(range(0, 96), range(160, 992)), freeList.availableAddresses(32));
            assertEquals(List.of(range(160, 1024 - 160)), freeList.availableAddresses(128 + 1)); // request 160
        }

        @Test
        void largestFreeBlockAddrsAppendTiesAndSkipSmallerBlocks() {
            FreeList freeList = first(512);
            separators(freeList, 512 + 64, 512 + 160);
            // Free 64 at 0, 64 at 96 (tie), 832 at 192; absolute starts.
            assertEquals(new Statistics(1024, 64, 960, 832, List.of(512L, 608L, 704L)), freeList.getStatistics());

            FreeList other = first();
            separators(other, 128, 192);
            // Free 128 at 0, 32 at 160 (smaller: not appended), 800 at 224.
            assertEquals(new Statistics(1024, 64, 960, 800, List.of(0L, 224L)), other.getStatistics());
        }

        @Test
        void memoryBlockTableAndDumpBlocksWalkTheBlockListWithAbsoluteAddresses() {
            FreeList freeList = first(4096);
            assertEquals(at(4096), freeList.allocate(32));
            assertEquals(List.of(used(4096, 32), free(4128, 992)), freeList.getMemoryBlockTable());
            assertEquals(",,Blocks:,Address (B),Size (B),Allocated (Y/N)\n,,,4096,32,Y\n,,,4128,992,N\n\n",
                    freeList.dumpBlocks());
        }
    }

    // ---- Mutation-testing review: the smallest legal constructor arguments ----

    @Test
    void zeroMinimumAlignmentOneAndAnArenaEndingAtLongMaxValueAreAccepted() {
        FreeList list = new FreeList(Long.MAX_VALUE - 64, 64, 0, 1, FreeList.SearchPolicy.FIRST);
        assertEquals(OptionalLong.of(64), list.allocate(1, true, 0));
        assertEquals(OptionalLong.of(65), list.allocate(1, true, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new FreeList(Long.MAX_VALUE - 63, 64, 0, 1, FreeList.SearchPolicy.FIRST));
    }
}
