package io.github.meshalloc.tracking.server;

import static io.github.meshalloc.tracking.server.ServerTestSupport.accept;
import static io.github.meshalloc.tracking.server.ServerTestSupport.alloc;
import static io.github.meshalloc.tracking.server.ServerTestSupport.free;
import static io.github.meshalloc.tracking.server.ServerTestSupport.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.tracking.wire.AllocMessage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The inferred E0/E1 eras against the seed patterns (seed-arithmetic.md, reference 0 and 10). */
class LegacyEraServerTest {

    private static final long ADDR = 3700768;
    private static final long SIZE = 1048576;
    private static final int PID = 1714322;
    /** Device order of the per-chip ALLOCs observed on the 2x4 mesh (MUM/HOW_DEALLOCATION_WORKS.md). */
    private static final int[] MESH_ORDER = {4, 0, 3, 7, 5, 1, 2, 6};

    /** Backing buffer reported as device 0, then 8 per-chip copies at the same address; then 8 frees + backing. */
    private static List<AllocMessage> meshBufferStream() {
        List<AllocMessage> m = new ArrayList<>();
        m.add(alloc(0, SIZE, 0, PID, ADDR));
        for (int d : MESH_ORDER) {
            m.add(alloc(d, SIZE, 0, PID, ADDR));
        }
        for (int d : MESH_ORDER) {
            m.add(free(d, PID, ADDR));
        }
        m.add(free(0, PID, ADDR));
        return m;
    }

    private static List<String> run(AllocationServer s, List<AllocMessage> messages) {
        return accept(s, messages.toArray(new AllocMessage[0]));
    }

    @Test
    void e1aResidueAfterBackingPlusPerChipCopyThenOneFree() {
        AllocationServer e1a = new AllocationServer(ServerVersion.E1A);
        List<String> lines = accept(e1a, alloc(0, 4194304, 0, PID, 2560032), alloc(0, 4194304, 0, PID, 2560032),
                free(0, PID, 2560032));
        assertEquals(List.of(
                "✓ [PID 1714322] Allocated 4194304 bytes of DRAM on device 0 (buffer_id=2560032)",
                "✓ [PID 1714322] Allocated 4194304 bytes of DRAM on device 0 (buffer_id=2560032)",
                "✗ [PID 1714322] Freed buffer 2560032 on device 0 (4194304 bytes)"), lines);
        assertEquals(0, e1a.activeAllocations());
        assertEquals(4194304, e1a.counters(0).dram());
        assertEquals(1, e1a.counters(0).numBuffers());
        assertEquals(List.of("", "📊 Current Statistics:", "  Device 0:", "    Buffers: 1",
                "    DRAM: 4194304 bytes (4096 KB)", "    L1: 0 bytes (0 KB)", "    Total: 4194304 bytes",
                "  Active allocations: 0"), texts(e1a.statisticsBlock()));
    }

    @Test
    void e1rReplacesCountersSoTheSamePatternEndsClean() {
        AllocationServer e1r = new AllocationServer(ServerVersion.E1R);
        accept(e1r, alloc(0, 4194304, 0, PID, 2560032), alloc(0, 1024, 1, 99, 2560032));
        assertEquals(0, e1r.counters(0).dram());
        assertEquals(1024, e1r.counters(0).l1());
        assertEquals(1, e1r.counters(0).numBuffers());
        assertEquals(99, e1r.entry(0, 2560032).orElseThrow().ownerPid());
        accept(e1r, free(0, PID, 2560032));
        assertEquals(DeviceCounters.ZERO, e1r.counters(0));
    }

    @Test
    void e1WarnsOnceForNineAllocsOnEightKeys() {
        for (ServerVersion v : List.of(ServerVersion.E1A, ServerVersion.E1R)) {
            AllocationServer s = new AllocationServer(v);
            List<String> lines = run(s, meshBufferStream());
            assertEquals(8, lines.stream().filter(l -> l.startsWith("✗ [PID 1714322] Freed buffer 3700768 on device ")
                    && l.endsWith(" (1048576 bytes)")).count(), v.toString());
            assertEquals("⚠ Warning: Deallocation for unknown buffer 3700768", lines.get(lines.size() - 1));
            assertEquals(1, s.unknownFreeCount());
            assertEquals(1, s.duplicateAllocCount());
            assertEquals(0, s.activeAllocations());
        }
    }

    @Test
    void e1aLeavesTheDuplicatedBytesOnDeviceZeroE1rDoesNot() {
        AllocationServer e1a = new AllocationServer(ServerVersion.E1A);
        run(e1a, meshBufferStream());
        assertEquals(SIZE, e1a.counters(0).dram());
        assertEquals(1, e1a.counters(0).numBuffers());
        for (int d = 1; d < 8; d++) {
            assertEquals(DeviceCounters.ZERO, e1a.counters(d));
        }
        AllocationServer e1r = new AllocationServer(ServerVersion.E1R);
        run(e1r, meshBufferStream());
        for (int d = 0; d < 8; d++) {
            assertEquals(DeviceCounters.ZERO, e1r.counters(d));
        }
    }

    @Test
    void refCountingServersNeedNoWarningForTheSameStream() {
        AllocationServer s1 = new AllocationServer(ServerVersion.S1);
        List<String> lines = run(s1, meshBufferStream());
        assertEquals(0, s1.unknownFreeCount());
        assertTrue(lines.contains("✓ [PID 1714322] Allocated 1048576 bytes of DRAM on device 0 (buffer_id=3700768, "
                + "ref_count=2)"));
        assertTrue(lines.contains("✗ [PID 1714322] Freed buffer 3700768 on device 0 (1048576 bytes, ref_count=1 "
                + "remaining)"));
        for (int d = 0; d < 8; d++) {
            assertEquals(DeviceCounters.ZERO, s1.counters(d));
        }
    }

    @Test
    void e0KeysByIdAloneSoTheSameStreamGivesEightUnknown() {
        AllocationServer e0 = new AllocationServer(ServerVersion.E0);
        List<String> lines = run(e0, meshBufferStream());
        assertEquals(8, e0.unknownFreeCount());
        assertEquals(8, e0.duplicateAllocCount());
        assertEquals("✗ [PID 1714322] Freed buffer 3700768 (1048576 bytes)", lines.get(9));
        assertEquals(8, lines.subList(10, 18).stream()
                .filter("⚠ Warning: Deallocation for unknown buffer 3700768"::equals).count());
        // counters were added on every ALLOC's device; the one FREE subtracted from the stored (last) device 6
        assertEquals(2 * SIZE, e0.counters(0).dram());
        assertEquals(0, e0.counters(6).dram());
        assertEquals(SIZE, e0.counters(4).dram());
    }

    @Test
    void e0FreeIgnoresTheMessageDeviceAndUsesTheStoredOne() {
        AllocationServer e0 = new AllocationServer(ServerVersion.E0);
        accept(e0, alloc(3, 100, 0, 1, 7));
        assertEquals(List.of("✗ [PID 1] Freed buffer 7 (100 bytes)"), accept(e0, free(0, 0, 7)));
        assertEquals(DeviceCounters.ZERO, e0.counters(3));
    }

    @Test
    void e0StatisticsPrintBytesOnlyAndDuplicateIdsAddAgain() {
        // MUM/BUILD_ALLOCATION_SERVER.md sample: ids 1, 2 (1 MiB L1), 5 (25 MiB DRAM), then another pid's id 1
        // (2 MiB L1). The sample prints "Active allocations: 4"; a map keyed by id holds 3 keys.
        AllocationServer e0 = new AllocationServer(ServerVersion.E0);
        accept(e0, alloc(0, 1048576, 1, 12345, 1), alloc(0, 1048576, 1, 12345, 2), alloc(0, 26214400, 0, 12345, 5),
                alloc(0, 2097152, 1, 67890, 1));
        assertEquals(List.of("", "📊 Current Statistics:", "  Device 0:", "    Buffers: 4",
                "    DRAM: 26214400 bytes", "    L1: 4194304 bytes", "    Total: 30408704 bytes",
                "  Active allocations: 3"), texts(e0.statisticsBlock()));
    }

    @Test
    void legacyErasHaveNoSweepNoDumpAndNoCleanupThreadLines() {
        for (ServerVersion v : List.of(ServerVersion.E0, ServerVersion.E1A, ServerVersion.E1R)) {
            AllocationServer s = new AllocationServer(v);
            assertEquals(List.of("🚀 Allocation Server started", "   Listening on: /tmp/tt_allocation_server.sock",
                    "   Press Ctrl+C to stop"), texts(s.start()));
            assertThrows(UnsupportedOperationException.class, () -> s.sweep(LivenessOracle.allAlive()));
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> s.dumpRemaining(LivenessOracle.allAlive()));
            assertTrue(e.getMessage().contains(v.toString()), e.getMessage());
            assertEquals(List.of("Unknown message type: 5"), accept(s, AllocMessage.dumpRemaining()));
            assertEquals(List.of("", "📊 Current Statistics:", "  Active allocations: 0", "",
                    "🛑 Allocation Server stopped"), texts(s.shutdown()));
        }
    }
}
