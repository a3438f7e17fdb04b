package io.github.meshalloc.tracking.explore;

import com.google.common.base.Preconditions;
import io.github.meshalloc.tracking.BalanceReport;
import io.github.meshalloc.tracking.RuleSet;
import io.github.meshalloc.tracking.ops.Op;
import io.github.meshalloc.tracking.ops.Session;
import java.util.List;

/**
 * What the explorer concluded about a code state: balanced within its budget, or a minimal counterexample.
 */
public sealed interface Verdict permits Verdict.Balanced, Verdict.Counterexample {

    /** The code state checked. */
    RuleSet rules();

    /** What the search ran. */
    SearchStats stats();

    /** Whether no invariant broke. */
    boolean isBalanced();

    /** The verdict as text. */
    String render();

    /**
     * No invariant broke in any try.
     *
     * @param rules the code state
     * @param stats what ran
     */
    record Balanced(RuleSet rules, SearchStats stats) implements Verdict {
        public Balanced {
            Preconditions.checkNotNull(rules, "rules");
            Preconditions.checkNotNull(stats, "stats");
        }

        @Override
        public boolean isBalanced() {
            return true;
        }

        @Override
        public String render() {
            StringBuilder sb = new StringBuilder();
            sb.append(rules.name()).append(": balanced after ").append(stats.tries()).append(" tries, ")
                    .append(stats.ops()).append(" operations\n  per kind:");
            stats.opCounts().forEach((k, n) -> sb.append(' ').append(k.name().toLowerCase(java.util.Locale.ROOT))
                    .append('=').append(n));
            return sb.append('\n').toString();
        }
    }

    /**
     * An invariant broke; {@code steps} is the shrunk script, ending at the step that broke it.
     *
     * @param rules          the code state
     * @param stats          what the search ran until it found the failure
     * @param foundAtTry     1-based try that failed
     * @param trySeed        that try's seed
     * @param originalLength operations of the failing try up to the violation
     * @param steps          the minimal script as run, with any tt-metal errors it raised
     * @param violation      the invariant broken at its last step
     * @param report         the server's view against the truth after the last step, with causes
     * @param shrinkReplays  replays the shrinker spent
     */
    record Counterexample(RuleSet rules, SearchStats stats, int foundAtTry, long trySeed, int originalLength,
                          List<Session.Step> steps, Violation violation, BalanceReport report, int shrinkReplays)
            implements Verdict {
        public Counterexample {
            Preconditions.checkNotNull(rules, "rules");
            Preconditions.checkNotNull(stats, "stats");
            steps = List.copyOf(steps);
            Preconditions.checkNotNull(violation, "violation");
            Preconditions.checkNotNull(report, "report");
        }

        @Override
        public boolean isBalanced() {
            return false;
        }

        /** The minimal script's operations. */
        public List<Op> ops() {
            return steps.stream().map(Session.Step::op).toList();
        }

        /** The script as Python lines. */
        public List<String> python() {
            return ops().stream().map(Op::toPython).toList();
        }

        @Override
        public String render() {
            StringBuilder sb = new StringBuilder();
            sb.append(rules.name()).append(": counterexample found at try ").append(foundAtTry).append(" (try seed ")
                    .append(trySeed).append(", ").append(stats.ops()).append(" operations run); ")
                    .append(originalLength).append(" operations shrunk to ").append(steps.size()).append(" in ")
                    .append(shrinkReplays).append(" replays\n");
            sb.append("broken: ").append(violation.invariant().label()).append(" after step ")
                    .append(violation.step()).append('\n');
            for (Session.Step s : steps) {
                sb.append(s).append('\n');
            }
            sb.append("seen: ").append(violation.detail()).append('\n');
            sb.append("balance report after step ").append(violation.step()).append(":\n").append(report.render());
            return sb.toString();
        }
    }
}
