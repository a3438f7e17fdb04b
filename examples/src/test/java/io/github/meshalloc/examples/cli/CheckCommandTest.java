package io.github.meshalloc.examples.cli;

import static io.github.meshalloc.examples.cli.MeshallocCliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.examples.cli.MeshallocCliTest.Result;
import io.github.meshalloc.examples.repro.CounterexampleFile;
import io.github.meshalloc.tracking.RuleSet;
import io.github.meshalloc.tracking.explore.BalanceExplorer;
import io.github.meshalloc.tracking.explore.ExplorerConfig;
import io.github.meshalloc.tracking.explore.Verdict;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code meshalloc check} through the real command line, with small budgets (each run well under a second). */
class CheckCommandTest {

    @TempDir
    Path dir;

    @Test
    void aCounterexampleIsExit1AndPrintedExactlyAsTheExplorerRendersIt() {
        Result r = run("check", "--rules", "seed-003-final", "--tries", "5");
        assertEquals(1, r.code(), r.err());
        Verdict expected = BalanceExplorer.check(RuleSet.SEED_003_FINAL, ExplorerConfig.defaults().withTries(5));
        assertEquals("meshalloc check: seed-003-final, seed 1, 5 tries of 25 steps, meshes 1x1,1x2,2x4,4x8\n"
                + expected.render(), r.out());
        assertTrue(r.out().contains("broken: device memory returned after step 3\n  1. p0: m0 = open_mesh_device(1x1)\n"
                + "  2. m0: t0 = tensor dram-1p (1, 1, 32, 32)\n  3. drop t0\n"), r.out());
        assertEquals("", r.err(), "no progress bar without a terminal");
        assertEquals(r, run("check", "--rules", "seed-003-final", "--tries", "5"), "deterministic");
    }

    @Test
    void balancedIsExit0AndUpstreamSaysNothingWasReported() {
        Result fix = run("check", "--rules", "meshalloc-fix", "--tries", "3", "--steps", "10", "--mesh", "1x1,1x2");
        assertEquals(0, fix.code(), fix.err());
        assertTrue(fix.out().startsWith("meshalloc check: meshalloc-fix, seed 1, 3 tries of 10 steps, meshes 1x1,1x2\n"
                + "meshalloc-fix: balanced after 3 tries, "), fix.out());
        assertFalse(fix.out().contains("note:"), fix.out());
        Result upstream = run("check", "--rules", "upstream", "--tries", "3", "--mesh", "1x1");
        assertEquals(0, upstream.code(), upstream.err());
        assertTrue(upstream.out().endsWith("note: upstream has no allocation client: nothing is reported to the "
                + "server, so only device memory was checked\n"), upstream.out());
    }

    @Test
    void badUsageIsExit2WithAReason() {
        for (List<String> args : List.<List<String>>of(List.of("--rules", "seed-999"), List.of(), List.of("--rules", "upstream",
                "--tries", "0"), List.of("--rules", "upstream", "--tries", "-3"), List.of("--rules", "upstream",
                "--steps", "0"), List.of("--rules", "upstream", "--tries", "many"), List.of("--rules", "upstream",
                "--mesh", "2x"), List.of("--rules", "upstream", "--mesh", "0x4"), List.of("--rules", "upstream",
                "--mesh", "8x8"), List.of("--rules", "upstream", "--mesh", "1x1,1x1"), List.of("--rules",
                "upstream", "--mesh", "1x16"))) {
            List<String> all = new java.util.ArrayList<>(List.of("check"));
            all.addAll(args);
            Result r = run(all.toArray(String[]::new));
            assertEquals(2, r.code(), args + ": " + r.out() + r.err());
            assertFalse(r.err().isBlank(), args.toString());
            assertEquals("", r.out(), args + ": nothing searched");
        }
        assertTrue(run("check", "--rules", "upstream", "--mesh", "8x8").err()
                .contains("mesh 8x8 has 64 chips; at most 32"));
        assertTrue(run("check", "--rules", "upstream", "--tries", "0").err()
                .contains("meshalloc check: tries must be positive, got 0"));
    }

    @Test
    void saveWritesTheSearchAndTheOperationsItReached() throws Exception {
        Path file = dir.resolve("ce.txt");
        Result check = run("check", "--rules", "seed-003-final", "--tries", "5", "--save", file.toString());
        assertEquals(1, check.code(), check.err());
        assertTrue(check.out().endsWith("saved to " + file + "; for a hardware repro: meshalloc export-repro " + file
                + "\n"), check.out());
        CounterexampleFile saved = CounterexampleFile.parse(Files.readString(file, StandardCharsets.UTF_8));
        assertEquals(List.of("p0: m0 = open_mesh_device(1x1)", "m0: t0 = tensor dram-1p (1, 1, 32, 32)", "drop t0"),
                saved.ops());
        assertEquals(5, saved.run().tries());
        assertEquals(RuleSet.SEED_003_FINAL, saved.run().rules());
    }

    @Test
    void nothingIsSavedWhenBalanced() {
        Path file = dir.resolve("none.txt");
        Result check = run("check", "--rules", "meshalloc-fix", "--tries", "2", "--mesh", "1x1", "--save",
                file.toString());
        assertEquals(0, check.code(), check.err());
        assertTrue(check.out().endsWith("nothing saved to " + file + ": no counterexample\n"), check.out());
        assertFalse(Files.exists(file));
    }

    @Test
    void helpStatesTheExitCodes() {
        Result check = run("check", "--help");
        assertEquals(0, check.code());
        assertTrue(check.out().contains("Exit codes: 0 balanced within the budget, 1 counterexample found, 2 bad"),
                check.out());
    }
}
