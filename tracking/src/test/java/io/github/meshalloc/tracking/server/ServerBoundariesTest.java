package io.github.meshalloc.tracking.server;

import static io.github.meshalloc.tracking.server.ServerTestSupport.accept;
import static io.github.meshalloc.tracking.server.ServerTestSupport.alloc;
import static io.github.meshalloc.tracking.server.ServerTestSupport.free;
import static io.github.meshalloc.tracking.server.ServerTestSupport.printed;
import static io.github.meshalloc.tracking.server.ServerTestSupport.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.tracking.wire.AllocMessage;
import io.github.meshalloc.tracking.wire.MessageType;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Edge values of the server's ranges and lifecycle (reference 3.x, 4 and 5): device 8 is the first out of [0,8),
 * exactly 8 detected devices need no limit warning, a group of exactly 10 buffers is still listed, sweep lines for
 * CBs and kernels appear only when something was removed, and a shut-down server refuses every entry point.
 */
class ServerBoundariesTest {

    private static final DeviceInfo WORMHOLE = DeviceInfo.of(2, 12, 1L << 30, 1_499_136, 8, 10, false);
    private static final long MIB = 1 << 20;

    @Test
    void aNullDeviceIsRejectedWithItsOwnMessage() {
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> AllocationServer.builder(ServerVersion.S3).devices(Arrays.asList(WORMHOLE, null)));
        assertEquals("devices contains null", e.getMessage());
    }

    @Test
    void exactlyEightDevicesNeedNoLimitWarning() {
        List<String> lines = texts(AllocationServer.builder(ServerVersion.S4)
                .devices(Collections.nCopies(8, WORMHOLE)).build().start());
        assertEquals("   Device 0: Wormhole_B0 (12GB DRAM, 114MB L1)", lines.get(1));
        assertTrue(lines.stream().noneMatch(l -> l.contains("limiting to 8")), lines.toString());
        assertEquals("   Total: 8 device(s) detected", lines.get(9));
    }

    @Test
    void queryForDeviceEightAnswersZeros() {
        AllocationServer s5 = new AllocationServer(ServerVersion.S5);
        accept(s5, alloc(7, MIB, 0, 1, 1));
        assertEquals(AllocMessage.builder(MessageType.RESPONSE).deviceId(8).build(),
                s5.accept(AllocMessage.query(8)).orElseThrow());
        assertEquals(MIB, s5.accept(AllocMessage.query(7)).orElseThrow().dramAllocated());
    }

    @Test
    void deviceInfoForTheFirstIndexPastTheDetectedDevicesAnswersZeros() {
        AllocationServer s2 = AllocationServer.builder(ServerVersion.S2).devices(List.of(WORMHOLE, WORMHOLE)).build();
        assertEquals(AllocMessage.builder(MessageType.DEVICE_INFO_RESPONSE).deviceId(2).build(),
                s2.accept(AllocMessage.deviceInfoQuery(2)).orElseThrow());
        assertEquals(1, s2.accept(AllocMessage.deviceInfoQuery(1)).orElseThrow().isAvailable());
    }

    @Test
    void cbFreeAndKernelLoadOnDeviceEightAreSilentlyIgnored() {
        AllocationServer s5 = new AllocationServer(ServerVersion.S5);
        assertEquals(List.of(), accept(s5, AllocMessage.cbFree(8, MIB, 1, 0x10),
                AllocMessage.kernelLoad(8, MIB, 0, 1, 0x20, 1)));
        assertTrue(s5.kernelEntries().isEmpty());
        assertEquals(List.of("✗ [CB_FREE] Device 0: -1 MB (Total: 1.75922e+13 MB)"),
                accept(s5, AllocMessage.cbFree(0, MIB, 1, 0x10)));
    }

    @Test
    void e1rPrintsTheReplacingAllocLine() {
        AllocationServer e1r = new AllocationServer(ServerVersion.E1R);
        assertEquals(List.of("✓ [PID 1] Allocated 4096 bytes of DRAM on device 0 (buffer_id=77)",
                        "✓ [PID 99] Allocated 1024 bytes of L1 on device 0 (buffer_id=77)"),
                accept(e1r, alloc(0, 4096, 0, 1, 77), alloc(0, 1024, 1, 99, 77)));
    }

    @Test
    void aDeadPidOwningOnlyACbOrAKernelIsSweptOnce() {
        AllocationServer s5 = new AllocationServer(ServerVersion.S5);
        accept(s5, AllocMessage.cbAlloc(0, MIB, 5, 0x1000, 1), AllocMessage.kernelLoad(1, 2 * MIB, 0, 6, 0x2000, 1));
        LivenessOracle dead = LivenessOracle.deadPids(Set.of(5, 6));
        List<String> lines = printed(s5, () -> assertEquals(new SweepResult(List.of(5, 6), 0, 0, 1, 1),
                s5.sweep(dead)));
        assertEquals(List.of("", "⚠️  Detected dead processes, cleaning up orphaned buffers...",
                "   PID 5 is dead, removing its buffers...", "   ✓ Removed 0 buffers (0 MB) from PID 5",
                "   ✓ Removed 1 CBs (1 MB) from PID 5",
                "   PID 6 is dead, removing its buffers...", "   ✓ Removed 0 buffers (0 MB) from PID 6",
                "   ✓ Removed 1 kernels (2 MB) from PID 6", ""), lines);
        assertTrue(s5.cbEntries().isEmpty());
        assertTrue(s5.kernelEntries().isEmpty());
        assertEquals(SweepResult.NONE, s5.sweep(dead));
    }

    @Test
    void aDeadPidWithoutCbsOrKernelsPrintsNoZeroCountLines() {
        AllocationServer s5 = new AllocationServer(ServerVersion.S5);
        accept(s5, alloc(0, MIB, 0, 5, 1));
        assertEquals(List.of("", "⚠️  Detected dead processes, cleaning up orphaned buffers...",
                        "   PID 5 is dead, removing its buffers...", "   ✓ Removed 1 buffers (1 MB) from PID 5", ""),
                printed(s5, () -> s5.sweep(LivenessOracle.deadPids(Set.of(5)))));
    }

    @Test
    void aGroupOfExactlyTenBuffersIsListedElevenAreNot() {
        for (int n : new int[] {10, 11}) {
            AllocationServer s1 = new AllocationServer(ServerVersion.S1);
            for (int i = 1; i <= n; i++) {
                accept(s1, alloc(0, 1024, 0, 3, i));
            }
            long listed = texts(s1.dumpRemaining(LivenessOracle.allAlive())).stream()
                    .filter(l -> l.startsWith("    - Buffer 0x")).count();
            assertEquals(n == 10 ? 10 : 0, listed, "group of " + n);
        }
    }

    @Test
    void aBalancedHistoryIsNoDoubleFree() {
        AllocationServer enh = new AllocationServer(ServerVersion.ENHANCED);
        accept(enh, alloc(0, 1024, 0, 3, 0x40), free(0, 3, 0x40));
        List<String> dump = texts(enh.dumpRemaining(LivenessOracle.allAlive()));
        assertTrue(dump.contains("✓ No buffers remaining - perfect cleanup!"), dump.toString());
        assertTrue(dump.stream().noneMatch(l -> l.startsWith("⚠️  However")), dump.toString());
        List<String> stop = texts(enh.shutdown());
        assertTrue(stop.stream().noneMatch(l -> l.startsWith("Buffer 0x") || l.startsWith("  Total allocs: ")),
                stop.toString());
    }

    @Test
    void missingFeaturesNameTheVersionAndOnlyE0AndE1SayInferred() {
        UnsupportedOperationException e0 = assertThrows(UnsupportedOperationException.class,
                () -> new AllocationServer(ServerVersion.E0).sweep(LivenessOracle.allAlive()));
        assertEquals(ServerVersion.E0 + " has no dead-process sweep (E0/E1 predate it; inferred, seed-arithmetic.md "
                + "assumption 6)", e0.getMessage());
        UnsupportedOperationException s4 = assertThrows(UnsupportedOperationException.class,
                () -> new AllocationServer(ServerVersion.S4).dumpKernels(0));
        assertEquals(ServerVersion.S4 + " has no DUMP_KERNELS", s4.getMessage());
    }

    @Test
    void aShutDownServerRefusesEveryEntryPointAndPrintsNothing() {
        AllocationServer s5 = new AllocationServer(ServerVersion.S5);
        assertFalse(s5.isShutDown());
        s5.shutdown();
        assertTrue(s5.isShutDown());
        int size = s5.log().size();
        List<Executable> calls = List.of(s5::start, s5::shutdown, () -> s5.sweep(LivenessOracle.deadPids(Set.of(1))),
                () -> s5.dumpRemaining(LivenessOracle.allAlive()), () -> s5.dumpKernels(0), s5::statisticsBlock);
        for (Executable call : calls) {
            IllegalStateException e = assertThrows(IllegalStateException.class, call);
            assertEquals("the S5 server has been shut down and accepts nothing more", e.getMessage());
        }
        assertEquals(size, s5.log().size());
    }
}
