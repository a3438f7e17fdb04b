package io.github.meshalloc.mesh;

import com.google.common.base.Preconditions;
import io.github.meshalloc.allocator.AllocatorConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * What {@code open_mesh_device} is asked for: the shape, which physical chip sits at each
 * coordinate, each chip's allocator config and the system-buffer profile.
 *
 * <p>Models the arguments of {@code MeshDevice::create(MeshDeviceConfig, l1_small_size, trace_region_size, ...)}
 * plus the placement the system descriptor decides.
 *
 * @param meshId            the id the MeshDevice reports (0 for the first mesh)
 * @param shape             rows x columns
 * @param physicalDeviceIds chip id at each coordinate, row-major
 * @param chipConfig        every chip's allocator config (the mesh allocator copies it)
 * @param systemBuffers     what each chip allocates at open
 * @param numCommandQueues  hardware command queues ({@code num_command_queues}): 1 or 2; each can capture one trace
 *                          at a time
 */
public record MeshDeviceConfig(int meshId, MeshShape shape, List<Integer> physicalDeviceIds, AllocatorConfig chipConfig,
                               SystemBufferProfile systemBuffers, int numCommandQueues) {

    /** Most hardware command queues a device offers ({@code MAX_NUM_HW_CQS} in {@code hostdevcommon/common_values.hpp}). */
    public static final int MAX_NUM_HW_CQS = 2;

    /** The placement tt-metal's mesh test printed for a 2x4 T3K: row 0 = 4, 0, 3, 7; row 1 = 5, 1, 2, 6. */
    public static final List<Integer> T3K_2X4_PLACEMENT = List.of(4, 0, 3, 7, 5, 1, 2, 6);

    public MeshDeviceConfig {
        Preconditions.checkArgument(meshId >= 0, "mesh id %s must not be negative", meshId);
        Preconditions.checkNotNull(shape, "shape");
        Preconditions.checkNotNull(chipConfig, "chipConfig");
        Preconditions.checkNotNull(systemBuffers, "systemBuffers");
        physicalDeviceIds = List.copyOf(physicalDeviceIds);
        Preconditions.checkArgument(physicalDeviceIds.size() == shape.meshSize(),
                "%s device ids given for a %s mesh of %s chips", physicalDeviceIds.size(), shape, shape.meshSize());
        Preconditions.checkArgument(new HashSet<>(physicalDeviceIds).size() == physicalDeviceIds.size(),
                "physical device ids %s must be distinct", physicalDeviceIds);
        for (int id : physicalDeviceIds) {
            Preconditions.checkArgument(id >= 0, "physical device id %s must not be negative", id);
        }
        Preconditions.checkArgument(numCommandQueues >= 1 && numCommandQueues <= MAX_NUM_HW_CQS,
                "number of command queues %s must be 1..%s", numCommandQueues, MAX_NUM_HW_CQS);
    }

    /** One command queue, {@code open_mesh_device}'s default. */
    public MeshDeviceConfig(int meshId, MeshShape shape, List<Integer> physicalDeviceIds, AllocatorConfig chipConfig,
                            SystemBufferProfile systemBuffers) {
        this(meshId, shape, physicalDeviceIds, chipConfig, systemBuffers, 1);
    }

    /**
     * A mesh of the given shape: the 2x4 T3K placement for 2x4, otherwise ids 0..n-1 in row-major order
     * [I: other systems' placements are not recorded].
     */
    public static MeshDeviceConfig of(MeshShape shape, AllocatorConfig chipConfig) {
        List<Integer> ids = new ArrayList<>();
        if (shape.rows() == 2 && shape.columns() == 4) {
            ids.addAll(T3K_2X4_PLACEMENT);
        } else {
            for (int i = 0; i < shape.meshSize(); i++) {
                ids.add(i);
            }
        }
        return new MeshDeviceConfig(0, shape, ids, chipConfig, SystemBufferProfile.NONE);
    }

    /** A copy with another system-buffer profile. */
    public MeshDeviceConfig withSystemBuffers(SystemBufferProfile profile) {
        return new MeshDeviceConfig(meshId, shape, physicalDeviceIds, chipConfig, profile, numCommandQueues);
    }

    /** A copy with another mesh id. */
    public MeshDeviceConfig withMeshId(int id) {
        return new MeshDeviceConfig(id, shape, physicalDeviceIds, chipConfig, systemBuffers, numCommandQueues);
    }

    /** A copy with another number of hardware command queues. */
    public MeshDeviceConfig withNumCommandQueues(int count) {
        return new MeshDeviceConfig(meshId, shape, physicalDeviceIds, chipConfig, systemBuffers, count);
    }
}
