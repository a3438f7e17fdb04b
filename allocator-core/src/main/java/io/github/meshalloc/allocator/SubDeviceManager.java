package io.github.meshalloc.allocator;

import com.google.common.base.Preconditions;
import io.github.meshalloc.allocator.rules.SubDeviceManagerTeardown;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A set of sub-devices with one allocator each (or none).
 *
 * <p>Models {@code tt::tt_metal::SubDeviceManager} ({@code tt_metal/impl/sub_device/sub_device_manager.cpp},
 * reference 12.1). The default manager owns the device's global allocator as sub-device 0's allocator;
 * a regular manager builds, for every sub-device with Tensix cores, a sharded-only L1 allocator over
 * {@code [l1_unreserved_base, l1_unreserved_base + local_l1_size)} whose bank ids are the global ones.
 * {@link #destroy(SubDeviceManagerTeardown)} models the destructor.
 */
public final class SubDeviceManager {
    /** Maximum number of sub-devices per manager ({@code DISPATCH_MESSAGE_ENTRIES}) [I: value of the 2025 dispatch constants]. */
    public static final int DISPATCH_MESSAGE_ENTRIES = 16;

    private final long id;
    private final List<SubDevice> subDevices;
    private final long localL1Size;
    private final List<Allocator> allocators;
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

    /** Whether the destructor has run. */
    public boolean isDestroyed() {
        return destroyed;
    }

    /**
     * Models {@code ~SubDeviceManager()}: releases every allocator the way {@code teardown} says
     * (upstream: clear, then {@code DeallocateBuffer} on each remaining buffer).
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
        destroyed = true;
    }
}
