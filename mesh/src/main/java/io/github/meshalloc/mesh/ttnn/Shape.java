package io.github.meshalloc.mesh.ttnn;

import com.google.common.base.Preconditions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A tensor's logical shape: a list of non-negative extents, outermost first.
 *
 * <p>Models {@code ttnn::Shape} ({@code ttnn/cpp/ttnn/tensor/shape/shape.hpp}): extents are unsigned 32-bit in the
 * C++, zero extents are legal, a rank-0 shape is a scalar of volume 1, and {@link #get(int)} accepts negative indices
 * counted from the innermost dimension, as {@code Shape::operator[]} does.
 *
 * @param dims the extents, outermost first
 */
public record Shape(List<Integer> dims) {

    public Shape {
        Preconditions.checkNotNull(dims, "dims");
        dims = List.copyOf(dims);
        for (int i = 0; i < dims.size(); i++) {
            int extent = dims.get(i);
            Preconditions.checkArgument(extent >= 0,
                    "Shape %s: extent %s of dimension %s is negative; extents must be >= 0", dims, extent, i);
        }
    }

    /** The shape with these extents, outermost first. */
    public static Shape of(int... dims) {
        Preconditions.checkNotNull(dims, "dims");
        List<Integer> list = new ArrayList<>(dims.length);
        for (int dim : dims) {
            list.add(dim);
        }
        return new Shape(list);
    }

    /** Number of dimensions. */
    public int rank() {
        return dims.size();
    }

    /** Product of the extents (1 for rank 0). */
    public long volume() {
        long volume = 1;
        for (int dim : dims) {
            volume = Math.multiplyExact(volume, (long) dim);
        }
        return volume;
    }

    /**
     * The extent of dimension {@code index}; a negative index counts from the innermost dimension ({@code -1} is the
     * last).
     *
     * @throws IllegalArgumentException if {@code index} is outside {@code -rank .. rank-1}
     */
    public int get(int index) {
        return dims.get(normalizeIndex(index));
    }

    /**
     * {@code index} turned into {@code 0 .. rank-1}: a negative index gets {@code rank} added, as ttnn normalizes
     * dimension indices.
     *
     * @throws IllegalArgumentException if {@code index} is outside {@code -rank .. rank-1}
     */
    public int normalizeIndex(int index) {
        int rank = rank();
        Preconditions.checkArgument(index >= -rank && index < rank,
                "dimension index %s is out of range for rank-%s shape %s; allowed: %s..%s",
                index, rank, this, -rank, rank - 1);
        return index < 0 ? index + rank : index;
    }

    /** This shape with dimension {@code index} (negative counts from the innermost) set to {@code extent}. */
    public Shape withDim(int index, int extent) {
        int normalized = normalizeIndex(index);
        List<Integer> copy = new ArrayList<>(dims);
        copy.set(normalized, extent);
        return new Shape(copy);
    }

    /** Formats as {@code Shape([8, 8, 512, 512])}, the way ttnn prints a shape. */
    @Override
    public String toString() {
        return dims.stream().map(String::valueOf).collect(Collectors.joining(", ", "Shape([", "])"));
    }
}
