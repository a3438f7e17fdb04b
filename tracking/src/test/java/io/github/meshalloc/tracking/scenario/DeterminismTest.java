package io.github.meshalloc.tracking.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.meshalloc.tracking.Host;
import io.github.meshalloc.tracking.RuleSet;
import org.junit.jupiter.api.Test;

/** The same scenario under the same rules gives a byte-identical server log: no clocks, no hash order. */
class DeterminismTest {

    private static String serverLog(RuleSet rules) {
        Host host = new Host(rules.serverVersion());
        new MeshTestScenario(host.startProcess(rules)).runThrough(MeshTestScenario.STEPS);
        if (rules.serverVersion().handles(io.github.meshalloc.tracking.wire.MessageType.DUMP_REMAINING)) {
            host.server().dumpRemaining(host.liveness());
        }
        host.server().statisticsBlock();
        return host.server().log().render();
    }

    @Test
    void everyPresetRendersTheSameLogTwice() {
        for (RuleSet rules : RuleSet.PRESETS) {
            String first = serverLog(rules);
            assertEquals(first, serverLog(rules), rules.name());
            if (rules.allocationClient()) {
                assertFalse(first.isEmpty(), rules.name());
            }
        }
    }
}
