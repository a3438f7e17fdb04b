package io.github.meshalloc.allocator;

import com.google.common.base.Preconditions;
import io.github.meshalloc.allocator.rules.SubDeviceManagerTeardown;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A set of sub-devices with one allocator each (or none).
 *
 * <p>Models {@code tt::tt_metal::SubDeviceManager} ({@code tt_metal/impl/sub_device/sub_device_manager.cpp},
 * reference 12.1). The default manager owns the device's global allocator as sub-device 0's allocator;
 * a regular manager builds, for every sub-device with Tensix cores, a sharded-only L1 allocator over
 * {@code [l1_unreserved_base, l1_unreserved_base + local_l1_size)} whose bank ids are the global ones.
 * {@link #destroy(SubDeviceManagerTeardown)} models the destructor. The manager also holds the traces captured
 * while it was active ({@code trace_buffer_pool_}); see {@link PooledTrace}.
 */
public final class SubDeviceManager {
    /**
     * One entry of {@code trace_buffer_pool_}: the pool's {@code shared_ptr} to a captured trace
     * ({@code MeshTraceBuffer} in late-2025, {@code TraceBuffer} earlier). allocator-core only keeps and drops
     * them; the mesh module says what a trace is.
     */
    public interface PooledTrace {
        /** Models the pool dropping its {@code shared_ptr} (erase, or destruction of the pool). */
        void drop();
    }

    /** Maximum number of sub-devices per manager ({@code DISPATCH_MESSAGE_ENTRIES}) [I: value of the 2025 dispatch constants]. */
    public static final int DISPATCH_MESSAGE_ENTRIES = 16;

    private final long id;
    private final List<SubDevice> subDevices;
    private final long localL1Size;
    private final List<Allocator> allocators;
    private final TreeMap<Long, PooledTrace> tracePool = new TreeMap<>();
    private boolean destroyed;

    private SubDeviceManager(long id, List<SubDevice> subDevices, long localL1Size, List<Allocator> allocators) {
        this.id = id;
        this.subDevices = List.copyOf(subDevices);
        this.localL1Size = localL1Size;
        this.allocators = Collections.unmodifiableList(new ArrayList<>(allocators));
    }

    /** Models the global constructor: takes ownership of {@code globalAllocator}; local L1 size 0. */
    public static SubDeviceManager createDefault(MetalContext context, Allocator globalAllocator,
                                                 List<SubDevice> subDevices) {
        Preconditions.checkNotNull(globalAllocator, "globalAllocator");
        List<Allocator> allocators = new ArrayList<>();
        allocators.add(globalAllocator);
        for (int i = 1; i < subDevices.size(); i++) {
            allocators.add(null);
        }
        return new SubDeviceManager(context.nextSubDeviceManagerId(), subDevices, 0, allocators);
    }

    /**
     * Models the regular constructor (reference 12.1): validates the sub-devices and builds their
     * local allocators from the global config.
     *
     * @throws TtFatalException for too many sub-devices, cores outside the compute grid, or overlapping sub-devices
     */
    public static SubDeviceManager create(MetalContext context, Allocator globalAllocator, List<SubDevice> subDevices,
                                          long localL1Size) {
        Preconditions.checkNotNull(subDevices, "subDevices");
        Preconditions.checkArgument(localL1Size >= 0, "local L1 size %s must not be negative", localL1Size);
        AllocatorConfig global = globalAllocator.getConfig();
        long aligned = Allocator.roundUp(localL1Size, global.l1Alignment());
        if (subDevices.size() > DISPATCH_MESSAGE_ENTRIES) {
            throw new TtFatalException("Too many sub devices specified: " + subDevices.size()
                    + "; at most " + DISPATCH_MESSAGE_ENTRIES + " are supported");
        }
        for (int i = 0; i < subDevices.size(); i++) {
            CoreRangeSet cores = subDevices.get(i).tensixCores();
            if (!global.computeGrid().contains(cores)) {
                throw new TtFatalException("Tensix cores " + cores + " of sub device " + i
                        + " are not all inside the compute grid " + global.computeGrid());
            }
            for (int j = 0; j < i; j++) {
                if (cores.intersects(subDevices.get(j).tensixCores())) {
                    throw new TtFatalException("Sub device " + i + " overlaps sub device " + j);
                }
            }
        }
        List<Allocator> allocators = new ArrayList<>();
        for (SubDevice subDevice : subDevices) {
            CoreRangeSet cores = subDevice.tensixCores();
            if (cores.numCores() == 0 || aligned == 0) {
                allocators.add(null);
                continue;
            }
            List<Integer> globalBankIds = new ArrayList<>();
            for (CoreCoord core : cores.cores()) {
                globalBankIds.add(globalAllocator.getBankIdsFromLogicalCore(core).get(0));
            }
            AllocatorConfig local = global.forSubDevice(cores, aligned, globalBankIds);
            allocators.add(new Allocator(local, context, -1));
        }
        return new SubDeviceManager(context.nextSubDeviceManagerId(), subDevices, aligned, allocators);
    }

    /** Models {@code id()}. */
    public long id() {
        return id;
    }

    /** Models {@code local_l1_size()}. */
    public long localL1Size() {
        return localL1Size;
    }

    /** The sub-devices, in id order. */
    public List<SubDevice> subDevices() {
        return subDevices;
    }

    /**
     * Models {@code allocator(sub_device_id)}.
     *
     * @throws IllegalArgumentException for an id outside the manager
     * @throws TtFatalException         "SubDevice allocator not initialized" for a sub-device without one
     */
    public Allocator allocator(int subDeviceId) {
        Preconditions.checkArgument(subDeviceId >= 0 && subDeviceId < subDevices.size(),
                "sub device id %s is outside 0..%s of manager %s", subDeviceId, subDevices.size() - 1, id);
        Allocator allocator = allocators.get(subDeviceId);
        if (allocator == null) {
            throw new TtFatalException("SubDevice allocator not initialized");
        }
        return allocator;
    }

    /** Whether sub-device {@code subDeviceId} has an allocator. */
    public boolean hasAllocator(int subDeviceId) {
        return subDeviceId >= 0 && subDeviceId < allocators.size() && allocators.get(subDeviceId) != null;
    }

    /** Models {@code has_allocations()}: any allocator whose Buffer set is not empty. */
    public boolean hasAllocations() {
        for (Allocator allocator : allocators) {
            if (allocator != null && allocator.getNumAllocatedBuffers() > 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Models {@code create_trace(trace_id)}: adds an entry to the trace pool.
     *
     * @throws IllegalArgumentException if the id is already in the pool (a debug-only {@code TT_ASSERT} in the
     *                                  C++; callers check with {@link #getTrace} first, as {@code begin_mesh_trace} does)
     */
    public void createTrace(long traceId, PooledTrace trace) {
        Preconditions.checkNotNull(trace, "trace");
        Preconditions.checkState(!destroyed, "sub device manager %s was destroyed", id);
        Preconditions.checkArgument(!tracePool.containsKey(traceId),
                "trace buffer with trace id %s already exists in sub device manager %s", traceId, id);
        tracePool.put(traceId, trace);
    }

    /** Models {@code get_trace(trace_id)}: the pooled trace, or empty (the C++ returns nullptr). */
    public Optional<PooledTrace> getTrace(long traceId) {
        return Optional.ofNullable(tracePool.get(traceId));
    }

    /** Models {@code release_trace(trace_id)}: erases the entry (dropping it); an unknown id is a no-op, as in the C++. */
    public void releaseTrace(long traceId) {
        PooledTrace trace = tracePool.remove(traceId);
        if (trace != null) {
            trace.drop();
        }
    }

    /** Ids in the trace pool, ascending. */
    public List<Long> traceIds() {
        return List.copyOf(tracePool.keySet());
    }

    /** Whether the destructor has run. */
    public boolean isDestroyed() {
        return destroyed;
    }

    /**
     * Models {@code ~SubDeviceManager()}: the destructor body releases every allocator the way
     * {@code teardown} says (upstream: clear, then {@code DeallocateBuffer} on each remaining buffer); then the
     * members die in reverse declaration order, and {@code trace_buffer_pool_} is declared after
     * {@code sub_device_allocators_} (reference 12.1, {@code sub_device_manager.hpp}), so the pooled traces are
     * dropped after the body but while the allocators still exist. Traces are dropped in ascending id order [I: the
     * C++ pool is an {@code unordered_map}].
     */
    public void destroy(SubDeviceManagerTeardown teardown) {
        Preconditions.checkState(!destroyed, "sub device manager %s was already destroyed", id);
        for (Allocator allocator : allocators) {
            if (allocator == null) {
                continue;
            }
            switch (teardown) {
                case CLEAR_THEN_DEALLOCATE_EACH -> {
                    allocator.clear();
                    for (Buffer buffer : allocator.getAllocatedBuffers()) {
                        buffer.deallocate();
                    }
                }
                case DEALLOCATE_BUFFERS -> allocator.deallocateBuffers();
            }
        }
        while (!tracePool.isEmpty()) {
            tracePool.pollFirstEntry().getValue().drop();
        }
        destroyed = true;
    }
}
