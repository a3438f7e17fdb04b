package io.github.meshalloc.tracking.explore;

import io.github.meshalloc.tracking.ops.OpKind;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * What a search ran.
 *
 * @param tries    scripts run (including the failing one, if any)
 * @param ops      operations run (teardown included, shrinking excluded)
 * @param opCounts operations run per kind, in kind order
 */
public record SearchStats(int tries, long ops, Map<OpKind, Long> opCounts) {
    public SearchStats {
        EnumMap<OpKind, Long> copy = new EnumMap<>(OpKind.class);
        for (OpKind kind : OpKind.values()) {
            copy.put(kind, opCounts.getOrDefault(kind, 0L));
        }
        opCounts = Collections.unmodifiableMap(copy);
    }

    /** Whether every kind of operation ran at least {@code min} times. */
    public boolean everyKindAtLeast(long min) {
        for (long n : opCounts.values()) {
            if (n < min) {
                return false;
            }
        }
        return true;
    }
}
