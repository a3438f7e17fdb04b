package io.github.meshalloc.mesh.ttnn;

import com.google.common.base.Preconditions;
import io.github.meshalloc.allocator.BufferShardingArgs;
import io.github.meshalloc.allocator.BufferType;

/**
 * The MeshBuffer configuration ttnn builds for a device tensor: what every chip of the mesh allocates.
 *
 * <p>Models the pair of configs {@code tensor_impl::allocate_mesh_buffer_on_device} hands to
 * {@code MeshBuffer::create}: a {@code ReplicatedBufferConfig} whose {@code size} is the tensor spec's packed buffer
 * size (the same on every chip, whatever the mapper did), and a {@code DeviceLocalBufferConfig} with the page size,
 * buffer type and sharding arguments ({@code bottom_up} left unset, so the buffer type's default direction applies).
 *
 * @param sizeBytes     {@code ReplicatedBufferConfig::size}: bytes each chip allocates
 * @param pageSizeBytes {@code DeviceLocalBufferConfig::page_size}
 * @param bufferType    {@code DeviceLocalBufferConfig::buffer_type}
 * @param shardingArgs  {@code DeviceLocalBufferConfig::sharding_args}
 */
public record DeviceLocalLayout(long sizeBytes, long pageSizeBytes, BufferType bufferType, BufferShardingArgs shardingArgs) {

    public DeviceLocalLayout {
        Preconditions.checkArgument(sizeBytes >= 0, "DeviceLocalLayout size %s B must not be negative", sizeBytes);
        Preconditions.checkArgument(pageSizeBytes > 0, "DeviceLocalLayout page size %s B must be positive", pageSizeBytes);
        Preconditions.checkNotNull(bufferType, "bufferType");
        Preconditions.checkNotNull(shardingArgs, "shardingArgs");
    }

    /** Pages per chip: {@code sizeBytes / pageSizeBytes}. */
    public long numPages() {
        return sizeBytes / pageSizeBytes;
    }
}
