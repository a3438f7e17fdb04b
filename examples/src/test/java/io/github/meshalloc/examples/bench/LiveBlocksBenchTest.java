package io.github.meshalloc.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.meshalloc.allocator.algorithms.AddressRange;
import io.github.meshalloc.allocator.algorithms.FreeListOpt;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link LiveBlocksBench}: the set-up's fragmented pattern, and timed operations that leave it as they found it. */
class LiveBlocksBenchTest {

    private static LiveBlocksBench.Fragmented state(int live) {
        LiveBlocksBench.Fragmented state = new LiveBlocksBench.Fragmented();
        state.liveBlocks = live;
        state.create();
        return state;
    }

    @Test
    void theSetUpAlternatesLiveBlocksAndHoles() {
        FreeListOpt allocator = state(1000).allocator;

        assertEquals(1000, allocator.allocatedAddresses().size());
        // 1000 holes of 1 KiB plus the free block below them
        assertEquals(1001, allocator.availableAddresses(LiveBlocksBench.BLOCK_BYTES).size());
        assertEquals(1, allocator.availableAddresses(LiveBlocksBench.BLOCK_BYTES + 64).size());
        long top = Workloads.newFreeListOpt().maxSizeBytes();
        long lowestLive = top - 2000 * LiveBlocksBench.BLOCK_BYTES;
        List<Long> live = allocator.allocatedAddresses().stream().map(AddressRange::start).sorted().toList();
        List<Long> free = allocator.availableAddresses(LiveBlocksBench.BLOCK_BYTES).stream()
                .map(AddressRange::start).sorted().toList();
        assertEquals(0, free.get(0));
        for (int i = 0; i < 1000; i++) {
            assertEquals(lowestLive + 2 * i * LiveBlocksBench.BLOCK_BYTES, live.get(i));
            assertEquals(lowestLive + (2 * i + 1) * LiveBlocksBench.BLOCK_BYTES, free.get(i + 1));
        }
    }

    @Test
    void eachTimedOperationLeavesTheAllocatorAsItFoundIt() {
        LiveBlocksBench.Fragmented state = state(500);
        LiveBlocksBench bench = new LiveBlocksBench();
        String before = state.allocator.getMemoryBlockTable().toString();
        long top = Workloads.newFreeListOpt().maxSizeBytes();

        assertEquals(top - 999 * LiveBlocksBench.BLOCK_BYTES, bench.hole(state));
        assertEquals(top - LiveBlocksBench.BLOCK_BYTES, bench.holeTopDown(state));
        assertEquals(0, bench.tail(state));
        assertEquals(before, state.allocator.getMemoryBlockTable().toString());
    }

    @Test
    void aNonPositiveCountIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LiveBlocksBench.fragment(Workloads.newFreeListOpt(), 0));
        assertEquals("liveBlocks 0 must be positive", e.getMessage());
    }
}
