package io.github.meshalloc.mesh;

import com.google.common.base.Preconditions;
import io.github.meshalloc.allocator.Buffer;
import io.github.meshalloc.allocator.BufferRegion;
import io.github.meshalloc.allocator.TtFatalException;
import io.github.meshalloc.mesh.rules.MeshBufferDeallocate;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A buffer that lives at the same address on every chip of a mesh.
 *
 * <p>Models {@code tt::tt_metal::distributed::MeshBuffer} ({@code tt_metal/distributed/mesh_buffer.cpp},
 * late-2025, reference 9.2-9.4). Created without an address, it allocates one <em>backing</em> Buffer on
 * the MeshDevice (so in the mesh's own allocator) and then a non-owning Buffer at that address on every
 * local chip; those per-chip buffers are never registered with the chips' allocators. Created with an
 * address, it is externally owned and allocates nothing.
 *
 * <p>Lifetime, made explicit: {@link #deallocate()} models {@code MeshBuffer::deallocate()} (what
 * {@code ttnn.deallocate} calls); {@link #retain()}/{@link #release()} model copies of the
 * {@code shared_ptr<MeshBuffer>} (a tensor's storage, a program's buffer pool); releasing the last one
 * runs {@code ~MeshBuffer}: {@code deallocate()}, then the per-chip Buffers are destroyed. What
 * {@code deallocate()} does with a live mesh is the {@link MeshBufferDeallocate} rule of the mesh.
 *
 * <p>"Live" is the C++ {@code mesh_device_.lock() != nullptr}: the MeshDevice object still exists, even when it has
 * been closed (the opposite of {@link MeshDevice#isExpired()}). After {@link MeshDevice#close()} a MeshBuffer
 * therefore still takes the live path, and its backing buffer, whose device is no longer initialised, skips the
 * allocator; after {@link MeshDevice#release()} it takes the {@code mark_as_deallocated} path. Neither calls an
 * allocator.
 */
public final class MeshBuffer {
    /** Models the variant {@code state_}. */
    public enum State {
        OWNED,
        EXTERNALLY_OWNED,
        DEALLOCATED,
        VIEW
    }

    private final MeshDevice meshDevice;
    private final MeshBufferConfig config;
    private final DeviceLocalBufferConfig deviceLocalConfig;
    private final long deviceLocalSize;
    private final long address;
    private final Map<MeshCoordinate, Buffer> buffers;
    private final MeshBuffer parent;
    private Buffer backingBuffer;
    private State state;
    private int useCount = 1;

    private MeshBuffer(MeshDevice meshDevice, MeshBufferConfig config, DeviceLocalBufferConfig deviceLocalConfig,
                       long deviceLocalSize, long address, Buffer backingBuffer, State state,
                       Map<MeshCoordinate, Buffer> buffers, MeshBuffer parent) {
        this.meshDevice = meshDevice;
        this.config = config;
        this.deviceLocalConfig = deviceLocalConfig;
        this.deviceLocalSize = deviceLocalSize;
        this.address = address;
        this.backingBuffer = backingBuffer;
        this.state = state;
        this.buffers = Collections.unmodifiableMap(buffers);
        this.parent = parent;
    }

    /** Models {@code MeshBuffer::create(config, local_config, mesh_device)}: allocates in the mesh allocator. */
    public static MeshBuffer create(MeshBufferConfig config, DeviceLocalBufferConfig deviceLocalConfig,
                                    MeshDevice meshDevice) {
        return create(config, deviceLocalConfig, meshDevice, OptionalLong.empty());
    }

    /**
     * Models {@code MeshBuffer::create(config, local_config, mesh_device, address)} (reference 9.3).
     *
     * @param address present for an externally owned buffer (no allocation at all)
     * @throws IllegalArgumentException for an invalid config
     * @throws io.github.meshalloc.allocator.OutOfMemoryException when the mesh allocator cannot place it
     */
    public static MeshBuffer create(MeshBufferConfig config, DeviceLocalBufferConfig deviceLocalConfig,
                                    MeshDevice meshDevice, OptionalLong address) {
        Preconditions.checkNotNull(config, "config");
        Preconditions.checkNotNull(deviceLocalConfig, "deviceLocalConfig");
        Preconditions.checkNotNull(meshDevice, "meshDevice");
        Preconditions.checkNotNull(address, "address");
        // [I] The C++ does not check: Buffer::create would reach the tracker the close reset (undefined behaviour).
        Preconditions.checkState(meshDevice.isInitialized(),
                "mesh device %s is closed; mesh buffers can only be created on an open mesh", meshDevice.id());
        config.validate(meshDevice.shape());
        long localSize = config.deviceLocalSize();
        Preconditions.checkArgument(localSize == 0 || (deviceLocalConfig.pageSize() != 0
                        && localSize % deviceLocalConfig.pageSize() == 0),
                "device-local size %s must be a multiple of the page size %s", localSize,
                deviceLocalConfig.pageSize());
        Buffer backing = null;
        State state;
        long addr;
        if (address.isEmpty()) {
            backing = Buffer.create(meshDevice, localSize, deviceLocalConfig.pageSize(),
                    deviceLocalConfig.bufferType(), deviceLocalConfig.shardingArgs(), deviceLocalConfig.bottomUp(),
                    deviceLocalConfig.subDeviceId());
            state = State.OWNED;
            addr = backing.address();
        } else {
            state = State.EXTERNALLY_OWNED;
            addr = address.getAsLong();
        }
        Map<MeshCoordinate, Buffer> perChip = new LinkedHashMap<>();
        for (MeshCoordinate coord : meshDevice.coordinates()) {
            if (meshDevice.isLocal(coord)) {
                perChip.put(coord, Buffer.create(meshDevice.deviceAt(coord), addr, localSize,
                        deviceLocalConfig.pageSize(), deviceLocalConfig.bufferType(),
                        deviceLocalConfig.shardingArgs(), deviceLocalConfig.bottomUp(), OptionalInt.empty()));
            }
        }
        MeshBuffer meshBuffer = new MeshBuffer(meshDevice, config, deviceLocalConfig, localSize, addr, backing, state,
                perChip, null);
        meshDevice.registerMeshBuffer(meshBuffer);
        return meshBuffer;
    }

    /**
     * Models {@code MeshBuffer::deallocate()} (reference 9.4). With the mesh alive (not expired, open or closed),
     * the mesh's {@link MeshBufferDeallocate} rule decides what is marked first; then the state becomes
     * DEALLOCATED, which drops this MeshBuffer's reference to the backing Buffer. With the mesh expired, the backing
     * buffer is marked deallocated (no allocator call). Idempotent: a DEALLOCATED MeshBuffer is left as it is (the
     * C++ repeats the assignment, to the same effect).
     */
    public void deallocate() {
        if (state == State.DEALLOCATED) {
            return;
        }
        if (!meshDevice.isExpired()) {
            switch (meshDevice.meshRules().meshBufferDeallocate()) {
                case UPSTREAM -> {
                }
                case MARK_DEVICE_BUFFERS -> markDeviceBuffers();
                case BACKING_FIRST_THEN_DEVICE_BUFFERS -> {
                    if (state == State.OWNED) {
                        backingBuffer.markAsDeallocated();
                    }
                    markDeviceBuffers();
                }
                case DEVICE_BUFFERS_THEN_DEALLOCATE_BACKING -> {
                    markDeviceBuffers();
                    if (state == State.OWNED) {
                        backingBuffer.deallocate();
                    }
                }
            }
        } else if (state == State.OWNED) {
            backingBuffer.markAsDeallocated();
        }
        State old = state;
        state = State.DEALLOCATED;
        if (old == State.OWNED) {
            Buffer backing = backingBuffer;
            backingBuffer = null;
            backing.release();
        } else if (old == State.VIEW) {
            parent.release();
        }
    }

    private void markDeviceBuffers() {
        for (Buffer buffer : buffers.values()) {
            buffer.markAsDeallocated();
        }
    }

    /** Models copying the {@code shared_ptr<MeshBuffer>}. */
    public MeshBuffer retain() {
        Preconditions.checkState(useCount > 0, "mesh buffer at %s was already destroyed; it cannot be retained",
                address);
        useCount++;
        return this;
    }

    /**
     * Models dropping one {@code shared_ptr<MeshBuffer>}; the last runs {@code ~MeshBuffer}:
     * {@link #deallocate()}, then every per-chip Buffer is destroyed ({@code ~Buffer}).
     *
     * @throws IllegalStateException if already destroyed
     */
    public void release() {
        Preconditions.checkState(useCount > 0, "mesh buffer at %s was already destroyed", address);
        useCount--;
        if (useCount > 0) {
            return;
        }
        deallocate();
        for (Buffer buffer : buffers.values()) {
            buffer.release();
        }
        meshDevice.unregisterMeshBuffer(this);
    }

    /** Whether {@code ~MeshBuffer} has run. */
    public boolean isDestroyed() {
        return useCount == 0;
    }

    /** Number of live references. */
    public int useCount() {
        return useCount;
    }

    /** Models {@code is_allocated()}: not DEALLOCATED and the mesh not expired (a closed mesh still counts). */
    public boolean isAllocated() {
        return state != State.DEALLOCATED && !meshDevice.isExpired();
    }

    /** The state ({@code state_}). */
    public State state() {
        return state;
    }

    /** Models {@code address()}: the same on every chip. */
    public long address() {
        return address;
    }

    /** Models {@code device_local_size()}. */
    public long deviceLocalSize() {
        return deviceLocalSize;
    }

    /** Models {@code size()}: the global size. */
    public long size() {
        return config.size();
    }

    /** The global config. */
    public MeshBufferConfig globalConfig() {
        return config;
    }

    /** Models {@code device_local_config()}. */
    public DeviceLocalBufferConfig deviceLocalConfig() {
        return deviceLocalConfig;
    }

    /**
     * Models {@code device()}.
     *
     * @throws TtFatalException "Can't get device from mesh buffer, already deallocated" once the mesh has expired
     */
    public MeshDevice device() {
        if (meshDevice.isExpired()) {
            throw new TtFatalException("Can't get device from mesh buffer, already deallocated");
        }
        return meshDevice;
    }

    /** Models {@code page_size()}: the device-local page size. */
    public long pageSize() {
        return deviceLocalConfig.pageSize();
    }

    /**
     * Models {@code get_device_buffer(coord)}.
     *
     * @throws IllegalArgumentException if the coordinate is outside the mesh or remote
     */
    public Buffer getDeviceBuffer(MeshCoordinate coord) {
        Buffer buffer = buffers.get(coord);
        Preconditions.checkArgument(buffer != null, "no local device buffer at %s on a %s mesh", coord,
                meshDevice.shape());
        return buffer;
    }

    /** The per-chip buffers, in mesh order. */
    public Map<MeshCoordinate, Buffer> deviceBuffers() {
        return buffers;
    }

    /**
     * Models {@code get_reference_buffer()}: the first local per-chip buffer.
     *
     * @throws TtFatalException if there is none
     */
    public Buffer getReferenceBuffer() {
        if (buffers.isEmpty()) {
            throw new TtFatalException("MeshBuffer has no local device buffers");
        }
        return buffers.values().iterator().next();
    }

    /** Models {@code get_backing_buffer()}: the backing Buffer while OWNED. */
    public Optional<Buffer> getBackingBuffer() {
        return Optional.ofNullable(backingBuffer);
    }

    /**
     * Models {@code view(region)} (late-2025): the region must be page-aligned and inside the device-local size; the
     * whole buffer gives this MeshBuffer (one more reference); otherwise a VIEW MeshBuffer at the SAME address whose
     * per-chip buffers are {@code Buffer::view}s and which keeps this one alive. Its config is
     * {@code Replicated{region size}}, or this Sharded config with the global size scaled by region / local size
     * (through a {@code double}, truncated, as the C++ does). Like the C++, it does not check this MeshBuffer's state.
     *
     * @throws IllegalArgumentException "Region offset must be a multiple of page size", "Region size must be a
     *                                  multiple of page size" or "Region must be within buffer" (with the values)
     * @throws TtFatalException         "MeshDevice is deallocated" once the mesh has expired
     */
    public MeshBuffer view(BufferRegion region) {
        Preconditions.checkNotNull(region, "region");
        long page = deviceLocalConfig.pageSize();
        Preconditions.checkArgument(page != 0 && region.offset() % page == 0,
                "Region offset must be a multiple of page size: offset %s, page size %s", region.offset(), page);
        Preconditions.checkArgument(region.size() % page == 0,
                "Region size must be a multiple of page size: size %s, page size %s", region.size(), page);
        Preconditions.checkArgument(region.offset() + region.size() <= deviceLocalSize,
                "Region must be within buffer: [%s, %s) exceeds the device-local size %s", region.offset(),
                region.offset() + region.size(), deviceLocalSize);
        if (region.offset() == 0 && region.size() == deviceLocalSize) {
            return retain();
        }
        if (meshDevice.isExpired()) {
            throw new TtFatalException("MeshDevice is deallocated");
        }
        Map<MeshCoordinate, Buffer> views = new LinkedHashMap<>();
        for (Map.Entry<MeshCoordinate, Buffer> entry : buffers.entrySet()) {
            views.put(entry.getKey(), entry.getValue().view(region));
        }
        MeshBufferConfig viewConfig;
        if (config instanceof MeshBufferConfig.Sharded sharded) {
            double ratio = (double) region.size() / deviceLocalSize;
            viewConfig = new MeshBufferConfig.Sharded((long) (sharded.size() * ratio), sharded.globalHeight(),
                    sharded.globalWidth(), sharded.shardHeight(), sharded.shardWidth(), sharded.orientation());
        } else {
            viewConfig = new MeshBufferConfig.Replicated(region.size());
        }
        retain();
        MeshBuffer view = new MeshBuffer(meshDevice, viewConfig, deviceLocalConfig, region.size(), address, null,
                State.VIEW, views, this);
        meshDevice.registerMeshBuffer(view);
        return view;
    }

    /** The MeshBuffer a VIEW keeps alive ({@code ViewState::parent}), or empty. */
    public Optional<MeshBuffer> parent() {
        return Optional.ofNullable(state == State.VIEW ? parent : null);
    }

    @Override
    public String toString() {
        return "MeshBuffer{address=" + address + ", localSize=" + deviceLocalSize + ", "
                + deviceLocalConfig.bufferType() + ", " + state + "}";
    }
}
