package io.github.meshalloc.mesh;

import com.google.common.base.Preconditions;
import io.github.meshalloc.allocator.Allocator;
import io.github.meshalloc.allocator.Buffer;
import io.github.meshalloc.allocator.CoreRangeSet;
import io.github.meshalloc.allocator.Device;
import io.github.meshalloc.allocator.IDevice;
import io.github.meshalloc.allocator.MetalContext;
import io.github.meshalloc.allocator.SubDeviceManagerTracker;
import io.github.meshalloc.allocator.TtFatalException;
import io.github.meshalloc.mesh.rules.MeshRules;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A rows x columns mesh of chips with an allocator of its own.
 *
 * <p>Models {@code tt::tt_metal::distributed::MeshDevice} / {@code MeshDeviceImpl}
 * ({@code tt_metal/distributed/mesh_device.cpp}, late-2025, reference 9.1 and 12.3). Each chip is a
 * {@link Device} with its own allocator; the mesh's allocator is a separate {@link Allocator} built from
 * the reference chip's config, owned by the mesh's sub-device manager tracker. MeshBuffers allocate
 * only there. All coordinates are local (single host).
 */
public final class MeshDevice implements IDevice {
    private final MeshDeviceConfig config;
    private final MetalContext context;
    private final MeshRules meshRules;
    private final Map<MeshCoordinate, Device> devices = new LinkedHashMap<>();
    private final List<Buffer> systemBuffers = new ArrayList<>();
    private final Set<MeshBuffer> liveMeshBuffers = new LinkedHashSet<>();
    private final List<Buffer> leakedReferences = new ArrayList<>();
    private final ProgramCache programCache;
    private SubDeviceManagerTracker subDeviceManagerTracker;
    private boolean initialized;

    private MeshDevice(MeshDeviceConfig config, MetalContext context, MeshRules meshRules) {
        this.config = config;
        this.context = context;
        this.meshRules = meshRules;
        this.programCache = new ProgramCache(this);
    }

    /**
     * Models {@code open_mesh_device} / {@code MeshDevice::create} + {@code initialize}: opens every chip
     * (row-major), allocates each chip's system buffers, then builds the mesh allocator.
     */
    public static MeshDevice open(MeshDeviceConfig config, MetalContext context, MeshRules meshRules) {
        Preconditions.checkNotNull(config, "config");
        Preconditions.checkNotNull(context, "context");
        Preconditions.checkNotNull(meshRules, "meshRules");
        MeshDevice mesh = new MeshDevice(config, context, meshRules);
        int index = 0;
        for (int row = 0; row < config.shape().rows(); row++) {
            for (int col = 0; col < config.shape().columns(); col++) {
                Device chip = new Device(config.physicalDeviceIds().get(index++), config.chipConfig(), context);
                chip.initialize();
                mesh.devices.put(new MeshCoordinate(row, col), chip);
            }
        }
        for (Device chip : mesh.devices.values()) {
            for (SystemBufferProfile.SystemBuffer sb : config.systemBuffers().buffers()) {
                mesh.systemBuffers.add(Buffer.create(chip, sb.size(), sb.pageSize(), sb.bufferType()));
            }
        }
        mesh.subDeviceManagerTracker = new SubDeviceManagerTracker(context,
                new Allocator(mesh.referenceDevice().config(), context, config.meshId()));
        mesh.initialized = true;
        return mesh;
    }

    /**
     * Models {@code MeshDevice::close} (late-2025 {@code close_impl}): the program cache is cleared, the
     * sub-device manager tracker is destroyed (the mesh allocator dies here, with the process's teardown
     * rule), every chip is closed, and the mesh is marked not initialised. System buffers are then
     * dropped; user buffers that outlive the mesh behave as reference 12.3 says.
     *
     * @throws TtFatalException if the mesh is not open
     */
    public void close() {
        if (!initialized) {
            throw new TtFatalException("Cannot close mesh device " + config.meshId() + " that is not initialized");
        }
        programCache.disableAndClear();
        subDeviceManagerTracker.destroy(context.rules().subDeviceManagerTeardown());
        for (Device chip : devices.values()) {
            chip.close();
        }
        initialized = false;
        for (Buffer buffer : systemBuffers) {
            buffer.release();
        }
        systemBuffers.clear();
    }

    /**
     * Buffers whose last reference was lost without being released (a program's buffer pool under
     * {@code ProgramBufferPoolRelease.NEVER}); kept so truth reports can name them.
     */
    void leakBuffers(List<Buffer> buffers) {
        leakedReferences.addAll(buffers);
    }

    /** References that were never released (see {@code ProgramBufferPoolRelease.NEVER}). */
    public List<Buffer> leakedReferences() {
        return List.copyOf(leakedReferences);
    }

    void registerMeshBuffer(MeshBuffer buffer) {
        liveMeshBuffers.add(buffer);
    }

    void unregisterMeshBuffer(MeshBuffer buffer) {
        liveMeshBuffers.remove(buffer);
    }

    /** MeshBuffers not yet destroyed (for truth reports and end-of-run checks). */
    public List<MeshBuffer> liveMeshBuffers() {
        return List.copyOf(liveMeshBuffers);
    }

    /** The rules this mesh's MeshBuffers and programs follow. */
    public MeshRules meshRules() {
        return meshRules;
    }

    /** The config it was opened with. */
    public MeshDeviceConfig config() {
        return config;
    }

    /** Models {@code shape()}. */
    public MeshShape shape() {
        return config.shape();
    }

    /** Coordinates in row-major order. */
    public List<MeshCoordinate> coordinates() {
        return List.copyOf(devices.keySet());
    }

    /** Models {@code impl().is_local(coord)}: always true on one host. */
    public boolean isLocal(MeshCoordinate coord) {
        return devices.containsKey(coord);
    }

    /**
     * Models {@code get_device(coord)}.
     *
     * @throws IllegalArgumentException for a coordinate outside the mesh
     */
    public Device deviceAt(MeshCoordinate coord) {
        Device device = devices.get(coord);
        Preconditions.checkArgument(device != null, "coordinate %s is outside the %s mesh", coord, shape());
        return device;
    }

    /** The chips in row-major order ({@code get_devices()}). */
    public List<Device> devices() {
        return Collections.unmodifiableList(new ArrayList<>(devices.values()));
    }

    /** Models {@code reference_device()}: the first chip of the mesh. */
    public Device referenceDevice() {
        return devices.values().iterator().next();
    }

    /** Models {@code num_devices()}. */
    public int numDevices() {
        return devices.size();
    }

    /** The program cache ({@code disable_and_clear_program_cache} and friends). */
    public ProgramCache programCache() {
        return programCache;
    }

    /** Models {@code disable_and_clear_program_cache()}. */
    public void disableAndClearProgramCache() {
        programCache.disableAndClear();
    }

    private SubDeviceManagerTracker tracker() {
        Preconditions.checkState(initialized, "mesh device %s is not initialized", config.meshId());
        return subDeviceManagerTracker;
    }

    /** The mesh's sub-device manager tracker. */
    public SubDeviceManagerTracker subDeviceManagerTracker() {
        return tracker();
    }

    /** Models {@code lowest_occupied_compute_l1_address(sub_device_ids)} on the mesh allocator. */
    public OptionalLong lowestOccupiedComputeL1Address(List<Integer> subDeviceIds) {
        return tracker().lowestOccupiedComputeL1Address(subDeviceIds);
    }

    @Override
    public int id() {
        return config.meshId();
    }

    @Override
    public MetalContext context() {
        return context;
    }

    @Override
    public boolean isInitialized() {
        return initialized;
    }

    @Override
    public Allocator allocator() {
        return tracker().defaultSubDeviceManager().allocator(0);
    }

    @Override
    public Allocator allocator(int subDeviceId) {
        return tracker().activeSubDeviceManager().allocator(subDeviceId);
    }

    @Override
    public long activeSubDeviceManagerId() {
        return tracker().activeSubDeviceManager().id();
    }

    @Override
    public CoreRangeSet subDeviceCores(int subDeviceId) {
        var subDevices = tracker().activeSubDeviceManager().subDevices();
        Preconditions.checkArgument(subDeviceId >= 0 && subDeviceId < subDevices.size(),
                "sub device id %s is outside 0..%s", subDeviceId, subDevices.size() - 1);
        return subDevices.get(subDeviceId).tensixCores();
    }

    @Override
    public long l1SizePerCore() {
        return config.chipConfig().workerL1Size();
    }

    @Override
    public boolean isMeshDevice() {
        return true;
    }

    @Override
    public String toString() {
        return "MeshDevice{" + config.meshId() + ", " + shape() + (initialized ? ", open" : ", closed") + "}";
    }
}
