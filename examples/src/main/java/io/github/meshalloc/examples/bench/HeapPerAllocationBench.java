package io.github.meshalloc.examples.bench;

import com.google.common.base.Preconditions;
import io.github.meshalloc.allocator.Buffer;
import io.github.meshalloc.allocator.BufferType;
import io.github.meshalloc.allocator.Device;
import io.github.meshalloc.allocator.algorithms.FreeListOpt;
import io.github.meshalloc.mesh.MeshDevice;
import io.github.meshalloc.mesh.MeshShape;
import io.github.meshalloc.tracking.Host;
import io.github.meshalloc.tracking.RuleSet;
import io.github.meshalloc.tracking.SimulatedProcess;
import io.github.meshalloc.tracking.ops.Catalog;
import io.github.meshalloc.tracking.server.AllocationServer;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Heap bytes retained per live tracked allocation, a meshalloc tool (it models no C++ type).
 *
 * <p>For each N, three set-ups hold N live allocations of one 2 KiB DRAM page. The <b>cold</b> figure is the used heap
 * after repeated {@link System#gc()} with the N allocations live minus the same with none live yet (set-up built,
 * handle array allocated), divided by N: everything an allocation costs, including the growth of arrays and hash
 * tables, whose capacity stays after a free. The <b>warm</b> figure repeats the fill after freeing everything: the
 * per-allocation objects only (the grown capacity is already there). The three set-ups:
 * <ol>
 *   <li>{@code block}: N blocks in a bare {@link FreeListOpt} (12 GiB, 64 B): the allocator's block metadata
 *       (metablock arrays, size-class list slot, alloc-table entry);</li>
 *   <li>{@code buffer}: N {@code Buffer.create} on chip 0 of a 1x1 mesh of a process running {@code upstream} (no
 *       allocation client): adds the Buffer object and the Allocator/BankManager bookkeeping;</li>
 *   <li>{@code tracked}: the same under {@code meshalloc-fix} (GraphTracker -> AllocationClient -> quiet in-process
 *       S4 server): adds the server's registry entry (key, slot, hash node) and whatever the path keeps.</li>
 * </ol>
 * The differences between consecutive set-ups give the breakdown. After the second free, the used heap must be
 * within {@link #RETURN_TOLERANCE_BYTES} of that after the first (nothing leaks per allocation). Array capacities
 * grow by doubling, so cold figures wobble with N by the unused capacity.
 *
 * <p>Usage: {@code HeapPerAllocationBench [N ...]} (default 25000 50000 100000 200000).
 */
public final class HeapPerAllocationBench {

    /** Default sizes. */
    public static final List<Integer> DEFAULT_SIZES = List.of(25_000, 50_000, 100_000, 200_000);
    /** Bytes per allocation: one 2 KiB page. */
    public static final long PAGE = 2048;
    /** How far the used heap after a second fill-and-free cycle may differ from that after the first. */
    public static final long RETURN_TOLERANCE_BYTES = 1024 * 1024;

    /**
     * One N's figures.
     *
     * @param live           live allocations
     * @param blockBytes     retained heap per block in a bare FreeListOpt (cold)
     * @param bufferBytes    retained heap per untracked Buffer, allocator metadata included (cold)
     * @param trackedBytes   retained heap per tracked Buffer, server registry entry included (cold)
     * @param blockWarm      the same three, warm
     * @param bufferWarm     see {@code blockWarm}
     * @param trackedWarm    see {@code blockWarm}
     * @param serverEntries  active allocations on the server with N tracked buffers live (must be N)
     */
    public record Row(int live, double blockBytes, double bufferBytes, double trackedBytes, double blockWarm,
                      double bufferWarm, double trackedWarm, int serverEntries) {
        /** Buffer object and allocator bookkeeping beyond the block metadata. */
        public double bufferObjectBytes() {
            return bufferBytes - blockBytes;
        }

        /** What tracking adds: the server's registry entry and the path's bookkeeping. */
        public double trackingBytes() {
            return trackedBytes - bufferBytes;
        }
    }

    private HeapPerAllocationBench() {
    }

    /** Used heap after the collector has run until it stops shrinking (at most 5 times). */
    static long settledUsedHeap() {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            if (used >= best) {
                break;
            }
            best = used;
        }
        return best;
    }

    /** Something holding N live allocations, measured empty, full and emptied again. */
    private interface Setup extends AutoCloseable {
        void fill(int n);

        void free();

        @Override
        void close();
    }

    /** Cold and warm bytes per allocation of one set-up. */
    private record PerAllocation(double cold, double warm) {
    }

    private static PerAllocation perAllocation(Setup setup, int n, String what) {
        long empty = settledUsedHeap();
        setup.fill(n);
        long cold = settledUsedHeap();
        setup.free();
        long emptied = settledUsedHeap();
        setup.fill(n);
        long warm = settledUsedHeap();
        setup.free();
        long emptiedAgain = settledUsedHeap();
        if (Math.abs(emptiedAgain - emptied) > RETURN_TOLERANCE_BYTES) {
            throw new IllegalStateException(what + ": the used heap after freeing " + n + " allocations a second time "
                    + "differs by " + (emptiedAgain - emptied) + " B from the first time");
        }
        return new PerAllocation((double) (cold - empty) / n, (double) (warm - emptied) / n);
    }

    private static final class BareBlocks implements Setup {
        private final FreeListOpt allocator = Workloads.newFreeListOpt();
        private final long[] addresses;

        BareBlocks(int n) {
            addresses = new long[n];
        }

        @Override
        public void fill(int n) {
            for (int i = 0; i < n; i++) {
                addresses[i] = allocator.allocate(PAGE, true, 0).orElseThrow();
            }
        }

        @Override
        public void free() {
            for (long a : addresses) {
                allocator.deallocate(a);
            }
        }

        @Override
        public void close() {
        }
    }

    private static final class ChipBuffers implements Setup {
        private final Host host;
        private final MeshDevice mesh;
        private final Device chip;
        private final Buffer[] buffers;

        ChipBuffers(RuleSet rules, int n) {
            host = new Host(rules.serverVersion(), b -> b.quiet(true));
            SimulatedProcess process = host.startProcess(rules);
            mesh = process.openMesh(new MeshShape(1, 1), Catalog.DEFAULT.chipConfig());
            chip = mesh.devices().get(0);
            buffers = new Buffer[n];
        }

        @Override
        public void fill(int n) {
            for (int i = 0; i < n; i++) {
                buffers[i] = Buffer.create(chip, PAGE, PAGE, BufferType.DRAM);
            }
        }

        @Override
        public void free() {
            for (int i = 0; i < buffers.length; i++) {
                buffers[i].release();
                buffers[i] = null;
            }
        }

        AllocationServer server() {
            return host.server();
        }

        @Override
        public void close() {
            mesh.close();
        }
    }

    /** Measures one N. */
    public static Row measure(int n) {
        Preconditions.checkArgument(n > 0, "N %s must be positive", n);
        PerAllocation block;
        try (BareBlocks blocks = new BareBlocks(n)) {
            block = perAllocation(blocks, n, "bare FreeListOpt");
        }
        PerAllocation buffer;
        try (ChipBuffers buffers = new ChipBuffers(RuleSet.UPSTREAM, n)) {
            buffer = perAllocation(buffers, n, "untracked buffers");
        }
        PerAllocation tracked;
        int[] entries = new int[1];
        try (ChipBuffers buffers = new ChipBuffers(RuleSet.MESHALLOC_FIX, n)) {
            Setup counting = new Setup() {
                @Override
                public void fill(int k) {
                    buffers.fill(k);
                    entries[0] = buffers.server().activeAllocations();
                }

                @Override
                public void free() {
                    buffers.free();
                    if (buffers.server().activeAllocations() != 0) {
                        throw new IllegalStateException(buffers.server().activeAllocations()
                                + " allocations still active on the server after freeing every buffer");
                    }
                }

                @Override
                public void close() {
                }
            };
            tracked = perAllocation(counting, n, "tracked buffers");
        }
        if (entries[0] != n) {
            throw new IllegalStateException("the server held " + entries[0] + " allocations with " + n
                    + " tracked buffers live");
        }
        return new Row(n, block.cold(), buffer.cold(), tracked.cold(), block.warm(), buffer.warm(), tracked.warm(),
                entries[0]);
    }

    /** Measures every N, in order. */
    public static List<Row> run(List<Integer> sizes) {
        List<Row> rows = new ArrayList<>(sizes.size());
        for (int n : sizes) {
            rows.add(measure(n));
        }
        return rows;
    }

    /** Prints the table. */
    public static void print(List<Row> rows, PrintStream out) {
        out.println("heap bytes per live allocation (one 2 KiB DRAM page): used heap after GC, N live minus none");
        out.println("cold: first fill (array and table growth included); warm: refill after freeing (objects only)");
        out.printf(Locale.ROOT, "%10s  %11s  %11s  %11s  |  %10s  %12s  %11s  |  %10s  %10s  %11s%n", "N",
                "bare block", "untracked", "tracked", "block meta", "Buffer+alloc", "server+path", "warm block",
                "warm untr.", "warm track.");
        for (Row r : rows) {
            out.printf(Locale.ROOT, "%,10d  %11.1f  %11.1f  %11.1f  |  %10.1f  %12.1f  %11.1f  |  %10.1f  %10.1f  %11.1f%n",
                    r.live(), r.blockBytes(), r.bufferBytes(), r.trackedBytes(), r.blockBytes(), r.bufferObjectBytes(),
                    r.trackingBytes(), r.blockWarm(), r.bufferWarm(), r.trackedWarm());
        }
    }

    /** Entry point: the sizes to measure, or the defaults. */
    public static void main(String[] args) {
        List<Integer> sizes = new ArrayList<>();
        for (String a : args) {
            sizes.add(Integer.parseInt(a));
        }
        print(run(sizes.isEmpty() ? DEFAULT_SIZES : sizes), System.out);
    }
}
