package io.github.meshalloc.tracking.server;

import static io.github.meshalloc.tracking.server.ServerTestSupport.BOX_BOTTOM;
import static io.github.meshalloc.tracking.server.ServerTestSupport.BOX_TOP;
import static io.github.meshalloc.tracking.server.ServerTestSupport.REMAINING_TITLE;
import static io.github.meshalloc.tracking.server.ServerTestSupport.accept;
import static io.github.meshalloc.tracking.server.ServerTestSupport.alloc;
import static io.github.meshalloc.tracking.server.ServerTestSupport.free;
import static io.github.meshalloc.tracking.server.ServerTestSupport.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.tracking.log.LogEvent.HistoryKind;
import io.github.meshalloc.tracking.wire.AllocMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** MUM/allocation_server_enhanced.cpp (reference 5). */
class EnhancedServerTest {

    private static final String DOUBLE_FREED_TITLE = "║           DOUBLE-FREED BUFFERS                              ║";
    private final AllocationServer enh = new AllocationServer(ServerVersion.ENHANCED);

    @Test
    void reuseWithADifferentSizeReplacesTheStoredSizeAndDriftsTheCounter() {
        List<String> lines = accept(enh, alloc(2, 524288, 0, 1, 25718784), alloc(2, 98304, 0, 2, 25718784),
                free(2, 3, 25718784), free(2, 3, 25718784));
        assertEquals(List.of(
                "✓ [PID 1] Allocated 524288 bytes of DRAM on device 2 (buffer_id=0x1887000)",
                "⚠ [PID 2] Buffer reused with DIFFERENT size: old=524288 new=98304 (buffer_id=25718784, device=2)",
                "✓ [PID 2] Allocated 98304 bytes of DRAM on device 2 (buffer_id=0x1887000, ref_count=2)",
                "✗ [PID 1] Freed buffer 0x1887000 on device 2 (98304 bytes, ref_count=1 remaining)",
                "✗ [PID 1] Freed buffer 0x1887000 on device 2 (98304 bytes, FINAL)"), lines);
        assertEquals(524288 - 98304, enh.counters(2).dram());
        assertEquals(0, enh.counters(2).numBuffers());
        KeyHistory h = enh.history(2, 25718784).orElseThrow();
        assertEquals(2, h.totalAllocs());
        assertEquals(2, h.totalFrees());
        assertEquals(List.of(new HistoryEvent(HistoryKind.ALLOC, 524288, 1, 1),
                new HistoryEvent(HistoryKind.REUSE, 98304, 2, 2), new HistoryEvent(HistoryKind.FREE, 98304, 3, 1),
                new HistoryEvent(HistoryKind.FREE, 98304, 3, 0)), h.events());
    }

    @Test
    void unmatchedFreesAreNeverTrackedThenAlreadyFreedWithNewestEventsFirst() {
        assertEquals(List.of("⚠ [PID 5] Deallocation for unknown buffer 0x40 on device 0 (never tracked or allocated "
                + "before server started)"), accept(enh, free(0, 5, 0x40)));
        assertEquals(List.of("⚠ [PID 5] Deallocation for ALREADY FREED buffer 0x40 on device 0 (allocs=0 frees=2)",
                "   Last 5 events for this buffer:", "     FREE size=0 pid=5 ref=0"), accept(enh, free(0, 5, 0x40)));
        accept(enh, alloc(1, 4096, 1, 7, 0x80), free(1, 8, 0x80));
        assertEquals(List.of("⚠ [PID 9] Deallocation for ALREADY FREED buffer 0x80 on device 1 (allocs=1 frees=2)",
                "   Last 5 events for this buffer:", "     FREE size=4096 pid=8 ref=0",
                "     ALLOC size=4096 pid=7 ref=1"), accept(enh, free(1, 9, 0x80)));
        assertEquals(3, enh.unknownFreeCount());
        assertTrue(enh.history(1, 0x80).orElseThrow().isDoubleFreed());
    }

    @Test
    void historyKeepsTheLastFiftyEventsAndShowsFive() {
        accept(enh, alloc(0, 1, 0, 1, 9));
        for (int i = 0; i < 60; i++) {
            accept(enh, alloc(0, 1, 0, 1, 9));
        }
        KeyHistory h = enh.history(0, 9).orElseThrow();
        assertEquals(61, h.totalAllocs());
        assertEquals(KeyHistory.MAX_EVENTS, h.events().size());
        assertEquals(61, h.events().get(49).refCountAfter());
        List<String> dump = texts(enh.dumpRemaining(LivenessOracle.allAlive()));
        assertEquals(List.of("", BOX_TOP, REMAINING_TITLE, BOX_BOTTOM, "Total tracked allocations: 1", "",
                "Device 0:", "  DRAM: 1 buffers, 9.53674e-07 MB total",
                "    - Buffer 0x9: 0.000976562 KB (PID 1, ref_count=61)",
                "      History (allocs=61 frees=0):",
                "        REUSE size=1 pid=1 ref=61", "        REUSE size=1 pid=1 ref=60",
                "        REUSE size=1 pid=1 ref=59", "        REUSE size=1 pid=1 ref=58",
                "        REUSE size=1 pid=1 ref=57", "",
                "Total remaining buffers: 1", ""), dump);
    }

    @Test
    void emptyDumpReportsDoubleFreesWithTheirWholeHistory() {
        accept(enh, alloc(0, 4096, 0, 1, 0x40), free(0, 1, 0x40), free(0, 2, 0x40));
        List<String> dump = texts(enh.dumpRemaining(LivenessOracle.allAlive()));
        assertEquals(List.of("", BOX_TOP, REMAINING_TITLE, BOX_BOTTOM, "Total tracked allocations: 0", "",
                "✓ No buffers remaining - perfect cleanup!", "",
                "⚠️  However, found 1 buffers that were DOUBLE-FREED during execution!",
                "", BOX_TOP, DOUBLE_FREED_TITLE, BOX_BOTTOM, "",
                "Buffer 0x40 on device 0:", "  Total allocs: 1, Total frees: 2", "  History:",
                "    ALLOC size=4096 pid=1 ref=1", "    FREE size=4096 pid=1 ref=0", "    FREE size=0 pid=2 ref=0", ""),
                dump);
    }

    @Test
    void statisticsInKbStartBannerBadTypeAndShutdownReport() {
        assertEquals(List.of("🚀 Enhanced Allocation Server started (with history tracking)",
                "   Listening on: /tmp/tt_allocation_server.sock"), texts(enh.start()));
        assertEquals(List.of("⚠ [PID 3] Invalid buffer_type 9", "Unknown message type: 6"),
                accept(enh, alloc(0, 1, 9, 3, 1), AllocMessage.deviceInfoQuery(0)));
        accept(enh, alloc(0, 524288, 0, 1, 1));
        assertEquals(List.of("", "📊 Current Statistics:", "  Device 0:", "    Buffers: 1", "    DRAM: 512 KB",
                "    L1: 0 KB", "    Total: 512 KB", "  Active allocations: 1"), texts(enh.statisticsBlock()));
        accept(enh, free(3, 4, 0x77));
        assertEquals(List.of("", "📊 Current Statistics:", "  Device 0:", "    Buffers: 1", "    DRAM: 512 KB",
                "    L1: 0 KB", "    Total: 512 KB", "  Active allocations: 1", "", "🛑 Allocation Server stopped",
                "", BOX_TOP, DOUBLE_FREED_TITLE, BOX_BOTTOM, "",
                "Buffer 0x77 on device 3:", "  Total allocs: 0, Total frees: 1", "  History:",
                "    FREE size=0 pid=4 ref=0", ""), texts(enh.shutdown()));
    }

    @Test
    void historiesListEveryKeyInKeyOrderIncludingErasedKeysAndOnlyTheHistoryServerKeepsThem() {
        accept(enh, alloc(1, 4096, 0, 7, 0x80), alloc(0, 512, 1, 7, 0x40), free(1, 8, 0x80));
        java.util.SortedMap<BufferKey, KeyHistory> all = enh.histories();
        assertEquals(List.of(new BufferKey(0, 0x40), new BufferKey(1, 0x80)), List.copyOf(all.keySet()));
        assertEquals(new KeyHistory(0, 0x40, 1, 0, List.of(new HistoryEvent(HistoryKind.ALLOC, 512, 7, 1))),
                all.get(new BufferKey(0, 0x40)));
        assertEquals(new KeyHistory(1, 0x80, 1, 1, List.of(new HistoryEvent(HistoryKind.ALLOC, 4096, 7, 1),
                new HistoryEvent(HistoryKind.FREE, 4096, 8, 0))), all.get(new BufferKey(1, 0x80)));
        assertEquals(all.get(new BufferKey(1, 0x80)), enh.history(1, 0x80).orElseThrow());

        AllocationServer s4 = new AllocationServer(ServerVersion.S4);
        accept(s4, alloc(1, 4096, 0, 7, 0x80), free(1, 8, 0x80), free(1, 8, 0x80));
        assertTrue(s4.histories().isEmpty());
        assertTrue(s4.history(1, 0x80).isEmpty());
    }

    @Test
    void aKeyIsLeakedWhileItHasMoreAllocsThanFreesAndDoubleFreedWhenFreesExceedAllocs() {
        accept(enh, alloc(0, 64, 0, 1, 0x10));
        KeyHistory open = enh.history(0, 0x10).orElseThrow();
        assertTrue(open.isLeaked());
        assertTrue(!open.isDoubleFreed());
        accept(enh, free(0, 1, 0x10));
        KeyHistory balanced = enh.history(0, 0x10).orElseThrow();
        assertTrue(!balanced.isLeaked(), "1 alloc, 1 free is not leaked");
        assertTrue(!balanced.isDoubleFreed(), "1 alloc, 1 free is not double-freed");
        accept(enh, free(0, 1, 0x10));
        KeyHistory twice = enh.history(0, 0x10).orElseThrow();
        assertTrue(!twice.isLeaked());
        assertTrue(twice.isDoubleFreed());
    }
}
