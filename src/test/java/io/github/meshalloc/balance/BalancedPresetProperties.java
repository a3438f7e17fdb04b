package io.github.meshalloc.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.tracking.RuleSet;
import io.github.meshalloc.tracking.kit.BalanceProperty;
import io.github.meshalloc.tracking.kit.CheckedSession;
import io.github.meshalloc.tracking.ops.OpKind;
import io.github.meshalloc.tracking.ops.Session;
import io.github.meshalloc.tracking.server.ServerVersion;
import java.util.EnumMap;
import java.util.Map;
import net.jqwik.api.AfterFailureMode;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.state.ActionChain;

/**
 * The jqwik stateful properties of the presets that must hold: upstream (which promises device memory only) and
 * meshalloc-fix on its S4 server, the latter over at least 1,000 scripts in which every operation kind runs. (The
 * seed presets' properties are in {@link SeedPresetScripts}: they must fail.)
 */
class BalancedPresetProperties {

    private final Map<OpKind, Integer> kindsRun = new EnumMap<>(OpKind.class);
    private int scripts;
    private long operations;

    @Provide
    Arbitrary<ActionChain<CheckedSession>> upstream() {
        return BalanceProperty.of(RuleSet.UPSTREAM).scripts();
    }

    @Provide
    Arbitrary<ActionChain<CheckedSession>> meshallocFix() {
        return BalanceProperty.of(RuleSet.MESHALLOC_FIX).scripts();
    }

    private void count(CheckedSession end) {
        scripts++;
        for (Session.Step step : end.session().steps()) {
            kindsRun.merge(step.op().kind(), 1, Integer::sum);
            operations++;
        }
    }

    @Property(tries = 200, seed = "20251023", afterFailure = AfterFailureMode.RANDOM_SEED)
    void upstreamReturnsItsDeviceMemory(@ForAll("upstream") ActionChain<CheckedSession> script) {
        count(BalanceProperty.check(script));
    }

    @Property(tries = 1000, seed = "20251023", afterFailure = AfterFailureMode.RANDOM_SEED)
    void meshallocFixBalances(@ForAll("meshallocFix") ActionChain<CheckedSession> script) {
        assertEquals(ServerVersion.S4, RuleSet.MESHALLOC_FIX.serverVersion());
        count(BalanceProperty.check(script));
    }

    @AfterProperty
    void everyKindOfOperationRan() {
        assertTrue(scripts >= 200, "scripts run: " + scripts);
        assertTrue(operations >= 5L * scripts, operations + " operations in " + scripts + " scripts");
        for (OpKind kind : OpKind.values()) {
            assertTrue(kindsRun.getOrDefault(kind, 0) >= 10, kind + " ran " + kindsRun.get(kind) + " times");
        }
    }
}
