package io.github.meshalloc.examples.bench;

import io.github.meshalloc.allocator.algorithms.AddressRange;
import io.github.meshalloc.allocator.algorithms.FreeListOpt;
import io.github.meshalloc.allocator.algorithms.Statistics;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Measures meshalloc's {@link FreeListOpt} on the seven workloads of the public C++ harness
 * ({@link Workloads}), one {@code @Benchmark} per workload under the harness's name, average time per
 * iteration. The allocator is the harness's: 12 GiB arena, 64 B minimum allocation and alignment, the
 * default search policy (BEST).
 *
 * <p>How the untimed parts stay untimed:
 * <ul>
 *   <li>{@code WorstCase}, {@code MixedAllocations}, {@code TypicalCase} and {@code Small} start from a
 *       cleared allocator: {@link Cleared} clears it in a {@code Level.Invocation} setup, the
 *       equivalent of the harness's {@code PauseTiming(); clear(); ResumeTiming();}. JMH then
 *       timestamps each call, which costs about the timer overhead (tens of ns) per call: below 1 % of
 *       these microsecond workloads, and the C++ harness pays the same for its pause/resume.</li>
 *   <li>{@code GetAvailableAddresses}, {@code Statistics} and {@code ShrinkReset} take tens of
 *       nanoseconds, where per-call timestamps would dominate. They do not need a clear: like the C++
 *       they set up once per trial ({@link Fragmented}, {@link Shrinkable}) and the timed call leaves
 *       the state as it found it, so JMH times them in batches without a per-call setup.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FreeListOptBench {

    /** A harness allocator, cleared before every call (outside the timed region). */
    @State(Scope.Thread)
    public static class Cleared {
        FreeListOpt allocator;

        /** Builds the allocator once per trial. */
        @Setup(Level.Trial)
        public void create() {
            allocator = Workloads.newFreeListOpt();
        }

        /** Clears the allocator before each timed call. */
        @Setup(Level.Invocation)
        public void clear() {
            allocator.clear();
        }
    }

    /** A harness allocator holding 225 live 1 KiB blocks between 225 one-KiB holes, built once. */
    @State(Scope.Thread)
    public static class Fragmented {
        FreeListOpt allocator;

        /** Builds the allocator and runs the workload's one-time setup. */
        @Setup(Level.Trial)
        public void create() {
            allocator = Workloads.newFreeListOpt();
            Workloads.fragment(allocator);
        }
    }

    /** A harness allocator with two 20 KiB top-down blocks allocated and the first freed, built once. */
    @State(Scope.Thread)
    public static class Shrinkable {
        FreeListOpt allocator;

        /** Builds the allocator and runs the workload's one-time setup. */
        @Setup(Level.Trial)
        public void create() {
            allocator = Workloads.newFreeListOpt();
            Workloads.prepareShrink(allocator);
        }
    }

    /** One {@link Workloads#worstCase} iteration on a cleared allocator. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long WorstCase(Cleared state) {
        return Workloads.worstCase(state.allocator);
    }

    /** One {@link Workloads#mixedAllocations} iteration on a cleared allocator. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long MixedAllocations(Cleared state) {
        return Workloads.mixedAllocations(state.allocator);
    }

    /** One {@link Workloads#typicalCase} iteration on a cleared allocator. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long TypicalCase(Cleared state) {
        return Workloads.typicalCase(state.allocator);
    }

    /** One {@link Workloads#small} iteration on a cleared allocator. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long Small(Cleared state) {
        return Workloads.small(state.allocator);
    }

    /** One {@code availableAddresses(1 KiB)} query on the fragmented allocator. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public List<AddressRange> GetAvailableAddresses(Fragmented state) {
        return state.allocator.availableAddresses(1 * Workloads.KIB);
    }

    /** One {@code getStatistics()} call on the fragmented allocator. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public Statistics Statistics(Fragmented state) {
        return state.allocator.getStatistics();
    }

    /** One {@link Workloads#shrinkReset} on the prepared allocator. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public void ShrinkReset(Shrinkable state) {
        Workloads.shrinkReset(state.allocator);
    }
}
