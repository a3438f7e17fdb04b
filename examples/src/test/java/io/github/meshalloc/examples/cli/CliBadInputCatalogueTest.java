package io.github.meshalloc.examples.cli;

import static io.github.meshalloc.examples.cli.MeshallocCliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.meshalloc.examples.cli.MeshallocCliTest.Result;
import io.github.meshalloc.examples.repro.CounterexampleFile;
import io.github.meshalloc.examples.repro.ExplorerRun;
import io.github.meshalloc.examples.story.MeshTestRun;
import io.github.meshalloc.tracking.RuleSet;
import io.github.meshalloc.tracking.explore.Progress;
import io.github.meshalloc.tracking.explore.Verdict;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CLI's rows of the bad-input catalogue, one case per row: every class of bad input {@code meshalloc} can receive
 * exits with {@link ExitCodes#USAGE}, prints exactly one line on stderr ({@code meshalloc <command>: ...}) naming the
 * bad value and what is allowed, prints nothing on stdout, and leaves the file system as it was: the working
 * directory's every file and directory, byte for byte, is the same after the run as before (an existing output file
 * is not touched, no partial or temporary file is left).
 */
class CliBadInputCatalogueTest {

    private static final Set<String> COMMANDS = Set.of("seeds", "presets", "check", "export-repro", "replay",
            "timeline", "monitor");

    /** An existing output file that no refused command may touch. */
    private static final String PRECIOUS = "precious bytes: no refused command may touch this file\n";

    /** seed-004's counterexample with a small budget, as 'meshalloc check --save' writes it. */
    private static final String COUNTEREXAMPLE = counterexample();

    private static final String ALLOC = "✓ [PID 5] Allocated 4096 bytes of DRAM on device 0 (buffer_id=0x10)";
    private static final String MALFORMED = "✗ [PID 5] Freed buffer 0x10 on device zero (4096 bytes, FINAL)";
    private static final String TRUNCATED = "✗ [PID 5] Freed buffer 0x10 on dev";

    private static final String PRESETS = "known presets: [upstream, seed-004, seed-002-before, seed-002-after, "
            + "seed-001-before, seed-001-after, seed-003-first-attempt, seed-003-final, seed-000, meshalloc-fix]";
    private static final String SERVER_LOG = "give a server log (allocation_server_poc output, UTF-8)";
    private static final String CE_FILE = "give a counterexample file written by 'meshalloc check --save'";

    @TempDir
    Path dir;

    private static String counterexample() {
        ExplorerRun run = new ExplorerRun(RuleSet.SEED_004, 1, 5, 25, ExplorerRun.parseShapes("1x1,1x2,2x4,4x8"));
        Verdict verdict = run.run(Progress.Listener.NONE);
        return CounterexampleFile.of(run, (Verdict.Counterexample) verdict).render();
    }

    /**
     * One row of the catalogue.
     *
     * @param input     the class of bad input, as the README's table names it
     * @param where     the command and option that receive it
     * @param args      the command line; {@code {dir}} is the test's directory
     * @param fragments what the one line on stderr must contain: the bad value, what is allowed
     */
    record Row(String input, String where, List<String> args, List<String> fragments) {
        @Override
        public String toString() {
            return input + " | " + where;
        }
    }

    private static Row row(String input, String where, List<String> args, String... fragments) {
        return new Row(input, where, args, List.of(fragments));
    }

    static Stream<Row> rows() {
        List<Row> rows = new ArrayList<>();
        // the command line itself
        rows.add(row("unknown command", "`meshalloc`", List.of("bogus"),
                "meshalloc: unknown command 'bogus'; commands: seeds, presets, check, export-repro, replay, timeline, "
                        + "monitor, help"));
        rows.add(row("unknown command", "`meshalloc help`", List.of("help", "bogus"),
                "meshalloc: unknown command 'bogus'; commands: seeds, presets, check"));
        rows.add(row("unknown option", "`meshalloc`", List.of("--bogus"),
                "meshalloc: unknown option '--bogus'; options: -h/--help, -V/--version"));
        rows.add(row("unknown option", "any command", List.of("check", "--rules", "upstream", "--try", "5"),
                "unknown option '--try'; options: --rules, --seed, --tries, --steps, --mesh, --save, -h/--help"));
        rows.add(row("argument a command does not take", "`presets`, `seeds`, `check`", List.of("presets", "extra"),
                "unexpected argument 'extra'; presets takes no arguments, only options: --why, --battery"));
        rows.add(row("a second file", "`replay`", List.of("replay", "{dir}/server.log", "{dir}/server.log"),
                "unexpected argument '{dir}/server.log'; replay takes <server.log> and options"));
        rows.add(row("option given twice", "any option", List.of("check", "--rules", "upstream", "--tries", "1",
                "--tries", "2"), "option '--tries' (N) should be specified only once"));
        rows.add(row("option without its value", "any option", List.of("check", "--rules", "upstream", "--tries"),
                "Missing required parameter for option '--tries' (N)"));
        // presets
        rows.add(row("no preset", "`check`", List.of("check"),
                "Missing required option: '--rules=<preset>'; --rules is one of: upstream, seed-004,"));
        rows.add(row("unknown preset", "`check --rules`", List.of("check", "--rules", "seed-999"),
                "Invalid value for option '--rules': Unknown rule-set preset 'seed-999'", PRESETS));
        rows.add(row("unknown preset", "`export-repro --rules`", List.of("export-repro", "--rules", "seed-999"),
                "Unknown rule-set preset 'seed-999'", PRESETS));
        rows.add(row("unknown preset", "`timeline --rules`", List.of("timeline", "mesh-test", "--rules", "nope",
                "--out", "{dir}/existing.html"), "Unknown rule-set preset 'nope'", PRESETS));
        rows.add(row("unknown preset", "`monitor --rules`", List.of("monitor", "mesh-test", "--rules", "nope"),
                "Unknown rule-set preset 'nope'", PRESETS));
        // scenarios
        rows.add(row("unknown scenario", "`monitor`", List.of("monitor", "no-such-scenario"),
                "unknown scenario 'no-such-scenario'; known scenarios: [mesh-test]"));
        rows.add(row("no scenario", "`monitor`", List.of("monitor"),
                "Missing required parameter: '<scenario>'; <scenario> is one of: mesh-test"));
        rows.add(row("neither a scenario nor a file", "`timeline`", List.of("timeline", "nothing-here", "--out",
                "{dir}/existing.html"), "'nothing-here' is neither a scenario ([mesh-test]) nor a file"));
        // other names (enums)
        rows.add(row("unknown server version", "`replay --server-version`, `timeline --server-version`",
                List.of("replay", "{dir}/server.log", "--server-version", "S9"),
                "Invalid value for option '--server-version': expected one of [E0, E1A, E1R, S1, S2, S3, S4, S5, "
                        + "ENHANCED] (case-insensitive) but was 'S9'"));
        rows.add(row("unknown repro format", "`export-repro --format`", List.of("export-repro", "{dir}/ce.txt",
                "--format", "rust"), "expected one of [PYTHON, GTEST] (case-insensitive) but was 'rust'"));
        rows.add(row("unknown monitor version", "`monitor --monitor-version`", List.of("monitor", "mesh-test",
                "--monitor-version", "V3"), "expected one of [V1, V2] (case-insensitive) but was 'V3'"));
        rows.add(row("bank type the map does not show", "`timeline --bank-type`", List.of("timeline", "mesh-test",
                "--bank-type", "TRACE", "--out", "{dir}/existing.html"),
                "'TRACE' is not a bank type the memory map shows: DRAM or L1 (case-insensitive)"));
        // mesh shapes
        rows.add(row("malformed mesh shape", "`check --mesh`, `export-repro --mesh`", List.of("check", "--rules",
                "upstream", "--mesh", "2x"), "mesh shape '2x' is not ROWSxCOLUMNS (e.g. 2x4)"));
        rows.add(row("empty mesh shape", "`check --mesh`", List.of("check", "--rules", "upstream", "--mesh", "1x1,"),
                "mesh shape '' is not ROWSxCOLUMNS (e.g. 2x4)"));
        rows.add(row("mesh side of zero", "`check --mesh`", List.of("check", "--rules", "upstream", "--mesh", "0x4"),
                "mesh shape '0x4' must have positive sides"));
        rows.add(row("mesh larger than a Galaxy", "`check --mesh`", List.of("check", "--rules", "upstream", "--mesh",
                "8x8"), "mesh 8x8 has 64 chips; at most 32 (a 4x8 Galaxy) are modelled"));
        rows.add(row("mesh shape listed twice", "`check --mesh`", List.of("check", "--rules", "upstream", "--mesh",
                "1x1,1x1"), "mesh shape 1x1 is listed twice"));
        // numbers
        rows.add(row("non-numeric seed", "`check --seed`, `export-repro --seed`", List.of("check", "--rules",
                "upstream", "--seed", "abc"), "Invalid value for option '--seed': 'abc' is not a whole number "
                + "(-9223372036854775808..9223372036854775807)"));
        rows.add(row("non-numeric count", "`--tries`, `--steps`", List.of("check", "--rules", "upstream", "--tries",
                "many"), "Invalid value for option '--tries': 'many' is not a positive whole number (1..2147483647)"));
        rows.add(row("count beyond 32 bits", "`--tries`, `--steps`", List.of("check", "--rules", "upstream",
                "--steps", "99999999999"), "Invalid value for option '--steps': '99999999999' is not a positive whole "
                + "number (1..2147483647)"));
        rows.add(row("zero tries", "`check --tries`, `export-repro --tries`", List.of("check", "--rules", "upstream",
                "--tries", "0"), "meshalloc check: tries must be positive, got 0"));
        rows.add(row("negative tries", "`--tries`", List.of("export-repro", "--rules", "seed-004", "--tries", "-3"),
                "meshalloc export-repro: tries must be positive, got -3"));
        rows.add(row("zero steps", "`--steps`", List.of("check", "--rules", "upstream", "--steps", "0"),
                "steps must be positive, got 0"));
        rows.add(row("negative limit", "`replay --limit`", List.of("replay", "{dir}/server.log", "--limit", "-1"),
                "--limit -1 must not be negative"));
        rows.add(row("non-numeric limit", "`replay --limit`", List.of("replay", "{dir}/server.log", "--limit", "x"),
                "Invalid value for option '--limit': 'x' is not a whole number, 0 or more"));
        rows.add(row("step past the scenario", "`monitor --step`", List.of("monitor", "mesh-test", "--step", "9"),
                "--step 9 is outside 1..8 for mesh-test"));
        rows.add(row("step zero", "`monitor --step`", List.of("monitor", "mesh-test", "--step", "0"),
                "--step 0 is outside 1..8 for mesh-test"));
        rows.add(row("non-numeric step", "`monitor --step`, `timeline --step`", List.of("monitor", "mesh-test",
                "--step", "x"), "Invalid value for option '--step': 'x' is not a step number (a whole number from 1 "
                + "to the scenario's last step)"));
        rows.add(row("step outside the scenario", "`timeline --step`", List.of("timeline", "mesh-test", "--step",
                "99", "--out", "{dir}/existing.html"), "step 99 is outside 1..8"));
        rows.add(row("device outside 0..7", "`monitor --device`", List.of("monitor", "mesh-test", "-d", "8"),
                "--device 8 is outside 0..7"));
        rows.add(row("non-numeric device", "`monitor --device`, `timeline --device`", List.of("monitor", "mesh-test",
                "-d", "two"), "Invalid value for option '--device'", "'two' is not a device id (a whole number, 0..7)"));
        rows.add(row("device not in the mesh", "`timeline --device`", List.of("timeline", "mesh-test", "--device",
                "-1", "--out", "{dir}/existing.html"),
                "device -1 is not in the 2x4 mesh (devices [0, 1, 2, 3, 4, 5, 6, 7])"));
        // conflicting options
        rows.add(row("--all with --device", "`monitor`", List.of("monitor", "mesh-test", "--all", "-d", "1"),
                "--all and --device 1 conflict: --all shows devices 0-7, --device one device each"));
        rows.add(row("device given twice", "`monitor --device`", List.of("monitor", "mesh-test", "-d", "1", "-d",
                "1"), "--device 1 is given twice"));
        rows.add(row("scenario option with a log", "`timeline --rules/--step/--device/--bank-type`",
                List.of("timeline", "{dir}/server.log", "--step", "3", "--out", "{dir}/existing.html"),
                "--step is for a scenario ([mesh-test]); {dir}/server.log is a server log"));
        rows.add(row("log option with a scenario", "`timeline --server-version/--lenient`", List.of("timeline",
                "mesh-test", "--lenient", "--out", "{dir}/existing.html"),
                "--lenient is for a server log; mesh-test is a scenario"));
        rows.add(row("neither a file nor --rules", "`export-repro`", List.of("export-repro"),
                "give a counterexample file or --rules <preset>"));
        rows.add(row("both a file and --rules", "`export-repro`", List.of("export-repro", "{dir}/ce.txt", "--rules",
                "seed-004"), "give a counterexample file or --rules <preset>, not both"));
        rows.add(row("search option with a file", "`export-repro FILE --seed/--tries/--steps/--mesh`",
                List.of("export-repro", "{dir}/ce.txt", "--seed", "2"),
                "--seed goes with --rules: the file {dir}/ce.txt records its search"));
        rows.add(row("output is the input", "`export-repro --out`", List.of("export-repro", "{dir}/ce.txt", "--out",
                "{dir}/ce.txt"), "--out {dir}/ce.txt is the input file {dir}/ce.txt; writing would overwrite it"));
        rows.add(row("output is the input", "`timeline --out`", List.of("timeline", "{dir}/server.log", "--out",
                "{dir}/server.log"), "--out {dir}/server.log is the input file {dir}/server.log"));
        // log files
        for (String command : List.of("replay", "timeline")) {
            List<String> out = command.equals("timeline") ? List.of("--out", "{dir}/existing.html") : List.of();
            String where = "`" + command + "`";
            rows.add(row("log file that does not exist", where, args(command, "{dir}/missing.log", out),
                    command.equals("replay") ? "no such file: {dir}/missing.log; " + SERVER_LOG
                            : "'{dir}/missing.log' is neither a scenario ([mesh-test]) nor a file"));
            rows.add(row("log file that is a directory", where, args(command, "{dir}/adir", out),
                    "{dir}/adir is a directory; give "));
            rows.add(row("empty log file", where, args(command, "{dir}/empty.log", out),
                    "{dir}/empty.log is empty; give "));
            rows.add(row("log file of blank lines", where, args(command, "{dir}/blank.log", out),
                    "{dir}/blank.log is empty (3 blank lines); give "));
            rows.add(row("log file not in UTF-8", where, args(command, "{dir}/latin1.log", out),
                    "{dir}/latin1.log: line 2 is not UTF-8 text; give "));
            rows.add(row("malformed log line (strict)", where, args(command, "{dir}/malformed.log", out),
                    "{dir}/malformed.log: line 2: malformed FREE line", MALFORMED, "(use --lenient to "));
            rows.add(row("truncated log line (strict)", where, args(command, "{dir}/truncated.log", out),
                    "{dir}/truncated.log: line 2: malformed FREE line: expected ' (' at column 28: " + TRUNCATED,
                    "(use --lenient to "));
        }
        // counterexample files
        rows.add(row("counterexample file that does not exist", "`export-repro`", List.of("export-repro",
                "{dir}/missing.txt"), "no such file: {dir}/missing.txt; " + CE_FILE));
        rows.add(row("counterexample file that is a directory", "`export-repro`", List.of("export-repro",
                "{dir}/adir"), "{dir}/adir is a directory; " + CE_FILE));
        rows.add(row("empty counterexample file", "`export-repro`", List.of("export-repro", "{dir}/empty.log"),
                "{dir}/empty.log is empty; " + CE_FILE));
        rows.add(row("counterexample file not in UTF-8", "`export-repro`", List.of("export-repro",
                "{dir}/latin1.log"), "{dir}/latin1.log: line 2 is not UTF-8 text; " + CE_FILE));
        rows.add(row("not a counterexample file", "`export-repro`", List.of("export-repro", "{dir}/server.log"),
                "{dir}/server.log: line 1: expected '# meshalloc counterexample v1' (a file written by 'meshalloc "
                        + "check --save')"));
        rows.add(row("truncated counterexample file", "`export-repro`", List.of("export-repro",
                "{dir}/ce-truncated.txt"), "{dir}/ce-truncated.txt: no 'tries:' line"));
        rows.add(row("counterexample without operations", "`export-repro`", List.of("export-repro",
                "{dir}/ce-no-ops.txt"), "no 'op:' line: a counterexample has at least one operation"));
        rows.add(row("counterexample line without a key", "`export-repro`", List.of("export-repro",
                "{dir}/ce-no-colon.txt"), "line 4: expected 'key: value', got 'preset seed-004'"));
        rows.add(row("unknown key in a counterexample", "`export-repro`", List.of("export-repro",
                "{dir}/ce-unknown-key.txt"), "line 5: unknown key 'sead'; keys are [preset, seed, tries, steps, mesh, "
                + "broken] and op"));
        rows.add(row("key given twice in a counterexample", "`export-repro`", List.of("export-repro",
                "{dir}/ce-twice.txt"), "line 6: 'seed' given twice (first on line 5)"));
        rows.add(row("bad value in a counterexample", "`export-repro`", List.of("export-repro",
                "{dir}/ce-zero-tries.txt"), "{dir}/ce-zero-tries.txt: line 6: tries must be positive, got 0"));
        rows.add(row("unknown preset in a counterexample", "`export-repro`", List.of("export-repro",
                "{dir}/ce-preset.txt"), "line 4: Unknown rule-set preset 'seed-999'", PRESETS));
        rows.add(row("stale counterexample (other operations)", "`export-repro`", List.of("export-repro",
                "{dir}/ce-stale.txt"), "reaches another counterexample with this meshalloc",
                "Save it again with this meshalloc"));
        rows.add(row("counterexample that no longer reproduces", "`export-repro`", List.of("export-repro",
                "{dir}/ce-balanced.txt"), "the saved search (meshalloc check --rules meshalloc-fix --seed 1 --tries 5 "
                + "--steps 25 --mesh 1x1,1x2,2x4,4x8) is balanced with this meshalloc: the file's counterexample no "
                + "longer reproduces"));
        // output paths
        for (List<String> command : List.of(List.of("check", "--rules", "seed-004", "--tries", "5", "--save"),
                List.of("export-repro", "{dir}/ce.txt", "--out"), List.of("timeline", "mesh-test", "--out"))) {
            String option = command.get(command.size() - 1);
            String where = "`" + command.get(0) + " " + option + "`";
            rows.add(row("output path that is a directory", where, with(command, "{dir}/adir"),
                    option + " {dir}/adir is a directory; give a file name"));
            rows.add(row("output in a missing directory", where, with(command, "{dir}/nodir/out.txt"),
                    option + " {dir}/nodir/out.txt: directory {dir}/nodir does not exist"));
            rows.add(row("output under a file", where, with(command, "{dir}/existing.html/out.txt"),
                    option + " {dir}/existing.html/out.txt: {dir}/existing.html is a file, not a directory"));
        }
        return rows.stream();
    }

    private static List<String> args(String command, String input, List<String> more) {
        List<String> all = new ArrayList<>(List.of(command, input));
        all.addAll(more);
        return all;
    }

    private static List<String> with(List<String> command, String last) {
        List<String> all = new ArrayList<>(command);
        all.add(last);
        return all;
    }

    @BeforeEach
    void fixtures() throws IOException {
        MeshTestRun r = MeshTestRun.run(RuleSet.SEED_004, 8);
        r.server().statisticsBlock();
        write("server.log", r.server().log().render());
        write("existing.html", PRECIOUS);
        Files.createDirectory(dir.resolve("adir"));
        write("adir/inside.txt", "a file in the directory");
        write("empty.log", "");
        write("blank.log", "\n  \n\t\n");
        Files.write(dir.resolve("latin1.log"), (ALLOC + "\nFreed buffer 0x10 on device 0 \u00e9t\u00e9\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        write("malformed.log", ALLOC + "\n" + MALFORMED + "\n");
        write("truncated.log", ALLOC + "\n" + TRUNCATED);
        write("ce.txt", COUNTEREXAMPLE);
        String[] lines = COUNTEREXAMPLE.split("\n");
        assertEquals("# meshalloc counterexample v1", lines[0]);
        assertEquals("preset: seed-004", lines[3]);
        assertEquals("seed: 1", lines[4]);
        assertEquals("tries: 5", lines[5]);
        write("ce-truncated.txt", String.join("\n", List.of(lines).subList(0, 5)) + "\n");
        write("ce-no-ops.txt", COUNTEREXAMPLE.replaceAll("(?m)^op: .*\n", ""));
        write("ce-no-colon.txt", COUNTEREXAMPLE.replace("preset: seed-004", "preset seed-004"));
        write("ce-unknown-key.txt", COUNTEREXAMPLE.replace("seed: 1", "sead: 1"));
        write("ce-twice.txt", COUNTEREXAMPLE.replace("seed: 1\n", "seed: 1\nseed: 2\n"));
        write("ce-zero-tries.txt", COUNTEREXAMPLE.replace("tries: 5", "tries: 0"));
        write("ce-preset.txt", COUNTEREXAMPLE.replace("preset: seed-004", "preset: seed-999"));
        assertTrue(COUNTEREXAMPLE.contains("op: m0: run add"), COUNTEREXAMPLE);
        write("ce-stale.txt", COUNTEREXAMPLE.replace("op: m0: run add", "op: m0: run matmul"));
        write("ce-balanced.txt", COUNTEREXAMPLE.replace("preset: seed-004", "preset: meshalloc-fix"));
    }

    private void write(String name, String text) throws IOException {
        Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    /** Every file and directory under the test's directory, with its bytes. */
    private Map<String, String> snapshot() {
        try (Stream<Path> all = Files.walk(dir)) {
            Map<String, String> files = new TreeMap<>();
            all.forEach(p -> {
                try {
                    files.put(dir.relativize(p).toString(), Files.isDirectory(p) ? "<dir>"
                            : HexFormat.of().formatHex(Files.readAllBytes(p)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Result refused(List<String> args, List<String> fragments) {
        String d = dir.toString();
        Map<String, String> before = snapshot();
        Result r = run(args.stream().map(a -> a.replace("{dir}", d)).toArray(String[]::new));
        String prefix = "meshalloc" + (COMMANDS.contains(args.get(0)) ? " " + args.get(0) : "") + ": ";
        assertEquals(ExitCodes.USAGE, r.code(), args + ": " + r.out() + r.err());
        assertEquals("", r.out(), args + ": nothing on stdout");
        assertEquals(1, r.err().lines().count(), args + ": one line on stderr: " + r.err());
        assertTrue(r.err().startsWith(prefix), r.err());
        for (String fragment : fragments) {
            assertTrue(r.err().contains(fragment.replace("{dir}", d)), "expected '" + fragment + "' in " + r.err());
        }
        assertEquals(before, snapshot(), args + ": the file system is unchanged");
        return r;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void eachBadInputIsRefusedWithItsMessageAndChangesNothing(Row row) {
        refused(row.args(), row.fragments());
    }

    @Test
    void everyCommandHasARowAndRowsAreDistinct() {
        List<Row> rows = rows().toList();
        for (String command : COMMANDS) {
            if (!command.equals("seeds")) {
                assertTrue(rows.stream().anyMatch(r -> r.args().get(0).equals(command)), command);
            }
        }
        assertEquals(rows.size(), rows.stream().map(Row::args).distinct().count(), "no row repeats another");
    }

    @Test
    void anOutputOnAReadOnlyFileSystemIsRefusedBeforeAnyWork() {
        Path proc = Path.of("/proc");
        assumeTrue(Files.isDirectory(proc) && Files.exists(proc.resolve("self")), "needs Linux /proc");
        Result check = refused(List.of("check", "--rules", "seed-004", "--tries", "5", "--save",
                "/proc/meshalloc-ce.txt"), List.of("--save /proc/meshalloc-ce.txt: cannot create a file in /proc ("));
        assertFalse(check.err().contains(".tmp"), "the probe's temporary name is not shown: " + check.err());
        refused(List.of("timeline", "mesh-test", "--out", "/proc/meshalloc.html"),
                List.of("--out /proc/meshalloc.html: cannot create a file in /proc ("));
        assertFalse(Files.exists(Path.of("/proc/meshalloc.html")));
    }

    @Test
    void unreadableInputAndUnwritableOutputAreRefused() throws IOException {
        Path locked = dir.resolve("locked.log");
        Files.copy(dir.resolve("server.log"), locked);
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("-w-------"));
        Path readOnly = dir.resolve("readonly");
        Files.createDirectory(readOnly);
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        // root reads and writes through permissions: nothing to test there
        assumeFalse(Files.isReadable(locked), "running as root");
        refused(List.of("replay", locked.toString()), List.of("cannot read " + locked + ": permission denied"));
        refused(List.of("export-repro", locked.toString()), List.of("cannot read " + locked + ": permission denied"));
        Path kept = dir.resolve("existing.html");
        Files.setPosixFilePermissions(kept, PosixFilePermissions.fromString("r--r--r--"));
        refused(List.of("timeline", "mesh-test", "--out", kept.toString()),
                List.of("--out " + kept + ": permission denied"));
        refused(List.of("timeline", "mesh-test", "--out", readOnly.resolve("x.html").toString()),
                List.of("--out " + readOnly.resolve("x.html") + ": cannot create a file in " + readOnly
                        + " (permission denied)"));
    }

    @Test
    void underLenientAMalformedOrTruncatedLineIsCountedNotRefused() {
        for (String log : List.of("malformed.log", "truncated.log")) {
            Result r = run("replay", dir.resolve(log).toString(), "--lenient");
            assertEquals(ExitCodes.PROBLEM, r.code(), "the ALLOC is never freed once the bad FREE is skipped");
            assertTrue(r.out().contains("Malformed lines (1):"), r.out());
            assertTrue(r.out().contains("line 2: "), r.out());
            assertEquals("", r.err());
        }
        Path html = dir.resolve("lenient.html");
        Result timeline = run("timeline", dir.resolve("truncated.log").toString(), "--lenient", "--out",
                html.toString());
        assertEquals(ExitCodes.OK, timeline.code(), timeline.err());
        assertTrue(timeline.out().startsWith("wrote " + html + ": 1 events"), timeline.out());
    }

    @Test
    void aGoodRunReplacesAnExistingOutputWholeAndLeavesNoTemporaryFile() throws IOException {
        Path out = dir.resolve("existing.html");
        Result r = run("timeline", "mesh-test", "--out", out.toString());
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertTrue(Files.readString(out).startsWith("<!DOCTYPE html>"));
        assertFalse(Files.readString(out).contains(PRECIOUS));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList());
        }
    }
}
