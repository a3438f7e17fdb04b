package io.github.meshalloc.allocator;

import com.google.common.base.Preconditions;
import java.util.ArrayList;
import java.util.List;

/**
 * An inclusive rectangle of cores {@code [start, end]}.
 *
 * <p>Models {@code CoreRange} ({@code core_coord.hpp}).
 *
 * @param start lowest x and y
 * @param end   highest x and y (inclusive)
 */
public record CoreRange(CoreCoord start, CoreCoord end) {
    public CoreRange {
        Preconditions.checkNotNull(start, "start");
        Preconditions.checkNotNull(end, "end");
        Preconditions.checkArgument(start.x() <= end.x() && start.y() <= end.y(),
                "CoreRange start %s must not be beyond end %s", start, end);
    }

    /** A single core. */
    public static CoreRange of(CoreCoord core) {
        return new CoreRange(core, core);
    }

    /** The grid {@code (0,0)..(columns-1, rows-1)}. */
    public static CoreRange grid(int columns, int rows) {
        Preconditions.checkArgument(columns > 0 && rows > 0, "grid %sx%s must have positive sides", columns, rows);
        return new CoreRange(new CoreCoord(0, 0), new CoreCoord(columns - 1, rows - 1));
    }

    /** Number of cores in the rectangle. */
    public int numCores() {
        return (end.x() - start.x() + 1) * (end.y() - start.y() + 1);
    }

    /** Whether {@code core} lies inside. */
    public boolean contains(CoreCoord core) {
        return core.x() >= start.x() && core.x() <= end.x() && core.y() >= start.y() && core.y() <= end.y();
    }

    /** Whether {@code other} lies entirely inside. */
    public boolean contains(CoreRange other) {
        return contains(other.start) && contains(other.end);
    }

    /** Whether the two rectangles share at least one core. */
    public boolean intersects(CoreRange other) {
        return start.x() <= other.end.x() && other.start.x() <= end.x()
                && start.y() <= other.end.y() && other.start.y() <= end.y();
    }

    /** The cores in row-major order (models {@code corerange_to_cores(range, nullopt, row_wise=true)}). */
    public List<CoreCoord> cores() {
        List<CoreCoord> cores = new ArrayList<>(numCores());
        for (int y = start.y(); y <= end.y(); y++) {
            for (int x = start.x(); x <= end.x(); x++) {
                cores.add(new CoreCoord(x, y));
            }
        }
        return cores;
    }

    @Override
    public String toString() {
        return "[" + start + " - " + end + "]";
    }
}
