package io.github.meshalloc.tracking.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.allocator.Device;
import io.github.meshalloc.tracking.Host;
import io.github.meshalloc.tracking.RuleSet;
import io.github.meshalloc.tracking.SimulatedProcess;
import io.github.meshalloc.tracking.server.AllocationServer;
import io.github.meshalloc.tracking.server.DeviceCounters;
import io.github.meshalloc.tracking.wire.AllocMessage;
import io.github.meshalloc.tracking.wire.MessageType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The seeds' figures, emerging from the mesh test workload under the rule set and server version that
 * seed-arithmetic.md names. Nothing here is typed in except the expected figures themselves.
 */
class SeedFiguresTest {

    private static MeshTestScenario run(Host host, RuleSet rules, int lastStep) {
        SimulatedProcess process = host.startProcess(rules);
        return new MeshTestScenario(process).runThrough(lastStep);
    }

    @Test
    void seed004ResidueAfterStep6IsLeakedCopiesNotSystemBuffers() {
        Host host = new Host(RuleSet.SEED_004.serverVersion());
        MeshTestScenario scenario = run(host, RuleSet.SEED_004, 6);
        AllocationServer server = host.server();
        DeviceCounters chip0 = server.counters(0);
        assertEquals(18, chip0.numBuffers());
        assertEquals(14_790_656L, chip0.dram());
        assertEquals(22_528L, chip0.l1());
        for (Device chip : scenario.mesh().devices()) {
            if (chip.id() == 0) {
                continue;
            }
            DeviceCounters c = server.counters(chip.id());
            assertEquals(10, c.numBuffers(), "chip " + chip.id());
            assertEquals(14_753_792L, c.dram(), "chip " + chip.id());
            assertEquals(0L, c.l1(), "chip " + chip.id());
        }
        // The truth: every chip allocator is empty; the mesh allocator holds only the two kernel binaries.
        for (Device chip : scenario.mesh().devices()) {
            assertTrue(chip.allocator().isEmpty());
        }
        assertEquals(2, scenario.mesh().allocator().getNumAllocatedBuffers());
    }

    @Test
    void seed004FiguresUnderARefCountingServerAreSmaller() {
        Host host = new Host(io.github.meshalloc.tracking.server.ServerVersion.S4);
        run(host, RuleSet.SEED_004.with(io.github.meshalloc.tracking.server.ServerVersion.S4), 6);
        assertEquals(8, host.server().counters(1).numBuffers());
        assertEquals(14_716_928L, host.server().counters(1).dram());
    }

    @Test
    void seed003FirstAttemptSends9AllocsAnd1FreePerMeshBuffer() {
        List<AllocMessage> messages = new ArrayList<>();
        Host host = new Host(RuleSet.SEED_003_FIRST_ATTEMPT.serverVersion());
        SimulatedProcess process = host.startProcess(RuleSet.SEED_003_FIRST_ATTEMPT);
        MeshTestScenario scenario = new MeshTestScenario(process).runThrough(1);
        assertEquals(1, scenario.stepsDone());
        assertEquals(1, scenario.runThrough(1).stepsDone(), "running through a step already done runs nothing");
        long before = host.server().log().lines().size();
        io.github.meshalloc.mesh.MeshBuffer t = io.github.meshalloc.mesh.MeshBuffer.create(
                new io.github.meshalloc.mesh.MeshBufferConfig.Replicated(4_194_304),
                io.github.meshalloc.mesh.DeviceLocalBufferConfig.interleaved(2048,
                        io.github.meshalloc.allocator.BufferType.DRAM), scenario.mesh());
        long allocs = process.client().sent();
        assertEquals(9, allocs);
        t.deallocate();
        t.release();
        assertEquals(10, process.client().sent(), "one FREE: only the owning backing buffer reports");
        assertFalse(host.server().log().lines().size() == before);
    }

    @Test
    void seed001BeforeGives8GoodFreesAnd1UnknownOnE1() {
        Host host = new Host(RuleSet.SEED_001_BEFORE.serverVersion());
        SimulatedProcess process = host.startProcess(RuleSet.SEED_001_BEFORE);
        MeshTestScenario scenario = new MeshTestScenario(process).runThrough(1);
        io.github.meshalloc.mesh.MeshBuffer t = io.github.meshalloc.mesh.MeshBuffer.create(
                new io.github.meshalloc.mesh.MeshBufferConfig.Replicated(1_048_576),
                io.github.meshalloc.mesh.DeviceLocalBufferConfig.interleaved(2048,
                        io.github.meshalloc.allocator.BufferType.DRAM), scenario.mesh());
        assertEquals(8, host.server().activeAllocations(), "9 ALLOCs, 8 keys");
        t.deallocate();
        assertEquals(1, host.server().unknownFreeCount());
        assertEquals(0, host.server().activeAllocations());
    }

    private static int activeAfterTwoTensors(RuleSet rules) {
        Host host = new Host(rules.serverVersion());
        MeshTestScenario scenario = run(host, rules, 1);
        List<io.github.meshalloc.mesh.MeshBuffer> tensors = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            tensors.add(io.github.meshalloc.mesh.MeshBuffer.create(
                    new io.github.meshalloc.mesh.MeshBufferConfig.Replicated(4_194_304),
                    io.github.meshalloc.mesh.DeviceLocalBufferConfig.interleaved(2048,
                            io.github.meshalloc.allocator.BufferType.DRAM), scenario.mesh()));
        }
        for (io.github.meshalloc.mesh.MeshBuffer t : tensors) {
            t.deallocate();
        }
        return host.server().activeAllocations();
    }

    @Test
    void seed002SixteenActiveBeforeItsFixAndNoneAfter() {
        assertEquals(16, activeAfterTwoTensors(RuleSet.SEED_002_BEFORE));
        assertEquals(0, activeAfterTwoTensors(RuleSet.SEED_002_AFTER));
    }

    @Test
    void theMeshTestTensorIs4MiBPerChipAndEveryChipSeesTheSameBufferId() {
        Host host = new Host(RuleSet.SEED_004.serverVersion());
        MeshTestScenario scenario = run(host, RuleSet.SEED_004, 2);
        for (Device chip : scenario.mesh().devices()) {
            var entry = host.server().entry(chip.id(), 2_560_032L);
            assertTrue(entry.isPresent(), "chip " + chip.id());
            assertEquals(4_194_304L, entry.get().size());
        }
    }
}
