package io.github.meshalloc.allocator;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableSet;
import com.google.common.collect.ImmutableSortedMap;
import com.google.common.collect.Ordering;
import com.google.common.math.LongMath;
import io.github.meshalloc.allocator.algorithms.AddressRange;
import io.github.meshalloc.allocator.algorithms.FreeListOpt;
import io.github.meshalloc.allocator.algorithms.MemoryBlock;
import io.github.meshalloc.allocator.algorithms.Statistics;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * All banks of one buffer type, managed in lockstep by one free list.
 *
 * <p>Models {@code tt::tt_metal::BankManager} ({@code tt_metal/impl/allocator/bank_manager.cpp},
 * late-2025, reference 5). One {@link FreeListOpt} (FIRST policy, minimum allocation and alignment
 * = the DRAM alignment whatever the type) represents every bank at once: an address it returns is the
 * same bank-local address in every bank. With {@link AllocatorDependencies} there is one free list per
 * allocator id and allocations avoid the ranges of dependent allocators (reference 5.6).
 *
 * <p>Not thread-safe on its own: the owning {@link Allocator} serialises calls, as
 * {@code AllocatorImpl::mutex_} does in the C++.
 */
public final class BankManager {

    /** Bank counts that are not powers of two but still allowed for interleaving (late-2025 whitelist, reference 2.5). */
    public static final Set<Integer> NON_POW2_BANK_COUNTS =
            ImmutableSet.of(7, 12, 20, 48, 56, 63, 70, 72, 80, 94, 108, 110, 117, 120, 124, 126, 130, 140);

    private final BufferType bufferType;
    private final ImmutableSortedMap<Integer, Long> bankIdToBankOffset;
    private final long interleavedAddressLimit;
    private final long alignmentBytes;
    private final AllocatorDependencies dependencies;
    private final FreeListOpt[] allocators;
    private final List<Set<Long>> allocatedBuffers;
    private final List<List<AddressRange>> allocatedRangesCache;
    private boolean trackingHighWaterMark;
    private long highWaterMark;

    /**
     * Models the constructor taking a vector of bank offsets: bank id k gets the k-th offset and the
     * interleaved address limit is 0.
     *
     * @param dramAlignmentBytes the HAL DRAM alignment, used as the free list's alignment and minimum allocation
     */
    public BankManager(BufferType bufferType, List<Long> bankOffsets, long sizeBytes, long alignmentBytes,
                       long allocOffset, boolean disableInterleaved, AllocatorDependencies dependencies,
                       long dramAlignmentBytes) {
        this(bufferType, indexed(bankOffsets), sizeBytes, 0, alignmentBytes, allocOffset, disableInterleaved,
                dependencies, dramAlignmentBytes);
    }

    /**
     * Models the constructor taking a map of bank id to bank offset and an interleaved address limit.
     *
     * @throws TtFatalException if the number of banks is not allowed for this type (reference 2.5)
     */
    public BankManager(BufferType bufferType, Map<Integer, Long> bankIdToBankOffset, long sizeBytes,
                       long interleavedAddressLimit, long alignmentBytes, long allocOffset,
                       boolean disableInterleaved, AllocatorDependencies dependencies, long dramAlignmentBytes) {
        Preconditions.checkNotNull(bufferType, "bufferType");
        Preconditions.checkNotNull(bankIdToBankOffset, "bankIdToBankOffset");
        Preconditions.checkNotNull(dependencies, "dependencies");
        Preconditions.checkArgument(sizeBytes >= 0, "bank size %s must not be negative", sizeBytes);
        Preconditions.checkArgument(interleavedAddressLimit >= 0,
                "interleaved address limit %s must not be negative", interleavedAddressLimit);
        Preconditions.checkArgument(alignmentBytes > 0, "alignment %s must be positive", alignmentBytes);
        Preconditions.checkArgument(dramAlignmentBytes > 0 && LongMath.isPowerOfTwo(dramAlignmentBytes),
                "DRAM alignment %s must be a positive power of two", dramAlignmentBytes);
        // The C++ only debug-asserts that the offset is aligned (Algorithm's constructor); release builds
        // accept any offset, and sub-device allocators do build an empty L1_SMALL manager at base + a local
        // L1 size that need only be a multiple of the L1 alignment (reference 12.1).
        Preconditions.checkArgument(allocOffset >= 0, "allocation offset %s must not be negative", allocOffset);
        validateNumBanks(bankIdToBankOffset.size(), bufferType, disableInterleaved);
        this.bufferType = bufferType;
        // A layout's map is already an ImmutableSortedMap and is kept as is (shared, never copied per manager).
        this.bankIdToBankOffset = bankIdToBankOffset instanceof ImmutableSortedMap<Integer, Long> sorted
                && sorted.comparator() == Ordering.natural() ? sorted : ImmutableSortedMap.copyOf(bankIdToBankOffset);
        this.interleavedAddressLimit = interleavedAddressLimit;
        this.alignmentBytes = alignmentBytes;
        this.dependencies = dependencies;
        int n = dependencies.numAllocators();
        this.allocators = new FreeListOpt[n];
        this.allocatedBuffers = new ArrayList<>(n);
        this.allocatedRangesCache = new ArrayList<>(n);
        for (int id = 0; id < n; id++) {
            allocators[id] = new FreeListOpt(sizeBytes, allocOffset, dramAlignmentBytes, dramAlignmentBytes,
                    FreeListOpt.SearchPolicy.FIRST);
            allocatedBuffers.add(new LinkedHashSet<>());
            allocatedRangesCache.add(null);
        }
    }

    private static Map<Integer, Long> indexed(List<Long> bankOffsets) {
        Preconditions.checkNotNull(bankOffsets, "bankOffsets");
        ImmutableSortedMap.Builder<Integer, Long> map = ImmutableSortedMap.naturalOrder();
        for (int i = 0; i < bankOffsets.size(); i++) {
            map.put(i, bankOffsets.get(i));
        }
        return map.build();
    }

    /**
     * Models {@code validate_num_banks}: a power of two, a whitelisted count, or a type/allocator that
     * never interleaves.
     *
     * @throws TtFatalException "Invalid number of memory banks ..." otherwise
     */
    public static void validateNumBanks(int numBanks, BufferType bufferType, boolean disableInterleaved) {
        boolean doesntSupportInterleaved = bufferType == BufferType.L1_SMALL || disableInterleaved;
        boolean isPow2 = numBanks != 0 && (numBanks & (numBanks - 1)) == 0;
        if (!(isPow2 || NON_POW2_BANK_COUNTS.contains(numBanks) || doesntSupportInterleaved)) {
            throw new TtFatalException("Invalid number of memory banks " + numBanks + " for " + bufferType
                    + ". Num banks must be power of 2 or have a dedicated modulo implementation");
        }
    }

    /** The buffer type this manager serves. */
    public BufferType bufferType() {
        return bufferType;
    }

    /** Models {@code num_banks()}. */
    public int numBanks() {
        return bankIdToBankOffset.size();
    }

    /** Models {@code bank_size()}: free list 0's current size (smaller after a shrink). */
    public long bankSize() {
        return allocators[0].maxSizeBytes();
    }

    /** The alignment used for size-per-bank rounding ({@code alignment_bytes_}). */
    public long alignmentBytes() {
        return alignmentBytes;
    }

    /** The interleaved address limit (0 = none). */
    public long interleavedAddressLimit() {
        return interleavedAddressLimit;
    }

    /** The bank ids in ascending order. */
    public List<Integer> bankIds() {
        return List.copyOf(bankIdToBankOffset.keySet());
    }

    /**
     * Models {@code bank_offset(bank_id)}.
     *
     * @throws TtFatalException "Expected bank {id} to be tracked!" for an unknown bank
     */
    public long bankOffset(int bankId) {
        validateBankId(bankId);
        return bankIdToBankOffset.get(bankId);
    }

    private void validateBankId(int bankId) {
        if (!bankIdToBankOffset.containsKey(bankId)) {
            throw new TtFatalException("Expected bank " + bankId + " to be tracked!");
        }
    }

    private FreeListOpt allocator(int allocatorId) {
        if (allocatorId < 0 || allocatorId >= allocators.length) {
            throw new TtFatalException("Invalid allocator ID " + allocatorId + " (num_allocators="
                    + allocators.length + ")");
        }
        return allocators[allocatorId];
    }

    /**
     * Models {@code allocate_buffer(size, page_size, bottom_up, compute_grid, num_shards, allocator_id)}
     * (reference 5.3): reserves {@code calculate_bank_size_spread} bytes in every bank.
     *
     * @param numShards present for sharded buffers (then at most {@code computeGrid}'s cores)
     * @return the bank-local address
     * @throws OutOfMemoryException when no free block fits (nothing changes), or when the free list's
     *                              address limit is violated (the block stays carved, as in the C++)
     * @throws TtFatalException     for a bad shard count or a zero L1 interleaved limit
     */
    public long allocateBuffer(long size, long pageSize, boolean bottomUp, CoreRangeSet computeGrid,
                               OptionalInt numShards, int allocatorId) {
        Preconditions.checkArgument(size >= 0, "size %s must not be negative", size);
        Preconditions.checkArgument(pageSize >= 0, "page size %s must not be negative", pageSize);
        FreeListOpt alloc = allocator(allocatorId);
        int numBanks = numBanks();
        boolean sharded = false;
        if (numShards.isPresent()) {
            int numComputeBanks = computeGrid.numCores();
            sharded = true;
            if (numShards.getAsInt() > numComputeBanks) {
                throw new TtFatalException("Expected number of shards " + numShards.getAsInt()
                        + " to be less than or equal to total number of L1 banks " + numComputeBanks
                        + " in compute cores");
            }
            numBanks = numShards.getAsInt();
        }
        long sizePerBank = Allocator.calculateBankSizeSpread(size, pageSize, numBanks, alignmentBytes);
        long addressLimit = 0;
        if (!sharded && bufferType == BufferType.L1) {
            addressLimit = interleavedAddressLimit;
            if (addressLimit <= 0) {
                throw new TtFatalException("Address limit " + addressLimit + " needs to be larger than zero.");
            }
        }
        List<Integer> dependents = dependencies.dependentsOf(allocatorId);
        if (dependents.isEmpty()) {
            OptionalLong address = alloc.allocate(sizePerBank, bottomUp, addressLimit);
            if (address.isEmpty()) {
                Statistics stats = alloc.getStatistics();
                throw new OutOfMemoryException("Out of Memory: Not enough space to allocate " + size + " B "
                        + bufferType + " buffer across " + numBanks + " banks, where each bank needs to store "
                        + sizePerBank + " B, but bank size is " + bankSize() + " B (allocated: "
                        + stats.totalAllocatedBytes() + " B, free: " + stats.totalFreeBytes()
                        + " B, largest free block: " + stats.largestFreeBlockBytes() + " B)");
            }
            allocatedBuffers.get(allocatorId).add(address.getAsLong());
            noteHighWaterMark(address.getAsLong(), sizePerBank, bottomUp);
            return address.getAsLong();
        }
        List<AddressRange> available = computeAvailableAddresses(allocatorId, sizePerBank, addressLimit);
        OptionalLong chosen = OptionalLong.empty();
        if (bottomUp) {
            for (AddressRange r : available) {
                if (r.start() + sizePerBank <= r.end()) {
                    chosen = OptionalLong.of(r.start());
                    break;
                }
            }
        } else {
            for (int i = available.size() - 1; i >= 0; i--) {
                AddressRange r = available.get(i);
                long s = r.end() - sizePerBank;
                if (s >= r.start()) {
                    chosen = OptionalLong.of(s);
                    break;
                }
            }
        }
        if (chosen.isEmpty()) {
            Statistics stats = alloc.getStatistics();
            throw new OutOfMemoryException("Out of Memory: Not enough space after considering dependencies to allocate "
                    + size + " B " + bufferType + " across " + numBanks + " banks (" + sizePerBank
                    + " B per bank), bank size is " + bankSize() + " B (allocated: " + stats.totalAllocatedBytes()
                    + " B, free: " + stats.totalFreeBytes() + " B, largest free block: "
                    + stats.largestFreeBlockBytes() + " B)");
        }
        if (chosen.getAsLong() % alignmentBytes != 0) {
            throw new TtFatalException("Chosen address " + chosen.getAsLong() + " is not aligned to "
                    + alignmentBytes + " B");
        }
        OptionalLong address = alloc.allocateAtAddress(chosen.getAsLong(), sizePerBank);
        if (address.isEmpty()) {
            throw new TtFatalException("Allocator failed to place at chosen address " + chosen.getAsLong());
        }
        allocatedBuffers.get(allocatorId).add(address.getAsLong());
        noteHighWaterMark(address.getAsLong(), sizePerBank, bottomUp);
        invalidateDependents(allocatorId);
        return address.getAsLong();
    }

    /** {@link #allocateBuffer(long, long, boolean, CoreRangeSet, OptionalInt, int)} on allocator 0. */
    public long allocateBuffer(long size, long pageSize, boolean bottomUp, CoreRangeSet computeGrid,
                               OptionalInt numShards) {
        return allocateBuffer(size, pageSize, bottomUp, computeGrid, numShards, 0);
    }

    private void noteHighWaterMark(long address, long sizePerBank, boolean bottomUp) {
        if (trackingHighWaterMark && bottomUp) {
            long end = address + sizePerBank;
            if (!bankIdToBankOffset.isEmpty()) {
                long max = Collections.max(bankIdToBankOffset.values());
                long min = Collections.min(bankIdToBankOffset.values());
                end += max - min;
            }
            highWaterMark = Math.max(highWaterMark, end);
        }
    }

    private void invalidateDependents(int allocatorId) {
        for (int dep : dependencies.dependentsOf(allocatorId)) {
            allocatedRangesCache.set(dep, null);
        }
    }

    private List<AddressRange> mergedAllocatedRanges(int allocatorId) {
        List<AddressRange> cached = allocatedRangesCache.get(allocatorId);
        if (cached != null) {
            return cached;
        }
        List<AddressRange> all = new ArrayList<>();
        for (int dep : dependencies.dependentsOf(allocatorId)) {
            for (AddressRange r : allocator(dep).allocatedAddresses()) {
                if (r.end() > r.start()) {
                    all.add(r);
                }
            }
        }
        all.sort(Comparator.comparingLong(AddressRange::start));
        List<AddressRange> merged = new ArrayList<>();
        for (AddressRange r : all) {
            if (merged.isEmpty() || r.start() > merged.get(merged.size() - 1).end()) {
                merged.add(r);
            } else {
                AddressRange last = merged.remove(merged.size() - 1);
                merged.add(new AddressRange(last.start(), Math.max(last.end(), r.end())));
            }
        }
        List<AddressRange> result = List.copyOf(merged);
        allocatedRangesCache.set(allocatorId, result);
        return result;
    }

    /**
     * Models {@code compute_available_addresses}: the allocator's fitting free ranges, clamped to the
     * address limit, sorted, minus the merged allocated ranges of its dependents.
     */
    List<AddressRange> computeAvailableAddresses(int allocatorId, long sizePerBank, long addressLimit) {
        List<AddressRange> available = new ArrayList<>();
        for (AddressRange r : allocator(allocatorId).availableAddresses(sizePerBank)) {
            long start = addressLimit == 0 ? r.start() : Math.max(r.start(), addressLimit);
            if (addressLimit == 0 || r.end() > start) {
                available.add(new AddressRange(start, r.end()));
            }
        }
        available.sort(Comparator.comparingLong(AddressRange::start));
        List<AddressRange> occupied = mergedAllocatedRanges(allocatorId);
        List<AddressRange> out = new ArrayList<>();
        int j = 0;
        for (AddressRange a : available) {
            while (j < occupied.size() && occupied.get(j).end() <= a.start()) {
                j++;
            }
            long cur = a.start();
            while (j < occupied.size() && occupied.get(j).start() < a.end()) {
                AddressRange o = occupied.get(j);
                if (o.start() > cur) {
                    out.add(new AddressRange(cur, o.start()));
                }
                if (o.end() >= a.end()) {
                    cur = a.end();
                    break;
                }
                cur = o.end();
                j++;
            }
            if (cur < a.end()) {
                out.add(new AddressRange(cur, a.end()));
            }
        }
        return out;
    }

    /** Models {@code deallocate_buffer(address, allocator_id)}: frees the address (unknown ones are ignored) and forgets it. */
    public void deallocateBuffer(long address, int allocatorId) {
        FreeListOpt alloc = allocator(allocatorId);
        alloc.deallocate(address);
        allocatedBuffers.get(allocatorId).remove(address);
        invalidateDependents(allocatorId);
    }

    /** {@link #deallocateBuffer(long, int)} on allocator 0. */
    public void deallocateBuffer(long address) {
        deallocateBuffer(address, 0);
    }

    /** Models {@code deallocate_all()}: frees every recorded address of every allocator, then forgets them. */
    public void deallocateAll() {
        for (int id = 0; id < allocators.length; id++) {
            for (long address : allocatedBuffers.get(id)) {
                allocators[id].deallocate(address);
            }
            allocatedBuffers.get(id).clear();
            allocatedRangesCache.set(id, null);
        }
    }

    /** Models {@code clear()}: every free list reset to one block (shrink undone, lowest-occupied kept) and the address sets emptied. */
    public void clear() {
        for (int id = 0; id < allocators.length; id++) {
            allocators[id].clear();
            allocatedBuffers.get(id).clear();
            allocatedRangesCache.set(id, null);
        }
    }

    /** The addresses this manager has handed out and not freed, for allocator {@code allocatorId}, in allocation order. */
    public List<Long> allocatedAddresses(int allocatorId) {
        allocator(allocatorId);
        return List.copyOf(allocatedBuffers.get(allocatorId));
    }

    /** Whether no allocator id holds an address ({@link #allocatedAddresses} empty for every id). */
    public boolean holdsNoAddress() {
        for (Set<Long> addresses : allocatedBuffers) {
            if (!addresses.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Models {@code lowest_occupied_address(bank_id, allocator_id)}: the free list's lowest occupied
     * address plus the bank's offset, or empty.
     */
    public OptionalLong lowestOccupiedAddress(int bankId, int allocatorId) {
        OptionalLong lowest = allocator(allocatorId).lowestOccupiedAddress();
        if (lowest.isEmpty()) {
            return lowest;
        }
        return OptionalLong.of(lowest.getAsLong() + bankOffset(bankId));
    }

    /** {@link #lowestOccupiedAddress(int, int)} on allocator 0. */
    public OptionalLong lowestOccupiedAddress(int bankId) {
        return lowestOccupiedAddress(bankId, 0);
    }

    /** Models {@code get_statistics(allocator_id)}. */
    public Statistics getStatistics(int allocatorId) {
        return allocator(allocatorId).getStatistics();
    }

    /** {@link #getStatistics(int)} on allocator 0. */
    public Statistics getStatistics() {
        return getStatistics(0);
    }

    /** Models {@code get_memory_block_table(allocator_id)}. */
    public List<MemoryBlock> getMemoryBlockTable(int allocatorId) {
        return allocator(allocatorId).getMemoryBlockTable();
    }

    /** Models {@code dump_blocks(out, allocator_id)}. */
    public String dumpBlocks(int allocatorId) {
        return allocator(allocatorId).dumpBlocks();
    }

    /**
     * Models {@code shrink_size(size, bottom_up, allocator_id)}.
     *
     * @throws TtFatalException "Expected single allocator!" with dependencies, or the free list's shrink errors
     */
    public void shrinkSize(long shrinkSize, boolean bottomUp, int allocatorId) {
        if (allocators.length != 1) {
            throw new TtFatalException("Expected single allocator!");
        }
        allocator(allocatorId).shrinkSize(shrinkSize, bottomUp);
    }

    /** Models {@code reset_size(allocator_id)}. */
    public void resetSize(int allocatorId) {
        if (allocators.length != 1) {
            throw new TtFatalException("Expected single allocator!");
        }
        allocator(allocatorId).resetSize();
    }

    /** Models {@code begin_high_water_mark_tracking()}. */
    public void beginHighWaterMarkTracking() {
        trackingHighWaterMark = true;
        highWaterMark = 0;
    }

    /** Models {@code end_high_water_mark_tracking()}: stops tracking and returns the mark. */
    public long endHighWaterMarkTracking() {
        trackingHighWaterMark = false;
        return highWaterMark;
    }

    /** Models {@code get_high_water_mark()}. */
    public long getHighWaterMark() {
        return highWaterMark;
    }

    /** Number of free lists (allocator ids). */
    public int numAllocators() {
        return allocators.length;
    }

    /** The free list's allocated ranges (absolute, metablock order) of allocator {@code allocatorId}. */
    public List<AddressRange> allocatedRanges(int allocatorId) {
        return allocator(allocatorId).allocatedAddresses();
    }
}
