package io.github.meshalloc.allocator;

import com.google.common.base.Preconditions;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A set of non-overlapping core ranges.
 *
 * <p>Models {@code CoreRangeSet} ({@code core_coord.hpp}).
 *
 * @param ranges the ranges, in the order given
 */
public record CoreRangeSet(List<CoreRange> ranges) {
    public CoreRangeSet {
        ranges = List.copyOf(ranges);
        for (int i = 0; i < ranges.size(); i++) {
            for (int j = i + 1; j < ranges.size(); j++) {
                Preconditions.checkArgument(!ranges.get(i).intersects(ranges.get(j)),
                        "CoreRangeSet ranges %s and %s overlap", ranges.get(i), ranges.get(j));
            }
        }
    }

    /** A set of one range. */
    public static CoreRangeSet of(CoreRange range) {
        return new CoreRangeSet(List.of(range));
    }

    /** Total number of cores. */
    public int numCores() {
        int total = 0;
        for (CoreRange range : ranges) {
            total += range.numCores();
        }
        return total;
    }

    /** Whether some range contains {@code core}. */
    public boolean contains(CoreCoord core) {
        for (CoreRange range : ranges) {
            if (range.contains(core)) {
                return true;
            }
        }
        return false;
    }

    /** Whether every core of {@code other} lies in this set. */
    public boolean contains(CoreRangeSet other) {
        for (CoreRange range : other.ranges) {
            for (CoreCoord core : range.cores()) {
                if (!contains(core)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether the two sets share a core. */
    public boolean intersects(CoreRangeSet other) {
        for (CoreRange mine : ranges) {
            for (CoreRange theirs : other.ranges) {
                if (mine.intersects(theirs)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** All cores, sorted row-major. */
    public List<CoreCoord> cores() {
        if (ranges.size() == 1) {
            return ranges.get(0).cores(); // one rectangle walked row by row is already in row-major order
        }
        TreeSet<CoreCoord> sorted = new TreeSet<>();
        for (CoreRange range : ranges) {
            sorted.addAll(range.cores());
        }
        return new ArrayList<>(sorted);
    }
}
