package io.github.meshalloc.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.allocator.algorithms.AllocatorAlgorithm;
import io.github.meshalloc.allocator.algorithms.FreeListOpt;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Structural facts of {@link FragmentationProbe}: positive, deterministic, consistent across allocators. */
class FragmentationProbeTest {

    private static final int SEEDS = 3;
    private static final long BASE_SEED = 7;

    @Test
    void everyCandidateGetsAPositiveFigurePerSeed() {
        List<FragmentationProbe.Result> results = FragmentationProbe.run(FragmentationProbe.candidates(), SEEDS, BASE_SEED);

        assertEquals(List.of("FreeListOpt FIRST", "FreeListOpt BEST", "FreeList FIRST", "FreeList BEST"),
                results.stream().map(FragmentationProbe.Result::name).toList());
        for (FragmentationProbe.Result result : results) {
            assertEquals(SEEDS, result.perSeed().size(), result.name());
            for (long attempts : result.perSeed()) {
                assertTrue(attempts > 0, result.name() + " failed at once");
            }
            assertTrue(result.average() > 0, result.name());
            assertEquals(result.perSeed().stream().mapToLong(Long::longValue).average().orElseThrow(),
                    result.average(), 1e-9, result.name());
        }
    }

    @Test
    void aFixedSeedGivesTheSameFigures() {
        assertEquals(FragmentationProbe.run(FragmentationProbe.candidates(), SEEDS, BASE_SEED),
                FragmentationProbe.run(FragmentationProbe.candidates(), SEEDS, BASE_SEED));
        AllocatorAlgorithm first = newOpt();
        AllocatorAlgorithm second = newOpt();
        assertEquals(FragmentationProbe.attemptsUntilFailure(first, 123),
                FragmentationProbe.attemptsUntilFailure(second, 123));
    }

    @Test
    void theFiguresDependOnTheSeed() {
        List<Long> perSeed = FragmentationProbe.run(List.of(FragmentationProbe.candidates().get(0)), 10, BASE_SEED)
                .get(0).perSeed();
        assertTrue(perSeed.stream().distinct().count() > 1, "ten seeds gave one figure: " + perSeed);
    }

    /**
     * Both FIRST policies take the lowest-addressed fitting free block and carve it at its start, so on
     * the same random stream they hand out the same addresses and fail at the same attempt.
     */
    @Test
    void bothFirstFitAllocatorsFailAtTheSameAttempt() {
        List<FragmentationProbe.Result> results = FragmentationProbe.run(FragmentationProbe.candidates(), SEEDS, BASE_SEED);
        assertEquals(results.get(0).perSeed(), results.get(2).perSeed());
    }

    @Test
    void theFiguresStayWithinWhatTheArenaCanHold() {
        // Bottom-up, every allocator carves at the start of a free block, so the high-water mark rises
        // by at most 16 KiB per success and the first 1.5 MiB / 16 KiB = 96 attempts always fit.
        for (FragmentationProbe.Result result : FragmentationProbe.run(FragmentationProbe.candidates(), SEEDS, BASE_SEED)) {
            assertTrue(result.min() >= FragmentationProbe.ARENA_BYTES / FragmentationProbe.MAX_REQUEST_BYTES,
                    result.name() + " " + result.perSeed());
            assertTrue(result.max() < 1_000_000, result.name() + " " + result.perSeed());
        }
    }

    @Test
    void printShowsOneLinePerCandidate() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<FragmentationProbe.Result> results = FragmentationProbe.run(FragmentationProbe.candidates(), 1, BASE_SEED);
        FragmentationProbe.print(results, 1, BASE_SEED, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String text = bytes.toString(StandardCharsets.UTF_8);
        for (FragmentationProbe.Result result : results) {
            assertTrue(text.contains(result.name()), text);
        }
    }

    private static AllocatorAlgorithm newOpt() {
        return new FreeListOpt(FragmentationProbe.ARENA_BYTES, 0, FragmentationProbe.ALIGNMENT_BYTES,
                FragmentationProbe.ALIGNMENT_BYTES, FreeListOpt.SearchPolicy.BEST);
    }
}
