package io.github.meshalloc.tracking.explore;

import com.google.common.base.Preconditions;

/**
 * An invariant broken at a step of a session.
 *
 * @param invariant which
 * @param step      1-based step after which it was found
 * @param detail    what was seen, one line per finding
 */
public record Violation(Invariant invariant, int step, String detail) {
    public Violation {
        Preconditions.checkNotNull(invariant, "invariant");
        Preconditions.checkNotNull(detail, "detail");
    }

    @Override
    public String toString() {
        return invariant.label() + " broken after step " + step + ": " + detail;
    }
}
