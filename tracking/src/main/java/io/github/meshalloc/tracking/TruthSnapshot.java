package io.github.meshalloc.tracking;

import com.google.common.base.Preconditions;
import io.github.meshalloc.allocator.AllocationStatus;
import io.github.meshalloc.allocator.Allocator;
import io.github.meshalloc.allocator.Buffer;
import io.github.meshalloc.allocator.BufferType;
import io.github.meshalloc.allocator.Device;
import io.github.meshalloc.mesh.CircularBufferSpec;
import io.github.meshalloc.mesh.MeshDevice;
import io.github.meshalloc.mesh.Program;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What device memory holds at one moment, read from the simulated allocators and programs, never reconstructed
 * from tracking events (so a reporting bug cannot hide itself).
 *
 * <p>Models the ground truth a hardware debugger would read: every live Buffer of every chip allocator at its chip
 * and address; every live Buffer of a mesh allocator projected onto every chip of its mesh at the same address
 * (reference 9.3: a MeshBuffer lives at one address on every chip); and every circular buffer of every cached
 * program on every chip of its mesh (reference 11). Alongside, {@link #findings()} lists where an allocator's own
 * books disagree: a bank range held by a Buffer that is no longer ALLOCATED or was destroyed (seed 003's final fix
 * leaks exactly so), a range no Buffer stands behind, a live Buffer whose range the bank manager no longer holds,
 * and any range still held by a closed mesh.
 *
 * <p>Only live processes' meshes count: a killed process's device memory goes with it.
 *
 * @param allocations live allocations, in capture order (meshes, then allocators, then allocation order)
 * @param findings    allocator inconsistencies, in the same order
 */
public record TruthSnapshot(List<Allocation> allocations, List<AllocatorFinding> findings) {

    /** Where an allocation comes from. */
    public enum Kind {
        /** A Buffer in a chip's own allocator (a single-chip buffer). */
        CHIP_BUFFER,
        /** A Buffer in a mesh allocator (a MeshBuffer's backing buffer), projected on one chip. */
        MESH_BUFFER,
        /** A circular buffer of a cached program, on one chip. */
        CIRCULAR_BUFFER
    }

    /**
     * One allocation on one chip.
     *
     * @param pid            owning process
     * @param chipId         physical chip id
     * @param address        bank-local address (the buffer id the fork reports)
     * @param size           {@code Buffer::size()}, or the CB size
     * @param type           buffer type (CBs are L1)
     * @param kind           origin
     * @param bufferUniqueId {@code Buffer::unique_id()} in its process, or -1 for a CB
     * @param source         the allocator's name, or the program (for a CB)
     */
    public record Allocation(int pid, int chipId, long address, long size, BufferType type, Kind kind,
                             long bufferUniqueId, String source) {

        /** One line for reports. */
        public String describe() {
            String what = kind == Kind.CIRCULAR_BUFFER ? "CB of " + source
                    : "buffer #" + bufferUniqueId + " in " + source;
            return what + " (" + type + ", " + size + " B, process " + pid + ")";
        }
    }

    /** What an allocator's books disagree on. */
    public enum FindingKind {
        /** A bank range is held for a Buffer marked DEALLOCATED that is still alive: its range is never returned. */
        RANGE_HELD_BY_DEALLOCATED_BUFFER,
        /** A bank range is held for a Buffer whose last reference was dropped: leaked for good. */
        RANGE_HELD_BY_DESTROYED_BUFFER,
        /** A bank range is held that no Buffer of the allocator stands behind. */
        RANGE_WITHOUT_BUFFER,
        /** A live, ALLOCATED Buffer whose range the bank manager no longer holds (it can be handed out again). */
        BUFFER_WITHOUT_RANGE,
        /** A bank range is still held by an allocator of a closed mesh. */
        RANGE_HELD_AFTER_CLOSE
    }

    /**
     * One disagreement inside one allocator.
     *
     * @param pid            owning process
     * @param allocator      the allocator's name
     * @param kind           what disagrees
     * @param type           bank type
     * @param address        the range's start (bank-local)
     * @param size           the Buffer's size when a Buffer is involved
     * @param bufferUniqueId the Buffer's unique id, or -1
     * @param buffer         the Buffer as text, or empty
     * @param chipIds        the chips the range occupies
     */
    public record AllocatorFinding(int pid, String allocator, FindingKind kind, BufferType type, long address,
                                   OptionalLong size, long bufferUniqueId, String buffer, List<Integer> chipIds) {
        public AllocatorFinding {
            chipIds = List.copyOf(chipIds);
        }

        /** Whether device memory is lost (every kind but {@link FindingKind#BUFFER_WITHOUT_RANGE}). */
        public boolean leaksMemory() {
            return kind != FindingKind.BUFFER_WITHOUT_RANGE;
        }

        /** One line for reports. */
        public String describe() {
            return allocator + ": " + kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " at "
                    + type + " " + address + (size.isPresent() ? " (" + size.getAsLong() + " B)" : "")
                    + (buffer.isEmpty() ? "" : ", " + buffer) + " on chips " + chipIds;
        }
    }

    private static final List<BufferType> BANK_TYPES =
            List.of(BufferType.DRAM, BufferType.L1, BufferType.L1_SMALL, BufferType.TRACE);

    public TruthSnapshot {
        allocations = List.copyOf(allocations);
        findings = List.copyOf(findings);
    }

    /** The truth of every open mesh of every live process of {@code host}. */
    public static TruthSnapshot read(Host host) {
        Preconditions.checkNotNull(host, "host");
        List<DeviceMemory> meshes = new ArrayList<>();
        for (SimulatedProcess process : host.processes()) {
            if (!process.isAlive()) {
                continue;
            }
            for (MeshDevice mesh : process.meshes()) {
                if (mesh.isInitialized()) {
                    meshes.add(DeviceMemory.capture(process.pid(), mesh));
                }
            }
        }
        return read(meshes);
    }

    /**
     * The truth of the given captures: allocations and findings of open devices, and, for closed ones, any range
     * their allocators still hold.
     */
    public static TruthSnapshot read(List<DeviceMemory> devices) {
        Preconditions.checkNotNull(devices, "devices");
        List<Allocation> allocations = new ArrayList<>();
        List<AllocatorFinding> findings = new ArrayList<>();
        for (DeviceMemory memory : devices) {
            boolean open = memory.device().isInitialized();
            for (DeviceMemory.AllocatorView view : memory.allocators()) {
                readAllocator(memory.pid(), view, open, allocations, findings);
            }
            if (open && memory.mesh().isPresent()) {
                readCircularBuffers(memory.pid(), memory.mesh().get(), allocations);
            }
        }
        return new TruthSnapshot(allocations, findings);
    }

    private static void readAllocator(int pid, DeviceMemory.AllocatorView view, boolean open,
                                      List<Allocation> allocations, List<AllocatorFinding> findings) {
        Allocator allocator = view.allocator();
        if (allocator.holdsNoBufferNorAddress()) {
            return; // every type below would find nothing held and no Buffer
        }
        Kind kind = view.meshWide() ? Kind.MESH_BUFFER : Kind.CHIP_BUFFER;
        List<Buffer> buffers = allocator.getAllocatedBuffers();
        for (BufferType type : BANK_TYPES) {
            List<Long> held = allocator.holdsNoAddress(type) ? List.of() : allocator.getAllocatedAddresses(type);
            List<Buffer> ofType = new ArrayList<>();
            for (Buffer buffer : buffers) {
                if (buffer.bufferType() == type) {
                    ofType.add(buffer);
                }
            }
            if (held.isEmpty() && ofType.isEmpty()) {
                continue;
            }
            if (!open) {
                for (long address : held) {
                    findings.add(finding(pid, view, FindingKind.RANGE_HELD_AFTER_CLOSE, type, address,
                            bufferAt(ofType, address)));
                }
                continue;
            }
            Set<Long> heldSet = held.size() > 8 ? new HashSet<>(held) : null;
            for (long address : held) {
                Buffer owner = bufferAt(ofType, address);
                if (owner == null) {
                    findings.add(finding(pid, view, FindingKind.RANGE_WITHOUT_BUFFER, type, address, null));
                } else if (owner.isDestroyed()) {
                    findings.add(finding(pid, view, FindingKind.RANGE_HELD_BY_DESTROYED_BUFFER, type, address, owner));
                } else if (owner.allocationStatus() != AllocationStatus.ALLOCATED) {
                    findings.add(finding(pid, view, FindingKind.RANGE_HELD_BY_DEALLOCATED_BUFFER, type, address,
                            owner));
                } else {
                    for (int chip : view.chipIds()) {
                        allocations.add(new Allocation(pid, chip, address, owner.size(), type, kind,
                                owner.uniqueId(), view.name()));
                    }
                }
            }
            for (Buffer buffer : ofType) {
                boolean rangeHeld = heldSet != null ? heldSet.contains(buffer.address()) : held.contains(buffer.address());
                if (!rangeHeld && isLive(buffer)) {
                    findings.add(finding(pid, view, FindingKind.BUFFER_WITHOUT_RANGE, type, buffer.address(), buffer));
                }
            }
        }
    }

    /** The Buffer at {@code address}, a live one if several share it (a destroyed one keeps its address). */
    private static Buffer bufferAt(List<Buffer> buffers, long address) {
        Buffer found = null;
        for (Buffer buffer : buffers) {
            if (buffer.address() == address) {
                if (isLive(buffer)) {
                    return buffer;
                }
                if (found == null) {
                    found = buffer;
                }
            }
        }
        return found;
    }

    private static boolean isLive(Buffer buffer) {
        return !buffer.isDestroyed() && buffer.allocationStatus() == AllocationStatus.ALLOCATED;
    }

    private static AllocatorFinding finding(int pid, DeviceMemory.AllocatorView view, FindingKind kind, BufferType type,
                                            long address, Buffer buffer) {
        return new AllocatorFinding(pid, view.name(), kind, type, address,
                buffer == null ? OptionalLong.empty() : OptionalLong.of(buffer.size()),
                buffer == null ? -1 : buffer.uniqueId(), buffer == null ? "" : buffer.toString(), view.chipIds());
    }

    private static void readCircularBuffers(int pid, MeshDevice mesh, List<Allocation> allocations) {
        for (Program program : mesh.programCache().programs()) {
            List<Long> addresses = program.circularBufferAddresses();
            List<CircularBufferSpec> specs = program.spec().circularBuffers();
            String source = "program " + program.id() + " (" + program.spec().name() + ") on mesh " + mesh.id();
            for (int i = 0; i < addresses.size(); i++) {
                if (specs.get(i).globalAddress().isPresent()) {
                    continue; // backed by a Buffer, counted where that Buffer lives
                }
                for (Device chip : mesh.devices()) {
                    allocations.add(new Allocation(pid, chip.id(), addresses.get(i), specs.get(i).size(),
                            BufferType.L1, Kind.CIRCULAR_BUFFER, -1, source));
                }
            }
        }
    }

    /** Whether any finding loses device memory. */
    public boolean leaksMemory() {
        for (AllocatorFinding f : findings) {
            if (f.leaksMemory()) {
                return true;
            }
        }
        return false;
    }
}
