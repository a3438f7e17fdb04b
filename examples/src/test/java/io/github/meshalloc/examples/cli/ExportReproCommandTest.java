package io.github.meshalloc.examples.cli;

import static io.github.meshalloc.examples.cli.MeshallocCliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.examples.cli.MeshallocCliTest.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code meshalloc export-repro} through the real command line, with small budgets. */
class ExportReproCommandTest {

    @TempDir
    Path dir;

    @Test
    void aSavedFileBecomesAPythonScriptOrAGtest() throws Exception {
        Path file = dir.resolve("ce.txt");
        assertEquals(1, run("check", "--rules", "seed-003-final", "--tries", "5", "--save", file.toString()).code());
        Result py = run("export-repro", file.toString());
        assertEquals(0, py.code(), py.err());
        assertTrue(py.out().startsWith("#!/usr/bin/env python3\n# meshalloc repro: seed-003-final breaks \"device "
                + "memory returned\" after step 3 of 3.\n"), py.out());
        assertTrue(py.out().contains("#   meshalloc check --rules seed-003-final --seed 1 --tries 5 --steps 25 --mesh "
                + "1x1,1x2,2x4,4x8\n"), py.out());
        assertTrue(py.out().contains("    # step 3: drop t0\n    del t0\n"), py.out());
        Result same = run("export-repro", "--rules", "seed-003-final", "--tries", "5");
        assertEquals(py, same, "a file and the search it records export the same script");

        Path out = dir.resolve("repro.cpp");
        Result cpp = run("export-repro", file.toString(), "--format", "gtest", "--out", out.toString());
        assertEquals(0, cpp.code(), cpp.err());
        assertEquals("wrote the gtest repro of seed-003-final (device memory returned broken after step 3) to " + out
                + "\n", cpp.out());
        assertTrue(Files.readString(out).contains("TEST(MeshallocRepro, Seed003FinalDeviceMemoryReturned) {"));
    }

    @Test
    void aBalancedSearchIsExit1WithNothingExported() {
        Result export = run("export-repro", "--rules", "meshalloc-fix", "--tries", "2", "--mesh", "1x1");
        assertEquals(1, export.code(), export.out());
        assertEquals("", export.out());
        assertTrue(export.err().contains("meshalloc-fix is balanced within seed 1, 2 tries of 25 steps, meshes 1x1: "
                + "no counterexample to export"), export.err());
    }

    @Test
    void exportReproBadUsageIsExit2() throws Exception {
        Path file = dir.resolve("ce.txt");
        assertEquals(1, run("check", "--rules", "seed-004", "--tries", "5", "--save", file.toString()).code());
        Path stale = dir.resolve("stale.txt");
        Files.writeString(stale, Files.readString(file).replace("op: m0: run add", "op: m0: run matmul"));
        Path malformed = dir.resolve("malformed.txt");
        Files.writeString(malformed, Files.readString(file).replace("tries: 5", "tries: 0"));
        for (List<String> args : List.<List<String>>of(List.of(), List.of(file.toString(), "--rules", "seed-004"),
                List.of(file.toString(), "--seed", "2"), List.of(dir.resolve("missing.txt").toString()),
                List.of(stale.toString()), List.of(malformed.toString()), List.of(file.toString(), "--format", "rust"),
                List.of("--rules", "seed-999"), List.of("--rules", "seed-004", "--mesh", "9"))) {
            List<String> all = new java.util.ArrayList<>(List.of("export-repro"));
            all.addAll(args);
            Result r = run(all.toArray(String[]::new));
            assertEquals(2, r.code(), args + ": " + r.err());
            assertEquals("", r.out(), args.toString());
        }
        assertTrue(run("export-repro", stale.toString()).err().contains("reaches another counterexample"));
        assertTrue(run("export-repro", malformed.toString()).err().contains("line 6: tries must be positive, got 0"));
        assertTrue(run("export-repro", file.toString(), "--seed", "2").err()
                .contains("--seed goes with --rules: the file " + file + " records its search"));
    }

    @Test
    void helpStatesTheLimitsAndExitCodes() {
        String export = run("export-repro", "--help").out().replaceAll("\\s+", " ");
        assertTrue(export.contains("addresses (buffer ids) on hardware differ from the model's unless the build has "
                + "the same DRAM and L1 bases; sizes and page counts are exact"), export);
        assertTrue(export.contains("Events with no hardware API become instructions"), export);
        assertTrue(export.contains("Exit codes: 0 script written, 1 no counterexample to export"), export);
    }
}
