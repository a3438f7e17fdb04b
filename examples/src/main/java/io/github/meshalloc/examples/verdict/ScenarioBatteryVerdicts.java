package io.github.meshalloc.examples.verdict;

import io.github.meshalloc.examples.story.Fmt;
import io.github.meshalloc.examples.story.L1DecodeLoop;
import io.github.meshalloc.examples.story.MeshBufferSection;
import io.github.meshalloc.examples.story.MeshTestRun;
import io.github.meshalloc.examples.story.ServerTally;
import io.github.meshalloc.tracking.Host;
import io.github.meshalloc.tracking.RuleSet;
import io.github.meshalloc.tracking.server.AllocationServer;
import io.github.meshalloc.tracking.server.DeviceCounters;
import java.util.ArrayList;
import java.util.List;

/**
 * Verdicts from a fixed battery of the seed scenarios, each run once, deterministically.
 *
 * <p>A code state is balanced only if, in every scenario: while tensors are live, the server's DRAM bytes per chip
 * equal the truth (what the mesh and chip allocators hold); once the workload has released everything, every
 * allocator is empty; after close there are no live keys and every counter of every device is zero; and no FREE
 * was unknown. Scenarios: the mesh test (steps 1-8), three successive mesh tests on one server, two mesh tensors
 * deallocated on an open mesh, and the L1 decode loop followed by close.
 */
public final class ScenarioBatteryVerdicts implements PresetVerdicts {

    /** Step of the mesh test at which all six tensors and both programs are live. */
    static final int PEAK_STEP = 5;

    @Override
    public String source() {
        return "verdicts: meshalloc's scenario battery (mesh test, three successive runs, two mesh tensors, L1 decode "
                + "loop): balanced = server view equals the allocators' truth at peak and after close, no unknown "
                + "FREE, every allocator empty";
    }

    @Override
    public Verdict verdict(RuleSet rules) {
        List<String> findings = new ArrayList<>();
        meshTest(rules, findings);
        successiveRuns(rules, findings);
        twoTensors(rules, findings);
        decodeLoop(rules, findings);
        return Verdict.of(findings);
    }

    private static void meshTest(RuleSet rules, List<String> findings) {
        MeshTestRun run = MeshTestRun.run(rules, 8);
        MeshTestRun.Checkpoint peak = run.at(PEAK_STEP);
        for (var chip : run.mesh().devices()) {
            int d = chip.id();
            long server = peak.device(d).dram();
            long truth = peak.dramTruth(d);
            if (server != truth) {
                findings.add("mesh-test: at step " + PEAK_STEP + " chip " + d + " shows " + Fmt.bytes(server)
                        + " B DRAM, truth " + Fmt.bytes(truth) + " B");
                break;
            }
        }
        MeshTestRun.Checkpoint released = run.at(7);
        if (released.meshBuffers() != 0 || released.chipBytes() != 0) {
            findings.add("mesh-test: after step 7 the allocators still hold " + released.meshBuffers()
                    + " mesh buffers (" + Fmt.bytes(released.meshDram() + released.meshL1()) + " B per chip) and "
                    + Fmt.bytes(released.chipBytes()) + " B on chips");
        }
        endState("mesh-test", run.server(), findings);
    }

    private static void successiveRuns(RuleSet rules, List<String> findings) {
        Host host = new Host(rules.serverVersion());
        for (int i = 0; i < 3; i++) {
            MeshTestRun run = MeshTestRun.on(host, rules, 8);
            if (run.at(7).meshBuffers() != 0 || run.at(7).chipBytes() != 0) {
                findings.add("three-runs: run " + (i + 1) + " left buffers in the allocators before close");
                break;
            }
        }
        endState("three-runs", host.server(), findings);
    }

    private static void twoTensors(RuleSet rules, List<String> findings) {
        MeshBufferSection.Outcome o = MeshBufferSection.run(rules, 2);
        if (o.activeAfter() != 0) {
            findings.add("two-tensors: " + o.activeAfter() + " keys live after both tensors were deallocated");
        }
        if (o.unknown() != 0) {
            findings.add("two-tensors: " + o.unknown() + " unknown FREEs");
        }
        if (o.meshAfter() != 0) {
            findings.add("two-tensors: the mesh allocator still holds " + o.meshAfter() + " backing buffers");
        }
    }

    private static void decodeLoop(RuleSet rules, List<String> findings) {
        L1DecodeLoop.Outcome o = L1DecodeLoop.run(rules, L1DecodeLoop.STEPS);
        o.failure().ifPresent(f -> findings.add("l1-decode-loop: " + f));
        if (o.meshL1Held() != 0) {
            findings.add("l1-decode-loop: the mesh allocator still holds " + Fmt.bytes(o.meshL1Held())
                    + " B of L1 per chip");
        }
        o.mesh().close();
        o.mesh().release(); // the script ends: ~MeshDevice destroys the program cache
        endState("l1-decode-loop", o.host().server(), findings);
    }

    private static void endState(String scenario, AllocationServer server, List<String> findings) {
        if (server.activeAllocations() != 0) {
            findings.add(scenario + ": " + server.activeAllocations() + " keys live after close");
        }
        for (int d = 0; d < AllocationServer.MAX_DEVICES; d++) {
            DeviceCounters c = server.counters(d);
            if (c.total() != 0 || c.numBuffers() != 0) {
                findings.add(scenario + ": device " + d + " keeps " + Fmt.bytes(c.total()) + " B in "
                        + c.numBuffers() + " buffers after close");
                break;
            }
        }
        long unknown = ServerTally.of(server).unknown();
        if (unknown != 0) {
            findings.add(scenario + ": " + unknown + " unknown FREEs");
        }
    }
}
