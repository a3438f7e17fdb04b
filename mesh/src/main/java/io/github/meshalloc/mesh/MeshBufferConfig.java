package io.github.meshalloc.mesh;

import com.google.common.base.Preconditions;
import io.github.meshalloc.allocator.ShardOrientation;

/**
 * How a MeshBuffer's global size maps to each chip.
 *
 * <p>Models {@code MeshBufferConfig = std::variant<ReplicatedBufferConfig, ShardedBufferConfig>}
 * ({@code tt_metal/api/tt-metalium/mesh_buffer.hpp}, reference 9.2).
 */
public sealed interface MeshBufferConfig permits MeshBufferConfig.Replicated, MeshBufferConfig.Sharded {

    /** Bytes each chip holds. */
    long deviceLocalSize();

    /** The global size in bytes. */
    long size();

    /** Checks the config against a mesh (reference 9.2 validation). */
    void validate(MeshShape shape);

    /**
     * Models {@code ReplicatedBufferConfig{size}}: every chip gets {@code size} bytes.
     *
     * @param size bytes per chip
     */
    record Replicated(long size) implements MeshBufferConfig {
        public Replicated {
            Preconditions.checkArgument(size >= 0, "replicated size %s must not be negative", size);
        }

        @Override
        public long deviceLocalSize() {
            return size;
        }

        @Override
        public void validate(MeshShape shape) {
        }
    }

    /**
     * Models {@code ShardedBufferConfig{global_size, global_buffer_shape, shard_shape, shard_orientation}}:
     * a shard dimension of 0 replicates along that dimension.
     *
     * @param size        global size in bytes
     * @param globalHeight global buffer height (elements)
     * @param globalWidth  global buffer width (elements)
     * @param shardHeight  shard height, 0 to replicate along height
     * @param shardWidth   shard width, 0 to replicate along width
     * @param orientation  shard placement order over the mesh
     */
    record Sharded(long size, long globalHeight, long globalWidth, long shardHeight, long shardWidth,
                   ShardOrientation orientation) implements MeshBufferConfig {
        public Sharded {
            Preconditions.checkArgument(size >= 0, "global size %s must not be negative", size);
            Preconditions.checkArgument(globalHeight > 0 && globalWidth > 0,
                    "global buffer shape (%s, %s) must be positive", globalHeight, globalWidth);
            Preconditions.checkArgument(shardHeight >= 0 && shardWidth >= 0,
                    "shard shape (%s, %s) must not be negative (0 replicates)", shardHeight, shardWidth);
            Preconditions.checkNotNull(orientation, "orientation");
            Preconditions.checkArgument(size % (globalHeight * globalWidth) == 0,
                    "global size %s must be a multiple of the element count %s x %s", size, globalHeight,
                    globalWidth);
        }

        /** Shard height after replacing 0 (replicate) by the global height. */
        public long physicalShardHeight() {
            return shardHeight == 0 ? globalHeight : shardHeight;
        }

        /** Shard width after replacing 0 (replicate) by the global width. */
        public long physicalShardWidth() {
            return shardWidth == 0 ? globalWidth : shardWidth;
        }

        @Override
        public long deviceLocalSize() {
            long datum = size / (globalHeight * globalWidth);
            return datum * physicalShardHeight() * physicalShardWidth();
        }

        @Override
        public void validate(MeshShape shape) {
            Preconditions.checkArgument(globalHeight % physicalShardHeight() == 0,
                    "global height %s must be divisible by the shard height %s", globalHeight, physicalShardHeight());
            Preconditions.checkArgument(globalWidth % physicalShardWidth() == 0,
                    "global width %s must be divisible by the shard width %s", globalWidth, physicalShardWidth());
            long shards = (globalHeight / physicalShardHeight()) * (globalWidth / physicalShardWidth());
            boolean replicateH = shardHeight == 0;
            boolean replicateW = shardWidth == 0;
            if (replicateH && replicateW) {
                shards *= shape.meshSize();
            } else if (replicateH || replicateW) {
                shards *= orientation == ShardOrientation.ROW_MAJOR ? shape.rows() : shape.columns();
            }
            Preconditions.checkArgument(shards <= shape.meshSize(),
                    "%s shards do not fit on a %s mesh of %s devices", shards, shape, shape.meshSize());
        }
    }
}
