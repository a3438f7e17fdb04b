package io.github.meshalloc.mesh.ttnn;

/**
 * What a mesh mapper does along one mesh dimension: cut the tensor along a tensor dimension, or copy it whole.
 *
 * <p>Models {@code MeshMapperConfig::Placement} ({@code ttnn/cpp/ttnn/distributed/distributed_tensor.hpp}), the
 * variant of {@code Shard{dim}} and {@code Replicate{}} that Python spells {@code ttnn.PlacementShard(dim)} and
 * {@code ttnn.PlacementReplicate()}.
 */
public sealed interface Placement permits Placement.Shard, Placement.Replicate {

    /** {@code PlacementShard(dim)}. */
    static Placement shard(int dim) {
        return new Shard(dim);
    }

    /** {@code PlacementReplicate()}. */
    static Placement replicate() {
        return Replicate.INSTANCE;
    }

    /**
     * Cut the tensor along tensor dimension {@code dim} into one chunk per device along this mesh dimension. A negative
     * {@code dim} counts from the innermost tensor dimension; it is checked against the tensor's rank when the mapper
     * is applied.
     *
     * @param dim the tensor dimension
     */
    record Shard(int dim) implements Placement {
        @Override
        public String toString() {
            return "PlacementShard(" + dim + ")";
        }
    }

    /** Give every device along this mesh dimension the whole tensor. */
    record Replicate() implements Placement {
        static final Replicate INSTANCE = new Replicate();

        @Override
        public String toString() {
            return "PlacementReplicate()";
        }
    }
}
