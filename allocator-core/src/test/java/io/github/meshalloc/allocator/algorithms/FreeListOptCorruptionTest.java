package io.github.meshalloc.allocator.algorithms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.allocator.algorithms.FreeListOpt.MetaBlock;
import io.github.meshalloc.allocator.algorithms.FreeListOpt.SearchPolicy;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Regression tests for the two ways a corrupting {@code shrinkSize} used to surface: a {@code deallocate}
 * that never returned, and an {@code IllegalArgumentException} from {@link AddressRange}. Both sequences
 * corrupt the C++ {@code FreeListOpt} in the same way, step by step (see {@link FreeListOpt#shrinkSize}).
 * meshalloc reproduces the corrupted states and throws {@link CorruptedFreeListException} at the two
 * points where the C++ would loop forever or return a pair that an {@link AddressRange} cannot hold.
 */
class FreeListOptCorruptionTest {

    private static final long KIB = 1024;
    private static final Duration GUARD = Duration.ofSeconds(10);

    /**
     * The minimal sequence that made {@code deallocate} hang: found by random operation sequences with
     * shrinks and resets ({@link FreeListOptShortcutsTest}'s generator, seed 162 on 8 MiB), shrunk from
     * 2,285 operations to these 15 by delta debugging. Traced against the C++, every step takes the
     * same branch and writes the same links:
     * <ol>
     *   <li>steps 1-6 leave allocated block 1 at [0, 512) and free block 0 at [512, 6656): slot 0 was
     *       retired by step 4's merge and reused for the remainder of step 6, so the free block above A
     *       has the LOWER index;</li>
     *   <li>step 7, {@code shrinkSize(6144)}, scans in index order and reaches free block 0, which
     *       contains the new bottom 6144, before allocated block 1. It takes block 0 and never checks
     *       that block 1 lies below the new bottom. Block 0 shrinks to size 0 and is retired. Its upper
     *       neighbour's prev link is fixed, but block 1's next link still points to slot 0;</li>
     *   <li>steps 8-13 reuse slot 0 and retire it again; step 14 carves block 1 and gives its remainder
     *       slot 0, with next = block 1's stale next = 0, then sets that next's prev: slot 0 links to
     *       itself both ways;</li>
     *   <li>step 15 frees block 1, merges slot 0 into it and walks next links 0 -> 0 -> ... for the
     *       lowest occupied address.</li>
     * </ol>
     */
    @Test
    void deallocateOnACycleOfLinksThrowsInsteadOfLoopingForever() {
        FreeListOpt allocator = new FreeListOpt(8 * KIB * KIB, 0, 64, 64, SearchPolicy.BEST);
        long top = 8 * KIB * KIB - 5376;
        assertEquals(OptionalLong.of(top), allocator.allocate(5344, false, 0));
        assertEquals(OptionalLong.of(0), allocator.allocate(6595, true, 0));
        assertEquals(OptionalLong.of(6656), allocator.allocate(2476, true, 0));
        allocator.deallocate(top);
        allocator.deallocate(0);
        assertEquals(OptionalLong.of(0), allocator.allocate(505, true, 0));
        assertTrue(allocator.getMetaBlockTable().containsAll(List.of(new MetaBlock(0, 512, 6144, 1, 2, false),
                new MetaBlock(1, 0, 512, -1, 0, true))), allocator.dumpBlocks());

        allocator.shrinkSize(6144, true); // accepted, as in the C++, although block 1 at [0, 512) is allocated
        assertTrue(allocator.getMetaBlockTable().contains(new MetaBlock(1, 0, 512, -1, 0, true)),
                allocator.dumpBlocks());
        assertEquals(List.of(0), allocator.freeMetaBlockSlots()); // block 1 still links to dead slot 0
        assertEquals(OptionalLong.of(9152), allocator.allocate(2426, true, 0));
        assertEquals(OptionalLong.of(11584), allocator.allocate(5247, true, 0));
        allocator.deallocate(0);
        allocator.deallocate(11584);
        assertEquals(OptionalLong.of(top), allocator.allocate(5371, false, 0));
        allocator.deallocate(top);
        assertEquals(OptionalLong.of(0), allocator.allocate(389, true, 0));
        assertTrue(allocator.getMetaBlockTable().contains(new MetaBlock(0, 448, 64, 0, 0, false)),
                allocator.dumpBlocks());

        String before = allocator.dumpBlocks();
        OptionalLong lowestBefore = allocator.lowestOccupiedAddress();
        CorruptedFreeListException e = assertTimeoutPreemptively(GUARD,
                () -> assertThrows(CorruptedFreeListException.class, () -> allocator.deallocate(0)));
        assertEquals(0, e.blockId());
        assertTrue(e.getMessage().startsWith("deallocate(0) of block 1: the next links after the merged block 1"
                + " form a cycle of free blocks (1 -> 0 -> 0, with no allocated block on it)"), e.getMessage());
        assertTrue(e.getMessage().contains("FreeListOpt::deallocate loops forever"), e.getMessage());
        assertEquals(before, allocator.dumpBlocks(), "the failed deallocate changed the state");
        assertEquals(lowestBefore, allocator.lowestOccupiedAddress());
        assertEquals(OptionalLong.of(448), allocator.getAllocationSize(0), "the block is still allocated");
    }

    /**
     * A corrupting shrink can move a free block onto another free block's address: free block 0 at [4K, 5K) is
     * reached by the scan before allocated block 1 at [0, 4K), shrinks by 4 KiB, so its size wraps and its
     * address moves to 8K, where free block 4 [8K, 9K) starts. FIRST then sees two fitting blocks at 8K, in
     * classes 0 (block 4) and 6 (block 0, size 2^64 - 3K); the C++ keeps the one found first, in the lower class,
     * and replaces it only by a strictly lower (bottom-up) or higher (top-down) address. Layout by
     * allocate_at_address: [4K, 5K) in slot 0 with [0, 4K) in slot 1 and [5K, 64K) in slot 2, then [0, 4K),
     * [5K, 8K) (remainder slot 3) and [9K, 10K) (left remainder slot 4 = [8K, 9K), right slot 5), then [4K, 5K)
     * freed. Also with every class list held as a tree (the shrink leaves the lists trusted).
     */
    @ParameterizedTest(name = "bottom-up {0}, trees {1}")
    @CsvSource({"true, false", "false, false", "true, true", "false, true"})
    void firstKeepsTheLowerClassBlockWhenAWrappedBlockSharesItsAddress(boolean bottomUp, boolean trees) {
        FreeListOpt allocator = new FreeListOpt(64 * KIB, 0, KIB, KIB, SearchPolicy.FIRST);
        if (trees) {
            allocator.setTreeThresholdForTesting(0);
        }
        assertEquals(OptionalLong.of(4 * KIB), allocator.allocateAtAddress(4 * KIB, KIB));
        assertEquals(OptionalLong.of(0), allocator.allocateAtAddress(0, 4 * KIB));
        assertEquals(OptionalLong.of(5 * KIB), allocator.allocateAtAddress(5 * KIB, 3 * KIB));
        assertEquals(OptionalLong.of(9 * KIB), allocator.allocateAtAddress(9 * KIB, KIB));
        if (!bottomUp) {
            // Nothing free above 10K, so that the two blocks at 8K are the highest.
            assertEquals(OptionalLong.of(10 * KIB), allocator.allocateAtAddress(10 * KIB, 54 * KIB));
        }
        allocator.deallocate(4 * KIB);
        allocator.shrinkSize(4 * KIB, true); // accepted, as in the C++, although block 1 at [0, 4K) is allocated
        assertTrue(allocator.getMetaBlockTable().containsAll(List.of(
                new MetaBlock(0, 8 * KIB, KIB - 4 * KIB, 1, 2, false),
                new MetaBlock(4, 8 * KIB, KIB, 2, 3, false))), allocator.dumpBlocks());

        // Classes 0 and 6 (and 5 bottom-up) hold the free blocks; with threshold 0 each is a tree.
        assertEquals(trees ? (bottomUp ? 3 : 2) : 0, allocator.treeClassCountForTesting(), allocator.dumpBlocks());
        assertEquals(OptionalLong.of(8 * KIB), allocator.allocate(KIB, bottomUp, 0));
        assertTrue(allocator.getMetaBlockTable().containsAll(List.of(
                new MetaBlock(0, 8 * KIB, KIB - 4 * KIB, 1, 2, false),
                new MetaBlock(4, 8 * KIB, KIB, 2, 3, true))), allocator.dumpBlocks());
    }

    /**
     * The minimal sequence behind the {@code IllegalArgumentException} "AddressRange start ... must not be
     * above end ...": the shrink takes free block 0 at the top of the arena, because slot 0 comes first in
     * the scan, although allocated block 1 lies below the new bottom. Block 0 is smaller than the shrink,
     * so its size wraps around 2^64 and its address moves above the arena. The C++
     * {@code available_addresses} returns the pair (129536, 65536) for it.
     */
    @Test
    void availableAddressesOfAWrappedBlockThrowsCorruptedFreeListException() {
        FreeListOpt allocator = new FreeListOpt(64 * KIB, 0, 64, 64, SearchPolicy.BEST);
        assertEquals(OptionalLong.of(63 * KIB), allocator.allocate(KIB, false, 0));
        assertEquals(OptionalLong.of(62 * KIB), allocator.allocate(KIB, false, 0));
        allocator.deallocate(63 * KIB);
        allocator.shrinkSize(63 * KIB + 512, true); // accepted, as in the C++
        assertTrue(allocator.getMetaBlockTable().contains(new MetaBlock(0, 129536, KIB - (63 * KIB + 512), 1, -1,
                false)), allocator.dumpBlocks());

        String before = allocator.dumpBlocks();
        CorruptedFreeListException e = assertThrows(CorruptedFreeListException.class,
                () -> allocator.availableAddresses(64));
        assertEquals(0, e.blockId());
        assertEquals("free block 0 at relative address 129536 has size 18446744073709487616, so its range ends at"
                + " 65536, below its start 129536 (the block table was corrupted earlier, as by a shrinkSize that"
                + " shrank a free block not starting at the bottom; shrink size now 65024). tt-metal's"
                + " FreeListOpt::available_addresses returns that pair as it is; an AddressRange cannot hold it",
                e.getMessage());
        assertEquals(before, allocator.dumpBlocks());
        assertEquals(List.of(new AddressRange(62 * KIB, 63 * KIB)), allocator.allocatedAddresses());
    }
}
