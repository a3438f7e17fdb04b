package io.github.meshalloc.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.examples.story.MeshTestRun;
import io.github.meshalloc.tracking.RuleSet;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes, help and the outputs of every subcommand, through the real command line. */
class MeshallocCliTest {

    @TempDir
    Path dir;

    /** Output, error output and exit code of one invocation. */
    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = MeshallocCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    private Path log(RuleSet rules) throws Exception {
        Path file = dir.resolve(rules.name() + ".log");
        MeshTestRun r = MeshTestRun.run(rules, 8);
        r.server().statisticsBlock();
        Files.writeString(file, r.server().log().render(), StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void helpListsEverySubcommandAndEachHasItsOwnHelp() {
        Result help = run("--help");
        assertEquals(0, help.code());
        for (String sub : List.of("seeds", "presets", "check", "export-repro", "replay", "timeline", "monitor")) {
            assertTrue(help.out().contains(sub), sub);
            Result own = run(sub, "--help");
            assertEquals(0, own.code(), sub);
            assertTrue(own.out().startsWith("Usage: meshalloc " + sub), own.out());
        }
        assertTrue(help.out().contains("2   bad usage or malformed input"));
    }

    @Test
    void badUsageExitsWith2() {
        assertEquals(2, run("--bogus").code());
        assertEquals(2, run("monitor", "no-such-scenario").code());
        Result preset = run("monitor", "mesh-test", "--rules", "seed-999");
        assertEquals(2, preset.code());
        assertTrue(preset.err().contains("Unknown rule-set preset 'seed-999'"), preset.err());
        assertEquals(2, run("monitor", "mesh-test", "--step", "9").code());
        assertEquals(2, run("replay", dir.resolve("missing.log").toString()).code());
        assertEquals(2, run("timeline", "mesh-test").code(), "--out is required");
        assertEquals(2, run("timeline", "nothing-here", "--out", dir.resolve("x.html").toString()).code());
        assertEquals(2, run("timeline", "mesh-test", "--device", "9", "--out", dir.resolve("x.html").toString())
                .code());
    }

    private static String lineOf(Result r, RuleSet preset) {
        return r.out().lines().filter(l -> l.startsWith(preset.name() + " ")).findFirst().orElseThrow();
    }

    @Test
    void presetsGivesTheExplorersVerdictsWithUpstreamMarkedNothingReported() {
        Result r = run("presets", "--why");
        assertEquals(0, r.code(), r.err());
        for (RuleSet preset : RuleSet.PRESETS) {
            String line = lineOf(r, preset);
            String expected = preset.equals(RuleSet.UPSTREAM) ? "  balanced (nothing reported)  "
                    : preset.equals(RuleSet.MESHALLOC_FIX) ? "  balanced  " : "  unbalanced  ";
            assertTrue(line.contains(expected), line);
            assertTrue(line.endsWith(preset.description()), line);
        }
        assertTrue(r.out().contains("(verdicts: the BalanceExplorer, seed 1, 200 tries of 25 steps, meshes "
                + "1x1,1x2,2x4,4x8, as 'meshalloc check --rules <preset>' reaches them;"), r.out());
        // --why: the broken invariant and the shrunk script under each unbalanced preset
        List<String> lines = r.out().lines().toList();
        int at = lines.indexOf(lineOf(r, RuleSet.SEED_003_FINAL));
        assertEquals("- device memory returned broken after step 3: p0: m0 = open_mesh_device(1x1); m0: t0 = tensor "
                + "dram-1p (1, 1, 32, 32); drop t0", lines.get(at + 1).trim());
        assertEquals(RuleSet.PRESETS.size() + 8 + 2, lines.size(), "one finding per unbalanced preset: " + r.out());
    }

    @Test
    void presetsBatteryKeepsTheSeedScenarioVerdicts() {
        Result r = run("presets", "--battery");
        assertEquals(0, r.code(), r.err());
        for (RuleSet preset : RuleSet.PRESETS) {
            String line = lineOf(r, preset);
            assertTrue(line.contains(preset.equals(RuleSet.MESHALLOC_FIX) ? "  balanced  " : "  unbalanced  "), line);
            assertTrue(line.endsWith(preset.description()), line);
        }
        assertTrue(r.out().contains("(verdicts: meshalloc's scenario battery"), r.out());
    }

    @Test
    void replayExitCodesFollowTheBalance() throws Exception {
        Result leaky = run("replay", log(RuleSet.SEED_004).toString());
        assertEquals(1, leaky.code(), leaky.out());
        assertTrue(leaky.out().contains("server version: E1A"));
        assertTrue(leaky.out().contains("verdict: unbalanced"));
        Result fixed = run("replay", log(RuleSet.MESHALLOC_FIX).toString(), "--server-version", "s4");
        assertEquals(0, fixed.code(), fixed.out());
        assertTrue(fixed.out().contains("server version: S4 (given)"));
        assertEquals(2, run("replay", log(RuleSet.MESHALLOC_FIX).toString(), "--server-version", "S9").code());
    }

    @Test
    void aMalformedLineIsExit2WithItsNumberAndTextUnlessLenient() throws Exception {
        Path bad = dir.resolve("bad.log");
        String text = "✗ [PID 5] Freed buffer 0x10 on device zero (4096 bytes, FINAL)";
        Files.write(bad, List.of("✓ [PID 5] Allocated 4096 bytes of DRAM on device 0 (buffer_id=0x10)", text),
                StandardCharsets.UTF_8);
        Result strict = run("replay", bad.toString());
        assertEquals(2, strict.code());
        assertTrue(strict.err().contains("line 2"), strict.err());
        assertTrue(strict.err().contains(text), strict.err());
        Result lenient = run("replay", bad.toString(), "--lenient");
        assertEquals(1, lenient.code(), "the ALLOC is never freed once the bad FREE is skipped");
        assertTrue(lenient.out().contains("Malformed lines (1):"), lenient.out());
        assertTrue(lenient.out().contains("line 2: "), lenient.out());
    }

    @Test
    void monitorShowsTheServersViewAndTheTruth() {
        Result r = run("monitor", "mesh-test", "--rules", "seed-004", "--step", "6", "-d", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("  DRAM:       14.07 MB /     12.00 GB"), r.out());
        assertTrue(r.out().contains("Device 1: DRAM server 14,753,792 B, truth 36,864 B"), r.out());
        Result all = run("monitor", "mesh-test", "--rules", "meshalloc-fix", "--all", "--monitor-version", "v2");
        assertEquals(0, all.code());
        assertEquals(8, all.out().lines().filter(l -> l.startsWith("Device ")).count());
    }

    @Test
    void timelineWritesTheFile() throws Exception {
        Path out = dir.resolve("report.html");
        Result r = run("timeline", "mesh-test", "--rules", "seed-003-final", "--step", "7", "--bank-type", "L1",
                "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(out).startsWith("<!DOCTYPE html>"));
        assertTrue(r.out().contains("memory map of L1 on device 1 at step 7"), r.out());
        Path fromLog = dir.resolve("log.html");
        assertEquals(0, run("timeline", log(RuleSet.SEED_004).toString(), "--out", fromLog.toString()).code());
        assertTrue(Files.readString(fromLog).contains("the memory map needs a scenario"));
    }

    @Test
    void noSubcommandRunsTheSeedsStory() {
        Result r = run();
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("meshalloc seeds: the debugging story"));
        assertTrue(r.out().contains("the fix: meshalloc-fix (S4) is balanced"));
    }
}
