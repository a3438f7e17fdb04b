package io.github.meshalloc.examples.verdict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.tracking.RuleSet;
import io.github.meshalloc.tracking.explore.BalanceExplorer;
import io.github.meshalloc.tracking.explore.ExplorerConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The explorer's verdicts are the ones its default search reaches; upstream's balance is qualified. */
class ExplorerVerdictsTest {

    private final PresetVerdicts verdicts = new ExplorerVerdicts();

    @Test
    void anUnbalancedVerdictIsTheDefaultSearchsCounterexample() {
        var c = assertInstanceOf(io.github.meshalloc.tracking.explore.Verdict.Counterexample.class,
                BalanceExplorer.check(RuleSet.SEED_003_FINAL, ExplorerConfig.defaults()));
        Verdict v = verdicts.verdict(RuleSet.SEED_003_FINAL);
        assertFalse(v.balanced());
        assertEquals(List.of(ExplorerVerdicts.finding(c)), v.findings());
        assertEquals("device memory returned broken after step 3: p0: m0 = open_mesh_device(1x1); m0: t0 = tensor "
                + "dram-1p (1, 1, 32, 32); drop t0", v.findings().get(0));
    }

    @Test
    void upstreamIsBalancedOnlyInThatNothingIsReported() {
        assertTrue(BalanceExplorer.check(RuleSet.UPSTREAM, ExplorerConfig.defaults()).isBalanced());
        Verdict v = verdicts.verdict(RuleSet.UPSTREAM);
        assertTrue(v.balanced());
        assertEquals("balanced (nothing reported)", v.word());
        Verdict fix = verdicts.verdict(RuleSet.MESHALLOC_FIX);
        assertEquals("balanced", fix.word(), "the fix has a client: its balance is not qualified");
    }

    @Test
    void onlyABalancedVerdictIsQualified() {
        assertThrows(IllegalArgumentException.class, () -> new Verdict(false, List.of("x"), "nothing reported"));
        assertThrows(IllegalArgumentException.class, () -> Verdict.balancedBut(" "));
        assertEquals("unbalanced", Verdict.of(List.of("x")).word());
    }
}
