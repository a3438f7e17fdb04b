package io.github.meshalloc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.tracking.RuleSet;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The main job prints, for each code state, the figures the seeds report, computed by the simulation. */
class SeedsDemoTest {

    @Test
    void seed004FiguresAppearAsTheServerReportedThem() {
        SeedsDemo.Row row = SeedsDemo.run(RuleSet.SEED_004);
        assertEquals(18, row.chip0BuffersAfterStep6());
        assertEquals(14_790_656L, row.chip0DramAfterStep6());
        assertEquals(22_528L, row.chip0L1AfterStep6());
        assertEquals(10, row.chip1BuffersAfterStep6());
        assertEquals(14_753_792L, row.chip1DramAfterStep6());
    }

    @Test
    void seed001AfterLeaves36KiBPerChipAnd3ActiveBeforeTheCacheIsCleared() {
        SeedsDemo.Row row = SeedsDemo.run(RuleSet.SEED_001_AFTER);
        assertEquals(3, row.activeAfterStep6());
        assertEquals(36_864L, row.chip0DramAfterStep6());
        assertEquals(22_528L, row.chip0L1AfterStep6());
        assertEquals(36_864L, row.chip1DramAfterStep6());
        // Seed 001's "no warnings" holds only until the cache is cleared: on E1 the 6 CB ALLOCs overwrite 3 keys
        // (3 FREEs unknown), and each chip's binary key is erased by its view's FREE (2 binaries x 8 chips).
        assertEquals(3 + 2 * 8, row.unknownFrees());
    }

    @Test
    void seed003FinalBalancesMessagesButLeaksTheMeshAllocator() {
        SeedsDemo.Row row = SeedsDemo.run(RuleSet.SEED_003_FINAL);
        assertEquals(0, row.unknownFrees());
        assertTrue(row.meshAllocatorBytesAfterStep7() > 0, "backing ranges never returned");
    }

    @Test
    void meshallocFixIsBalancedInMessagesAndMemory() {
        SeedsDemo.Row row = SeedsDemo.run(RuleSet.MESHALLOC_FIX);
        assertEquals(row.allocs(), row.frees());
        assertEquals(0, row.unknownFrees());
        assertEquals(0, row.activeAfterClose());
        assertEquals(0, row.residualDramAfterClose());
        assertEquals(0, row.meshAllocatorBytesAfterStep7());
    }

    @Test
    void theTableHasOneRowPerPreset() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SeedsDemo.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        for (RuleSet preset : RuleSet.PRESETS) {
            assertTrue(out.contains(preset.name() + " "), preset.name());
        }
    }
}
