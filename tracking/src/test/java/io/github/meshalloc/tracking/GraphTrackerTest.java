package io.github.meshalloc.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.github.meshalloc.allocator.AllocationReporter;
import io.github.meshalloc.allocator.AllocationStatus;
import io.github.meshalloc.allocator.ArchPreset;
import io.github.meshalloc.allocator.Buffer;
import io.github.meshalloc.allocator.BufferType;
import io.github.meshalloc.allocator.Device;
import io.github.meshalloc.allocator.MetalContext;
import io.github.meshalloc.allocator.TtFatalException;
import io.github.meshalloc.allocator.rules.CoreRules;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

/** GraphTracker: processor stack, one hook, hooked-buffer bookkeeping (reference 10). */
class GraphTrackerTest {

    private static Device openChip(GraphTracker tracker) {
        Device chip = new Device(0, ArchPreset.WORMHOLE_B0.config(),
                new MetalContext(CoreRules.UPSTREAM, tracker, AllocationReporter.NOOP));
        chip.initialize();
        return chip;
    }

    @Test
    void forwardsEveryTrackingCallToEachProcessorInPushOrder() {
        GraphTracker tracker = new GraphTracker();
        GraphProcessor first = mock(GraphProcessor.class);
        GraphProcessor second = mock(GraphProcessor.class);
        assertFalse(tracker.isEnabled());
        tracker.pushProcessor(first);
        tracker.pushProcessor(second);
        assertTrue(tracker.isEnabled());
        Device chip = openChip(tracker);
        Buffer buffer = Buffer.create(chip, 4096, 2048, BufferType.DRAM);
        buffer.deallocate();
        InOrder order = inOrder(first, second);
        order.verify(first).trackAllocate(buffer);
        order.verify(second).trackAllocate(buffer);
        order.verify(first).trackDeallocate(buffer);
        order.verify(second).trackDeallocate(buffer);
    }

    @Test
    void popRemovesTheLastPushedAndRefusesAnEmptyStack() {
        GraphTracker tracker = new GraphTracker();
        GraphProcessor p = mock(GraphProcessor.class);
        tracker.pushProcessor(p);
        assertEquals(p, tracker.popProcessor());
        IllegalStateException e = assertThrows(IllegalStateException.class, tracker::popProcessor);
        assertTrue(e.getMessage().contains("empty"));
    }

    @Test
    void onlyOneHookAtATime() {
        GraphTracker tracker = new GraphTracker();
        assertTrue(tracker.addHook(mock(GraphHooks.class)));
        assertFalse(tracker.addHook(mock(GraphHooks.class)));
        tracker.clearHook();
        assertTrue(tracker.addHook(mock(GraphHooks.class)));
    }

    @Test
    void aHookedAllocationGetsAddressZeroAndItsDeallocationSkipsTheAllocator() {
        GraphTracker tracker = new GraphTracker();
        GraphHooks hook = mock(GraphHooks.class);
        when(hook.hookAllocate(any())).thenReturn(true);
        when(hook.hookDeallocate(any())).thenReturn(true);
        tracker.addHook(hook);
        Device chip = openChip(tracker);
        Buffer buffer = Buffer.create(chip, 4096, 2048, BufferType.DRAM);
        assertEquals(0, buffer.address());
        assertTrue(buffer.hookedAllocation());
        assertEquals(0, chip.allocator().getNumAllocatedBuffers());
        buffer.deallocate();
        assertEquals(AllocationStatus.DEALLOCATED, buffer.allocationStatus());
    }

    @Test
    void hookingTheDeallocationOfARealAllocationIsFatal() {
        GraphTracker tracker = new GraphTracker();
        Device chip = openChip(tracker);
        Buffer buffer = Buffer.create(chip, 4096, 2048, BufferType.DRAM);
        GraphHooks hook = mock(GraphHooks.class);
        when(hook.hookDeallocate(any())).thenReturn(true);
        tracker.addHook(hook);
        TtFatalException e = assertThrows(TtFatalException.class, buffer::deallocate);
        assertEquals("Can't hook deallocation of a buffer which allocation wasn't hooked", e.getMessage());
    }

    @Test
    void clearRemovesProcessorsAndHook() {
        GraphTracker tracker = new GraphTracker();
        GraphProcessor p = mock(GraphProcessor.class);
        tracker.pushProcessor(p);
        tracker.addHook(mock(GraphHooks.class));
        tracker.clear();
        assertFalse(tracker.isEnabled());
        assertTrue(tracker.hook().isEmpty());
        Device chip = openChip(tracker);
        Buffer.create(chip, 4096, 2048, BufferType.DRAM);
        verify(p, never()).trackAllocate(any());
    }

    @Test
    void listsProcessorsInPushOrderAndForwardsTrackProgramToEach() {
        GraphTracker tracker = new GraphTracker();
        GraphProcessor first = mock(GraphProcessor.class);
        GraphProcessor second = mock(GraphProcessor.class);
        tracker.pushProcessor(first);
        tracker.pushProcessor(second);
        assertEquals(java.util.List.of(first, second), tracker.processors());
        Device chip = openChip(tracker);
        tracker.trackProgram(341, chip);
        InOrder order = inOrder(first, second);
        order.verify(first).trackProgram(341, chip);
        order.verify(second).trackProgram(341, chip);
    }

    @Test
    void hookCallsAnswerWhatTheHookAnswersAndHookReturnsTheInstalledHook() {
        GraphTracker tracker = new GraphTracker();
        Buffer buffer = Buffer.create(openChip(tracker), 4096, 2048, BufferType.DRAM);
        assertFalse(tracker.hookAllocate(buffer), "no hook -> false");
        assertFalse(tracker.hookDeallocate(buffer), "no hook -> false");
        GraphHooks declines = mock(GraphHooks.class);
        tracker.addHook(declines);
        assertEquals(java.util.Optional.of(declines), tracker.hook());
        assertFalse(tracker.hookAllocate(buffer), "the hook declined the allocation");
        assertFalse(tracker.hookDeallocate(buffer), "the hook declined the deallocation");
        tracker.clearHook();
        GraphHooks takes = mock(GraphHooks.class);
        when(takes.hookAllocate(any())).thenReturn(true);
        when(takes.hookDeallocate(any())).thenReturn(true);
        tracker.addHook(takes);
        assertEquals(java.util.Optional.of(takes), tracker.hook());
        assertTrue(tracker.hookAllocate(buffer));
        assertTrue(tracker.hookDeallocate(buffer));
    }

    @Test
    void clearHookForgetsTheHookedBuffers() {
        // clear_hook() empties hooked_buffers (reference 10): after it, the same buffer can be hooked again, and a
        // deallocation hooked by the next hook finds no hooked allocation.
        GraphTracker tracker = new GraphTracker();
        Buffer buffer = Buffer.create(openChip(tracker), 4096, 2048, BufferType.DRAM);
        GraphHooks takes = mock(GraphHooks.class);
        when(takes.hookAllocate(any())).thenReturn(true);
        when(takes.hookDeallocate(any())).thenReturn(true);
        tracker.addHook(takes);
        assertTrue(tracker.hookAllocate(buffer));
        tracker.clearHook();
        tracker.addHook(takes);
        TtFatalException e = assertThrows(TtFatalException.class, () -> tracker.hookDeallocate(buffer));
        assertEquals("Can't hook deallocation of a buffer which allocation wasn't hooked", e.getMessage());
        tracker.clearHook();
        tracker.addHook(takes);
        assertTrue(tracker.hookAllocate(buffer));
        tracker.clear();
        tracker.addHook(takes);
        assertTrue(tracker.hookAllocate(buffer), "clear() clears the hooked buffers too");
    }
}
