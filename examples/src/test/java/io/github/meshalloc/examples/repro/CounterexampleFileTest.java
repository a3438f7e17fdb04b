package io.github.meshalloc.examples.repro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.tracking.RuleSet;
import io.github.meshalloc.tracking.explore.Verdict;
import org.junit.jupiter.api.Test;

/** The counterexample file: written, read back, re-run, refused when malformed or stale. */
class CounterexampleFileTest {

    private static final ExplorerRun RUN = Scripts.small(RuleSet.SEED_003_FINAL);

    private static String saved() {
        return CounterexampleFile.of(RUN, Scripts.found(RUN)).render();
    }

    @Test
    void aSavedCounterexampleReadsBackAndReproducesTheSameSteps() {
        String text = saved();
        assertTrue(text.startsWith(CounterexampleFile.HEADER + "\n"), text);
        assertTrue(text.contains("\npreset: seed-003-final\nseed: 1\ntries: 5\nsteps: 25\nmesh: 1x1,1x2,2x4,4x8\n"
                + "broken: device memory returned after step 3\nop: p0: m0 = open_mesh_device(1x1)\n"
                + "op: m0: t0 = tensor dram-1p (1, 1, 32, 32)\nop: drop t0\n"), text);
        CounterexampleFile file = CounterexampleFile.parse(text);
        assertEquals(RUN, file.run());
        Verdict.Counterexample again = file.reproduce(p -> {
        });
        assertEquals(Scripts.found(RUN).render(), again.render());
        assertEquals(text, CounterexampleFile.of(file.run(), again).render());
    }

    @Test
    void blankLinesAndCommentsAreIgnored() {
        String text = saved().replace("seed: 1\n", "\n# a note\nseed: 1\n\n");
        assertEquals(RUN, CounterexampleFile.parse(text).run());
    }

    private static void refused(String text, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CounterexampleFile.parse(text));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void aMalformedFileIsRefusedWithItsLine() {
        String text = saved();
        refused("preset: seed-004\n", "line 1: expected '# meshalloc counterexample v1'");
        refused(text.replace("tries: 5", "tries: five"), "line 6: tries must be a whole number, got 'five'");
        refused(text.replace("tries: 5", "tries: 0"), "line 6: tries must be positive, got 0");
        refused(text.replace("steps: 25", "steps: -1"), "line 7: steps must be positive, got -1");
        refused(text.replace("preset: seed-003-final", "preset: seed-999"), "line 4: Unknown rule-set preset 'seed-999'");
        refused(text.replace("mesh: 1x1,", "mesh: 1y1,"), "line 8: mesh shape '1y1' is not ROWSxCOLUMNS");
        refused(text.replace("mesh: 1x1,", "mesh: 2x4,"), "line 8: mesh shape 2x4 is listed twice");
        refused(text.replace("seed: 1\n", "seed: 1\nseed: 2\n"), "line 6: 'seed' given twice (first on line 5)");
        refused(text.replace("seed: 1\n", "colour: red\n"), "line 5: unknown key 'colour'");
        refused(text.replace("seed: 1\n", ""), "no 'seed:' line");
        refused(text.replace("seed: 1\n", "seed 1\n"), "line 5: expected 'key: value', got 'seed 1'");
        refused(text.replaceAll("op: .*\n", ""), "no 'op:' line");
    }

    @Test
    void aFileTheSearchNoLongerReachesIsRefused() {
        CounterexampleFile edited = CounterexampleFile.parse(saved().replace("op: drop t0", "op: deallocate t0"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> edited.reproduce(p -> {
        }));
        assertTrue(e.getMessage().contains("reaches another counterexample with this meshalloc"), e.getMessage());
        CounterexampleFile balanced = CounterexampleFile.parse(saved().replace("preset: seed-003-final",
                "preset: meshalloc-fix").replace("mesh: 1x1,1x2,2x4,4x8", "mesh: 1x1"));
        e = assertThrows(IllegalArgumentException.class, () -> balanced.reproduce(p -> {
        }));
        assertTrue(e.getMessage().contains("is balanced with this meshalloc"), e.getMessage());
    }
}
