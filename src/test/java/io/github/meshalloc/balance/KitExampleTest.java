package io.github.meshalloc.balance;

import io.github.meshalloc.mesh.rules.*;
import io.github.meshalloc.tracking.*;
import io.github.meshalloc.tracking.kit.*;
import net.jqwik.api.*;
import net.jqwik.api.state.ActionChain;

/** The README's kit example: a user composes a rule set and lets jqwik drive meshalloc's vocabulary against it. */
class KitExampleTest {
    static final RuleSet MINE = RuleSet.UPSTREAM.withAllocationClient(true).with(MeshDeviceBufferTracking.PER_CHIP)
            .with(CircularBufferReporting.AS_L1_ALLOCATIONS_PER_CHIP)
            .with(MeshRules.UPSTREAM.with(MeshCloseProgramCache.CLEAR_FIRST)).named("mine", "per-chip reports");

    @Provide Arbitrary<ActionChain<CheckedSession>> scripts() {
        return BalanceProperty.of(MINE).scripts();
    }

    @Property(tries = 100) void allocsAndFreesBalance(@ForAll("scripts") ActionChain<CheckedSession> script) {
        BalanceProperty.check(script);
    }
}
