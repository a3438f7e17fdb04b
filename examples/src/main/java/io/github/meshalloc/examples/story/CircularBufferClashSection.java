package io.github.meshalloc.examples.story;

import io.github.meshalloc.tracking.RuleSet;
import java.util.ArrayList;
import java.util.List;

/**
 * Scenario (e): seed 003's "unrelated" circular-buffer clash, produced by seed 003's own final fix.
 */
public final class CircularBufferClashSection {

    private CircularBufferClashSection() {
    }

    static List<RuleSet> codeStates() {
        return List.of(RuleSet.SEED_002_AFTER, RuleSet.SEED_003_FIRST_ATTEMPT, RuleSet.SEED_003_FINAL,
                RuleSet.MESHALLOC_FIX);
    }

    /** Builds the section. */
    public static Section build() {
        List<L1DecodeLoop.Outcome> outcomes = new ArrayList<>();
        List<List<String>> cells = new ArrayList<>();
        for (RuleSet rules : codeStates()) {
            L1DecodeLoop.Outcome o = L1DecodeLoop.run(rules, L1DecodeLoop.STEPS);
            outcomes.add(o);
            cells.add(List.of(rules.name(), rules.serverVersion().name(), Integer.toString(o.stepsDone()),
                    o.failure().isPresent() ? "clash" : "ok", Fmt.bytes(o.meshL1Held()),
                    o.lowestL1().isPresent() ? Fmt.bytes(o.lowestL1().getAsLong()) : "-", Fmt.bytes(o.cbRegionEnd())));
        }
        TextTable table = new TextTable(List.of("code state", "server", "steps done", "outcome",
                "mesh alloc L1 held", "lowest L1 buffer", "CB region end"), cells);
        List<String> notes = new ArrayList<>();
        for (L1DecodeLoop.Outcome o : outcomes) {
            o.failure().ifPresent(f -> notes.add(o.rules().name() + ", " + f));
        }
        notes.add("'mesh alloc L1 held' is per chip after the loop (or at the failure): activations whose range was");
        notes.add("never returned. Each leaked activation sits 32 KiB per bank lower than the last, until one lands");
        notes.add("inside the static CB region and validate_circular_buffer_region() stops the program.");
        return new Section("(e) The circular-buffer clash", "Up to " + L1DecodeLoop.STEPS + " decode steps on the 2x4 "
                + "mesh: a (1,1,1024,1024) bf16 activation in L1 (top-down), the cached " + L1DecodeLoop.LINEAR.name()
                + " program with three 64 KiB CBs, deallocate, drop.", table, notes, figures(outcomes));
    }

    private static List<Figure> figures(List<L1DecodeLoop.Outcome> outcomes) {
        L1DecodeLoop.Outcome fin = outcomes.get(2);
        L1DecodeLoop.Outcome fix = outcomes.get(3);
        String message = fin.failure().orElse("no clash");
        List<Figure> figures = new ArrayList<>();
        figures.add(Figure.approximate("003", "'Statically allocated circular buffers in program 341 clash with L1 "
                        + "buffers ... L1 buffer allocated at 509952 and static circular buffer region ends at 668192'",
                message, message.contains("clash with L1 buffers"), "same check, same message; program id and "
                        + "addresses depend on the Llama model's programs and tensors, which the references do "
                        + "not give", "seed-003-final rules, S4 server, meshalloc's decode loop [I]"));
        figures.add(Figure.refuted("003", "'Why it's unrelated ... Pre-existing: this is a TT-Metal bug in CB "
                        + "validation logic'", "seed-003-final clashes at " + message.split(":")[0] + "; meshalloc-fix "
                        + "runs " + fix.stepsDone() + " steps with " + Fmt.bytes(fix.meshL1Held()) + " B L1 held",
                fin.failure().isPresent() && fix.failure().isEmpty() && fix.meshL1Held() == 0,
                "the CB check is right: seed 003's final fix marks each backing buffer DEALLOCATED before its last "
                        + "reference drops, so the mesh allocator never gets the L1 range back",
                "seed-003-final vs meshalloc-fix rules, S4 server"));
        return figures;
    }
}
