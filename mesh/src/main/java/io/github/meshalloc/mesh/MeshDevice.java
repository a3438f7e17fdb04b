package io.github.meshalloc.mesh;

import com.google.common.base.Preconditions;
import io.github.meshalloc.allocator.Allocator;
import io.github.meshalloc.allocator.Buffer;
import io.github.meshalloc.allocator.CoreRangeSet;
import io.github.meshalloc.allocator.Device;
import io.github.meshalloc.allocator.IDevice;
import io.github.meshalloc.allocator.MetalContext;
import io.github.meshalloc.allocator.SubDevice;
import io.github.meshalloc.allocator.SubDeviceManager;
import io.github.meshalloc.allocator.SubDeviceManagerTracker;
import io.github.meshalloc.allocator.TtFatalException;
import io.github.meshalloc.mesh.rules.MeshCloseProgramCache;
import io.github.meshalloc.mesh.rules.MeshRules;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 *
 * <p>Lifetime: {@link #close()} models {@code MeshDevice::close}; {@link #release()} models dropping the last
 * {@code shared_ptr<MeshDevice>} ({@code ~MeshDevice}), after which the weak pointers MeshBuffers hold have
 * expired ({@link #isExpired()}). A closed but not yet released mesh is still alive for its MeshBuffers, as a
 * Python {@code ttnn.MeshDevice} object is after {@code ttnn.close_mesh_device}.
 *
 * <p>Traces ({@link #beginMeshTrace}, {@link #endMeshTrace}, {@link #releaseMeshTrace}) follow
 * {@code MeshDeviceImpl} late-2025 and {@code mesh_trace.cpp} (reference 9.1 and 9.5); their buffers are held by
 * the sub-device manager that was active at capture.
 */
public final class MeshDevice implements IDevice {
    private final MeshDeviceConfig config;
    private final MetalContext context;
    private final MeshRules meshRules;
    private final Map<MeshCoordinate, Device> devices = new LinkedHashMap<>();
    // Immutable views of the chips and coordinates, fixed once open() has placed every chip (asked per buffer).
    private List<Device> deviceList = List.of();
    private List<MeshCoordinate> coordinateList = List.of();
    private final List<Buffer> systemBuffers = new ArrayList<>();
    private final Set<MeshBuffer> liveMeshBuffers = new LinkedHashSet<>();
    private final List<Buffer> leakedReferences = new ArrayList<>();
    private final ProgramCache programCache;
    private final MeshTraceId[] commandQueueTraceIds;
    private SubDeviceManagerTracker subDeviceManagerTracker;
    private boolean initialized;
    private boolean expired;
    private long traceBuffersSize;

    private MeshDevice(MeshDeviceConfig config, MetalContext context, MeshRules meshRules) {
        this.config = config;
        this.context = context;
        this.meshRules = meshRules;
        this.programCache = new ProgramCache(this);
        this.commandQueueTraceIds = new MeshTraceId[config.numCommandQueues()];
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
        mesh.deviceList = List.copyOf(mesh.devices.values());
        mesh.coordinateList = List.copyOf(mesh.devices.keySet());
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
     * Models {@code MeshDevice::close} (late-2025 {@code MeshDeviceImpl::close_impl}, reference 12.3): the mesh
     * command queues are dropped (any trace capture in progress with them), the sub-device manager tracker is
     * destroyed with the process's teardown rule (each manager's allocators are released, then its pooled traces are
     * destroyed; the mesh allocator dies here, while the mesh still reports initialised), every chip is closed
     * ({@code scoped_devices_.reset()}), and the mesh is marked not initialised. System buffers are then dropped; user
     * buffers that outlive the mesh behave as reference 12.3 says.
     *
     * <p>Unlike {@code Device::close}, {@code close_impl} does not clear the program cache [R mesh_device.cpp]: cached
     * programs survive with their kernel-binary MeshBuffers (whose backing buffers the teardown has just released)
     * until {@link #disableAndClearProgramCache()} or {@link #release()}; {@link MeshCloseProgramCache#CLEAR_FIRST}
     * (meshalloc's proposal) clears it first. A second close is a no-op: the C++ has no guard, and every step finds
     * its member already reset.
     */
    public void close() {
        if (!initialized) {
            return;
        }
        if (meshRules.closeProgramCache() == MeshCloseProgramCache.CLEAR_FIRST) {
            programCache.disableAndClear();
        }
        Arrays.fill(commandQueueTraceIds, null);
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
     * Models dropping the last {@code shared_ptr<MeshDevice>}: the weak pointers of every MeshBuffer expire first
     * (that is how {@code std::weak_ptr} behaves once the count reaches zero), then {@code ~MeshDevice} runs
     * {@code close_impl} (a no-op if already closed), then {@code ~MeshDeviceImpl} destroys the program cache. So
     * trace buffers destroyed by that close do not subtract their size (their MeshBuffer no longer reports
     * allocated), and kernel binaries of cached programs take the expired-mesh path of {@code MeshBuffer::deallocate}.
     *
     * @throws IllegalStateException if already released
     */
    public void release() {
        Preconditions.checkState(!expired, "mesh device %s was already released", config.meshId());
        expired = true;
        close();
        programCache.disableAndClear();
    }

    /** Whether the last reference was dropped ({@code weak_ptr<MeshDevice>::lock()} returns null). */
    public boolean isExpired() {
        return expired;
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
        return coordinateList;
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
        return deviceList;
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
    @Override
    public SubDeviceManagerTracker subDeviceManagerTracker() {
        return tracker();
    }

    /**
     * Models {@code create_sub_device_manager(sub_devices, local_l1_size)}: a manager whose sub-devices with Tensix
     * cores get local, sharded-only L1 allocators over {@code [l1_unreserved_base, + local_l1_size)} built from the
     * mesh allocator's config (reference 12.1). It is not loaded.
     *
     * @return the new manager's id
     * @throws TtFatalException for too many sub-devices, cores outside the compute grid or overlapping sub-devices
     */
    public long createSubDeviceManager(List<SubDevice> subDevices, long localL1Size) {
        return tracker().createSubDeviceManager(subDevices, localL1Size);
    }

    /**
     * Models {@code load_sub_device_manager(id)} (reference 12.2): no-op if already active; refused while the active
     * non-default manager's sub-devices hold allocations; resets the mesh allocator's L1 and shrinks it from the
     * bottom by the new manager's local L1 size, which is refused if a global L1 allocation sits there (nothing
     * changes then).
     *
     * @throws TtFatalException "Cannot switch sub device managers while sub devices still have local allocations",
     *                          or the free list's shrink error
     */
    public void loadSubDeviceManager(long id) {
        tracker().loadSubDeviceManager(id);
    }

    /** Models {@code clear_loaded_sub_device_manager()}: loads the default manager. */
    public void clearLoadedSubDeviceManager() {
        tracker().clearLoadedSubDeviceManager();
    }

    /**
     * Models {@code remove_sub_device_manager(id)}: destroys the manager (its allocators released per the process's
     * {@code CoreRules.subDeviceManagerTeardown}, then its pooled traces).
     *
     * @throws TtFatalException if it is the active or the default manager
     */
    public void removeSubDeviceManager(long id) {
        tracker().removeSubDeviceManager(id, context.rules().subDeviceManagerTeardown());
    }

    /** Models {@code get_default_sub_device_manager_id()}. */
    public long defaultSubDeviceManagerId() {
        return tracker().defaultSubDeviceManager().id();
    }

    /** Models {@code lowest_occupied_compute_l1_address(sub_device_ids)} on the mesh allocator. */
    public OptionalLong lowestOccupiedComputeL1Address(List<Integer> subDeviceIds) {
        return tracker().lowestOccupiedComputeL1Address(subDeviceIds);
    }

    /** Models {@code mark_allocations_unsafe()}: on the mesh allocator only ({@code allocator_impl()}). */
    public void markAllocationsUnsafe() {
        allocator().markAllocationsUnsafe();
    }

    /** Models {@code mark_allocations_safe()}: on the mesh allocator only. */
    public void markAllocationsSafe() {
        allocator().markAllocationsSafe();
    }

    private void checkCommandQueue(int cqId) {
        Preconditions.checkArgument(cqId >= 0 && cqId < commandQueueTraceIds.length,
                "command queue id %s is outside 0..%s of mesh device %s", cqId, commandQueueTraceIds.length - 1,
                config.meshId());
    }

    /**
     * Models {@code begin_mesh_trace(cq_id)}: takes the next id from the process's {@code MeshTrace::next_id()}.
     *
     * @see #beginMeshTrace(int, MeshTraceId)
     */
    public MeshTraceId beginMeshTrace(int cqId) {
        checkCommandQueue(cqId);
        tracker();
        MeshTraceId id = new MeshTraceId(context.nextMeshTraceId());
        beginMeshTrace(cqId, id);
        return id;
    }

    /**
     * Models {@code MeshDeviceImpl::begin_mesh_trace(cq_id, trace_id)}: fatal if the command queue is already
     * capturing; marks the mesh allocator's allocations safe; fatal if the active sub-device manager already holds
     * the id (after the marking, as in the C++); puts an empty {@link MeshTraceBuffer} into that manager's pool; the
     * command queue starts capturing.
     *
     * @throws TtFatalException "CQ {cq} is already being used for tracing tid {tid}", or "Trace already exists for
     *                          tid {tid} on device {mesh}'s active sub-device manager {manager}"
     */
    public void beginMeshTrace(int cqId, MeshTraceId traceId) {
        Preconditions.checkNotNull(traceId, "traceId");
        checkCommandQueue(cqId);
        SubDeviceManagerTracker tracker = tracker();
        if (commandQueueTraceIds[cqId] != null) {
            throw new TtFatalException("CQ " + cqId + " is already being used for tracing tid "
                    + commandQueueTraceIds[cqId]);
        }
        markAllocationsSafe();
        SubDeviceManager active = tracker.activeSubDeviceManager();
        if (active.getTrace(traceId.value()).isPresent()) {
            throw new TtFatalException("Trace already exists for tid " + traceId + " on device " + config.meshId()
                    + "'s active sub-device manager " + active.id());
        }
        active.createTrace(traceId.value(), new MeshTraceBuffer(this, traceId));
        commandQueueTraceIds[cqId] = traceId;
    }

    /**
     * Models {@code MeshDeviceImpl::end_mesh_trace(cq_id, trace_id)}: fatal unless the command queue is capturing
     * this id and the active sub-device manager holds it; the capture ends; {@code populate_mesh_buffer} sizes and
     * allocates the trace's replicated TRACE MeshBuffer ({@link MeshTraceBuffer}); then the mesh allocator's
     * allocations are marked unsafe (reference 9.1 order: begin marks safe, end marks unsafe). If populating fails,
     * the capture has still ended, the total stays raised and allocations stay marked safe, as in the C++.
     *
     * @param totalTraceSize bytes of captured commands ({@code desc->total_trace_size}) [I: an input here]
     * @throws IllegalArgumentException for a negative size
     * @throws TtFatalException         "CQ {cq} is not being used for tracing tid {tid}", "Trace instance {tid} must
     *                                  exist on device {mesh}'s active sub-device manager {manager}", the trace-region
     *                                  fatal, or the TRACE bank manager's out-of-memory error
     */
    public void endMeshTrace(int cqId, MeshTraceId traceId, long totalTraceSize) {
        Preconditions.checkNotNull(traceId, "traceId");
        Preconditions.checkArgument(totalTraceSize >= 0, "trace size %s must not be negative", totalTraceSize);
        checkCommandQueue(cqId);
        SubDeviceManagerTracker tracker = tracker();
        if (!traceId.equals(commandQueueTraceIds[cqId])) {
            throw new TtFatalException("CQ " + cqId + " is not being used for tracing tid " + traceId);
        }
        SubDeviceManager active = tracker.activeSubDeviceManager();
        SubDeviceManager.PooledTrace pooled = active.getTrace(traceId.value()).orElseThrow(
                () -> new TtFatalException("Trace instance " + traceId + " must exist on device " + config.meshId()
                        + "'s active sub-device manager " + active.id()));
        commandQueueTraceIds[cqId] = null;
        ((MeshTraceBuffer) pooled).populate(totalTraceSize);
        markAllocationsUnsafe();
    }

    /**
     * Models {@code replay_mesh_trace(cq_id, trace_id, blocking)} as far as memory goes: nothing is allocated; fatal
     * if the active sub-device manager does not hold the trace.
     *
     * @throws TtFatalException "Trace instance {tid} must exist on Mesh device {mesh}'s active sub-device manager {m}"
     */
    public void replayMeshTrace(int cqId, MeshTraceId traceId) {
        Preconditions.checkNotNull(traceId, "traceId");
        checkCommandQueue(cqId);
        SubDeviceManager active = tracker().activeSubDeviceManager();
        if (active.getTrace(traceId.value()).isEmpty()) {
            throw new TtFatalException("Trace instance " + traceId + " must exist on Mesh device " + config.meshId()
                    + "'s active sub-device manager " + active.id());
        }
    }

    /**
     * Models {@code MeshDeviceImpl::release_mesh_trace(trace_id)}: the active sub-device manager erases the trace
     * ({@code ~MeshTraceBuffer} subtracts its size and drops its MeshBuffer; an id it does not hold is a silent
     * no-op, as in late-2025); then, only if the trace-buffer total is back to 0, the mesh allocator's allocations
     * are marked safe.
     */
    public void releaseMeshTrace(MeshTraceId traceId) {
        Preconditions.checkNotNull(traceId, "traceId");
        tracker().activeSubDeviceManager().releaseTrace(traceId.value());
        if (traceBuffersSize == 0) {
            markAllocationsSafe();
        }
    }

    /** Models {@code get_mesh_trace(trace_id)}: the trace held by the active sub-device manager, or empty. */
    public Optional<MeshTraceBuffer> getMeshTrace(MeshTraceId traceId) {
        Preconditions.checkNotNull(traceId, "traceId");
        return tracker().activeSubDeviceManager().getTrace(traceId.value()).map(MeshTraceBuffer.class::cast);
    }

    /** The trace a command queue is capturing ({@code mesh_command_queue.trace_id()}), or empty. */
    public Optional<MeshTraceId> commandQueueTraceId(int cqId) {
        checkCommandQueue(cqId);
        return Optional.ofNullable(commandQueueTraceIds[cqId]);
    }

    /** Models {@code get_trace_buffers_size()}: padded bytes of live trace buffers ({@code uint32_t}). */
    public long traceBuffersSize() {
        return traceBuffersSize;
    }

    /** Models {@code set_trace_buffers_size(size)}: stored as a {@code uint32_t}, so modulo 2^32. */
    void setTraceBuffersSize(long size) {
        traceBuffersSize = size & 0xFFFF_FFFFL;
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
    public long l1SizePerCore() {
        return config.chipConfig().workerL1Size();
    }

    @Override
    public boolean isMeshDevice() {
        return true;
    }

    @Override
    public String toString() {
        return "MeshDevice{" + config.meshId() + ", " + shape() + (initialized ? ", open" : ", closed")
                + (expired ? ", released" : "") + "}";
    }
}
