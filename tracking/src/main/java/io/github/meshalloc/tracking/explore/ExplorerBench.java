package io.github.meshalloc.tracking.explore;

import com.google.common.base.Preconditions;
import io.github.meshalloc.mesh.MeshShape;
import io.github.meshalloc.tracking.RuleSet;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Locale;

/**
 * Measures how many operations per second the explorer simulates and checks on a 2x4 mesh, on the calling thread.
 *
 * <p>Runs {@link BalanceExplorer#check} against a code state that never breaks (so no time goes to shrinking) with
 * every mesh a 2x4 mesh, first to warm the JIT, then measured. Each operation is a full vocabulary operation
 * (opening a mesh builds nine allocators; a tensor is nine Buffers and eight messages), followed by the complete
 * invariant check: device memory read from every allocator and compared with the server's registry.
 *
 * <p>Usage: {@code java -cp ... io.github.meshalloc.tracking.explore.ExplorerBench [tries] [preset]} (defaults 4000
 * tries, {@code meshalloc-fix}).
 */
public final class ExplorerBench {

    /**
     * One measurement.
     *
     * @param preset     code state
     * @param tries      scripts run
     * @param operations operations run and checked
     * @param nanos      wall time of the measured run
     * @param cpuNanos   CPU time the measuring thread used in the run (JIT and GC threads excluded), or -1 if the JVM
     *                   cannot tell; on a shared machine it is less disturbed by other processes than the wall time
     */
    public record Result(String preset, int tries, long operations, long nanos, long cpuNanos) {
        /** Operations per second of wall time. */
        public double opsPerSecond() {
            return operations * 1e9 / nanos;
        }

        /** Operations per second of the thread's CPU time, or NaN if unknown. */
        public double opsPerCpuSecond() {
            return cpuNanos < 0 ? Double.NaN : operations * 1e9 / cpuNanos;
        }
    }

    private static long threadCpuNanos() {
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        return bean.isCurrentThreadCpuTimeSupported() ? bean.getCurrentThreadCpuTime() : -1;
    }

    private ExplorerBench() {
    }

    /** The bench's explorer config: every mesh 2x4, seed 7, 25 steps per try. */
    public static ExplorerConfig config(int tries) {
        return ExplorerConfig.defaults().withMeshShapes(List.of(new MeshShape(2, 4))).withSeed(7).withSteps(25)
                .withTries(tries);
    }

    /** Runs the explorer over {@code tries} scripts of {@code rules} and times it. */
    public static Result measure(RuleSet rules, int tries) {
        long cpuStart = threadCpuNanos();
        long start = System.nanoTime();
        Verdict verdict = BalanceExplorer.check(rules, config(tries));
        long nanos = System.nanoTime() - start;
        long cpuEnd = threadCpuNanos();
        if (!verdict.isBalanced()) {
            throw new IllegalStateException("the bench needs a balanced code state; " + rules.name()
                    + " broke:\n" + verdict.render());
        }
        return new Result(rules.name(), tries, verdict.stats().ops(), nanos,
                cpuStart < 0 || cpuEnd < 0 ? -1 : cpuEnd - cpuStart);
    }

    /** Warms up with a quarter of the tries, then measures; prints both. */
    public static Result run(RuleSet rules, int tries, PrintStream out) {
        Result warm = measure(rules, Math.max(1, tries / 4));
        out.printf(Locale.ROOT, "warm-up : %,d ops in %.2f s = %,.0f ops/s%n", warm.operations(), warm.nanos() / 1e9,
                warm.opsPerSecond());
        Result measured = measure(rules, tries);
        String cpu = measured.cpuNanos() < 0 ? " (thread CPU time not supported by this JVM)"
                : String.format(Locale.ROOT, " (thread CPU %.2f s = %,.0f ops/s)", measured.cpuNanos() / 1e9,
                        measured.opsPerCpuSecond());
        out.printf(Locale.ROOT, "measured: %s on 2x4, %,d tries, %,d ops in %.2f s = %,.0f ops/s%s%n", rules.name(),
                measured.tries(), measured.operations(), measured.nanos() / 1e9, measured.opsPerSecond(), cpu);
        return measured;
    }

    /**
     * The command line: {@code [tries] [preset]}.
     *
     * @param tries scripts to measure (a quarter more warm up first)
     * @param rules the code state to run
     */
    public record Args(int tries, RuleSet rules) {
        /** Tries when none are given. */
        public static final int DEFAULT_TRIES = 4000;

        public Args {
            Preconditions.checkArgument(tries > 0, "tries %s must be positive", tries);
            Preconditions.checkNotNull(rules, "rules");
        }

        /**
         * Reads {@code [tries] [preset]}; defaults {@value #DEFAULT_TRIES} and {@code meshalloc-fix}.
         *
         * @throws IllegalArgumentException for more than two arguments, a count of tries that is not a positive
         *                                  integer, or an unknown preset (naming the value and what is allowed)
         */
        public static Args parse(String... args) {
            Preconditions.checkArgument(args.length <= 2, "at most 2 arguments ([tries] [preset]), got %s: %s",
                    args.length, java.util.Arrays.toString(args));
            int tries = DEFAULT_TRIES;
            if (args.length > 0) {
                try {
                    tries = Integer.parseInt(args[0]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("tries '" + args[0] + "' must be a positive integer", e);
                }
            }
            return new Args(tries, args.length > 1 ? RuleSet.preset(args[1]) : RuleSet.MESHALLOC_FIX);
        }
    }

    /** Entry point: {@code [tries] [preset]} (see {@link Args#parse}). */
    public static void main(String[] args) {
        Args parsed = Args.parse(args);
        run(parsed.rules(), parsed.tries(), System.out);
    }
}
