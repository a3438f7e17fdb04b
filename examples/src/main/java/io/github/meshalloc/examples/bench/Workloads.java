package io.github.meshalloc.examples.bench;

import io.github.meshalloc.allocator.algorithms.AllocatorAlgorithm;
import io.github.meshalloc.allocator.algorithms.FreeList;
import io.github.meshalloc.allocator.algorithms.FreeListOpt;

/**
 * The operation sequences of the seven allocator workloads of the public C++ benchmark harness that
 * came with tt-metal's {@code FreeListOpt} ({@code benchmark.cpp}), written once so that every
 * allocator runs exactly the same calls.
 *
 * <p>Each {@code run} method is one timed iteration; clearing the allocator beforehand and the
 * one-time setups ({@link #fragment}, {@link #prepareShrink}) are the caller's untimed part. The arena
 * is the harness's: 12 GiB at offset 0, minimum allocation and alignment 64 B; {@code allocate(size)}
 * is bottom-up without an address limit. A failed allocation whose address the workload later uses
 * throws {@link java.util.NoSuchElementException}, as the C++ {@code optional::value()} throws; with a
 * 12 GiB arena none fails.
 *
 * <p>The methods take the {@link AllocatorAlgorithm} interface. JMH forks a fresh JVM per benchmark, so
 * in a measured JVM every call site sees one implementation and is inlined as if typed concretely.
 */
public final class Workloads {

    /** 1 KiB. */
    public static final long KIB = 1024;
    /** 1 MiB. */
    public static final long MIB = 1024 * KIB;
    /** 1 GiB. */
    public static final long GIB = 1024 * MIB;

    /** Arena size of the harness: 12 GiB. */
    public static final long ARENA_BYTES = 12 * GIB;
    /** Arena offset of the harness. */
    public static final long OFFSET_BYTES = 0;
    /** Minimum allocation size of the harness. */
    public static final long MIN_ALLOCATION_BYTES = 64;
    /** Alignment of the harness. */
    public static final long ALIGNMENT_BYTES = 64;

    /** Rounds of {@link #worstCase}. */
    public static final int WORST_CASE_ROUNDS = 1000;
    /** Rounds of {@link #mixedAllocations}. */
    public static final int MIXED_ROUNDS = 150;
    /** Rounds of {@link #typicalCase}. */
    public static final int TYPICAL_ROUNDS = 100;
    /** Rounds of {@link #small}. */
    public static final int SMALL_ROUNDS = 20;
    /** Blocks allocated by {@link #fragment}. */
    public static final int FRAGMENT_BLOCKS = 450;
    /** Fixed address of the allocate-at-address call of {@link #small}. */
    public static final long SMALL_FIXED_ADDRESS = 25 * MIB;

    private static final long[] KEEP = {64 * KIB, 64 * KIB, 120 * KIB, 60 * MIB, 256 * KIB, 12 * KIB, 16 * MIB, 1 * KIB};
    private static final long[] TEMP = {16 * KIB, 16 * KIB, 16 * KIB, 16 * MIB, 32 * KIB, 1 * KIB, 1 * MIB, 3 * KIB};

    private Workloads() {
    }

    /** A {@link FreeListOpt} over the harness arena with the given policy. */
    public static FreeListOpt newFreeListOpt(FreeListOpt.SearchPolicy policy) {
        return new FreeListOpt(ARENA_BYTES, OFFSET_BYTES, MIN_ALLOCATION_BYTES, ALIGNMENT_BYTES, policy);
    }

    /** A {@link FreeListOpt} over the harness arena with the C++ default policy (BEST). */
    public static FreeListOpt newFreeListOpt() {
        return new FreeListOpt(ARENA_BYTES, OFFSET_BYTES, MIN_ALLOCATION_BYTES, ALIGNMENT_BYTES);
    }

    /** A legacy {@link FreeList} over the harness arena with the given policy. */
    public static FreeList newFreeList(FreeList.SearchPolicy policy) {
        return new FreeList(ARENA_BYTES, OFFSET_BYTES, MIN_ALLOCATION_BYTES, ALIGNMENT_BYTES, policy);
    }

    /**
     * {@code WorstCase}: 1000 times allocate 1, 2, 3 and 4 KiB, then free the 1 KiB and the 3 KiB
     * block. The 2 KiB and 4 KiB blocks stay, so live blocks and holes pile up.
     *
     * @return the sum of the addresses handed out (a value for the harness to consume)
     */
    public static long worstCase(AllocatorAlgorithm allocator) {
        long sum = 0;
        for (int i = 0; i < WORST_CASE_ROUNDS; i++) {
            long a = allocator.allocate(1 * KIB).getAsLong();
            long b = allocator.allocate(2 * KIB).getAsLong();
            long c = allocator.allocate(3 * KIB).getAsLong();
            long d = allocator.allocate(4 * KIB).getAsLong();
            allocator.deallocate(a);
            allocator.deallocate(c);
            sum += a + b + c + d;
        }
        return sum;
    }

    /**
     * {@code MixedAllocations}: 150 times allocate the eight keep sizes in order, then the eight temp
     * sizes in order, then free the eight temp blocks in order. Keep blocks are never freed.
     *
     * @return the sum of the addresses handed out
     */
    public static long mixedAllocations(AllocatorAlgorithm allocator) {
        long[] temp = new long[TEMP.length];
        long sum = 0;
        for (int i = 0; i < MIXED_ROUNDS; i++) {
            for (int j = 0; j < KEEP.length; j++) {
                sum += allocator.allocate(KEEP[j]).getAsLong();
            }
            for (int j = 0; j < TEMP.length; j++) {
                temp[j] = allocator.allocate(TEMP[j]).getAsLong();
            }
            for (int j = 0; j < TEMP.length; j++) {
                allocator.deallocate(temp[j]);
                sum += temp[j];
            }
        }
        return sum;
    }

    /**
     * {@code TypicalCase}: 100 times, for j = 0..7 allocate keep[j] then temp[j]; then free the eight
     * temp blocks in order. Keep blocks are never freed.
     *
     * @return the sum of the addresses handed out
     */
    public static long typicalCase(AllocatorAlgorithm allocator) {
        long[] temp = new long[TEMP.length];
        long sum = 0;
        for (int i = 0; i < TYPICAL_ROUNDS; i++) {
            for (int j = 0; j < KEEP.length; j++) {
                sum += allocator.allocate(KEEP[j]).getAsLong();
                temp[j] = allocator.allocate(TEMP[j]).getAsLong();
            }
            for (int j = 0; j < TEMP.length; j++) {
                allocator.deallocate(temp[j]);
                sum += temp[j];
            }
        }
        return sum;
    }

    /**
     * {@code Small}: 20 times allocate 1 KiB (a), free a, allocate 1 KiB (a), 2 KiB (b), 3 KiB (c),
     * allocate 2 KiB exactly at 25 MiB (d; fails after the first round, d is never freed), allocate
     * 4 KiB (e), then free a, b, e, c.
     *
     * @return the sum of the addresses handed out, d counted as 0 when it failed
     */
    public static long small(AllocatorAlgorithm allocator) {
        long sum = 0;
        for (int i = 0; i < SMALL_ROUNDS; i++) {
            long a = allocator.allocate(1 * KIB).getAsLong();
            allocator.deallocate(a);
            a = allocator.allocate(1 * KIB).getAsLong();
            long b = allocator.allocate(2 * KIB).getAsLong();
            long c = allocator.allocate(3 * KIB).getAsLong();
            long d = allocator.allocateAtAddress(SMALL_FIXED_ADDRESS, 2 * KIB).orElse(0);
            long e = allocator.allocate(4 * KIB).getAsLong();
            allocator.deallocate(a);
            allocator.deallocate(b);
            allocator.deallocate(e);
            allocator.deallocate(c);
            sum += a + b + c + d + e;
        }
        return sum;
    }

    /**
     * The one-time setup of {@code GetAvailableAddresses} and {@code Statistics}: allocate 450 blocks of
     * 1 KiB, then free those at even indices (0, 2, 4, ...), leaving 225 one-KiB holes.
     */
    public static void fragment(AllocatorAlgorithm allocator) {
        long[] blocks = new long[FRAGMENT_BLOCKS];
        for (int i = 0; i < FRAGMENT_BLOCKS; i++) {
            blocks[i] = allocator.allocate(1 * KIB).getAsLong();
        }
        for (int i = 0; i < FRAGMENT_BLOCKS; i += 2) {
            allocator.deallocate(blocks[i]);
        }
    }

    /**
     * The one-time setup of {@code ShrinkReset}: allocate 20 KiB top-down (a), 20 KiB top-down (b),
     * free a.
     */
    public static void prepareShrink(AllocatorAlgorithm allocator) {
        long a = allocator.allocate(20 * KIB, false).getAsLong();
        allocator.allocate(20 * KIB, false).getAsLong();
        allocator.deallocate(a);
    }

    /** {@code ShrinkReset}: shrink the arena by 1 KiB from the bottom, then give it back. */
    public static void shrinkReset(AllocatorAlgorithm allocator) {
        allocator.shrinkSize(1 * KIB, true);
        allocator.resetSize();
    }
}
