package io.github.meshalloc.examples.story;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.examples.verdict.ScenarioBatteryVerdicts;
import io.github.meshalloc.tracking.RuleSet;
import io.github.meshalloc.tracking.server.ServerVersion;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The seeds' figures appear in the story, computed by the simulation, and the final fix balances. */
class SeedStoryTest {

    private static SeedStory story;
    private static String text;

    @BeforeAll
    static void runStory() {
        story = SeedStory.run(new ScenarioBatteryVerdicts());
        text = story.render();
    }

    @Test
    void everyFigureIsReproducedAndTheFixBalances() {
        assertEquals(List.of(), story.differing());
        assertTrue(story.fixVerdict().balanced(), story.fixVerdict().findings().toString());
        assertTrue(story.holds());
        assertTrue(text.contains("the fix: meshalloc-fix (S4) is balanced"), text);
        assertTrue(story.figures().stream().anyMatch(f -> f.match() == Figure.Match.REFUTED));
    }

    @Test
    void theSeedsFiguresAppearInThePrintedStory() {
        for (String expected : List.of(
                "ALLOC of 4,194,304 B on device 1 at buffer_id 2,560,032",
                "chips 1-7: 10 buffers, 14,753,792 B DRAM at step 6",
                "18 buffers, 14,790,656 B DRAM, 22,528 B L1 on chip 0 at step 6",
                "14.07 MiB -> 28.14 MiB -> 42.21 MiB",
                "16 active before the MeshBuffer::deallocate loop, 0 after",
                "9 ALLOCs, 1 FREE",
                "9 ALLOCs, 8 keys, 8 good FREEs + 1 unknown",
                "every chip 36,864 B at step 6, 0 B at step 7",
                "clash with L1 buffers",
                "14,753,792 B = 14,680,064 B of leaked tensor copies + 73,728 B of kernel binaries")) {
            assertTrue(text.contains(expected), "missing: " + expected);
        }
    }

    @Test
    void seed004ResidueComesFromTheRunNotFromText() {
        MeshTestRun run = MeshTestRun.run(RuleSet.SEED_004, 6);
        assertEquals(4_194_304L, run.named().get("tensor1").deviceLocalSize());
        assertEquals(18, run.at(6).device(0).numBuffers());
        assertEquals(14_790_656L, run.at(6).device(0).dram());
        assertEquals(22_528L, run.at(6).device(0).l1());
        for (int chip = 1; chip < 8; chip++) {
            assertEquals(10, run.at(6).device(chip).numBuffers());
            assertEquals(14_753_792L, run.at(6).device(chip).dram());
        }
        long sum = SeedsMissedSection.shares(run, 1).stream().mapToLong(SeedsMissedSection.KeyShare::bytes).sum();
        assertEquals(14_753_792L, sum, "the key-by-key decomposition adds up to the counter");
    }

    @Test
    void threeRunsAccumulateUnderSeed004AndSeed000ButNotUnderTheRefCountingFix() {
        long[] expected = {14_753_792L, 29_507_584L, 44_261_376L};
        assertArrayEquals(expected, SuccessiveRunsSection.run(RuleSet.SEED_004).chip1());
        assertArrayEquals(expected, SuccessiveRunsSection.run(RuleSet.SEED_000).chip1());
        assertArrayEquals(new long[] {0, 0, 0},
                SuccessiveRunsSection.run(RuleSet.SEED_001_AFTER.with(ServerVersion.S4)).chip1());
        assertArrayEquals(new long[] {36_864L, 73_728L, 110_592L}, SuccessiveRunsSection.run(RuleSet.SEED_001_AFTER)
                .chip1(), "on E1a the same code still grows");
    }

    @Test
    void meshBufferMessageCounts() {
        MeshBufferSection.Outcome first = MeshBufferSection.run(RuleSet.SEED_003_FIRST_ATTEMPT, 1);
        assertEquals(9, first.allocs());
        assertEquals(1, first.frees());
        MeshBufferSection.Outcome e1 = MeshBufferSection.run(RuleSet.SEED_001_BEFORE, 1);
        assertEquals(8, e1.keysAtPeak());
        assertEquals(8, e1.frees() - e1.unknown());
        assertEquals(1, e1.unknown());
        assertEquals(16, MeshBufferSection.run(RuleSet.SEED_002_BEFORE, 2).activeAfter());
        assertEquals(0, MeshBufferSection.run(RuleSet.SEED_002_AFTER, 2).activeAfter());
    }

    @Test
    void programCacheResidueIs36KiBPerChipUntilTheCacheIsCleared() {
        MeshTestRun run = MeshTestRun.run(RuleSet.SEED_001_AFTER.with(ServerVersion.S4), 7);
        for (int chip = 0; chip < 8; chip++) {
            assertEquals(36 * 1024L, run.at(6).device(chip).dram());
            assertEquals(0L, run.at(7).device(chip).dram());
        }
    }

    @Test
    void seed003FinalClashesInTheDecodeLoopAndTheFixDoesNot() {
        L1DecodeLoop.Outcome fin = L1DecodeLoop.run(RuleSet.SEED_003_FINAL, L1DecodeLoop.STEPS);
        assertTrue(fin.failure().orElseThrow().contains("clash with L1 buffers"));
        assertTrue(fin.meshL1Held() > 0);
        L1DecodeLoop.Outcome fix = L1DecodeLoop.run(RuleSet.MESHALLOC_FIX, L1DecodeLoop.STEPS);
        assertTrue(fix.failure().isEmpty());
        assertEquals(L1DecodeLoop.STEPS, fix.stepsDone());
        assertEquals(0, fix.meshL1Held());
    }

    @Test
    void theOutputIsDeterministic() {
        assertEquals(text, SeedStory.run(new ScenarioBatteryVerdicts()).render());
    }
}
