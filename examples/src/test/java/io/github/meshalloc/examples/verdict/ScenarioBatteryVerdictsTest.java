package io.github.meshalloc.examples.verdict;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.tracking.RuleSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The battery calls only meshalloc-fix balanced, and says why the others are not. */
class ScenarioBatteryVerdictsTest {

    private final PresetVerdicts verdicts = new ScenarioBatteryVerdicts();

    @Test
    void onlyTheFixIsBalanced() {
        for (RuleSet preset : RuleSet.PRESETS) {
            Verdict v = verdicts.verdict(preset);
            if (preset.equals(RuleSet.MESHALLOC_FIX)) {
                assertTrue(v.balanced(), v.findings().toString());
            } else {
                assertFalse(v.balanced(), preset.name());
            }
        }
    }

    @Test
    void findingsNameWhatBroke() {
        assertTrue(verdicts.verdict(RuleSet.UPSTREAM).findings().get(0).contains("shows 0 B DRAM, truth 14,716,928 B"),
                "upstream's server is blind, which is not balance");
        List<String> fin = verdicts.verdict(RuleSet.SEED_003_FINAL).findings();
        assertTrue(fin.stream().anyMatch(f -> f.startsWith("l1-decode-loop: step ") && f.contains("clash")), fin
                .toString());
        assertTrue(fin.stream().anyMatch(f -> f.contains("allocators still hold 8 mesh buffers")), fin.toString());
        assertTrue(verdicts.verdict(RuleSet.SEED_001_AFTER).findings().stream().anyMatch(f -> f.contains("unknown")));
    }

    @Test
    void aVerdictIsBalancedExactlyWithoutFindings() {
        assertThrows(IllegalArgumentException.class, () -> new Verdict(true, List.of("x")));
        assertThrows(IllegalArgumentException.class, () -> new Verdict(false, List.of()));
    }
}
