package io.github.meshalloc.tracking.server;

import static io.github.meshalloc.tracking.server.ServerTestSupport.BOX_BOTTOM;
import static io.github.meshalloc.tracking.server.ServerTestSupport.BOX_TOP;
import static io.github.meshalloc.tracking.server.ServerTestSupport.accept;
import static io.github.meshalloc.tracking.server.ServerTestSupport.alloc;
import static io.github.meshalloc.tracking.server.ServerTestSupport.free;
import static io.github.meshalloc.tracking.server.ServerTestSupport.printed;
import static io.github.meshalloc.tracking.server.ServerTestSupport.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.tracking.log.LogStream;
import io.github.meshalloc.tracking.log.ServerLine;
import io.github.meshalloc.tracking.wire.AllocMessage;
import io.github.meshalloc.tracking.wire.AllocMessageCodec;
import io.github.meshalloc.tracking.wire.RecordFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** S5 (a81ea34f): ALLOC validation, CB and kernel registries (3.4, 3.5), their sweep, DUMP_KERNELS, framing. */
class S5ServerTest {

    private static final long SECOND = 1_000_000_000L;
    private final AllocationServer s5 = new AllocationServer(ServerVersion.S5);

    @Test
    void allocValidationRejectsDeviceThenSizeThenTypeOnStderr() {
        List<String> lines = accept(s5, alloc(8, 0, 0, 1, 1), alloc(-1, 10, 0, 1, 1), alloc(0, 0, 0, 1, 1),
                alloc(0, AllocationServer.MAX_ALLOC_SIZE + 1, 0, 1, 1), alloc(0, -1L, 0, 1, 1),
                alloc(1, 10, 7, 1, 4096));
        assertEquals(List.of("⚠️  Invalid device_id 8 - ignoring message",
                "⚠️  Invalid device_id -1 - ignoring message",
                "⚠️  Invalid size 0 - ignoring message",
                "⚠️  Invalid size 107374182401 - ignoring message",
                "⚠️  Invalid size 18446744073709551615 - ignoring message",
                "⚠️  Invalid buffer_type 7 for buffer 4096 on device 1"), lines);
        assertTrue(s5.log().lines().stream().allMatch(l -> l.stream() == LogStream.STDERR));
        assertEquals(0, s5.activeAllocations());
        assertEquals(List.of(), s5.anomalies());
        accept(s5, alloc(7, AllocationServer.MAX_ALLOC_SIZE, 0, 1, 1));
        assertEquals(AllocationServer.MAX_ALLOC_SIZE, s5.counters(7).dram());
    }

    @Test
    void bufferLinesUseHexIds() {
        assertEquals(List.of("✓ [PID 1] Allocated 4194304 bytes of DRAM on device 0 (buffer_id=0x271020)",
                        "✗ [PID 1] Freed buffer 0x271020 on device 0 (4194304 bytes, FINAL)"),
                accept(s5, alloc(0, 4194304, 0, 1, 2560032), free(0, 1, 2560032)));
    }

    @Test
    void cbAllocOverwritesTheRegistryButAddsEveryTime() {
        List<String> lines = accept(s5, AllocMessage.cbAlloc(0, 57344, 10, 0x1000, SECOND),
                AllocMessage.cbAlloc(0, 57344, 11, 0x1000, SECOND));
        assertEquals(List.of("✓ [CB_ALLOC] Device 0: +0.0546875 MB (Total: 0.0546875 MB)",
                "✓ [CB_ALLOC] Device 0: +0.0546875 MB (Total: 0.109375 MB)"), lines);
        assertEquals(1, s5.cbEntries().size());
        assertEquals(11, s5.cbEntries().get(new BufferKey(0, 0x1000)).ownerPid());
        assertEquals(114688, s5.counters(0).cb());
    }

    @Test
    void cbFreeSubtractsUnconditionallyAndWrapsWithoutAMatch() {
        assertEquals(List.of("✗ [CB_FREE] Device 2: -1 MB (Total: 1.75922e+13 MB)"),
                accept(s5, AllocMessage.cbFree(2, 1048576, 5, 0x99)));
        assertEquals(-1048576L, s5.counters(2).cb());
        assertEquals(List.of("✗ [CB_FREE] Device 2: -0 MB (Total: 1.75922e+13 MB)"),
                accept(s5, AllocMessage.cbFree(2, 0, 5, 0x99)));
    }

    @Test
    void cbAndKernelMessagesForDevicesOutsideZeroToSevenAreSilentlyIgnored() {
        assertEquals(List.of(), accept(s5, AllocMessage.cbAlloc(8, 1, 1, 1, 1), AllocMessage.cbFree(-1, 1, 1, 1),
                AllocMessage.kernelLoad(9, 1, 0, 1, 1, 1), AllocMessage.kernelUnload(8, 1, 1, 1)));
        assertTrue(s5.cbEntries().isEmpty() && s5.kernelEntries().isEmpty());
    }

    @Test
    void kernelLoadsFeedTotalAndPerKindAndUnloadsNeedAKnownKey() {
        List<String> lines = accept(s5, AllocMessage.kernelLoad(0, 57344, 1, 20, 0xA, SECOND),
                AllocMessage.kernelLoad(0, 47104, 2, 20, 0xB, SECOND),
                AllocMessage.kernelLoad(0, 1024, 7, 20, 0xC, SECOND),
                AllocMessage.kernelUnload(0, 47104, 20, 0xD),
                AllocMessage.kernelUnload(0, 40000, 20, 0xB));
        assertEquals(List.of("✓ [KERNEL_LOAD] Fabric kernel on Device 0: +0.0546875 MB (Total: 0.0546875 MB)",
                "✓ [KERNEL_LOAD] Dispatch kernel on Device 0: +0.0449219 MB (Total: 0.0996094 MB)",
                "✓ [KERNEL_LOAD] Unknown kernel on Device 0: +0.000976562 MB (Total: 0.100586 MB)",
                "✗ [KERNEL_UNLOAD] Dispatch kernel on Device 0: -0.038147 MB (Total: 0.062439 MB)"), lines);
        DeviceCounters c = s5.counters(0);
        assertEquals(57344 + 47104 + 1024 - 40000, c.kernel());
        assertEquals(57344, c.kernelFabric());
        assertEquals(47104 - 40000, c.kernelDispatch());
        assertEquals(0, c.kernelApplication());
        assertEquals(2, s5.kernelEntries().size());
    }

    @Test
    void sweepCollectsPidsFromAllRegistriesAndLeavesCounterResidueOfOverwrites() {
        // 204 KB of system kernels (2 x 56 KB fabric + 2 x 46 KB dispatch) owned by a process that dies;
        // one kernel id loaded twice: counter 2x, registry 1x.
        accept(s5, AllocMessage.kernelLoad(0, 57344, 1, 900, 1, SECOND),
                AllocMessage.kernelLoad(0, 57344, 1, 900, 2, SECOND),
                AllocMessage.kernelLoad(0, 47104, 2, 900, 3, SECOND),
                AllocMessage.kernelLoad(0, 47104, 2, 900, 4, SECOND),
                AllocMessage.kernelLoad(0, 47104, 2, 900, 4, SECOND),
                AllocMessage.cbAlloc(0, 2048, 900, 0x100, SECOND), AllocMessage.cbAlloc(0, 20480, 900, 0x200, SECOND));
        List<String> lines = printed(s5, () -> {
            SweepResult r = s5.sweep(LivenessOracle.deadPids(Set.of(900)));
            assertEquals(2, r.cbsRemoved());
            assertEquals(4, r.kernelsRemoved());
            assertEquals(0, r.buffersRemoved());
        });
        assertEquals(List.of("", "⚠️  Detected dead processes, cleaning up orphaned buffers...",
                "   PID 900 is dead, removing its buffers...", "   ✓ Removed 0 buffers (0 MB) from PID 900",
                "   ✓ Removed 2 CBs (0.0214844 MB) from PID 900",
                "   ✓ Removed 4 kernels (0.199219 MB) from PID 900", ""), lines);
        assertEquals(47104, s5.counters(0).kernel());
        assertEquals(47104, s5.counters(0).kernelDispatch());
        assertEquals(0, s5.counters(0).cb());
        assertTrue(s5.kernelEntries().isEmpty());
    }

    @Test
    void dumpKernelsListsPerDeviceWithAgesFromTheCallersClock() {
        accept(s5, AllocMessage.kernelLoad(1, 57344, 1, 42, 0x7f8a2c000000L, 10 * SECOND),
                AllocMessage.kernelLoad(1, 47104, 2, 43, 0x10, 20 * SECOND + 999_999_999L));
        List<String> lines = accept(s5, AllocMessage.dumpKernels(25 * SECOND));
        assertEquals(List.of("", BOX_TOP, "║           DETAILED KERNEL ALLOCATIONS                       ║", BOX_BOTTOM,
                "Total kernel allocations: 2",
                "",
                "📊 Device 1 - Total: 0.0996094 MB (2 kernels)",
                "  ┌" + "─".repeat(57) + "┐",
                "  │ Kernel ID: 0x10", "  │   Size:      46 KB", "  │   Owner PID: 43", "  │   Age:       4 seconds",
                "  │",
                "  │ Kernel ID: 0x7f8a2c000000", "  │   Size:      56 KB", "  │   Owner PID: 42",
                "  │   Age:       15 seconds", "  │",
                "  └" + "─".repeat(57) + "┘",
                "", "📋 DUMP_KERNELS complete."), lines);
        assertEquals(lines, texts(s5.dumpKernels(25 * SECOND)));
    }

    @Test
    void queryCarriesCbAndKernelCountersIn144Bytes() {
        accept(s5, alloc(0, 100, 0, 1, 1), AllocMessage.cbAlloc(0, 30, 1, 1, 1),
                AllocMessage.kernelLoad(0, 40, 0, 1, 1, 1));
        AllocMessage r = s5.accept(AllocMessage.query(0)).orElseThrow();
        assertEquals(30, r.cbAllocated());
        assertEquals(40, r.kernelAllocated());
        assertEquals(r, AllocMessageCodec.decode(AllocMessageCodec.encode(r, RecordFormat.BYTES_144)));
    }

    @Test
    void framingDiscardsBadTypeBytesAndGivesUpAfterTenInARow() {
        for (int i = 0; i < 9; i++) {
            s5.accept(AllocMessage.ofTypeCode(0));
        }
        s5.accept(AllocMessage.query(0)); // resets the run
        assertEquals(List.of(), texts(s5.log().lines()));
        List<String> lines = printed(s5, () -> {
            for (int i = 0; i < 10; i++) {
                s5.accept(AllocMessage.ofTypeCode(13 + i));
            }
        });
        assertEquals(List.of("⚠️  Too many consecutive errors (10) - closing connection (likely protocol mismatch)"),
                lines);
        assertEquals(19, s5.anomalies().stream()
                .filter(a -> a.kind() == ServerAnomaly.Kind.INVALID_TYPE_DISCARDED).count());
        assertEquals(List.of("Unknown message type: 4", "Unknown message type: 7"),
                accept(s5, AllocMessage.ofTypeCode(4), AllocMessage.ofTypeCode(7)));
    }

    @Test
    void onlyS5HasKernelDumps() {
        assertThrows(UnsupportedOperationException.class,
                () -> new AllocationServer(ServerVersion.S4).dumpKernels(0));
        List<ServerLine> ok = s5.dumpKernels(0);
        assertEquals("Total kernel allocations: 0", ok.get(4).text());
    }
}
