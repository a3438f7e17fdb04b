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
        }

        /**
         * Models {@code compute_datum_size_bytes()}: global size / (global height x global width), integer
         * division, as the C++ does (a global size that is not a multiple is not refused; the remainder is lost).
         */
        public long datumSizeBytes() {
            return size / (globalHeight * globalWidth);
        }

        /** Shard height after replacing 0 (replicate) by the global height. */
        public long physicalShardHeight() {
            return shardHeight == 0 ? globalHeight : shardHeight;
        }

        /** Shard width after replacing 0 (replicate) by the global width. */
        public long physicalShardWidth() {
            return shardWidth == 0 ? globalWidth : shardWidth;
        }

        /** The device-local size: datum size x physical shard height x physical shard width. */
        @Override
        public long deviceLocalSize() {
            return datumSizeBytes() * physicalShardHeight() * physicalShardWidth();
        }

        /**
         * Models {@code validate_mesh_buffer_config} for a sharded config: the global shape must divide into
         * physical shards; the shard count, multiplied by the mesh size when both dimensions replicate, or by the
         * rows (ROW_MAJOR) / columns (COL_MAJOR) when one does, must not exceed the number of devices.
         *
         * @throws IllegalArgumentException with the C++ message's facts otherwise
         */
        @Override
        public void validate(MeshShape shape) {
            Preconditions.checkArgument(globalHeight % physicalShardHeight() == 0
                            && globalWidth % physicalShardWidth() == 0,
                    "Global buffer shape must be aligned with the shard shape: requested buffer shape: (%s, %s), "
                            + "shard shape: (%s, %s)", globalHeight, globalWidth, physicalShardHeight(),
                    physicalShardWidth());
            long shards = (globalHeight / physicalShardHeight()) * (globalWidth / physicalShardWidth());
            boolean replicateH = shardHeight == 0;
            boolean replicateW = shardWidth == 0;
            if (replicateH && replicateW) {
                shards *= shape.meshSize();
            } else if (replicateH || replicateW) {
                shards *= orientation == ShardOrientation.ROW_MAJOR ? shape.rows() : shape.columns();
            }
            Preconditions.checkArgument(shards <= shape.meshSize(),
                    "The sharded tensor does not fit on the Mesh. Num shards in buffer %s, Num Devices %s (a %s mesh)",
                    shards, shape.meshSize(), shape);
        }
    }
}
