package io.github.meshalloc.mesh.ttnn;

import com.google.common.base.Preconditions;
import java.util.List;
import java.util.OptionalInt;

/**
 * How a host tensor is split over the chips of a mesh: which per-device tensor each chip receives.
 *
 * <p>Models ttnn's {@code TensorToMesh} mappers ({@code ttnn/cpp/ttnn/distributed/distributed_tensor.cpp}), each of
 * which is a {@code MeshMapperConfig} (one {@link Placement} per dimension of a distribution shape):
 * <ul>
 *   <li>{@link ShardTensor2d}: {@code create_mesh_mapper(mesh, MeshMapperConfig([p0, p1], MeshShape(rows, cols)))},
 *       placements over the mesh rows and the mesh columns (the distribution shape is the device mesh itself);</li>
 *   <li>{@link ShardTensorToMesh}: {@code shard_tensor_to_mesh_mapper(mesh, dim)}, {@code [Shard(dim)]} over a 1-D
 *       distribution shape of all {@code rows x cols} devices;</li>
 *   <li>{@link ReplicateTensorToMesh}: {@code replicate_tensor_to_mesh_mapper(mesh)}, {@code [Replicate()]} over all
 *       devices.</li>
 * </ul>
 *
 * <p>ttnn cuts a tensor dimension of extent {@code s} into {@code n} chunks as {@code xtensor::chunk_ndim} does:
 * chunks of {@code ceil(s / n)} elements, the last one shorter, and as few chunks as that takes (so possibly fewer
 * than {@code n}). The mapper then insists that every shard has the same shape ("Shard shape mismatch"), and, for a
 * 2-D distribution shape, that the number of chunks equals the number of sharded devices. Consequences modelled here:
 * <ul>
 *   <li>for {@link ShardTensor2d}, every sharded extent must be divisible by its mesh side;</li>
 *   <li>for {@link ShardTensorToMesh}, the extent must be a multiple of {@code ceil(s / n)}: divisible by {@code n},
 *       or cut into fewer than {@code n} equal chunks, in which case only the first chunks' devices receive data
 *       ({@link #devicesWithData}). Every device still allocates the per-device buffer: ttnn creates one replicated
 *       MeshBuffer over the whole mesh [I, from {@code allocate_mesh_buffer_on_device} taking the mesh device];</li>
 *   <li>a mapper's tensor dimensions may be negative (counted from the innermost) and must be distinct.</li>
 * </ul>
 * (Older ttnn, whose {@code xtensor::chunk} preceded {@code chunk_ndim}, also rejected more chunks than the extent and
 * took no negative dimension; the rules above follow the {@code chunk_ndim} generation, which
 * {@code MeshMapperConfig} uses.)
 * The per-device spec keeps the global spec's data type, layout and memory config ({@code compute_tensor_spec_for_shards}
 * builds the shard spec from the global {@code TensorLayout}), so padding is applied per shard.
 * {@code mesh_shape_override} is not modelled: a 2-D mapper distributes over the device mesh's own shape.
 */
public sealed interface MeshMapper
        permits MeshMapper.ShardTensor2d, MeshMapper.ShardTensorToMesh, MeshMapper.ReplicateTensorToMesh {

    /**
     * The tensor spec every chip of a {@code meshRows x meshCols} mesh receives when this mapper distributes a tensor
     * of spec {@code global}.
     *
     * @throws IllegalArgumentException if the mesh has a side below 1, a placement's tensor dimension is out of range
     *                                  or repeated, or the shards would not all have the same shape
     */
    TensorSpec perDeviceSpec(TensorSpec global, int meshRows, int meshCols);

    /**
     * How many chips receive a shard of the tensor: the whole mesh, except for a {@link ShardTensorToMesh} whose
     * tensor dimension yields fewer chunks than chips.
     *
     * @throws IllegalArgumentException on the same conditions as {@link #perDeviceSpec}
     */
    int devicesWithData(TensorSpec global, int meshRows, int meshCols);

    /** The placements of the {@code MeshMapperConfig} this mapper stands for, one per distribution-shape dimension. */
    List<Placement> placements();

    /**
     * {@code create_mesh_mapper(mesh, MeshMapperConfig([rowPlacement, colPlacement], MeshShape(rows, cols)))}: the
     * first placement acts along the mesh rows, the second along the mesh columns. {@code ShardTensor2d.shard(0, 1)}
     * over a 2x4 mesh turns (8, 8, 512, 512) into (4, 2, 512, 512) per chip.
     *
     * @param rowPlacement what happens along the mesh rows
     * @param colPlacement what happens along the mesh columns
     */
    record ShardTensor2d(Placement rowPlacement, Placement colPlacement) implements MeshMapper {

        public ShardTensor2d {
            Preconditions.checkNotNull(rowPlacement, "rowPlacement");
            Preconditions.checkNotNull(colPlacement, "colPlacement");
        }

        /** Shard tensor dimension {@code rowDim} over the mesh rows and {@code colDim} over the mesh columns. */
        public static ShardTensor2d shard(int rowDim, int colDim) {
            return new ShardTensor2d(Placement.shard(rowDim), Placement.shard(colDim));
        }

        /** Shard over the mesh rows and/or columns; an empty dimension means replicate along that mesh axis. */
        public static ShardTensor2d of(OptionalInt rowDim, OptionalInt colDim) {
            Preconditions.checkNotNull(rowDim, "rowDim");
            Preconditions.checkNotNull(colDim, "colDim");
            return new ShardTensor2d(
                    rowDim.isPresent() ? Placement.shard(rowDim.getAsInt()) : Placement.replicate(),
                    colDim.isPresent() ? Placement.shard(colDim.getAsInt()) : Placement.replicate());
        }

        /** The tensor dimension sharded over the mesh rows, or empty when the rows replicate. */
        public OptionalInt rowDim() {
            return dimOf(rowPlacement);
        }

        /** The tensor dimension sharded over the mesh columns, or empty when the columns replicate. */
        public OptionalInt colDim() {
            return dimOf(colPlacement);
        }

        @Override
        public List<Placement> placements() {
            return List.of(rowPlacement, colPlacement);
        }

        @Override
        public TensorSpec perDeviceSpec(TensorSpec global, int meshRows, int meshCols) {
            return distribute(global, meshRows, meshCols).perDeviceSpec();
        }

        @Override
        public int devicesWithData(TensorSpec global, int meshRows, int meshCols) {
            return distribute(global, meshRows, meshCols).devicesWithData();
        }

        private MeshDistribution.Result distribute(TensorSpec global, int meshRows, int meshCols) {
            MeshDistribution.checkMesh(meshRows, meshCols);
            return MeshDistribution.distribute(toString(), global, new int[] {meshRows, meshCols}, placements(),
                    List.of("mesh rows", "mesh columns"));
        }

        private static OptionalInt dimOf(Placement placement) {
            return placement instanceof Placement.Shard shard ? OptionalInt.of(shard.dim()) : OptionalInt.empty();
        }

        @Override
        public String toString() {
            return "ShardTensor2d(MeshMapperConfig([" + rowPlacement + ", " + colPlacement + "]))";
        }
    }

    /**
     * {@code shard_tensor_to_mesh_mapper(mesh, dim)} / {@code ttnn.ShardTensorToMesh(mesh, dim)}: tensor dimension
     * {@code dim} cut into one chunk per chip, chips taken in row-major order over the whole mesh.
     *
     * @param dim the tensor dimension (negative counts from the innermost)
     */
    record ShardTensorToMesh(int dim) implements MeshMapper {

        @Override
        public List<Placement> placements() {
            return List.of(Placement.shard(dim));
        }

        @Override
        public TensorSpec perDeviceSpec(TensorSpec global, int meshRows, int meshCols) {
            return distribute(global, meshRows, meshCols).perDeviceSpec();
        }

        @Override
        public int devicesWithData(TensorSpec global, int meshRows, int meshCols) {
            return distribute(global, meshRows, meshCols).devicesWithData();
        }

        private MeshDistribution.Result distribute(TensorSpec global, int meshRows, int meshCols) {
            MeshDistribution.checkMesh(meshRows, meshCols);
            int devices = Math.multiplyExact(meshRows, meshCols);
            return MeshDistribution.distribute(toString(), global, new int[] {devices}, placements(),
                    List.of("devices"));
        }

        @Override
        public String toString() {
            return "ShardTensorToMesh(dim=" + dim + ")";
        }
    }

    /** {@code replicate_tensor_to_mesh_mapper(mesh)} / {@code ttnn.ReplicateTensorToMesh(mesh)}: every chip gets the whole tensor. */
    record ReplicateTensorToMesh() implements MeshMapper {

        @Override
        public List<Placement> placements() {
            return List.of(Placement.replicate());
        }

        @Override
        public TensorSpec perDeviceSpec(TensorSpec global, int meshRows, int meshCols) {
            Preconditions.checkNotNull(global, "global");
            MeshDistribution.checkMesh(meshRows, meshCols);
            return global;
        }

        @Override
        public int devicesWithData(TensorSpec global, int meshRows, int meshCols) {
            Preconditions.checkNotNull(global, "global");
            MeshDistribution.checkMesh(meshRows, meshCols);
            return Math.multiplyExact(meshRows, meshCols);
        }

        @Override
        public String toString() {
            return "ReplicateTensorToMesh()";
        }
    }
}
