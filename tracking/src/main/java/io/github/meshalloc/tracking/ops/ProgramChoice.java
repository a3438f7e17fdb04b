package io.github.meshalloc.tracking.ops;

import com.google.common.base.Preconditions;
import io.github.meshalloc.allocator.CoreRange;
import io.github.meshalloc.allocator.CoreRangeSet;
import io.github.meshalloc.mesh.CircularBufferSpec;
import io.github.meshalloc.mesh.ProgramSpec;
import io.github.meshalloc.tracking.scenario.MeshTestScenario;
import java.util.List;

/**
 * One program an operation can run on a mesh: a {@link ProgramSpec} (kernel binary size and circular buffers) under
 * the op name it stands for.
 *
 * <p>Stands for what a ttnn op's program factory builds and the mesh's program cache keeps: the seeds' add and matmul
 * programs (12 and 24 KiB of kernels, three CBs each, seed-arithmetic.md assumptions 2 and 3) and a program with a
 * single CB and no kernel binary buffer.
 *
 * @param name the op's name
 * @param spec what the program allocates
 */
public record ProgramChoice(String name, ProgramSpec spec) {

    public ProgramChoice {
        Preconditions.checkNotNull(name, "name");
        Preconditions.checkNotNull(spec, "spec");
    }

    /** A single 2 KiB CB on one core and no kernel binary buffer. */
    public static final ProgramChoice CB_ONLY = new ProgramChoice("cb-only", new ProgramSpec("cb_only", 0,
            ProgramSpec.DEFAULT_BINARY_PAGE_SIZE,
            List.of(CircularBufferSpec.local(CoreRangeSet.of(CoreRange.grid(1, 1)), 2048))));
    /** The seeds' {@code ttnn.add}: 12 KiB of kernels, three 4 KiB CBs on the 8x8 grid. */
    public static final ProgramChoice ADD = new ProgramChoice("add", MeshTestScenario.ADD);
    /** The seeds' {@code ttnn.matmul}: 24 KiB of kernels, CBs of 4, 4 and 2 KiB. */
    public static final ProgramChoice MATMUL = new ProgramChoice("matmul", MeshTestScenario.MATMUL);

    /** Every preset, simplest first. */
    public static final List<ProgramChoice> ALL = List.of(CB_ONLY, ADD, MATMUL);

    @Override
    public String toString() {
        return name;
    }
}
