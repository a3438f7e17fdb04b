package io.github.meshalloc.allocator;

import com.google.common.base.Preconditions;
import io.github.meshalloc.allocator.rules.SubDeviceManagerTeardown;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The sub-device managers of one device (chip or mesh) and which one is active.
 *
 * <p>Models {@code tt::tt_metal::SubDeviceManagerTracker}
 * ({@code tt_metal/impl/sub_device/sub_device_manager_tracker.cpp}, reference 12.2). Managers are kept
 * in id order (the C++ {@code unordered_map} order is unspecified).
 */
public final class SubDeviceManagerTracker {
    private final MetalContext context;
    private final Allocator globalAllocator;
    private final TreeMap<Long, SubDeviceManager> managers = new TreeMap<>();
    private final SubDeviceManager defaultManager;
    private SubDeviceManager activeManager;
    private boolean destroyed;

    /** Models the constructor: a default manager owning {@code globalAllocator}, with one sub-device = the compute grid. */
    public SubDeviceManagerTracker(MetalContext context, Allocator globalAllocator) {
        this.context = Preconditions.checkNotNull(context, "context");
        this.globalAllocator = Preconditions.checkNotNull(globalAllocator, "globalAllocator");
        this.defaultManager = SubDeviceManager.createDefault(context, globalAllocator,
                List.of(new SubDevice(globalAllocator.getConfig().computeGrid())));
        managers.put(defaultManager.id(), defaultManager);
        this.activeManager = defaultManager;
    }

    private void checkAlive() {
        Preconditions.checkState(!destroyed, "the sub device manager tracker was destroyed (device closed)");
    }

    /** Models {@code create_sub_device_manager(sub_devices, local_l1_size)}: returns the new manager's id. */
    public long createSubDeviceManager(List<SubDevice> subDevices, long localL1Size) {
        checkAlive();
        SubDeviceManager manager = SubDeviceManager.create(context, globalAllocator, subDevices, localL1Size);
        managers.put(manager.id(), manager);
        return manager.id();
    }

    private SubDeviceManager manager(long id) {
        SubDeviceManager manager = managers.get(id);
        if (manager == null) {
            throw new TtFatalException("Sub device manager does not exist");
        }
        return manager;
    }

    /**
     * Models {@code load_sub_device_manager(id)}: no-op if already active; refuses to switch away from a
     * non-default manager that still has allocations; resets the global L1 allocator and shrinks it from
     * the bottom by the new manager's local L1 size (fails if a global L1 allocation sits there).
     *
     * <p>As in the C++, a failed shrink is not undone: the reset has already happened, so the previously
     * active manager stays active over a global L1 allocator that is no longer shrunk (when that manager is
     * the default one, whose local size is 0, nothing has changed).
     *
     * @throws TtFatalException "Cannot switch sub device managers while sub devices still have local allocations",
     *                          "Sub device manager does not exist", or the free list's shrink errors
     */
    public void loadSubDeviceManager(long id) {
        checkAlive();
        if (activeManager.id() == id) {
            return;
        }
        if (activeManager != defaultManager && activeManager.hasAllocations()) {
            throw new TtFatalException(
                    "Cannot switch sub device managers while sub devices still have local allocations");
        }
        SubDeviceManager target = manager(id);
        globalAllocator.resetAllocatorSize(BufferType.L1);
        globalAllocator.shrinkAllocatorSize(BufferType.L1, target.localL1Size(), true);
        activeManager = target;
    }

    /** Models {@code clear_loaded_sub_device_manager()}: load the default manager. */
    public void clearLoadedSubDeviceManager() {
        loadSubDeviceManager(defaultManager.id());
    }

    /**
     * Models {@code remove_sub_device_manager(id)}: destroys it.
     *
     * @throws TtFatalException "Cannot remove active sub device manager {id}", "Cannot remove default sub device
     *                          manager {id}" (checked in that order), or "Sub device manager does not exist"
     */
    public void removeSubDeviceManager(long id, SubDeviceManagerTeardown teardown) {
        checkAlive();
        if (id == activeManager.id()) {
            throw new TtFatalException("Cannot remove active sub device manager " + id);
        }
        if (id == defaultManager.id()) {
            throw new TtFatalException("Cannot remove default sub device manager " + id);
        }
        SubDeviceManager manager = manager(id);
        managers.remove(id);
        manager.destroy(teardown);
    }

    /** The active manager. */
    public SubDeviceManager activeSubDeviceManager() {
        checkAlive();
        return activeManager;
    }

    /** The default manager. */
    public SubDeviceManager defaultSubDeviceManager() {
        checkAlive();
        return defaultManager;
    }

    /** The global allocator (the default manager's sub-device 0 allocator). */
    public Allocator globalAllocator() {
        checkAlive();
        return globalAllocator;
    }

    /**
     * Models {@code lowest_occupied_compute_l1_address(sub_device_ids)}: the minimum of the global
     * allocator's lowest L1 address at bank id 0 (literally; fatal "Expected bank 0 to be tracked!" if a
     * remap left no bank 0 and something is allocated) and, for the listed sub-devices (all of the active
     * manager's when none are listed and it is not the default), their local allocators' lowest address
     * at the bank of their first core.
     */
    public OptionalLong lowestOccupiedComputeL1Address(List<Integer> subDeviceIds) {
        checkAlive();
        List<Long> candidates = new ArrayList<>();
        int globalBankId = 0;
        globalAllocator.getLowestOccupiedL1Address(globalBankId).ifPresent(candidates::add);
        List<Integer> ids = new ArrayList<>(subDeviceIds);
        if (ids.isEmpty() && activeManager != defaultManager) {
            for (int i = 0; i < activeManager.subDevices().size(); i++) {
                ids.add(i);
            }
        }
        for (int id : ids) {
            if (activeManager == defaultManager || !activeManager.hasAllocator(id)) {
                continue;
            }
            Allocator local = activeManager.allocator(id);
            CoreCoord first = activeManager.subDevices().get(id).tensixCores().ranges().get(0).start();
            int bank = local.getBankIdsFromLogicalCore(first).get(0);
            local.getLowestOccupiedL1Address(bank).ifPresent(candidates::add);
        }
        return candidates.stream().mapToLong(Long::longValue).min();
    }

    /**
     * Models {@code ~SubDeviceManagerTracker()}: destroys every manager in id order, the default one
     * included. The active id stays readable until all are destroyed, so that sub-device buffers freed
     * during teardown pass their "manager still active" check [I: the C++ nulls the active pointer first].
     */
    public void destroy(SubDeviceManagerTeardown teardown) {
        checkAlive();
        for (SubDeviceManager manager : new ArrayList<>(managers.values())) {
            manager.destroy(teardown);
        }
        managers.clear();
        destroyed = true;
    }

    /** Whether the tracker has been destroyed. */
    public boolean isDestroyed() {
        return destroyed;
    }
}
