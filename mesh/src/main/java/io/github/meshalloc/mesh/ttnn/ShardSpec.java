package io.github.meshalloc.mesh.ttnn;

import com.google.common.base.Preconditions;
import io.github.meshalloc.allocator.CoreRangeSet;
import io.github.meshalloc.allocator.ShardOrientation;

/**
 * How a sharded tensor is cut: a core grid holding one shard per core, the shard shape in elements and the order in
 * which shards are placed on the grid.
 *
 * <p>Models {@code tt::tt_metal::ShardSpec} in its default {@code ShardMode::PHYSICAL} mode: the shard shape is the
 * <em>physical</em> shard, in the tensor's 2-D view (all outer dimensions folded into the height). The later
 * {@code ShardMode::LOGICAL} mode and the {@code physical_shard_shape} override are not modelled.
 *
 * @param grid        the cores, one shard each
 * @param shardHeight shard height in elements (rows of the 2-D view)
 * @param shardWidth  shard width in elements
 * @param orientation ROW_MAJOR or COL_MAJOR placement of shards on the grid
 */
public record ShardSpec(CoreRangeSet grid, int shardHeight, int shardWidth, ShardOrientation orientation) {

    public ShardSpec {
        Preconditions.checkNotNull(grid, "grid");
        Preconditions.checkNotNull(orientation, "orientation");
        Preconditions.checkArgument(grid.numCores() > 0, "ShardSpec grid %s holds no core; it needs at least one", grid);
        Preconditions.checkArgument(shardHeight > 0 && shardWidth > 0,
                "ShardSpec shard shape (%s, %s) must have positive height and width", shardHeight, shardWidth);
    }

    /** A ROW_MAJOR-oriented shard spec. */
    public static ShardSpec of(CoreRangeSet grid, int shardHeight, int shardWidth) {
        return new ShardSpec(grid, shardHeight, shardWidth, ShardOrientation.ROW_MAJOR);
    }

    /** Cores in the grid ({@code ShardSpec::num_cores}). */
    public int numCores() {
        return grid.numCores();
    }
}
