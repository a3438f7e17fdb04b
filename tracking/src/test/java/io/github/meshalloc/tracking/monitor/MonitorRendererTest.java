package io.github.meshalloc.tracking.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.tracking.server.AllocationServer;
import io.github.meshalloc.tracking.server.DeviceInfo;
import io.github.meshalloc.tracking.server.ServerVersion;
import io.github.meshalloc.tracking.wire.AllocMessage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** MUM/allocation_monitor_client.cpp v1 (83d21905) and v2 (90698e2d), reference section 7. */
class MonitorRendererTest {

    private static final String RULE2 = "═".repeat(71);
    private static final String HEAD = RULE2 + "\n  Cross-Process Memory Monitor (via Allocation Server)\n" + RULE2 + "\n"
            + "Time: 14:30:45 | Refresh: 500ms\n\n";
    private static final String EMPTY_BAR = "[" + "░".repeat(25) + "]";
    private static final DeviceDescription WORMHOLE =
            new DeviceDescription(true, 2, 12, 1_499_136, 12L << 30, 1_499_136L * 80);

    private static DeviceMemorySnapshot v1Snapshot(int dev, long dram, long l1, long l1Small, long trace) {
        return new DeviceMemorySnapshot(dev, dram, l1, l1Small, trace, DeviceMemorySnapshot.DEFAULT_DRAM_TOTAL,
                DeviceMemorySnapshot.DEFAULT_L1_TOTAL, 0, DeviceDescription.UNAVAILABLE);
    }

    @Test
    void formatsBytesLikeFormatBytes() {
        assertEquals("0.00 B", MonitorRenderer.formatBytes(0));
        assertEquals("1023.00 B", MonitorRenderer.formatBytes(1023));
        assertEquals("64.00 KB", MonitorRenderer.formatBytes(65536));
        assertEquals("1.43 MB", MonitorRenderer.formatBytes(1_499_136));
        assertEquals("100.00 MB", MonitorRenderer.formatBytes(104857600));
        assertEquals("12.00 GB", MonitorRenderer.formatBytes(12L << 30));
        assertEquals("1048576.00 TB", MonitorRenderer.formatBytes(1L << 60));
        assertEquals("16777216.00 TB", MonitorRenderer.formatBytes(-1L));
    }

    @Test
    void v1SingleDeviceFrame() {
        MonitorRenderer r = new MonitorRenderer(MonitorVersion.V1, MonitorStyle.PLAIN);
        String frame = r.frame(List.of(v1Snapshot(0, 104857600, 12582912, 65536, 4096)), 500, "14:30:45", 0);
        assertEquals(HEAD
                + "Device 0\n"
                + "\u0080".repeat(70) + "\n"
                + "  DRAM:      100.00 MB /     12.00 GB  " + EMPTY_BAR + " 0.8%\n"
                + "  L1:         12.00 MB /     75.00 MB  [████" + "░".repeat(21) + "] 16.0%\n"
                + "  L1_SMALL: 64.00 KB\n"
                + "  TRACE:    4.00 KB\n"
                + "\n"
                + "💡 TIP: This monitor sees allocations from ALL processes!\n"
                + "   Add more devices with: -d 0 -d 1 -d 2  or use -a for all\n", frame);
        byte[] bytes = MonitorRenderer.toBytes(frame);
        byte[] prefix = (HEAD + "Device 0\n").getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 70; i++) {
            assertEquals((byte) 0x80, bytes[prefix.length + i], "rule byte " + i);
        }
        assertEquals((byte) '\n', bytes[prefix.length + 70]);
        assertEquals(frame.replace("\u0080", "").getBytes(StandardCharsets.UTF_8).length + 70, bytes.length);
        assertTrue(new String(bytes, StandardCharsets.UTF_8).contains("\uFFFD"), "the v1 rule is not valid UTF-8");
    }

    @Test
    void v2MultiDeviceFrameWithDeviceInfoAndFallbackTotals() {
        MonitorRenderer r = new MonitorRenderer(MonitorVersion.V2, MonitorStyle.PLAIN);
        DeviceMemorySnapshot d0 = new DeviceMemorySnapshot(0, 11L << 30, 95_000_000, 0, 0, WORMHOLE.totalDramSize(),
                WORMHOLE.totalL1Size(), 0, WORMHOLE);
        DeviceMemorySnapshot d1 = new DeviceMemorySnapshot(1, 0, 0, 0, 0, DeviceMemorySnapshot.DEFAULT_DRAM_TOTAL,
                DeviceMemorySnapshot.DEFAULT_L1_TOTAL, 0, DeviceDescription.UNAVAILABLE);
        assertEquals(HEAD
                + "Device 0 (Wormhole_B0)\n"
                + "-".repeat(70) + "\n"
                + "  DRAM:       11.00 GB /     12.00 GB  [" + "█".repeat(22) + "░░░] 91.7%\n"
                + "  L1:         90.60 MB /    114.38 MB  [" + "█".repeat(19) + "░".repeat(6) + "] 79.2%\n"
                + "  Device Info: 12 DRAM channels, 1.43 MB L1/core\n"
                + "\n"
                + "Device 1\n"
                + "-".repeat(70) + "\n"
                + "  DRAM:         0.00 B /     12.00 GB  " + EMPTY_BAR + " 0.0%\n"
                + "  L1:           0.00 B /     75.00 MB  " + EMPTY_BAR + " 0.0%\n"
                + "\n"
                + "💡 TIP: This monitor sees allocations from ALL processes!\n",
                r.frame(List.of(d0, d1), 500, "14:30:45", 2));
    }

    @Test
    void ansiStyleColoursCellsAndPercentagesByThreshold() {
        MonitorRenderer r = new MonitorRenderer(MonitorVersion.V2, MonitorStyle.ANSI);
        DeviceMemorySnapshot d0 = new DeviceMemorySnapshot(0, 11L << 30, 95_000_000, 0, 0, WORMHOLE.totalDramSize(),
                WORMHOLE.totalL1Size(), 0, WORMHOLE);
        String frame = r.frame(List.of(d0), 500, "14:30:45", 1);
        assertTrue(frame.contains("\033[1m\033[36mDevice 0 (Wormhole_B0)\033[0m\n"), frame);
        assertTrue(frame.contains("[" + "\033[31m█\033[0m".repeat(22) + "░░░] \033[31m91.7%\033[0m\n"), frame);
        assertTrue(frame.contains("] \033[33m79.2%\033[0m\n"), frame);
        assertTrue(frame.contains("  \033[1mDevice Info:\033[0m 12 DRAM channels"), frame);
        assertTrue(!frame.contains("Add more devices"), "v2 hints only when the server has more than one device");
        String greenish = new MonitorRenderer(MonitorVersion.V1, MonitorStyle.ANSI)
                .frame(List.of(v1Snapshot(0, 0, 12582912, 0, 0)), 1000, "00:00:00", 0);
        assertTrue(greenish.contains("\033[32m█\033[0m".repeat(4) + "░".repeat(21) + "] \033[32m16.0%\033[0m"),
                greenish);
    }

    @Test
    void aWrappedCounterDrawsAnEmptyBarWithAHugePercentageLikeX86() {
        MonitorRenderer r = new MonitorRenderer(MonitorVersion.V1, MonitorStyle.PLAIN);
        String frame = r.frame(List.of(v1Snapshot(0, 0, -1L, 0, 0)), 500, "14:30:45", 0);
        assertTrue(frame.contains("  L1:     16777216.00 TB /     75.00 MB  " + EMPTY_BAR + " 23456248059221.3%\n"),
                frame);
        assertEquals(Integer.MIN_VALUE, MonitorRenderer.x86Truncate(Double.NaN));
        assertEquals(-3, MonitorRenderer.x86Truncate(-3.9));
    }

    @Test
    void bannerAndAutoDetection() {
        MonitorRenderer v2 = new MonitorRenderer(MonitorVersion.V2, MonitorStyle.PLAIN);
        assertEquals("🔍 Auto-detected 8 device(s)\n", v2.autoDetectLine(8));
        assertEquals("⚠️  No devices detected, defaulting to device 0\n", v2.autoDetectLine(0));
        assertEquals("\n📊 Allocation Server Monitor\n   Monitoring device(s): 0, 1, 2\n   Refresh: 500ms\n"
                + "   Press Ctrl+C to exit\n\n", v2.banner(List.of(0, 1, 2), 500));
        assertThrows(IllegalStateException.class,
                () -> new MonitorRenderer(MonitorVersion.V1, MonitorStyle.PLAIN).autoDetectLine(1));
    }

    @Test
    void v2HintsWhenOneOfSeveralServerDevicesIsShown() {
        MonitorRenderer r = new MonitorRenderer(MonitorVersion.V2, MonitorStyle.PLAIN);
        DeviceMemorySnapshot d = new DeviceMemorySnapshot(3, 0, 0, 0, 0, DeviceMemorySnapshot.DEFAULT_DRAM_TOTAL,
                DeviceMemorySnapshot.DEFAULT_L1_TOTAL, 0, DeviceDescription.UNAVAILABLE);
        assertTrue(r.frame(List.of(d), 500, "14:30:45", 8)
                .endsWith("   Add more devices with: -d 0 -d 1 -d 2  or use -a to auto-detect all\n"));
    }

    @Test
    void badInputIsRejectedClearly() {
        MonitorRenderer v1 = new MonitorRenderer(MonitorVersion.V1, MonitorStyle.PLAIN);
        DeviceMemorySnapshot described = new DeviceMemorySnapshot(0, 0, 0, 0, 0, 12L << 30, 1_499_136L * 80, 0,
                WORMHOLE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> v1.frame(List.of(described), 500, "14:30:45", 0));
        assertTrue(e.getMessage().contains("v1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> v1.frame(List.of(v1Snapshot(0, 0, 0, 0, 0)), 500,
                "2:30:45", 0));
        assertThrows(IllegalArgumentException.class, () -> v1.frame(List.of(), 500, "14:30:45", 0));
    }

    @Test
    void snapshotsFromServerRepliesAndFromTheServerModel() {
        AllocationServer s2 = AllocationServer.builder(ServerVersion.S2)
                .devices(List.of(DeviceInfo.of(2, 12, 1L << 30, 1_499_136, 8, 10, false))).build();
        s2.accept(AllocMessage.alloc(0, 4194304, 0, 1, 2560032, 0));
        DeviceDescription info = DeviceDescription.fromResponse(s2.accept(AllocMessage.deviceInfoQuery(0))
                .orElseThrow());
        assertEquals(WORMHOLE, info);
        DeviceMemorySnapshot fromWire = DeviceMemorySnapshot.fromResponse(s2.accept(AllocMessage.query(0))
                .orElseThrow(), info);
        assertEquals(4194304, fromWire.dramUsed());
        assertEquals(12L << 30, fromWire.dramTotal());
        assertEquals(0, fromWire.numBuffers());
        DeviceMemorySnapshot fromModel = DeviceMemorySnapshot.ofServer(s2, 0, DeviceDescription.UNAVAILABLE);
        assertEquals(1, fromModel.numBuffers());
        assertEquals(DeviceMemorySnapshot.DEFAULT_L1_TOTAL, fromModel.l1Total());
        assertEquals(DeviceDescription.UNAVAILABLE, DeviceDescription.fromResponse(
                s2.accept(AllocMessage.deviceInfoQuery(5)).orElseThrow()));
        assertThrows(IllegalArgumentException.class,
                () -> DeviceDescription.fromResponse(AllocMessage.query(0)));
    }

    @Test
    void aSnapshotDividesByTheDescribedTotalsElseTheFallbackAndIsBuiltOnlyFromAResponse() {
        // reference 7: v2 divides by the server's device info (Blackhole p150 here: 8 channels of 0xFF000000 B,
        // 1,572,864 B of L1 on a 13x10 grid), falling back to 12 GiB / 75 MiB without it
        AllocationServer s2 = AllocationServer.builder(ServerVersion.S2)
                .devices(List.of(DeviceInfo.of(3, 8, 4_278_190_080L, 1_572_864, 13, 10, false))).build();
        s2.accept(AllocMessage.alloc(0, 4194304, 1, 1, 111_616, 0));
        AllocMessage info = s2.accept(AllocMessage.deviceInfoQuery(0)).orElseThrow();
        DeviceDescription blackhole = DeviceDescription.fromResponse(info);
        AllocMessage response = s2.accept(AllocMessage.query(0)).orElseThrow();
        DeviceMemorySnapshot described = DeviceMemorySnapshot.fromResponse(response, blackhole);
        assertEquals(8 * 4_278_190_080L, described.dramTotal());
        assertEquals(1_572_864L * 13 * 10, described.l1Total());
        assertEquals(4194304, described.l1Used());
        DeviceMemorySnapshot fallback = DeviceMemorySnapshot.fromResponse(response, DeviceDescription.UNAVAILABLE);
        assertEquals(DeviceMemorySnapshot.DEFAULT_DRAM_TOTAL, fallback.dramTotal());
        assertEquals(DeviceMemorySnapshot.DEFAULT_L1_TOTAL, fallback.l1Total());
        DeviceMemorySnapshot fromModel = DeviceMemorySnapshot.ofServer(s2, 0, blackhole);
        assertEquals(8 * 4_278_190_080L, fromModel.dramTotal());
        assertEquals(1, fromModel.numBuffers());
        for (AllocMessage notAResponse : List.of(AllocMessage.query(0), info)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> DeviceMemorySnapshot.fromResponse(notAResponse, blackhole));
            assertEquals("expected a RESPONSE (type 4) but got type " + notAResponse.typeCode(), e.getMessage());
        }
    }

    @Test
    void aKibibyteIsTheFirstSizeShownInTheNextUnit() {
        // format_bytes divides while size >= 1024.0
        assertEquals("1.00 KB", MonitorRenderer.formatBytes(1024));
        assertEquals("1.00 MB", MonitorRenderer.formatBytes(1L << 20));
        assertEquals("1024.00 TB", MonitorRenderer.formatBytes(1L << 50));
    }

    @Test
    void colourThresholdsIncludeTheirBoundary() {
        // get_color: >= 90.0 red, >= 75.0 yellow, else green
        assertEquals("\033[31m", MonitorRenderer.color(90.0));
        assertEquals("\033[33m", MonitorRenderer.color(Math.nextDown(90.0)));
        assertEquals("\033[33m", MonitorRenderer.color(75.0));
        assertEquals("\033[32m", MonitorRenderer.color(Math.nextDown(75.0)));
    }

    @Test
    void twoToTheThirtyFirstIsAlreadyOutOfRangeForCvttsd2si() {
        assertEquals(Integer.MIN_VALUE, MonitorRenderer.x86Truncate(2147483648.0));
        assertEquals(Integer.MAX_VALUE, MonitorRenderer.x86Truncate(Math.nextDown(2147483648.0)));
        assertEquals(Integer.MIN_VALUE, MonitorRenderer.x86Truncate(-2147483648.5));
    }

    @Test
    void eachBadArgumentIsRejectedByItsOwnCheck() {
        MonitorRenderer v2 = new MonitorRenderer(MonitorVersion.V2, MonitorStyle.PLAIN);
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> v2.autoDetectLine(-1));
        assertTrue(negative.getMessage().contains("-1"), negative.getMessage());
        assertThrows(IllegalArgumentException.class, () -> v2.banner(List.of(), 500));
        DeviceMemorySnapshot plain = v1Snapshot(0, 0, 0, 0, 0);
        for (String time : List.of("1x:30:45", "14:3x:45", "14:30:4x", "x4:30:45", "14:x0:45", "14:30:x5")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> v2.frame(List.of(plain), 500, time, 1), time);
            assertTrue(e.getMessage().contains(time), e.getMessage());
        }
        MonitorRenderer v1 = new MonitorRenderer(MonitorVersion.V1, MonitorStyle.PLAIN);
        // v1's own totals, but a device description v1 cannot have asked for
        DeviceMemorySnapshot describedV1Totals = new DeviceMemorySnapshot(0, 0, 0, 0, 0,
                DeviceMemorySnapshot.DEFAULT_DRAM_TOTAL, DeviceMemorySnapshot.DEFAULT_L1_TOTAL, 0, WORMHOLE);
        IllegalArgumentException info = assertThrows(IllegalArgumentException.class,
                () -> v1.frame(List.of(describedV1Totals), 500, "14:30:45", 0));
        assertTrue(info.getMessage().contains("no device info"), info.getMessage());
        // no description, but totals other than 12 GiB / 75 MiB
        DeviceMemorySnapshot otherTotals = new DeviceMemorySnapshot(0, 0, 0, 0, 0, 12L << 30, 1_499_136L * 80, 0,
                DeviceDescription.UNAVAILABLE);
        IllegalArgumentException totals = assertThrows(IllegalArgumentException.class,
                () -> v1.frame(List.of(otherTotals), 500, "14:30:45", 0));
        assertTrue(totals.getMessage().contains("12 GiB DRAM and 75 MiB L1"), totals.getMessage());
    }
}
