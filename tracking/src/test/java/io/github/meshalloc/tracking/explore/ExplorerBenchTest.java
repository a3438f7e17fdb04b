package io.github.meshalloc.tracking.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.mesh.MeshShape;
import io.github.meshalloc.tracking.RuleSet;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** {@link ExplorerBench}: what it runs, what it counts and when it refuses to time. */
class ExplorerBenchTest {

    @Test
    void theBenchConfigIsEveryMesh2x4Seed7And25StepsPerTry() {
        ExplorerConfig c = ExplorerBench.config(12);
        assertEquals(List.of(new MeshShape(2, 4)), c.catalog().meshShapes());
        assertEquals(7, c.seed());
        assertEquals(25, c.steps());
        assertEquals(12, c.tries());
    }

    @Test
    void opsPerSecondIsOperationsOverWallSeconds() {
        assertEquals(2000.0, new ExplorerBench.Result("x", 1, 3, 1_500_000, -1).opsPerSecond(), 1e-9);
        assertEquals(0.5, new ExplorerBench.Result("x", 1, 1, 2_000_000_000L, -1).opsPerSecond(), 1e-12);
        assertEquals(1000.0, new ExplorerBench.Result("x", 1, 3, 1_500_000, 3_000_000).opsPerCpuSecond(), 1e-9);
        assertTrue(Double.isNaN(new ExplorerBench.Result("x", 1, 3, 1_500_000, -1).opsPerCpuSecond()));
    }

    @Test
    void measureCountsTheOperationsTheExplorerRan() {
        ExplorerBench.Result r = ExplorerBench.measure(RuleSet.MESHALLOC_FIX, 2);
        Verdict v = BalanceExplorer.check(RuleSet.MESHALLOC_FIX, ExplorerBench.config(2));
        assertEquals("meshalloc-fix", r.preset());
        assertEquals(2, r.tries());
        assertEquals(v.stats().ops(), r.operations());
        assertTrue(r.operations() > 0);
        assertTrue(r.nanos() > 0);
    }

    @Test
    void aCodeStateThatBreaksIsRefusedWithItsCounterexample() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ExplorerBench.measure(RuleSet.SEED_003_FIRST_ATTEMPT, 20));
        assertTrue(e.getMessage().startsWith("the bench needs a balanced code state; seed-003-first-attempt broke:\n"),
                e.getMessage());
    }

    @Test
    void runWarmsUpWithAQuarterOfTheTriesThenPrintsTheMeasuredLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ExplorerBench.Result r = ExplorerBench.run(RuleSet.MESHALLOC_FIX, 4,
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(2, lines.length);
        long warmOps = BalanceExplorer.check(RuleSet.MESHALLOC_FIX, ExplorerBench.config(1)).stats().ops();
        assertTrue(lines[0].matches(String.format(Locale.ROOT,
                "warm-up : %,d ops in \\d+\\.\\d\\d s = [\\d,]+ ops/s", warmOps)), lines[0]);
        assertTrue(lines[1].matches(String.format(Locale.ROOT,
                "measured: meshalloc-fix on 2x4, 4 tries, %,d ops in \\d+\\.\\d\\d s = [\\d,]+ ops/s"
                        + " \\(thread CPU -?\\d+\\.\\d\\d s = ([\\d,]+|NaN) ops/s\\)", r.operations())),
                lines[1]);
        assertEquals(4, r.tries());
    }

    @Test
    void mainReadsTriesAndPresetFromItsArguments() {
        PrintStream old = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            ExplorerBench.main(new String[] {"1"});
            ExplorerBench.main(new String[] {"1", "seed-002-after"});
        } finally {
            System.setOut(old);
        }
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(4, lines.length);
        assertTrue(lines[1].startsWith("measured: meshalloc-fix on 2x4, 1 tries, "), lines[1]);
        assertTrue(lines[3].startsWith("measured: seed-002-after on 2x4, 1 tries, "), lines[3]);
    }

    @Test
    void argumentsAreTriesThenPresetWithDefaults4000AndMeshallocFix() {
        assertEquals(new ExplorerBench.Args(4000, RuleSet.MESHALLOC_FIX), ExplorerBench.Args.parse());
        assertEquals(new ExplorerBench.Args(12000, RuleSet.MESHALLOC_FIX), ExplorerBench.Args.parse("12000"));
        assertEquals(new ExplorerBench.Args(3, RuleSet.SEED_002_AFTER), ExplorerBench.Args.parse("3", "seed-002-after"));
    }

    @Test
    void badArgumentsAreRefusedNamingTheValueAndWhatIsAllowed() {
        IllegalArgumentException notANumber = assertThrows(IllegalArgumentException.class,
                () -> ExplorerBench.Args.parse("many"));
        assertEquals("tries 'many' must be a positive integer", notANumber.getMessage());
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> ExplorerBench.Args.parse("0"));
        assertEquals("tries 0 must be positive", zero.getMessage());
        IllegalArgumentException preset = assertThrows(IllegalArgumentException.class,
                () -> ExplorerBench.Args.parse("5", "seed-999"));
        assertTrue(preset.getMessage().startsWith("Unknown rule-set preset 'seed-999'; known presets: [upstream, "),
                preset.getMessage());
        IllegalArgumentException three = assertThrows(IllegalArgumentException.class,
                () -> ExplorerBench.Args.parse("5", "seed-004", "x"));
        assertEquals("at most 2 arguments ([tries] [preset]), got 3: [5, seed-004, x]", three.getMessage());
    }

    @Test
    void theMeasuredTimesLieWithinTheCallAndTheCpuTimeIsTheMeasuringThreadsOwn() {
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean.isCurrentThreadCpuTimeSupported(), "this JVM gives no thread CPU time");
        long cpuBefore = bean.getCurrentThreadCpuTime();
        long before = System.nanoTime();
        ExplorerBench.Result r = ExplorerBench.measure(RuleSet.MESHALLOC_FIX, 2);
        long wall = System.nanoTime() - before;
        long cpu = bean.getCurrentThreadCpuTime() - cpuBefore;
        assertTrue(r.nanos() > 0 && r.nanos() <= wall, r.nanos() + " ns measured within " + wall + " ns");
        assertTrue(r.cpuNanos() > 0 && r.cpuNanos() <= cpu, r.cpuNanos() + " ns of CPU within " + cpu + " ns");
    }

    @Test
    void onlyMinusOneMarksAnUnknownCpuTime() {
        // A known CPU time of zero is a rate without bound, as a zero wall time is; only -1 says "unknown".
        assertEquals(Double.POSITIVE_INFINITY, new ExplorerBench.Result("x", 1, 3, 0, 0).opsPerSecond());
        assertEquals(Double.POSITIVE_INFINITY, new ExplorerBench.Result("x", 1, 3, 1, 0).opsPerCpuSecond());
    }

    @Test
    void thePrintedSecondsAreTheMeasuredNanosecondsAndFitTheRun() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        long before = System.nanoTime();
        ExplorerBench.Result r = ExplorerBench.run(RuleSet.MESHALLOC_FIX, 4,
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        double wallSeconds = (System.nanoTime() - before) / 1e9;
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        Matcher warm = Pattern.compile("warm-up : [\\d,]+ ops in (\\d+\\.\\d\\d) s = .*").matcher(lines[0]);
        assertTrue(warm.matches(), lines[0]);
        double warmSeconds = Double.parseDouble(warm.group(1));
        assertTrue(warmSeconds + r.nanos() / 1e9 <= wallSeconds + 0.01,
                "warm-up " + warmSeconds + " s and measured " + r.nanos() / 1e9 + " s within " + wallSeconds + " s");
        assertTrue(lines[1].contains(String.format(Locale.ROOT, " ops in %.2f s = ", r.nanos() / 1e9)), lines[1]);
        if (r.cpuNanos() >= 0) {
            assertTrue(lines[1].contains(String.format(Locale.ROOT, " (thread CPU %.2f s = %,.0f ops/s)",
                    r.cpuNanos() / 1e9, r.opsPerCpuSecond())), lines[1]);
        }
    }
}
