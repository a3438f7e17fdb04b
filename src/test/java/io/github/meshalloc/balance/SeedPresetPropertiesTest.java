package io.github.meshalloc.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import io.github.meshalloc.tracking.kit.BalanceViolation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Every seed preset's jqwik property ({@link SeedPresetScripts}) fails: jqwik's own search over the operation
 * vocabulary finds a script whose allocations and frees do not balance, without being told the scenario, within the
 * fixed budget of {@value SeedPresetScripts#TRIES} tries of one seed, and shrinks it to at most the stated number of
 * operations (teardown operations included, since a broken close counts).
 */
class SeedPresetPropertiesTest {

    private static Throwable failureOf(String property) {
        List<Throwable> failures = new ArrayList<>();
        List<String> finished = new ArrayList<>();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectMethod(SeedPresetScripts.class.getName() + "#" + property
                        + "(net.jqwik.api.state.ActionChain)"))
                .build(), new TestExecutionListener() {
                    @Override
                    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                        if (id.isTest()) {
                            finished.add(id.getDisplayName());
                            result.getThrowable().ifPresent(failures::add);
                        }
                    }
                });
        assertEquals(1, finished.size(), "the launcher ran " + finished + " for " + property);
        assertEquals(1, failures.size(), property + " should fail");
        return failures.get(0);
    }

    @ParameterizedTest(name = "{0}: jqwik finds it in <= {1} ops")
    @CsvSource({
        "seed004Balances,             2",
        "seed002BeforeBalances,       3",
        "seed002AfterBalances,        3",
        "seed001BeforeBalances,       2",
        "seed001AfterBalances,        3",
        "seed003FirstAttemptBalances, 3",
        "seed003FinalBalances,        3",
        "seed000Balances,             2",
    })
    void theSeedPresetsPropertyFailsWithAShortScript(String property, int maxOps) {
        Throwable failure = failureOf(property);
        Throwable cause = failure;
        while (cause != null && !(cause instanceof BalanceViolation)) {
            cause = cause.getCause();
        }
        if (cause == null) {
            throw new AssertionError(property + " failed without a balance violation", failure);
        }
        BalanceViolation v = (BalanceViolation) cause;
        assertTrue(v.steps().size() <= maxOps, () -> property + " shrunk to " + v.steps().size() + " ops:\n"
                + v.getMessage());
        assertEquals(v.steps().size(), v.violation().step(), "the script ends at the breaking step");
    }
}
