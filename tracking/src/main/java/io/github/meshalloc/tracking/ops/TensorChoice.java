package io.github.meshalloc.tracking.ops;

import com.google.common.base.Preconditions;
import io.github.meshalloc.allocator.BufferType;
import io.github.meshalloc.allocator.CoreRange;
import io.github.meshalloc.allocator.CoreRangeSet;
import io.github.meshalloc.allocator.TensorMemoryLayout;
import io.github.meshalloc.mesh.DeviceLocalBufferConfig;
import io.github.meshalloc.mesh.MeshBuffer;
import io.github.meshalloc.mesh.MeshBufferConfig;
import io.github.meshalloc.mesh.MeshDevice;
import io.github.meshalloc.mesh.MeshShape;
import io.github.meshalloc.mesh.ttnn.DataType;
import io.github.meshalloc.mesh.ttnn.DeviceLocalLayout;
import io.github.meshalloc.mesh.ttnn.Layout;
import io.github.meshalloc.mesh.ttnn.MeshMapper;
import io.github.meshalloc.mesh.ttnn.Shape;
import io.github.meshalloc.mesh.ttnn.ShardSpec;
import io.github.meshalloc.mesh.ttnn.TensorMemoryConfig;
import io.github.meshalloc.mesh.ttnn.TensorSpec;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/**
 * One kind of tensor an operation can put on a mesh: a bf16 TILE tensor of a fixed shape, its memory config and how
 * it is spread over the mesh.
 *
 * <p>Models {@code ttnn.from_torch(t, dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT, device=mesh, memory_config=...,
 * mesh_mapper=...)}: ttnn computes the per-chip tensor spec and creates one replicated MeshBuffer of the per-chip size
 * (mesh.ttnn sizing). Pages are 2,048 B tiles; the presets' page counts sit at the bank-count edges of a Wormhole chip
 * (12 DRAM banks, 64 L1 banks) and include height-sharded and mesh-sharded layouts, and one tensor that lives on
 * sub-device 0 of a loaded sub-device manager.
 *
 * @param name        short name used in operation lines
 * @param shape       the global tensor shape
 * @param memory      the memory config
 * @param shardedOverMesh whether the mapper shards dims 0 and 1 over the mesh rows and columns (else replicates)
 * @param onSubDevice whether the buffer goes to sub-device 0 of the mesh's loaded sub-device manager
 */
public record TensorChoice(String name, Shape shape, TensorMemoryConfig memory, boolean shardedOverMesh,
                           boolean onSubDevice) {

    /** Tile page size of a bf16 TILE tensor. */
    public static final long PAGE = 2048;

    public TensorChoice {
        Preconditions.checkNotNull(name, "name");
        Preconditions.checkNotNull(shape, "shape");
        Preconditions.checkNotNull(memory, "memory");
        Preconditions.checkArgument(!onSubDevice || memory.isSharded() && memory.bufferType() == BufferType.L1,
                "a tensor on a sub-device must be L1 sharded, got %s", memory);
    }

    private static TensorChoice replicated(String name, BufferType type, int h, int w) {
        return new TensorChoice(name, Shape.of(1, 1, h, w), TensorMemoryConfig.interleaved(type), false, false);
    }

    private static TensorMemoryConfig heightSharded(int columns, int rows, int shardHeight) {
        return TensorMemoryConfig.sharded(TensorMemoryLayout.HEIGHT_SHARDED, BufferType.L1,
                ShardSpec.of(CoreRangeSet.of(CoreRange.grid(columns, rows)), shardHeight, Layout.TILE_WIDTH));
    }

    /** One 2 KiB page in DRAM: fewer pages than banks. */
    public static final TensorChoice DRAM_1_PAGE = replicated("dram-1p", BufferType.DRAM, 32, 32);
    /** 12 pages: one per Wormhole DRAM bank. */
    public static final TensorChoice DRAM_12_PAGES = replicated("dram-12p", BufferType.DRAM, 32, 12 * 32);
    /** 13 pages: one bank takes a second page. */
    public static final TensorChoice DRAM_13_PAGES = replicated("dram-13p", BufferType.DRAM, 32, 13 * 32);
    /** 25 pages: three rounds over 12 banks, the last one short. */
    public static final TensorChoice DRAM_25_PAGES = replicated("dram-25p", BufferType.DRAM, 32, 25 * 32);
    /** 256 pages (512 KiB), the seeds' matmul-result size class. */
    public static final TensorChoice DRAM_512_KIB = replicated("dram-512k", BufferType.DRAM, 512, 512);
    /** One page in L1. */
    public static final TensorChoice L1_1_PAGE = replicated("l1-1p", BufferType.L1, 32, 32);
    /** 64 pages: one per L1 bank of an 8x8 compute grid. */
    public static final TensorChoice L1_64_PAGES = replicated("l1-64p", BufferType.L1, 32, 64 * 32);
    /** 65 pages: one L1 bank takes a second page. */
    public static final TensorChoice L1_65_PAGES = replicated("l1-65p", BufferType.L1, 32, 65 * 32);
    /** 8 pages height-sharded over a 2x2 core grid, 2 pages per core. */
    public static final TensorChoice L1_HEIGHT_SHARDED =
            new TensorChoice("l1-hs-2x2", Shape.of(1, 1, 256, 32), heightSharded(2, 2, 64), false, false);
    /** (4, 8, 32, 64) in DRAM, dims 0 and 1 sharded over mesh rows and columns: per-chip size shrinks with the mesh. */
    public static final TensorChoice DRAM_MESH_SHARDED = new TensorChoice("dram-mesh-sharded", Shape.of(4, 8, 32, 64),
            TensorMemoryConfig.DRAM_MEMORY_CONFIG, true, false);
    /** (4, 8, 32, 32) in L1, sharded over the mesh. */
    public static final TensorChoice L1_MESH_SHARDED = new TensorChoice("l1-mesh-sharded", Shape.of(4, 8, 32, 32),
            TensorMemoryConfig.L1_MEMORY_CONFIG, true, false);
    /** 4 pages height-sharded over a 2x2 grid inside sub-device 0 of a loaded sub-device manager. */
    public static final TensorChoice L1_SUB_DEVICE = new TensorChoice("l1-subdev-2x2", Shape.of(1, 1, 128, 32),
            heightSharded(2, 2, 32), false, true);

    /** Every preset, simplest first (argument shrinking moves toward the front). */
    public static final List<TensorChoice> ALL = List.of(DRAM_1_PAGE, DRAM_12_PAGES, DRAM_13_PAGES, DRAM_25_PAGES,
            L1_1_PAGE, L1_64_PAGES, L1_65_PAGES, L1_HEIGHT_SHARDED, DRAM_MESH_SHARDED, L1_MESH_SHARDED,
            DRAM_512_KIB, L1_SUB_DEVICE);

    /** The mapper ttnn is given. */
    public MeshMapper mapper() {
        return shardedOverMesh ? MeshMapper.ShardTensor2d.shard(0, 1) : new MeshMapper.ReplicateTensorToMesh();
    }

    /** What each chip of a mesh of {@code shape} allocates. */
    public DeviceLocalLayout layout(MeshShape meshShape) {
        TensorSpec spec = TensorSpec.of(shape, DataType.BFLOAT16, Layout.TILE).withMemoryConfig(memory);
        return spec.meshBufferConfig(mapper(), meshShape.rows(), meshShape.columns());
    }

    /** Pages per chip on a mesh of {@code shape}. */
    public long pagesPerChip(MeshShape meshShape) {
        return pages(layout(meshShape));
    }

    /** Pages per chip of a computed layout. */
    static long pages(DeviceLocalLayout layout) {
        return layout.sizeBytes() / layout.pageSizeBytes();
    }

    /**
     * Puts the tensor on {@code mesh}: one replicated MeshBuffer of the per-chip size, as ttnn's
     * {@code allocate_mesh_buffer_on_device} does.
     */
    public MeshBuffer create(MeshDevice mesh) {
        return create(mesh, layout(mesh.shape()));
    }

    /** {@link #create(MeshDevice)} with the layout already computed ({@code layout(mesh.shape())}). */
    MeshBuffer create(MeshDevice mesh, DeviceLocalLayout local) {
        return MeshBuffer.create(new MeshBufferConfig.Replicated(local.sizeBytes()),
                new DeviceLocalBufferConfig(local.pageSizeBytes(), local.bufferType(), local.shardingArgs(),
                        Optional.empty(), onSubDevice ? OptionalInt.of(0) : OptionalInt.empty()), mesh);
    }

    /** The shape as Python writes it. */
    public String pythonShape() {
        return "(" + shape.dims().stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")";
    }

    /** The memory config as ttnn Python writes it. */
    public String pythonMemoryConfig() {
        if (!memory.isSharded()) {
            return memory.bufferType() == BufferType.DRAM ? "ttnn.DRAM_MEMORY_CONFIG" : "ttnn.L1_MEMORY_CONFIG";
        }
        ShardSpec spec = memory.shardSpec().orElseThrow();
        CoreRange range = spec.grid().ranges().get(0);
        return "ttnn.create_sharded_memory_config((" + spec.shardHeight() + ", " + spec.shardWidth()
                + "), core_grid=ttnn.CoreGrid(y=" + (range.end().y() + 1) + ", x=" + (range.end().x() + 1)
                + "), strategy=ttnn.ShardStrategy.HEIGHT, use_height_and_width_as_shard_shape=True)";
    }

    @Override
    public String toString() {
        return name;
    }
}
