package io.github.meshalloc.mesh;

import com.google.common.base.Preconditions;

/**
 * The rows x columns of a mesh of chips.
 *
 * <p>Models the 2-D {@code tt::tt_metal::distributed::MeshShape} ({@code mesh_coord.hpp}).
 *
 * @param rows    mesh rows
 * @param columns mesh columns
 */
public record MeshShape(int rows, int columns) {
    public MeshShape {
        Preconditions.checkArgument(rows > 0 && columns > 0,
                "mesh shape %sx%s must have positive sides", rows, columns);
    }

    /** Number of chips. */
    public int meshSize() {
        return rows * columns;
    }

    @Override
    public String toString() {
        return rows + "x" + columns;
    }
}
