package io.github.meshalloc.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.allocator.Buffer;
import io.github.meshalloc.allocator.BufferType;
import io.github.meshalloc.mesh.MeshDevice;
import io.github.meshalloc.mesh.MeshShape;
import io.github.meshalloc.tracking.ops.Catalog;
import io.github.meshalloc.tracking.server.AllocationServer;
import io.github.meshalloc.tracking.server.ServerVersion;
import org.junit.jupiter.api.Test;

/** {@link Host}'s server settings: applied to the first server and to every restarted one. */
class HostTest {

    private static void allocateOneBuffer(Host host) {
        SimulatedProcess process = host.startProcess(RuleSet.MESHALLOC_FIX);
        MeshDevice mesh = process.openMesh(new MeshShape(1, 1), Catalog.DEFAULT.chipConfig());
        Buffer.create(mesh.devices().get(0), 2048, 2048, BufferType.DRAM);
    }

    @Test
    void aQuietHostsServerTracksButPrintsNothingAlsoAfterARestart() {
        Host host = new Host(ServerVersion.S4, b -> b.quiet(true));
        allocateOneBuffer(host);
        assertEquals(1, host.server().activeAllocations());
        assertEquals(0, host.server().log().size());

        AllocationServer first = host.server();
        host.restartServer();
        assertNotSame(first, host.server());
        allocateOneBuffer(host);
        assertEquals(1, host.server().activeAllocations());
        assertEquals(0, host.server().log().size());
    }

    @Test
    void theDefaultHostsServerPrintsEveryAllocation() {
        Host host = new Host(ServerVersion.S4);
        allocateOneBuffer(host);
        assertEquals(1, host.server().activeAllocations());
        assertTrue(host.server().log().size() > 0);
    }

    @Test
    void stepsCountUpFromOne() {
        Host host = new Host(ServerVersion.S4);
        assertEquals(1, host.nextStep());
        assertEquals(2, host.nextStep());
    }

    @Test
    void nullSettingsAreRefused() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> new Host(ServerVersion.S4, null));
        assertEquals("serverSettings", e.getMessage());
    }

    @Test
    void aStoppedServerHearsNothingUntilItIsRestarted() {
        Host host = new Host(ServerVersion.S4);
        assertTrue(host.isServerUp());
        host.stopServer();
        assertFalse(host.isServerUp());
        allocateOneBuffer(host);
        assertEquals(0, host.server().activeAllocations(), "the client drops messages while the server is down");
        assertEquals(0, host.server().log().size());
        host.restartServer();
        assertTrue(host.isServerUp());
        allocateOneBuffer(host);
        assertEquals(1, host.server().activeAllocations());
    }

    @Test
    void pidsCountUpFromTheFirstPidAndLivePidsAreTheUnkilledOnesAscending() {
        Host host = new Host(ServerVersion.S4);
        int first = host.startProcess(RuleSet.MESHALLOC_FIX).pid();
        int second = host.startProcess(RuleSet.MESHALLOC_FIX).pid();
        int third = host.startProcess(RuleSet.MESHALLOC_FIX).pid();
        assertEquals(java.util.List.of(Host.FIRST_PID, Host.FIRST_PID + 1, Host.FIRST_PID + 2),
                java.util.List.of(first, second, third));
        assertEquals(java.util.List.of(first, second, third), host.livePids());
        host.killProcess(second);
        assertEquals(java.util.List.of(first, third), host.livePids());
    }

    @Test
    void aKilledProcessCannotOpenAMesh() {
        Host host = new Host(ServerVersion.S4);
        SimulatedProcess process = host.startProcess(RuleSet.MESHALLOC_FIX);
        MeshDevice first = process.openMesh(new MeshShape(1, 1), Catalog.DEFAULT.chipConfig());
        host.killProcess(process.pid());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> process.openMesh(new MeshShape(1, 1), Catalog.DEFAULT.chipConfig()));
        assertEquals("process " + process.pid() + " was killed", e.getMessage());
        assertEquals(java.util.List.of(first), process.meshes(), "no mesh was opened");
    }
}
