package io.github.meshalloc.mesh.ttnn;

import com.google.common.base.Preconditions;
import io.github.meshalloc.allocator.BufferType;
import io.github.meshalloc.allocator.TensorMemoryLayout;
import java.util.Optional;

/**
 * Where a tensor's buffer lives and how its pages are spread.
 *
 * <p>Models {@code tt::tt_metal::MemoryConfig} ({@code ttnn/cpp/ttnn/tensor/types.hpp}): memory layout, buffer type
 * and, for the legacy 2-D sharded layouts, a {@link ShardSpec}. ttnn's default {@code MemoryConfig{}} is
 * {@link #DRAM_MEMORY_CONFIG}. Only DRAM and L1 tensors and the INTERLEAVED, HEIGHT_, WIDTH_ and BLOCK_SHARDED
 * layouts are modelled (ND sharding needs an {@code NdShardSpec}, which is not).
 *
 * @param memoryLayout INTERLEAVED, HEIGHT_SHARDED, WIDTH_SHARDED or BLOCK_SHARDED
 * @param bufferType   DRAM or L1
 * @param shardSpec    present exactly when {@code memoryLayout} is sharded
 */
public record TensorMemoryConfig(TensorMemoryLayout memoryLayout, BufferType bufferType, Optional<ShardSpec> shardSpec) {

    /** {@code ttnn.DRAM_MEMORY_CONFIG}: DRAM, interleaved (also ttnn's default memory config). */
    public static final TensorMemoryConfig DRAM_MEMORY_CONFIG = interleaved(BufferType.DRAM);

    /** {@code ttnn.L1_MEMORY_CONFIG}: L1, interleaved. */
    public static final TensorMemoryConfig L1_MEMORY_CONFIG = interleaved(BufferType.L1);

    public TensorMemoryConfig {
        Preconditions.checkNotNull(memoryLayout, "memoryLayout");
        Preconditions.checkNotNull(bufferType, "bufferType");
        Preconditions.checkNotNull(shardSpec, "shardSpec");
        Preconditions.checkArgument(bufferType == BufferType.DRAM || bufferType == BufferType.L1,
                "tensor buffer type %s is not modelled; allowed: DRAM, L1", bufferType);
        Preconditions.checkArgument(memoryLayout != TensorMemoryLayout.ND_SHARDED,
                "memory layout ND_SHARDED is not modelled; allowed: INTERLEAVED, HEIGHT_SHARDED, WIDTH_SHARDED, "
                        + "BLOCK_SHARDED");
        Preconditions.checkArgument(!memoryLayout.isSharded() || shardSpec.isPresent(),
                "memory layout %s needs a shard spec; none was given", memoryLayout);
        Preconditions.checkArgument(memoryLayout.isSharded() || shardSpec.isEmpty(),
                "memory layout %s takes no shard spec, but %s was given; only HEIGHT_SHARDED, WIDTH_SHARDED and "
                        + "BLOCK_SHARDED take one", memoryLayout, shardSpec.orElse(null));
    }

    /** An interleaved config in {@code bufferType}. */
    public static TensorMemoryConfig interleaved(BufferType bufferType) {
        return new TensorMemoryConfig(TensorMemoryLayout.INTERLEAVED, bufferType, Optional.empty());
    }

    /** A sharded config: {@code memoryLayout} must be HEIGHT_, WIDTH_ or BLOCK_SHARDED. */
    public static TensorMemoryConfig sharded(TensorMemoryLayout memoryLayout, BufferType bufferType, ShardSpec shardSpec) {
        Preconditions.checkNotNull(shardSpec, "shardSpec");
        return new TensorMemoryConfig(memoryLayout, bufferType, Optional.of(shardSpec));
    }

    /** {@code MemoryConfig::is_sharded}. */
    public boolean isSharded() {
        return memoryLayout.isSharded();
    }
}
