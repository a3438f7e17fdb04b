package io.github.meshalloc.examples.repro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.mesh.MeshShape;
import io.github.meshalloc.tracking.RuleSet;
import io.github.meshalloc.tracking.explore.Invariant;
import io.github.meshalloc.tracking.explore.SearchStats;
import io.github.meshalloc.tracking.explore.Verdict;
import io.github.meshalloc.tracking.explore.Violation;
import io.github.meshalloc.tracking.ops.ChipBufferChoice;
import io.github.meshalloc.tracking.ops.Op;
import io.github.meshalloc.tracking.ops.ProgramChoice;
import io.github.meshalloc.tracking.ops.Session;
import io.github.meshalloc.tracking.ops.TensorChoice;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Counterexamples and checks the repro tests share. */
final class Scripts {

    private Scripts() {
    }

    /** A search with a small budget (every seed preset breaks at try 1). */
    static ExplorerRun small(RuleSet rules) {
        return new ExplorerRun(rules, 1, 5, ExplorerRun.DEFAULT_STEPS, List.of(new MeshShape(1, 1),
                new MeshShape(1, 2), new MeshShape(2, 4), new MeshShape(4, 8)));
    }

    /** The counterexample {@code run} reaches. */
    static Verdict.Counterexample found(ExplorerRun run) {
        return (Verdict.Counterexample) run.run(p -> {
        });
    }

    /**
     * Every operation kind: two meshes, a chip on its own with a buffer, a view, a pre-allocated buffer, programs, a
     * sub-device manager and a tensor on it, a step that raises, server events, a second process, the first one's
     * end, and the second one's kill as the last step.
     */
    static final List<Op> EVERY_KIND = List.of(
            new Op.OpenMesh("p0", "m0", new MeshShape(1, 2)),
            new Op.OpenChip("p0", "d0", 7),
            new Op.CreateChipBuffer("d0", "b0", ChipBufferChoice.DRAM_13_PAGES),
            new Op.CreateTensor("m0", "t0", TensorChoice.DRAM_13_PAGES),
            new Op.CreateView("t0", "v0", 1, 2),
            new Op.CreatePreallocated("t0", "a0"),
            new Op.RunProgram("m0", ProgramChoice.MATMUL, Optional.of("t0")),
            new Op.LoadSubDeviceManager("m0", 64 * 1024),
            new Op.CreateTensor("m0", "t1", TensorChoice.L1_SUB_DEVICE),
            new Op.ClearSubDeviceManager("m0"),
            new Op.Deallocate("t1", false),
            new Op.ClearSubDeviceManager("m0"),
            new Op.Drop("v0"),
            new Op.CreateTensor("m0", "t2", TensorChoice.L1_HEIGHT_SHARDED),
            new Op.ClearProgramCache("m0"),
            new Op.Deallocate("b0", true),
            new Op.CloseChip("d0"),
            new Op.StopServer(),
            new Op.StartServer(),
            new Op.RestartServer(),
            new Op.StartProcess("p1"),
            new Op.EndProcess("p0"),
            new Op.OpenMesh("p1", "m1", new MeshShape(1, 1)),
            new Op.CreateTensor("m1", "t3", TensorChoice.DRAM_1_PAGE),
            new Op.RunProgram("m1", ProgramChoice.CB_ONLY, Optional.empty()),
            new Op.CloseMesh("m1"),
            new Op.KillProcess("p1"));

    /** A kill that is not the last step: the steps after it belong to another process. */
    static final List<Op> KILL_MIDWAY = List.of(
            new Op.OpenMesh("p0", "m0", new MeshShape(1, 1)),
            new Op.StartProcess("p1"),
            new Op.KillProcess("p0"),
            new Op.OpenMesh("p1", "m1", new MeshShape(1, 1)),
            new Op.CreateTensor("m1", "t0", TensorChoice.DRAM_1_PAGE));

    /** {@code ops} run on {@code rules} as a counterexample breaking {@code invariant} at its last step. */
    static ReproPlan handMade(RuleSet rules, List<Op> ops, Invariant invariant) {
        ExplorerRun run = ExplorerRun.defaults(rules);
        Session session = Session.startRecording(rules, run.config().catalog());
        session.applyAll(ops);
        Verdict.Counterexample c = new Verdict.Counterexample(rules, new SearchStats(1, ops.size(), Map.of()), 1, 0,
                ops.size(), session.steps(), new Violation(invariant, ops.size(), "made by hand"), session.report(), 0);
        return ReproPlan.of(run, c);
    }

    /**
     * Asserts that every step of {@code plan} appears in {@code script} in order: its {@code <comment> step N: <op>}
     * line, then (if {@code withPython}) the op's Python line, as code or as a comment.
     */
    static void assertEveryStepInOrder(ReproPlan plan, String script, String comment, boolean withPython) {
        int at = 0;
        for (ReproPlan.Step step : plan.steps()) {
            String header = comment + " step " + step.index() + ": " + step.op();
            int found = script.indexOf(header, at);
            assertTrue(found >= at, () -> "'" + header + "' missing or out of order in:\n" + script);
            at = found + header.length();
            if (withPython) {
                String py = step.op().toPython();
                int line = script.indexOf(py, at);
                int next = script.indexOf(comment + " step " + (step.index() + 1) + ": ", at);
                assertTrue(line >= at && (next < 0 || line < next),
                        () -> "step " + step.index() + ": its Python line '" + py + "' is not under its comment");
            }
        }
    }

    /** Whether {@code python3} runs here. */
    static boolean hasPython() {
        try {
            Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Asserts that {@code python3 -m py_compile} accepts {@code script}. */
    static void assertCompiles(Path dir, String name, String script) throws Exception {
        Path file = dir.resolve(name + ".py");
        Files.writeString(file, script, StandardCharsets.UTF_8);
        Process p = new ProcessBuilder("python3", "-m", "py_compile", file.toString()).redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "py_compile timed out");
        assertEquals(0, p.exitValue(), () -> output + "\n" + script);
    }
}
