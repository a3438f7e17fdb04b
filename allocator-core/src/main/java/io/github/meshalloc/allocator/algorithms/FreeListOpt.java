package io.github.meshalloc.allocator.algorithms;

import static com.google.common.base.Preconditions.checkArgument;

import io.github.meshalloc.allocator.TtFatalException;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.RandomAccess;

/**
 * The size-segregated free-list allocator that tt-metal's runtime uses for every bank type.
 *
 * <p>Models {@code tt::tt_metal::allocator::FreeListOpt}
 * ({@code tt_metal/impl/allocator/algorithms/free_list_opt.hpp/.cpp}), newest behaviour (reference
 * section 6). The arena is {@code [offset, offset + maxSize)}; internally every address is relative to
 * {@code offset}. The state is a structure-of-arrays table of "metablocks" (one per block, free or
 * allocated, linked to their physical neighbours), a LIFO stack of dead metablock slots, one list of
 * free metablocks per size class kept sorted by ascending address, and a table from the address of
 * each allocated block to its metablock.
 *
 * <p>Complexity (not the C++'s, same results): the C++ keeps each class list in a sorted vector and the
 * allocated blocks in 512 hash buckets, so taking or returning the lowest block of a long class list
 * shifts the whole vector and freeing an older block scans its bucket, both linear in the live blocks.
 * Here, while the lists are trusted (see {@code freeListsTrusted}), a class list longer than 512 blocks
 * is held as a tree with the same order, searched and updated in (expected) logarithmic time, and the
 * allocated-block table is a hash map, so allocate and deallocate cost O(log n) in live blocks. Once the
 * release-build quirks corrupt the lists, they go back to the literal arrays and linear searches.
 * {@code allocateAtAddress}, {@code shrinkSize} and {@code resetSize} still scan the metablock table in
 * index order as the C++ does (their result depends on that order).
 *
 * <p>Numbers are C++ {@code uint64} ({@code DeviceAddr}). Arguments must be non-negative longs, but
 * all internal arithmetic and comparisons are unsigned with 64-bit wrap-around, exactly like the C++:
 * requests the C++ handles with wrapped arithmetic (for example an absolute start below the offset)
 * take the same path here.
 *
 * <p>Not thread-safe, like the C++ (the owning allocator locks).
 */
public final class FreeListOpt implements AllocatorAlgorithm {

    /**
     * Block search policy.
     *
     * <p>Models {@code FreeListOpt::SearchPolicy} ({@code FIRST = 0}, {@code BEST = 1}). The
     * BankManager always uses {@link #FIRST}; the constructor default is {@link #BEST}.
     */
    public enum SearchPolicy {
        /** Lowest-address (bottom-up) or highest-address (top-down) fitting block across all eligible size classes. */
        FIRST,
        /** First fitting block, in direction order, of the lowest size class holding a fitting block ("segregated first fit"). */
        BEST
    }

    /**
     * One live row of the metablock table, as the C++ {@code get_memory_block_table()} and
     * {@code dump_blocks()} show it: the metablock index, its RELATIVE address (no offset), size,
     * physical neighbours ({@code -1} = none) and whether it is allocated.
     *
     * @param blockId   metablock index
     * @param address   start address relative to the arena offset
     * @param size      size in bytes
     * @param prevId    metablock index of the block physically below, or -1
     * @param nextId    metablock index of the block physically above, or -1
     * @param allocated whether the block is allocated
     */
    public record MetaBlock(int blockId, long address, long size, int prevId, int nextId, boolean allocated) {
    }

    /** Size-class base in bytes ({@code size_segregated_base}). */
    public static final long SIZE_SEGREGATED_BASE = 1024;
    /** Upper bound on the number of size classes: bitlen(128 MiB / 1024). */
    public static final int MAX_SIZE_CLASS_COUNT = 64 - Long.numberOfLeadingZeros(128L * 1024 * 1024 / SIZE_SEGREGATED_BASE);
    /** Lower bound on the number of size classes. */
    public static final int MIN_SIZE_CLASS_COUNT = 2;
    /**
     * Buckets of the C++ allocated-block table ({@code n_alloc_table_buckets}). The model indexes the table
     * by address instead; the only bucket order the C++ exposes, last in first out among equal addresses,
     * is kept.
     */
    public static final int ALLOC_TABLE_BUCKETS = 512;

    /** Class lists shorter than this are searched linearly on insert, longer ones by lower bound. */
    private static final int LINEAR_INSERT_LIMIT = 30;
    /**
     * A trusted class list longer than this becomes a tree: below it the array's shifts cost less than
     * the tree's pointer chasing.
     */
    private static final int DEFAULT_TREE_ABOVE = 512;
    /**
     * First capacity of the metablock table, the dead-slot stack, a class list and the allocated-block table's
     * entries. Small: a mesh open builds four free lists per allocator and most hold a handful of blocks for their
     * whole life; the arrays double when full.
     */
    private static final int INITIAL_BLOCK_CAPACITY = 8;
    /** First number of slots of the allocated-block map (a power of two, kept at most half full; it doubles). */
    private static final int INITIAL_ALLOC_MAP_CAPACITY = 2 * INITIAL_BLOCK_CAPACITY;
    /** A cleared allocated-block map with more slots than this is dropped rather than swept. */
    private static final int KEPT_ALLOC_MAP_CAPACITY = 1 << 16;
    private static final int NONE = -1;
    /** Shared storage of an empty class list (zero length, so nothing is ever written to it). */
    private static final int[] NO_BLOCKS = new int[0];

    private final SearchPolicy policy;
    private final long offsetBytes;
    private final long minAllocationSize;
    private final long alignment;
    private final boolean alignmentIsPowerOfTwo;
    private final int sizeClassCount;

    private long maxSizeBytes;
    private long shrinkSize;

    /** Whether lowest_occupied_address_ holds a value. */
    private boolean lowestPresent;
    /**
     * The relative lowest occupied address. When {@link #lowestPresent} is false this keeps the last
     * value it held (0 if it never held one); see {@link #deallocate(long)}.
     */
    private long lowestRelative;

    // Structure-of-arrays metablock table; blockCount slots are in use (live or dead).
    private long[] blockAddress = new long[INITIAL_BLOCK_CAPACITY];
    private long[] blockSize = new long[INITIAL_BLOCK_CAPACITY];
    private int[] blockPrev = new int[INITIAL_BLOCK_CAPACITY];
    private int[] blockNext = new int[INITIAL_BLOCK_CAPACITY];
    private boolean[] blockAllocated = new boolean[INITIAL_BLOCK_CAPACITY];
    private boolean[] metaBlockLive = new boolean[INITIAL_BLOCK_CAPACITY];
    private int blockCount;

    // LIFO stack of dead metablock slots.
    private int[] deadSlots = new int[INITIAL_BLOCK_CAPACITY];
    private int deadSlotCount;

    // Per size class: free metablock indices sorted by ascending address.
    private final int[][] freeByClass;
    private final int[] freeByClassLength;
    /** Bit c is set iff size class c holds a free block (at most 18 classes, so one long). */
    private long nonEmptyClasses;
    /**
     * True until a size-class removal misses its block (see {@link #removeFromSizeClass}), which
     * only happens once the release-build quirks have corrupted the free list. While it is true,
     * every listed block is live, free, listed once, in the class of its current size, and every
     * class list is sorted by address; the shortcuts that rely on this are taken only then.
     */
    private boolean freeListsTrusted;
    /**
     * True until a shrink or reset since the last {@link #clear()}: only those can leave a next link
     * naming a dead slot, and only such a link can close a cycle (see {@link #shrinkSize}). While it is
     * true, {@link #deallocate} takes the plain path; afterwards it checks the links before it changes
     * anything ({@link #deallocateCheckingLinks}).
     */
    private boolean linksTrusted;
    /** Test seam: when set, the lists are never trusted and the literal C++ searches always run. */
    private boolean shortcutsDisabled;

    /**
     * Where {@link #availableAddresses} writes its (start, end) pairs, as relative addresses in units
     * of 2^{@link #unitShift} bytes, before copying the exact number into the result: the buffer stays
     * in cache between queries, and the copy into fresh memory is one bulk copy that needs no zeroing.
     */
    private int[] unitScratch = NO_BLOCKS;
    /** log2 of the largest power of two dividing the alignment: the unit of {@link #unitScratch}. */
    private final int unitShift;

    // Class lists longer than treeAbove blocks are held, while the lists are trusted, as a treap (see
    // insertIntoTree); a tree class shorter than treeBelow goes back to an array. The treap nodes are the
    // metablocks themselves, so these per-metablock arrays grow with the metablock table (built when the
    // first class list becomes a tree).
    /** Whether class c is currently held as a tree (only ever while {@link #freeListsTrusted}). */
    private final boolean[] classIsTree;
    /** Root metablock of each tree class. */
    private final int[] classRoot;
    private int treeAbove = DEFAULT_TREE_ABOVE;
    private int treeBelow = DEFAULT_TREE_ABOVE / 4;
    private int[] treeLeft;
    private int[] treeRight;
    private int[] treeParent;
    /** Largest block size (unsigned) in the subtree of each node. */
    private long[] treeMaxSize;
    /** The tree class a metablock is a node of, or {@link #NONE}. */
    private int[] treeClass;

    // Allocated-block table. The C++ hashes each address to one of 512 buckets and searches a bucket from the
    // back, so the only order it exposes is last-in-first-out among entries of the same address (two
    // allocated blocks share an address only with zero-byte requests). This keeps exactly that: an
    // open-addressing map from relative address to its most recent entry, and per entry the next older
    // entry of the same address. Built on the first allocation: many free lists (L1_SMALL, TRACE, unused
    // sub-device banks) never hold one.
    /** Map keys (relative addresses); a slot is empty when its {@link #allocTop} is {@link #NONE}. */
    private long[] allocKeys;
    /** Most recent entry of each map slot's address, or {@link #NONE} for an empty slot. */
    private int[] allocTop;
    private int allocMapSize;
    private int[] entryBlock;
    /** Next older entry of the same address, or (for a free entry) the next free entry. */
    private int[] entryBelow;
    private int entryCount;
    private int freeEntries = NONE;

    /**
     * Creates a free list with the C++ default policy {@link SearchPolicy#BEST}.
     *
     * <p>Models {@code FreeListOpt(max_size_bytes, offset_bytes, min_allocation_size, alignment)}.
     *
     * @see #FreeListOpt(long, long, long, long, SearchPolicy)
     */
    public FreeListOpt(long maxSizeBytes, long offsetBytes, long minAllocationSize, long alignment) {
        this(maxSizeBytes, offsetBytes, minAllocationSize, alignment, SearchPolicy.BEST);
    }

    /**
     * Creates a free list over {@code [offsetBytes, offsetBytes + maxSizeBytes)}.
     *
     * <p>Models {@code FreeListOpt(max_size_bytes, offset_bytes, min_allocation_size, alignment, policy)}.
     * The number of size classes is fixed here from {@code maxSizeBytes}:
     * clamp(bitlen(maxSizeBytes / 1024), 2, 18). The C++ only debug-asserts the offset alignment and
     * checks nothing else; this model rejects impossible arguments up front but, like a release build,
     * accepts an offset that is not a multiple of {@code alignment} (a sub-device allocator whose local L1
     * size is a multiple of 16 but not of the DRAM alignment builds its empty L1_SMALL free list at such an
     * offset, reference 12.1); relative addresses stay multiples of {@code alignment}.
     *
     * @param maxSizeBytes      arena size, {@code >= 0}
     * @param offsetBytes       absolute address of relative 0, {@code >= 0}
     * @param minAllocationSize smallest number of bytes any request takes, {@code >= 0}
     * @param alignment         sizes and relative addresses are multiples of this, {@code > 0}
     * @param policy            block search policy
     * @throws IllegalArgumentException on a negative size or offset, a non-positive alignment, or an
     *                                  arena ending beyond {@link Long#MAX_VALUE}
     */
    public FreeListOpt(long maxSizeBytes, long offsetBytes, long minAllocationSize, long alignment,
                       SearchPolicy policy) {
        checkArgument(maxSizeBytes >= 0, "maxSizeBytes must be >= 0, got %s", maxSizeBytes);
        checkArgument(offsetBytes >= 0, "offsetBytes must be >= 0, got %s", offsetBytes);
        checkArgument(minAllocationSize >= 0, "minAllocationSize must be >= 0, got %s", minAllocationSize);
        checkArgument(alignment > 0, "alignment must be > 0, got %s", alignment);
        checkArgument(maxSizeBytes <= Long.MAX_VALUE - offsetBytes,
                "offsetBytes %s + maxSizeBytes %s must not exceed Long.MAX_VALUE", offsetBytes, maxSizeBytes);
        checkArgument(policy != null, "policy must be FIRST or BEST, got null");
        this.policy = policy;
        this.maxSizeBytes = maxSizeBytes;
        this.offsetBytes = offsetBytes;
        this.minAllocationSize = minAllocationSize;
        this.alignment = alignment;
        this.alignmentIsPowerOfTwo = Long.bitCount(alignment) == 1;
        this.unitShift = Long.numberOfTrailingZeros(alignment);
        this.sizeClassCount = sizeClassCountFor(maxSizeBytes);
        this.freeByClass = new int[sizeClassCount][];
        this.freeByClassLength = new int[sizeClassCount];
        this.classIsTree = new boolean[sizeClassCount];
        this.classRoot = new int[sizeClassCount];
        // Class lists get storage on first use: most classes of most free lists stay empty.
        Arrays.fill(freeByClass, NO_BLOCKS);
        init();
    }

    /**
     * Number of size classes for an arena of {@code maxSizeBytes}: clamp(bitlen(maxSizeBytes / 1024), 2, 18).
     *
     * <p>Models the C++ file-local helper {@code num_segerated_classes}.
     */
    public static int sizeClassCountFor(long maxSizeBytes) {
        long n = maxSizeBytes >>> 10;
        int bitLength = 64 - Long.numberOfLeadingZeros(n);
        return Math.max(MIN_SIZE_CLASS_COUNT, Math.min(bitLength, MAX_SIZE_CLASS_COUNT));
    }

    /**
     * The size class of a block or request of {@code sizeBytes}: floor(log2(sizeBytes / 1024)) with
     * integer division (0 below 2048), capped at the last class.
     *
     * <p>Models {@code FreeListOpt::get_size_segregated_index}.
     */
    public int sizeClassOf(long sizeBytes) {
        long n = sizeBytes >>> 10;
        int lg = n == 0 ? 0 : 63 - Long.numberOfLeadingZeros(n);
        return Math.min(sizeClassCount - 1, lg);
    }

    /** Number of size classes of this free list ({@code size_segregated_count}). */
    public int sizeClassCount() {
        return sizeClassCount;
    }

    /** The search policy this free list was built with ({@code policy_}). */
    public SearchPolicy searchPolicy() {
        return policy;
    }

    /** Bytes currently removed from the bottom by {@link #shrinkSize} ({@code shrink_size_}). */
    public long shrinkSizeBytes() {
        return shrinkSize;
    }

    /**
     * Turns the shortcuts that rely on consistent free lists off for good, so that a test can check
     * that they change nothing: with them off, every search is the literal C++ one.
     */
    void disableShortcutsForTesting() {
        shortcutsDisabled = true;
        distrustFreeLists();
    }

    /**
     * Sets when a trusted class list becomes a tree (longer than {@code above} blocks) and goes back to
     * an array (shorter than {@code max(1, above / 4)}), so that tests can run the trees on small lists.
     */
    void setTreeThresholdForTesting(int above) {
        checkArgument(above >= 0, "above must be >= 0, got %s", above);
        treeAbove = above;
        treeBelow = Math.max(1, above / 4);
        for (int c = 0; c < sizeClassCount; c++) {
            if (classIsTree[c] && freeByClassLength[c] < treeBelow) {
                treeToArray(c);
            } else if (!classIsTree[c] && freeListsTrusted && freeByClassLength[c] > treeAbove) {
                arrayToTree(c);
            }
        }
    }

    /** How many size classes are currently held as trees; for tests. */
    int treeClassCountForTesting() {
        int trees = 0;
        for (boolean tree : classIsTree) {
            trees += tree ? 1 : 0;
        }
        return trees;
    }

    /** Whether the lists are currently trusted ({@link #freeListsTrusted}); for tests. */
    boolean freeListsTrustedForTesting() {
        return freeListsTrusted;
    }

    // ------------------------------------------------------------------------------------------
    // init / clear
    // ------------------------------------------------------------------------------------------

    /**
     * Restores the initial state: undoes any shrink, empties every table and makes the whole arena one
     * free block in metablock 0. The lowest occupied address is deliberately left alone (reference 6.2).
     *
     * <p>Models {@code FreeListOpt::init}.
     */
    private void init() {
        maxSizeBytes += shrinkSize;
        shrinkSize = 0;
        blockCount = 0;
        deadSlotCount = 0;
        clearAllocTable();
        Arrays.fill(freeByClassLength, 0);
        Arrays.fill(classIsTree, false);
        if (treeClass != null) {
            Arrays.fill(treeClass, NONE);
        }
        nonEmptyClasses = 0;
        freeListsTrusted = !shortcutsDisabled;
        linksTrusted = true;
        int first = appendMetaBlock(0, maxSizeBytes, NONE, NONE, false);
        insertIntoSizeClass(first);
    }

    /**
     * Frees everything: the arena, including any shrunk bytes, becomes one free block.
     *
     * <p>Models {@code FreeListOpt::clear} (which re-runs {@code init}). As in the C++, the lowest
     * occupied address is NOT reset: it stays stale until a deallocation recomputes it, and the next
     * allocation takes the minimum of the stale value and its own address (reference 6.9, 6.12 #8).
     */
    @Override
    public void clear() {
        init();
    }

    // ------------------------------------------------------------------------------------------
    // allocate
    // ------------------------------------------------------------------------------------------

    /**
     * Allocates {@code sizeBytes} rounded up to {@code max(sizeBytes, minAllocationSize)} aligned.
     *
     * <p>Models {@code FreeListOpt::allocate(size_bytes, bottom_up, address_limit)} (reference 6.3).
     * The chosen free block is carved at its start (bottom-up) or its end (top-down).
     *
     * @param sizeBytes    requested bytes, {@code >= 0}
     * @param bottomUp     search and place from low (true) or high (false) addresses
     * @param addressLimit 0 for none; otherwise (compared unsigned) an allocation whose absolute
     *                     address is below it throws
     * @return the absolute address, or empty when no free block fits
     * @throws AddressLimitViolationException when the allocation landed below {@code addressLimit}.
     *                                        As in the C++ the block has already been carved, marked
     *                                        allocated and entered into the allocated-block table, and
     *                                        the lowest occupied address is not updated: the space
     *                                        leaks until {@link #clear()} (or a deallocate of its address)
     */
    @Override
    public OptionalLong allocate(long sizeBytes, boolean bottomUp, long addressLimit) {
        // Kept small so that callers inline it and the OptionalLong never reaches the heap.
        checkArgument(sizeBytes >= 0, "sizeBytes must be >= 0, got %s", sizeBytes);
        int block = carve(requestSize(sizeBytes), bottomUp);
        if (block == NONE) {
            return OptionalLong.empty();
        }
        long start = blockAddress[block];
        long absolute = start + offsetBytes;
        if (Long.compareUnsigned(absolute, addressLimit) < 0) {
            throw addressLimitViolation(addressLimit, absolute);
        }
        updateLowestOccupied(start);
        return OptionalLong.of(absolute);
    }

    private static AddressLimitViolationException addressLimitViolation(long addressLimit, long absolute) {
        return new AddressLimitViolationException(
                "Out of Memory: Cannot allocate at an address below " + Long.toUnsignedString(addressLimit)
                        + ". Allocation at " + Long.toUnsignedString(absolute),
                addressLimit, absolute);
    }

    /**
     * Finds the free block for a {@code request}-byte allocation and carves the allocation out of it
     * (at its start bottom-up, at its end top-down): the body of the C++ {@code allocate}.
     *
     * <p>The search visits the size classes from the request's class up, like the C++ loop, but skips
     * empty ones through {@link #nonEmptyClasses} (they hold nothing to look at), and within a class
     * stops where the C++ can no longer change its choice:
     * <ul>
     *   <li>BEST takes the first fitting block, in direction order, of the lowest class holding one.
     *       After that the C++ looks only at the first block of each higher class and takes it if it
     *       is an exact fit or a strictly smaller fit. While the lists are trusted
     *       ({@link #freeListsTrusted}) every size in a higher class is larger than the request and
     *       than any size in a lower class, so that never happens and the search stops; once they are
     *       not, those blocks are checked as the C++ checks them.</li>
     *   <li>FIRST takes, among the first fitting block of every class, the one with the lowest
     *       (bottom-up) or highest (top-down) address, ties to the lower class. The C++ keeps scanning
     *       a class after its first fitting block; the class list is sorted by address in the direction
     *       of travel, so no later block of the class can be strictly better and stopping there gives
     *       the same block.</li>
     * </ul>
     *
     * <p>This is deliberately one method holding the whole search and the carve, like the C++: its
     * bytecode is larger than what HotSpot's C2 inlines into a caller, so it is compiled on its own and
     * {@link #allocate(long, boolean, long)} stays a small wrapper that callers inline, which lets
     * escape analysis remove the {@link OptionalLong}. Split into small helpers, the whole chain was
     * inlined into {@code allocate}, which then became too big for callers to inline and cost one heap
     * {@code OptionalLong} per allocation.
     *
     * @return the metablock of the allocated block, or {@link #NONE} when no free block fits
     */
    private int carve(long request, boolean bottomUp) {
        long classes = nonEmptyClasses & (-1L << sizeClassOf(request));
        int targetClass = NONE;
        int targetPosition = NONE;
        int target = NONE;
        long bestAddress = 0;
        while (classes != 0) {
            int c = Long.numberOfTrailingZeros(classes);
            classes &= classes - 1;
            if (classIsTree[c]) {
                // Trusted (only trusted lists are trees): the same choice as the array scan, found through
                // the subtree maxima instead of by walking the list.
                if (policy == SearchPolicy.BEST && targetClass != NONE) {
                    break;
                }
                int found = bottomUp ? treeFirstFit(classRoot[c], request) : treeLastFit(classRoot[c], request);
                if (found == NONE) {
                    continue;
                }
                long address = blockAddress[found];
                if (policy == SearchPolicy.BEST || targetClass == NONE || (bottomUp
                        ? Long.compareUnsigned(address, bestAddress) < 0
                        : Long.compareUnsigned(address, bestAddress) > 0)) {
                    targetClass = c;
                    targetPosition = NONE;
                    target = found;
                    bestAddress = address;
                }
                continue;
            }
            int[] list = freeByClass[c];
            int length = freeByClassLength[c];
            if (policy == SearchPolicy.BEST && targetClass != NONE) {
                if (freeListsTrusted) {
                    break;
                }
                int first = bottomUp ? 0 : length - 1;
                if (bestOverride(list[first], request, target)) {
                    targetClass = c;
                    targetPosition = first;
                    target = list[first];
                }
                continue;
            }
            int position = NONE;
            if (bottomUp) {
                for (int j = 0; j < length; j++) {
                    if (Long.compareUnsigned(blockSize[list[j]], request) >= 0) {
                        position = j;
                        break;
                    }
                }
            } else {
                for (int j = length - 1; j >= 0; j--) {
                    if (Long.compareUnsigned(blockSize[list[j]], request) >= 0) {
                        position = j;
                        break;
                    }
                }
            }
            if (position == NONE) {
                continue;
            }
            if (policy == SearchPolicy.BEST) {
                targetClass = c;
                targetPosition = position;
                target = list[position];
                continue;
            }
            long address = blockAddress[list[position]];
            if (targetClass == NONE || (bottomUp
                    ? Long.compareUnsigned(address, bestAddress) < 0
                    : Long.compareUnsigned(address, bestAddress) > 0)) {
                targetClass = c;
                targetPosition = position;
                target = list[position];
                bestAddress = address;
            }
        }
        if (targetClass == NONE) {
            return NONE;
        }

        // What allocate_in_block does for an allocation at either end of the block: the allocated
        // part keeps the metablock, the one free remainder gets a new one. A tree class loses the
        // block first and then lists the remainder like any insert: exactly the C++ erase and insert.
        boolean inTree = targetPosition == NONE;
        if (inTree) {
            removeFromTree(targetClass, target);
        }
        long size = blockSize[target];
        if (size == request) {
            if (!inTree) {
                removeFromSizeClassAt(targetClass, targetPosition);
            }
        } else {
            int remainder;
            if (bottomUp) {
                int next = blockNext[target];
                blockSize[target] = request;
                remainder = allocMetaBlock(blockAddress[target] + request, size - request, target, next, false);
                if (next != NONE) {
                    blockPrev[next] = remainder;
                }
                blockNext[target] = remainder;
            } else {
                int prev = blockPrev[target];
                long freeAddress = blockAddress[target];
                blockSize[target] = request;
                blockAddress[target] = freeAddress + (size - request);
                remainder = allocMetaBlock(freeAddress, size - request, prev, target, false);
                if (prev != NONE) {
                    blockNext[prev] = remainder;
                }
                blockPrev[target] = remainder;
            }
            if (inTree) {
                insertIntoSizeClass(remainder);
            } else {
                replaceInSizeClass(targetClass, targetPosition, remainder);
            }
        }
        blockAllocated[target] = true;
        insertIntoAllocTable(blockAddress[target], target);
        return target;
    }

    /**
     * Allocates exactly at {@code absoluteStartAddress}.
     *
     * <p>Models {@code FreeListOpt::allocate_at_address} (reference 6.5, newest version): scans the
     * live metablocks in index order for the first one whose range contains the whole request; fails
     * if there is none or it is allocated. Neither the alignment of the address nor any address limit
     * is checked. The relative start is {@code absoluteStartAddress - offset} in unsigned arithmetic, as
     * in the C++: a start below the offset wraps to a huge value and normally fails; if the request's
     * end then wraps past 2^64 the C++ carves an inconsistent block, and so does this model (the C++
     * test calls that case undefined behaviour).
     *
     * @param absoluteStartAddress absolute start
     * @param sizeBytes            requested bytes, {@code >= 0}
     * @return {@code absoluteStartAddress}, or empty if the range is not inside one free block
     */
    @Override
    public OptionalLong allocateAtAddress(long absoluteStartAddress, long sizeBytes) {
        checkArgument(sizeBytes >= 0, "sizeBytes must be >= 0, got %s", sizeBytes);
        long request = requestSize(sizeBytes);
        long start = absoluteStartAddress - offsetBytes;
        long end = start + request;
        int target = NONE;
        for (int i = 0; i < blockCount; i++) {
            if (!metaBlockLive[i]) {
                continue;
            }
            long blockStart = blockAddress[i];
            long blockEnd = blockStart + blockSize[i];
            if (Long.compareUnsigned(start, blockStart) >= 0 && Long.compareUnsigned(end, blockEnd) <= 0) {
                target = i;
                break;
            }
        }
        if (target == NONE || blockAllocated[target]) {
            return OptionalLong.empty();
        }
        removeFromSizeClass(target);
        allocateInBlock(target, request, start - blockAddress[target]);
        updateLowestOccupied(start);
        return OptionalLong.of(absoluteStartAddress);
    }

    /** The C++ BEST test of a later class's first block against the target: an exact or strictly smaller fit. */
    private boolean bestOverride(int candidate, long request, int target) {
        long size = blockSize[candidate];
        return size == request
                || (Long.compareUnsigned(size, request) >= 0 && Long.compareUnsigned(size, blockSize[target]) < 0);
    }

    /**
     * Marks {@code request} bytes at {@code offsetInBlock} of free block {@code block} allocated;
     * the allocated part keeps {@code block}'s metablock, the free left remainder (if any) gets a new
     * metablock first and the free right remainder (if any) second. The caller has already removed
     * {@code block} from its size class.
     *
     * <p>Models {@code FreeListOpt::allocate_in_block} (reference 6.4). {@link #carve} has its own copy
     * of the one-sided cases.
     */
    private void allocateInBlock(int block, long request, long offsetInBlock) {
        if (blockSize[block] == request && offsetInBlock == 0) {
            blockAllocated[block] = true;
            insertIntoAllocTable(blockAddress[block], block);
            return;
        }
        boolean leftAligned = offsetInBlock == 0;
        boolean rightAligned = offsetInBlock + request == blockSize[block];

        if (!leftAligned) {
            long freeAddress = blockAddress[block];
            int prev = blockPrev[block];
            blockSize[block] -= offsetInBlock;
            blockAddress[block] += offsetInBlock;
            int left = allocMetaBlock(freeAddress, offsetInBlock, prev, block, false);
            if (prev != NONE) {
                blockNext[prev] = left;
            }
            blockPrev[block] = left;
            insertIntoSizeClass(left);
        }
        if (!rightAligned) {
            long freeSize = blockSize[block] - request;
            long freeAddress = blockAddress[block] + request;
            int next = blockNext[block];
            blockSize[block] -= freeSize;
            int right = allocMetaBlock(freeAddress, freeSize, block, next, false);
            if (next != NONE) {
                blockPrev[next] = right;
            }
            blockNext[block] = right;
            insertIntoSizeClass(right);
        }
        blockAllocated[block] = true;
        insertIntoAllocTable(blockAddress[block], block);
    }

    // ------------------------------------------------------------------------------------------
    // deallocate
    // ------------------------------------------------------------------------------------------

    /**
     * Frees the allocated block starting at {@code absoluteAddress} and coalesces it with free
     * neighbours. An address that is not the start of an allocated block (unknown, already freed,
     * interior) is silently ignored.
     *
     * <p>Models {@code FreeListOpt::deallocate} (reference 6.6). When both neighbours merge, the freed
     * block's metablock is retired first and the upper neighbour's second, so the upper one is reused
     * first. The lowest occupied address is recomputed only if the freed (relative) address is
     * {@code <=} it, as the first allocated block found walking up from the merged block's successor.
     *
     * <p>Inferred, not read: the C++ only debug-asserts that the lowest occupied address has a value
     * before dereferencing it. When it is empty (possible after an address-limit violation) a release
     * build reads the optional's leftover payload, i.e. the last value it held; this model compares with
     * that leftover value (0 if it never held one).
     *
     * <p>After a corrupting {@link #shrinkSize} the next links can form a cycle of free blocks, and the
     * C++ walk for the lowest occupied address never ends. Once a shrink or reset has run since the last
     * clear, this model runs the walk first, on the links as the merges will leave them. On a cycle it
     * throws instead, before changing anything.
     *
     * @throws CorruptedFreeListException when the walk for the lowest occupied address would never end:
     *                                    the block table was corrupted earlier; nothing has been changed
     */
    @Override
    public void deallocate(long absoluteAddress) {
        if (!linksTrusted) {
            deallocateCheckingLinks(absoluteAddress);
            return;
        }
        long address = absoluteAddress - offsetBytes;
        int block = removeFromAllocTable(address);
        if (block == NONE) {
            return;
        }
        blockAllocated[block] = false;
        int prev = blockPrev[block];
        int next = blockNext[block];

        block = mergeWithFreeNeighbours(block, prev, next);

        if (Long.compareUnsigned(address, lowestRelative) <= 0) {
            // Links without a shrink or reset form one chain without cycles: the walk ends.
            lowestPresent = false;
            for (int current = blockNext[block]; current != NONE; current = blockNext[current]) {
                if (blockAllocated[current]) {
                    lowestRelative = blockAddress[current];
                    lowestPresent = true;
                    break;
                }
            }
        }
        insertIntoSizeClass(block);
    }

    /**
     * Merges a block that has just become free with its free neighbours, taking them out of their class lists
     * and retiring the metablocks merged away; returns the block that now spans them. The caller lists it.
     */
    private int mergeWithFreeNeighbours(int block, int prev, int next) {
        if (prev != NONE && !blockAllocated[prev]) {
            removeFromSizeClass(prev);
            blockSize[prev] += blockSize[block];
            blockNext[prev] = next;
            if (next != NONE) {
                blockPrev[next] = prev;
            }
            retireMetaBlock(block);
            block = prev;
        }
        if (next != NONE && !blockAllocated[next]) {
            removeFromSizeClass(next);
            blockSize[block] += blockSize[next];
            int nextNext = blockNext[next];
            blockNext[block] = nextNext;
            if (nextNext != NONE) {
                blockPrev[nextNext] = block;
            }
            retireMetaBlock(next);
        }
        return block;
    }

    /**
     * {@link #deallocate} once a shrink or reset may have corrupted the links: the walk for the lowest
     * occupied address runs first, so that a cycle throws before anything has changed.
     */
    private void deallocateCheckingLinks(long absoluteAddress) {
        long address = absoluteAddress - offsetBytes;
        int slot = allocSlotHolding(address);
        if (slot == NONE) {
            return;
        }
        int block = entryBlock[allocTop[slot]];
        int prev = blockPrev[block];
        int next = blockNext[block];
        // The walk that recomputes the lowest occupied address runs first, on the links as the merges
        // below will leave them, so that a corrupted table throws before anything has changed.
        boolean recomputeLowest = Long.compareUnsigned(address, lowestRelative) <= 0;
        int lowestBlock = recomputeLowest ? firstAllocatedAfterFree(block, prev, next, absoluteAddress) : NONE;
        removeTopEntry(slot);
        blockAllocated[block] = false;

        block = mergeWithFreeNeighbours(block, prev, next);

        if (recomputeLowest) {
            lowestPresent = lowestBlock != NONE;
            if (lowestPresent) {
                lowestRelative = blockAddress[lowestBlock];
            }
        }
        insertIntoSizeClass(block);
    }

    /**
     * The block at which the C++ {@code deallocate} stops its walk up the next links to recompute the
     * lowest occupied address: the first allocated block after the merged block, or {@link #NONE}.
     * It is computed on the current table before the merges change it, through the at most two next
     * links the merges will rewrite (with the freed block already counted as free). Read in the
     * order {@link #deallocate} writes them, the overlay gives the same links even when corrupted
     * links make the neighbours coincide.
     *
     * <p>The walk visits metablock slots only. Once it has made more steps than there are slots, it
     * has come back to a slot it already visited, and the C++ loop would never end. This method then
     * throws (see {@link CorruptedFreeListException}; whether the C++ does the same is discussed at
     * {@link #shrinkSize}).
     */
    private int firstAllocatedAfterFree(int block, int prev, int next, long absoluteAddress) {
        int merged = block;
        int rewrittenA = NONE;
        int linkA = NONE;
        if (prev != NONE && (prev == block || !blockAllocated[prev])) {
            merged = prev;
            rewrittenA = prev;
            linkA = next;
        }
        int rewrittenB = NONE;
        int linkB = NONE;
        if (next != NONE && (next == block || !blockAllocated[next])) {
            rewrittenB = merged;
            linkB = next == rewrittenA ? linkA : blockNext[next];
        }
        int current = merged == rewrittenB ? linkB : merged == rewrittenA ? linkA : blockNext[merged];
        for (int steps = 0; current != NONE; steps++) {
            if (current != block && blockAllocated[current]) {
                return current;
            }
            if (steps == blockCount) {
                throw linkCycle(absoluteAddress, block, merged, rewrittenA, linkA, rewrittenB, linkB);
            }
            current = current == rewrittenB ? linkB : current == rewrittenA ? linkA : blockNext[current];
        }
        return NONE;
    }

    /** The exception for a walk of {@link #firstAllocatedAfterFree} that found a cycle; lists the cycle. */
    private CorruptedFreeListException linkCycle(long absoluteAddress, int block, int merged, int rewrittenA,
                                                int linkA, int rewrittenB, int linkB) {
        List<Integer> path = new ArrayList<>();
        boolean[] seen = new boolean[blockCount];
        int current = merged;
        while (!seen[current]) {
            seen[current] = true;
            path.add(current);
            current = current == rewrittenB ? linkB : current == rewrittenA ? linkA : blockNext[current];
        }
        StringBuilder links = new StringBuilder();
        for (int id : path) {
            links.append(id).append(" -> ");
        }
        links.append(current);
        return new CorruptedFreeListException("deallocate(" + Long.toUnsignedString(absoluteAddress) + ") of block "
                + block + ": the next links after the merged block " + merged + " form a cycle of free blocks ("
                + links + ", with no allocated block on it). tt-metal's FreeListOpt::deallocate loops forever here,"
                + " walking them for the lowest occupied address. Nothing has been changed. The links were corrupted"
                + " by an earlier shrinkSize that retired a block while its lower neighbour still linked to it"
                + " (shrink size now " + Long.toUnsignedString(shrinkSize) + ")", current);
    }

    // ------------------------------------------------------------------------------------------
    // shrink / reset
    // ------------------------------------------------------------------------------------------

    /**
     * Removes {@code shrinkSizeBytes} from the bottom of the arena.
     *
     * <p>Models {@code FreeListOpt::shrink_size} (reference 6.10). Checks, in order: 0 is a no-op;
     * top-down is fatal; a size not strictly below the current max size is fatal (the newest C++ test
     * rejects a full-capacity shrink, so the strict check is inferred from it); then the live
     * metablocks are scanned in index order: an allocated block below the new bottom is fatal, and the
     * first free block containing the new bottom is the one shrunk (later metablocks are not checked).
     * No such block is fatal. The block loses {@code shrinkSizeBytes} and its address moves up by the
     * same amount (exact only when it started at the old bottom, as in the C++); a block shrunk to
     * size 0 is unlinked from its successor and its slot retired.
     *
     * @param shrinkSizeBytes bytes to remove, {@code >= 0}
     * @param bottomUp        must be true
     * @throws TtFatalException with the C++ message when the shrink is not possible
     */
    // Faithful, not a meshalloc bug: a shrink can corrupt the block table, in tt-metal's
    // FreeListOpt::shrink_size (free_list_opt.cpp, newest stored version and mid-2025 alike) exactly as
    // here. The scan stops at the first FREE metablock, in index order, that contains the new bottom.
    // Allocated metablocks with a higher index are never checked, even when they lie below the new
    // bottom. Slot reuse makes that common: top-down carving and merges give a low slot to a block
    // above a high slot. The taken block is then shrunk by the full amount:
    //  - if it did not start at the old bottom, its size can wrap around 2^64 and its address move past
    //    the arena. available_addresses then returns a pair with end < start
    //    (FreeListOptCorruptionTest, 4 calls);
    //  - if it shrinks to size 0, its slot is retired with only its successor's prev fixed. Its
    //    predecessor's next still names the dead slot. Reusing the slot can make it its own neighbour, and
    //    the walk for the lowest occupied address in FreeListOpt::deallocate then loops forever
    //    (FreeListOptCorruptionTest, 15 calls from a random sequence; each step traced against the C++).
    // This model keeps those states, because the addresses it hands out must stay the C++ ones. It
    // throws CorruptedFreeListException only where the C++ would loop forever (deallocate) or return a
    // pair that an AddressRange cannot hold (availableAddresses, allocatedAddresses).
    @Override
    public void shrinkSize(long shrinkSizeBytes, boolean bottomUp) {
        checkArgument(shrinkSizeBytes >= 0, "shrinkSizeBytes must be >= 0, got %s", shrinkSizeBytes);
        if (shrinkSizeBytes == 0) {
            return;
        }
        if (!bottomUp) {
            throw new TtFatalException("Shrinking from the top is currently not supported");
        }
        if (Long.compareUnsigned(shrinkSizeBytes, maxSizeBytes) >= 0) {
            throw new TtFatalException("Shrink size " + Long.toUnsignedString(shrinkSizeBytes)
                    + " must be smaller than max size " + Long.toUnsignedString(maxSizeBytes));
        }
        long newBottom = shrinkSize + shrinkSizeBytes;
        int toShrink = NONE;
        for (int i = 0; i < blockCount; i++) {
            if (!metaBlockLive[i]) {
                continue;
            }
            if (blockAllocated[i]) {
                if (Long.compareUnsigned(blockAddress[i], newBottom) < 0) {
                    throw new TtFatalException("Shrink size " + Long.toUnsignedString(newBottom)
                            + " cuts into allocated block at address " + Long.toUnsignedString(blockAddress[i]));
                }
            } else if (Long.compareUnsigned(blockAddress[i], newBottom) <= 0
                    && Long.compareUnsigned(blockAddress[i] + blockSize[i], newBottom) >= 0) {
                toShrink = i;
                break;
            }
        }
        if (toShrink == NONE) {
            throw new TtFatalException("Shrink size " + Long.toUnsignedString(newBottom)
                    + " does not align with any block. This must be a bug");
        }
        linksTrusted = false;
        removeFromSizeClass(toShrink);
        blockSize[toShrink] -= shrinkSizeBytes;
        maxSizeBytes -= shrinkSizeBytes;
        shrinkSize += shrinkSizeBytes;
        if (blockSize[toShrink] == 0) {
            int next = blockNext[toShrink];
            if (next != NONE) {
                blockPrev[next] = blockPrev[toShrink];
            }
            retireMetaBlock(toShrink);
        } else {
            blockAddress[toShrink] += shrinkSizeBytes;
            insertIntoSizeClass(toShrink);
        }
    }

    /**
     * Gives back the bytes removed by {@link #shrinkSize}.
     *
     * <p>Models {@code FreeListOpt::reset_size} (reference 6.10): finds the first live metablock (index
     * order) starting at the current bottom; if free it is extended down to 0, if allocated a new free
     * metablock {@code [0, shrink)} is linked below it. No coalescing is done.
     *
     * @throws TtFatalException if no block starts at the current bottom (a debug-only assertion in
     *                          the C++, whose release build would then index out of bounds)
     */
    @Override
    public void resetSize() {
        if (shrinkSize == 0) {
            return;
        }
        int lowest = NONE;
        for (int i = 0; i < blockCount; i++) {
            if (metaBlockLive[i] && blockAddress[i] == shrinkSize) {
                lowest = i;
                break;
            }
        }
        if (lowest == NONE) {
            throw new TtFatalException("Lowest block not found during reset size");
        }
        linksTrusted = false;
        if (!blockAllocated[lowest]) {
            removeFromSizeClass(lowest);
            blockSize[lowest] += shrinkSize;
            blockAddress[lowest] = 0;
            insertIntoSizeClass(lowest);
        } else {
            int bottom = allocMetaBlock(0, shrinkSize, NONE, lowest, false);
            blockPrev[lowest] = bottom;
            insertIntoSizeClass(bottom);
        }
        maxSizeBytes += shrinkSize;
        shrinkSize = 0;
    }

    // ------------------------------------------------------------------------------------------
    // queries
    // ------------------------------------------------------------------------------------------

    /**
     * The lowest occupied absolute address as tracked (with tt-metal's staleness: not reset by
     * {@link #clear()}, recomputed by a deallocation only when the freed address is at or below it,
     * not updated by an allocation that violated its address limit).
     *
     * <p>Models {@code Algorithm::lowest_occupied_address()} (reference 6.8).
     */
    @Override
    public OptionalLong lowestOccupiedAddress() {
        return lowestPresent ? OptionalLong.of(lowestRelative + offsetBytes) : OptionalLong.empty();
    }

    /**
     * Every free block able to hold {@code sizeBytes} (after rounding), as absolute half-open ranges,
     * grouped by size class (from the request's class upwards), each class in ascending address order.
     * The result is not globally sorted.
     *
     * <p>Like the C++ {@code std::vector<std::pair<DeviceAddr, DeviceAddr>>}, the ranges are stored as
     * (start, end) pairs in one array; the returned list is unmodifiable and makes each
     * {@link AddressRange} when it is read. The pairs are relative addresses in units of the alignment's
     * largest power-of-two factor, in an {@code int[]}, whenever they fit (arenas up to 2^32 units, that
     * is 256 GiB at 64 B, with no block moved off the alignment). Otherwise they are bytes in a
     * {@code long[]}. The query writes them into a buffer the free list keeps, then copies the exact
     * number into the result. Most of the query's time is writing the result into fresh heap memory,
     * so halving its size is what makes it faster.
     *
     * <p>Models {@code FreeListOpt::available_addresses} (reference 6.7, late-2025: absolute).
     *
     * @throws CorruptedFreeListException at the first fitting block whose absolute range ends below its
     *                                    start (a size or address wrapped by an earlier corruption;
     *                                    the C++ returns that pair as it is)
     */
    @Override
    public List<AddressRange> availableAddresses(long sizeBytes) {
        checkArgument(sizeBytes >= 0, "sizeBytes must be >= 0, got %s", sizeBytes);
        long request = requestSize(sizeBytes);
        long classes = nonEmptyClasses & (-1L << sizeClassOf(request));
        int candidates = 0;
        for (long rest = classes; rest != 0; rest &= rest - 1) {
            candidates += freeByClassLength[Long.numberOfTrailingZeros(rest)];
        }
        int[] units = unitScratch;
        if (units.length < 2 * candidates) {
            units = growUnitScratch(candidates);
        }
        long[] addresses = blockAddress;
        long[] sizes = blockSize;
        int shift = unitShift;
        long bits = 0;
        int n = 0;
        for (long rest = classes; rest != 0; rest &= rest - 1) {
            int c = Long.numberOfTrailingZeros(rest);
            int[] list = classList(c);
            int length = Math.min(freeByClassLength[c], list.length);
            for (int j = 0; j < length; j++) {
                int block = list[j];
                long size = sizes[block];
                if (Long.compareUnsigned(size, request) >= 0) {
                    long start = addresses[block];
                    long end = start + size;
                    bits |= start | size | end;
                    units[n] = (int) (start >>> shift);
                    units[n + 1] = (int) (end >>> shift);
                    n += 2;
                }
            }
        }
        // Every start, size and end below 2^63 (so no sum wraps, the offset being below 2^63 too), a
        // multiple of the unit and below 2^32 units: the compact form holds them exactly.
        if (bits >= 0 && (bits & ((1L << shift) - 1)) == 0 && bits >>> shift >>> 32 == 0) {
            return new AddressRangeList(offsetBytes, shift, Arrays.copyOf(units, n), null, n >> 1);
        }
        return new AddressRangeList(offsetBytes, 0, null, pairsOf(classes, request, n), n >> 1);
    }

    /**
     * The relative (start, end) pairs of {@link #availableAddresses} as longs, for a query whose ranges
     * do not all fit the compact form (an arena of more than 2^32 alignment units, blocks moved off the
     * alignment by a shrink, or sizes wrapped by a corrupting one). Same blocks, same order; throws at
     * the first range whose absolute end lies below its start.
     */
    private long[] pairsOf(long classes, long request, int n) {
        long[] pairs = new long[n];
        int i = 0;
        for (long rest = classes; rest != 0; rest &= rest - 1) {
            int c = Long.numberOfTrailingZeros(rest);
            int[] list = classList(c);
            for (int j = 0; j < freeByClassLength[c]; j++) {
                int block = list[j];
                if (Long.compareUnsigned(blockSize[block], request) >= 0) {
                    long start = blockAddress[block] + offsetBytes;
                    if (Long.compareUnsigned(start, start + blockSize[block]) > 0) {
                        throw wrappedRange(block, "available_addresses");
                    }
                    pairs[i] = blockAddress[block];
                    pairs[i + 1] = blockAddress[block] + blockSize[block];
                    i += 2;
                }
            }
        }
        return pairs;
    }

    /**
     * The exception for a block whose absolute range ends below its start: its size (or address) wrapped
     * past 2^64, which only a corrupting shrink does (see {@link CorruptedFreeListException}).
     */
    private CorruptedFreeListException wrappedRange(int block, String function) {
        long start = blockAddress[block] + offsetBytes;
        return new CorruptedFreeListException((blockAllocated[block] ? "allocated" : "free") + " block " + block
                + " at relative address " + Long.toUnsignedString(blockAddress[block]) + " has size "
                + Long.toUnsignedString(blockSize[block]) + ", so its range ends at "
                + Long.toUnsignedString(start + blockSize[block]) + ", below its start "
                + Long.toUnsignedString(start) + " (the block table was corrupted earlier, as by a shrinkSize that"
                + " shrank a free block not starting at the bottom; shrink size now " + Long.toUnsignedString(shrinkSize)
                + "). tt-metal's FreeListOpt::"
                + function + " returns that pair as it is; an AddressRange cannot hold it", block);
    }

    /** Gives {@link #unitScratch} room for {@code ranges} pairs. */
    private int[] growUnitScratch(int ranges) {
        unitScratch = new int[Math.max(2 * ranges, 2 * INITIAL_BLOCK_CAPACITY)];
        return unitScratch;
    }

    /**
     * Every allocated block as an absolute half-open range, in metablock index order (not sorted by
     * address).
     *
     * <p>Models {@code FreeListOpt::allocated_addresses} (reference 6.7, late-2025).
     *
     * @throws CorruptedFreeListException at the first allocated block whose absolute range ends below its
     *                                    start (only after an earlier corruption)
     */
    public List<AddressRange> allocatedAddresses() {
        List<AddressRange> ranges = new ArrayList<>();
        for (int i = 0; i < blockCount; i++) {
            if (metaBlockLive[i] && blockAllocated[i]) {
                long start = blockAddress[i] + offsetBytes;
                long end = start + blockSize[i];
                if (Long.compareUnsigned(start, end) > 0) {
                    throw wrappedRange(i, "allocated_addresses");
                }
                ranges.add(new AddressRange(start, end));
            }
        }
        return ranges;
    }

    /**
     * Size of the allocated block starting at {@code absoluteAddress}, or empty if no allocated block
     * starts there.
     *
     * <p>Models {@code FreeListOpt::get_allocation_size} (newest). The lookup goes through the
     * allocated-block table; should two allocated blocks share an address (only possible with zero-byte
     * requests and a zero minimum allocation size) the most recent one answers, the one a deallocation
     * would free (inferred: the C++ of this function was not available to read).
     */
    public OptionalLong getAllocationSize(long absoluteAddress) {
        int slot = allocSlotHolding(absoluteAddress - offsetBytes);
        return slot == NONE ? OptionalLong.empty() : OptionalLong.of(blockSize[entryBlock[allocTop[slot]]]);
    }

    /**
     * Arena statistics over the live metablocks; when nothing is allocated, free bytes and largest free
     * block are both reported as the current max size.
     *
     * <p>Models {@code FreeListOpt::get_statistics} (reference 6.11, newest: dead slots skipped, no
     * {@code largest_free_block_addrs}).
     */
    @Override
    public Statistics getStatistics() {
        long allocated = 0;
        long free = 0;
        long largestFree = 0;
        for (int i = 0; i < blockCount; i++) {
            if (!metaBlockLive[i]) {
                continue;
            }
            if (blockAllocated[i]) {
                allocated += blockSize[i];
            } else {
                free += blockSize[i];
                if (Long.compareUnsigned(blockSize[i], largestFree) >= 0) {
                    largestFree = blockSize[i];
                }
            }
        }
        if (allocated == 0) {
            free = maxSizeBytes;
            largestFree = maxSizeBytes;
        }
        return new Statistics(maxSizeBytes, allocated, free, largestFree);
    }

    /**
     * One row per live metablock in index order, with ABSOLUTE addresses (the shared
     * {@link MemoryBlock} contract); {@link #getMetaBlockTable()} has the C++ columns.
     *
     * <p>Models {@code FreeListOpt::get_memory_block_table}.
     */
    @Override
    public List<MemoryBlock> getMemoryBlockTable() {
        List<MemoryBlock> rows = new ArrayList<>();
        for (int i = 0; i < blockCount; i++) {
            if (metaBlockLive[i]) {
                rows.add(new MemoryBlock(blockAddress[i] + offsetBytes, blockSize[i], blockAllocated[i]));
            }
        }
        return rows;
    }

    /**
     * One row per live metablock in index order with the columns of the C++ table (blockID, relative
     * address, size, prevID, nextID, allocated).
     *
     * <p>Models {@code FreeListOpt::get_memory_block_table} as the C++ fills it.
     */
    public List<MetaBlock> getMetaBlockTable() {
        List<MetaBlock> rows = new ArrayList<>();
        for (int i = 0; i < blockCount; i++) {
            if (metaBlockLive[i]) {
                rows.add(new MetaBlock(i, blockAddress[i], blockSize[i], blockPrev[i], blockNext[i],
                        blockAllocated[i]));
            }
        }
        return rows;
    }

    /**
     * The free metablock indices of every size class, each list in ascending address order.
     *
     * <p>Models the content of {@code free_blocks_segregated_by_size_} (as {@code dump_blocks} prints it).
     */
    public List<List<Integer>> segregatedFreeBlocks() {
        List<List<Integer>> classes = new ArrayList<>(sizeClassCount);
        for (int c = 0; c < sizeClassCount; c++) {
            List<Integer> blocks = new ArrayList<>(freeByClassLength[c]);
            int[] list = classList(c);
            for (int j = 0; j < freeByClassLength[c]; j++) {
                blocks.add(list[j]);
            }
            classes.add(List.copyOf(blocks));
        }
        return List.copyOf(classes);
    }

    /**
     * The dead metablock slots, bottom of the reuse stack first (the last one is reused next).
     *
     * <p>Models {@code free_meta_block_indices_}.
     */
    public List<Integer> freeMetaBlockSlots() {
        List<Integer> slots = new ArrayList<>(deadSlotCount);
        for (int i = 0; i < deadSlotCount; i++) {
            slots.add(deadSlots[i]);
        }
        return List.copyOf(slots);
    }

    /**
     * A readable rendering in the layout of the C++ dump: the size classes with their free metablocks,
     * the free slots of the block table, then the live block table (relative addresses, "none" for
     * missing neighbours).
     *
     * <p>Models {@code FreeListOpt::dump_blocks}.
     */
    @Override
    public String dumpBlocks() {
        StringBuilder out = new StringBuilder();
        out.append("FreeListOpt allocator info:\n");
        out.append("segregated free blocks by size:\n");
        for (int c = 0; c < sizeClassCount; c++) {
            String low = Long.toUnsignedString(SIZE_SEGREGATED_BASE << c);
            String high = c == sizeClassCount - 1 ? "inf" : Long.toUnsignedString(SIZE_SEGREGATED_BASE << (c + 1));
            out.append("  Size class ").append(c).append(": (").append(low).append(" - ").append(high)
                    .append(") blocks: ");
            int[] list = classList(c);
            for (int j = 0; j < freeByClassLength[c]; j++) {
                out.append(list[j]).append(' ');
            }
            out.append('\n');
        }
        out.append("Free slots in block table: ");
        for (int i = 0; i < deadSlotCount; i++) {
            out.append(deadSlots[i]).append(' ');
        }
        out.append('\n');
        out.append("Block table:\n");
        for (String header : new String[] {"Block", "Address", "Size", "PrevID", "NextID", "Allocated"}) {
            out.append(String.format("%12s ", header));
        }
        out.append('\n');
        for (MetaBlock row : getMetaBlockTable()) {
            out.append(String.format("%12d %12s %12s %12s %12s %12s\n", row.blockId(),
                    Long.toUnsignedString(row.address()), Long.toUnsignedString(row.size()),
                    row.prevId() == NONE ? "none" : Integer.toString(row.prevId()),
                    row.nextId() == NONE ? "none" : Integer.toString(row.nextId()),
                    row.allocated() ? "yes" : "no"));
        }
        return out.toString();
    }

    /** Current usable size ({@code max_size_bytes_}); shrinks with {@link #shrinkSize}. */
    @Override
    public long maxSizeBytes() {
        return maxSizeBytes;
    }

    /** Absolute address of relative 0 ({@code offset_bytes_}). */
    @Override
    public long offsetBytes() {
        return offsetBytes;
    }

    /** Minimum bytes of any request ({@code min_allocation_size_}). */
    @Override
    public long minAllocationSizeBytes() {
        return minAllocationSize;
    }

    /** Alignment of sizes and relative addresses ({@code alignment_}). */
    @Override
    public long alignmentBytes() {
        return alignment;
    }

    // ------------------------------------------------------------------------------------------
    // internals
    // ------------------------------------------------------------------------------------------

    /** align(max(size, min)): the size every operation actually uses. Models {@code Algorithm::align}. */
    private long requestSize(long sizeBytes) {
        long size = Math.max(sizeBytes, minAllocationSize);
        long bumped = size + alignment - 1;
        if (alignmentIsPowerOfTwo) {
            return bumped & -alignment;
        }
        return Long.divideUnsigned(bumped, alignment) * alignment;
    }

    private void updateLowestOccupied(long address) {
        if (!lowestPresent || Long.compareUnsigned(address, lowestRelative) < 0) {
            lowestRelative = address;
            lowestPresent = true;
        }
    }

    /** Takes a slot from the reuse stack (last retired first) or appends one. Models {@code alloc_meta_block}. */
    private int allocMetaBlock(long address, long size, int prev, int next, boolean allocated) {
        if (deadSlotCount == 0) {
            return appendMetaBlock(address, size, prev, next, allocated);
        }
        int slot = deadSlots[--deadSlotCount];
        blockAddress[slot] = address;
        blockSize[slot] = size;
        blockPrev[slot] = prev;
        blockNext[slot] = next;
        blockAllocated[slot] = allocated;
        metaBlockLive[slot] = true;
        return slot;
    }

    private int appendMetaBlock(long address, long size, int prev, int next, boolean allocated) {
        if (blockCount == blockAddress.length) {
            growMetaBlockTable();
        }
        int slot = blockCount++;
        blockAddress[slot] = address;
        blockSize[slot] = size;
        blockPrev[slot] = prev;
        blockNext[slot] = next;
        blockAllocated[slot] = allocated;
        metaBlockLive[slot] = true;
        return slot;
    }

    // Growth, creation and the untrusted-list checks live in methods of their own: they are rare, and
    // kept out of line they leave the hot methods small enough for C2 to inline into carve() whole.

    /** Doubles the capacity of the metablock table. */
    private void growMetaBlockTable() {
        int capacity = blockCount * 2;
        blockAddress = Arrays.copyOf(blockAddress, capacity);
        blockSize = Arrays.copyOf(blockSize, capacity);
        blockPrev = Arrays.copyOf(blockPrev, capacity);
        blockNext = Arrays.copyOf(blockNext, capacity);
        blockAllocated = Arrays.copyOf(blockAllocated, capacity);
        metaBlockLive = Arrays.copyOf(metaBlockLive, capacity);
        if (treeLeft != null) {
            growTreeArrays();
        }
    }

    /** Pushes a slot on the reuse stack. Models {@code free_meta_block}. */
    private void retireMetaBlock(int slot) {
        if (deadSlotCount == deadSlots.length) {
            deadSlots = Arrays.copyOf(deadSlots, deadSlotCount * 2);
        }
        deadSlots[deadSlotCount++] = slot;
        metaBlockLive[slot] = false;
    }

    /**
     * Inserts a free block into its class list keeping ascending address order. Short lists take the
     * position after every block with an address {@code <=} the new one, long lists the lower bound
     * (before equal addresses), exactly as the C++ does; the two differ only for equal addresses.
     * Models {@code insert_block_to_segregated_list}.
     */
    private void insertIntoSizeClass(int block) {
        int c = sizeClassOf(blockSize[block]);
        if (classIsTree[c]) {
            insertIntoTree(c, block);
            return;
        }
        int[] list = freeByClass[c];
        int length = freeByClassLength[c];
        long address = blockAddress[block];
        int position;
        if (length == 0 || (freeListsTrusted && Long.compareUnsigned(blockAddress[list[length - 1]], address) < 0)) {
            // Above every address of a sorted list: both searches below give the end.
            position = length;
        } else if (length < LINEAR_INSERT_LIMIT) {
            position = 0;
            while (position < length && Long.compareUnsigned(blockAddress[list[position]], address) <= 0) {
                position++;
            }
        } else {
            position = lowerBound(list, length, address);
        }
        if (length == list.length) {
            list = growClassList(c);
        }
        System.arraycopy(list, position, list, position + 1, length - position);
        list[position] = block;
        freeByClassLength[c] = length + 1;
        nonEmptyClasses |= 1L << c;
        if (length >= treeAbove && freeListsTrusted) {
            arrayToTree(c);
        }
    }

    /** Gives a class list more capacity (its first storage, or double). */
    private int[] growClassList(int sizeClass) {
        int[] list = freeByClass[sizeClass];
        list = Arrays.copyOf(list, Math.max(INITIAL_BLOCK_CAPACITY, list.length * 2));
        freeByClass[sizeClass] = list;
        return list;
    }

    /**
     * Takes the entry at {@code position} of class {@code sizeClass} out of its list and lists free
     * block {@code free} instead, with exactly the result of the C++ erase followed by
     * {@link #insertIntoSizeClass}: when {@code free} belongs to the same class and the insert would
     * land at {@code position}, it simply takes the slot and both array shifts are saved. That is the
     * usual case when carving from the end of a large block, whose remainder stays in its class.
     */
    private void replaceInSizeClass(int sizeClass, int position, int free) {
        if (sizeClassOf(blockSize[free]) == sizeClass && insertLandsAt(sizeClass, position, blockAddress[free])) {
            freeByClass[sizeClass][position] = free;
            return;
        }
        removeFromSizeClassAt(sizeClass, position);
        insertIntoSizeClass(free);
    }

    /**
     * Whether {@link #insertIntoSizeClass} of a block at {@code address}, into the list of
     * {@code sizeClass} with the entry at {@code position} erased, would put it at {@code position}.
     * In a sorted list (trusted lists, {@link #freeListsTrusted}) that is so when the address lies
     * strictly between those of the entries before and after the position: both insert searches
     * then stop there. Otherwise the insert's own search is run on the list minus that entry.
     */
    private boolean insertLandsAt(int sizeClass, int position, long address) {
        int[] list = freeByClass[sizeClass];
        int length = freeByClassLength[sizeClass] - 1;
        if (freeListsTrusted) {
            return (position == 0 || Long.compareUnsigned(blockAddress[list[position - 1]], address) < 0)
                    && (position == length || Long.compareUnsigned(blockAddress[list[position + 1]], address) > 0);
        }
        return untrustedInsertLandsAt(list, length, position, address);
    }

    /** {@link #insertLandsAt} for lists that may be unsorted: the insert's own search on the list minus the entry. */
    private boolean untrustedInsertLandsAt(int[] list, int length, int position, long address) {
        if (length < LINEAR_INSERT_LIMIT) {
            // The linear insert stops at the first entry above the address.
            for (int i = 0; i < position; i++) {
                if (Long.compareUnsigned(blockAddress[list[i]], address) > 0) {
                    return false;
                }
            }
            return position == length || Long.compareUnsigned(blockAddress[list[position + 1]], address) > 0;
        }
        int low = 0;
        int high = length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            int entry = list[mid < position ? mid : mid + 1];
            if (Long.compareUnsigned(blockAddress[entry], address) < 0) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low == position;
    }

    /** First position whose block address is not below {@code address} (unsigned). */
    private int lowerBound(int[] list, int length, long address) {
        int low = 0;
        int high = length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (Long.compareUnsigned(blockAddress[list[mid]], address) < 0) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /**
     * Removes a free block from the list of the class of its current size (the C++ finds it with a
     * linear {@code std::find}; a block appears at most once, so locating it by address first gives the
     * same result). Does nothing if it is not there.
     */
    private void removeFromSizeClass(int block) {
        int c = sizeClassOf(blockSize[block]);
        if (classIsTree[c]) {
            // A tree holds the same blocks, in the same order, as the array would: the array's search
            // misses exactly when the block is not a node of this class's tree.
            if (treeClass[block] == c) {
                removeFromTree(c, block);
            } else {
                distrustFreeLists();
            }
            return;
        }
        int[] list = freeByClass[c];
        int length = freeByClassLength[c];
        long address = blockAddress[block];
        int position = lowerBound(list, length, address);
        while (position < length && list[position] != block && blockAddress[list[position]] == address) {
            position++;
        }
        if (position >= length || list[position] != block) {
            position = 0;
            while (position < length && list[position] != block) {
                position++;
            }
            if (position == length) {
                distrustFreeLists();
                return;
            }
        }
        removeFromSizeClassAt(c, position);
    }

    private void removeFromSizeClassAt(int sizeClass, int position) {
        int[] list = freeByClass[sizeClass];
        int length = freeByClassLength[sizeClass];
        System.arraycopy(list, position + 1, list, position, length - position - 1);
        freeByClassLength[sizeClass] = length - 1;
        if (length == 1) {
            nonEmptyClasses &= ~(1L << sizeClass);
        }
    }

    /**
     * Adds (address, block) as the most recent entry of its address. Models
     * {@code insert_block_to_alloc_table}: the C++ appends to the address's bucket.
     */
    private void insertIntoAllocTable(long address, int block) {
        if (allocTop == null) {
            createAllocTable(INITIAL_ALLOC_MAP_CAPACITY);
        }
        int entry = freeEntries;
        if (entry != NONE) {
            freeEntries = entryBelow[entry];
        } else {
            if (entryCount == entryBlock.length) {
                entryBlock = Arrays.copyOf(entryBlock, entryCount * 2);
                entryBelow = Arrays.copyOf(entryBelow, entryCount * 2);
            }
            entry = entryCount++;
        }
        entryBlock[entry] = block;
        int mask = allocTop.length - 1;
        int slot = allocSlotOf(address, mask);
        while (allocTop[slot] != NONE) {
            if (allocKeys[slot] == address) {
                entryBelow[entry] = allocTop[slot];
                allocTop[slot] = entry;
                return;
            }
            slot = (slot + 1) & mask;
        }
        entryBelow[entry] = NONE;
        allocKeys[slot] = address;
        allocTop[slot] = entry;
        if (++allocMapSize > allocTop.length >>> 1) {
            growAllocMap();
        }
    }

    /** Home slot of {@code address} in a map of {@code mask + 1} slots (Fibonacci hashing). */
    private static int allocSlotOf(long address, int mask) {
        return (int) ((address * 0x9E3779B97F4A7C15L) >>> 32) & mask;
    }

    /** Builds an empty allocated-block table with {@code capacity} (a power of two) map slots. */
    private void createAllocTable(int capacity) {
        allocKeys = new long[capacity];
        allocTop = new int[capacity];
        Arrays.fill(allocTop, NONE);
        allocMapSize = 0;
        entryBlock = new int[INITIAL_BLOCK_CAPACITY];
        entryBelow = new int[INITIAL_BLOCK_CAPACITY];
        entryCount = 0;
        freeEntries = NONE;
    }

    /**
     * Empties the allocated-block table (init) at a cost bounded by what the free list has held. Teardown
     * clears every free list of every allocator it destroys, and most hold no block (any more): an absent or
     * already empty map costs nothing here (no sweep). A map that still holds addresses is swept and keeps
     * its capacity, so that a free list cleared between workloads does not grow and rehash it again each
     * time; a very large one is dropped instead (an absent table reads as empty everywhere and is rebuilt
     * small on the next allocation).
     */
    private void clearAllocTable() {
        if (allocTop == null) {
            return;
        }
        if (allocMapSize != 0) {
            if (allocTop.length > KEPT_ALLOC_MAP_CAPACITY) {
                allocKeys = null;
                allocTop = null;
                entryBlock = null;
                entryBelow = null;
                allocMapSize = 0;
                entryCount = 0;
                freeEntries = NONE;
                return;
            }
            Arrays.fill(allocTop, NONE);
            allocMapSize = 0;
        }
        entryCount = 0;
        freeEntries = NONE;
    }

    /** Doubles the map and re-slots every address (the entries stay). */
    private void growAllocMap() {
        long[] keys = allocKeys;
        int[] tops = allocTop;
        allocKeys = new long[keys.length * 2];
        allocTop = new int[keys.length * 2];
        Arrays.fill(allocTop, NONE);
        int mask = allocTop.length - 1;
        for (int i = 0; i < keys.length; i++) {
            if (tops[i] != NONE) {
                int slot = allocSlotOf(keys[i], mask);
                while (allocTop[slot] != NONE) {
                    slot = (slot + 1) & mask;
                }
                allocKeys[slot] = keys[i];
                allocTop[slot] = tops[i];
            }
        }
    }

    /** Map slot holding {@code address}, or {@link #NONE}. */
    private int allocSlotHolding(long address) {
        if (allocTop == null) {
            return NONE;
        }
        int mask = allocTop.length - 1;
        int slot = allocSlotOf(address, mask);
        while (allocTop[slot] != NONE) {
            if (allocKeys[slot] == address) {
                return slot;
            }
            slot = (slot + 1) & mask;
        }
        return NONE;
    }

    /**
     * Removes the most recently inserted entry for {@code address} (the C++ searches the address's
     * bucket from the back) and returns its block, or {@link #NONE}. Models
     * {@code get_and_remove_from_alloc_table}.
     */
    private int removeFromAllocTable(long address) {
        int slot = allocSlotHolding(address);
        if (slot == NONE) {
            return NONE;
        }
        int block = entryBlock[allocTop[slot]];
        removeTopEntry(slot);
        return block;
    }

    /**
     * Removes the most recent entry of map slot {@code slot} (found by {@link #allocSlotHolding}); with that
     * lookup, models {@code get_and_remove_from_alloc_table}. Split from the lookup so that
     * {@link #deallocateCheckingLinks} can check the links between the two, before anything changes.
     */
    private void removeTopEntry(int slot) {
        int entry = allocTop[slot];
        int below = entryBelow[entry];
        entryBelow[entry] = freeEntries;
        freeEntries = entry;
        if (below != NONE) {
            allocTop[slot] = below;
            return;
        }
        // Last entry of the address: delete the slot, shifting back later entries of its probe run.
        int mask = allocTop.length - 1;
        int hole = slot;
        int next = (hole + 1) & mask;
        while (allocTop[next] != NONE) {
            int home = allocSlotOf(allocKeys[next], mask);
            // Move the entry at next into the hole unless its home lies cyclically in (hole, next].
            if (((next - home) & mask) >= ((next - hole) & mask)) {
                allocKeys[hole] = allocKeys[next];
                allocTop[hole] = allocTop[next];
                hole = next;
            }
            next = (next + 1) & mask;
        }
        allocTop[hole] = NONE;
        allocMapSize--;
    }

    // ------------------------------------------------------------------------------------------
    // class lists held as trees
    // ------------------------------------------------------------------------------------------
    //
    // While the lists are trusted, a long class list is a treap whose in-order sequence is the array the
    // C++ would hold: nodes are metablocks, ordered by position (addresses ascending, equal addresses in
    // insertion order), heap-ordered by a hash of the metablock index, each node carrying the largest block
    // size of its subtree. Insert and remove are expected O(log n) (the hash is fixed, so the shape is a
    // function of the metablock indices and the operations: deterministic, not adversarially balanced), and
    // the first (last) block of at least a size is found by one descent guided by the subtree maxima.

    /** The blocks of class {@code c} in list order: the array itself, or a fresh copy of a tree's order. */
    private int[] classList(int c) {
        if (!classIsTree[c]) {
            return freeByClass[c];
        }
        int[] list = new int[freeByClassLength[c]];
        int n = 0;
        for (int node = treeLeftmost(classRoot[c]); node != NONE; node = treeSuccessor(node)) {
            list[n++] = node;
        }
        return list;
    }

    /** Marks the lists untrusted for good (until init), turning every tree back into its array first. */
    private void distrustFreeLists() {
        for (int c = 0; c < sizeClassCount; c++) {
            if (classIsTree[c]) {
                treeToArray(c);
            }
        }
        freeListsTrusted = false;
    }

    /** Turns the (sorted, trusted) array of class {@code c} into a tree with the same order. */
    private void arrayToTree(int c) {
        if (treeLeft == null || treeLeft.length < blockAddress.length) {
            growTreeArrays();
        }
        int[] list = freeByClass[c];
        int root = NONE;
        for (int j = 0; j < freeByClassLength[c]; j++) {
            int node = list[j];
            treeLeft[node] = NONE;
            treeRight[node] = NONE;
            treeClass[node] = c;
            treePull(node);
            root = treeMerge(root, node);
        }
        treeParent[root] = NONE;
        classRoot[c] = root;
        classIsTree[c] = true;
    }

    /** Turns the tree of class {@code c} back into an array with the same order. */
    private void treeToArray(int c) {
        int length = freeByClassLength[c];
        if (freeByClass[c].length < length) {
            freeByClass[c] = new int[Math.max(INITIAL_BLOCK_CAPACITY, Integer.highestOneBit(length) * 2)];
        }
        int[] list = freeByClass[c];
        int n = 0;
        for (int node = treeLeftmost(classRoot[c]); node != NONE; node = treeSuccessor(node)) {
            list[n++] = node;
        }
        for (int j = 0; j < n; j++) {
            treeClass[list[j]] = NONE;
        }
        classRoot[c] = NONE;
        classIsTree[c] = false;
    }

    /** Sizes the per-metablock tree arrays to the metablock table. */
    private void growTreeArrays() {
        int capacity = blockAddress.length;
        int old = treeLeft == null ? 0 : treeLeft.length;
        treeLeft = treeLeft == null ? new int[capacity] : Arrays.copyOf(treeLeft, capacity);
        treeRight = treeRight == null ? new int[capacity] : Arrays.copyOf(treeRight, capacity);
        treeParent = treeParent == null ? new int[capacity] : Arrays.copyOf(treeParent, capacity);
        treeMaxSize = treeMaxSize == null ? new long[capacity] : Arrays.copyOf(treeMaxSize, capacity);
        treeClass = treeClass == null ? new int[capacity] : Arrays.copyOf(treeClass, capacity);
        Arrays.fill(treeClass, old, capacity, NONE);
    }

    /**
     * Lists {@code block} in tree class {@code c} where {@link #insertIntoSizeClass} would put it in the
     * array: after every equal address while the list is short (the linear search), before them once
     * it is long (the lower bound).
     */
    private void insertIntoTree(int c, int block) {
        long address = blockAddress[block];
        long size = blockSize[block];
        boolean afterEqual = freeByClassLength[c] < LINEAR_INSERT_LIMIT;
        int priority = treePriority(block);
        // Walk down to where the block belongs by priority, raising the maxima on the way; the subtree
        // found there (expected O(1) nodes) is split around it.
        int parent = NONE;
        boolean asLeft = false;
        int node = classRoot[c];
        while (node != NONE && treePriority(node) > priority) {
            if (Long.compareUnsigned(size, treeMaxSize[node]) > 0) {
                treeMaxSize[node] = size;
            }
            int comparison = Long.compareUnsigned(blockAddress[node], address);
            parent = node;
            asLeft = !(comparison < 0 || (afterEqual && comparison == 0));
            node = asLeft ? treeLeft[node] : treeRight[node];
        }
        treeSplit(node, address, afterEqual);
        treeLeft[block] = splitBelow;
        treeRight[block] = splitAbove;
        treePull(block);
        treeParent[block] = parent;
        if (parent == NONE) {
            classRoot[c] = block;
        } else if (asLeft) {
            treeLeft[parent] = block;
        } else {
            treeRight[parent] = block;
        }
        treeClass[block] = c;
        freeByClassLength[c]++;
    }

    /** Takes node {@code block} out of tree class {@code c}; a short tree goes back to an array. */
    private void removeFromTree(int c, int block) {
        int parent = treeParent[block];
        int merged = treeMerge(treeLeft[block], treeRight[block]);
        if (parent == NONE) {
            classRoot[c] = merged;
            if (merged != NONE) {
                treeParent[merged] = NONE;
            }
        } else {
            if (treeLeft[parent] == block) {
                treeLeft[parent] = merged;
            } else {
                treeRight[parent] = merged;
            }
            // The parent relinks the merged subtree; above the first unchanged maximum nothing changes.
            for (int node = parent; node != NONE; node = treeParent[node]) {
                long before = treeMaxSize[node];
                treePull(node);
                if (treeMaxSize[node] == before) {
                    break;
                }
            }
        }
        treeClass[block] = NONE;
        int length = --freeByClassLength[c];
        if (length == 0) {
            nonEmptyClasses &= ~(1L << c);
        }
        if (length < treeBelow) {
            treeToArray(c);
        }
    }

    // Results of treeSplit.
    private int splitBelow;
    private int splitAbove;

    /**
     * Splits the tree at {@code root} into the nodes before an insert at {@code address} ({@link #splitBelow}:
     * the lower addresses, and the equal ones too when {@code afterEqual}) and the rest ({@link #splitAbove}).
     * The two roots' parent links are left stale.
     */
    private void treeSplit(int root, long address, boolean afterEqual) {
        if (root == NONE) {
            splitBelow = NONE;
            splitAbove = NONE;
            return;
        }
        int comparison = Long.compareUnsigned(blockAddress[root], address);
        if (comparison < 0 || (afterEqual && comparison == 0)) {
            treeSplit(treeRight[root], address, afterEqual);
            treeRight[root] = splitBelow;
            treePull(root);
            splitBelow = root;
        } else {
            treeSplit(treeLeft[root], address, afterEqual);
            treeLeft[root] = splitAbove;
            treePull(root);
            splitAbove = root;
        }
    }

    /** Joins two trees, every node of {@code low} before every node of {@code high}; the root's parent link is stale. */
    private int treeMerge(int low, int high) {
        if (low == NONE) {
            return high;
        }
        if (high == NONE) {
            return low;
        }
        if (treePriority(low) > treePriority(high)) {
            treeRight[low] = treeMerge(treeRight[low], high);
            treePull(low);
            return low;
        }
        treeLeft[high] = treeMerge(low, treeLeft[high]);
        treePull(high);
        return high;
    }

    /** Heap priority of a node: a fixed hash of its metablock index. */
    private static int treePriority(int node) {
        int h = node * 0x9E3779B9;
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        return h ^ (h >>> 13);
    }

    /** Recomputes a node's subtree maximum from its children and points them back at it. */
    private void treePull(int node) {
        long max = blockSize[node];
        int left = treeLeft[node];
        int right = treeRight[node];
        if (left != NONE) {
            treeParent[left] = node;
            if (Long.compareUnsigned(treeMaxSize[left], max) > 0) {
                max = treeMaxSize[left];
            }
        }
        if (right != NONE) {
            treeParent[right] = node;
            if (Long.compareUnsigned(treeMaxSize[right], max) > 0) {
                max = treeMaxSize[right];
            }
        }
        treeMaxSize[node] = max;
    }

    /** The first node in list order whose block holds at least {@code request} bytes, or {@link #NONE}. */
    private int treeFirstFit(int root, long request) {
        if (root == NONE || Long.compareUnsigned(treeMaxSize[root], request) < 0) {
            return NONE;
        }
        int node = root;
        while (true) {
            int left = treeLeft[node];
            if (left != NONE && Long.compareUnsigned(treeMaxSize[left], request) >= 0) {
                node = left;
            } else if (Long.compareUnsigned(blockSize[node], request) >= 0) {
                return node;
            } else {
                node = treeRight[node];
            }
        }
    }

    /** The last node in list order whose block holds at least {@code request} bytes, or {@link #NONE}. */
    private int treeLastFit(int root, long request) {
        if (root == NONE || Long.compareUnsigned(treeMaxSize[root], request) < 0) {
            return NONE;
        }
        int node = root;
        while (true) {
            int right = treeRight[node];
            if (right != NONE && Long.compareUnsigned(treeMaxSize[right], request) >= 0) {
                node = right;
            } else if (Long.compareUnsigned(blockSize[node], request) >= 0) {
                return node;
            } else {
                node = treeLeft[node];
            }
        }
    }

    private int treeLeftmost(int node) {
        if (node == NONE) {
            return NONE;
        }
        while (treeLeft[node] != NONE) {
            node = treeLeft[node];
        }
        return node;
    }

    private int treeSuccessor(int node) {
        if (treeRight[node] != NONE) {
            return treeLeftmost(treeRight[node]);
        }
        int child = node;
        int parent = treeParent[node];
        while (parent != NONE && treeRight[parent] == child) {
            child = parent;
            parent = treeParent[parent];
        }
        return parent;
    }

    /**
     * An unmodifiable list of address ranges held as relative (start, end) pairs in one array, the
     * layout of the C++ vector of pairs: the query that fills it makes one array rather than an object
     * per range. When every relative address is a multiple of 2^{@code shift} below 2^(32 + shift), the
     * pairs are stored in units of 2^{@code shift} bytes in an {@code int[]} (unsigned), half the
     * memory; otherwise as bytes in a {@code long[]}. Each {@link AddressRange} is made when it is read,
     * with the offset added as the C++ adds it (64-bit wrap-around).
     */
    private static final class AddressRangeList extends AbstractList<AddressRange> implements RandomAccess {
        private final long offset;
        private final int shift;
        private final int[] units;
        private final long[] pairs;
        private final int size;

        AddressRangeList(long offset, int shift, int[] units, long[] pairs, int size) {
            this.offset = offset;
            this.shift = shift;
            this.units = units;
            this.pairs = pairs;
            this.size = size;
        }

        @Override
        public AddressRange get(int index) {
            Objects.checkIndex(index, size);
            if (units != null) {
                return new AddressRange(offset + (Integer.toUnsignedLong(units[2 * index]) << shift),
                        offset + (Integer.toUnsignedLong(units[2 * index + 1]) << shift));
            }
            return new AddressRange(offset + pairs[2 * index], offset + pairs[2 * index + 1]);
        }

        @Override
        public int size() {
            return size;
        }
    }
}
