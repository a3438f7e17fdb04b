package io.github.meshalloc.examples.verdict;

import io.github.meshalloc.examples.repro.ExplorerRun;
import io.github.meshalloc.tracking.RuleSet;
import io.github.meshalloc.tracking.explore.Progress;
import io.github.meshalloc.tracking.ops.Op;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Verdicts from the BalanceExplorer with its default budget: the verdict {@code meshalloc check --rules <preset>}
 * reaches without options ({@link ExplorerRun#defaults(RuleSet)}: seed 1, 200 tries of 25 steps, every mesh shape).
 *
 * <p>An unbalanced verdict has one finding: the broken invariant, the step after which it broke and the shrunk
 * script. A code state without the fork's allocation client (upstream) reports nothing, so the explorer checks only
 * device memory there; its balanced verdict is qualified {@code nothing reported}, never a plain "balanced".
 */
public final class ExplorerVerdicts implements PresetVerdicts {

    /** The qualifier of a balanced verdict on a code state with no allocation client. */
    public static final String NOTHING_REPORTED = "nothing reported";

    @Override
    public Verdict verdict(RuleSet rules) {
        ExplorerRun run = ExplorerRun.defaults(rules);
        io.github.meshalloc.tracking.explore.Verdict v = run.run(Progress.Listener.NONE);
        if (v instanceof io.github.meshalloc.tracking.explore.Verdict.Counterexample c) {
            return Verdict.of(List.of(finding(c)));
        }
        return rules.allocationClient() ? Verdict.of(List.of()) : Verdict.balancedBut(NOTHING_REPORTED);
    }

    /** {@code <invariant> broken after step N: <op>; <op>; ...}. */
    static String finding(io.github.meshalloc.tracking.explore.Verdict.Counterexample c) {
        return c.violation().invariant().label() + " broken after step " + c.violation().step() + ": "
                + c.ops().stream().map(Op::toString).collect(Collectors.joining("; "));
    }

    @Override
    public String source() {
        ExplorerRun run = ExplorerRun.defaults(RuleSet.UPSTREAM);
        return "verdicts: the BalanceExplorer, " + run.describe() + ", as 'meshalloc check --rules <preset>' reaches "
                + "them; 'nothing reported': no allocation client, so only device memory was checked; "
                + "'presets --battery' for the seed-scenario battery";
    }
}
