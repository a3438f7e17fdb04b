package io.github.meshalloc.tracking.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.github.meshalloc.allocator.BufferType;
import io.github.meshalloc.allocator.CoreRange;
import io.github.meshalloc.allocator.CoreRangeSet;
import io.github.meshalloc.allocator.TensorMemoryLayout;
import io.github.meshalloc.mesh.MeshBuffer;
import io.github.meshalloc.mesh.MeshDevice;
import io.github.meshalloc.mesh.MeshShape;
import io.github.meshalloc.mesh.ttnn.Layout;
import io.github.meshalloc.mesh.ttnn.Shape;
import io.github.meshalloc.mesh.ttnn.ShardSpec;
import io.github.meshalloc.mesh.ttnn.TensorMemoryConfig;
import io.github.meshalloc.tracking.Host;
import io.github.meshalloc.tracking.RuleSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link TensorChoice}: what a tensor puts on a mesh, and its memory config as ttnn Python writes it. */
class TensorChoiceTest {

    @Test
    void aMeshShardedTensorPutsItsPerChipShareOnTheMesh() {
        Host host = new Host(RuleSet.MESHALLOC_FIX.serverVersion());
        MeshDevice mesh = host.startProcess(RuleSet.MESHALLOC_FIX).openMesh(new MeshShape(1, 2),
                Catalog.DEFAULT.chipConfig());
        MeshBuffer t = TensorChoice.DRAM_MESH_SHARDED.create(mesh);
        // (4, 8, 32, 64) sharded over 1x2: (4, 4, 32, 64) per chip, 16 x 2 tiles of 2 KiB.
        assertEquals(32 * TensorChoice.PAGE, t.deviceLocalSize());
        assertEquals(TensorChoice.DRAM_MESH_SHARDED.pagesPerChip(new MeshShape(1, 2)) * TensorChoice.PAGE,
                t.deviceLocalSize());
        assertEquals(TensorChoice.PAGE, t.pageSize());
        assertEquals(BufferType.DRAM, t.deviceLocalConfig().bufferType());
        assertSame(mesh, t.device());
        assertEquals(List.of(t), mesh.liveMeshBuffers());
    }

    @Test
    void interleavedConfigsAreTtnnsConstants() {
        assertEquals("ttnn.DRAM_MEMORY_CONFIG", TensorChoice.DRAM_13_PAGES.pythonMemoryConfig());
        assertEquals("ttnn.L1_MEMORY_CONFIG", TensorChoice.L1_65_PAGES.pythonMemoryConfig());
    }

    @Test
    void aHeightShardedConfigNamesTheShardShapeAndTheCoreGridRowsThenColumns() {
        assertEquals("ttnn.create_sharded_memory_config((64, 32), core_grid=ttnn.CoreGrid(y=2, x=2), "
                + "strategy=ttnn.ShardStrategy.HEIGHT, use_height_and_width_as_shard_shape=True)",
                TensorChoice.L1_HEIGHT_SHARDED.pythonMemoryConfig());
        // 4 columns by 2 rows of cores: ttnn.CoreGrid takes y (rows) first.
        TensorChoice wide = new TensorChoice("l1-hs-4x2", Shape.of(1, 1, 256, 32),
                TensorMemoryConfig.sharded(TensorMemoryLayout.HEIGHT_SHARDED, BufferType.L1,
                        ShardSpec.of(CoreRangeSet.of(CoreRange.grid(4, 2)), 32, Layout.TILE_WIDTH)), false, false);
        assertEquals("ttnn.create_sharded_memory_config((32, 32), core_grid=ttnn.CoreGrid(y=2, x=4), "
                + "strategy=ttnn.ShardStrategy.HEIGHT, use_height_and_width_as_shard_shape=True)",
                wide.pythonMemoryConfig());
    }
}
