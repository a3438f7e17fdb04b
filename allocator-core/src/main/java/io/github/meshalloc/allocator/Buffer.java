package io.github.meshalloc.allocator;

import com.google.common.base.Preconditions;
import io.github.meshalloc.allocator.rules.CoreRules;
import io.github.meshalloc.allocator.rules.PreallocatedTracking;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A device buffer: size, page size, type, layout, placement direction, and an address once allocated.
 *
 * <p>Models {@code tt::tt_metal::Buffer} ({@code tt_metal/api/tt-metalium/buffer.hpp},
 * {@code tt_metal/impl/buffers/buffer.cpp}, late-2025, reference 8) and the hook/tracker order of
 * reference 10. C++ {@code shared_ptr} lifetimes become explicit calls:
 * <ul>
 *   <li>{@link #create} returns a buffer holding one reference (the {@code shared_ptr} the caller gets);</li>
 *   <li>{@link #retain()} models copying that {@code shared_ptr} (a MeshBuffer state, a program's
 *       buffer pool, a view's {@code root_buffer_});</li>
 *   <li>{@link #release()} models dropping one copy; dropping the last runs {@code ~Buffer}
 *       ({@link #isDestroyed()} then turns true).</li>
 * </ul>
 * Which reports {@link #markAsDeallocated()}, non-owning {@link #deallocate()} and pre-allocated
 * {@link #create} make are decided by the process's {@link CoreRules} (upstream: none).
 *
 * <p>Thread safety: a Buffer's lifecycle calls are serialised on the buffer (the fork held a per-device
 * lifecycle mutex); allocator calls lock the allocator.
 */
public final class Buffer {
    private final IDevice device;
    private final long size;
    private final long pageSize;
    private final BufferType bufferType;
    private final BufferShardingArgs shardingArgs;
    private final boolean bottomUp;
    private final OptionalInt subDeviceId;
    private final boolean ownsData;
    private final Optional<Long> subDeviceManagerId;
    private final Allocator allocator;
    private final long uniqueId;
    private final Buffer rootBuffer;
    private final long rootBufferOffset;
    private AllocationStatus allocationStatus = AllocationStatus.ALLOCATION_REQUESTED;
    private boolean hookedAllocation;
    private long address;
    private int useCount = 1;

    private Buffer(IDevice device, long size, long pageSize, BufferType bufferType, BufferShardingArgs shardingArgs,
                   Optional<Boolean> bottomUp, OptionalInt subDeviceId, boolean ownsData, Buffer rootBuffer,
                   long rootBufferOffset) {
        this.device = device;
        this.size = size;
        this.pageSize = pageSize;
        this.bufferType = bufferType;
        this.shardingArgs = shardingArgs;
        this.bottomUp = bottomUp.orElse(bufferType.isDram());
        this.subDeviceId = subDeviceId;
        this.ownsData = ownsData;
        this.rootBuffer = rootBuffer;
        this.rootBufferOffset = rootBufferOffset;
        if (subDeviceId.isPresent()) {
            this.subDeviceManagerId = Optional.of(device.activeSubDeviceManagerId());
            this.allocator = device.allocator(subDeviceId.getAsInt());
        } else {
            this.subDeviceManagerId = Optional.empty();
            this.allocator = device.allocator();
        }
        this.uniqueId = device.context().nextBufferUniqueId();
    }

    /** Models {@code Buffer::create(device, size, page_size, type)}: interleaved, default direction, owning. */
    public static Buffer create(IDevice device, long size, long pageSize, BufferType bufferType) {
        return create(device, size, pageSize, bufferType, BufferShardingArgs.INTERLEAVED, Optional.empty(),
                OptionalInt.empty());
    }

    /**
     * Models {@code Buffer::create(device, size, page_size, type, sharding_args, bottom_up, sub_device_id)}:
     * an owning buffer, allocated now unless {@code size} is 0 (then ALLOCATED at address 0 with no
     * allocator and no tracker call).
     *
     * @throws IllegalArgumentException for negative sizes, a page size that does not divide the size,
     *                                  or sharding arguments that do not match the layout
     * @throws OutOfMemoryException     when the allocator cannot place it (no buffer exists then)
     */
    public static Buffer create(IDevice device, long size, long pageSize, BufferType bufferType,
                                BufferShardingArgs shardingArgs, Optional<Boolean> bottomUp,
                                OptionalInt subDeviceId) {
        validate(device, size, pageSize, bufferType, shardingArgs, bottomUp, subDeviceId);
        Buffer buffer = new Buffer(device, size, pageSize, bufferType, shardingArgs, bottomUp, subDeviceId, true,
                null, 0);
        if (size == 0) {
            buffer.allocationStatus = AllocationStatus.ALLOCATED;
            return buffer;
        }
        buffer.allocateImpl();
        return buffer;
    }

    /**
     * Models {@code Buffer::create(device, address, size, page_size, type, sharding_args, bottom_up,
     * sub_device_id)}: a non-owning buffer at a given address, ALLOCATED at once, never registered with
     * an allocator. Upstream it makes no tracker call; {@link PreallocatedTracking#TRACK_ALLOCATE} makes
     * it report.
     */
    public static Buffer create(IDevice device, long address, long size, long pageSize, BufferType bufferType,
                                BufferShardingArgs shardingArgs, Optional<Boolean> bottomUp,
                                OptionalInt subDeviceId) {
        validate(device, size, pageSize, bufferType, shardingArgs, bottomUp, subDeviceId);
        checkAddress(address);
        return preallocated(device, address, size, pageSize, bufferType, shardingArgs, bottomUp, subDeviceId,
                null, 0);
    }

    private static void checkAddress(long address) {
        Preconditions.checkArgument(address >= 0 && address <= 0xFFFF_FFFFL,
                "address %s must fit in 32 bits (0..4294967295)", address);
    }

    private static Buffer preallocated(IDevice device, long address, long size, long pageSize, BufferType bufferType,
                                       BufferShardingArgs shardingArgs, Optional<Boolean> bottomUp,
                                       OptionalInt subDeviceId, Buffer root, long rootOffset) {
        Buffer buffer = new Buffer(device, size, pageSize, bufferType, shardingArgs, bottomUp, subDeviceId, false,
                root, rootOffset);
        buffer.address = address;
        buffer.allocationStatus = AllocationStatus.ALLOCATED;
        if (root != null) {
            root.retain();
        }
        MetalContext context = device.context();
        if (context.rules().preallocatedTracking() == PreallocatedTracking.TRACK_ALLOCATE && size != 0) {
            context.graphTracker().trackAllocate(buffer);
        }
        return buffer;
    }

    /** Models {@code validate_buffer_parameters} plus the sub-device checks of the constructor (reference 8.2). */
    private static void validate(IDevice device, long size, long pageSize, BufferType bufferType,
                                 BufferShardingArgs shardingArgs, Optional<Boolean> bottomUp,
                                 OptionalInt subDeviceId) {
        Preconditions.checkNotNull(device, "device");
        Preconditions.checkNotNull(bufferType, "bufferType");
        Preconditions.checkNotNull(shardingArgs, "shardingArgs");
        Preconditions.checkNotNull(bottomUp, "bottomUp");
        Preconditions.checkNotNull(subDeviceId, "subDeviceId");
        Preconditions.checkArgument(size >= 0, "buffer size %s must not be negative", size);
        Preconditions.checkArgument(pageSize >= 0, "page size %s must not be negative", pageSize);
        Preconditions.checkArgument(bufferType != BufferType.SYSTEM_MEMORY,
                "buffer type SYSTEM_MEMORY is host memory; allowed: DRAM, L1, L1_SMALL, TRACE");
        if (size != 0) {
            Preconditions.checkArgument(pageSize != 0 && size % pageSize == 0,
                    "buffer size %s must be a multiple of the page size %s", size, pageSize);
        }
        boolean sharded = shardingArgs.layout().isSharded();
        Preconditions.checkArgument(!sharded || shardingArgs.shardSpec().isPresent(),
                "%s buffer needs a shard spec", shardingArgs.layout());
        Preconditions.checkArgument(sharded || shardingArgs.shardSpec().isEmpty(),
                "%s buffer must not have a shard spec", shardingArgs.layout());
        Preconditions.checkState(device.isInitialized(),
                "device %s is closed; buffers can only be created on an open device", device.id());
        if (subDeviceId.isPresent()) {
            Preconditions.checkArgument(sharded,
                    "a buffer on sub-device %s must be sharded, got %s", subDeviceId.getAsInt(), shardingArgs.layout());
            Preconditions.checkArgument(bufferType.isL1(),
                    "a buffer on sub-device %s must be L1 or L1_SMALL, got %s", subDeviceId.getAsInt(), bufferType);
            CoreRangeSet cores = device.subDeviceCores(subDeviceId.getAsInt());
            Preconditions.checkArgument(cores.contains(shardingArgs.shardSpec().get().grid()),
                    "shard grid %s is not inside sub-device %s's cores %s", shardingArgs.shardSpec().get().grid(),
                    subDeviceId.getAsInt(), cores);
        }
    }

    /**
     * Models {@code Buffer::allocate_impl()}: hook first (a hooked buffer gets address 0 and no
     * allocator call), else the allocator; then ALLOCATED, then {@code track_allocate}.
     */
    private void allocateImpl() {
        GraphTracking tracker = device.context().graphTracker();
        if (tracker.hookAllocate(this)) {
            address = 0;
            hookedAllocation = true;
        } else {
            checkSubDeviceManagerStillActive();
            address = allocator.allocateBuffer(this);
        }
        allocationStatus = AllocationStatus.ALLOCATED;
        tracker.trackAllocate(this);
    }

    private void checkSubDeviceManagerStillActive() {
        if (subDeviceManagerId.isPresent() && subDeviceManagerId.get() != device.activeSubDeviceManagerId()) {
            throw new TtFatalException("Sub-device manager " + subDeviceManagerId.get()
                    + " that created this buffer is no longer active (active: " + device.activeSubDeviceManagerId()
                    + ")");
        }
    }

    /**
     * Models {@code Buffer::deallocate()} (what {@code DeallocateBuffer(buffer)} calls): for an owning
     * buffer, {@link #deallocateImpl()}; for a non-owning one, whatever the rule says (upstream: nothing).
     */
    public synchronized void deallocate() {
        if (!ownsData) {
            switch (device.context().rules().nonOwningDeallocate()) {
                case RETURN -> {
                }
                case TRACK_AND_MARK -> {
                    if (allocationStatus == AllocationStatus.ALLOCATED && device.isInitialized() && size != 0) {
                        device.context().graphTracker().trackDeallocate(this);
                    }
                    if (allocationStatus == AllocationStatus.ALLOCATED) {
                        allocationStatus = AllocationStatus.DEALLOCATED;
                    }
                }
            }
            return;
        }
        deallocateImpl();
    }

    /**
     * Models {@code Buffer::deallocate_impl()}: idempotent; while the device is initialised and the size
     * is not 0: {@code track_deallocate}, then {@code hook_deallocate}, then (unless hooked) the allocator;
     * finally DEALLOCATED. On a closed device the allocator is skipped.
     */
    public synchronized void deallocateImpl() {
        if (allocationStatus != AllocationStatus.ALLOCATED) {
            return;
        }
        if (device.isInitialized() && size != 0) {
            GraphTracking tracker = device.context().graphTracker();
            tracker.trackDeallocate(this);
            boolean hooked = tracker.hookDeallocate(this);
            if (!hooked && !hookedAllocation) {
                checkSubDeviceManagerStillActive();
                allocator.deallocateBuffer(this);
            }
        }
        allocationStatus = AllocationStatus.DEALLOCATED;
    }

    /**
     * Models {@code Buffer::mark_as_deallocated()}: the status becomes DEALLOCATED with no allocator call.
     * Upstream reports nothing; the seeds' fork reports per
     * {@link io.github.meshalloc.allocator.rules.MarkAsDeallocatedReport}.
     */
    public synchronized void markAsDeallocated() {
        CoreRules rules = device.context().rules();
        if (rules.markAsDeallocatedReport().reports(allocationStatus == AllocationStatus.ALLOCATED, ownsData)) {
            device.context().graphTracker().trackDeallocate(this);
        }
        allocationStatus = AllocationStatus.DEALLOCATED;
    }

    /** Models copying the {@code shared_ptr<Buffer>}: one more owner keeps this buffer alive. */
    public synchronized Buffer retain() {
        Preconditions.checkState(useCount > 0, "buffer %s was already destroyed; it cannot be retained", uniqueId);
        useCount++;
        return this;
    }

    /**
     * Models dropping one {@code shared_ptr<Buffer>}; the last one runs {@code ~Buffer}: if not
     * DEALLOCATED, {@link #deallocate()}; then the view's reference to its root is dropped.
     *
     * @throws IllegalStateException if every reference was already released
     */
    public void release() {
        synchronized (this) {
            Preconditions.checkState(useCount > 0,
                    "buffer %s was already destroyed; every reference has been released", uniqueId);
            useCount--;
            if (useCount > 0) {
                return;
            }
            if (allocationStatus != AllocationStatus.DEALLOCATED) {
                deallocate();
            }
        }
        if (rootBuffer != null) {
            rootBuffer.release();
        }
    }

    /** Number of live references ({@code shared_ptr::use_count()}); 0 once destroyed. */
    public synchronized int useCount() {
        return useCount;
    }

    /** Whether {@code ~Buffer} has run. */
    public synchronized boolean isDestroyed() {
        return useCount == 0;
    }

    /**
     * Models {@code Buffer::view(region)}: the whole buffer gives this buffer (one more reference);
     * a sub-region gives a new non-owning buffer at the SAME address (not offset), keeping the root
     * alive.
     *
     * @throws IllegalArgumentException if the region is not page-aligned or not inside the buffer
     */
    public Buffer view(BufferRegion region) {
        Preconditions.checkNotNull(region, "region");
        Preconditions.checkArgument(pageSize != 0 && region.offset() % pageSize == 0 && region.size() % pageSize == 0,
                "region offset %s and size %s must be multiples of the page size %s", region.offset(), region.size(),
                pageSize);
        Preconditions.checkArgument(region.offset() + region.size() <= size,
                "region [%s, %s) must lie inside the buffer of %s B", region.offset(),
                region.offset() + region.size(), size);
        if (region.offset() == 0 && region.size() == size) {
            return retain();
        }
        Buffer root = rootBuffer == null ? this : rootBuffer;
        return preallocated(device, address(), region.size(), pageSize, bufferType, shardingArgs,
                Optional.of(bottomUp), subDeviceId, root, rootBufferOffset + region.offset());
    }

    /**
     * Models {@code Buffer::address()}: the stored address, also after DEALLOCATED.
     *
     * @throws TtFatalException while ALLOCATION_REQUESTED
     */
    public synchronized long address() {
        if (allocationStatus == AllocationStatus.ALLOCATION_REQUESTED) {
            throw new TtFatalException("Can only query the address of a buffer that has been allocated");
        }
        return address;
    }

    /** Models {@code is_allocated()}: status == ALLOCATED. */
    public synchronized boolean isAllocated() {
        return allocationStatus == AllocationStatus.ALLOCATED;
    }

    /** The allocation status. */
    public synchronized AllocationStatus allocationStatus() {
        return allocationStatus;
    }

    /** Whether the allocation was taken over by a GraphTracker hook ({@code hooked_allocation_}). */
    public synchronized boolean hookedAllocation() {
        return hookedAllocation;
    }

    /** Models {@code device()}. */
    public IDevice device() {
        return device;
    }

    /** The allocator this buffer allocates from ({@code allocator_}). */
    public Allocator allocator() {
        return allocator;
    }

    /** Models {@code size()}. */
    public long size() {
        return size;
    }

    /** Models {@code page_size()}. */
    public long pageSize() {
        return pageSize;
    }

    /** Models {@code buffer_type()}. */
    public BufferType bufferType() {
        return bufferType;
    }

    /** Models {@code buffer_layout()}. */
    public TensorMemoryLayout bufferLayout() {
        return shardingArgs.layout();
    }

    /** The sharding arguments. */
    public BufferShardingArgs shardingArgs() {
        return shardingArgs;
    }

    /** Models {@code bottom_up()}. */
    public boolean bottomUp() {
        return bottomUp;
    }

    /** Models {@code sub_device_id()}. */
    public OptionalInt subDeviceId() {
        return subDeviceId;
    }

    /** Models {@code sub_device_manager_id()}: the manager active at creation, for sub-device buffers. */
    public Optional<Long> subDeviceManagerId() {
        return subDeviceManagerId;
    }

    /** Models {@code owns_data_}: false for pre-allocated buffers and views. */
    public boolean ownsData() {
        return ownsData;
    }

    /** Models {@code unique_id()}: from the process's counter, one per constructed Buffer. */
    public long uniqueId() {
        return uniqueId;
    }

    /** Models {@code root_buffer()}: the buffer a view keeps alive, or empty. */
    public Optional<Buffer> rootBuffer() {
        return Optional.ofNullable(rootBuffer);
    }

    /** Models {@code root_buffer_offset()}. */
    public long rootBufferOffset() {
        return rootBufferOffset;
    }

    /** Models {@code alignment()}: the allocator's alignment for this type. */
    public long alignment() {
        return allocator.getAlignment(bufferType);
    }

    /** Models {@code aligned_page_size()}: the page size rounded up to {@link #alignment()}. */
    public long alignedPageSize() {
        return Allocator.roundUp(pageSize, alignment());
    }

    /** Models {@code num_pages()}: size / page size (0 for page size 0). */
    public long numPages() {
        return pageSize == 0 ? 0 : size / pageSize;
    }

    /** Models {@code num_dev_pages()}: pages as placed on the device (sharded: pages per shard x cores). */
    public long numDevPages() {
        if (shardingArgs.shardSpec().isEmpty() || !shardingArgs.layout().isSharded()) {
            return numPages();
        }
        ShardSpecBuffer spec = shardingArgs.shardSpec().get();
        return spec.numPagesPerShard() * spec.numCores();
    }

    /** Models {@code aligned_size()}: device pages x aligned page size, what the allocator receives. */
    public long alignedSize() {
        return numDevPages() * alignedPageSize();
    }

    /** Models {@code num_cores()}: the shard grid's core count for sharded buffers, else empty. */
    public OptionalInt numCores() {
        if (!shardingArgs.layout().isSharded()) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(shardingArgs.shardSpec().get().numCores());
    }

    /** Models {@code aligned_size_per_bank()}. */
    public long alignedSizePerBank() {
        int banks = numCores().isPresent() ? numCores().getAsInt() : allocator.getNumBanks(bufferType);
        return Allocator.calculateBankSizeSpread(alignedSize(), alignedPageSize(), banks, alignment());
    }

    /**
     * Models {@code page_address(bank_id, page_index)}: address + the bank's offset + the aligned page
     * size x (page index / number of banks), where the number of banks is always the allocator's bank
     * count for this type, also for sharded buffers (buffer.cpp, late-2025).
     *
     * @throws TtFatalException "Invalid Bank ID: {id} exceeds total numbers of banks ({n})!" if
     *                          {@code bankId >= n}, or the bank manager's fatal for an untracked bank
     */
    public long pageAddress(int bankId, long pageIndex) {
        Preconditions.checkArgument(pageIndex >= 0, "page index %s must not be negative", pageIndex);
        int banks = allocator.getNumBanks(bufferType);
        if (Integer.toUnsignedLong(bankId) >= banks) {
            throw new TtFatalException("Invalid Bank ID: " + Integer.toUnsignedString(bankId)
                    + " exceeds total numbers of banks (" + banks + ")!");
        }
        return address() + allocator.getBankOffset(bufferType, bankId) + alignedPageSize() * (pageIndex / banks);
    }

    @Override
    public String toString() {
        return "Buffer{id=" + uniqueId + ", device=" + device.id() + ", " + bufferType + ", size=" + size
                + ", address=" + address + ", " + allocationStatus + (ownsData ? "" : ", non-owning") + "}";
    }
}
