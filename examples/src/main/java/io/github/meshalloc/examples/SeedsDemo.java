package io.github.meshalloc.examples;

import io.github.meshalloc.allocator.BufferType;
import io.github.meshalloc.allocator.Device;
import io.github.meshalloc.tracking.Host;
import io.github.meshalloc.tracking.RuleSet;
import io.github.meshalloc.tracking.SimulatedProcess;
import io.github.meshalloc.tracking.log.LineKind;
import io.github.meshalloc.tracking.log.ServerLine;
import io.github.meshalloc.tracking.scenario.MeshTestScenario;
import io.github.meshalloc.tracking.server.AllocationServer;
import io.github.meshalloc.tracking.server.DeviceCounters;
import java.io.PrintStream;
import java.util.List;

/**
 * The main job: the seeds' mesh test re-enacted under every code state, each one's figures side by side.
 *
 * <p>For each rule-set preset it runs {@code test_mesh_allocation.py} (allocation-server.md section 9)
 * on a simulated 2x4 Wormhole mesh through step 6 (all tensors deallocated) and then to the end
 * (program cache cleared, mesh closed), and prints what the preset's server saw next to the truth read
 * from the allocators. Every figure is computed by the simulation.
 */
public final class SeedsDemo {

    /** One preset's outcome. */
    public record Row(String preset, String server, long allocs, long frees, long unknownFrees, int activeAfterStep6,
                      long chip0BuffersAfterStep6, long chip0DramAfterStep6, long chip0L1AfterStep6,
                      long chip1BuffersAfterStep6, long chip1DramAfterStep6, int activeAfterClose,
                      long residualDramAfterClose, long meshAllocatorBytesAfterStep7) {
    }

    private SeedsDemo() {
    }

    /** Runs the scenario under {@code rules}. */
    public static Row run(RuleSet rules) {
        Host host = new Host(rules.serverVersion());
        SimulatedProcess process = host.startProcess(rules);
        MeshTestScenario scenario = new MeshTestScenario(process).runThrough(6);
        AllocationServer server = host.server();
        int chip0 = 0;
        int chip1 = 1;
        DeviceCounters c0 = server.counters(chip0);
        DeviceCounters c1 = server.counters(chip1);
        int activeAfter6 = server.activeAllocations();
        scenario.runThrough(7);
        long meshBytes = scenario.mesh().allocator().getStatistics(BufferType.DRAM).totalAllocatedBytes();
        scenario.runThrough(8);
        long residual = 0;
        for (Device chip : scenario.mesh().devices()) {
            residual += server.counters(chip.id()).dram();
        }
        long allocs = 0;
        long frees = 0;
        long unknown = 0;
        for (ServerLine line : server.log().lines()) {
            String kind = line.kind().name();
            if (line.kind() == LineKind.ALLOC_NEW || line.kind() == LineKind.ALLOC_DUP) {
                allocs++;
            } else if (kind.startsWith("FREE")) {
                frees++;
            } else if (kind.startsWith("UNKNOWN_FREE") || line.kind() == LineKind.ALREADY_FREED) {
                frees++;
                unknown++;
            }
        }
        return new Row(rules.name(), rules.serverVersion().name(), allocs, frees, unknown, activeAfter6,
                c0.numBuffers(), c0.dram(), c0.l1(), c1.numBuffers(), c1.dram(), server.activeAllocations(), residual,
                meshBytes);
    }

    /** Prints the table for every preset. */
    public static void print(PrintStream out) {
        out.println("meshalloc: test_mesh_allocation.py on a simulated 2x4 Wormhole mesh, per code state");
        out.println("(server view after step 6 = all tensors deallocated; after close = step 8; truth = mesh allocator)");
        out.println();
        String header = String.format("%-24s %-8s %7s %7s %7s %8s %9s %12s %9s %9s %12s %9s %12s %12s",
                "preset", "server", "ALLOCs", "FREEs", "unknown", "active@6", "chip0 buf", "chip0 DRAM",
                "chip0 L1", "chip1 buf", "chip1 DRAM", "active@8", "resid DRAM@8", "mesh leak@7");
        out.println(header);
        out.println("-".repeat(header.length()));
        for (RuleSet rules : RuleSet.PRESETS) {
            Row r = run(rules);
            out.println(String.format("%-24s %-8s %7d %7d %7d %8d %9d %12d %9d %9d %12d %9d %12d %12d",
                    r.preset(), r.server(), r.allocs(), r.frees(), r.unknownFrees(), r.activeAfterStep6(),
                    r.chip0BuffersAfterStep6(), r.chip0DramAfterStep6(), r.chip0L1AfterStep6(),
                    r.chip1BuffersAfterStep6(), r.chip1DramAfterStep6(), r.activeAfterClose(),
                    r.residualDramAfterClose(), r.meshAllocatorBytesAfterStep7()));
        }
        out.println();
        out.println("Seed 004's '14 MB of system buffers' is chip 1's 14,753,792 B under seed-004/E1A: six per-chip");
        out.println("tensor copies never reported freed (14,680,064 B) plus the kernel binaries counted twice (73,728 B).");
        out.println("'mesh leak@7' is device memory the mesh allocator still holds after the cache is cleared: non-zero");
        out.println("for seed-003-final, whose messages balance while the backing buffers' ranges are never returned.");
    }

    /** Entry point of {@code java -jar examples/target/meshalloc.jar}. */
    public static void main(String[] args) {
        print(System.out);
    }

    /** The presets, for tests. */
    static List<RuleSet> presets() {
        return RuleSet.PRESETS;
    }
}
