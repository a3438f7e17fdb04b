package io.github.meshalloc.tracking.server;

import static io.github.meshalloc.tracking.server.ServerTestSupport.BOX_BOTTOM;
import static io.github.meshalloc.tracking.server.ServerTestSupport.BOX_TOP;
import static io.github.meshalloc.tracking.server.ServerTestSupport.REMAINING_TITLE;
import static io.github.meshalloc.tracking.server.ServerTestSupport.accept;
import static io.github.meshalloc.tracking.server.ServerTestSupport.alloc;
import static io.github.meshalloc.tracking.server.ServerTestSupport.free;
import static io.github.meshalloc.tracking.server.ServerTestSupport.printed;
import static io.github.meshalloc.tracking.server.ServerTestSupport.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.tracking.log.LogStream;
import io.github.meshalloc.tracking.wire.AllocMessage;
import io.github.meshalloc.tracking.wire.AllocMessageCodec;
import io.github.meshalloc.tracking.wire.MessageType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Reference section 3 (3.2-3.3, 3.6, 3.7, 3.9) on S1 (decimal ids) and S4 (hex ids). */
class RefCountingServerTest {

    private final AllocationServer s1 = new AllocationServer(ServerVersion.S1);

    @Test
    void newAllocInsertsCountsAndLogsWithTheSendersPid() {
        assertEquals(List.of("✓ [PID 1714322] Allocated 4194304 bytes of DRAM on device 0 (buffer_id=2560032)"),
                accept(s1, alloc(0, 4194304, 0, 1714322, 2560032)));
        assertEquals(new LiveEntry(0, 2560032, 4194304, 0, 1714322, 1, 1_000_000_000L),
                s1.entry(0, 2560032).orElseThrow());
        DeviceCounters c = s1.counters(0);
        assertEquals(4194304, c.dram());
        assertEquals(1, c.numBuffers());
        assertEquals(1, s1.activeAllocations());
    }

    @Test
    void duplicateAllocOnlyIncrementsTheRefCountAndLogsTheMessagesValues() {
        s1.accept(alloc(0, 12288, 0, 100, 1073739776L));
        assertEquals(List.of("✓ [PID 200] Allocated 99 bytes of L1 on device 0 (buffer_id=1073739776, ref_count=2)"),
                accept(s1, alloc(0, 99, 1, 200, 1073739776L)));
        LiveEntry e = s1.entry(0, 1073739776L).orElseThrow();
        assertEquals(12288, e.size());
        assertEquals(0, e.bufferType());
        assertEquals(100, e.ownerPid());
        assertEquals(2, e.refCount());
        assertEquals(12288, s1.counters(0).dram());
        assertEquals(0, s1.counters(0).l1());
        assertEquals(1, s1.counters(0).numBuffers());
        assertEquals(1, s1.duplicateAllocCount());
    }

    @Test
    void freesCountDownPrintingOwnerAndStoredSizeAndOnlyTheLastOneMovesCounters() {
        s1.accept(alloc(4, 12288, 0, 100, 1073739776L));
        s1.accept(alloc(4, 12288, 0, 200, 1073739776L));
        assertEquals(List.of("✗ [PID 100] Freed buffer 1073739776 on device 4 (12288 bytes, ref_count=1 remaining)"),
                accept(s1, free(4, 300, 1073739776L)));
        assertEquals(12288, s1.counters(4).dram());
        assertEquals(List.of("✗ [PID 100] Freed buffer 1073739776 on device 4 (12288 bytes, FINAL)"),
                accept(s1, free(4, 0, 1073739776L)));
        assertEquals(DeviceCounters.ZERO, s1.counters(4));
        assertEquals(Optional.empty(), s1.entry(4, 1073739776L));
        assertEquals(0, s1.activeAllocations());
    }

    @Test
    void unknownFreeWarnsWithTheMessagesPidAndChangesNothing() {
        s1.accept(alloc(0, 4096, 0, 1, 64));
        assertEquals(List.of("⚠ [PID 77] Deallocation for unknown buffer 64 on device 1 (allocated before tracking "
                + "started)"), accept(s1, free(1, 77, 64)));
        assertEquals(1, s1.unknownFreeCount());
        assertEquals(4096, s1.counters(0).dram());
        assertEquals(0, s1.counters(1).numBuffers());
        assertEquals(1, s1.entry(0, 64).orElseThrow().refCount());
    }

    @Test
    void s1ToS4AcceptSizeZero() {
        assertEquals(List.of("✓ [PID 1] Allocated 0 bytes of DRAM on device 0 (buffer_id=5)"),
                accept(s1, alloc(0, 0, 0, 1, 5)));
        assertEquals(1, s1.counters(0).numBuffers());
        assertEquals(List.of("⚠️  Invalid size 0 - ignoring message"),
                accept(new AllocationServer(ServerVersion.S5), alloc(0, 0, 0, 1, 5)));
    }

    @Test
    void freeBeforeAllocIsUnknownAndThenLeaks() {
        accept(s1, free(0, 5, 8), alloc(0, 10, 1, 5, 8));
        assertEquals(1, s1.unknownFreeCount());
        assertEquals(10, s1.counters(0).l1());
        assertEquals(1, s1.activeAllocations());
    }

    @Test
    void typesTwoAndThreeShareTheL1SmallCounterAndKeepTheirNames() {
        List<String> lines = accept(s1, alloc(2, 100, 2, 1, 1), alloc(2, 10, 3, 1, 2), alloc(2, 7, 4, 1, 3));
        assertEquals(List.of(
                "✓ [PID 1] Allocated 100 bytes of SYSTEM_MEMORY on device 2 (buffer_id=1)",
                "✓ [PID 1] Allocated 10 bytes of L1_SMALL on device 2 (buffer_id=2)",
                "✓ [PID 1] Allocated 7 bytes of TRACE on device 2 (buffer_id=3)"), lines);
        assertEquals(110, s1.counters(2).l1Small());
        assertEquals(7, s1.counters(2).trace());
        accept(s1, free(2, 1, 1));
        assertEquals(10, s1.counters(2).l1Small());
    }

    @Test
    void badTypeGoesToStderrAndChangesNothing() {
        int before = s1.log().size();
        s1.accept(alloc(0, 10, 5, 3, 77));
        assertEquals(List.of("⚠ [PID 3] Invalid buffer_type 5 for buffer 77 on device 0"),
                texts(s1.log().linesFrom(before)));
        assertEquals(LogStream.STDERR, s1.log().linesFrom(before).get(0).stream());
        assertEquals(0, s1.activeAllocations());
        assertEquals(DeviceCounters.ZERO, s1.counters(0));
    }

    @Test
    void sameAddressOnTwoDevicesIsTwoKeysAndAFreeNeedsTheRightDevice() {
        accept(s1, alloc(0, 100, 0, 1, 2560032), alloc(1, 100, 0, 1, 2560032));
        assertEquals(2, s1.activeAllocations());
        assertEquals(List.of("⚠ [PID 1] Deallocation for unknown buffer 2560032 on device 2 (allocated before "
                + "tracking started)"), accept(s1, free(2, 1, 2560032)));
        accept(s1, free(1, 1, 2560032));
        assertEquals(0, s1.counters(1).dram());
        assertEquals(100, s1.counters(0).dram());
    }

    @Test
    void anAnomalyLimitKeepsTheFirstAnomaliesAndCountsThemAll() {
        AllocationServer limited = AllocationServer.builder(ServerVersion.S4).quiet(true).anomalyLimit(2).build();
        for (int id = 1; id <= 3; id++) {
            limited.accept(alloc(8 + id, 512, 0, 1, id));
        }
        assertEquals(3, limited.activeAllocations());
        limited.accept(free(9, 1, 1));

        assertEquals(2, limited.activeAllocations());
        assertEquals(List.of(9, 10), limited.anomalies().stream().map(ServerAnomaly::deviceId).toList());
        assertEquals(4, limited.anomalyCount());
        assertEquals(0, limited.log().size());
        // without a limit every anomaly is kept, and the count agrees
        accept(s1, alloc(14, 512, 0, 1, 9), free(14, 1, 9));
        assertEquals(2, s1.anomalies().size());
        assertEquals(2, s1.anomalyCount());
    }

    @Test
    void anAnomalyLimitOfZeroKeepsNoAnomalyButCountsEveryOne() {
        AllocationServer none = AllocationServer.builder(ServerVersion.S1).anomalyLimit(0).build();
        accept(none, alloc(14, 512, 0, 1, 9), free(14, 1, 9));
        assertEquals(List.of(), none.anomalies());
        assertEquals(2, none.anomalyCount());
        assertEquals(0, none.activeAllocations());
    }

    @Test
    void aNegativeAnomalyLimitIsRefused() {
        AllocationServer.Builder builder = AllocationServer.builder(ServerVersion.S4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> builder.anomalyLimit(-1));
        assertEquals("anomaly limit -1 must not be negative", e.getMessage());
    }

    @Test
    void aSweepNotesItsOutOfRangeEntriesInKeyOrderAndALimitKeepsTheFirstInThatOrder() {
        // The class promises BufferKey order for every iteration over a registry; a sweep that removes entries of
        // devices 9..12 (undefined behaviour in the C++) notes one anomaly per entry, so they come in that order.
        for (int limit : new int[] {Integer.MAX_VALUE, 45}) {
            AllocationServer s = AllocationServer.builder(ServerVersion.S1).quiet(true).anomalyLimit(limit).build();
            List<BufferKey> allocated = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                BufferKey key = new BufferKey(9 + i % 4, 0x100000L + (long) (i * 7 % 40) * 2048);
                allocated.add(key);
                s.acceptAlloc(key.deviceId(), 2048, 0, 5, key.bufferId(), 0);
            }
            s.acceptAlloc(1, 2048, 0, 5, 0x100000L, 0);
            int before = s.anomalies().size();
            assertEquals(new SweepResult(List.of(5), 41, 41 * 2048, 0, 0), s.sweep(LivenessOracle.deadPids(Set.of(5))));
            List<BufferKey> noted = s.anomalies().stream().skip(before)
                    .map(a -> new BufferKey(a.deviceId(), a.bufferId())).toList();
            List<BufferKey> sorted = allocated.stream().sorted().toList();
            assertEquals(limit == 45 ? sorted.subList(0, 5) : sorted, noted, "limit " + limit);
            assertEquals(80, s.anomalyCount());
            assertEquals(DeviceCounters.ZERO, s.counters(1));
        }
    }

    @Test
    void outOfRangeDeviceKeepsTheEntryButNoCountersAndRecordsAnAnomaly() {
        assertEquals(List.of("✓ [PID 1] Allocated 512 bytes of DRAM on device 14 (buffer_id=9)"),
                accept(s1, alloc(14, 512, 0, 1, 9)));
        assertEquals(1, s1.activeAllocations());
        for (int d = 0; d < 8; d++) {
            assertEquals(DeviceCounters.ZERO, s1.counters(d));
        }
        assertEquals(1, s1.anomalies().size());
        assertEquals(ServerAnomaly.Kind.DEVICE_OUT_OF_RANGE, s1.anomalies().get(0).kind());
        assertEquals(14, s1.anomalies().get(0).deviceId());
        assertEquals(List.of("✗ [PID 1] Freed buffer 9 on device 14 (512 bytes, FINAL)"),
                accept(s1, free(14, 1, 9)));
        assertEquals(0, s1.activeAllocations());
        assertEquals(2, s1.anomalies().size());
        accept(s1, alloc(-1, 1, 1, 1, 1));
        assertEquals(-1, s1.anomalies().get(2).deviceId());
        assertThrows(IllegalArgumentException.class, () -> s1.counters(8));
        assertThrows(IllegalArgumentException.class, () -> s1.counters(-1));
    }

    @Test
    void queryAnswersTheDevicesCountersOrZerosOutOfRange() {
        accept(s1, alloc(3, 100, 0, 1, 1), alloc(3, 20, 1, 1, 2), alloc(3, 3, 3, 1, 3), alloc(3, 4, 4, 1, 4));
        AllocMessage r = s1.accept(AllocMessage.query(3)).orElseThrow();
        assertEquals(MessageType.RESPONSE.code(), r.typeCode());
        assertEquals(3, r.deviceId());
        assertEquals(100, r.dramAllocated());
        assertEquals(20, r.l1Allocated());
        assertEquals(3, r.l1SmallAllocated());
        assertEquals(4, r.traceAllocated());
        assertEquals(72, AllocMessageCodec.encode(r, s1.version().recordFormat()).length);
        AllocMessage out = s1.accept(AllocMessage.query(9)).orElseThrow();
        assertEquals(9, out.deviceId());
        assertEquals(0, out.dramAllocated());
    }

    @Test
    void unhandledTypeBytesAreReportedOnStderr() {
        List<String> lines = accept(s1, AllocMessage.ofTypeCode(4), AllocMessage.deviceInfoQuery(-1),
                AllocMessage.cbAlloc(0, 1, 1, 1, 1), AllocMessage.ofTypeCode(0), AllocMessage.ofTypeCode(200));
        assertEquals(List.of("Unknown message type: 4", "Unknown message type: 6", "Unknown message type: 8",
                "Unknown message type: 0", "Unknown message type: 200"), lines);
        assertTrue(s1.log().lines().stream().allMatch(l -> l.stream() == LogStream.STDERR));
    }

    @Test
    void sweepRemovesEveryEntryOfDeadOwnersWhateverTheRefCount() {
        accept(s1, alloc(0, 1048576, 1, 100, 1), alloc(0, 1048576, 1, 200, 1), alloc(1, 2097152, 0, 100, 2),
                alloc(0, 5, 0, 0, 3), alloc(0, 7, 0, 300, 4));
        List<String> lines = printed(s1, () -> {
            SweepResult r = s1.sweep(LivenessOracle.onlyAlive(Set.of(300)));
            assertEquals(List.of(100), r.deadPids());
            assertEquals(2, r.buffersRemoved());
            assertEquals(3145728, r.bytesRemoved());
        });
        assertEquals(List.of("", "⚠️  Detected dead processes, cleaning up orphaned buffers...",
                "   PID 100 is dead, removing its buffers...",
                "   ✓ Removed 2 buffers (3 MB) from PID 100", ""), lines);
        assertEquals(2, s1.activeAllocations()); // pid 0 is alive whatever the oracle says; 300 alive
        assertEquals(12, s1.counters(0).dram());
        assertEquals(0, s1.counters(0).l1());
        assertEquals(0, s1.counters(1).numBuffers());
        // process 200 also held key (0,1): its FREE is now unknown
        assertEquals(List.of("⚠ [PID 200] Deallocation for unknown buffer 1 on device 0 (allocated before tracking "
                + "started)"), accept(s1, free(0, 200, 1)));
    }

    @Test
    void sweepWithNobodyDeadPrintsNothingAndDeadPidsAreAscending() {
        accept(s1, alloc(0, 1, 0, 30, 1), alloc(0, 1, 0, 4, 2), alloc(0, 1, 0, 12, 3));
        assertEquals(List.of(), printed(s1, () -> assertEquals(SweepResult.NONE,
                s1.sweep(LivenessOracle.allAlive()))));
        List<String> lines = printed(s1, () -> s1.sweep(LivenessOracle.deadPids(Set.of(30, 4))));
        assertEquals(List.of("", "⚠️  Detected dead processes, cleaning up orphaned buffers...",
                "   PID 4 is dead, removing its buffers...", "   ✓ Removed 1 buffers (9.53674e-07 MB) from PID 4",
                "   PID 30 is dead, removing its buffers...", "   ✓ Removed 1 buffers (9.53674e-07 MB) from PID 30",
                ""), lines);
    }

    private void fillDumpScenario(AllocationServer s) {
        s.accept(alloc(0, 12288, 0, 1714322, 0x3ffff800L));
        s.accept(alloc(0, 12288, 0, 1714322, 0x3ffff800L));
        s.accept(alloc(0, 24576, 0, 1714322, 0x3ffff000L));
        for (int i = 0; i < 11; i++) {
            s.accept(alloc(0, 2048, 1, 1714322, 0x10 + i));
        }
        s.accept(alloc(3, 1048576, 4, 7, 0x100000));
    }

    @Test
    void dumpRemainingListsGroupsOfAtMostTenAscendingAndCountsKeysOnce() {
        fillDumpScenario(s1);
        List<String> lines = accept(s1, AllocMessage.dumpRemaining());
        assertEquals(List.of(
                "📋 Received DUMP_REMAINING request...",
                "", BOX_TOP, REMAINING_TITLE, BOX_BOTTOM,
                "Total tracked allocations: 14",
                "",
                "Device 0:",
                "  DRAM: 2 buffers, 0.0351562 MB total",
                "    - Buffer 0x3ffff000: 24 KB (PID 1714322, ref_count=1)",
                "    - Buffer 0x3ffff800: 12 KB (PID 1714322, ref_count=2)",
                "  L1: 11 buffers, 0.0214844 MB total",
                "",
                "Device 3:",
                "  TRACE: 1 buffers, 1 MB total",
                "    - Buffer 0x100000: 1024 KB (PID 7, ref_count=1)",
                "",
                "Total remaining buffers: 14",
                "",
                "📋 DUMP_REMAINING complete."), lines);
    }

    @Test
    void dumpRemainingSweepsFirstAndReportsAnEmptyRegistry() {
        s1.accept(alloc(0, 1048576, 0, 55, 1));
        List<String> lines = printed(s1, () -> s1.dumpRemaining(LivenessOracle.deadPids(Set.of(55))));
        assertEquals(List.of("📋 Received DUMP_REMAINING request...",
                "", "⚠️  Detected dead processes, cleaning up orphaned buffers...",
                "   PID 55 is dead, removing its buffers...", "   ✓ Removed 1 buffers (1 MB) from PID 55", "",
                "", BOX_TOP, REMAINING_TITLE, BOX_BOTTOM, "Total tracked allocations: 0", "",
                "✓ No buffers remaining - perfect cleanup!", "📋 DUMP_REMAINING complete."), lines);
    }

    @Test
    void dumpMessageUsesTheConfiguredLiveness() {
        AllocationServer s = AllocationServer.builder(ServerVersion.S1)
                .liveness(LivenessOracle.deadPids(Set.of(9))).build();
        s.accept(alloc(0, 1, 0, 9, 1));
        s.accept(AllocMessage.dumpRemaining());
        assertEquals(0, s.activeAllocations());
    }

    @Test
    void statisticsBlockShowsNonEmptyDevicesAndActiveKeys() {
        fillDumpScenario(s1);
        s1.accept(alloc(5, 64, 3, 1, 1)); // only l1_small: shown, in Total only
        assertEquals(List.of("", "📊 Current Statistics:",
                "  Device 0:", "    Buffers: 13", "    DRAM: 36864 bytes (36 KB)", "    L1: 22528 bytes (22 KB)",
                "    Total: 59392 bytes",
                "  Device 3:", "    Buffers: 1", "    DRAM: 0 bytes (0 KB)", "    L1: 0 bytes (0 KB)",
                "    Total: 1048576 bytes",
                "  Device 5:", "    Buffers: 1", "    DRAM: 0 bytes (0 KB)", "    L1: 0 bytes (0 KB)",
                "    Total: 64 bytes",
                "  Active allocations: 15"), texts(s1.statisticsBlock()));
    }

    @Test
    void startAndShutdownPrintTheBannerAndTheStopSequence() {
        assertEquals(List.of("🚀 Allocation Server started", "   Listening on: /tmp/tt_allocation_server.sock",
                "   Press Ctrl+C to stop", "🔄 Background cleanup thread started (checking every 10s)"),
                texts(s1.start()));
        assertThrows(IllegalStateException.class, s1::start);
        assertEquals(List.of("", "📊 Current Statistics:", "  Active allocations: 0",
                "🔄 Background cleanup thread stopped", "", "🛑 Allocation Server stopped"), texts(s1.shutdown()));
        assertTrue(s1.isShutDown());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> s1.accept(alloc(0, 1, 0, 1, 1)));
        assertTrue(e.getMessage().contains("shut down"), e.getMessage());
        assertEquals(0, s1.activeAllocations());
    }

    @Test
    void s4PrintsHexIdsButDecimalInTheBadTypeLine() {
        AllocationServer s4 = new AllocationServer(ServerVersion.S4);
        List<String> lines = accept(s4, alloc(0, 12288, 0, 1, 1073739776L), alloc(0, 12288, 0, 2, 1073739776L),
                free(0, 2, 1073739776L), free(0, 2, 1073739776L), free(0, 2, 1073739776L), alloc(0, 1, 9, 3, 255));
        assertEquals(List.of(
                "✓ [PID 1] Allocated 12288 bytes of DRAM on device 0 (buffer_id=0x3ffff800)",
                "✓ [PID 2] Allocated 12288 bytes of DRAM on device 0 (buffer_id=0x3ffff800, ref_count=2)",
                "✗ [PID 1] Freed buffer 0x3ffff800 on device 0 (12288 bytes, ref_count=1 remaining)",
                "✗ [PID 1] Freed buffer 0x3ffff800 on device 0 (12288 bytes, FINAL)",
                "⚠ [PID 2] Deallocation for unknown buffer 0x3ffff800 on device 0 (allocated before tracking started)",
                "⚠ [PID 3] Invalid buffer_type 9 for buffer 255 on device 0"), lines);
    }

    @Test
    void liveEntriesAreSortedByDeviceThenUnsignedId() {
        accept(s1, alloc(1, 1, 0, 1, -1L), alloc(1, 1, 0, 1, 5), alloc(0, 1, 0, 1, 9));
        List<BufferKey> keys = new ArrayList<>(s1.liveEntries().keySet());
        assertEquals(List.of(new BufferKey(0, 9), new BufferKey(1, 5), new BufferKey(1, -1L)), keys);
    }

    @Test
    void aQuietServerKeepsTheSameStateAndPrintsNothing() {
        AllocationServer loud = new AllocationServer(ServerVersion.S4);
        AllocationServer quiet = AllocationServer.builder(ServerVersion.S4).quiet(true).build();
        for (AllocationServer s : List.of(loud, quiet)) {
            s.start();
            accept(s, alloc(0, 4096, 0, 1, 64), alloc(0, 4096, 0, 2, 64), alloc(3, 2048, 1, 1, 64),
                    free(0, 1, 64), free(5, 1, 99), alloc(0, 1, 9, 1, 65));
            s.statisticsBlock();
            s.dumpRemaining(pid -> pid != 1);
        }
        assertTrue(loud.log().size() > 20);
        assertEquals(0, quiet.log().size());
        assertEquals(loud.liveEntries(), quiet.liveEntries());
        for (int d = 0; d < AllocationServer.MAX_DEVICES; d++) {
            assertEquals(loud.counters(d), quiet.counters(d));
        }
        assertEquals(1, quiet.unknownFreeCount());
        assertEquals(1, quiet.duplicateAllocCount());
        assertEquals(List.of(), texts(quiet.shutdown()));
        assertTrue(quiet.isShutDown());
    }

    @Test
    void theLogKeepsEachPrintedLinesEventInOrder() {
        AllocationServer s4 = new AllocationServer(ServerVersion.S4);
        accept(s4, alloc(0, 4096, 0, 1, 64), free(0, 1, 64));
        assertEquals(List.of(
                new io.github.meshalloc.tracking.log.LogEvent.AllocNew(1, 4096, 0, 0, 64,
                        io.github.meshalloc.tracking.log.IdFormat.HEX),
                new io.github.meshalloc.tracking.log.LogEvent.FreeFinal(1, 64,
                        io.github.meshalloc.tracking.log.IdFormat.HEX, 0, 4096)), s4.log().events());
    }
}
