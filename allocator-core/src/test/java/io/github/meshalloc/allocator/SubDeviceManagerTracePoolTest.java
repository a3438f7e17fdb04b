package io.github.meshalloc.allocator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.allocator.rules.CoreRules;
import io.github.meshalloc.allocator.rules.SubDeviceManagerTeardown;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The trace pool of a sub-device manager (reference 12.1): erase semantics and the destruction order. */
class SubDeviceManagerTracePoolTest {

    /** A pooled trace that records what it saw of a buffer and its allocator when it was dropped. */
    private static final class Probe implements SubDeviceManager.PooledTrace {
        final List<String> log;
        final String name;
        final Buffer watched;

        Probe(List<String> log, String name, Buffer watched) {
            this.log = log;
            this.name = name;
            this.watched = watched;
        }

        @Override
        public void drop() {
            log.add(name + ":" + watched.allocationStatus() + ":" + watched.allocator().getNumAllocatedBuffers());
        }
    }

    @Test
    void createGetAndReleaseFollowTheMapSemantics() {
        MetalContext context = MetalContext.untracked();
        Device chip = TestChips.open(ArchPreset.WORMHOLE_B0, 0, 0, context);
        Buffer b = TestChips.interleaved(chip, 4096, 2048, BufferType.DRAM);
        SubDeviceManager manager = chip.subDeviceManagerTracker().defaultSubDeviceManager();
        List<String> log = new ArrayList<>();
        Probe probe = new Probe(log, "t7", b);
        manager.createTrace(7, probe);
        assertEquals(List.of(7L), manager.traceIds());
        assertTrue(manager.getTrace(7).isPresent());
        assertThrows(IllegalArgumentException.class, () -> manager.createTrace(7, probe));
        manager.releaseTrace(8);
        assertEquals(List.of(), log, "an unknown id is a no-op");
        manager.releaseTrace(7);
        assertEquals(List.of("t7:ALLOCATED:1"), log);
        assertTrue(manager.getTrace(7).isEmpty());
        b.release();
        chip.close();
    }

    @Test
    void tracesAreDroppedAfterTheAllocatorsAreReleasedInIdOrderUnderBothTeardowns() {
        for (SubDeviceManagerTeardown teardown : SubDeviceManagerTeardown.values()) {
            MetalContext context = new MetalContext(CoreRules.UPSTREAM.with(teardown), GraphTracking.NOOP,
                    AllocationReporter.NOOP);
            Device chip = TestChips.open(ArchPreset.WORMHOLE_B0, 0, 0, context);
            Buffer b = TestChips.interleaved(chip, 4096, 2048, BufferType.DRAM);
            Allocator allocator = chip.allocator();
            SubDeviceManager manager = chip.subDeviceManagerTracker().defaultSubDeviceManager();
            List<String> log = new ArrayList<>();
            manager.createTrace(5, new Probe(log, "t5", b));
            manager.createTrace(2, new Probe(log, "t2", b));
            chip.close();
            // The destructor body has run when the traces go: upstream deallocated every buffer (and emptied the
            // Buffer set); the older path freed the banks but left the Buffer ALLOCATED and in the set.
            String expected = teardown == SubDeviceManagerTeardown.CLEAR_THEN_DEALLOCATE_EACH
                    ? "DEALLOCATED:0" : "ALLOCATED:1";
            assertEquals(List.of("t2:" + expected, "t5:" + expected), log, teardown.name());
            assertTrue(manager.isDestroyed());
            assertEquals(0, allocator.getStatistics(BufferType.DRAM).totalAllocatedBytes(), teardown.name());
            assertFalse(chip.isInitialized());
        }
    }

    @Test
    void aDestroyedManagerTakesNoNewTrace() {
        MetalContext context = MetalContext.untracked();
        Device chip = TestChips.open(ArchPreset.WORMHOLE_B0, 0, 0, context);
        SubDeviceManager manager = chip.subDeviceManagerTracker().defaultSubDeviceManager();
        chip.close();
        assertThrows(IllegalStateException.class, () -> manager.createTrace(1, () -> { }));
    }
}
