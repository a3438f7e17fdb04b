package io.github.meshalloc.mesh;

import io.github.meshalloc.allocator.Buffer;
import io.github.meshalloc.allocator.BufferShardingArgs;
import io.github.meshalloc.allocator.BufferType;
import io.github.meshalloc.allocator.CoreCoord;
import io.github.meshalloc.allocator.CoreRange;
import io.github.meshalloc.allocator.HalMemType;
import io.github.meshalloc.allocator.SubDevice;
import io.github.meshalloc.allocator.SubDeviceManager;
import io.github.meshalloc.allocator.SubDeviceManagerTracker;
import io.github.meshalloc.allocator.TtFatalException;
import io.github.meshalloc.mesh.rules.ProgramBufferPoolRelease;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * A compiled program on a MeshDevice: its kernel binary buffer, its circular buffers and the buffers it
 * keeps alive.
 *
 * <p>Models the memory side of {@code tt::tt_metal::Program} / {@code detail::ProgramImpl}
 * ({@code tt_metal/impl/program/program.cpp}, reference 11). {@link #destroy()} models
 * {@code ~Program}: CBs deallocated, the buffer pool released or not per {@link ProgramBufferPoolRelease}, the
 * kernel binary MeshBuffer dropped.
 *
 * <p>{@code track_deallocate_cb}: upstream late-2025 never calls it from a program's destruction; the seeds' fork
 * does, from {@code ~ProgramImpl} via {@code deallocate_circular_buffers()}, once per device whose CBs it allocated
 * (MUM/CB_MULTI_DEVICE_FIX.md) [3P]. meshalloc always makes that call, when local CBs were allocated, because it is
 * the seam the tracking module's processors read; whether anything is reported is the rule set's
 * {@code CircularBufferReporting} there [I].
 */
public final class Program {
    private final long id;
    private final ProgramSpec spec;
    private final MeshDevice device;
    private final Map<CoreRange, CircularBufferAllocator> cbAllocators = new LinkedHashMap<>();
    private final long[] cbAddresses;
    private final List<Buffer> bufferPool = new ArrayList<>();
    private MeshBuffer kernelBinary;
    private boolean localAllocationNeeded;
    private boolean cbsAllocated;
    private boolean destroyed;

    /**
     * Models building the program: {@code add_circular_buffer_} for each CB in order (one CB allocator per distinct
     * core range; a globally allocated CB takes its address at once, a local one marks allocation as needed).
     */
    Program(ProgramSpec spec, MeshDevice device) {
        this.id = device.context().nextProgramId();
        this.spec = spec;
        this.device = device;
        this.cbAddresses = new long[spec.circularBuffers().size()];
        for (int i = 0; i < cbAddresses.length; i++) {
            CircularBufferSpec cb = spec.circularBuffers().get(i);
            if (cb.globalAddress().isPresent()) {
                cbAddresses[i] = cb.globalAddress().getAsLong();
            } else {
                localAllocationNeeded = true;
            }
            for (CoreRange range : cb.coreRanges().ranges()) {
                cbAllocators.computeIfAbsent(range, CircularBufferAllocator::new);
            }
        }
    }

    /**
     * Models compiling and loading the kernel binaries: a replicated DRAM MeshBuffer of the binary size,
     * top-down, plus a temporary per-chip Buffer at the same address, created and destroyed while the
     * binary is written (seed-arithmetic.md assumption 2).
     */
    void loadKernelBinary() {
        if (spec.kernelBinarySize() == 0) {
            return;
        }
        kernelBinary = MeshBuffer.create(new MeshBufferConfig.Replicated(spec.kernelBinarySize()),
                DeviceLocalBufferConfig.interleaved(spec.kernelBinaryPageSize(), BufferType.DRAM, false), device);
        List<Buffer> writes = new ArrayList<>();
        for (MeshCoordinate coord : device.coordinates()) {
            writes.add(Buffer.create(device.deviceAt(coord), kernelBinary.address(), spec.kernelBinarySize(),
                    spec.kernelBinaryPageSize(), BufferType.DRAM, BufferShardingArgs.INTERLEAVED, Optional.of(false),
                    OptionalInt.empty()));
        }
        for (Buffer write : writes) {
            write.release();
        }
    }

    /**
     * Models {@code allocate_circular_buffers(device)} (reference 11): each locally allocated CB goes at
     * the L1 base or above the regions of allocators with exactly its core ranges, rounded up to the DRAM
     * alignment, is marked in every intersecting allocator, and is reported with {@code track_allocate_cb}.
     */
    void allocateCircularBuffers() {
        if (!localAllocationNeeded) {
            return;
        }
        long base = device.allocator().getBaseAllocatorAddr(HalMemType.L1);
        long alignment = device.allocator().getConfig().dramAlignment();
        for (int i = 0; i < cbAddresses.length; i++) {
            CircularBufferSpec cb = spec.circularBuffers().get(i);
            if (cb.globalAddress().isPresent()) {
                continue;
            }
            long address = base;
            for (CoreRange range : cb.coreRanges().ranges()) {
                CircularBufferAllocator exact = cbAllocators.get(range);
                if (exact != null) {
                    address = Math.max(address, exact.cbRegionEnd());
                }
            }
            address = (address + alignment - 1) / alignment * alignment;
            for (CoreRange range : cb.coreRanges().ranges()) {
                for (CircularBufferAllocator allocator : cbAllocators.values()) {
                    if (!allocator.coreRange().intersects(range)) {
                        continue;
                    }
                    if (!allocator.coreRange().equals(range) && address < allocator.cbRegionEnd()) {
                        continue;
                    }
                    allocator.markAddress(address, cb.size(), base);
                }
            }
            device.context().graphTracker().trackAllocateCb(cb.coreRanges(), address, cb.size(), false, device);
            cbAddresses[i] = address;
        }
        localAllocationNeeded = false;
        cbsAllocated = true;
    }

    /**
     * Models {@code determine_sub_device_ids(device)}: {@code [0]} while the default sub-device manager is active;
     * otherwise the ids, ascending [I: the C++ collects them in an {@code unordered_set}], of the active manager's
     * sub-devices whose Tensix cores intersect the program's cores, fatal unless those intersections cover every
     * core. The program's cores are its circular buffers' cores here [I: the C++ walks its kernel groups, which
     * meshalloc does not model].
     *
     * @throws TtFatalException "Kernel group cores do not match sub device cores for programmable core type TENSIX"
     */
    List<Integer> determineSubDeviceIds() {
        SubDeviceManagerTracker tracker = device.subDeviceManagerTracker();
        SubDeviceManager active = tracker.activeSubDeviceManager();
        if (active == tracker.defaultSubDeviceManager()) {
            return List.of(0);
        }
        TreeSet<Integer> used = new TreeSet<>();
        long intersections = 0;
        long cores = 0;
        List<SubDevice> subDevices = active.subDevices();
        for (CircularBufferSpec cb : spec.circularBuffers()) {
            for (int i = 0; i < subDevices.size(); i++) {
                long inside = 0;
                for (CoreCoord core : cb.coreRanges().cores()) {
                    if (subDevices.get(i).tensixCores().contains(core)) {
                        inside++;
                    }
                }
                if (inside > 0) {
                    used.add(i);
                    intersections += inside;
                }
            }
            cores += cb.coreRanges().numCores();
        }
        if (intersections != cores) {
            throw new TtFatalException(
                    "Kernel group cores do not match sub device cores for programmable core type TENSIX");
        }
        return List.copyOf(used);
    }

    /**
     * Models {@code validate_circular_buffer_region(device)}: fatal if a CB region grows beyond L1 or reaches
     * the lowest occupied compute L1 address of the mesh's allocators for the program's sub-devices (the mesh
     * allocator, and the active manager's local allocators of those sub-devices, reference 12.2).
     */
    void validateCircularBufferRegion() {
        OptionalLong lowest = device.lowestOccupiedComputeL1Address(determineSubDeviceIds());
        long maxL1 = device.l1SizePerCore();
        for (CircularBufferAllocator allocator : cbAllocators.values()) {
            if (!allocator.hasRegions()) {
                continue;
            }
            long end = allocator.cbRegionEnd();
            if (end > maxL1) {
                throw new TtFatalException("Statically allocated circular buffers on core range "
                        + allocator.coreRange() + " grow to " + end + " B which is beyond max L1 size of " + maxL1
                        + " B");
            }
            if (lowest.isPresent() && lowest.getAsLong() < end) {
                throw new TtFatalException("Statically allocated circular buffers in program " + id
                        + " clash with L1 buffers on core range " + allocator.coreRange()
                        + ". L1 buffer allocated at " + lowest.getAsLong()
                        + " and static circular buffer region ends at " + end);
            }
        }
    }

    /** Models {@code Program::add_buffer}: the program keeps the buffer alive. */
    void addBuffer(Buffer buffer) {
        bufferPool.add(buffer.retain());
    }

    /** Models {@code ~Program}. */
    void destroy() {
        if (destroyed) {
            return;
        }
        destroyed = true;
        if (cbsAllocated) {
            device.context().graphTracker().trackDeallocateCb(device);
            for (CircularBufferAllocator allocator : cbAllocators.values()) {
                allocator.reset();
            }
            cbsAllocated = false;
        }
        if (device.meshRules().programBufferPoolRelease() == ProgramBufferPoolRelease.AT_DESTRUCTION) {
            for (Buffer buffer : bufferPool) {
                buffer.release();
            }
            bufferPool.clear();
        } else {
            device.leakBuffers(bufferPool);
            bufferPool.clear();
        }
        if (kernelBinary != null) {
            kernelBinary.release();
            kernelBinary = null;
        }
    }

    /** Models {@code get_id()}. */
    public long id() {
        return id;
    }

    /** The spec. */
    public ProgramSpec spec() {
        return spec;
    }

    /**
     * CB addresses in creation order: globally allocated CBs at their buffer's address, local ones where
     * {@code allocate_circular_buffers} put them (empty while local CBs still await allocation).
     */
    public List<Long> circularBufferAddresses() {
        if (localAllocationNeeded) {
            return List.of();
        }
        List<Long> addresses = new ArrayList<>(cbAddresses.length);
        for (long address : cbAddresses) {
            addresses.add(address);
        }
        return List.copyOf(addresses);
    }

    /** The kernel binary MeshBuffer, while the program lives. */
    public Optional<MeshBuffer> kernelBinary() {
        return Optional.ofNullable(kernelBinary);
    }

    /** The CB allocators (one per distinct core range). */
    public List<CircularBufferAllocator> circularBufferAllocators() {
        return List.copyOf(cbAllocators.values());
    }

    /** Whether {@code ~Program} has run. */
    public boolean isDestroyed() {
        return destroyed;
    }
}
