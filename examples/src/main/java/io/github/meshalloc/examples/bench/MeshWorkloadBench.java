package io.github.meshalloc.examples.bench;

import com.google.common.base.Preconditions;
import io.github.meshalloc.allocator.Buffer;
import io.github.meshalloc.allocator.Device;
import io.github.meshalloc.allocator.TtFatalException;
import io.github.meshalloc.mesh.MeshBuffer;
import io.github.meshalloc.mesh.MeshDevice;
import io.github.meshalloc.mesh.MeshShape;
import io.github.meshalloc.tracking.BalanceReport;
import io.github.meshalloc.tracking.DeviceMemory;
import io.github.meshalloc.tracking.Host;
import io.github.meshalloc.tracking.RuleSet;
import io.github.meshalloc.tracking.SimulatedProcess;
import io.github.meshalloc.tracking.TruthSnapshot;
import io.github.meshalloc.tracking.ops.Catalog;
import io.github.meshalloc.tracking.ops.ChipBufferChoice;
import io.github.meshalloc.tracking.ops.OpKind;
import io.github.meshalloc.tracking.ops.ProgramChoice;
import io.github.meshalloc.tracking.ops.TensorChoice;
import io.github.meshalloc.tracking.server.AllocationServer;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The whole-simulator workload of the performance issue: a seeded stream of runtime operations on a 4x8 (32-chip)
 * mesh with the tracking path on, timed, with the peak heap it needed. A meshalloc tool; it models no C++ type.
 *
 * <p>Set-up (untimed): a {@link Host} whose allocation server is quiet (it keeps no log lines, as S5's
 * {@code --quiet}; the registry, counters and anomalies are kept), one process running {@code meshalloc-fix} (the
 * GraphTracker reports each owning buffer once per chip through the process's AllocationClient to the S4 server,
 * in process), and a 4x8 mesh of Wormhole B0 chips opened by that process.
 *
 * <p>One <b>operation</b> is one operation of the {@code tracking.ops} vocabulary, run through the same library
 * calls as its {@code Op.apply} (without the Session's handle bookkeeping, which keeps every handle name forever):
 * <ul>
 *   <li>{@link OpKind#CREATE_TENSOR}: one {@code MeshBuffer.create} of a {@link TensorChoice} (replicated or sharded
 *       over the mesh, DRAM or L1): a backing buffer in the mesh allocator, 32 per-chip buffers, 32 ALLOC records;</li>
 *   <li>{@link OpKind#CREATE_CHIP_BUFFER}: one {@code Buffer.create} of a {@link ChipBufferChoice} on one chip's own
 *       allocator: one ALLOC record;</li>
 *   <li>{@link OpKind#DEALLOCATE}: {@code ttnn.deallocate} / {@code DeallocateBuffer} of a held handle (the handle
 *       stays held until dropped);</li>
 *   <li>{@link OpKind#DROP}: the last reference dropped ({@code ~MeshBuffer} / {@code ~Buffer});</li>
 *   <li>{@link OpKind#RUN_PROGRAM}: one {@code ProgramCache.run} of a {@link ProgramChoice} (a new program loads its
 *       kernel binary and allocates its circular buffers; a cached one is validated), sometimes keeping a live
 *       tensor's backing buffer alive;</li>
 *   <li>{@link OpKind#CLEAR_PROGRAM_CACHE}: {@code disable_and_clear_program_cache()} followed by
 *       {@code enable_program_cache()} (counted as one operation).</li>
 * </ul>
 * The mix, per operation drawn: 50 % tensor operations and 30 % single-chip buffer operations (each half creates,
 * half frees: a third of the frees of a not yet deallocated handle are {@code DEALLOCATE}, the rest {@code DROP}),
 * 19.8 % {@code RUN_PROGRAM} (a fifth of them keeping a tensor alive), 0.2 % {@code CLEAR_PROGRAM_CACHE}. The live
 * set is bounded ({@code maxLive} tensors and {@code maxLive} single-chip buffers); a create at the bound becomes a
 * free, a free with nothing held a create. Chips 8..31 are outside the S4 server's 8 device slots: their entries are
 * kept but each of their messages is an anomaly (C++ undefined behaviour); the server counts them all and keeps the
 * first {@link #ANOMALY_LIMIT}. After the last operation, everything is dropped and the program cache cleared (untimed) and the
 * run asserts that the server's registry equals the allocators' truth and that both are empty; a broken simulation
 * fails the bench instead of being measured.
 *
 * <p>Peak heap is the sum of the peak usage of the heap memory pools ({@link MemoryPoolMXBean#getPeakUsage()},
 * reset after set-up), an upper bound of the simultaneous peak. Run it with {@code -Xmx512m} to enforce the target.
 *
 * <p>Usage: {@code MeshWorkloadBench [--ops N] [--seed S] [--max-live N] [--warmup N]} (defaults 1,000,000 ops,
 * seed 42, 128 live handles of each kind, a warm-up run of 200,000 ops on another mesh first).
 */
public final class MeshWorkloadBench {

    /** The mesh shape of the issue: 4x8, 32 chips. */
    public static final MeshShape SHAPE = new MeshShape(4, 8);
    /** Default number of operations. */
    public static final long DEFAULT_OPS = 1_000_000;
    /** Default seed. */
    public static final long DEFAULT_SEED = 42;
    /** Default bound of live tensors (and, separately, of live single-chip buffers). */
    public static final int DEFAULT_MAX_LIVE = 128;
    /** Default warm-up operations (run on their own host before the measured run). */
    public static final long DEFAULT_WARMUP = 200_000;

    /** Anomalies the bench's server keeps (it counts the rest): one run notes millions (chips 8..31). */
    public static final int ANOMALY_LIMIT = 100;

    /** The tensors the workload creates: replicated and mesh-sharded, DRAM and L1, interleaved and height-sharded. */
    static final List<TensorChoice> TENSORS = List.of(TensorChoice.DRAM_1_PAGE, TensorChoice.DRAM_13_PAGES,
            TensorChoice.DRAM_512_KIB, TensorChoice.L1_1_PAGE, TensorChoice.L1_65_PAGES, TensorChoice.L1_HEIGHT_SHARDED,
            TensorChoice.DRAM_MESH_SHARDED, TensorChoice.L1_MESH_SHARDED);

    /**
     * One run's figures.
     *
     * @param ops            operations run (timed)
     * @param seed           the seed
     * @param nanos          wall time of the operations
     * @param cpuNanos       CPU time of the running thread over the operations (less sensitive to a loaded machine)
     * @param peakHeapBytes  sum of the heap pools' peak usage during the operations
     * @param counts         operations by kind
     * @param raised         operations that raised a modelled tt-metal error (a CB clash, out of memory)
     * @param records        records the process's AllocationClient delivered to the server
     * @param anomalies      anomalies the server noted (out-of-range devices: the server has 8 device slots)
     * @param maxLiveHandles largest number of held handles (tensors + single-chip buffers) at once
     */
    public record Result(long ops, long seed, long nanos, long cpuNanos, long peakHeapBytes, Map<OpKind, Long> counts, long raised,
                         long records, long anomalies, int maxLiveHandles) {
        public Result {
            counts = Map.copyOf(counts);
        }

        /** Operations per second. */
        public double opsPerSecond() {
            return ops * 1e9 / nanos;
        }
    }

    private MeshWorkloadBench() {
    }

    /** A held tensor or single-chip buffer and whether it was deallocated already. */
    private static final class Held {
        final MeshBuffer tensor;
        final Buffer buffer;
        boolean deallocated;

        Held(MeshBuffer tensor, Buffer buffer) {
            this.tensor = tensor;
            this.buffer = buffer;
        }
    }

    /**
     * Runs {@code ops} operations from {@code seed} with at most {@code maxLive} tensors and {@code maxLive}
     * single-chip buffers held, then frees everything and checks balance.
     *
     * @throws IllegalArgumentException for a non-positive {@code ops} or {@code maxLive}
     * @throws IllegalStateException    if the server's view and the allocators disagree at the end
     */
    public static Result run(long ops, long seed, int maxLive) {
        Preconditions.checkArgument(ops > 0, "ops %s must be positive", ops);
        Preconditions.checkArgument(maxLive > 0, "maxLive %s must be positive", maxLive);
        Host host = new Host(RuleSet.MESHALLOC_FIX.serverVersion(), b -> b.quiet(true).anomalyLimit(ANOMALY_LIMIT));
        SimulatedProcess process = host.startProcess(RuleSet.MESHALLOC_FIX);
        MeshDevice mesh = process.openMesh(SHAPE, Catalog.DEFAULT.chipConfig());
        DeviceMemory memory = DeviceMemory.capture(process.pid(), mesh);
        List<Device> chips = mesh.devices();
        SplittableRandom random = new SplittableRandom(seed);
        List<Held> tensors = new ArrayList<>(maxLive);
        List<Held> chipBuffers = new ArrayList<>(maxLive);
        long[] counts = new long[OpKind.values().length];
        long raised = 0;
        int maxLiveHandles = 0;

        resetPeaks();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        for (long i = 0; i < ops; i++) {
            int roll = random.nextInt(1000);
            OpKind kind;
            try {
                if (roll < 800) {
                    // 50 % tensors, 30 % single-chip buffers: half creates, half deallocates or drops
                    boolean tensorSide = roll < 500;
                    List<Held> held = tensorSide ? tensors : chipBuffers;
                    boolean create = (roll & 1) == 0;
                    if (create && held.size() >= maxLive || !create && held.isEmpty()) {
                        create = !create;
                    }
                    if (create && tensorSide) {
                        kind = OpKind.CREATE_TENSOR;
                        TensorChoice choice = TENSORS.get(random.nextInt(TENSORS.size()));
                        tensors.add(new Held(choice.create(mesh), null));
                    } else if (create) {
                        kind = OpKind.CREATE_CHIP_BUFFER;
                        ChipBufferChoice choice = ChipBufferChoice.ALL.get(random.nextInt(ChipBufferChoice.ALL.size()));
                        Device chip = chips.get(random.nextInt(chips.size()));
                        chipBuffers.add(new Held(null, Buffer.create(chip, choice.size(), ChipBufferChoice.PAGE,
                                choice.type())));
                    } else {
                        int index = random.nextInt(held.size());
                        Held h = held.get(index);
                        if (!h.deallocated && random.nextInt(3) == 0) {
                            kind = OpKind.DEALLOCATE;
                            h.deallocated = true;
                            if (h.tensor != null) {
                                h.tensor.deallocate();
                            } else {
                                h.buffer.deallocate();
                            }
                        } else {
                            kind = OpKind.DROP;
                            Held last = held.remove(held.size() - 1);
                            if (index < held.size()) {
                                held.set(index, last);
                            }
                            release(h);
                        }
                    }
                } else if (roll < 998) {
                    kind = OpKind.RUN_PROGRAM;
                    ProgramChoice program = ProgramChoice.ALL.get(random.nextInt(ProgramChoice.ALL.size()));
                    List<Buffer> keep = List.of();
                    if (!tensors.isEmpty() && random.nextInt(5) == 0) {
                        Held h = tensors.get(random.nextInt(tensors.size()));
                        Optional<Buffer> backing = h.tensor.getBackingBuffer();
                        if (backing.isPresent()) {
                            keep = List.of(backing.get());
                        }
                    }
                    mesh.programCache().run(program.spec(), keep);
                } else {
                    kind = OpKind.CLEAR_PROGRAM_CACHE;
                    mesh.disableAndClearProgramCache();
                    mesh.programCache().enable();
                }
            } catch (TtFatalException e) {
                raised++;
                kind = null;
            }
            if (kind != null) {
                counts[kind.ordinal()]++;
            }
            maxLiveHandles = Math.max(maxLiveHandles, tensors.size() + chipBuffers.size());
        }
        long nanos = System.nanoTime() - start;
        long cpuNanos = threads.getCurrentThreadCpuTime() - cpuStart;
        long peak = peakHeapBytes();

        for (Held h : tensors) {
            release(h);
        }
        for (Held h : chipBuffers) {
            release(h);
        }
        mesh.disableAndClearProgramCache();
        checkBalanced(host.server(), memory, "after freeing everything");
        mesh.close();
        checkBalanced(host.server(), memory, "after closing the mesh");

        Map<OpKind, Long> byKind = new EnumMap<>(OpKind.class);
        for (OpKind k : OpKind.values()) {
            if (counts[k.ordinal()] > 0) {
                byKind.put(k, counts[k.ordinal()]);
            }
        }
        long done = byKind.values().stream().mapToLong(Long::longValue).sum() + raised;
        if (done != ops) {
            throw new IllegalStateException("ran " + done + " operations, expected " + ops);
        }
        return new Result(ops, seed, nanos, cpuNanos, peak, byKind, raised, process.client().sent(),
                host.server().anomalyCount(), maxLiveHandles);
    }

    private static void release(Held h) {
        if (h.tensor != null) {
            h.tensor.release();
        } else {
            h.buffer.release();
        }
    }

    /** Throws unless the server's registry equals the allocators' truth and both are empty. */
    static void checkBalanced(AllocationServer server, DeviceMemory memory, String when) {
        TruthSnapshot truth = TruthSnapshot.read(List.of(memory));
        BalanceReport report = BalanceReport.compare(server, truth, BalanceReport.Provenance.NONE);
        if (!report.isEmpty()) {
            throw new IllegalStateException("unbalanced " + when + ":\n" + report.render());
        }
        if (!truth.allocations().isEmpty() || server.activeAllocations() != 0 || !server.cbEntries().isEmpty()) {
            throw new IllegalStateException("not empty " + when + ": " + truth.allocations().size()
                    + " allocations in device memory, " + server.activeAllocations() + " active on the server, "
                    + server.cbEntries().size() + " CBs on the server");
        }
    }

    private static List<MemoryPoolMXBean> heapPools() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP).toList();
    }

    private static void resetPeaks() {
        System.gc();
        heapPools().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    private static long peakHeapBytes() {
        return heapPools().stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }

    /** Prints one run. */
    static void print(Result r, String label, PrintStream out) {
        out.printf(Locale.ROOT, "%s: %,d ops on %dx%d in %.3f s (thread CPU %.3f s) = %,.0f ops/s, peak heap %.1f MiB (max %.0f MiB), "
                        + "%,d records, %,d server anomalies, %d raised, max %d live handles%n", label, r.ops(),
                SHAPE.rows(), SHAPE.columns(), r.nanos() / 1e9, r.cpuNanos() / 1e9, r.opsPerSecond(), r.peakHeapBytes() / 1048576.0,
                Runtime.getRuntime().maxMemory() / 1048576.0, r.records(), r.anomalies(), r.raised(),
                r.maxLiveHandles());
        StringBuilder mix = new StringBuilder("  mix:");
        for (OpKind k : OpKind.values()) {
            Long n = r.counts().get(k);
            if (n != null) {
                mix.append(String.format(Locale.ROOT, " %s %,d", k.name().toLowerCase(Locale.ROOT), n));
            }
        }
        out.println(mix);
    }

    /** Entry point; see the class comment for the options. */
    public static void main(String[] args) {
        long ops = DEFAULT_OPS;
        long seed = DEFAULT_SEED;
        int maxLive = DEFAULT_MAX_LIVE;
        long warmup = DEFAULT_WARMUP;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            Preconditions.checkArgument(i + 1 < args.length, "%s needs a value", option);
            String value = args[++i];
            switch (option) {
                case "--ops" -> ops = Long.parseLong(value);
                case "--seed" -> seed = Long.parseLong(value);
                case "--max-live" -> maxLive = Integer.parseInt(value);
                case "--warmup" -> warmup = Long.parseLong(value);
                default -> throw new IllegalArgumentException("unknown option " + option
                        + "; allowed: --ops N, --seed S, --max-live N, --warmup N");
            }
        }
        if (warmup > 0) {
            print(run(warmup, seed + 1, maxLive), "warm-up ", System.out);
        }
        Result r = run(ops, seed, maxLive);
        print(r, "measured", System.out);
        System.out.println("balanced: server registry equals the allocators' truth, both empty after freeing "
                + "everything and after close");
    }
}
