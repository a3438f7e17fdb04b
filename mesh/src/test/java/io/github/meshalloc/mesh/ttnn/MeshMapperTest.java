package io.github.meshalloc.mesh.ttnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.allocator.BufferShardingArgs;
import io.github.meshalloc.allocator.BufferType;
import io.github.meshalloc.allocator.CoreRange;
import io.github.meshalloc.allocator.CoreRangeSet;
import io.github.meshalloc.allocator.TensorMemoryLayout;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class MeshMapperTest {

    /** {@code MeshMapperConfig([PlacementShard(0), PlacementShard(1)], MeshShape(2, 4))}, as the mesh test builds it. */
    private static final MeshMapper SHARD_0_1 = MeshMapper.ShardTensor2d.shard(0, 1);

    private static TensorSpec bf16Tile(int... dims) {
        return TensorSpec.of(Shape.of(dims), DataType.BFLOAT16, Layout.TILE);
    }

    private static IllegalArgumentException fails(Runnable call) {
        return assertThrows(IllegalArgumentException.class, call::run);
    }

    private static void assertMessage(IllegalArgumentException e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "expected <" + part + "> in: " + e.getMessage());
        }
    }

    /** allocation-server.md section 9: MUM/test_mesh_allocation.py on a 2x4 mesh. */
    @Nested
    class SectionNineScenario {

        @Test
        void tensorOneShardIs4MiBIn2048PagesOf2048Bytes() {
            TensorSpec global = bf16Tile(8, 8, 512, 512);
            TensorSpec perDevice = SHARD_0_1.perDeviceSpec(global, 2, 4);
            assertEquals(bf16Tile(4, 2, 512, 512), perDevice);
            assertEquals(8, SHARD_0_1.devicesWithData(global, 2, 4));

            DeviceLocalLayout layout = global.meshBufferConfig(SHARD_0_1, 2, 4);
            assertEquals(new DeviceLocalLayout(4_194_304L, 2_048L, BufferType.DRAM, BufferShardingArgs.INTERLEAVED),
                    layout);
            assertEquals(2_048L, layout.numPages());
        }

        @Test
        void matmulOperandShardsAreHalfAMebibyteAndTheResultOneMebibyte() {
            assertEquals(Shape.of(4, 2, 256, 128), SHARD_0_1.perDeviceSpec(bf16Tile(8, 8, 256, 128), 2, 4).shape());
            assertEquals(Shape.of(4, 2, 128, 256), SHARD_0_1.perDeviceSpec(bf16Tile(8, 8, 128, 256), 2, 4).shape());
            assertEquals(524_288L, bf16Tile(8, 8, 256, 128).meshBufferConfig(SHARD_0_1, 2, 4).sizeBytes());
            assertEquals(524_288L, bf16Tile(8, 8, 128, 256).meshBufferConfig(SHARD_0_1, 2, 4).sizeBytes());
            assertEquals(1_048_576L, bf16Tile(8, 8, 256, 256).meshBufferConfig(SHARD_0_1, 2, 4).sizeBytes());
        }

        @Test
        void peakTensorBytesPerDevice() {
            long big = bf16Tile(8, 8, 512, 512).meshBufferConfig(SHARD_0_1, 2, 4).sizeBytes();
            long a = bf16Tile(8, 8, 256, 128).meshBufferConfig(SHARD_0_1, 2, 4).sizeBytes();
            long b = bf16Tile(8, 8, 128, 256).meshBufferConfig(SHARD_0_1, 2, 4).sizeBytes();
            long result = bf16Tile(8, 8, 256, 256).meshBufferConfig(SHARD_0_1, 2, 4).sizeBytes();
            // tensor1, tensor2, result_add, dist_a, dist_b, result_matmul
            assertEquals(14_680_064L, 3 * big + a + b + result);
        }
    }

    @Nested
    class Mappers {

        @Test
        void replicationGivesEveryDeviceTheWholeTensor() {
            MeshMapper replicate = new MeshMapper.ReplicateTensorToMesh();
            TensorSpec global = bf16Tile(1, 1, 30, 30);
            assertSame(global, replicate.perDeviceSpec(global, 2, 4));
            assertEquals(8, replicate.devicesWithData(global, 2, 4));
            assertEquals(2_048L, global.meshBufferConfig(replicate, 2, 4).sizeBytes());
            assertEquals(List.of(Placement.replicate()), replicate.placements());
        }

        @Test
        void twoReplicatePlacementsAlsoReplicate() {
            MeshMapper mapper = MeshMapper.ShardTensor2d.of(OptionalInt.empty(), OptionalInt.empty());
            TensorSpec global = bf16Tile(1, 1, 64, 64);
            assertEquals(global, mapper.perDeviceSpec(global, 2, 4));
            assertEquals(8, mapper.devicesWithData(global, 2, 4));
        }

        @Test
        void replicateRowsShardColumns() {
            MeshMapper.ShardTensor2d mapper = MeshMapper.ShardTensor2d.of(OptionalInt.empty(), OptionalInt.of(3));
            TensorSpec global = bf16Tile(1, 1, 64, 512);
            assertEquals(Shape.of(1, 1, 64, 128), mapper.perDeviceSpec(global, 2, 4).shape());
            assertEquals(8, mapper.devicesWithData(global, 2, 4));
            assertEquals(8L * 2_048, global.meshBufferConfig(mapper, 2, 4).sizeBytes());
            assertEquals(OptionalInt.empty(), mapper.rowDim());
            assertEquals(OptionalInt.of(3), mapper.colDim());
            assertEquals(List.of(Placement.replicate(), Placement.shard(3)), mapper.placements());
            assertEquals("ShardTensor2d(MeshMapperConfig([PlacementReplicate(), PlacementShard(3)]))",
                    mapper.toString());
        }

        @Test
        void shardTensorToMeshCutsOneDimensionOverAllDevices() {
            TensorSpec global = bf16Tile(1, 1, 32, 1024);
            MeshMapper mapper = new MeshMapper.ShardTensorToMesh(3);
            assertEquals(Shape.of(1, 1, 32, 128), mapper.perDeviceSpec(global, 2, 4).shape());
            assertEquals(8, mapper.devicesWithData(global, 2, 4));
            assertEquals(4L * 2_048, global.meshBufferConfig(mapper, 2, 4).sizeBytes());
            assertEquals(mapper.perDeviceSpec(global, 2, 4),
                    new MeshMapper.ShardTensorToMesh(-1).perDeviceSpec(global, 2, 4));
        }

        @Test
        void negativePlacementDimsCountFromTheInnermost() {
            TensorSpec global = bf16Tile(8, 8, 512, 512);
            assertEquals(SHARD_0_1.perDeviceSpec(global, 2, 4),
                    MeshMapper.ShardTensor2d.shard(-4, -3).perDeviceSpec(global, 2, 4));
        }

        @Test
        void eachShardIsPaddedOnItsOwn() {
            TensorSpec global = bf16Tile(1, 1, 32, 400);
            assertEquals(13L * 2_048, global.bufferSizeBytes());
            TensorSpec perDevice = new MeshMapper.ShardTensorToMesh(3).perDeviceSpec(global, 2, 4);
            assertEquals(Shape.of(1, 1, 32, 50), perDevice.shape());
            assertEquals(Shape.of(1, 1, 32, 64), perDevice.paddedShape());
            assertEquals(2L * 2_048, perDevice.bufferSizeBytes());
        }

        @Test
        void perDeviceSpecKeepsTheGlobalMemoryConfigDataTypeAndLayout() {
            TensorSpec global = new TensorSpec(Shape.of(2, 4, 64, 64), DataType.BFLOAT8_B, Layout.TILE,
                    TensorMemoryConfig.L1_MEMORY_CONFIG);
            TensorSpec perDevice = SHARD_0_1.perDeviceSpec(global, 2, 4);
            assertEquals(new TensorSpec(Shape.of(1, 1, 64, 64), DataType.BFLOAT8_B, Layout.TILE,
                    TensorMemoryConfig.L1_MEMORY_CONFIG), perDevice);
            assertEquals(new DeviceLocalLayout(4L * 1_088, 1_088L, BufferType.L1, BufferShardingArgs.INTERLEAVED),
                    global.meshBufferConfig(SHARD_0_1, 2, 4));
        }

        @Test
        void oneDimensionalShardingMayLeaveDevicesWithoutData() {
            MeshMapper mapper = new MeshMapper.ShardTensorToMesh(0);
            TensorSpec six = bf16Tile(6, 1, 32, 32);
            assertEquals(Shape.of(1, 1, 32, 32), mapper.perDeviceSpec(six, 2, 4).shape());
            assertEquals(6, mapper.devicesWithData(six, 2, 4));
            // ceil(10 / 8) = 2 -> five equal chunks of 2 for eight devices
            TensorSpec ten = bf16Tile(10, 1, 32, 32);
            assertEquals(Shape.of(2, 1, 32, 32), mapper.perDeviceSpec(ten, 2, 4).shape());
            assertEquals(5, mapper.devicesWithData(ten, 2, 4));
        }
    }

    @Nested
    class Validation {

        @Test
        void twoDimensionalShardingNeedsOneChunkPerMeshColumn() {
            // 6 over 4 columns: chunks of ceil(6/4) = 2 -> only 3 chunks
            IllegalArgumentException e = fails(() -> SHARD_0_1.perDeviceSpec(bf16Tile(8, 6, 32, 32), 2, 4));
            assertMessage(e, "tensor dim 1 of extent 6", "gives 3 chunks for 4 mesh columns",
                    "the extent must be divisible by 4");
        }

        @Test
        void twoDimensionalShardingRejectsUnevenShards() {
            // 7 over 4 columns: chunks 2, 2, 2, 1
            IllegalArgumentException e = fails(() -> SHARD_0_1.perDeviceSpec(bf16Tile(8, 7, 32, 32), 2, 4));
            assertMessage(e, "tensor dim 1 of extent 7 over 4 mesh columns gives chunks of 2 and a last chunk of 1",
                    "Shard shape mismatch", "must be divisible by 4");
        }

        @Test
        void rowsAreCheckedToo() {
            IllegalArgumentException e = fails(() -> SHARD_0_1.perDeviceSpec(bf16Tile(3, 8, 32, 32), 2, 4));
            assertMessage(e, "tensor dim 0 of extent 3 over 2 mesh rows gives chunks of 2 and a last chunk of 1");
        }

        @Test
        void oneDimensionalShardingRejectsUnevenShards() {
            MeshMapper mapper = new MeshMapper.ShardTensorToMesh(1);
            IllegalArgumentException e = fails(() -> mapper.devicesWithData(bf16Tile(1, 7, 32, 32), 1, 4));
            assertMessage(e, "ShardTensorToMesh(dim=1)", "tensor dim 1 of extent 7 over 4 devices",
                    "last chunk of 1", "divisible by 4 or be a multiple of 2");
        }

        @Test
        void placementDimOutOfRange() {
            IllegalArgumentException e = fails(
                    () -> MeshMapper.ShardTensor2d.shard(4, 1).perDeviceSpec(bf16Tile(8, 8, 32, 32), 2, 4));
            assertMessage(e, "PlacementShard(4) over the mesh rows names tensor dim 4",
                    "out of range for rank-4 tensor", "allowed dims: -4..3");
            e = fails(() -> new MeshMapper.ShardTensorToMesh(-5).perDeviceSpec(bf16Tile(8, 8, 32, 32), 2, 4));
            assertMessage(e, "tensor dim -5", "allowed dims: -4..3");
        }

        @Test
        void aTensorDimCanBeShardedOverOneMeshDimensionOnly() {
            IllegalArgumentException e = fails(
                    () -> MeshMapper.ShardTensor2d.shard(3, -1).perDeviceSpec(bf16Tile(8, 8, 32, 256), 2, 4));
            assertMessage(e, "tensor dim 3 is sharded over both the mesh rows and the mesh columns");
        }

        @Test
        void meshMustHavePositiveSides() {
            TensorSpec global = bf16Tile(8, 8, 32, 32);
            assertMessage(fails(() -> SHARD_0_1.perDeviceSpec(global, 0, 4)),
                    "mesh shape (0, 4) must have at least 1 row and 1 column");
            assertMessage(fails(() -> new MeshMapper.ShardTensorToMesh(0).perDeviceSpec(global, 2, -1)),
                    "mesh shape (2, -1)");
            assertMessage(fails(() -> new MeshMapper.ReplicateTensorToMesh().devicesWithData(global, 0, 0)),
                    "mesh shape (0, 0)");
        }

        @Test
        void anEmptyShardedDimensionYieldsNoChunk() {
            IllegalArgumentException e = fails(
                    () -> new MeshMapper.ShardTensorToMesh(0).perDeviceSpec(bf16Tile(0, 32), 1, 2));
            assertMessage(e, "tensor dim 0 of Shape([0, 32]) has extent 0");
        }

        @Test
        void thePerDeviceSpecMustStillFitItsShardSpec() {
            CoreRangeSet eight = CoreRangeSet.of(CoreRange.grid(8, 1));
            TensorSpec global = bf16Tile(1, 1, 256, 64).withMemoryConfig(TensorMemoryConfig.sharded(
                    TensorMemoryLayout.HEIGHT_SHARDED, BufferType.L1, ShardSpec.of(eight, 32, 64)));
            IllegalArgumentException e = fails(
                    () -> new MeshMapper.ShardTensorToMesh(3).perDeviceSpec(global, 1, 2));
            assertMessage(e, "shard width 64 must equal the physical width 32");
        }
    }

    @Test
    void replicationChecksTheMeshShapeAndPrintsLikeTtnn() {
        MeshMapper replicate = new MeshMapper.ReplicateTensorToMesh();
        TensorSpec spec = TensorSpec.of(Shape.of(32, 32), DataType.BFLOAT16, Layout.TILE);
        assertSame(spec, replicate.perDeviceSpec(spec, 2, 4));
        assertThrows(IllegalArgumentException.class, () -> replicate.perDeviceSpec(spec, 0, 4));
        assertThrows(IllegalArgumentException.class, () -> replicate.perDeviceSpec(spec, 2, 0));
        assertEquals("ReplicateTensorToMesh()", replicate.toString());
    }
}
