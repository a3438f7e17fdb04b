package io.github.meshalloc.tracking.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.allocator.Device;
import io.github.meshalloc.tracking.Host;
import io.github.meshalloc.tracking.RuleSet;
import io.github.meshalloc.tracking.SimulatedProcess;
import io.github.meshalloc.tracking.log.ServerLine;
import io.github.meshalloc.tracking.server.AllocationServer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link MeshTestScenario}: steps 7 and 8 of {@code test_mesh_allocation.py} (allocation-server.md section 9) and the
 * scenario's own argument checks.
 */
class MeshTestScenarioTest {

    private static final List<Integer> T3K_CHIPS = List.of(4, 0, 3, 7, 5, 1, 2, 6);

    @Test
    void step7FreesThe36KiBOfCachedKernelBinariesOnEveryChip() {
        Host host = new Host(RuleSet.MESHALLOC_FIX.serverVersion());
        MeshTestScenario scenario = new MeshTestScenario(host.startProcess(RuleSet.MESHALLOC_FIX)).runThrough(6);
        AllocationServer server = host.server();
        for (int chip : T3K_CHIPS) {
            assertEquals(36_864L, server.counters(chip).dram(), "12 + 24 KiB of kernels cached, chip " + chip);
        }
        assertEquals(2, scenario.mesh().allocator().getNumAllocatedBuffers(), "the add and matmul binaries");
        scenario.runThrough(7);
        for (int chip : T3K_CHIPS) {
            assertEquals(0L, server.counters(chip).dram(), "chip " + chip);
        }
        assertEquals(0, scenario.mesh().allocator().getNumAllocatedBuffers());
        assertTrue(scenario.mesh().isInitialized(), "step 7 leaves the mesh open");
        assertEquals(6, scenario.mesh().liveMeshBuffers().size(), "the six deallocated tensors are still referenced");
    }

    /**
     * The messages of the whole run and what is left after step 8 (the test function returned: mesh closed, then the
     * mesh and every tensor dropped), as the README's scenario (a) table prints them.
     */
    @Test
    void step8ClosesTheMeshAndLeavesEachPresetItsResidue() {
        Map<RuleSet, long[]> expected = new LinkedHashMap<>();
        // {ALLOC lines, FREE lines, unknown FREEs, active after step 8, DRAM on chip 0, DRAM on chips 1-7}
        expected.put(RuleSet.UPSTREAM, new long[] {0, 0, 0, 0, 0, 0});
        expected.put(RuleSet.SEED_004, new long[] {94, 14, 3, 56, 14_753_792, 14_753_792});
        expected.put(RuleSet.SEED_002_BEFORE, new long[] {94, 14, 0, 64, 14_716_928, 14_716_928});
        expected.put(RuleSet.SEED_002_AFTER, new long[] {94, 78, 0, 16, 36_864, 36_864});
        expected.put(RuleSet.SEED_001_BEFORE, new long[] {94, 78, 11, 0, 14_753_792, 36_864});
        expected.put(RuleSet.SEED_001_AFTER, new long[] {86, 86, 19, 0, 36_864, 36_864});
        expected.put(RuleSet.SEED_003_FIRST_ATTEMPT, new long[] {94, 14, 0, 64, 14_716_928, 14_716_928});
        expected.put(RuleSet.SEED_003_FINAL, new long[] {94, 78, 0, 16, 36_864, 36_864});
        expected.put(RuleSet.SEED_000, new long[] {94, 14, 3, 56, 14_753_792, 14_753_792});
        expected.put(RuleSet.MESHALLOC_FIX, new long[] {112, 112, 0, 0, 0, 0});
        assertEquals(RuleSet.PRESETS.size(), expected.size(), "every preset");
        expected.forEach((rules, want) -> {
            Host host = new Host(rules.serverVersion());
            MeshTestScenario scenario = new MeshTestScenario(host.startProcess(rules)).runThrough(8);
            AllocationServer server = host.server();
            long allocs = 0;
            long frees = 0;
            for (ServerLine line : server.log().lines()) {
                switch (line.kind()) {
                    case ALLOC_NEW, ALLOC_DUP -> allocs++;
                    case FREE_PARTIAL, FREE_FINAL, FREE_E1, FREE_E0, UNKNOWN_FREE, UNKNOWN_FREE_LEGACY,
                            UNKNOWN_FREE_NEVER_TRACKED, ALREADY_FREED -> frees++;
                    default -> {
                    }
                }
            }
            assertEquals(want[0], allocs, rules.name() + ": ALLOC lines");
            assertEquals(want[1], frees, rules.name() + ": FREE lines");
            assertEquals(want[2], server.unknownFreeCount(), rules.name() + ": unknown FREEs");
            assertEquals(want[3], server.activeAllocations(), rules.name() + ": active after step 8");
            for (int chip : T3K_CHIPS) {
                assertEquals(chip == 0 ? want[4] : want[5], server.counters(chip).dram(),
                        rules.name() + ": DRAM on chip " + chip + " after step 8");
            }
            assertFalse(scenario.mesh().isInitialized(), rules.name());
            assertTrue(scenario.mesh().isExpired(), rules.name() + ": the test function returned");
            assertEquals(List.of(), scenario.mesh().liveMeshBuffers(), rules.name() + ": and dropped every tensor");
            for (Device chip : scenario.mesh().devices()) {
                assertFalse(chip.isInitialized(), rules.name() + ": chip " + chip.id());
            }
        });
    }

    @Test
    void aStepOutside1To8IsRefusedAndNothingRuns() {
        Host host = new Host(RuleSet.MESHALLOC_FIX.serverVersion());
        SimulatedProcess process = host.startProcess(RuleSet.MESHALLOC_FIX);
        MeshTestScenario scenario = new MeshTestScenario(process);
        for (int bad : List.of(0, 9)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> scenario.runThrough(bad));
            assertEquals("step " + bad + " is outside 1..8", e.getMessage());
            assertEquals(0, scenario.stepsDone());
            assertTrue(process.meshes().isEmpty(), "no mesh opened");
            assertEquals(0, process.client().sent());
        }
    }

    @Test
    void theMeshIsThereOnlyAfterStep1() {
        Host host = new Host(RuleSet.MESHALLOC_FIX.serverVersion());
        MeshTestScenario scenario = new MeshTestScenario(host.startProcess(RuleSet.MESHALLOC_FIX));
        IllegalStateException e = assertThrows(IllegalStateException.class, scenario::mesh);
        assertEquals("step 1 has not run", e.getMessage());
        assertEquals(MeshTestScenario.SHAPE, scenario.runThrough(1).mesh().shape());
    }
}
