package io.github.meshalloc.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.tracking.RuleSet;
import io.github.meshalloc.tracking.explore.BalanceExplorer;
import io.github.meshalloc.tracking.explore.ExplorerConfig;
import io.github.meshalloc.tracking.explore.Invariant;
import io.github.meshalloc.tracking.explore.Verdict;
import io.github.meshalloc.tracking.ops.OpKind;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The BalanceExplorer finds every seed preset's imbalance without being told the scenario: with the default search
 * (every mesh shape, every operation kind) and a fixed budget of {@value #TRIES} tries, for each of seeds 1, 2 and 3,
 * it returns a counterexample shrunk to at most the stated number of operations.
 */
class ExplorerFindsSeedBugsTest {
    static final int TRIES = 5;

    @ParameterizedTest(name = "{0}: found within " + TRIES + " tries, shrunk to <= {1} ops")
    @CsvSource({
        "seed-004,               2",
        "seed-002-before,        3",
        "seed-002-after,         3",
        "seed-001-before,        2",
        "seed-001-after,         3",
        "seed-003-first-attempt, 3",
        "seed-003-final,         3",
        "seed-000,               2",
    })    void theExplorerFindsAndShrinksIt(String preset, int maxOps) {
        RuleSet rules = RuleSet.preset(preset);
        for (long seed = 1; seed <= 3; seed++) {
            ExplorerConfig config = ExplorerConfig.defaults().withTries(TRIES).withSeed(seed);
            Verdict.Counterexample c = assertInstanceOf(Verdict.Counterexample.class,
                    BalanceExplorer.check(rules, config), preset + " seed " + seed);
            assertTrue(c.ops().size() <= maxOps, () -> c.render());
            assertEquals(c.ops().size(), c.violation().step());
        }
    }

    @Test
    void tensorsAloneShowSeed003FinalLeakingWhileItsMessagesBalance() {
        Map<OpKind, Integer> weights = new EnumMap<>(OpKind.class);
        weights.put(OpKind.OPEN_MESH, 1);
        weights.put(OpKind.CREATE_TENSOR, 3);
        weights.put(OpKind.DEALLOCATE, 1);
        weights.put(OpKind.DROP, 1);
        weights.put(OpKind.CLOSE_MESH, 1);
        Verdict.Counterexample c = assertInstanceOf(Verdict.Counterexample.class, BalanceExplorer.check(
                RuleSet.SEED_003_FINAL, ExplorerConfig.defaults().withWeights(weights).withTries(TRIES)));
        assertEquals(Invariant.DEVICE_MEMORY_RETURNED, c.violation().invariant());
        assertEquals(3, c.ops().size(), c.render());
        assertEquals(0, c.report().unknownFreeCount());
        assertTrue(c.report().discrepancies().isEmpty(), "the messages balance: " + c.render());
        assertEquals(1, c.report().leaks().size());
    }
}
