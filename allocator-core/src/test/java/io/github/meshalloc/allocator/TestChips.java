package io.github.meshalloc.allocator;

import java.util.Optional;
import java.util.OptionalInt;

/** Shared builders for the allocator-core tests: open chips, sharding arguments and buffers. */
final class TestChips {
    static final long GIB = 1L << 30;
    static final long KIB = 1024;

    /** Wormhole B0 preset numbers (reference 2.2-2.4, ArchPreset's documented assumptions). */
    static final long WH_W = 1499136;
    static final long WH_L1_BASE = 100416;
    /** Blackhole preset numbers. */
    static final long BH_W = 1572864;
    static final long BH_L1_BASE = 111616;
    static final long BH_DRAM_BANK = 4278190080L;

    private TestChips() {
    }

    /** An open device 0 of {@code arch} with the given trace region and L1_SMALL sizes. */
    static Device open(ArchPreset arch, long traceRegionSize, long l1SmallSize, MetalContext context) {
        return open(arch.config(traceRegionSize, l1SmallSize), context);
    }

    static Device open(AllocatorConfig config, MetalContext context) {
        Device device = new Device(0, config, context);
        device.initialize();
        return device;
    }

    /** Height-sharded over {@code grid}, {@code pagesPerShard} pages of one 32x32 tile each per core. */
    static BufferShardingArgs heightSharded(CoreRangeSet grid, int pagesPerShard) {
        int cores = grid.numCores();
        return BufferShardingArgs.sharded(TensorMemoryLayout.HEIGHT_SHARDED,
                new ShardSpecBuffer(grid, 32 * pagesPerShard, 32, ShardOrientation.ROW_MAJOR, 32, 32,
                        pagesPerShard * cores, 1));
    }

    /** An owning interleaved buffer with the type's default direction. */
    static Buffer interleaved(IDevice device, long size, long pageSize, BufferType type) {
        return Buffer.create(device, size, pageSize, type);
    }

    /** An owning interleaved buffer with an explicit direction. */
    static Buffer interleaved(IDevice device, long size, long pageSize, BufferType type, boolean bottomUp) {
        return Buffer.create(device, size, pageSize, type, BufferShardingArgs.INTERLEAVED, Optional.of(bottomUp),
                OptionalInt.empty());
    }

    /** An owning height-sharded buffer of {@code pagesPerShard} pages per core, default direction. */
    static Buffer sharded(IDevice device, CoreRangeSet grid, int pagesPerShard, long pageSize, BufferType type) {
        return Buffer.create(device, (long) pagesPerShard * grid.numCores() * pageSize, pageSize, type,
                heightSharded(grid, pagesPerShard), Optional.empty(), OptionalInt.empty());
    }

    /** The same, with an explicit direction. */
    static Buffer sharded(IDevice device, CoreRangeSet grid, int pagesPerShard, long pageSize, BufferType type,
                          boolean bottomUp) {
        return Buffer.create(device, (long) pagesPerShard * grid.numCores() * pageSize, pageSize, type,
                heightSharded(grid, pagesPerShard), Optional.of(bottomUp), OptionalInt.empty());
    }

    static CoreRangeSet grid(int columns, int rows) {
        return CoreRangeSet.of(CoreRange.grid(columns, rows));
    }

    static CoreRangeSet core(int x, int y) {
        return CoreRangeSet.of(CoreRange.of(new CoreCoord(x, y)));
    }
}
