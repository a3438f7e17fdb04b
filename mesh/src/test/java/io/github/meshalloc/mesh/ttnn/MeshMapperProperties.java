package io.github.meshalloc.mesh.ttnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Conservation of elements under distribution: sharding splits a tensor's elements over the devices without loss or
 * duplication; replication copies them to every device.
 */
class MeshMapperProperties {

    /** A shape of {@code rank} extents from {@code extents}, with the chosen dims multiplied so they divide evenly. */
    private static Shape shape(int rank, List<Integer> extents, int[] dims, int[] factors) {
        List<Integer> list = new ArrayList<>(extents.subList(0, rank));
        for (int i = 0; i < dims.length; i++) {
            list.set(dims[i], list.get(dims[i]) * factors[i]);
        }
        return new Shape(list);
    }

    private static long totalPerDeviceVolume(MeshMapper mapper, TensorSpec global, int rows, int cols) {
        return mapper.devicesWithData(global, rows, cols) * mapper.perDeviceSpec(global, rows, cols).shape().volume();
    }

    @Property
    void shardTensor2dSplitsTheVolumeExactly(
            @ForAll @IntRange(min = 1, max = 4) int rows,
            @ForAll @IntRange(min = 1, max = 4) int cols,
            @ForAll @IntRange(min = 2, max = 5) int rank,
            @ForAll @IntRange(min = 0, max = 99) int rowDimSeed,
            @ForAll @IntRange(min = 0, max = 99) int colDimSeed,
            @ForAll @Size(5) List<@IntRange(min = 1, max = 6) Integer> extents,
            @ForAll DataType dtype,
            @ForAll Layout layout) {
        int rowDim = rowDimSeed % rank;
        int colDim = (rowDim + 1 + colDimSeed % (rank - 1)) % rank;
        Shape shape = shape(rank, extents, new int[] {rowDim, colDim}, new int[] {rows, cols});
        TensorSpec global = TensorSpec.of(shape, dtype, layout);
        // negative spelling of the column dim must mean the same thing
        MeshMapper mapper = MeshMapper.ShardTensor2d.shard(rowDim, colDim - rank);

        assertEquals(rows * cols, mapper.devicesWithData(global, rows, cols));
        assertEquals(shape.volume(), totalPerDeviceVolume(mapper, global, rows, cols));
    }

    @Property
    void shardTensorToMeshSplitsTheVolumeExactly(
            @ForAll @IntRange(min = 1, max = 4) int rows,
            @ForAll @IntRange(min = 1, max = 4) int cols,
            @ForAll @IntRange(min = 1, max = 5) int rank,
            @ForAll @IntRange(min = 0, max = 99) int dimSeed,
            @ForAll @Size(5) List<@IntRange(min = 1, max = 6) Integer> extents,
            @ForAll DataType dtype,
            @ForAll Layout layout) {
        int dim = dimSeed % rank;
        Shape shape = shape(rank, extents, new int[] {dim}, new int[] {rows * cols});
        TensorSpec global = TensorSpec.of(shape, dtype, layout);
        MeshMapper mapper = new MeshMapper.ShardTensorToMesh(dim);

        assertEquals(rows * cols, mapper.devicesWithData(global, rows, cols));
        assertEquals(shape.volume(), totalPerDeviceVolume(mapper, global, rows, cols));
    }

    @Property
    void replicationMultipliesTheVolumeByTheMeshSize(
            @ForAll @IntRange(min = 1, max = 4) int rows,
            @ForAll @IntRange(min = 1, max = 4) int cols,
            @ForAll @IntRange(min = 0, max = 5) int rank,
            @ForAll @Size(5) List<@IntRange(min = 0, max = 6) Integer> extents,
            @ForAll DataType dtype,
            @ForAll Layout layout) {
        Shape shape = new Shape(extents.subList(0, rank));
        TensorSpec global = TensorSpec.of(shape, dtype, layout);
        for (MeshMapper mapper : List.of(new MeshMapper.ReplicateTensorToMesh(),
                MeshMapper.ShardTensor2d.of(OptionalInt.empty(), OptionalInt.empty()))) {
            assertEquals(global, mapper.perDeviceSpec(global, rows, cols));
            assertEquals((long) rows * cols * shape.volume(), totalPerDeviceVolume(mapper, global, rows, cols));
        }
    }

    @Property
    void shardingOneMeshAxisAndReplicatingTheOtherMultipliesByTheReplicatedSide(
            @ForAll @IntRange(min = 1, max = 4) int rows,
            @ForAll @IntRange(min = 1, max = 4) int cols,
            @ForAll @IntRange(min = 1, max = 5) int rank,
            @ForAll @IntRange(min = 0, max = 99) int dimSeed,
            @ForAll boolean shardRows,
            @ForAll @Size(5) List<@IntRange(min = 1, max = 6) Integer> extents) {
        int dim = dimSeed % rank;
        int shardedSide = shardRows ? rows : cols;
        int replicatedSide = shardRows ? cols : rows;
        Shape shape = shape(rank, extents, new int[] {dim}, new int[] {shardedSide});
        TensorSpec global = TensorSpec.of(shape, DataType.BFLOAT16, Layout.TILE);
        MeshMapper mapper = shardRows
                ? MeshMapper.ShardTensor2d.of(OptionalInt.of(dim), OptionalInt.empty())
                : MeshMapper.ShardTensor2d.of(OptionalInt.empty(), OptionalInt.of(dim));

        assertEquals((long) replicatedSide * shape.volume(), totalPerDeviceVolume(mapper, global, rows, cols));
    }

    @Property
    void bufferSizeIsPagesTimesPageSizeAndCoversTheData(
            @ForAll @IntRange(min = 0, max = 4) int rank,
            @ForAll @Size(4) List<@IntRange(min = 0, max = 70) Integer> extents,
            @ForAll DataType dtype,
            @ForAll Layout layout) {
        TensorSpec spec = TensorSpec.of(new Shape(extents.subList(0, rank)), dtype, layout);
        assertEquals(spec.numPages() * spec.pageSizeBytes(), spec.bufferSizeBytes());
        assertTrue(spec.paddedShape().volume() >= spec.shape().volume());
        if (layout == Layout.TILE) {
            assertEquals(0, spec.physicalHeight() % Layout.TILE_HEIGHT);
            assertEquals(0, spec.physicalWidth() % Layout.TILE_WIDTH);
            assertEquals(dtype.tileSizeBytes(), spec.pageSizeBytes());
        } else {
            assertEquals(spec.shape().volume() * dtype.rowMajorElementSizeBytes(), spec.bufferSizeBytes());
        }
    }
}
