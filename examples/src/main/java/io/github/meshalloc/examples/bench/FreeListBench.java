package io.github.meshalloc.examples.bench;

import io.github.meshalloc.allocator.algorithms.AddressRange;
import io.github.meshalloc.allocator.algorithms.FreeList;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Measures meshalloc's legacy {@link FreeList} (the linked-list allocator FreeListOpt replaced) on the
 * seven workloads of the public C++ harness ({@link Workloads}), for both search policies, so that
 * FreeListOpt's speed-up can be read off one run on one machine. Same arena, workload names and
 * untimed-setup scheme as {@link FreeListOptBench} (see there why the us-scale workloads clear in a
 * {@code Level.Invocation} setup and the ns-scale ones set up once per trial).
 *
 * <p>This class is itself a {@link State} only to carry the {@link #policy} parameter; the per-workload
 * states read it in their trial setups.
 */
@BenchmarkMode(Mode.AverageTime)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class FreeListBench {

    /** The search policy under test. */
    @Param({"FIRST", "BEST"})
    public FreeList.SearchPolicy policy;

    /** A harness allocator, cleared before every call (outside the timed region). */
    @State(Scope.Thread)
    public static class Cleared {
        FreeList allocator;

        /** Builds the allocator with the benchmark's policy once per trial. */
        @Setup(Level.Trial)
        public void create(FreeListBench bench) {
            allocator = Workloads.newFreeList(bench.policy);
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
        FreeList allocator;

        /** Builds the allocator and runs the workload's one-time setup. */
        @Setup(Level.Trial)
        public void create(FreeListBench bench) {
            allocator = Workloads.newFreeList(bench.policy);
            Workloads.fragment(allocator);
        }
    }

    /** A harness allocator with two 20 KiB top-down blocks allocated and the first freed, built once. */
    @State(Scope.Thread)
    public static class Shrinkable {
        FreeList allocator;

        /** Builds the allocator and runs the workload's one-time setup. */
        @Setup(Level.Trial)
        public void create(FreeListBench bench) {
            allocator = Workloads.newFreeList(bench.policy);
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
