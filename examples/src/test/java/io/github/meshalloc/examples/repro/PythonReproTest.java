package io.github.meshalloc.examples.repro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.meshalloc.tracking.RuleSet;
import io.github.meshalloc.tracking.explore.Invariant;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Python repro: a complete script, every step in order, what has no Python API said rather than faked. */
class PythonReproTest {

    @TempDir
    Path dir;

    private static ReproPlan plan(String preset) {
        ExplorerRun run = Scripts.small(RuleSet.preset(preset));
        return ReproPlan.of(run, Scripts.found(run));
    }

    @ParameterizedTest
    @ValueSource(strings = {"seed-004", "seed-002-before", "seed-003-final", "seed-000"})
    void aSeedCounterexampleBecomesACompleteScriptWithEveryStepInOrder(String preset) throws Exception {
        ReproPlan plan = plan(preset);
        String py = PythonRepro.render(plan);
        assertTrue(py.startsWith("#!/usr/bin/env python3\n# meshalloc repro: " + preset + " breaks \""), py);
        Scripts.assertEveryStepInOrder(plan, py, "#", true);
        int env = py.indexOf("os.environ[\"TT_ALLOC_TRACKING_ENABLED\"] = \"1\"");
        assertTrue(env > 0 && env < py.indexOf("import ttnn"), "tracking is enabled before ttnn is imported");
        assertTrue(py.contains("\nimport torch"), py);
        assertTrue(py.contains("    repro.checkpoint(" + plan.steps().size() + ")\n"), py);
        assertTrue(py.contains("    ttnn.close_mesh_device(m0)\n"), "teardown closes the open mesh: " + py);
        assertTrue(py.contains("#   broken: " + plan.invariant().label() + " after step " + plan.steps().size()), py);
        assertTrue(py.contains("\nif __name__ == \"__main__\":\n    main()\n"), py);
        assumeTrue(Scripts.hasPython(), "python3 is not on PATH");
        Scripts.assertCompiles(dir, preset.replace('-', '_'), py);
    }

    @Test
    void theServersRecordSizeFollowsItsVersion() {
        assertTrue(PythonRepro.render(plan("seed-003-final")).contains("\nRECORD_SIZE = 112\n"), "S4: 112 bytes");
        assertTrue(PythonRepro.render(plan("seed-004")).contains("\nRECORD_SIZE = 0\n"), "E1a: no DUMP_REMAINING");
    }

    @Test
    void everyKindOfStepIsCodeACommentedSkipOrAnInstruction() throws Exception {
        ReproPlan plan = Scripts.handMade(RuleSet.MESHALLOC_FIX, Scripts.EVERY_KIND,
                Invariant.SERVER_VIEW_EQUALS_TRUTH);
        assertTrue(plan.steps().get(9).raised().isPresent(), "clearing a manager with a live local tensor raises");
        String py = PythonRepro.render(plan);
        Scripts.assertEveryStepInOrder(plan, py, "#", true);
        List<String> lines = py.lines().toList();
        // no Python API: commented out and skipped, and so is what uses what they make
        assertTrue(lines.contains("    # v0 = repro.view(t0, offset=2048, size=4096)"), py);
        assertTrue(lines.contains("    # a0 = repro.mesh_buffer_at(t0.buffer_address(), like=t0)"), py);
        assertTrue(py.contains("    repro.skip(9, \"ttnn's Python API cannot place a tensor on a chosen sub-device"),
                py);
        assertTrue(lines.contains("    repro.skip(11, \"it uses t1, which step 9 could not make here\")"), py);
        assertTrue(lines.contains("    repro.skip(13, \"it uses v0, which step 5 could not make here\")"), py);
        assertTrue(py.contains("# - Skipped here (no ttnn Python API, or using what such a step makes): steps 5, 6, "
                + "9, 11, 13."), py);
        // a step the model saw raise runs under expect_error
        assertTrue(py.contains("    with repro.expect_error(10, \"TtFatalException: "), py);
        assertTrue(lines.contains("        m0.clear_loaded_sub_device_manager()"), py);
        // what runs is the op's own line
        assertTrue(lines.contains("    repro.run_program(m0, \"ttnn.matmul\", keep_alive=[t0])"), py);
        assertTrue(lines.contains("    b0 = repro.create_buffer(d0, size=26624, page_size=2048, "
                + "buffer_type=ttnn.BufferType.DRAM)"), py);
        // server events are instructions; a second process is a note
        assertTrue(py.contains("    repro.instruct(18, \"Stop allocation_server_poc now"), py);
        assertTrue(py.contains("    repro.instruct(19, \"Start allocation_server_poc now"), py);
        assertTrue(py.contains("    repro.instruct(20, \"Restart allocation_server_poc now"), py);
        assertTrue(py.contains("    repro.note(21, \"the model starts process p1 here"), py);
        // a process's end is spelled out: its mesh closed, what it holds released (not what was never made)
        int end = lines.indexOf("    # step 22: p0 ends (devices closed, objects released)");
        assertEquals(List.of("    # repro.end_process(\"p0\")  # devices closed, objects released, interpreter exits",
                "    ttnn.close_mesh_device(m0)", "    del b0", "    del t0", "    del t2"),
                lines.subList(end + 1, end + 6), py);
        assertTrue(lines.get(end + 6).startsWith("    repro.note(22, \"process p0 ends here in the model"), py);
        // the last step is a kill: the script kills itself after printing what to look for; no teardown
        assertTrue(lines.contains("    repro.kill_self(27, last=True)"), py);
        assertFalse(py.contains("repro.checkpoint("), py);
        assumeTrue(Scripts.hasPython(), "python3 is not on PATH");
        Scripts.assertCompiles(dir, "every_kind", py);
    }

    @Test
    void theStepsAfterAKillAreCommentsForASecondScript() throws Exception {
        ReproPlan plan = Scripts.handMade(RuleSet.MESHALLOC_FIX, Scripts.KILL_MIDWAY,
                Invariant.ZERO_RESIDUAL_AFTER_CLOSE);
        String py = PythonRepro.render(plan);
        Scripts.assertEveryStepInOrder(plan, py, "#", true);
        List<String> lines = py.lines().toList();
        assertTrue(lines.contains("    repro.kill_self(3, last=False)"), py);
        assertTrue(lines.contains("    # m1 = ttnn.open_mesh_device(ttnn.MeshShape(1, 1))"), py);
        assertFalse(lines.contains("    m1 = ttnn.open_mesh_device(ttnn.MeshShape(1, 1))"), py);
        assumeTrue(Scripts.hasPython(), "python3 is not on PATH");
        Scripts.assertCompiles(dir, "kill_midway", py);
    }

    @Test
    void theSyntaxCheckRejectsABrokenScript() {
        assumeTrue(Scripts.hasPython(), "python3 is not on PATH");
        assertThrows(AssertionFailedError.class, () -> Scripts.assertCompiles(dir, "broken", "def main(:\n"));
    }

    @Test
    void pythonStringsAreEscaped() {
        assertEquals("\"a \\\"b\\\" \\\\ c\\n\\x01\"", PythonRepro.py("a \"b\" \\ c\n\u0001"));
    }
}
