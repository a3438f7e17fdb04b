package io.github.meshalloc.tracking.server;

import static io.github.meshalloc.tracking.server.ServerTestSupport.accept;
import static io.github.meshalloc.tracking.server.ServerTestSupport.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.tracking.log.LogStream;
import io.github.meshalloc.tracking.log.ServerLine;
import io.github.meshalloc.tracking.wire.AllocMessage;
import io.github.meshalloc.tracking.wire.AllocMessageCodec;
import io.github.meshalloc.tracking.wire.MessageType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** S2-S5 start-up detection lines and DEVICE_INFO_QUERY (reference 2.4 and 4, start-up). */
class DeviceDetectionTest {

    private static final DeviceInfo WORMHOLE = DeviceInfo.of(2, 12, 1L << 30, 1_499_136, 8, 10, false);
    private static final DeviceInfo BLACKHOLE_REMOTE = DeviceInfo.of(3, 8, 4_278_190_080L, 1_572_864, 14, 10, true);

    private static AllocationServer server(ServerVersion v, List<DeviceInfo> devices) {
        return AllocationServer.builder(v).devices(devices).build();
    }

    @Test
    void s2PrintsPcieWordingAndQueryFailuresOnStderr() {
        AllocationServer s = server(ServerVersion.S2, List.of(WORMHOLE, DeviceInfo.failed("boom")));
        List<ServerLine> lines = s.start();
        assertEquals(List.of("🔍 Device detection (using TT-Metal APIs):",
                "   Device 0: Wormhole_B0 (12GB DRAM, 114MB L1)",
                "   Warning: Could not query device 1: boom",
                "   Total: 2 PCIe device(s) detected",
                "🚀 Allocation Server started", "   Listening on: /tmp/tt_allocation_server.sock",
                "   Press Ctrl+C to stop", "🔄 Background cleanup thread started (checking every 10s)"), texts(lines));
        assertEquals(LogStream.STDERR, lines.get(2).stream());
    }

    @Test
    void noDevicesWordingDiffersBetweenS2AndS3() {
        assertEquals(List.of("🔍 Device detection (using TT-Metal APIs):", "   No PCIe devices detected",
                "   Server will track allocations anyway"), texts(server(ServerVersion.S2, List.of()).start())
                .subList(0, 3));
        assertEquals(List.of("🔍 Device detection (using TT-Metal APIs):", "   No devices detected",
                "   Server will track allocations anyway"), texts(server(ServerVersion.S3, List.of()).start())
                .subList(0, 3));
    }

    @Test
    void moreThanEightDevicesAreCapped() {
        AllocationServer s = server(ServerVersion.S4, Collections.nCopies(9, WORMHOLE));
        List<String> lines = texts(s.start());
        assertEquals("   Warning: Found 9 devices, limiting to 8", lines.get(1));
        assertEquals("   Total: 8 device(s) detected", lines.get(10));
        assertEquals(8, s.detectedDevices().size());
        assertEquals(8, s.accept(AllocMessage.deviceInfoQuery(-1)).orElseThrow().numDevices());
    }

    @Test
    void s5PrintsSocDetailsAndLocality() {
        AllocationServer s = server(ServerVersion.S5, List.of(WORMHOLE, BLACKHOLE_REMOTE));
        List<String> lines = texts(s.start());
        assertEquals(List.of("🔍 Device detection (using UMD Cluster for accurate specs):",
                "DRAM size per channel: 1073741824", "Number of DRAM channels: 12", "L1 size per core: 1499136",
                "Grid size: 8x10", "Arch: Wormhole_B0", "Is remote: 0",
                "   Device 0: Wormhole_B0 (12GB DRAM, 114MB L1) [Local]",
                "DRAM size per channel: 4278190080", "Number of DRAM channels: 8", "L1 size per core: 1572864",
                "Grid size: 14x10", "Arch: Blackhole", "Is remote: 1",
                "   Device 1: Blackhole (31GB DRAM, 210MB L1) [Remote]",
                "   Total: 2 device(s) detected"), lines.subList(0, 16));
    }

    @Test
    void deviceInfoQueryAnswersCountPerDeviceFieldsAndZeros() {
        AllocationServer s = server(ServerVersion.S2, List.of(WORMHOLE, DeviceInfo.failed("boom")));
        AllocMessage count = s.accept(AllocMessage.deviceInfoQuery(-1)).orElseThrow();
        assertEquals(MessageType.DEVICE_INFO_RESPONSE.code(), count.typeCode());
        assertEquals(-1, count.deviceId());
        assertEquals(2, count.numDevices());
        assertEquals(1, count.isAvailable());
        AllocMessage d0 = s.accept(AllocMessage.deviceInfoQuery(0)).orElseThrow();
        assertEquals(1, d0.isAvailable());
        assertEquals(2, d0.archType());
        assertEquals(12, d0.numDramChannels());
        assertEquals(1L << 30, d0.dramSizePerChannel());
        assertEquals(1_499_136, d0.l1SizePerCore());
        assertEquals(12L << 30, d0.totalDramSize());
        assertEquals(1_499_136L * 80, d0.totalL1Size());
        assertEquals(0, d0.numDevices());
        assertEquals(112, AllocMessageCodec.encode(d0, s.version().recordFormat()).length);
        List<AllocMessage> zeros = new ArrayList<>();
        for (int dev : new int[] {1, 5, 9, -2}) {
            zeros.add(s.accept(AllocMessage.deviceInfoQuery(dev)).orElseThrow());
        }
        for (AllocMessage z : zeros) {
            assertEquals(AllocMessage.builder(MessageType.DEVICE_INFO_RESPONSE).deviceId(z.deviceId()).build(), z);
        }
        AllocMessage none = server(ServerVersion.S3, List.of()).accept(AllocMessage.deviceInfoQuery(-1)).orElseThrow();
        assertEquals(0, none.isAvailable());
    }

    @Test
    void versionsWithoutDetectionIgnoreDevicesAndTheQuery() {
        AllocationServer s1 = server(ServerVersion.S1, List.of(WORMHOLE));
        assertEquals("🚀 Allocation Server started", texts(s1.start()).get(0));
        assertEquals(List.of("Unknown message type: 6"), accept(s1, AllocMessage.deviceInfoQuery(-1)));
        assertEquals(List.of(), s1.detectedDevices());
    }

    @Test
    void deviceInfoRejectsOutOfRangeWordsAndEmptyErrors() {
        assertThrows(IllegalArgumentException.class, () -> DeviceInfo.of(2, 1L << 32, 1, 1, 1, 1, false));
        assertThrows(IllegalArgumentException.class, () -> DeviceInfo.failed(""));
    }

    @Test
    void deviceInfoTakesTheWholeU32RangeOfEveryWord() {
        long u32Max = 4294967295L;
        DeviceInfo max = DeviceInfo.of(u32Max, u32Max, u32Max, u32Max, u32Max, u32Max, true);
        assertEquals(u32Max, max.dramSizePerChannel());
        assertEquals(u32Max * u32Max, max.totalDramSize()); // u64 product, as the server computes it
        for (int word = 0; word < 6; word++) {
            long[] w = {1, 1, 1, 1, 1, 1};
            w[word] = u32Max + 1;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> DeviceInfo.of(w[0], w[1], w[2], w[3], w[4], w[5], false));
            assertTrue(e.getMessage().endsWith(" is 4294967296; allowed 0..4294967295"), e.getMessage());
        }
    }
}
