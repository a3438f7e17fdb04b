package io.github.meshalloc.tracking.kit;

import io.github.meshalloc.tracking.BalanceReport;
import io.github.meshalloc.tracking.explore.Violation;
import io.github.meshalloc.tracking.ops.Session;
import java.util.List;

/**
 * A stateful property's failure: an invariant broke after an operation.
 *
 * <p>Thrown by {@link CheckedSession} so that jqwik (or any test framework) reports and shrinks it like an assertion.
 * Its message is the script as it ran (numbered steps, tt-metal errors included), the broken invariant and the
 * {@link BalanceReport} at that step.
 */
public final class BalanceViolation extends AssertionError {
    private static final long serialVersionUID = 1L;

    private final transient Violation violation;
    private final transient List<Session.Step> steps;
    private final transient BalanceReport report;

    BalanceViolation(Violation violation, List<Session.Step> steps, BalanceReport report, String rulesName) {
        super(message(violation, steps, report, rulesName));
        this.violation = violation;
        this.steps = List.copyOf(steps);
        this.report = report;
    }

    private static String message(Violation violation, List<Session.Step> steps, BalanceReport report,
                                  String rulesName) {
        StringBuilder sb = new StringBuilder();
        sb.append(rulesName).append(": ").append(violation.invariant().label()).append(" broken after step ")
                .append(violation.step()).append('\n');
        for (Session.Step s : steps) {
            sb.append(s).append('\n');
        }
        sb.append("seen: ").append(violation.detail()).append('\n').append(report.render());
        return sb.toString();
    }

    /** The broken invariant. */
    public Violation violation() {
        return violation;
    }

    /** The operations that ran, ending with the one after which the invariant broke. */
    public List<Session.Step> steps() {
        return steps;
    }

    /** The server's view against the truth after the failing step. */
    public BalanceReport report() {
        return report;
    }
}
