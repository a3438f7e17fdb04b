package io.github.meshalloc.allocator;

import com.google.common.base.Preconditions;

/**
 * A logical Tensix core coordinate.
 *
 * <p>Models {@code CoreCoord} ({@code tt_metal/api/tt-metalium/core_coord.hpp}); ordering is
 * row-major (y, then x), as {@code corerange_to_cores(..., row_wise = true)} walks a grid.
 *
 * @param x column
 * @param y row
 */
public record CoreCoord(int x, int y) implements Comparable<CoreCoord> {
    public CoreCoord {
        Preconditions.checkArgument(x >= 0 && y >= 0, "CoreCoord (%s, %s) must not be negative", x, y);
    }

    @Override
    public int compareTo(CoreCoord other) {
        return y != other.y ? Integer.compare(y, other.y) : Integer.compare(x, other.x);
    }

    @Override
    public String toString() {
        return "(x=" + x + ",y=" + y + ")";
    }
}
