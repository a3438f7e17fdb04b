package io.github.meshalloc.examples.story;

import io.github.meshalloc.mesh.DeviceLocalBufferConfig;
import io.github.meshalloc.mesh.MeshBuffer;
import io.github.meshalloc.mesh.MeshBufferConfig;
import io.github.meshalloc.mesh.MeshDevice;
import io.github.meshalloc.mesh.ttnn.DataType;
import io.github.meshalloc.mesh.ttnn.DeviceLocalLayout;
import io.github.meshalloc.mesh.ttnn.Layout;
import io.github.meshalloc.mesh.ttnn.MeshMapper;
import io.github.meshalloc.mesh.ttnn.Shape;
import io.github.meshalloc.mesh.ttnn.TensorMemoryConfig;
import io.github.meshalloc.mesh.ttnn.TensorSpec;
import java.util.Optional;
import java.util.OptionalInt;

/** ttnn tensors placed on a mesh, as the seeds' test places them. */
public final class Tensors {

    private Tensors() {
    }

    /**
     * Models {@code ttnn.from_torch(bfloat16, TILE_LAYOUT)} + {@code distribute_tensor} with
     * {@code ShardTensor2d(0, 1)} over the mesh: one MeshBuffer whose per-chip size is the shard's.
     */
    public static MeshBuffer distribute(MeshDevice mesh, Shape shape) {
        TensorSpec spec = TensorSpec.of(shape, DataType.BFLOAT16, Layout.TILE);
        DeviceLocalLayout local = spec.meshBufferConfig(MeshMapper.ShardTensor2d.shard(0, 1), mesh.shape().rows(),
                mesh.shape().columns());
        return create(mesh, local);
    }

    /** A bf16 tile tensor replicated on every chip in interleaved L1. */
    public static MeshBuffer replicateInL1(MeshDevice mesh, Shape shape) {
        TensorSpec spec = TensorSpec.of(shape, DataType.BFLOAT16, Layout.TILE)
                .withMemoryConfig(TensorMemoryConfig.L1_MEMORY_CONFIG);
        return create(mesh, spec.meshBufferConfig());
    }

    private static MeshBuffer create(MeshDevice mesh, DeviceLocalLayout local) {
        return MeshBuffer.create(new MeshBufferConfig.Replicated(local.sizeBytes()),
                new DeviceLocalBufferConfig(local.pageSizeBytes(), local.bufferType(), local.shardingArgs(),
                        Optional.empty(), OptionalInt.empty()), mesh);
    }
}
