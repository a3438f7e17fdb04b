package io.github.meshalloc.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.allocator.ArchPreset;
import io.github.meshalloc.allocator.BufferType;
import io.github.meshalloc.allocator.TtFatalException;
import io.github.meshalloc.mesh.DeviceLocalBufferConfig;
import io.github.meshalloc.mesh.MeshBuffer;
import io.github.meshalloc.mesh.MeshBufferConfig;
import io.github.meshalloc.mesh.MeshDevice;
import io.github.meshalloc.mesh.MeshShape;
import io.github.meshalloc.tracking.log.LogParseException;
import io.github.meshalloc.tracking.log.ServerLogParser;
import io.github.meshalloc.tracking.server.AllocationServer;
import io.github.meshalloc.tracking.server.ServerVersion;
import io.github.meshalloc.tracking.wire.AllocMessage;
import io.github.meshalloc.tracking.wire.AllocMessageCodec;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The bad-input catalogue rows owned by mesh and tracking (README, "Bad input"): exception type or server
 * reaction, a message naming the bad value and what is allowed, and no state change.
 */
class BadInputCatalogueTest {

    private static <T extends Throwable> T assertRejected(Class<T> type, Executable call, Supplier<Object> state,
                                                          String... fragments) {
        Object before = state.get();
        T e = assertThrows(type, call);
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' lacks '" + fragment + "'");
        }
        assertEquals(before, state.get(), "state changed by a rejected call");
        return e;
    }

    private static Supplier<Object> serverState(AllocationServer server) {
        return () -> List.of(server.liveEntries(), server.counters(0), server.counters(1), server.activeAllocations(),
                server.unknownFreeCount());
    }

    @Test
    void unknownPresetName() {
        assertRejected(IllegalArgumentException.class, () -> RuleSet.preset("seed-005"), () -> RuleSet.PRESETS,
                "'seed-005'", "known presets", "seed-004", "meshalloc-fix");
    }

    @Test
    void recordOfTheWrongSize() {
        assertRejected(IllegalArgumentException.class, () -> AllocMessageCodec.decode(new byte[100]), () -> "none",
                "100", "72", "112", "144");
    }

    @Test
    void malformedEventLineInStrictMode() {
        LogParseException e = assertRejected(LogParseException.class,
                () -> ServerLogParser.strict().parseLine("✓ [PID 12] Allocated lots of DRAM on device 0", 42),
                () -> "none", "42");
        assertEquals(42, e.lineNumber());
        assertEquals("✓ [PID 12] Allocated lots of DRAM on device 0", e.line());
    }

    @Test
    void invalidBufferTypeInARecordIsLoggedAndIgnored() {
        AllocationServer server = new AllocationServer(ServerVersion.S4);
        server.accept(AllocMessage.alloc(0, 4096, 0, 7, 64, 1));
        Object before = serverState(server).get();
        int lines = server.log().size();
        server.accept(AllocMessage.alloc(0, 4096, 9, 7, 128, 2));
        assertEquals(before, serverState(server).get());
        String line = server.log().lines().get(lines).text();
        assertTrue(line.contains("Invalid buffer_type 9") && line.contains("128"), line);
    }

    @Test
    void deviceIdOutsideTheEightSupportedOnS5IsLoggedAndIgnored() {
        AllocationServer server = new AllocationServer(ServerVersion.S5);
        Object before = serverState(server).get();
        server.accept(AllocMessage.alloc(2657333, 4096, 0, 7, 64, 1));
        assertEquals(before, serverState(server).get());
        assertTrue(server.log().texts().stream().anyMatch(t -> t.contains("Invalid device_id 2657333")));
    }

    @Test
    void meshBufferOnAClosedMesh() {
        Host host = new Host(ServerVersion.S4);
        SimulatedProcess process = host.startProcess(RuleSet.MESHALLOC_FIX);
        MeshDevice mesh = process.openMesh(new MeshShape(1, 2), ArchPreset.WORMHOLE_B0.config());
        mesh.close();
        assertRejected(IllegalStateException.class, () -> MeshBuffer.create(new MeshBufferConfig.Replicated(2048),
                DeviceLocalBufferConfig.interleaved(2048, BufferType.DRAM), mesh), serverState(host.server()),
                "closed", "open mesh");
    }

    @Test
    void unknownSubDeviceManager() {
        Host host = new Host(ServerVersion.S4);
        MeshDevice mesh = host.startProcess(RuleSet.MESHALLOC_FIX).openMesh(new MeshShape(1, 1),
                ArchPreset.WORMHOLE_B0.config());
        long active = mesh.activeSubDeviceManagerId();
        assertRejected(TtFatalException.class, () -> mesh.loadSubDeviceManager(987), mesh::activeSubDeviceManagerId,
                "Sub device manager does not exist");
        assertEquals(active, mesh.activeSubDeviceManagerId());
    }

    @Test
    void killingAProcessThatIsNotAlive() {
        Host host = new Host(ServerVersion.S4);
        assertRejected(IllegalArgumentException.class, () -> host.killProcess(4242), host::livePids, "4242",
                "live");
    }
}
