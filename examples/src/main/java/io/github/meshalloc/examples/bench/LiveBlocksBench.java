package io.github.meshalloc.examples.bench;

import com.google.common.base.Preconditions;
import io.github.meshalloc.allocator.algorithms.FreeListOpt;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one allocate plus one deallocate in a {@link FreeListOpt} against the number of live blocks (1e3 to
 * 1e6), a meshalloc tool (it models no C++ type).
 *
 * <p>The allocator is the harness's (12 GiB, 64 B minimum size and alignment, BEST). Set-up, once per trial
 * ({@link #fragment(FreeListOpt, int)}): {@code 2 * liveBlocks} blocks of 1 KiB allocated top-down, then every second
 * one (the second lowest, the fourth lowest, ...) freed in ascending address order, so {@code liveBlocks} live blocks alternate with {@code liveBlocks} free
 * 1 KiB holes (all in the lowest size class) above one large free block at the bottom. (Top-down allocation and
 * ascending frees keep the set-up itself near linear: each free finds its entry at the back of its alloc-table bucket
 * and appends to its class list.) Each timed operation leaves the allocator as it found it:
 * <ul>
 *   <li>{@code hole}: allocate 1 KiB bottom-up (BEST takes the lowest hole of the lowest class), deallocate it (it
 *       goes back into the class list at the front, between two live blocks, no merge);</li>
 *   <li>{@code holeTopDown}: allocate 1 KiB top-down (the highest hole), deallocate it;</li>
 *   <li>{@code tail}: allocate 4 KiB bottom-up (no hole fits; carved from the bottom free block), deallocate it
 *       (merged back).</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class LiveBlocksBench {

    /** Size of every set-up block and hole: 1 KiB. */
    public static final long BLOCK_BYTES = 1024;
    /** The request that fits no hole: 4 KiB. */
    public static final long TAIL_BYTES = 4 * 1024;

    /** A harness allocator with {@code liveBlocks} live 1 KiB blocks between as many 1 KiB holes. */
    @State(Scope.Thread)
    public static class Fragmented {
        /** Number of live blocks (and of holes). */
        @Param({"1000", "10000", "100000", "1000000"})
        public int liveBlocks;

        FreeListOpt allocator;

        /** Builds the fragmented allocator once per trial. */
        @Setup(Level.Trial)
        public void create() {
            allocator = Workloads.newFreeListOpt();
            fragment(allocator, liveBlocks);
        }
    }

    /**
     * Allocates {@code 2 * liveBlocks} 1 KiB blocks top-down, then frees every second one (the second lowest, the
     * fourth lowest, ..., the highest) in ascending address order.
     *
     * @throws IllegalArgumentException if {@code liveBlocks} is not positive
     * @throws IllegalStateException    if the allocator cannot hold them
     */
    public static void fragment(FreeListOpt allocator, int liveBlocks) {
        Preconditions.checkArgument(liveBlocks > 0, "liveBlocks %s must be positive", liveBlocks);
        long[] addresses = new long[2 * liveBlocks];
        for (int i = 0; i < addresses.length; i++) {
            OptionalLong a = allocator.allocate(BLOCK_BYTES, false, 0);
            if (a.isEmpty()) {
                throw new IllegalStateException("the allocator holds only " + i + " blocks of " + BLOCK_BYTES
                        + " B; " + addresses.length + " are needed");
            }
            addresses[i] = a.getAsLong();
        }
        // addresses descend; free the second lowest, the fourth lowest, ... in ascending order, so that the lowest
        // block stays live between the bottom free block and the first hole (no merge)
        for (int i = addresses.length - 2; i >= 0; i -= 2) {
            allocator.deallocate(addresses[i]);
        }
    }

    /** One allocation into the lowest hole and its deallocation. */
    @Benchmark
    public long hole(Fragmented state) {
        long address = state.allocator.allocate(BLOCK_BYTES, true, 0).getAsLong();
        state.allocator.deallocate(address);
        return address;
    }

    /** One allocation into the highest hole and its deallocation. */
    @Benchmark
    public long holeTopDown(Fragmented state) {
        long address = state.allocator.allocate(BLOCK_BYTES, false, 0).getAsLong();
        state.allocator.deallocate(address);
        return address;
    }

    /** One allocation too large for any hole, and its deallocation. */
    @Benchmark
    public long tail(Fragmented state) {
        long address = state.allocator.allocate(TAIL_BYTES, true, 0).getAsLong();
        state.allocator.deallocate(address);
        return address;
    }
}
