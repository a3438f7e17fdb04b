package io.github.meshalloc.tracking;

import com.google.common.base.Preconditions;
import io.github.meshalloc.allocator.Allocator;
import io.github.meshalloc.allocator.Device;
import io.github.meshalloc.allocator.IDevice;
import io.github.meshalloc.allocator.SubDeviceManager;
import io.github.meshalloc.allocator.SubDeviceManagerTracker;
import io.github.meshalloc.mesh.MeshDevice;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The allocators one process's device (a MeshDevice or a single chip) keeps its memory in, captured while it is open.
 *
 * <p>Stands for what a debugger would read out of a live {@code MeshDevice}: the mesh's own allocator
 * ({@code MeshDevice::allocator()}, reference 9.1) and the local allocators of its active sub-device manager, whose
 * ranges exist on every chip of the mesh, and each chip's own allocator ({@code Device::allocator()}), whose ranges
 * exist on that chip only; or, for a chip opened on its own ({@code CreateDevice}), that chip's allocators. Captured
 * objects stay readable after {@code close()} (the C++ destroys them there), so that a check can still ask whether
 * anything was left behind.
 *
 * @param pid        the process that opened the device
 * @param device     the MeshDevice or single chip
 * @param allocators every allocator, mesh-wide ones first, then chips in mesh order
 */
public record DeviceMemory(int pid, IDevice device, List<AllocatorView> allocators) {

    /**
     * One allocator and the chips its ranges occupy.
     *
     * @param name      readable name, e.g. {@code "mesh 0 allocator"} or {@code "chip 4 allocator"}
     * @param allocator the allocator
     * @param chipIds   the chips every range of this allocator occupies (all chips for mesh allocators)
     * @param meshWide  whether this is a mesh allocator (ranges projected on every chip) or a chip's own
     */
    public record AllocatorView(String name, Allocator allocator, List<Integer> chipIds, boolean meshWide) {
        public AllocatorView {
            Preconditions.checkNotNull(name, "name");
            Preconditions.checkNotNull(allocator, "allocator");
            chipIds = List.copyOf(chipIds);
        }
    }

    public DeviceMemory {
        Preconditions.checkNotNull(device, "device");
        allocators = List.copyOf(allocators);
    }

    /**
     * Captures the allocators of an open mesh: the mesh allocator, the active sub-device manager's local
     * allocators, and every chip's allocator.
     *
     * @throws IllegalStateException if the mesh is closed
     */
    public static DeviceMemory capture(int pid, MeshDevice mesh) {
        Preconditions.checkNotNull(mesh, "mesh");
        Preconditions.checkState(mesh.isInitialized(), "mesh %s is closed; capture its allocators while it is open",
                mesh.id());
        List<Integer> chips = new ArrayList<>(mesh.numDevices());
        for (Device chip : mesh.devices()) {
            chips.add(chip.id());
        }
        List<AllocatorView> views = new ArrayList<>();
        Map<Allocator, Boolean> seen = new IdentityHashMap<>();
        addTracker(views, seen, "mesh " + mesh.id(), mesh.subDeviceManagerTracker(), chips, true);
        for (Device chip : mesh.devices()) {
            addTracker(views, seen, "chip " + chip.id(), chip.subDeviceManagerTracker(), List.of(chip.id()), false);
        }
        return new DeviceMemory(pid, mesh, views);
    }

    /**
     * Captures the allocators of a chip opened on its own: its global allocator and its active sub-device manager's
     * local allocators.
     *
     * @throws IllegalStateException if the chip is closed
     */
    public static DeviceMemory capture(int pid, Device chip) {
        Preconditions.checkNotNull(chip, "chip");
        Preconditions.checkState(chip.isInitialized(), "chip %s is closed; capture its allocators while it is open",
                chip.id());
        List<AllocatorView> views = new ArrayList<>();
        addTracker(views, new IdentityHashMap<>(), "chip " + chip.id(), chip.subDeviceManagerTracker(),
                List.of(chip.id()), false);
        return new DeviceMemory(pid, chip, views);
    }

    /** The device as a mesh, if it is one. */
    public java.util.Optional<MeshDevice> mesh() {
        return device instanceof MeshDevice m ? java.util.Optional.of(m) : java.util.Optional.empty();
    }

    private static void addTracker(List<AllocatorView> views, Map<Allocator, Boolean> seen, String owner,
                                   SubDeviceManagerTracker tracker, List<Integer> chips, boolean meshWide) {
        Allocator global = tracker.globalAllocator();
        seen.put(global, Boolean.TRUE);
        views.add(new AllocatorView(owner + " allocator", global, chips, meshWide));
        SubDeviceManager active = tracker.activeSubDeviceManager();
        for (int i = 0; i < active.subDevices().size(); i++) {
            if (active.hasAllocator(i) && seen.put(active.allocator(i), Boolean.TRUE) == null) {
                views.add(new AllocatorView(owner + " sub-device manager " + active.id() + " sub-device " + i
                        + " allocator", active.allocator(i), chips, meshWide));
            }
        }
    }

    /**
     * This capture plus the allocators of {@code later} it does not hold yet (sub-device local allocators created
     * since): a session keeps every allocator it ever saw, so that memory left in one is still found.
     *
     * @throws IllegalArgumentException if {@code later} is a capture of another device object
     */
    public DeviceMemory merge(DeviceMemory later) {
        Preconditions.checkNotNull(later, "later");
        Preconditions.checkArgument(later.device == device,
                "captures of different devices cannot be merged: this capture is of %s, the later one of %s; "
                        + "merge only later captures of the same device", device, later.device);
        Map<Allocator, Boolean> seen = new IdentityHashMap<>();
        List<AllocatorView> views = new ArrayList<>(allocators);
        for (AllocatorView view : allocators) {
            seen.put(view.allocator(), Boolean.TRUE);
        }
        for (AllocatorView view : later.allocators) {
            if (seen.put(view.allocator(), Boolean.TRUE) == null) {
                views.add(view);
            }
        }
        return views.size() == allocators.size() ? this : new DeviceMemory(pid, device, views);
    }
}
