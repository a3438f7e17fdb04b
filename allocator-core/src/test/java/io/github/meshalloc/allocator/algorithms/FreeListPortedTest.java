package io.github.meshalloc.allocator.algorithms;

import org.junit.jupiter.api.Test;

import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The tests of tt-metal's {@code tests/tt_metal/tt_metal/api/allocator/test_free_list_allocator.cpp}
 * (test suite {@code FreeListAllocator}, file version @027519b1), one Java test per C++ TEST, named
 * after it, with the same calls and expected values. Reference section 6.13 has no [T]-tagged
 * statement; its two statements tagged "[R test]" are covered here and marked in comments.
 */
class FreeListPortedTest {

    private static final long MAX_SIZE_BYTES = 1024;
    private static final long MIN_ALLOCATION_SIZE_BYTES = 32;
    private static final long ALIGNMENT = 32;

    private static FreeList firstFitAllocator() {
        return new FreeList(MAX_SIZE_BYTES, 0, MIN_ALLOCATION_SIZE_BYTES, ALIGNMENT, FreeList.SearchPolicy.FIRST);
    }

    private static void assertAddress(long expected, OptionalLong actual) {
        assertEquals(OptionalLong.of(expected), actual);
    }

    @Test
    void TestDirectedSeriesOfAllocDealloc() {
        FreeList freeList = firstFitAllocator();

        assertAddress(0, freeList.allocate(32, true));
        assertAddress(64, freeList.allocateAtAddress(64, 32));
        assertAddress(96, freeList.allocate(48, true));
        assertAddress(32, freeList.allocate(16, true));
        assertAddress(512, freeList.allocateAtAddress(512, 128));

        freeList.deallocate(96); // merges with the free block after it
        assertAddress(128, freeList.allocateAtAddress(128, 64));
        assertAddress(96, freeList.allocate(32, true));

        freeList.deallocate(32);
        freeList.deallocate(64); // merges with the free block before it
        assertAddress(32, freeList.allocate(64, true));
        assertAddress(192, freeList.allocate(316, true));

        freeList.deallocate(32);
        freeList.deallocate(128);
        freeList.deallocate(96); // merges with the free blocks on both sides
        assertAddress(64, freeList.allocateAtAddress(64, 96));

        freeList.deallocate(192);
        assertAddress(256, freeList.allocateAtAddress(256, 128));

        freeList.deallocate(0);
        assertAddress(0, freeList.allocate(28, true));
        assertAddress(960, freeList.allocate(64, false));
        assertAddress(832, freeList.allocate(128, false));
        assertAddress(736, freeList.allocateAtAddress(736, 96));
        assertAddress(640, freeList.allocate(96, false));
        assertAddress(416, freeList.allocate(96, false));

        freeList.deallocate(416);
        freeList.deallocate(512);
        assertAddress(384, freeList.allocate(224, true));

        freeList.deallocate(736);

        // The whole arena in one allocation after clear().
        freeList.clear();
        assertAddress(0, freeList.allocate(MAX_SIZE_BYTES, true));

        freeList.deallocate(0);
        assertAddress(0, freeList.allocate(64, true));
        assertAddress(64, freeList.allocate(MAX_SIZE_BYTES - 64, true));
    }

    @Test
    void TestResizeAllocator() {
        FreeList freeList = firstFitAllocator();

        assertAddress(992, freeList.allocate(32, false));

        freeList.shrinkSize(64, true);

        assertAddress(960, freeList.allocate(32, false));
        // [R test] "after shrinking 64, bottom-up allocation returns 64": addresses are not rebased.
        assertAddress(64, freeList.allocate(32, true));

        // Reset case 2 (free head at 96, not at 64): the block at 64 keeps no back link.
        freeList.resetSize();

        assertAddress(0, freeList.allocate(32, true));
        assertAddress(32, freeList.allocate(32, true));

        freeList.deallocate(0);

        // [R test] "tests only reach it harmlessly": the block at 64 still lacks its back link here,
        // yet the free block after it splits normally.
        assertAddress(96, freeList.allocate(64, true));

        freeList.shrinkSize(32, true);

        freeList.deallocate(32);

        assertAddress(32, freeList.allocate(32, true));
    }

    @Test
    void TestDirectedResizeAllocator() {
        FreeList freeList = firstFitAllocator();

        assertAddress(32, freeList.allocateAtAddress(32, 992));

        freeList.shrinkSize(32, true);

        assertEquals(OptionalLong.empty(), freeList.allocate(32, false));
        assertEquals(OptionalLong.empty(), freeList.allocateAtAddress(0, 32));

        freeList.deallocate(32);

        assertAddress(32, freeList.allocate(32, true));
        assertAddress(992, freeList.allocate(32, false));

        // Reset case 2 again; [R test] "tests only reach it harmlessly": the block at 32 has no back
        // link when it is freed below, but the block before it is allocated, so no merge is missed.
        freeList.resetSize();

        assertAddress(0, freeList.allocate(32, true));

        freeList.deallocate(32);

        assertAddress(32, freeList.allocate(32, true));
    }
}
