package io.github.meshalloc.examples.story;

import static io.github.meshalloc.examples.story.MeshTestSection.ALL_CHIPS;

import io.github.meshalloc.examples.story.MeshTestRun.Checkpoint;
import io.github.meshalloc.tracking.RuleSet;
import io.github.meshalloc.tracking.server.ServerVersion;
import java.util.ArrayList;
import java.util.List;

/**
 * Scenario (c): the program-cache residue, step 6 (every tensor gone, both programs cached) against step 7
 * ({@code disable_and_clear_program_cache}).
 */
public final class ProgramCacheSection {

    private ProgramCacheSection() {
    }

    static List<RuleSet> codeStates() {
        return List.of(RuleSet.SEED_002_AFTER, RuleSet.SEED_001_AFTER, RuleSet.SEED_001_AFTER.with(ServerVersion.S4),
                RuleSet.MESHALLOC_FIX);
    }

    /** Builds the section. */
    public static Section build() {
        List<MeshTestRun> runs = new ArrayList<>();
        List<List<String>> cells = new ArrayList<>();
        for (RuleSet rules : codeStates()) {
            MeshTestRun run = MeshTestRun.run(rules, 7);
            runs.add(run);
            Checkpoint s6 = run.at(6);
            Checkpoint s7 = run.at(7);
            cells.add(List.of(rules.name(), rules.serverVersion().name(),
                    Fmt.perDevice(ALL_CHIPS, d -> s6.device(d).dram()), Fmt.perDevice(ALL_CHIPS, d -> s7.device(d).dram()),
                    Integer.toString(s6.active()), Integer.toString(s7.active()),
                    Long.toString(s7.tally().since(s6.tally()).unknown()), Fmt.bytes(s6.meshDram()),
                    Fmt.bytes(s7.meshDram())));
        }
        TextTable table = new TextTable(List.of("code state", "server", "DRAM per chip@6", "DRAM per chip@7",
                "active@6", "active@7", "unknown in step 7", "mesh alloc DRAM@6", "mesh alloc DRAM@7"), cells);
        MeshTestRun e1 = runs.get(1);
        List<String> notes = List.of(
                "Truth: the two cached kernel binaries (" + Fmt.bytes(e1.named().get("ttnn.add kernel binary")
                        .deviceLocalSize()) + " + " + Fmt.bytes(e1.named().get("ttnn.matmul kernel binary")
                        .deviceLocalSize()) + " B per chip) are all the mesh allocator holds at step 6 and",
                "clearing the cache returns them in every row. Whether the server follows depends on the server:",
                "on E1a a binary's persistent copy and its write view overwrite one key and add twice; the view's",
                "FREE erases the key, so at step 7 the clear's FREEs are 'unknown' and the bytes stay as counter",
                "residue with no key behind them.");
        return new Section("(c) Program-cache residue", "The mesh test through step 6 and step 7 (allocation-server.md"
                + " section 10, row 10: cached kernel binaries of ttnn.add and ttnn.matmul).", table, notes,
                figures(runs));
    }

    private static List<Figure> figures(List<MeshTestRun> runs) {
        MeshTestRun s = runs.get(2);
        Checkpoint s6 = s.at(6);
        Checkpoint s7 = s.at(7);
        MeshTestRun e1 = runs.get(1);
        List<Figure> figures = new ArrayList<>();
        figures.add(Figure.exactAll("001", "'36 KB per device' left until disable_and_clear_program_cache(), 0 after "
                        + "(PROGRAM_CACHE_EXPLANATION)", new long[] {36_864L, 36_864L, 0, 0},
                new long[] {MeshTestSection.min(ALL_CHIPS, d -> s6.device(d).dram()),
                        MeshTestSection.max(ALL_CHIPS, d -> s6.device(d).dram()),
                        MeshTestSection.min(ALL_CHIPS, d -> s7.device(d).dram()),
                        MeshTestSection.max(ALL_CHIPS, d -> s7.device(d).dram())},
                "every chip " + MeshTestSection.uniform(ALL_CHIPS, d -> s6.device(d).dram()) + " B at step 6, "
                        + MeshTestSection.uniform(ALL_CHIPS, d -> s7.device(d).dram()) + " B at step 7",
                "seed-001-after rules on S4 (destroying a view reports a FREE; the clear releases the binaries), "
                        + "assumption 2 (12 KiB + 24 KiB binaries at 0x3ffff800 / 0x3ffff000)"));
        figures.add(Figure.approximate("001", "'No warnings' after the fix", e1.at(6).tally().unknown()
                        + " unknown FREEs through step 6, " + e1.at(7).tally().since(e1.at(6).tally()).unknown()
                        + " more when the cache is cleared",
                e1.at(6).tally().unknown() == 0 && e1.at(7).tally().unknown() > 0,
                "true only until the cache is cleared on the E1 server", "seed-001-after rules, E1a server"));
        return figures;
    }
}
