package io.github.meshalloc.tracking.kit;

import com.google.common.base.Preconditions;
import io.github.meshalloc.tracking.BalanceReport;
import io.github.meshalloc.tracking.RuleSet;
import io.github.meshalloc.tracking.explore.InvariantChecker;
import io.github.meshalloc.tracking.explore.Violation;
import io.github.meshalloc.tracking.ops.Catalog;
import io.github.meshalloc.tracking.ops.Op;
import io.github.meshalloc.tracking.ops.OpKind;
import io.github.meshalloc.tracking.ops.OpSpace;
import io.github.meshalloc.tracking.ops.Session;
import io.github.meshalloc.tracking.ops.SessionModel;
import java.util.List;
import java.util.Optional;

/**
 * A {@link Session} whose invariants are checked after every operation: the state a stateful property drives.
 *
 * <p>Stands for a test script run against a code state with meshalloc watching: each {@link #apply} runs one
 * operation and then the {@link InvariantChecker}; a broken invariant is thrown as a {@link BalanceViolation}. A
 * shrinker may replay operations generated for a longer script, so {@link #applyIfLegal} skips one whose
 * precondition no longer holds (it is then not part of the script), and {@link #applyChoice} picks an operation
 * among those legal when it runs. {@link #finish} ends every live process, so a
 * script is always also checked for "zero residual after close".
 */
public final class CheckedSession {
    private final Session session;
    private final InvariantChecker checker;
    private final OpSpace space;

    private CheckedSession(RuleSet rules, Catalog catalog) {
        this.session = Session.start(rules, catalog);
        this.checker = new InvariantChecker(session);
        this.space = new OpSpace(catalog);
    }

    /** A checked session of {@code rules} over {@code catalog}, process {@code p0} started, server up. */
    public static CheckedSession start(RuleSet rules, Catalog catalog) {
        Preconditions.checkNotNull(rules, "rules");
        Preconditions.checkNotNull(catalog, "catalog");
        return new CheckedSession(rules, catalog);
    }

    /**
     * Runs {@code op} and checks every invariant.
     *
     * @throws IllegalArgumentException if the op is not legal now
     * @throws BalanceViolation         if an invariant broke
     */
    public CheckedSession apply(Op op) {
        Session.Step step = session.apply(op);
        Optional<Violation> v = checker.afterStep(step);
        if (v.isPresent()) {
            throw new BalanceViolation(v.get(), session.steps(), reportWithCauses(), session.rules().name());
        }
        return this;
    }

    /** {@link #apply} if {@code op}'s precondition holds now; otherwise nothing happens. */
    public CheckedSession applyIfLegal(Op op) {
        return op.precondition(session.model()) ? apply(op) : this;
    }

    /**
     * {@link #apply} the {@code choice}-th legal operation of {@code kind} now (modulo their number, so 0 is the
     * simplest); nothing happens if none is legal.
     */
    public CheckedSession applyChoice(OpKind kind, int choice) {
        Preconditions.checkArgument(choice >= 0, "choice %s must not be negative", choice);
        List<Op> legal = space.legal(kind, session.model());
        return legal.isEmpty() ? this : apply(legal.get(choice % legal.size()));
    }

    /** The failing script replayed on a recording session, for a report that names causes. */
    private BalanceReport reportWithCauses() {
        Session recording = Session.startRecording(session.rules(), session.catalog());
        for (Session.Step s : session.steps()) {
            recording.apply(s.op());
        }
        return recording.report();
    }

    /** Ends every live process (devices closed, objects released), checking after each. */
    public CheckedSession finish() {
        for (Op op : space.teardown(session.model())) {
            apply(op);
        }
        return this;
    }

    /** The session. */
    public Session session() {
        return session;
    }

    /** What the script knows (for preconditions). */
    public SessionModel model() {
        return session.model();
    }

    /** The argument domains. */
    public Catalog catalog() {
        return session.catalog();
    }

    @Override
    public String toString() {
        return "CheckedSession{" + session.rules().name() + ", " + session.stepCount() + " steps}";
    }
}
