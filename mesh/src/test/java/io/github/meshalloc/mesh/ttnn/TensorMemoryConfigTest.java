package io.github.meshalloc.mesh.ttnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.allocator.BufferType;
import io.github.meshalloc.allocator.CoreRange;
import io.github.meshalloc.allocator.CoreRangeSet;
import io.github.meshalloc.allocator.TensorMemoryLayout;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TensorMemoryConfigTest {

    private static final ShardSpec SPEC = ShardSpec.of(CoreRangeSet.of(CoreRange.grid(8, 1)), 32, 64);

    @Test
    void constants() {
        assertEquals(TensorMemoryLayout.INTERLEAVED, TensorMemoryConfig.DRAM_MEMORY_CONFIG.memoryLayout());
        assertEquals(BufferType.DRAM, TensorMemoryConfig.DRAM_MEMORY_CONFIG.bufferType());
        assertEquals(Optional.empty(), TensorMemoryConfig.DRAM_MEMORY_CONFIG.shardSpec());
        assertEquals(BufferType.L1, TensorMemoryConfig.L1_MEMORY_CONFIG.bufferType());
        assertFalse(TensorMemoryConfig.L1_MEMORY_CONFIG.isSharded());
    }

    @Test
    void shardedConfigCarriesItsSpec() {
        TensorMemoryConfig config = TensorMemoryConfig.sharded(TensorMemoryLayout.HEIGHT_SHARDED, BufferType.L1, SPEC);
        assertTrue(config.isSharded());
        assertEquals(Optional.of(SPEC), config.shardSpec());
        assertEquals(8, SPEC.numCores());
    }

    @Test
    void shardedLayoutNeedsASpec() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TensorMemoryConfig(TensorMemoryLayout.BLOCK_SHARDED, BufferType.L1, Optional.empty()));
        assertTrue(e.getMessage().contains("memory layout BLOCK_SHARDED needs a shard spec"), e.getMessage());
    }

    @Test
    void interleavedTakesNoSpec() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TensorMemoryConfig(TensorMemoryLayout.INTERLEAVED, BufferType.DRAM, Optional.of(SPEC)));
        assertTrue(e.getMessage().contains("memory layout INTERLEAVED takes no shard spec"), e.getMessage());
    }

    @Test
    void onlyDramAndL1() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TensorMemoryConfig.interleaved(BufferType.L1_SMALL));
        assertTrue(e.getMessage().contains("tensor buffer type L1_SMALL is not modelled; allowed: DRAM, L1"),
                e.getMessage());
    }

    @Test
    void ndShardingIsNotModelled() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TensorMemoryConfig.sharded(TensorMemoryLayout.ND_SHARDED, BufferType.L1, SPEC));
        assertTrue(e.getMessage().contains("ND_SHARDED is not modelled"), e.getMessage());
    }

    @Test
    void shardSpecNeedsPositiveShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ShardSpec.of(CoreRangeSet.of(CoreRange.grid(1, 1)), 0, 32));
        assertTrue(e.getMessage().contains("shard shape (0, 32) must have positive height and width"), e.getMessage());
    }

    @Test
    void interleavedConfigsCarryTheirBufferType() {
        TensorMemoryConfig l1 = TensorMemoryConfig.interleaved(io.github.meshalloc.allocator.BufferType.L1);
        org.junit.jupiter.api.Assertions.assertEquals(io.github.meshalloc.allocator.BufferType.L1, l1.bufferType());
        org.junit.jupiter.api.Assertions.assertEquals(io.github.meshalloc.allocator.TensorMemoryLayout.INTERLEAVED,
                l1.memoryLayout());
        org.junit.jupiter.api.Assertions.assertFalse(l1.isSharded());
    }
}
