package io.github.meshalloc.tracking.ops;

import com.google.common.base.Preconditions;
import io.github.meshalloc.allocator.AllocatorConfig;
import io.github.meshalloc.allocator.ArchPreset;
import io.github.meshalloc.mesh.MeshShape;
import java.util.List;

/**
 * The argument domains of the operation vocabulary: which mesh shapes, tensors, single-chip buffers, programs, chips
 * to open on their own and sub-device L1 sizes operations may use, the chips' allocator config, and how many processes a session may start.
 *
 * <p>Every list is ordered simplest first; argument shrinking moves toward the front.
 *
 * @param meshShapes        shapes a mesh can be opened with
 * @param tensors           tensors a mesh can be given
 * @param chipBuffers       single-chip buffers
 * @param programs          programs that can run
 * @param singleChips       physical chips that can be opened on their own
 * @param subDeviceL1Sizes  local L1 sizes of the sub-device managers that can be loaded
 * @param chipConfig        every chip's allocator config
 * @param maxProcesses      processes a session may start in all (the first included)
 */
public record Catalog(List<MeshShape> meshShapes, List<TensorChoice> tensors, List<ChipBufferChoice> chipBuffers,
                      List<ProgramChoice> programs, List<Integer> singleChips, List<Long> subDeviceL1Sizes,
                      AllocatorConfig chipConfig,
                      int maxProcesses) {

    /** The mesh shapes of the brief: 1x1, 1x2, 2x4, 4x8. */
    public static final List<MeshShape> ALL_SHAPES =
            List.of(new MeshShape(1, 1), new MeshShape(1, 2), new MeshShape(2, 4), new MeshShape(4, 8));

    /**
     * Every preset on Wormhole B0 chips; single chips 0 and 7 (7 is free while a 1x1 or 1x2 mesh is open); up to
     * three processes; 64 KiB sub-device L1.
     */
    public static final Catalog DEFAULT = new Catalog(ALL_SHAPES, TensorChoice.ALL, ChipBufferChoice.ALL,
            ProgramChoice.ALL, List.of(0, 7), List.of(64L * 1024), ArchPreset.WORMHOLE_B0.config(), 3);

    public Catalog {
        meshShapes = List.copyOf(meshShapes);
        tensors = List.copyOf(tensors);
        chipBuffers = List.copyOf(chipBuffers);
        programs = List.copyOf(programs);
        singleChips = List.copyOf(singleChips);
        subDeviceL1Sizes = List.copyOf(subDeviceL1Sizes);
        Preconditions.checkNotNull(chipConfig, "chipConfig");
        Preconditions.checkArgument(!meshShapes.isEmpty(), "at least one mesh shape is needed");
        Preconditions.checkArgument(maxProcesses >= 1, "maxProcesses %s must be at least 1", maxProcesses);
        for (TensorChoice t : tensors) {
            for (MeshShape shape : meshShapes) {
                Preconditions.checkArgument(t.pagesPerChip(shape) > 0, "tensor %s has no pages on a %s mesh", t,
                        shape);
            }
        }
    }

    /** A copy with other mesh shapes. */
    public Catalog withMeshShapes(List<MeshShape> shapes) {
        return new Catalog(shapes, tensors, chipBuffers, programs, singleChips, subDeviceL1Sizes, chipConfig,
                maxProcesses);
    }

    /** A copy with another process limit. */
    public Catalog withMaxProcesses(int max) {
        return new Catalog(meshShapes, tensors, chipBuffers, programs, singleChips, subDeviceL1Sizes, chipConfig, max);
    }
}
