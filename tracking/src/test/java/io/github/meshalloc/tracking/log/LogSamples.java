package io.github.meshalloc.tracking.log;

import io.github.meshalloc.tracking.log.LogEvent.HistoryKind;
import io.github.meshalloc.tracking.log.LogEvent.Locality;
import io.github.meshalloc.tracking.log.LogEvent.SocDetailLabel;
import io.github.meshalloc.tracking.log.LogEvent.StatsLabel;
import io.github.meshalloc.tracking.log.LogEvent.SweepCategory;
import io.github.meshalloc.tracking.wire.KernelKind;
import java.util.LinkedHashMap;
import java.util.Map;

/** One hand-written example line per line kind, with the event it must render from and parse to. */
final class LogSamples {

    private LogSamples() {
    }

    static Map<LogEvent, String> all() {
        Map<LogEvent, String> m = new LinkedHashMap<>();
        m.put(new LogEvent.AllocNew(1714322, 4194304, 0, 0, 2560032, IdFormat.DECIMAL),
                "✓ [PID 1714322] Allocated 4194304 bytes of DRAM on device 0 (buffer_id=2560032)");
        m.put(new LogEvent.AllocNew(12345, 1048576, 1, 0, 0x3ffff800L, IdFormat.HEX),
                "✓ [PID 12345] Allocated 1048576 bytes of L1 on device 0 (buffer_id=0x3ffff800)");
        m.put(new LogEvent.AllocDup(-5, -1L, 3, 7, -1L, IdFormat.DECIMAL, 2),
                "✓ [PID -5] Allocated 18446744073709551615 bytes of L1_SMALL on device 7 "
                        + "(buffer_id=18446744073709551615, ref_count=2)");
        m.put(new LogEvent.AllocDup(9, 12288, 2, -1, 0xffffffffffffffffL, IdFormat.HEX, 3),
                "✓ [PID 9] Allocated 12288 bytes of SYSTEM_MEMORY on device -1 (buffer_id=0xffffffffffffffff, "
                        + "ref_count=3)");
        m.put(new LogEvent.FreePartial(12345, 0x3ffff800L, IdFormat.HEX, 3, 12288, 1),
                "✗ [PID 12345] Freed buffer 0x3ffff800 on device 3 (12288 bytes, ref_count=1 remaining)");
        m.put(new LogEvent.FreeFinal(12345, 2560032, IdFormat.DECIMAL, 0, 4194304),
                "✗ [PID 12345] Freed buffer 2560032 on device 0 (4194304 bytes, FINAL)");
        m.put(new LogEvent.FreeE1(1714322, 3700768, IdFormat.DECIMAL, 0, 1048576),
                "✗ [PID 1714322] Freed buffer 3700768 on device 0 (1048576 bytes)");
        m.put(new LogEvent.FreeE0(12345, 1, IdFormat.DECIMAL, 1048576),
                "✗ [PID 12345] Freed buffer 1 (1048576 bytes)");
        m.put(new LogEvent.UnknownFree(4242, 0x271020L, IdFormat.HEX, 5),
                "⚠ [PID 4242] Deallocation for unknown buffer 0x271020 on device 5 (allocated before tracking "
                        + "started)");
        m.put(new LogEvent.UnknownFreeLegacy(1073739776L),
                "⚠ Warning: Deallocation for unknown buffer 1073739776");
        m.put(new LogEvent.UnknownFreeNeverTracked(77, 0xabcL, 2),
                "⚠ [PID 77] Deallocation for unknown buffer 0xabc on device 2 (never tracked or allocated before "
                        + "server started)");
        m.put(new LogEvent.AlreadyFreed(77, 0xabcL, 2, 1, 2),
                "⚠ [PID 77] Deallocation for ALREADY FREED buffer 0xabc on device 2 (allocs=1 frees=2)");
        m.put(new LogEvent.HistoryLine(5, HistoryKind.FREE, 524288, 77, 0), "     FREE size=524288 pid=77 ref=0");
        m.put(new LogEvent.HistoryLine(8, HistoryKind.ALLOC, 1, 2, 1), "        ALLOC size=1 pid=2 ref=1");
        m.put(new LogEvent.HistoryLine(4, HistoryKind.REUSE, 98304, 3, 2), "    REUSE size=98304 pid=3 ref=2");
        m.put(new LogEvent.SizeChanged(10, 524288, 98304, 25718784, 2),
                "⚠ [PID 10] Buffer reused with DIFFERENT size: old=524288 new=98304 (buffer_id=25718784, device=2)");
        m.put(new LogEvent.BadType(3, 7, 4096, 1), "⚠ [PID 3] Invalid buffer_type 7 for buffer 4096 on device 1");
        m.put(new LogEvent.BadTypeS5(200, 4096, 1), "⚠️  Invalid buffer_type 200 for buffer 4096 on device 1");
        m.put(new LogEvent.BadTypeShort(3, 9), "⚠ [PID 3] Invalid buffer_type 9");
        m.put(new LogEvent.BadDevice(2657333), "⚠️  Invalid device_id 2657333 - ignoring message");
        m.put(new LogEvent.BadSize(0), "⚠️  Invalid size 0 - ignoring message");
        m.put(new LogEvent.UnknownType(6), "Unknown message type: 6");
        m.put(new LogEvent.ResyncGiveUp(10),
                "⚠️  Too many consecutive errors (10) - closing connection (likely protocol mismatch)");
        m.put(new LogEvent.CbAlloc(0, 0.0546875, 21.7494), "✓ [CB_ALLOC] Device 0: +0.0546875 MB (Total: 21.7494 MB)");
        m.put(new LogEvent.CbFree(0, 0, 21.7494), "✗ [CB_FREE] Device 0: -0 MB (Total: 21.7494 MB)");
        m.put(new LogEvent.KernelLoad(KernelKind.APPLICATION, 0, 2.5, 382.2),
                "✓ [KERNEL_LOAD] Application kernel on Device 0: +2.5 MB (Total: 382.2 MB)");
        m.put(new LogEvent.KernelUnload(KernelKind.UNKNOWN, 1, 0.0449219, 1.75922e+13),
                "✗ [KERNEL_UNLOAD] Unknown kernel on Device 1: -0.0449219 MB (Total: 1.75922e+13 MB)");
        m.put(new LogEvent.Constant(ConstantLine.BLANK), "");
        m.put(new LogEvent.Constant(ConstantLine.BOX_TOP),
                "╔══════════════════════════════════════════════════════════════╗");
        m.put(new LogEvent.Constant(ConstantLine.REMAINING_TITLE),
                "║           REMAINING ALLOCATED BUFFERS                       ║");
        m.put(new LogEvent.Constant(ConstantLine.DOUBLE_FREED_TITLE),
                "║           DOUBLE-FREED BUFFERS                              ║");
        m.put(new LogEvent.Constant(ConstantLine.KERNEL_TABLE_TOP),
                "  ┌─────────────────────────────────────────────────────────┐");
        m.put(new LogEvent.Constant(ConstantLine.SWEEP_HEADER),
                "⚠️  Detected dead processes, cleaning up orphaned buffers...");
        m.put(new LogEvent.Constant(ConstantLine.STATS_HEADER), "📊 Current Statistics:");
        m.put(new LogEvent.TotalTracked(3), "Total tracked allocations: 3");
        m.put(new LogEvent.DumpDevice(0), "Device 0:");
        m.put(new LogEvent.DumpTypeGroup(0, 2, 0.0351562), "  DRAM: 2 buffers, 0.0351562 MB total");
        m.put(new LogEvent.DumpBuffer(0x3ffff800L, 12, 1714322, 2),
                "    - Buffer 0x3ffff800: 12 KB (PID 1714322, ref_count=2)");
        m.put(new LogEvent.DumpHistoryHeader(2, 1), "      History (allocs=2 frees=1):");
        m.put(new LogEvent.TotalRemaining(3), "Total remaining buffers: 3");
        m.put(new LogEvent.DoubleFreedSummary(4), "⚠️  However, found 4 buffers that were DOUBLE-FREED during execution!");
        m.put(new LogEvent.DoubleFreedBuffer(0x2a, 6), "Buffer 0x2a on device 6:");
        m.put(new LogEvent.DoubleFreedTotals(1, 2), "  Total allocs: 1, Total frees: 2");
        m.put(new LogEvent.SweepDeadPid(31337), "   PID 31337 is dead, removing its buffers...");
        m.put(new LogEvent.SweepRemoved(SweepCategory.BUFFERS, 0, 0, 31337), "   ✓ Removed 0 buffers (0 MB) from PID 31337");
        m.put(new LogEvent.SweepRemoved(SweepCategory.KERNELS, 4, 0.199219, 5),
                "   ✓ Removed 4 kernels (0.199219 MB) from PID 5");
        m.put(new LogEvent.SweepRemoved(SweepCategory.CBS, 6, 0.0214844, 5), "   ✓ Removed 6 CBs (0.0214844 MB) from PID 5");
        m.put(new LogEvent.StatsDevice(0), "  Device 0:");
        m.put(new LogEvent.StatsBuffers(18), "    Buffers: 18");
        m.put(new LogEvent.StatsBytesKb(StatsLabel.DRAM, 14753792, 14408), "    DRAM: 14753792 bytes (14408 KB)");
        m.put(new LogEvent.StatsBytesKb(StatsLabel.L1, 22528, 22), "    L1: 22528 bytes (22 KB)");
        m.put(new LogEvent.StatsBytes(StatsLabel.TOTAL, 14776320), "    Total: 14776320 bytes");
        m.put(new LogEvent.StatsBytes(StatsLabel.DRAM, 26214400), "    DRAM: 26214400 bytes");
        m.put(new LogEvent.StatsKb(StatsLabel.TOTAL, 4.1943e+06), "    Total: 4.1943e+06 KB");
        m.put(new LogEvent.ActiveAllocations(59), "  Active allocations: 59");
        m.put(new LogEvent.KernelDumpTotal(4), "Total kernel allocations: 4");
        m.put(new LogEvent.KernelDeviceHeader(0, 0.199219, 4), "📊 Device 0 - Total: 0.199219 MB (4 kernels)");
        m.put(new LogEvent.KernelIdLine(0x7f8a2c000000L), "  │ Kernel ID: 0x7f8a2c000000");
        m.put(new LogEvent.KernelSizeLine(56), "  │   Size:      56 KB");
        m.put(new LogEvent.KernelOwnerLine(4242), "  │   Owner PID: 4242");
        m.put(new LogEvent.KernelAgeLine(-3), "  │   Age:       -3 seconds");
        m.put(new LogEvent.DetectedDevice(0, "Wormhole_B0", 12, 143, Locality.NONE),
                "   Device 0: Wormhole_B0 (12GB DRAM, 143MB L1)");
        m.put(new LogEvent.DetectedDevice(1, "Blackhole", 31, 180, Locality.REMOTE),
                "   Device 1: Blackhole (31GB DRAM, 180MB L1) [Remote]");
        m.put(new LogEvent.DetectionTotal(8, true), "   Total: 8 PCIe device(s) detected");
        m.put(new LogEvent.DetectionTotal(2, false), "   Total: 2 device(s) detected");
        m.put(new LogEvent.DetectionLimit(32), "   Warning: Found 32 devices, limiting to 8");
        m.put(new LogEvent.DeviceQueryFailed(3, "Exactly 2 or 14 ETH cores should be harvested"),
                "   Warning: Could not query device 3: Exactly 2 or 14 ETH cores should be harvested");
        m.put(new LogEvent.SocDetail(SocDetailLabel.GRID_SIZE, "8x10"), "Grid size: 8x10");
        m.put(new LogEvent.SocDetail(SocDetailLabel.IS_REMOTE, "0"), "Is remote: 0");
        m.put(new LogEvent.Other("Device 0: Buffers: 18, DRAM: 14790656 bytes, L1: 22528 bytes"),
                "Device 0: Buffers: 18, DRAM: 14790656 bytes, L1: 22528 bytes");
        return m;
    }
}
