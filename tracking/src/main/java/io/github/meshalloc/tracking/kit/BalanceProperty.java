package io.github.meshalloc.tracking.kit;

import com.google.common.base.Preconditions;
import io.github.meshalloc.tracking.RuleSet;
import io.github.meshalloc.tracking.explore.ExplorerConfig;
import io.github.meshalloc.tracking.ops.Catalog;
import io.github.meshalloc.tracking.ops.OpKind;
import java.util.Map;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.ActionChainArbitrary;

/**
 * A ready stateful property: "allocations and frees of this code state balance, whatever the script".
 *
 * <p>Builds the {@link ActionChain} arbitrary for a rule set (default catalog, the explorer's default weights, 25
 * operations) and runs a generated script to its end, then ends every process; any broken invariant fails as a
 * {@link BalanceViolation}, which jqwik shrinks. Use from a jqwik test:
 * <pre>{@code
 * @Provide Arbitrary<ActionChain<CheckedSession>> scripts() { return BalanceProperty.of(MINE).scripts(); }
 * @Property void balances(@ForAll("scripts") ActionChain<CheckedSession> s) { BalanceProperty.check(s); }
 * }</pre>
 *
 * @param rules    the code state
 * @param catalog  argument domains
 * @param weights  draw weight per operation kind
 * @param maxSteps operations per script
 */
public record BalanceProperty(RuleSet rules, Catalog catalog, Map<OpKind, Integer> weights, int maxSteps) {

    public BalanceProperty {
        Preconditions.checkNotNull(rules, "rules");
        Preconditions.checkNotNull(catalog, "catalog");
        weights = Map.copyOf(weights);
        Preconditions.checkArgument(maxSteps > 0, "maxSteps %s must be positive", maxSteps);
    }

    /** The property for {@code rules} with the default catalog, the explorer's weights and 25 operations. */
    public static BalanceProperty of(RuleSet rules) {
        return new BalanceProperty(rules, Catalog.DEFAULT, ExplorerConfig.DEFAULT_WEIGHTS, 25);
    }

    /** A copy over another catalog. */
    public BalanceProperty withCatalog(Catalog value) {
        return new BalanceProperty(rules, value, weights, maxSteps);
    }

    /** A copy with other weights. */
    public BalanceProperty withWeights(Map<OpKind, Integer> value) {
        return new BalanceProperty(rules, catalog, value, maxSteps);
    }

    /** A copy with another script length. */
    public BalanceProperty withMaxSteps(int value) {
        return new BalanceProperty(rules, catalog, weights, value);
    }

    /** The scripts to draw. */
    public ActionChainArbitrary<CheckedSession> scripts() {
        return MeshallocArbitraries.scripts(rules, catalog, weights, maxSteps);
    }

    /**
     * Runs {@code script}, then ends every process; returns the final session.
     *
     * @throws BalanceViolation at the first broken invariant
     */
    public static CheckedSession check(ActionChain<CheckedSession> script) {
        Preconditions.checkNotNull(script, "script");
        return script.run().finish();
    }
}
