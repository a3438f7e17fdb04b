package io.github.meshalloc.examples.story;

import io.github.meshalloc.examples.story.MeshTestRun.Checkpoint;
import io.github.meshalloc.mesh.MeshBuffer;
import io.github.meshalloc.tracking.RuleSet;
import io.github.meshalloc.tracking.log.LogEvent;
import io.github.meshalloc.tracking.log.ServerLine;
import io.github.meshalloc.tracking.server.ServerVersion;
import java.util.ArrayList;
import java.util.List;

/**
 * Scenario (a): the 2x4 mesh test through step 6 (every tensor deallocated) and step 8 (cache cleared, mesh
 * closed), once per code state.
 */
public final class MeshTestSection {

    /** Devices 1..7: the chips without the MeshDevice's reports. */
    static final List<Integer> CHIPS_1_TO_7 = List.of(1, 2, 3, 4, 5, 6, 7);
    /** Devices 0..7. */
    static final List<Integer> ALL_CHIPS = List.of(0, 1, 2, 3, 4, 5, 6, 7);

    /** One row: a code state's run. */
    record Row(RuleSet rules, MeshTestRun run) {
    }

    private MeshTestSection() {
    }

    /** The code states of the table: every preset on its own server, and seed 004 on a ref-counting server. */
    static List<RuleSet> codeStates() {
        List<RuleSet> states = new ArrayList<>(RuleSet.PRESETS);
        states.add(states.indexOf(RuleSet.SEED_004) + 1, RuleSet.SEED_004.with(ServerVersion.S4));
        return states;
    }

    /** Builds the section. */
    public static Section build() {
        List<Row> rows = new ArrayList<>();
        for (RuleSet rules : codeStates()) {
            rows.add(new Row(rules, MeshTestRun.run(rules, 8)));
        }
        List<List<String>> cells = new ArrayList<>();
        for (Row r : rows) {
            Checkpoint s6 = r.run().at(6);
            Checkpoint s7 = r.run().at(7);
            Checkpoint s8 = r.run().at(8);
            cells.add(List.of(r.rules().name(), r.rules().serverVersion().name(), Long.toString(s8.tally().allocs()),
                    Long.toString(s8.tally().frees()), Long.toString(s8.tally().unknown()),
                    Integer.toString(s6.active()), Long.toString(s6.device(0).numBuffers()),
                    Fmt.bytes(s6.device(0).dram()), Fmt.bytes(s6.device(0).l1()),
                    uniform(CHIPS_1_TO_7, d -> s6.device(d).numBuffers()),
                    uniform(CHIPS_1_TO_7, d -> s6.device(d).dram()), Integer.toString(s8.active()),
                    Fmt.perDevice(ALL_CHIPS, d -> s8.device(d).dram()), Fmt.bytes(s7.meshDram())));
        }
        TextTable table = new TextTable(List.of("code state", "server", "ALLOCs", "FREEs", "unknown", "active@6",
                "chip0 buf@6", "chip0 DRAM@6", "chip0 L1@6", "chips1-7 buf@6", "chips1-7 DRAM@6", "active@8",
                "residual DRAM per chip@8", "mesh alloc DRAM@7"), cells);
        List<String> notes = List.of(
                "ALLOCs/FREEs/unknown: messages the server logged over the whole run (steps 1-8). @6: after every",
                "tensor is deallocated; @7: after disable_and_clear_program_cache; @8: after close. Server counters are",
                "per chip; 'mesh alloc DRAM@7' is the truth: bytes (per chip) the mesh allocator still holds once",
                "every tensor and program is gone. It should be 0.");
        return new Section("(a) The 2x4 mesh test, step 6 and step 8", "test_mesh_allocation.py on a simulated 2x4 "
                + "Wormhole mesh (allocation-server.md section 9): six tensors, ttnn.add and ttnn.matmul, deallocate,\n"
                + "clear the program cache, close. One process per row, fresh server.", table, notes, figures(rows));
    }

    private static Row row(List<Row> rows, RuleSet rules) {
        return rows.stream().filter(r -> r.rules().equals(rules)).findFirst().orElseThrow();
    }

    private static List<Figure> figures(List<Row> rows) {
        List<Figure> figures = new ArrayList<>();
        MeshTestRun seed004 = row(rows, RuleSet.SEED_004).run();
        MeshBuffer tensor1 = seed004.named().get("tensor1");
        long reported = reportedAllocSize(seed004, 1, tensor1.address());
        figures.add(Figure.exactAll("004", "'Allocated 4194304 bytes of DRAM on device 1 (buffer_id=2560032)' for the "
                        + "(8,8,512,512) bf16 tensor", new long[] {4_194_304L, 2_560_032L},
                new long[] {reported, tensor1.address()},
                "ALLOC of " + Fmt.bytes(reported) + " B on device 1 at buffer_id " + Fmt.bytes(tensor1.address())
                        + " (device-local size " + Fmt.bytes(tensor1.deviceLocalSize()) + " B on each of 8 chips)",
                "any rules, any server: the (4,2,512,512) bf16 shard of ShardTensor2d(0,1) over 2x4; the buffer_id "
                        + "is assumption 5 (the DRAM base is set from it)"));
        Checkpoint s6 = seed004.at(6);
        figures.add(Figure.exactAll("004", "chips 1-7: 'Buffers: 10, DRAM: 14753792 bytes' after every tensor is "
                        + "deallocated", new long[] {10, 14_753_792L, 10, 14_753_792L},
                new long[] {min(CHIPS_1_TO_7, d -> s6.device(d).numBuffers()),
                        min(CHIPS_1_TO_7, d -> s6.device(d).dram()), max(CHIPS_1_TO_7, d -> s6.device(d).numBuffers()),
                        max(CHIPS_1_TO_7, d -> s6.device(d).dram())},
                "chips 1-7: " + uniform(CHIPS_1_TO_7, d -> s6.device(d).numBuffers()) + " buffers, "
                        + uniform(CHIPS_1_TO_7, d -> s6.device(d).dram()) + " B DRAM at step 6",
                "seed-004 rules, E1a server, assumptions 1 (E1a adds duplicate ALLOCs again), 2 (kernel binaries "
                        + "and their views), 5 (tensor placement)"));
        figures.add(Figure.exactAll("004", "chip 0: 'Buffers: 18, DRAM: 14790656 bytes, L1: 22528 bytes'",
                new long[] {18, 14_790_656L, 22_528L},
                new long[] {s6.device(0).numBuffers(), s6.device(0).dram(), s6.device(0).l1()},
                s6.device(0).numBuffers() + " buffers, " + Fmt.bytes(s6.device(0).dram()) + " B DRAM, "
                        + Fmt.bytes(s6.device(0).l1()) + " B L1 on chip 0 at step 6",
                "seed-004 rules, E1a server, assumptions 1-5 (chip 0 also gets the backing buffers (4) and the six "
                        + "CBs as L1 ALLOCs (3))"));
        Checkpoint s4 = row(rows, RuleSet.SEED_004.with(ServerVersion.S4)).run().at(6);
        figures.add(Figure.approximate("004", "the same residue on any server", "on S4 chips 1-7 show "
                        + uniform(CHIPS_1_TO_7, d -> s4.device(d).numBuffers()) + " buffers, "
                        + uniform(CHIPS_1_TO_7, d -> s4.device(d).dram()) + " B",
                s4.device(1).dram() != s6.device(1).dram(), "the 10 / 14,753,792 need assumption 1 (E1a); a "
                        + "ref-counting server counts each kernel binary once", "seed-004 rules, S4 server"));
        Checkpoint before = row(rows, RuleSet.SEED_001_BEFORE).run().at(6);
        figures.add(Figure.approximate("001", "before: 'Device 0: 14.11 MB DRAM, 22 KB L1 ... Active allocations: 59'",
                Fmt.mib(before.device(0).dram()) + ", " + Fmt.bytes(before.device(0).l1()) + " B L1 on chip 0; "
                        + "seed-004 state: " + seed004.at(6).active() + " active",
                before.device(0).dram() == 14_790_656L && seed004.at(6).active() != 59,
                "'Active allocations' depends on how many distinct L1 addresses the six CBs take (assumption 3, "
                        + "not recorded); the model's three give " + seed004.at(6).active(),
                "seed-001-before (chip 0) and seed-004 (active) rules, E1a server"));
        Checkpoint after = row(rows, RuleSet.SEED_001_AFTER).run().at(6);
        figures.add(Figure.exactAll("001", "after: '36 KB DRAM, 22 KB L1' on chip 0, '36 KB DRAM each' on 1-7, "
                        + "'Active allocations: 3'", new long[] {36_864L, 22_528L, 36_864L, 3},
                new long[] {after.device(0).dram(), after.device(0).l1(), max(CHIPS_1_TO_7, d -> after.device(d).dram()),
                        after.active()},
                "chip 0 " + Fmt.bytes(after.device(0).dram()) + " B DRAM + " + Fmt.bytes(after.device(0).l1())
                        + " B L1, chips 1-7 " + uniform(CHIPS_1_TO_7, d -> after.device(d).dram()) + " B, "
                        + after.active() + " active at step 6",
                "seed-001-after rules, E1a server, assumptions 2 and 3; the 3 active are CB keys, the DRAM is "
                        + "counter residue with no key behind it"));
        MeshTestRun fin = row(rows, RuleSet.SEED_003_FINAL).run();
        figures.add(Figure.refuted("003", "final fix: 'balanced allocations/deallocations ... clean server shutdown "
                        + "with 0 remaining buffers'", fin.at(8).active() + " keys remain after close; the mesh "
                        + "allocator still holds " + Fmt.bytes(fin.at(7).meshDram()) + " B per chip after step 7",
                fin.at(8).active() > 0 && fin.at(7).meshDram() > 0,
                "the kernel binaries' write views never report their FREE, and marking each backing buffer "
                        + "DEALLOCATED before its last reference drops keeps its range out of the allocator",
                "seed-003-final rules, S4 server"));
        return figures;
    }

    /** The size of the first ALLOC the server logged for (device, id), or -1. */
    static long reportedAllocSize(MeshTestRun run, int device, long bufferId) {
        for (ServerLine line : run.server().log().lines()) {
            if (line.event() instanceof LogEvent.AllocNew a && a.device() == device && a.bufferId() == bufferId) {
                return a.size();
            }
        }
        return -1;
    }

    /** The common value of {@code devices}, or {@code min..max} when they differ. */
    static String uniform(List<Integer> devices, java.util.function.IntToLongFunction value) {
        long lo = min(devices, value);
        long hi = max(devices, value);
        return lo == hi ? Fmt.bytes(lo) : Fmt.bytes(lo) + ".." + Fmt.bytes(hi);
    }

    static long min(List<Integer> devices, java.util.function.IntToLongFunction value) {
        return devices.stream().mapToLong(value::applyAsLong).min().orElseThrow();
    }

    static long max(List<Integer> devices, java.util.function.IntToLongFunction value) {
        return devices.stream().mapToLong(value::applyAsLong).max().orElseThrow();
    }
}
