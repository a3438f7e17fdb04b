package io.github.meshalloc.allocator;

import com.google.common.base.Preconditions;
import io.github.meshalloc.allocator.algorithms.MemoryBlock;
import io.github.meshalloc.allocator.algorithms.Statistics;
import io.github.meshalloc.allocator.rules.AllocationReportSite;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One device's (or one mesh's, or one sub-device's) allocator: DRAM, L1, L1_SMALL and TRACE bank
 * managers and the set of live Buffer objects.
 *
 * <p>Models {@code AllocatorImpl} / {@code L1BankingAllocator} ({@code tt_metal/impl/allocator/allocator.cpp},
 * {@code l1_banking_allocator.cpp}, late-2025, reference 4 and 7) together with its thin public view
 * {@code Allocator}. One lock guards every mutating method, like {@code AllocatorImpl::mutex_}; the
 * getters the C++ leaves unlocked (config, alignment, base address) read immutable data.
 *
 * <p>The Buffer set is kept apart from the bank managers' address sets, as in the C++:
 * {@link #deallocateBuffers()} and {@link #clear()} free memory without touching any Buffer's status
 * or this set. Iteration over the set is in insertion order (the C++ {@code unordered_set} order is
 * unspecified; meshalloc picks a deterministic one).
 */
public final class Allocator {
    private final AllocatorConfig config;
    private final MetalContext context;
    private final int reportedDeviceId;
    private final BankManager dramManager;
    private final BankManager traceBufferManager;
    private final BankManager l1Manager;
    private final BankManager l1SmallManager;
    private final Map<Integer, CoreCoord> l1BankIdToLogicalCore;
    private final Map<CoreCoord, List<Integer>> logicalCoreToL1BankIds;
    private final LinkedHashSet<Buffer> allocatedBuffers = new LinkedHashSet<>();
    private final ReentrantLock mutex = new ReentrantLock();
    private boolean allocationsUnsafe;
    private long unsafeAllocationWarnings;

    /**
     * Builds the four bank managers from {@code config} (reference 4.1 and 4.2).
     *
     * @param context          the process this allocator belongs to (rules, tracker, direct reporter)
     * @param reportedDeviceId the device id this allocator puts in direct reports (the fork stored it at device init)
     */
    public Allocator(AllocatorConfig config, MetalContext context, int reportedDeviceId) {
        this.config = Preconditions.checkNotNull(config, "config");
        this.context = Preconditions.checkNotNull(context, "context");
        this.reportedDeviceId = reportedDeviceId;
        long dramAlignment = config.dramAlignment();
        // The DRAM and TRACE managers are built first and their bank count is all that can fail there; checking it
        // before the layout keeps the C++ order of errors for a config that is wrong in two ways.
        BankManager.validateNumBanks(config.numDramChannels(), BufferType.DRAM, config.disableInterleaved());
        // Bank descriptors and the L1 bank-id shuffle: shared with every allocator of the same preset.
        BankLayout layout = BankLayout.forConfig(config);
        Map<Integer, Long> dramOffsets = layout.dramBankIdToOffset();
        this.dramManager = new BankManager(BufferType.DRAM, dramOffsets, config.dramManagerSize(), 0, dramAlignment,
                config.dramUnreservedBase(), config.disableInterleaved(), AllocatorDependencies.SINGLE, dramAlignment);
        this.traceBufferManager = new BankManager(BufferType.TRACE, dramOffsets, config.traceRegionSize(), 0,
                dramAlignment, config.dramBankSize() - config.traceRegionSize(), config.disableInterleaved(),
                AllocatorDependencies.SINGLE, dramAlignment);
        Map<Integer, Long> l1Offsets = layout.l1BankIdToOffset();
        this.l1BankIdToLogicalCore = layout.l1BankIdToLogicalCore();
        this.logicalCoreToL1BankIds = layout.logicalCoreToL1BankIds();
        long l1Base = config.l1UnreservedBase();
        long w = config.workerL1Size();
        this.l1Manager = new BankManager(BufferType.L1, l1Offsets, config.l1ManagerSize(), w - (w - l1Base),
                config.l1Alignment(), l1Base, config.disableInterleaved(), AllocatorDependencies.SINGLE, dramAlignment);
        Map<Integer, Long> smallOffsets = config.l1SmallSize() > 0 ? l1Offsets : Map.of();
        long smallOffset = w - config.l1SmallSize();
        this.l1SmallManager = new BankManager(BufferType.L1_SMALL, smallOffsets, config.l1SmallSize(), smallOffset,
                config.l1Alignment(), smallOffset, config.disableInterleaved(), AllocatorDependencies.SINGLE,
                dramAlignment);
    }

    /**
     * Models {@code detail::calculate_bank_size_spread(size, page_size, num_banks, alignment)} (reference 5.2):
     * the pages per bank (ceiling), times the page size rounded up to {@code alignment}.
     */
    public static long calculateBankSizeSpread(long size, long pageSize, int numBanks, long alignment) {
        Preconditions.checkArgument(numBanks > 0, "number of banks %s must be positive", numBanks);
        long numPages = pageSize == 0 ? 0 : size / pageSize;
        long pagesPerBank = numPages == 0 ? 0 : 1 + (numPages - 1) / numBanks;
        return pagesPerBank * roundUp(pageSize, alignment);
    }

    static long roundUp(long value, long alignment) {
        return (value + alignment - 1) / alignment * alignment;
    }

    /** The config this allocator was built from ({@code get_config()}). */
    public AllocatorConfig getConfig() {
        return config;
    }

    /** The process this allocator belongs to. */
    public MetalContext context() {
        return context;
    }

    private BankManager manager(BufferType type) {
        return switch (type) {
            case DRAM -> dramManager;
            case L1 -> l1Manager;
            case L1_SMALL -> l1SmallManager;
            case TRACE -> traceBufferManager;
            case SYSTEM_MEMORY -> throw new TtFatalException("Unsupported buffer type!");
        };
    }

    /**
     * Models {@code AllocatorImpl::allocate_buffer(Buffer*)}: reserves the buffer's aligned size in
     * the manager of its type and records the Buffer.
     *
     * @return the bank-local address
     * @throws OutOfMemoryException / TtFatalException as the bank manager and type rules dictate; nothing is recorded then
     */
    public long allocateBuffer(Buffer buffer) {
        mutex.lock();
        try {
            long size = buffer.alignedSize();
            long pageSize = buffer.alignedPageSize();
            BufferType type = buffer.bufferType();
            boolean bottomUp = buffer.bottomUp();
            OptionalInt numCores = buffer.numCores();
            if (allocationsUnsafe) {
                unsafeAllocationWarnings++;
            }
            if (config.disableInterleaved() && numCores.isEmpty()) {
                throw new TtFatalException("Interleaved allocation is disabled, see validate_num_banks");
            }
            BankManager manager = switch (type) {
                case DRAM, L1, TRACE -> manager(type);
                case L1_SMALL -> {
                    if (numCores.isEmpty()) {
                        throw new TtFatalException("L1_SMALL only supports sharded allocations, see validate_num_banks");
                    }
                    yield l1SmallManager;
                }
                case SYSTEM_MEMORY -> throw new TtFatalException("Unsupported buffer type!");
            };
            long address = manager.allocateBuffer(size, pageSize, bottomUp, config.computeGrid(), numCores);
            allocatedBuffers.add(buffer);
            if (context.rules().allocationReportSite() == AllocationReportSite.ALLOCATOR_HOOK
                    && context.allocationReporter().isEnabled()) {
                int banks = numCores.isPresent() ? numCores.getAsInt() : manager.numBanks();
                long perBank = calculateBankSizeSpread(size, pageSize, banks, manager.alignmentBytes());
                context.allocationReporter().reportAllocation(reportedDeviceId, perBank * banks, type, address);
            }
            return address;
        } finally {
            mutex.unlock();
        }
    }

    /** Models {@code AllocatorImpl::deallocate_buffer(Buffer*)}: frees the buffer's address in its manager and forgets the Buffer. */
    public void deallocateBuffer(Buffer buffer) {
        mutex.lock();
        try {
            long address = buffer.address();
            manager(buffer.bufferType()).deallocateBuffer(address);
            allocatedBuffers.remove(buffer);
            if (context.rules().allocationReportSite() == AllocationReportSite.ALLOCATOR_HOOK
                    && context.allocationReporter().isEnabled()) {
                context.allocationReporter().reportDeallocation(reportedDeviceId, address);
            }
        } finally {
            mutex.unlock();
        }
    }

    /**
     * Models {@code AllocatorImpl::deallocate_buffers()}: {@code deallocate_all()} on all four managers.
     * Buffer objects keep their status and stay in {@link #getAllocatedBuffers()} (reference 7). What it
     * reports first depends on {@link io.github.meshalloc.allocator.rules.DeallocateBuffersReport}.
     */
    public void deallocateBuffers() {
        mutex.lock();
        try {
            switch (context.rules().deallocateBuffersReport()) {
                case NOTHING -> {
                }
                case ADDRESS_ONLY -> {
                    if (context.allocationReporter().isEnabled()) {
                        for (Buffer buffer : allocatedBuffers) {
                            context.allocationReporter().reportDeallocationAddressOnly(buffer.address());
                        }
                    }
                }
                case GRAPH_TRACKER -> {
                    for (Buffer buffer : List.copyOf(allocatedBuffers)) {
                        context.graphTracker().trackDeallocate(buffer);
                    }
                }
            }
            dramManager.deallocateAll();
            l1Manager.deallocateAll();
            l1SmallManager.deallocateAll();
            traceBufferManager.deallocateAll();
        } finally {
            mutex.unlock();
        }
    }

    /** Models {@code get_allocated_buffers()}: a copy of the live Buffer set. */
    public List<Buffer> getAllocatedBuffers() {
        mutex.lock();
        try {
            return List.copyOf(allocatedBuffers);
        } finally {
            mutex.unlock();
        }
    }

    /** Models {@code get_num_allocated_buffers()}. */
    public int getNumAllocatedBuffers() {
        mutex.lock();
        try {
            return allocatedBuffers.size();
        } finally {
            mutex.unlock();
        }
    }

    /** Models {@code get_num_banks(type)}. */
    public int getNumBanks(BufferType type) {
        return locked(() -> manager(type).numBanks());
    }

    /** Models {@code get_bank_size(type)}. */
    public long getBankSize(BufferType type) {
        return locked(() -> manager(type).bankSize());
    }

    /** Models {@code get_bank_offset(type, bank_id)}. */
    public long getBankOffset(BufferType type, int bankId) {
        return locked(() -> manager(type).bankOffset(bankId));
    }

    /** The bank ids of a type, ascending. */
    public List<Integer> getBankIds(BufferType type) {
        return locked(() -> manager(type).bankIds());
    }

    /** Models {@code get_statistics(type)}. */
    public Statistics getStatistics(BufferType type) {
        return locked(() -> manager(type).getStatistics());
    }

    /** Models {@code get_memory_block_table(type)}. */
    public List<MemoryBlock> getMemoryBlockTable(BufferType type) {
        return locked(() -> manager(type).getMemoryBlockTable(0));
    }

    /** Models {@code dump_memory_blocks(type, out)}. */
    public String dumpMemoryBlocks(BufferType type) {
        return locked(() -> manager(type).dumpBlocks(0));
    }

    /** The bank-local addresses the manager of {@code type} holds, in allocation order. */
    public List<Long> getAllocatedAddresses(BufferType type) {
        return locked(() -> manager(type).allocatedAddresses(0));
    }

    /**
     * Models {@code get_alignment(type)}: the DRAM alignment for DRAM and TRACE, the L1 alignment for L1 and L1_SMALL.
     *
     * @throws TtFatalException for SYSTEM_MEMORY
     */
    public long getAlignment(BufferType type) {
        return switch (type) {
            case DRAM, TRACE -> config.dramAlignment();
            case L1, L1_SMALL -> config.l1Alignment();
            case SYSTEM_MEMORY -> throw new TtFatalException("Unsupported buffer type!");
        };
    }

    /**
     * Models {@code get_base_allocator_addr(mem_type)}: the DRAM or L1 unreserved base.
     *
     * @throws TtFatalException for HOST
     */
    public long getBaseAllocatorAddr(HalMemType memType) {
        return switch (memType) {
            case DRAM -> config.dramUnreservedBase();
            case L1 -> config.l1UnreservedBase();
            case HOST -> throw new TtFatalException("Allocator does not support allocating in " + memType);
        };
    }

    /** Models {@code get_worker_l1_size()}. */
    public long getWorkerL1Size() {
        return config.workerL1Size();
    }

    /** Models {@code get_lowest_occupied_l1_address(bank_id)}: the L1 manager only (L1_SMALL sits above it). */
    public OptionalLong getLowestOccupiedL1Address(int bankId) {
        return locked(() -> l1Manager.lowestOccupiedAddress(bankId));
    }

    /** Models {@code get_logical_core_from_bank_id(bank_id)} for L1 banks. */
    public CoreCoord getLogicalCoreFromBankId(int bankId) {
        CoreCoord core = l1BankIdToLogicalCore.get(bankId);
        if (core == null) {
            throw new TtFatalException("No logical core for bank " + bankId + "; L1 bank ids are "
                    + l1BankIdToLogicalCore.keySet());
        }
        return core;
    }

    /** Models {@code get_bank_ids_from_logical_core(type, core)} for L1 and L1_SMALL. */
    public List<Integer> getBankIdsFromLogicalCore(CoreCoord core) {
        List<Integer> ids = logicalCoreToL1BankIds.get(core);
        if (ids == null) {
            throw new TtFatalException("No L1 bank on logical core " + core + "; compute grid is "
                    + config.computeGrid());
        }
        return ids;
    }

    /** Models {@code shrink_allocator_size(type, size, bottom_up)}. */
    public void shrinkAllocatorSize(BufferType type, long shrinkSize, boolean bottomUp) {
        locked(() -> {
            manager(type).shrinkSize(shrinkSize, bottomUp, 0);
            return null;
        });
    }

    /** Models {@code reset_allocator_size(type)}. */
    public void resetAllocatorSize(BufferType type) {
        locked(() -> {
            manager(type).resetSize(0);
            return null;
        });
    }

    /** Models {@code mark_allocations_unsafe()}: only effect, a warning on later allocations. */
    public void markAllocationsUnsafe() {
        locked(() -> allocationsUnsafe = true);
    }

    /** Models {@code mark_allocations_safe()}. */
    public void markAllocationsSafe() {
        locked(() -> allocationsUnsafe = false);
    }

    /** Whether allocations are currently marked unsafe (inside a trace capture). */
    public boolean allocationsUnsafe() {
        return locked(() -> allocationsUnsafe);
    }

    /** How many allocations were made while marked unsafe (the C++ logs a warning for them). */
    public long unsafeAllocationWarnings() {
        return locked(() -> unsafeAllocationWarnings);
    }

    /** Models {@code begin_dram_high_water_mark_tracking()}. */
    public void beginDramHighWaterMarkTracking() {
        locked(() -> {
            dramManager.beginHighWaterMarkTracking();
            return null;
        });
    }

    /** Models {@code end_dram_high_water_mark_tracking()}. */
    public long endDramHighWaterMarkTracking() {
        return locked(dramManager::endHighWaterMarkTracking);
    }

    /**
     * Models {@code AllocatorImpl::clear()}: every bank manager reset (free lists to one block, address
     * sets emptied). The Buffer set and the Buffers' statuses are untouched.
     */
    public void clear() {
        locked(() -> {
            dramManager.clear();
            l1Manager.clear();
            l1SmallManager.clear();
            traceBufferManager.clear();
            return null;
        });
    }

    /**
     * Whether no Buffer is recorded and no free list of any type holds an allocated block (read from the
     * free lists themselves, so blocks leaked by the address-limit quirk count as occupied).
     */
    public boolean isEmpty() {
        return locked(() -> {
            if (!allocatedBuffers.isEmpty()) {
                return false;
            }
            for (BufferType type : List.of(BufferType.DRAM, BufferType.L1, BufferType.L1_SMALL, BufferType.TRACE)) {
                if (manager(type).getStatistics().totalAllocatedBytes() != 0) {
                    return false;
                }
            }
            return true;
        });
    }

    /**
     * Whether no Buffer is recorded and no bank manager of any type holds an address it handed out: then
     * {@link #getAllocatedBuffers()} and every {@link #getAllocatedAddresses} are empty. O(1), without copies, for
     * readers that look at every allocator after every step and find most of them empty.
     */
    public boolean holdsNoBufferNorAddress() {
        mutex.lock();
        try {
            return allocatedBuffers.isEmpty() && dramManager.holdsNoAddress() && l1Manager.holdsNoAddress()
                    && l1SmallManager.holdsNoAddress() && traceBufferManager.holdsNoAddress();
        } finally {
            mutex.unlock();
        }
    }

    /** Whether the manager of {@code type} holds no address ({@link #getAllocatedAddresses} empty), in O(1). */
    public boolean holdsNoAddress(BufferType type) {
        mutex.lock();
        try {
            return manager(type).holdsNoAddress();
        } finally {
            mutex.unlock();
        }
    }

    /** Everything observable about this allocator now (see {@link AllocatorSnapshot}). */
    public AllocatorSnapshot snapshot() {
        return locked(() -> {
            java.util.Map<BufferType, AllocatorSnapshot.TypeState> types = new java.util.EnumMap<>(BufferType.class);
            for (BufferType type : List.of(BufferType.DRAM, BufferType.L1, BufferType.L1_SMALL, BufferType.TRACE)) {
                BankManager m = manager(type);
                OptionalLong lowest = m.numBanks() == 0 ? OptionalLong.empty()
                        : m.lowestOccupiedAddress(m.bankIds().get(0));
                types.put(type, new AllocatorSnapshot.TypeState(m.getMemoryBlockTable(0), m.allocatedAddresses(0),
                        m.getStatistics(), lowest, m.bankSize()));
            }
            List<AllocatorSnapshot.BufferState> buffers = new ArrayList<>();
            for (Buffer b : allocatedBuffers) {
                buffers.add(new AllocatorSnapshot.BufferState(b.uniqueId(), b.allocationStatus(), b.address()));
            }
            return new AllocatorSnapshot(types, buffers, allocationsUnsafe);
        });
    }

    private <T> T locked(java.util.function.Supplier<T> body) {
        mutex.lock();
        try {
            return body.get();
        } finally {
            mutex.unlock();
        }
    }
}
