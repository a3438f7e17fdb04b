package io.github.meshalloc.mesh.ttnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.allocator.BufferShardingArgs;
import io.github.meshalloc.allocator.BufferType;
import io.github.meshalloc.allocator.CoreCoord;
import io.github.meshalloc.allocator.CoreRange;
import io.github.meshalloc.allocator.CoreRangeSet;
import io.github.meshalloc.allocator.ShardOrientation;
import io.github.meshalloc.allocator.ShardSpecBuffer;
import io.github.meshalloc.allocator.TensorMemoryLayout;
import org.junit.jupiter.api.Test;

class TensorSpecTest {

    private static TensorSpec tile(DataType dtype, int... dims) {
        return TensorSpec.of(Shape.of(dims), dtype, Layout.TILE);
    }

    private static TensorSpec rowMajor(DataType dtype, int... dims) {
        return TensorSpec.of(Shape.of(dims), dtype, Layout.ROW_MAJOR);
    }

    // --- the section-9 shard and plain interleaved tensors --------------------------------------------------------

    @Test
    void sectionNineShardIs2048TilesOf2048Bytes() {
        TensorSpec spec = tile(DataType.BFLOAT16, 4, 2, 512, 512);
        assertEquals(Shape.of(4, 2, 512, 512), spec.paddedShape());
        assertEquals(4L * 2 * 512, spec.physicalHeight());
        assertEquals(512L, spec.physicalWidth());
        assertEquals(2_048L, spec.pageSizeBytes());
        assertEquals(2_048L, spec.numPages());
        assertEquals(4_194_304L, spec.bufferSizeBytes());
        assertEquals(BufferType.DRAM, spec.bufferType());
        assertEquals(BufferShardingArgs.INTERLEAVED, spec.bufferShardingArgs());
        assertEquals(new DeviceLocalLayout(4_194_304L, 2_048L, BufferType.DRAM, BufferShardingArgs.INTERLEAVED),
                spec.meshBufferConfig());
        assertEquals(2_048L, spec.meshBufferConfig().numPages());
    }

    @Test
    void defaultMemoryConfigIsDramInterleaved() {
        assertEquals(TensorMemoryConfig.DRAM_MEMORY_CONFIG, tile(DataType.BFLOAT16, 32, 32).memoryConfig());
    }

    @Test
    void l1InterleavedTensorGetsAnL1Buffer() {
        TensorSpec spec = tile(DataType.FLOAT32, 1, 1, 64, 64).withMemoryConfig(TensorMemoryConfig.L1_MEMORY_CONFIG);
        assertEquals(BufferType.L1, spec.bufferType());
        assertEquals(new DeviceLocalLayout(4 * 4_096L, 4_096L, BufferType.L1, BufferShardingArgs.INTERLEAVED),
                spec.meshBufferConfig());
    }

    // --- TILE padding ---------------------------------------------------------------------------------------------

    @Test
    void a30x30Bfloat16TensorIsOnePaddedTile() {
        TensorSpec spec = tile(DataType.BFLOAT16, 1, 1, 30, 30);
        assertEquals(Shape.of(1, 1, 32, 32), spec.paddedShape());
        assertEquals(1L, spec.numPages());
        assertEquals(2_048L, spec.pageSizeBytes());
        assertEquals(2_048L, spec.bufferSizeBytes());
    }

    @Test
    void onlyTheLastTwoDimensionsArePaddedAndOuterOnesMultiplyThePaddedHeight() {
        TensorSpec spec = tile(DataType.BFLOAT16, 2, 3, 33, 65);
        assertEquals(Shape.of(2, 3, 64, 96), spec.paddedShape());
        assertEquals(2L * 3 * 64, spec.physicalHeight());
        assertEquals(96L, spec.physicalWidth());
        assertEquals(6L * 2 * 3, spec.numPages());
        assertEquals(36L * 2_048, spec.bufferSizeBytes());
    }

    @Test
    void rankOneAndRankZeroTileTensorsStillFillAWholeTile() {
        TensorSpec vector = tile(DataType.BFLOAT16, 30);
        assertEquals(Shape.of(32), vector.paddedShape());
        assertEquals(32L, vector.physicalHeight());
        assertEquals(32L, vector.physicalWidth());
        assertEquals(2_048L, vector.bufferSizeBytes());

        TensorSpec scalar = tile(DataType.FLOAT32);
        assertEquals(Shape.of(), scalar.paddedShape());
        assertEquals(1L, scalar.numPages());
        assertEquals(4_096L, scalar.bufferSizeBytes());
    }

    @Test
    void bfloat8TilesAre1088Bytes() {
        TensorSpec spec = tile(DataType.BFLOAT8_B, 1, 1, 64, 64);
        assertEquals(1_088L, spec.pageSizeBytes());
        assertEquals(4L, spec.numPages());
        assertEquals(4L * 1_088, spec.bufferSizeBytes());
        TensorSpec padded = tile(DataType.BFLOAT8_B, 1, 1, 1, 33);
        assertEquals(2L * 1_088, padded.bufferSizeBytes());
        assertEquals(576L, tile(DataType.BFLOAT4_B, 1, 1, 32, 32).bufferSizeBytes());
    }

    @Test
    void emptyTileTensorHasNoPages() {
        TensorSpec spec = tile(DataType.BFLOAT16, 0, 64);
        assertEquals(0L, spec.numPages());
        assertEquals(0L, spec.bufferSizeBytes());
        assertEquals(2_048L, spec.pageSizeBytes());
    }

    // --- ROW_MAJOR ------------------------------------------------------------------------------------------------

    @Test
    void rowMajorPageIsOneRowOfTheLastDimension() {
        TensorSpec spec = rowMajor(DataType.BFLOAT16, 2, 3, 5, 7);
        assertEquals(Shape.of(2, 3, 5, 7), spec.paddedShape());
        assertEquals(1, spec.pageHeight());
        assertEquals(7, spec.pageWidth());
        assertEquals(14L, spec.pageSizeBytes());
        assertEquals(30L, spec.numPages());
        assertEquals(420L, spec.bufferSizeBytes());
    }

    @Test
    void rowMajorPageSizesFollowTheElementSize() {
        assertEquals(400L, rowMajor(DataType.FLOAT32, 10, 100).pageSizeBytes());
        assertEquals(10L, rowMajor(DataType.FLOAT32, 10, 100).numPages());
        assertEquals(5L, rowMajor(DataType.UINT8, 3, 5).pageSizeBytes());
        assertEquals(64L, rowMajor(DataType.BFLOAT8_B, 2, 16).pageSizeBytes());
    }

    @Test
    void emptyRowMajorTensorGetsAFourBytePage() {
        TensorSpec spec = rowMajor(DataType.BFLOAT16, 4, 0);
        assertEquals(2, spec.pageWidth());
        assertEquals(4L, spec.pageSizeBytes());
        assertEquals(0L, spec.bufferSizeBytes());
        assertEquals(4L, rowMajor(DataType.UINT8, 0).pageSizeBytes());
    }

    @Test
    void blockFloatsCannotGoToADeviceInRowMajor() {
        TensorSpec spec = rowMajor(DataType.BFLOAT8_B, 2, 16);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, spec::meshBufferConfig);
        assertTrue(e.getMessage().contains("data type BFLOAT8_B can be put on a device only in TILE layout, not "
                + "ROW_MAJOR"), e.getMessage());
    }

    // --- sharded --------------------------------------------------------------------------------------------------

    private static final CoreRangeSet EIGHT_CORES = CoreRangeSet.of(CoreRange.grid(8, 1));

    @Test
    void heightShardedTileTensorMapsToAShardSpecBuffer() {
        ShardSpec shard = ShardSpec.of(EIGHT_CORES, 32, 64);
        TensorSpec spec = tile(DataType.BFLOAT16, 1, 1, 256, 64)
                .withMemoryConfig(TensorMemoryConfig.sharded(TensorMemoryLayout.HEIGHT_SHARDED, BufferType.L1, shard));
        ShardSpecBuffer expected = new ShardSpecBuffer(EIGHT_CORES, 32, 64, ShardOrientation.ROW_MAJOR, 32, 32, 8, 2);
        assertEquals(BufferShardingArgs.sharded(TensorMemoryLayout.HEIGHT_SHARDED, expected), spec.bufferShardingArgs());
        assertEquals(2L, expected.numPagesPerShard());
        DeviceLocalLayout layout = spec.meshBufferConfig();
        assertEquals(16L * 2_048, layout.sizeBytes());
        assertEquals(2_048L, layout.pageSizeBytes());
        assertEquals(BufferType.L1, layout.bufferType());
    }

    @Test
    void widthShardedRowMajorTensorPadsItsWidthToTheShardWidth() {
        CoreRangeSet four = CoreRangeSet.of(CoreRange.grid(4, 1));
        TensorSpec spec = rowMajor(DataType.BFLOAT16, 4, 100).withMemoryConfig(TensorMemoryConfig.sharded(
                TensorMemoryLayout.WIDTH_SHARDED, BufferType.L1, ShardSpec.of(four, 4, 32)));
        assertEquals(Shape.of(4, 128), spec.paddedShape());
        assertEquals(128L, spec.physicalWidth());
        assertEquals(32, spec.pageWidth());
        assertEquals(64L, spec.pageSizeBytes());
        assertEquals(16L, spec.numPages());
        assertEquals(1_024L, spec.bufferSizeBytes());
        ShardSpecBuffer expected = new ShardSpecBuffer(four, 4, 32, ShardOrientation.ROW_MAJOR, 1, 32, 4, 4);
        assertEquals(BufferShardingArgs.sharded(TensorMemoryLayout.WIDTH_SHARDED, expected), spec.bufferShardingArgs());
    }

    @Test
    void blockShardedTensorOnASquareGrid() {
        CoreRangeSet grid = CoreRangeSet.of(CoreRange.grid(2, 2));
        TensorSpec spec = tile(DataType.BFLOAT16, 1, 1, 128, 128).withMemoryConfig(TensorMemoryConfig.sharded(
                TensorMemoryLayout.BLOCK_SHARDED, BufferType.L1, ShardSpec.of(grid, 64, 64)));
        ShardSpecBuffer expected = new ShardSpecBuffer(grid, 64, 64, ShardOrientation.ROW_MAJOR, 32, 32, 4, 4);
        assertEquals(BufferShardingArgs.sharded(TensorMemoryLayout.BLOCK_SHARDED, expected), spec.bufferShardingArgs());
        assertEquals(16L * 2_048, spec.meshBufferConfig().sizeBytes());
    }

    @Test
    void heightShardWidthMustEqualThePhysicalWidth() {
        TensorMemoryConfig config = TensorMemoryConfig.sharded(TensorMemoryLayout.HEIGHT_SHARDED, BufferType.L1,
                ShardSpec.of(EIGHT_CORES, 32, 32));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TensorSpec(Shape.of(1, 1, 256, 64), DataType.BFLOAT16, Layout.TILE, config));
        assertTrue(e.getMessage().contains("shard width 32 must equal the physical width 64"), e.getMessage());
    }

    @Test
    void heightShardsMustNotOutnumberTheCores() {
        TensorMemoryConfig config = TensorMemoryConfig.sharded(TensorMemoryLayout.HEIGHT_SHARDED, BufferType.L1,
                ShardSpec.of(EIGHT_CORES, 32, 64));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TensorSpec(Shape.of(1, 1, 288, 64), DataType.BFLOAT16, Layout.TILE, config));
        assertTrue(e.getMessage().contains("9 shards along the height"), e.getMessage());
        assertTrue(e.getMessage().contains("exceed the 8 cores"), e.getMessage());
    }

    @Test
    void blockShardsMustFitTheGridRowsInRowMajorOrientation() {
        CoreRangeSet twoColumnsOneRow = CoreRangeSet.of(CoreRange.grid(2, 1));
        TensorMemoryConfig config = TensorMemoryConfig.sharded(TensorMemoryLayout.BLOCK_SHARDED, BufferType.L1,
                ShardSpec.of(twoColumnsOneRow, 64, 64));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TensorSpec(Shape.of(1, 1, 128, 128), DataType.BFLOAT16, Layout.TILE, config));
        assertTrue(e.getMessage().contains("2 shards along the height exceed the 1 grid rows"), e.getMessage());
    }

    @Test
    void blockShardingNeedsOneRectangle() {
        CoreRangeSet twoPieces = new CoreRangeSet(java.util.List.of(
                CoreRange.of(new CoreCoord(0, 0)), CoreRange.of(new CoreCoord(3, 3))));
        TensorMemoryConfig config = TensorMemoryConfig.sharded(TensorMemoryLayout.BLOCK_SHARDED, BufferType.L1,
                ShardSpec.of(twoPieces, 32, 32));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TensorSpec(Shape.of(32, 32), DataType.BFLOAT16, Layout.TILE, config));
        assertTrue(e.getMessage().contains("the shard grid must be one rectangle, got 2 ranges"), e.getMessage());
    }

    @Test
    void tileShardsMustBeWholeTilesOnTheDevice() {
        CoreRangeSet four = CoreRangeSet.of(CoreRange.grid(4, 1));
        TensorSpec spec = tile(DataType.BFLOAT16, 1, 1, 64, 64).withMemoryConfig(TensorMemoryConfig.sharded(
                TensorMemoryLayout.HEIGHT_SHARDED, BufferType.L1, ShardSpec.of(four, 16, 64)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, spec::meshBufferConfig);
        assertTrue(e.getMessage().contains("shard shape (16, 64) must be whole 32x32 tiles"), e.getMessage());
    }

    @Test
    void rowMajorShardRowsMustBeAMultipleOfFourBytes() {
        CoreRangeSet four = CoreRangeSet.of(CoreRange.grid(4, 1));
        TensorSpec spec = rowMajor(DataType.UINT8, 2, 12).withMemoryConfig(TensorMemoryConfig.sharded(
                TensorMemoryLayout.WIDTH_SHARDED, BufferType.L1, ShardSpec.of(four, 2, 3)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, spec::meshBufferConfig);
        assertTrue(e.getMessage().contains("shard row of 3 elements x 1 B = 3 B must be a multiple of 4 B"),
                e.getMessage());
    }

    @Test
    void deviceLocalLayoutRejectsBadSizes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DeviceLocalLayout(-1, 2_048, BufferType.DRAM, BufferShardingArgs.INTERLEAVED));
        assertTrue(e.getMessage().contains("size -1 B must not be negative"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new DeviceLocalLayout(0, 0, BufferType.DRAM, BufferShardingArgs.INTERLEAVED));
        assertTrue(e.getMessage().contains("page size 0 B must be positive"), e.getMessage());
    }

    // ---- Mutation-testing review: row-major shard rows, width and block shard limits ----

    private static CoreRangeSet box(int x0, int y0, int x1, int y1) {
        return CoreRangeSet.of(new CoreRange(new CoreCoord(x0, y0), new CoreCoord(x1, y1)));
    }

    @Test
    void aRowMajorShardRowOfTwoBfloat16IsFourBytesAndAllowed() {
        TensorSpec spec = rowMajor(DataType.BFLOAT16, 64, 2).withMemoryConfig(TensorMemoryConfig.sharded(
                TensorMemoryLayout.HEIGHT_SHARDED, BufferType.L1, ShardSpec.of(box(0, 0, 1, 0), 32, 2)));
        assertEquals(4L, spec.meshBufferConfig().pageSizeBytes());
        TensorSpec oneWide = rowMajor(DataType.BFLOAT16, 64, 1).withMemoryConfig(TensorMemoryConfig.sharded(
                TensorMemoryLayout.HEIGHT_SHARDED, BufferType.L1, ShardSpec.of(box(0, 0, 1, 0), 32, 1)));
        assertThrows(IllegalArgumentException.class, oneWide::meshBufferConfig);
    }

    @Test
    void widthShardingNeedsTheFullHeightAndEnoughCores() {
        CoreRangeSet four = box(0, 0, 3, 0);
        assertThrows(IllegalArgumentException.class, () -> tile(DataType.BFLOAT16, 32, 256).withMemoryConfig(
                TensorMemoryConfig.sharded(TensorMemoryLayout.WIDTH_SHARDED, BufferType.L1, ShardSpec.of(four, 32, 32)))
                .meshBufferConfig());
        assertThrows(IllegalArgumentException.class, () -> tile(DataType.BFLOAT16, 64, 128).withMemoryConfig(
                TensorMemoryConfig.sharded(TensorMemoryLayout.WIDTH_SHARDED, BufferType.L1, ShardSpec.of(four, 32, 32)))
                .meshBufferConfig());
    }

    @Test
    void blockShardLimitsComeFromTheGridsOwnRowsAndColumns() {
        CoreRangeSet twoByFour = box(1, 2, 2, 5); // 2 columns, 4 rows, not at the origin
        TensorSpec fits = tile(DataType.BFLOAT16, 128, 64).withMemoryConfig(TensorMemoryConfig.sharded(
                TensorMemoryLayout.BLOCK_SHARDED, BufferType.L1, ShardSpec.of(twoByFour, 32, 32)));
        assertEquals(8L, fits.meshBufferConfig().numPages());
        IllegalArgumentException wide = assertThrows(IllegalArgumentException.class,
                () -> tile(DataType.BFLOAT16, 128, 128).withMemoryConfig(TensorMemoryConfig.sharded(
                        TensorMemoryLayout.BLOCK_SHARDED, BufferType.L1, ShardSpec.of(twoByFour, 32, 32)))
                        .meshBufferConfig());
        assertTrue(wide.getMessage().contains("4 shards along the width exceed the 2 grid columns for ROW_MAJOR"),
                wide.getMessage());
        IllegalArgumentException tall = assertThrows(IllegalArgumentException.class,
                () -> tile(DataType.BFLOAT16, 256, 64).withMemoryConfig(TensorMemoryConfig.sharded(
                        TensorMemoryLayout.BLOCK_SHARDED, BufferType.L1, ShardSpec.of(twoByFour, 32, 32)))
                        .meshBufferConfig());
        assertTrue(tall.getMessage().contains("8 shards along the height exceed the 4 grid rows"), tall.getMessage());
        IllegalArgumentException colMajor = assertThrows(IllegalArgumentException.class,
                () -> tile(DataType.BFLOAT16, 128, 64).withMemoryConfig(TensorMemoryConfig.sharded(
                        TensorMemoryLayout.BLOCK_SHARDED, BufferType.L1,
                        new ShardSpec(twoByFour, 32, 32, ShardOrientation.COL_MAJOR))).meshBufferConfig());
        assertTrue(colMajor.getMessage().contains("exceed the 2 grid columns for COL_MAJOR"), colMajor.getMessage());
    }

    @Test
    void extentsAndPageCountsMayReachIntegerMaxValueButNotExceedIt() {
        int max = Integer.MAX_VALUE;
        assertEquals(Shape.of(1, max), rowMajor(DataType.UINT8, 1, max).paddedShape());
        // Height-sharded row-major pages are one row each: MAX_VALUE rows are MAX_VALUE pages, one more is too many.
        TensorSpec atLimit = rowMajor(DataType.UINT8, max, 4).withMemoryConfig(TensorMemoryConfig.sharded(
                TensorMemoryLayout.HEIGHT_SHARDED, BufferType.L1, ShardSpec.of(box(0, 0, 1, 0), 1 << 30, 4)));
        assertEquals(max, atLimit.bufferShardingArgs().shardSpec().orElseThrow().tensorHeightInPages());
        TensorSpec beyond = rowMajor(DataType.UINT8, 2, 1 << 30, 4).withMemoryConfig(TensorMemoryConfig.sharded(
                TensorMemoryLayout.HEIGHT_SHARDED, BufferType.L1, ShardSpec.of(box(0, 0, 1, 0), 1 << 30, 4)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, beyond::bufferShardingArgs);
        assertEquals("tensor height in pages 2147483648 does not fit a 32-bit ShardSpecBuffer field", e.getMessage());
    }
}
