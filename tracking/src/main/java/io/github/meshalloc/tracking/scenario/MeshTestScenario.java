package io.github.meshalloc.tracking.scenario;

import com.google.common.base.Preconditions;
import io.github.meshalloc.allocator.AllocatorConfig;
import io.github.meshalloc.allocator.ArchPreset;
import io.github.meshalloc.allocator.CoreRange;
import io.github.meshalloc.allocator.CoreRangeSet;
import io.github.meshalloc.mesh.CircularBufferSpec;
import io.github.meshalloc.mesh.DeviceLocalBufferConfig;
import io.github.meshalloc.mesh.MeshBuffer;
import io.github.meshalloc.mesh.MeshBufferConfig;
import io.github.meshalloc.mesh.MeshDevice;
import io.github.meshalloc.mesh.MeshDeviceConfig;
import io.github.meshalloc.mesh.MeshShape;
import io.github.meshalloc.mesh.ProgramSpec;
import io.github.meshalloc.mesh.ttnn.DataType;
import io.github.meshalloc.mesh.ttnn.DeviceLocalLayout;
import io.github.meshalloc.mesh.ttnn.Layout;
import io.github.meshalloc.mesh.ttnn.MeshMapper;
import io.github.meshalloc.mesh.ttnn.Shape;
import io.github.meshalloc.mesh.ttnn.TensorSpec;
import io.github.meshalloc.tracking.SimulatedProcess;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The seeds' workload: {@code test_mesh_allocation.py} (allocation-server.md section 9) on a 2x4
 * Wormhole mesh, step by step.
 *
 * <p>Assumptions, all from seed-arithmetic.md and marked there as such: the build is a tracy build
 * whose DRAM unreserved base puts the first tensor at 2,560,032 (assumption 5); the add and matmul
 * programs' kernel binaries are 12 KiB and 24 KiB replicated DRAM MeshBuffers, top-down, with a
 * temporary per-chip buffer at the same address while they are written (assumption 2); their CBs are
 * 3 + 3 on the 8x8 compute grid, 22,528 B in all, at three distinct addresses (assumption 3).
 */
public final class MeshTestScenario {
    /** The tracy build's DRAM unreserved base (seed-arithmetic.md assumption 5). */
    public static final long TRACY_DRAM_UNRESERVED_BASE = 2_560_032;
    /** The 2x4 mesh of the test. */
    public static final MeshShape SHAPE = new MeshShape(2, 4);
    private static final CoreRangeSet GRID = CoreRangeSet.of(CoreRange.grid(8, 8));
    /** The add program: 12 KiB of kernels, three 2-tile CBs. */
    public static final ProgramSpec ADD = new ProgramSpec("ttnn.add", 12 * 1024, ProgramSpec.DEFAULT_BINARY_PAGE_SIZE,
            List.of(CircularBufferSpec.local(GRID, 4096), CircularBufferSpec.local(GRID, 4096),
                    CircularBufferSpec.local(GRID, 4096)));
    /** The matmul program: 24 KiB of kernels, CBs of 2, 2 and 1 tiles. */
    public static final ProgramSpec MATMUL = new ProgramSpec("ttnn.matmul", 24 * 1024,
            ProgramSpec.DEFAULT_BINARY_PAGE_SIZE,
            List.of(CircularBufferSpec.local(GRID, 4096), CircularBufferSpec.local(GRID, 4096),
                    CircularBufferSpec.local(GRID, 2048)));
    /** Number of steps of the test. */
    public static final int STEPS = 8;

    private final SimulatedProcess process;
    private MeshDevice mesh;
    private MeshBuffer tensor1;
    private MeshBuffer tensor2;
    private MeshBuffer resultAdd;
    private MeshBuffer distA;
    private MeshBuffer distB;
    private MeshBuffer resultMatmul;
    private int stepsDone;

    /** A scenario run by {@code process} (its rule set decides what is reported). */
    public MeshTestScenario(SimulatedProcess process) {
        this.process = Preconditions.checkNotNull(process, "process");
    }

    /** Wormhole B0 chips as the tracy build configures them. */
    public static AllocatorConfig chipConfig() {
        return ArchPreset.WORMHOLE_B0.config().withDramUnreservedBase(TRACY_DRAM_UNRESERVED_BASE);
    }

    /** Runs the steps up to and including {@code lastStep} (1..8) that have not run yet. */
    public MeshTestScenario runThrough(int lastStep) {
        Preconditions.checkArgument(lastStep >= 1 && lastStep <= STEPS, "step %s is outside 1..%s", lastStep, STEPS);
        while (stepsDone < lastStep) {
            step(++stepsDone);
        }
        return this;
    }

    /** Steps run so far. */
    public int stepsDone() {
        return stepsDone;
    }

    /** The mesh (after step 1). */
    public MeshDevice mesh() {
        Preconditions.checkState(mesh != null, "step 1 has not run");
        return mesh;
    }

    private MeshBuffer distribute(Shape shape) {
        TensorSpec spec = TensorSpec.of(shape, DataType.BFLOAT16, Layout.TILE);
        DeviceLocalLayout local = spec.meshBufferConfig(MeshMapper.ShardTensor2d.shard(0, 1), SHAPE.rows(),
                SHAPE.columns());
        return MeshBuffer.create(new MeshBufferConfig.Replicated(local.sizeBytes()),
                new DeviceLocalBufferConfig(local.pageSizeBytes(), local.bufferType(), local.shardingArgs(),
                        Optional.empty(), OptionalInt.empty()), mesh);
    }

    private void step(int step) {
        switch (step) {
            case 1 -> mesh = process.openMesh(MeshDeviceConfig.of(SHAPE, chipConfig()));
            case 2 -> tensor1 = distribute(Shape.of(8, 8, 512, 512));
            case 3 -> tensor2 = distribute(Shape.of(8, 8, 512, 512));
            case 4 -> {
                resultAdd = distribute(Shape.of(8, 8, 512, 512));
                mesh.programCache().run(ADD, List.of());
            }
            case 5 -> {
                distA = distribute(Shape.of(8, 8, 256, 128));
                distB = distribute(Shape.of(8, 8, 128, 256));
                resultMatmul = distribute(Shape.of(8, 8, 256, 256));
                mesh.programCache().run(MATMUL, List.of());
            }
            case 6 -> {
                for (MeshBuffer t : List.of(resultMatmul, distA, distB, resultAdd, tensor2, tensor1)) {
                    t.deallocate();
                }
            }
            case 7 -> mesh.disableAndClearProgramCache();
            case 8 -> {
                mesh.close();
                // The test function returns: CPython drops its locals in order, the mesh device first (its
                // destructor destroys the program cache), then the tensors, whose MeshBuffers find the mesh expired.
                mesh.release();
                for (MeshBuffer t : List.of(resultMatmul, distA, distB, resultAdd, tensor2, tensor1)) {
                    t.release();
                }
            }
            default -> throw new IllegalArgumentException("no step " + step);
        }
    }
}
