package io.github.meshalloc.allocator;

import com.google.common.base.Preconditions;

/**
 * How a sharded buffer's pages are cut into shards over a core grid.
 *
 * <p>Models {@code ShardSpecBuffer} ({@code tt_metal/api/tt-metalium/buffer.hpp}): a {@code ShardSpec}
 * (core grid, shard shape in elements, orientation) plus the page shape and the tensor's 2-D shape in
 * pages. Pages per shard = (shard height / page height) x (shard width / page width), integer division
 * as {@code ShardSpecBuffer::shape_in_pages()} computes it [I].
 *
 * @param grid                  cores holding one shard each
 * @param shardHeight           shard height in elements
 * @param shardWidth            shard width in elements
 * @param orientation           ROW_MAJOR or COL_MAJOR placement of shards on the grid
 * @param pageHeight            page height in elements
 * @param pageWidth             page width in elements
 * @param tensorHeightInPages   the tensor's height in pages
 * @param tensorWidthInPages    the tensor's width in pages
 */
public record ShardSpecBuffer(
        CoreRangeSet grid,
        int shardHeight,
        int shardWidth,
        ShardOrientation orientation,
        int pageHeight,
        int pageWidth,
        int tensorHeightInPages,
        int tensorWidthInPages) {

    public ShardSpecBuffer {
        Preconditions.checkNotNull(grid, "grid");
        Preconditions.checkNotNull(orientation, "orientation");
        Preconditions.checkArgument(grid.numCores() > 0, "shard grid must hold at least one core");
        Preconditions.checkArgument(shardHeight > 0 && shardWidth > 0,
                "shard shape (%s, %s) must be positive", shardHeight, shardWidth);
        Preconditions.checkArgument(pageHeight > 0 && pageWidth > 0,
                "page shape (%s, %s) must be positive", pageHeight, pageWidth);
        Preconditions.checkArgument(tensorHeightInPages >= 0 && tensorWidthInPages >= 0,
                "tensor shape in pages (%s, %s) must not be negative", tensorHeightInPages, tensorWidthInPages);
    }

    /** Pages in one shard. */
    public long numPagesPerShard() {
        return (long) (shardHeight / pageHeight) * (shardWidth / pageWidth);
    }

    /** Cores in the shard grid. */
    public int numCores() {
        return grid.numCores();
    }
}
