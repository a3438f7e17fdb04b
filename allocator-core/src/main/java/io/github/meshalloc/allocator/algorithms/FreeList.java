package io.github.meshalloc.allocator.algorithms;

import com.google.common.base.Preconditions;
import io.github.meshalloc.allocator.TtFatalException;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The legacy linked-list allocator: first fit or best fit over a doubly linked list of blocks.
 *
 * <p>Models tt-metal's {@code tt::tt_metal::allocator::FreeList}
 * ({@code tt_metal/impl/allocator/algorithms/free_list.cpp/.hpp}), which the 2024 runtime used for L1
 * and which is still unit-tested, although the late-2025 runtime builds only {@code FreeListOpt}.
 * Behaviour follows reference section 6.13 and the C++ source it was read from; it is the slow
 * baseline the benchmarks compare against, so the structure is kept: one object per block, every
 * block in an address-ordered block list, free blocks additionally in a free list.
 *
 * <p>Conventions, all as in the C++:
 * <ul>
 *   <li>Sizes and addresses passed to the operations are unsigned 64-bit values ({@code DeviceAddr});
 *       a negative Java {@code long} stands for a value of 2<sup>63</sup> or more, and all
 *       arithmetic and comparisons are unsigned and wrap modulo 2<sup>64</sup>.</li>
 *   <li>Whether a block is allocated is not stored: a block counts as allocated iff it has no
 *       free-list neighbours and is neither the free-list head nor its tail. The quirks of
 *       {@link #resetSize()} depend on exactly this rule.</li>
 *   <li>Only release-build behaviour is modelled: the C++ {@code TT_ASSERT} debug checks (offset
 *       alignment, alignment of {@code allocate_at_address}, "free block head should start at 0", ...)
 *       are not thrown. {@code TT_FATAL}/{@code TT_THROW} become {@link TtFatalException}. Where the C++
 *       would dereference a null pointer, a {@link TtFatalException} saying so is thrown instead
 *       (an inference: the C++ process would crash there).</li>
 * </ul>
 *
 * <p>Not thread-safe, like the C++: locking belongs to the owner.
 */
public final class FreeList implements AllocatorAlgorithm {

    /**
     * How {@link #allocate} picks a free block.
     *
     * <p>Models {@code FreeList::SearchPolicy}; the ordinals equal the C++ values (BEST = 0, FIRST = 1).
     * Unlike {@code FreeListOpt}, the legacy class has no default policy.
     */
    public enum SearchPolicy {
        /** Smallest fitting free block; ties go to the first one met in walk order. */
        BEST,
        /** First fitting free block in walk order: lowest address bottom-up, highest top-down. */
        FIRST
    }

    /**
     * One block of the arena. Addresses are relative to {@code offsetBytes}. Links of blocks that
     * leave the lists are not cleared (except where the C++ clears them), as in the C++.
     */
    private static final class Block {
        long address;
        long size;
        Block prevBlock;
        Block nextBlock;
        Block prevFree;
        Block nextFree;

        Block(long address, long size) {
            this.address = address;
            this.size = size;
        }
    }

    private final SearchPolicy searchPolicy;
    private final long offsetBytes;
    private final long minAllocationSize;
    private final long alignment;
    private long maxSizeBytes;
    private long shrinkSize;
    private OptionalLong lowestOccupiedAddress = OptionalLong.empty();

    private Block blockHead;
    private Block freeBlockHead;
    private Block freeBlockTail;

    /**
     * Creates the free list as one free block {@code [0, maxSizeBytes)} (relative).
     *
     * <p>Models the constructor {@code FreeList::FreeList(max_size_bytes, offset_bytes,
     * min_allocation_size, alignment, search_policy)} and the base-class {@code Algorithm} constructor.
     * The base class only debug-checks {@code offset_bytes % alignment == 0}; release builds accept a
     * misaligned offset, and so does this constructor.
     *
     * @param maxSizeBytes      size of the arena, at least 0
     * @param offsetBytes       absolute address of relative address 0, at least 0
     * @param minAllocationSize smallest number of bytes any allocation takes, at least 0
     * @param alignment         alignment of allocation sizes, at least 1
     * @param policy            search policy, not null
     * @throws IllegalArgumentException on a value outside those ranges, or if
     *                                  {@code offsetBytes + maxSizeBytes} exceeds {@link Long#MAX_VALUE}
     */
    public FreeList(long maxSizeBytes, long offsetBytes, long minAllocationSize, long alignment,
                    SearchPolicy policy) {
        Preconditions.checkArgument(maxSizeBytes >= 0, "maxSizeBytes must be >= 0, was %s", maxSizeBytes);
        Preconditions.checkArgument(offsetBytes >= 0, "offsetBytes must be >= 0, was %s", offsetBytes);
        Preconditions.checkArgument(minAllocationSize >= 0,
                "minAllocationSize must be >= 0, was %s", minAllocationSize);
        Preconditions.checkArgument(alignment >= 1, "alignment must be >= 1, was %s", alignment);
        Preconditions.checkArgument(policy != null, "policy must be BEST or FIRST, was null");
        Preconditions.checkArgument(maxSizeBytes <= Long.MAX_VALUE - offsetBytes,
                "offsetBytes + maxSizeBytes must not exceed %s, was %s + %s",
                Long.MAX_VALUE, offsetBytes, maxSizeBytes);
        this.maxSizeBytes = maxSizeBytes;
        this.offsetBytes = offsetBytes;
        this.minAllocationSize = minAllocationSize;
        this.alignment = alignment;
        this.searchPolicy = policy;
        init();
    }

    /**
     * Resets the lists to one free block {@code [0, maxSizeBytes)}.
     *
     * <p>Models {@code FreeList::init()}: the old blocks are unlinked, {@code shrink_size_} is set to 0
     * <em>without</em> adding it back to {@code max_size_bytes_} (so bytes removed by
     * {@link #shrinkSize} are lost), and the lowest occupied address is left as it was.
     */
    public void init() {
        Block current = blockHead;
        while (current != null) {
            Block following = current.nextBlock;
            current.prevBlock = null;
            current.nextBlock = null;
            current.prevFree = null;
            current.nextFree = null;
            current = following;
        }
        shrinkSize = 0;
        Block whole = new Block(0, maxSizeBytes);
        blockHead = whole;
        freeBlockHead = whole;
        freeBlockTail = whole;
    }

    /** The search policy given at construction ({@code search_policy_}). */
    public SearchPolicy searchPolicy() {
        return searchPolicy;
    }

    /**
     * Bytes currently removed from the bottom by {@link #shrinkSize} ({@code shrink_size_}).
     */
    public long shrinkSizeBytes() {
        return shrinkSize;
    }

    // ---------------------------------------------------------------- helpers

    private static boolean unsignedLess(long a, long b) {
        return Long.compareUnsigned(a, b) < 0;
    }

    private static boolean unsignedAtLeast(long a, long b) {
        return Long.compareUnsigned(a, b) >= 0;
    }

    /** {@code Algorithm::align}: round up to a multiple of the alignment, in unsigned wrapping arithmetic. */
    private long align(long value) {
        return Long.divideUnsigned(value + alignment - 1, alignment) * alignment;
    }

    /** Request size: the larger of size and minimum allocation, then aligned. */
    private long requestSize(long sizeBytes) {
        long size = unsignedLess(sizeBytes, minAllocationSize) ? minAllocationSize : sizeBytes;
        return align(size);
    }

    /** {@code FreeList::is_allocated}: derived, not stored. */
    private boolean isAllocated(Block block) {
        return block.prevFree == null && block.nextFree == null
                && block != freeBlockHead && block != freeBlockTail;
    }

    // ---------------------------------------------------------------- search

    /** {@code FreeList::search_best}: an exact fit ends the walk; otherwise only a strictly smaller fit replaces the kept one. */
    private Block searchBest(long request, boolean bottomUp) {
        Block best = null;
        Block current = bottomUp ? freeBlockHead : freeBlockTail;
        while (current != null) {
            if (current.size == request) {
                return current;
            }
            if (unsignedAtLeast(current.size, request)
                    && (best == null || unsignedLess(current.size, best.size))) {
                best = current;
            }
            current = bottomUp ? current.nextFree : current.prevFree;
        }
        return best;
    }

    /** {@code FreeList::search_first}: the first fitting block walking from the free head (or tail). */
    private Block searchFirst(long request, boolean bottomUp) {
        Block current = bottomUp ? freeBlockHead : freeBlockTail;
        while (current != null) {
            if (unsignedAtLeast(current.size, request)) {
                return current;
            }
            current = bottomUp ? current.nextFree : current.prevFree;
        }
        return null;
    }

    /** {@code FreeList::search}. */
    private Block search(long request, boolean bottomUp) {
        return searchPolicy == SearchPolicy.BEST ? searchBest(request, bottomUp) : searchFirst(request, bottomUp);
    }

    // ---------------------------------------------------------------- carving

    /** Case a, {@code FreeList::allocate_entire_free_block}: the free block leaves the free list. */
    private void allocateEntireFreeBlock(Block block) {
        Block before = block.prevFree;
        Block after = block.nextFree;
        if (before != null) {
            before.nextFree = after;
        }
        if (after != null) {
            after.prevFree = before;
        }
        if (block == freeBlockHead) {
            freeBlockHead = after;
        }
        if (block == freeBlockTail) {
            freeBlockTail = before;
        }
        block.prevFree = null;
        block.nextFree = null;
    }

    /**
     * Case b, {@code FreeList::update_left_aligned_allocated_block_connections}: the allocated block
     * goes just before the free block, which keeps its free-list place and shrinks from the left.
     * The allocated block takes the free block's back link as it is, even when that link is missing
     * (the reset quirk).
     */
    private void linkLeftAligned(Block free, Block allocated) {
        allocated.prevBlock = free.prevBlock;
        allocated.nextBlock = free;
        if (free.prevBlock != null) {
            free.prevBlock.nextBlock = allocated;
        }
        if (free == blockHead) {
            blockHead = allocated;
        }
        free.prevBlock = allocated;
        free.address = allocated.address + allocated.size;
        free.size -= allocated.size;
    }

    /**
     * Case c, {@code FreeList::update_right_aligned_allocated_block_connections}: the allocated
     * block goes just after the free block, which shrinks from the right.
     */
    private void linkRightAligned(Block free, Block allocated) {
        allocated.prevBlock = free;
        allocated.nextBlock = free.nextBlock;
        if (free.nextBlock != null) {
            free.nextBlock.prevBlock = allocated;
        }
        free.nextBlock = allocated;
        free.size -= allocated.size;
    }

    /**
     * Carves {@code request} bytes at {@code inBlockOffset} out of a free block and returns the
     * allocated block. Models {@code FreeList::allocate_slice_of_free_block}; its debug check that
     * the slice fits is not modelled, and a slice matching none of cases b and c is handled as case d,
     * as in a release build.
     */
    private Block allocateSliceOfFreeBlock(Block free, long inBlockOffset, long request) {
        if (inBlockOffset == 0 && request == free.size) {
            allocateEntireFreeBlock(free);
            return free;
        }
        Block allocated = new Block(free.address + inBlockOffset, request);
        long sliceEnd = free.address + inBlockOffset + request;
        long freeEnd = free.address + free.size;
        if (inBlockOffset == 0 && unsignedLess(request, free.size)) {
            linkLeftAligned(free, allocated);
        } else if (inBlockOffset != 0 && sliceEnd == freeEnd) {
            linkRightAligned(free, allocated);
        } else {
            // Case d: free | allocated | new free remainder, the remainder right after free in the free list.
            Block remainder = new Block(sliceEnd, freeEnd - sliceEnd);
            remainder.prevBlock = allocated;
            remainder.nextBlock = free.nextBlock;
            remainder.prevFree = free;
            remainder.nextFree = free.nextFree;
            if (free.nextBlock != null) {
                free.nextBlock.prevBlock = remainder;
            }
            if (free.nextFree != null) {
                free.nextFree.prevFree = remainder;
            }
            if (freeBlockTail == free) {
                freeBlockTail = remainder;
            }
            free.nextFree = remainder;
            free.nextBlock = allocated;
            allocated.prevBlock = free;
            allocated.nextBlock = remainder;
            free.size -= allocated.size + remainder.size;
        }
        return allocated;
    }

    /** {@code FreeList::update_lowest_occupied_address(address)}: unsigned minimum. */
    private void lowerLowestOccupiedAddress(long relativeAddress) {
        if (lowestOccupiedAddress.isEmpty()
                || unsignedLess(relativeAddress, lowestOccupiedAddress.getAsLong())) {
            lowestOccupiedAddress = OptionalLong.of(relativeAddress);
        }
    }

    // ---------------------------------------------------------------- operations

    /**
     * Allocates {@code sizeBytes}, rounded up to the minimum allocation size and the alignment.
     *
     * <p>Models {@code FreeList::allocate(size_bytes, bottom_up, address_limit)}. FIRST takes the
     * first fitting free block walking the free list from its head (bottom-up) or tail (top-down);
     * BEST the smallest fitting one, ties to the first met in that walk. The allocation is placed at
     * the start of the block bottom-up and flush with its end top-down. The lowest occupied address
     * is updated <em>before</em> the address-limit check, and a violation is thrown <em>after</em>
     * the block was carved: neither is undone, so the block stays allocated (it leaks until
     * {@link #clear()} unless someone deallocates its address).
     *
     * @return the absolute address, or empty if no free block is large enough
     * @throws AddressLimitViolationException if {@code addressLimit != 0} and the absolute address is
     *                                        below it (unsigned comparison)
     */
    @Override
    public OptionalLong allocate(long sizeBytes, boolean bottomUp, long addressLimit) {
        long request = requestSize(sizeBytes);
        Block free = search(request, bottomUp);
        if (free == null) {
            return OptionalLong.empty();
        }
        long inBlockOffset = bottomUp ? 0 : free.size - request;
        Block allocated = allocateSliceOfFreeBlock(free, inBlockOffset, request);
        lowerLowestOccupiedAddress(allocated.address);
        long absolute = allocated.address + offsetBytes;
        if (unsignedLess(absolute, addressLimit)) {
            throw new AddressLimitViolationException(
                    "Out of Memory: Cannot allocate at an address below " + Long.toUnsignedString(addressLimit)
                            + ". Tried to allocate at " + Long.toUnsignedString(absolute),
                    addressLimit, absolute);
        }
        return OptionalLong.of(absolute);
    }

    /**
     * Allocates exactly at {@code absoluteStartAddress}.
     *
     * <p>Models {@code FreeList::allocate_at_address}. Walks the free list from its head and carves
     * in the first block of at least the request size that starts at the address, or starts below
     * it and holds the whole request. There is no address-limit check. The C++ alignment check of
     * the address is debug-only, so a misaligned address is accepted and split at. The relative
     * address is computed with unsigned wrap-around: an address below the offset normally matches no
     * block, but if the wrapped start plus the request size wraps past zero it can match the first
     * free block and corrupt it, as the release C++ would (inferred from the code, not tested there).
     *
     * @return {@code absoluteStartAddress}, or empty if the range is not inside one free block
     */
    @Override
    public OptionalLong allocateAtAddress(long absoluteStartAddress, long sizeBytes) {
        long start = absoluteStartAddress - offsetBytes;
        long request = requestSize(sizeBytes);
        Block current = freeBlockHead;
        while (current != null) {
            if (unsignedAtLeast(current.size, request)) {
                if (current.address == start) {
                    allocateSliceOfFreeBlock(current, 0, request);
                    break;
                }
                if (unsignedLess(current.address, start)
                        && !unsignedLess(current.address + current.size, start + request)) {
                    allocateSliceOfFreeBlock(current, start - current.address, request);
                    break;
                }
            }
            current = current.nextFree;
        }
        if (current == null) {
            return OptionalLong.empty();
        }
        lowerLowestOccupiedAddress(start);
        return OptionalLong.of(absoluteStartAddress);
    }

    /** {@code FreeList::find_block}: walk the block list from its head for a block starting exactly there. */
    private Block findBlock(long relativeAddress) {
        for (Block current = blockHead; current != null; current = current.nextBlock) {
            if (current.address == relativeAddress) {
                return current;
            }
        }
        return null;
    }

    /**
     * Frees the block starting at {@code absoluteAddress} and merges it with free neighbours.
     *
     * <p>Models {@code FreeList::deallocate}. The block is looked up by walking the block list; an
     * unknown or interior address, or a block already free, is ignored silently. A free predecessor
     * absorbs the block and keeps its free-list place; a free successor is absorbed and its
     * free-list place and head/tail roles are taken over; with neither, the block is spliced into the
     * free list between the nearest free blocks before and after it. The lowest occupied address is
     * recomputed (first allocated block walking the block list) only when the freed relative
     * address equals it exactly.
     */
    @Override
    public void deallocate(long absoluteAddress) {
        long address = absoluteAddress - offsetBytes;
        Block block = findBlock(address);
        if (block == null || !isAllocated(block)) {
            return;
        }
        Block prev = block.prevBlock;
        Block next = block.nextBlock;
        boolean mergedPrev = false;
        boolean mergedNext = false;

        if (prev != null && !isAllocated(prev)) {
            prev.nextBlock = block.nextBlock;
            if (block.nextBlock != null) {
                block.nextBlock.prevBlock = prev;
            }
            prev.size += block.size;
            block = prev;
            mergedPrev = true;
        }

        if (next != null && !isAllocated(next)) {
            block.nextBlock = next.nextBlock;
            if (next.nextBlock != null) {
                next.nextBlock.prevBlock = block;
            }
            if (next == freeBlockHead) {
                freeBlockHead = block;
            }
            if (next == freeBlockTail) {
                freeBlockTail = block;
            }
            block.nextFree = next.nextFree;
            if (next.nextFree != null) {
                next.nextFree.prevFree = block;
            }
            if (!mergedPrev) {
                block.prevFree = next.prevFree;
                if (next.prevFree != null) {
                    next.prevFree.nextFree = block;
                }
            }
            block.size += next.size;
            mergedNext = true;
        }

        if (!mergedPrev && !mergedNext) {
            Block freeBefore = block.prevBlock;
            while (freeBefore != null && isAllocated(freeBefore)) {
                freeBefore = freeBefore.prevBlock;
            }
            Block freeAfter = block.nextBlock;
            while (freeAfter != null && isAllocated(freeAfter)) {
                freeAfter = freeAfter.nextBlock;
            }
            block.prevFree = freeBefore;
            if (freeBefore != null) {
                freeBefore.nextFree = block;
            } else {
                freeBlockHead = block;
            }
            block.nextFree = freeAfter;
            if (freeAfter != null) {
                freeAfter.prevFree = block;
            } else {
                freeBlockTail = block;
            }
        }

        if (lowestOccupiedAddress.isPresent() && lowestOccupiedAddress.getAsLong() == address) {
            recomputeLowestOccupiedAddress();
        }
    }

    /** {@code FreeList::update_lowest_occupied_address()}: first block classified allocated in the block list. */
    private void recomputeLowestOccupiedAddress() {
        for (Block current = blockHead; current != null; current = current.nextBlock) {
            if (isAllocated(current)) {
                lowestOccupiedAddress = OptionalLong.of(current.address);
                return;
            }
        }
        lowestOccupiedAddress = OptionalLong.empty();
    }

    /**
     * Frees everything. Models {@code FreeList::clear()}, which is {@link #init()}: the arena becomes
     * one free block of the <em>current</em> (possibly shrunk) size; the shrunk bytes are not given
     * back (unlike {@code FreeListOpt}) and {@link #resetSize()} becomes a no-op; the lowest occupied
     * address is kept, stale.
     */
    @Override
    public void clear() {
        init();
    }

    /**
     * Removes {@code shrinkSizeBytes} from the bottom of the arena.
     *
     * <p>Models {@code FreeList::shrink_size(shrink_size, bottom_up)}. In this order: 0 is a no-op
     * (before any check); top-down is fatal; a size above the current max size is fatal (equal passes);
     * a size above the (relative) lowest occupied address is fatal (equal passes); a second shrink
     * before {@link #resetSize()} is fatal. Then, if the free head is larger than the shrink size its
     * start is set to the shrink size and its size reduced; otherwise the block-list head is dropped
     * from both lists. Addresses are not rebased: the arena then starts at relative
     * {@code shrinkSizeBytes}. The lowest occupied address is untouched.
     *
     * @throws TtFatalException on any of the fatal conditions above, and (inferred) where the C++
     *                          would dereference null: no free block at all, or dropping the only block
     */
    @Override
    public void shrinkSize(long shrinkSizeBytes, boolean bottomUp) {
        if (shrinkSizeBytes == 0) {
            return;
        }
        if (!bottomUp) {
            throw new TtFatalException("Shrinking from the top is currently not supported");
        }
        if (unsignedLess(maxSizeBytes, shrinkSizeBytes)) {
            throw new TtFatalException("Shrink size " + Long.toUnsignedString(shrinkSizeBytes)
                    + " must be smaller than max size " + Long.toUnsignedString(maxSizeBytes));
        }
        if (lowestOccupiedAddress.isPresent() && unsignedLess(lowestOccupiedAddress.getAsLong(), shrinkSizeBytes)) {
            throw new TtFatalException("Shrinking size by " + Long.toUnsignedString(shrinkSizeBytes)
                    + " that would cut into allocated memory at address "
                    + Long.toUnsignedString(lowestOccupiedAddress.getAsLong()) + " and is not supported");
        }
        if (shrinkSize != 0) {
            throw new TtFatalException("Can only shrink size if it is not already shrunk");
        }
        // The C++ only debug-checks that a free head exists, then reads its size.
        if (freeBlockHead == null) {
            throw new TtFatalException("Null dereference in FreeList::shrink_size: there is no free block head"
                    + " (the C++ only debug-checks this and would crash)");
        }
        if (unsignedLess(shrinkSizeBytes, freeBlockHead.size)) {
            // The C++ debug-checks that the free head starts at 0; release builds just overwrite the start.
            freeBlockHead.address = shrinkSizeBytes;
            freeBlockHead.size -= shrinkSizeBytes;
        } else {
            // The C++ drops the block-list head (assumed to be the free head) and clears its
            // successor's back link, which is a null dereference if there is no successor.
            if (blockHead.nextBlock == null) {
                throw new TtFatalException("Null dereference in FreeList::shrink_size: shrinking by "
                        + Long.toUnsignedString(shrinkSizeBytes)
                        + " drops the only block, which has no successor (the C++ would crash)");
            }
            blockHead = blockHead.nextBlock;
            blockHead.prevBlock = null;
            if (freeBlockHead.nextFree == null) {
                freeBlockHead = null;
                freeBlockTail = null;
            } else {
                freeBlockHead.nextFree.prevFree = null;
                freeBlockHead = freeBlockHead.nextFree;
            }
        }
        maxSizeBytes -= shrinkSizeBytes;
        shrinkSize = shrinkSizeBytes;
    }

    /**
     * Gives the shrunk bytes back: relative {@code [0, shrinkSizeBytes)} becomes free again.
     *
     * <p>Models {@code FreeList::reset_size()}. Not shrunk: no-op. Otherwise, by the free head:
     * (1) no free block: a new free block {@code [0, shrink)} becomes free head, free tail and block
     * head; (2) the free head does not start at the shrink size: a new free block {@code [0, shrink)}
     * becomes free head and block head, in front of the old ones; (3) the free head starts at the
     * shrink size: it is extended down to 0. No coalescing, block tail and lowest occupied address
     * untouched.
     *
     * <p>Quirk kept literally: in cases 1 and 2 the old block-list head does not get the new block as
     * its predecessor. Until a split or merge rewrites that link it behaves as the first block: freed,
     * it never merges downwards, and when it does not merge upwards either it becomes the free head,
     * cutting the free block(s) below it out of the free list; a new block carved at its start
     * inherits the missing link and is skipped by block-list walks.
     */
    @Override
    public void resetSize() {
        if (shrinkSize == 0) {
            return;
        }
        if (freeBlockHead == null) {
            Block bottom = new Block(0, shrinkSize);
            bottom.nextBlock = blockHead;
            freeBlockHead = bottom;
            freeBlockTail = bottom;
            blockHead = bottom;
        } else if (freeBlockHead.address != shrinkSize) {
            Block bottom = new Block(0, shrinkSize);
            bottom.nextBlock = blockHead;
            bottom.nextFree = freeBlockHead;
            freeBlockHead.prevFree = bottom;
            freeBlockHead = bottom;
            blockHead = bottom;
        } else {
            freeBlockHead.address = 0;
            freeBlockHead.size += shrinkSize;
        }
        maxSizeBytes += shrinkSize;
        shrinkSize = 0;
    }

    /**
     * The lowest occupied absolute address as tracked, with its staleness. Models
     * {@code Algorithm::lowest_occupied_address()}: the relative value plus the offset, or empty.
     */
    @Override
    public OptionalLong lowestOccupiedAddress() {
        return lowestOccupiedAddress.isPresent()
                ? OptionalLong.of(lowestOccupiedAddress.getAsLong() + offsetBytes)
                : OptionalLong.empty();
    }

    /**
     * The ranges of valid start addresses for an allocation of {@code sizeBytes}, one per fitting free
     * block in free-list order (ascending address).
     *
     * <p>Models {@code FreeList::available_addresses}. Unlike {@code FreeListOpt}, both values are
     * <strong>relative</strong> (the offset is not added), and {@link AddressRange#end()} is the
     * <strong>last valid start address, inclusive</strong> ({@code block end - request size}), not an
     * exclusive end. So {@link AddressRange#size()} is not a byte count here.
     */
    @Override
    public List<AddressRange> availableAddresses(long sizeBytes) {
        long request = requestSize(sizeBytes);
        List<AddressRange> ranges = new ArrayList<>();
        for (Block current = freeBlockHead; current != null; current = current.nextFree) {
            if (unsignedAtLeast(current.size, request)) {
                ranges.add(new AddressRange(current.address, current.address + current.size - request));
            }
        }
        return ranges;
    }

    /**
     * Statistics over the block list.
     *
     * <p>Models {@code FreeList::get_statistics()}: total allocatable = current (shrunk) max size;
     * walking the block list, allocated and free sizes are summed, and every free block at least as
     * large as the running largest sets it and appends its absolute start to
     * {@link Statistics#largestFreeBlockAddrs()} (ties append too). If nothing is allocated, free and
     * largest are both overridden with the max size, while the address list stays as built.
     */
    @Override
    public Statistics getStatistics() {
        long allocatedBytes = 0;
        long freeBytes = 0;
        long largest = 0;
        List<Long> largestAddrs = new ArrayList<>();
        for (Block current = blockHead; current != null; current = current.nextBlock) {
            if (isAllocated(current)) {
                allocatedBytes += current.size;
            } else {
                freeBytes += current.size;
                if (unsignedAtLeast(current.size, largest)) {
                    largest = current.size;
                    largestAddrs.add(current.address + offsetBytes);
                }
            }
        }
        if (allocatedBytes == 0) {
            freeBytes = maxSizeBytes;
            largest = maxSizeBytes;
        }
        return new Statistics(maxSizeBytes, allocatedBytes, freeBytes, largest, largestAddrs);
    }

    /**
     * One row per block, walking the block list from its head: absolute address, size, allocated.
     * Models {@code FreeList::get_memory_block_table()}.
     */
    @Override
    public List<MemoryBlock> getMemoryBlockTable() {
        List<MemoryBlock> table = new ArrayList<>();
        for (Block current = blockHead; current != null; current = current.nextBlock) {
            table.add(new MemoryBlock(current.address + offsetBytes, current.size, isAllocated(current)));
        }
        return table;
    }

    /**
     * The block list in the legacy CSV layout of {@code FreeList::dump_blocks}: a header line
     * {@code ,,Blocks:,Address (B),Size (B),Allocated (Y/N)}, one line {@code ,,,address,size,Y|N} per
     * block (absolute address), then an empty line.
     */
    @Override
    public String dumpBlocks() {
        StringBuilder out = new StringBuilder(",,Blocks:,Address (B),Size (B),Allocated (Y/N)\n");
        for (MemoryBlock block : getMemoryBlockTable()) {
            out.append(",,,").append(Long.toUnsignedString(block.address())).append(',')
                    .append(Long.toUnsignedString(block.size())).append(',')
                    .append(block.allocated() ? 'Y' : 'N').append('\n');
        }
        return out.append('\n').toString();
    }

    /** {@code Algorithm::max_size_bytes()}: the current usable size (reduced while shrunk). */
    @Override
    public long maxSizeBytes() {
        return maxSizeBytes;
    }

    /** {@code offset_bytes_}: the absolute address of relative address 0. */
    @Override
    public long offsetBytes() {
        return offsetBytes;
    }

    /** {@code min_allocation_size_}. */
    @Override
    public long minAllocationSizeBytes() {
        return minAllocationSize;
    }

    /** {@code alignment_}. */
    @Override
    public long alignmentBytes() {
        return alignment;
    }
}
