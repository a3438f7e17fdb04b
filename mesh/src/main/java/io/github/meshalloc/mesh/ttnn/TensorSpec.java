package io.github.meshalloc.mesh.ttnn;

import com.google.common.base.Preconditions;
import io.github.meshalloc.allocator.BufferShardingArgs;
import io.github.meshalloc.allocator.BufferType;
import io.github.meshalloc.allocator.CoreRange;
import io.github.meshalloc.allocator.ShardOrientation;
import io.github.meshalloc.allocator.ShardSpecBuffer;
import io.github.meshalloc.allocator.TensorMemoryLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * A tensor's logical shape plus its layout: everything ttnn needs to size the tensor's device buffer.
 *
 * <p>Models {@code tt::tt_metal::TensorSpec} ({@code ttnn/cpp/ttnn/tensor/tensor_spec.cpp}) with its
 * {@code TensorLayout} (data type, page config, memory config; {@code layout/tensor_layout.cpp}) for the default
 * 32x32 tile and no custom alignment:
 * <ul>
 *   <li><b>Alignment.</b> TILE aligns the last two dimensions to 32; ROW_MAJOR aligns nothing, except that a WIDTH_
 *       or BLOCK_SHARDED row-major tensor aligns its width to the shard width ({@code create_default_alignment}).</li>
 *   <li><b>Physical shape</b> ({@code compute_physical_shape}): width = innermost extent rounded up to its alignment;
 *       height = product of all outer extents, rounded up to the alignment where one applies (for TILE: the
 *       second-innermost extent is rounded to 32 before the outer extents multiply it). Even rank 0 and 1 are aligned,
 *       so a 1-element TILE tensor is one full tile.</li>
 *   <li><b>Page shape</b> ({@code get_page_shape}): TILE: one 32x32 tile. ROW_MAJOR: one row {@code (1, physical
 *       width)}, or {@code (1, shard width)} for WIDTH_/BLOCK_SHARDED; an empty tensor gets a 4-byte page.</li>
 *   <li><b>Sizes</b> ({@code compute_page_size_bytes}, {@code compute_packed_buffer_size_bytes}): page size = tile
 *       size of the data type, or page width x row-major element size; buffer size = physical area / page area x page
 *       size.</li>
 * </ul>
 * The constructor runs ttnn's {@code validate_shard_spec_with_tensor_shape}; {@link #meshBufferConfig()} adds the
 * checks ttnn makes when the tensor goes to a device.
 *
 * @param shape        the logical shape
 * @param dtype        the element type
 * @param layout       TILE or ROW_MAJOR
 * @param memoryConfig where the buffer lives and how its pages are spread
 */
public record TensorSpec(Shape shape, DataType dtype, Layout layout, TensorMemoryConfig memoryConfig) {

    public TensorSpec {
        Preconditions.checkNotNull(shape, "shape");
        Preconditions.checkNotNull(dtype, "dtype");
        Preconditions.checkNotNull(layout, "layout");
        Preconditions.checkNotNull(memoryConfig, "memoryConfig");
        validateShardSpecWithTensorShape(shape, layout, memoryConfig);
    }

    /** A spec in ttnn's default memory config, {@link TensorMemoryConfig#DRAM_MEMORY_CONFIG}. */
    public static TensorSpec of(Shape shape, DataType dtype, Layout layout) {
        return new TensorSpec(shape, dtype, layout, TensorMemoryConfig.DRAM_MEMORY_CONFIG);
    }

    /** This spec with another logical shape (same data type, layout and memory config). */
    public TensorSpec withShape(Shape newShape) {
        return new TensorSpec(newShape, dtype, layout, memoryConfig);
    }

    /** This spec with another memory config. */
    public TensorSpec withMemoryConfig(TensorMemoryConfig newMemoryConfig) {
        return new TensorSpec(shape, dtype, layout, newMemoryConfig);
    }

    /**
     * The logical shape padded to the alignment ({@code compute_padded_shape}): for TILE the last two extents rounded
     * up to multiples of 32 (the last one only, for rank 1); for ROW_MAJOR unchanged, except the innermost extent
     * rounded up to the shard width for WIDTH_/BLOCK_SHARDED.
     */
    public Shape paddedShape() {
        return paddedShapeOf(shape, alignment(layout, memoryConfig));
    }

    /** Height of the 2-D physical view: rows of pages' worth of elements, outer dimensions folded in. */
    public long physicalHeight() {
        return physicalSize(shape, alignment(layout, memoryConfig))[0];
    }

    /** Width of the 2-D physical view: the aligned innermost extent. */
    public long physicalWidth() {
        return physicalSize(shape, alignment(layout, memoryConfig))[1];
    }

    /** Page height in elements: 32 for TILE, 1 for ROW_MAJOR. */
    public int pageHeight() {
        return pageShape()[0];
    }

    /** Page width in elements: 32 for TILE; the physical (or shard) width for ROW_MAJOR. */
    public int pageWidth() {
        return pageShape()[1];
    }

    /** Bytes in one page ({@code TensorSpec::compute_page_size_bytes}). */
    public long pageSizeBytes() {
        int[] page = pageShape();
        if (layout == Layout.TILE) {
            long tiles = (long) (page[0] / Layout.TILE_HEIGHT) * (page[1] / Layout.TILE_WIDTH);
            return tiles * dtype.tileSizeBytes();
        }
        return (long) page[0] * page[1] * dtype.rowMajorElementSizeBytes();
    }

    /** Pages in the buffer: physical area / page area (0 for an empty tensor). */
    public long numPages() {
        long[] physical = physicalSize(shape, alignment(layout, memoryConfig));
        long area = Math.multiplyExact(physical[0], physical[1]);
        if (area == 0) {
            return 0;
        }
        int[] page = pageShape();
        Preconditions.checkArgument(physical[0] % page[0] == 0 && physical[1] % page[1] == 0,
                "physical size (%s, %s) of %s is not a whole number of (%s, %s) pages",
                physical[0], physical[1], this, page[0], page[1]);
        return area / ((long) page[0] * page[1]);
    }

    /** Bytes of the packed device buffer ({@code TensorSpec::compute_packed_buffer_size_bytes}): pages x page size. */
    public long bufferSizeBytes() {
        return Math.multiplyExact(numPages(), pageSizeBytes());
    }

    /** The buffer type the device buffer is created with ({@code MemoryConfig::buffer_type}). */
    public BufferType bufferType() {
        return memoryConfig.bufferType();
    }

    /**
     * The sharding arguments the device buffer is created with ({@code TensorSpec::compute_buffer_sharding_args} via
     * {@code TensorLayout::compute_shard_spec_buffer}): INTERLEAVED with no spec, or the memory layout with a
     * {@link ShardSpecBuffer} holding the shard spec, the page shape and the tensor's 2-D shape in pages.
     */
    public BufferShardingArgs bufferShardingArgs() {
        if (!memoryConfig.isSharded()) {
            return BufferShardingArgs.INTERLEAVED;
        }
        ShardSpec spec = memoryConfig.shardSpec().orElseThrow();
        long[] physical = physicalSize(shape, alignment(layout, memoryConfig));
        int[] page = pageShape();
        Preconditions.checkArgument(physical[1] % page[1] == 0,
                "physical width %s of %s must be a multiple of page width %s", physical[1], this, page[1]);
        Preconditions.checkArgument(physical[0] % page[0] == 0,
                "physical height %s of %s must be a multiple of page height %s", physical[0], this, page[0]);
        ShardSpecBuffer buffer = new ShardSpecBuffer(spec.grid(), spec.shardHeight(), spec.shardWidth(),
                spec.orientation(), page[0], page[1],
                toIntPages(physical[0] / page[0], "height"), toIntPages(physical[1] / page[1], "width"));
        return BufferShardingArgs.sharded(memoryConfig.memoryLayout(), buffer);
    }

    /**
     * What ttnn's {@code allocate_mesh_buffer_on_device} builds for this spec when it is the per-device spec of a mesh
     * tensor: every chip allocates {@link #bufferSizeBytes()} in pages of {@link #pageSizeBytes()}.
     *
     * <p>First runs the checks ttnn makes when a tensor is put on a device: block floats only in TILE layout
     * ({@code validate_on_device_dtype_and_layout}); for sharded tensors, a TILE shard must be whole tiles and a
     * ROW_MAJOR shard row a multiple of 4 bytes ({@code validate_sharded_buffer_allocation}).
     *
     * @throws IllegalArgumentException if one of those checks fails
     */
    public DeviceLocalLayout meshBufferConfig() {
        validateForDevice();
        return new DeviceLocalLayout(bufferSizeBytes(), pageSizeBytes(), bufferType(), bufferShardingArgs());
    }

    /**
     * The MeshBuffer config of the tensor this global spec becomes when {@code mapper} distributes it over a
     * {@code meshRows x meshCols} mesh: {@code mapper.perDeviceSpec(this, meshRows, meshCols).meshBufferConfig()}.
     */
    public DeviceLocalLayout meshBufferConfig(MeshMapper mapper, int meshRows, int meshCols) {
        Preconditions.checkNotNull(mapper, "mapper");
        return mapper.perDeviceSpec(this, meshRows, meshCols).meshBufferConfig();
    }

    // ---------------------------------------------------------------------------------------------------------------

    private void validateForDevice() {
        Preconditions.checkArgument(!(dtype.isBlockFloat() && layout != Layout.TILE),
                "%s: data type %s can be put on a device only in TILE layout, not %s", this, dtype, layout);
        if (!memoryConfig.isSharded()) {
            return;
        }
        ShardSpec spec = memoryConfig.shardSpec().orElseThrow();
        if (layout == Layout.TILE) {
            Preconditions.checkArgument(
                    spec.shardHeight() % Layout.TILE_HEIGHT == 0 && spec.shardWidth() % Layout.TILE_WIDTH == 0,
                    "%s: shard shape (%s, %s) must be whole %sx%s tiles", this, spec.shardHeight(), spec.shardWidth(),
                    Layout.TILE_HEIGHT, Layout.TILE_WIDTH);
        } else {
            long rowBytes = (long) spec.shardWidth() * dtype.deviceElementSizeBytes();
            Preconditions.checkArgument(rowBytes % 4 == 0,
                    "%s: a ROW_MAJOR shard row of %s elements x %s B = %s B must be a multiple of 4 B",
                    this, spec.shardWidth(), dtype.deviceElementSizeBytes(), rowBytes);
        }
    }

    private int[] pageShape() {
        if (layout == Layout.TILE) {
            return new int[] {Layout.TILE_HEIGHT, Layout.TILE_WIDTH};
        }
        long[] physical = physicalSize(shape, alignment(layout, memoryConfig));
        if (physical[0] == 0 || physical[1] == 0) {
            return new int[] {1, 4 / dtype.rowMajorElementSizeBytes()};
        }
        if (memoryConfig.isSharded() && memoryConfig.memoryLayout() != TensorMemoryLayout.HEIGHT_SHARDED) {
            return new int[] {1, memoryConfig.shardSpec().orElseThrow().shardWidth()};
        }
        Preconditions.checkArgument(physical[1] <= Integer.MAX_VALUE,
                "%s: row-major page width %s does not fit a 32-bit page", this, physical[1]);
        return new int[] {1, (int) physical[1]};
    }

    private static int toIntPages(long pages, String what) {
        Preconditions.checkArgument(pages <= Integer.MAX_VALUE,
                "tensor %s in pages %s does not fit a 32-bit ShardSpecBuffer field", what, pages);
        return (int) pages;
    }

    /** The default alignment of {@code TilePageConfig}/{@code RowMajorPageConfig}, innermost last. */
    private static int[] alignment(Layout layout, TensorMemoryConfig memoryConfig) {
        if (layout == Layout.TILE) {
            return new int[] {Layout.TILE_HEIGHT, Layout.TILE_WIDTH};
        }
        if (memoryConfig.isSharded() && memoryConfig.memoryLayout() != TensorMemoryLayout.HEIGHT_SHARDED) {
            return new int[] {memoryConfig.shardSpec().orElseThrow().shardWidth()};
        }
        return new int[] {1};
    }

    private static long roundUp(long value, long multiple) {
        return multiple == 0 ? value : Math.multiplyExact((value + multiple - 1) / multiple, multiple);
    }

    /** {height, width} of the 2-D physical view. */
    private static long[] physicalSize(Shape shape, int[] alignment) {
        int rank = shape.rank();
        int alignmentRank = alignment.length;
        long width = 1;
        long height = 1;
        for (int i = -1; i >= -Math.max(rank, alignmentRank); i--) {
            long dim = i == -1 ? width : height;
            if (i >= -rank) {
                dim = Math.multiplyExact(dim, (long) shape.get(i));
            }
            if (i >= -alignmentRank) {
                dim = roundUp(dim, alignment[alignmentRank + i]);
            }
            if (i == -1) {
                width = dim;
            } else {
                height = dim;
            }
        }
        return new long[] {height, width};
    }

    private static Shape paddedShapeOf(Shape shape, int[] alignment) {
        int rank = shape.rank();
        List<Integer> padded = new ArrayList<>(shape.dims());
        // The alignment's innermost entries line up with the shape's innermost dimensions. With the default
        // alignments (rank <= 2) every aligned dimension is one of the last two, which are rounded up directly.
        for (int k = 1; k <= Math.min(rank, alignment.length); k++) {
            int index = rank - k;
            long rounded = roundUp(shape.dims().get(index), alignment[alignment.length - k]);
            Preconditions.checkArgument(rounded <= Integer.MAX_VALUE,
                    "padded extent %s of dimension %s of %s does not fit 32 bits", rounded, index, shape);
            padded.set(index, (int) rounded);
        }
        return new Shape(padded);
    }

    /** {@code validate_shard_spec_with_tensor_shape} from {@code tensor_spec.cpp}, for the PHYSICAL shard mode. */
    private static void validateShardSpecWithTensorShape(Shape shape, Layout layout, TensorMemoryConfig memoryConfig) {
        if (!memoryConfig.isSharded()) {
            return;
        }
        ShardSpec spec = memoryConfig.shardSpec().orElseThrow();
        long[] physical = physicalSize(shape, alignment(layout, memoryConfig));
        long height = physical[0];
        long width = physical[1];
        int cores = spec.numCores();
        switch (memoryConfig.memoryLayout()) {
            case HEIGHT_SHARDED -> {
                Preconditions.checkArgument(width == spec.shardWidth(),
                        "HEIGHT_SHARDED %s: shard width %s must equal the physical width %s",
                        shape, spec.shardWidth(), width);
                long shards = ceilDiv(height, spec.shardHeight());
                Preconditions.checkArgument(shards <= cores,
                        "HEIGHT_SHARDED %s: %s shards along the height (physical height %s / shard height %s) exceed "
                                + "the %s cores of the grid", shape, shards, height, spec.shardHeight(), cores);
            }
            case WIDTH_SHARDED -> {
                Preconditions.checkArgument(height == spec.shardHeight(),
                        "WIDTH_SHARDED %s: shard height %s must equal the physical height %s",
                        shape, spec.shardHeight(), height);
                long shards = ceilDiv(width, spec.shardWidth());
                Preconditions.checkArgument(shards <= cores,
                        "WIDTH_SHARDED %s: %s shards along the width (physical width %s / shard width %s) exceed "
                                + "the %s cores of the grid", shape, shards, width, spec.shardWidth(), cores);
            }
            case BLOCK_SHARDED -> {
                Preconditions.checkArgument(spec.grid().ranges().size() == 1,
                        "BLOCK_SHARDED %s: the shard grid must be one rectangle, got %s ranges",
                        shape, spec.grid().ranges().size());
                CoreRange box = spec.grid().ranges().get(0);
                int gridColumns = box.end().x() - box.start().x() + 1;
                int gridRows = box.end().y() - box.start().y() + 1;
                boolean rowMajor = spec.orientation() == ShardOrientation.ROW_MAJOR;
                long alongHeight = ceilDiv(height, spec.shardHeight());
                long alongWidth = ceilDiv(width, spec.shardWidth());
                int heightLimit = rowMajor ? gridRows : gridColumns;
                int widthLimit = rowMajor ? gridColumns : gridRows;
                Preconditions.checkArgument(alongHeight <= heightLimit,
                        "BLOCK_SHARDED %s: %s shards along the height exceed the %s grid %s for %s orientation",
                        shape, alongHeight, heightLimit, rowMajor ? "rows" : "columns", spec.orientation());
                Preconditions.checkArgument(alongWidth <= widthLimit,
                        "BLOCK_SHARDED %s: %s shards along the width exceed the %s grid %s for %s orientation",
                        shape, alongWidth, widthLimit, rowMajor ? "columns" : "rows", spec.orientation());
            }
            default -> throw new IllegalStateException("unexpected sharded layout " + memoryConfig.memoryLayout());
        }
    }

    private static long ceilDiv(long value, long divisor) {
        return (value + divisor - 1) / divisor;
    }
}
