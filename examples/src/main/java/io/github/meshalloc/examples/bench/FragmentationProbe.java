package io.github.meshalloc.examples.bench;

import io.github.meshalloc.allocator.algorithms.AllocatorAlgorithm;
import io.github.meshalloc.allocator.algorithms.FreeList;
import io.github.meshalloc.allocator.algorithms.FreeListOpt;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * The fragmentation probe of the public C++ harness ({@code fragmentation.cpp}): how many random
 * allocations an allocator takes on a small, churned arena before the first one fails.
 *
 * <p>Measures, per allocator and search policy, on a 1.5 MiB arena (one Wormhole L1 bank) with
 * 16 B alignment and minimum allocation size: repeatedly allocate (bottom-up) a uniformly random size
 * in [1, 16 KiB]; after each success, with probability 0.7 free one uniformly chosen block among all
 * allocated so far, the new one included (nothing happens if that block was already freed); stop at
 * the first failed allocation. The figure is counted as the C++ harness counts it: the index of the
 * failing attempt, i.e. the number of allocation attempts that succeeded before the first failure.
 * Higher is better.
 *
 * <p>Randomness is a {@link SplittableRandom} per (allocator, seed): every allocator sees the same
 * size and free-choice sequence for a seed, and the figures are a pure function of the seeds. The C++
 * harness runs one seed of {@code std::mt19937}; this probe averages over {@code N} consecutive seeds
 * because a single run is dominated by luck. Its numbers are therefore comparable between the
 * allocators below, not digit for digit with the C++ printout.
 *
 * <p>Usage: {@code FragmentationProbe [--seeds N] [--base-seed S]} (defaults 20 and 42): seeds
 * {@code S, S+1, ..., S+N-1}.
 */
public final class FragmentationProbe {

    /** Arena of the probe: 1.5 MiB. */
    public static final long ARENA_BYTES = 1536 * 1024;
    /** Alignment and minimum allocation size of the probe. */
    public static final long ALIGNMENT_BYTES = 16;
    /** Largest random request: 16 KiB. */
    public static final int MAX_REQUEST_BYTES = 16 * 1024;
    /** Probability of a free after each successful allocation. */
    public static final double FREE_PROBABILITY = 0.7;
    /** Default number of seeds. */
    public static final int DEFAULT_SEEDS = 20;
    /** Default first seed (the C++ harness's seed). */
    public static final long DEFAULT_BASE_SEED = 42;

    /**
     * One allocator configuration the probe measures.
     *
     * @param name    printed name, e.g. {@code FreeListOpt FIRST}
     * @param factory builds a fresh allocator over the probe arena
     */
    public record Candidate(String name, Supplier<AllocatorAlgorithm> factory) {
    }

    /**
     * The probe's figure for one candidate.
     *
     * @param name     the candidate's name
     * @param perSeed  attempts until the first failure, one per seed in seed order
     * @param average  mean of {@code perSeed}
     */
    public record Result(String name, List<Long> perSeed, double average) {
        /** Keeps an immutable copy of the per-seed figures. */
        public Result {
            perSeed = List.copyOf(perSeed);
        }

        /** Smallest per-seed figure. */
        public long min() {
            return Collections.min(perSeed);
        }

        /** Largest per-seed figure. */
        public long max() {
            return Collections.max(perSeed);
        }
    }

    private FragmentationProbe() {
    }

    /** FreeListOpt FIRST and BEST, then the legacy FreeList FIRST and BEST, all over the probe arena. */
    public static List<Candidate> candidates() {
        return List.of(
                new Candidate("FreeListOpt FIRST", () -> new FreeListOpt(ARENA_BYTES, 0, ALIGNMENT_BYTES,
                        ALIGNMENT_BYTES, FreeListOpt.SearchPolicy.FIRST)),
                new Candidate("FreeListOpt BEST", () -> new FreeListOpt(ARENA_BYTES, 0, ALIGNMENT_BYTES,
                        ALIGNMENT_BYTES, FreeListOpt.SearchPolicy.BEST)),
                new Candidate("FreeList FIRST", () -> new FreeList(ARENA_BYTES, 0, ALIGNMENT_BYTES,
                        ALIGNMENT_BYTES, FreeList.SearchPolicy.FIRST)),
                new Candidate("FreeList BEST", () -> new FreeList(ARENA_BYTES, 0, ALIGNMENT_BYTES,
                        ALIGNMENT_BYTES, FreeList.SearchPolicy.BEST)));
    }

    /**
     * Runs the probe once on {@code allocator} (which should be empty) with the random stream of
     * {@code seed}.
     *
     * @return the number of successful allocations before the first failed one
     */
    public static long attemptsUntilFailure(AllocatorAlgorithm allocator, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long[] live = new long[256];
        boolean[] freed = new boolean[256];
        int count = 0;
        long attempt = 0;
        while (true) {
            long size = 1 + random.nextInt(MAX_REQUEST_BYTES);
            OptionalLong address = allocator.allocate(size);
            if (address.isEmpty()) {
                return attempt;
            }
            attempt++;
            if (count == live.length) {
                live = Arrays.copyOf(live, count * 2);
                freed = Arrays.copyOf(freed, count * 2);
            }
            live[count] = address.getAsLong();
            freed[count] = false;
            count++;
            if (random.nextDouble() < FREE_PROBABILITY) {
                int victim = random.nextInt(count);
                if (!freed[victim]) {
                    allocator.deallocate(live[victim]);
                    freed[victim] = true;
                }
            }
        }
    }

    /** Runs every candidate over seeds {@code baseSeed .. baseSeed + seeds - 1}. */
    public static List<Result> run(List<Candidate> candidates, int seeds, long baseSeed) {
        if (seeds < 1) {
            throw new IllegalArgumentException("seeds must be >= 1, got " + seeds);
        }
        List<Result> results = new ArrayList<>();
        for (Candidate candidate : candidates) {
            List<Long> perSeed = new ArrayList<>(seeds);
            long total = 0;
            for (int k = 0; k < seeds; k++) {
                long attempts = attemptsUntilFailure(candidate.factory().get(), baseSeed + k);
                perSeed.add(attempts);
                total += attempts;
            }
            results.add(new Result(candidate.name(), perSeed, (double) total / seeds));
        }
        return results;
    }

    /** Prints one line per candidate: average, minimum and maximum attempts until the first failure. */
    public static void print(List<Result> results, int seeds, long baseSeed, PrintStream out) {
        out.printf("Fragmentation probe: 1.5 MiB arena, 16 B alignment, sizes 1..16 KiB, free p=0.7;%n");
        out.printf("allocation attempts until the first failure over %d seed(s) from %d (higher is better)%n",
                seeds, baseSeed);
        out.printf("%-18s %10s %8s %8s%n", "allocator", "average", "min", "max");
        for (Result result : results) {
            out.printf("%-18s %10.1f %8d %8d%n", result.name(), result.average(), result.min(), result.max());
        }
    }

    /**
     * Command-line entry point.
     *
     * @param args {@code [--seeds N] [--base-seed S]}
     */
    public static void main(String[] args) {
        int seeds = DEFAULT_SEEDS;
        long baseSeed = DEFAULT_BASE_SEED;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seeds" -> seeds = Integer.parseInt(valueOf(args, ++i));
                case "--base-seed" -> baseSeed = Long.parseLong(valueOf(args, ++i));
                default -> {
                    System.err.println("usage: FragmentationProbe [--seeds N] [--base-seed S]");
                    System.exit(2);
                }
            }
        }
        print(run(candidates(), seeds, baseSeed), seeds, baseSeed, System.out);
    }

    private static String valueOf(String[] args, int index) {
        if (index >= args.length) {
            System.err.println("missing value after " + args[index - 1]);
            System.exit(2);
        }
        return args[index];
    }
}
