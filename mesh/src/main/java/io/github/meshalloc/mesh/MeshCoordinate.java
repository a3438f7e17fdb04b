package io.github.meshalloc.mesh;

import com.google.common.base.Preconditions;

/**
 * A chip's position in a mesh.
 *
 * <p>Models the 2-D {@code tt::tt_metal::distributed::MeshCoordinate}; ordering is row-major, the
 * order in which tt-metal iterates a mesh's coordinates.
 *
 * @param row    row index
 * @param column column index
 */
public record MeshCoordinate(int row, int column) implements Comparable<MeshCoordinate> {
    public MeshCoordinate {
        Preconditions.checkArgument(row >= 0 && column >= 0, "mesh coordinate (%s, %s) must not be negative",
                row, column);
    }

    @Override
    public int compareTo(MeshCoordinate other) {
        return row != other.row ? Integer.compare(row, other.row) : Integer.compare(column, other.column);
    }

    @Override
    public String toString() {
        return "(" + row + ", " + column + ")";
    }
}
