package io.github.meshalloc.balance;

import io.github.meshalloc.tracking.RuleSet;
import io.github.meshalloc.tracking.kit.BalanceProperty;
import io.github.meshalloc.tracking.kit.CheckedSession;
import net.jqwik.api.AfterFailureMode;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.state.ActionChain;

/**
 * One jqwik stateful property per preset that models a seed's code state: "allocations and frees balance, whatever
 * the script". Every one of them is false. The class name keeps it out of the build's own test run;
 * {@link SeedPresetPropertiesTest} runs each property through the JUnit launcher and asserts that jqwik finds and
 * shrinks a counterexample within {@link #TRIES} tries of seed {@link #SEED}.
 */
class SeedPresetScripts {
    /** Fixed seed: the search is deterministic. */
    static final String SEED = "20251007";
    /** The budget: tries per property. */
    static final int TRIES = 50;

    private static Arbitrary<ActionChain<CheckedSession>> scripts(RuleSet rules) {
        return BalanceProperty.of(rules).scripts();
    }

    @Provide
    Arbitrary<ActionChain<CheckedSession>> seed004() {
        return scripts(RuleSet.SEED_004);
    }

    @Provide
    Arbitrary<ActionChain<CheckedSession>> seed002Before() {
        return scripts(RuleSet.SEED_002_BEFORE);
    }

    @Provide
    Arbitrary<ActionChain<CheckedSession>> seed002After() {
        return scripts(RuleSet.SEED_002_AFTER);
    }

    @Provide
    Arbitrary<ActionChain<CheckedSession>> seed001Before() {
        return scripts(RuleSet.SEED_001_BEFORE);
    }

    @Provide
    Arbitrary<ActionChain<CheckedSession>> seed001After() {
        return scripts(RuleSet.SEED_001_AFTER);
    }

    @Provide
    Arbitrary<ActionChain<CheckedSession>> seed003FirstAttempt() {
        return scripts(RuleSet.SEED_003_FIRST_ATTEMPT);
    }

    @Provide
    Arbitrary<ActionChain<CheckedSession>> seed003Final() {
        return scripts(RuleSet.SEED_003_FINAL);
    }

    @Provide
    Arbitrary<ActionChain<CheckedSession>> seed000() {
        return scripts(RuleSet.SEED_000);
    }

    @Property(tries = TRIES, seed = SEED, afterFailure = AfterFailureMode.RANDOM_SEED)
    void seed004Balances(@ForAll("seed004") ActionChain<CheckedSession> script) {
        BalanceProperty.check(script);
    }

    @Property(tries = TRIES, seed = SEED, afterFailure = AfterFailureMode.RANDOM_SEED)
    void seed002BeforeBalances(@ForAll("seed002Before") ActionChain<CheckedSession> script) {
        BalanceProperty.check(script);
    }

    @Property(tries = TRIES, seed = SEED, afterFailure = AfterFailureMode.RANDOM_SEED)
    void seed002AfterBalances(@ForAll("seed002After") ActionChain<CheckedSession> script) {
        BalanceProperty.check(script);
    }

    @Property(tries = TRIES, seed = SEED, afterFailure = AfterFailureMode.RANDOM_SEED)
    void seed001BeforeBalances(@ForAll("seed001Before") ActionChain<CheckedSession> script) {
        BalanceProperty.check(script);
    }

    @Property(tries = TRIES, seed = SEED, afterFailure = AfterFailureMode.RANDOM_SEED)
    void seed001AfterBalances(@ForAll("seed001After") ActionChain<CheckedSession> script) {
        BalanceProperty.check(script);
    }

    @Property(tries = TRIES, seed = SEED, afterFailure = AfterFailureMode.RANDOM_SEED)
    void seed003FirstAttemptBalances(@ForAll("seed003FirstAttempt") ActionChain<CheckedSession> script) {
        BalanceProperty.check(script);
    }

    @Property(tries = TRIES, seed = SEED, afterFailure = AfterFailureMode.RANDOM_SEED)
    void seed003FinalBalances(@ForAll("seed003Final") ActionChain<CheckedSession> script) {
        BalanceProperty.check(script);
    }

    @Property(tries = TRIES, seed = SEED, afterFailure = AfterFailureMode.RANDOM_SEED)
    void seed000Balances(@ForAll("seed000") ActionChain<CheckedSession> script) {
        BalanceProperty.check(script);
    }
}
