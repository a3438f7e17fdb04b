package io.github.meshalloc.mesh;

import com.google.common.base.Preconditions;
import io.github.meshalloc.allocator.BufferShardingArgs;
import io.github.meshalloc.allocator.BufferType;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What every chip's part of a MeshBuffer looks like.
 *
 * <p>Models {@code DeviceLocalBufferConfig{page_size, buffer_type, sharding_args, bottom_up, sub_device_id}}
 * ({@code mesh_buffer.hpp}, reference 9.2).
 *
 * @param pageSize     page size in bytes
 * @param bufferType   DRAM, L1, L1_SMALL or TRACE
 * @param shardingArgs layout and shard spec
 * @param bottomUp     placement direction, or the type's default
 * @param subDeviceId  sub-device to allocate in, or the global allocator
 */
public record DeviceLocalBufferConfig(long pageSize, BufferType bufferType, BufferShardingArgs shardingArgs,
                                      Optional<Boolean> bottomUp, OptionalInt subDeviceId) {
    public DeviceLocalBufferConfig {
        Preconditions.checkArgument(pageSize >= 0, "page size %s must not be negative", pageSize);
        Preconditions.checkNotNull(bufferType, "bufferType");
        Preconditions.checkNotNull(shardingArgs, "shardingArgs");
        Preconditions.checkNotNull(bottomUp, "bottomUp");
        Preconditions.checkNotNull(subDeviceId, "subDeviceId");
    }

    /** Interleaved, default direction, global allocator. */
    public static DeviceLocalBufferConfig interleaved(long pageSize, BufferType bufferType) {
        return new DeviceLocalBufferConfig(pageSize, bufferType, BufferShardingArgs.INTERLEAVED, Optional.empty(),
                OptionalInt.empty());
    }

    /** Interleaved with an explicit direction. */
    public static DeviceLocalBufferConfig interleaved(long pageSize, BufferType bufferType, boolean bottomUp) {
        return new DeviceLocalBufferConfig(pageSize, bufferType, BufferShardingArgs.INTERLEAVED,
                Optional.of(bottomUp), OptionalInt.empty());
    }
}
