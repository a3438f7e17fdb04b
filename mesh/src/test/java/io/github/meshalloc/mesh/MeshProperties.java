package io.github.meshalloc.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.allocator.AllocationStatus;
import io.github.meshalloc.allocator.Allocator;
import io.github.meshalloc.allocator.ArchPreset;
import io.github.meshalloc.allocator.Buffer;
import io.github.meshalloc.allocator.BufferRegion;
import io.github.meshalloc.allocator.BufferShardingArgs;
import io.github.meshalloc.allocator.BufferType;
import io.github.meshalloc.allocator.CoreRange;
import io.github.meshalloc.allocator.CoreRangeSet;
import io.github.meshalloc.allocator.Device;
import io.github.meshalloc.allocator.MetalContext;
import io.github.meshalloc.allocator.ShardOrientation;
import io.github.meshalloc.allocator.TtFatalException;
import io.github.meshalloc.allocator.algorithms.MemoryBlock;
import io.github.meshalloc.mesh.rules.MeshRules;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Random sequences of mesh operations on 1x2 and 2x4 Wormhole meshes (upstream rules), checked after every step and
 * after close.
 *
 * <p>Overlap is judged on each chip by projecting the mesh allocator's live buffers onto it (a MeshBuffer occupies
 * its address on every chip) next to the chip allocator's own buffers, with each buffer's reserved range taken from
 * its bank manager's memory block table. The mesh and chip allocators are independent (reference 9.3), so a
 * single-chip buffer can land on a MeshBuffer's range: that is tt-metal's behaviour, not a model bug, and the
 * properties separate it from the overlaps that would be bugs (two buffers of one allocator).
 */
class MeshProperties {
    static final long PAGE = 2048;
    static final long TRACE_REGION = 1 << 20;

    /** One step. */
    sealed interface Op permits CreateReplicated, CreateSharded, Deallocate, Release, View, RunProgram, ClearCache,
            Trace, ReleaseTrace, ChipBuffer, ReleaseChip {
    }

    record CreateReplicated(BufferType type, int pages, Optional<Boolean> bottomUp) implements Op {
    }

    /** kind 0: 2-D shards, 1: height replicated (row-major), 2: width replicated (col-major), 3: both replicated. */
    record CreateSharded(BufferType type, int kind, int pagesPerChip) implements Op {
    }

    record Deallocate(int pick) implements Op {
    }

    record Release(int pick) implements Op {
    }

    record View(int pick, int offsetPages, int pages) implements Op {
    }

    record RunProgram(int spec, int keepAlivePick) implements Op {
    }

    record ClearCache() implements Op {
    }

    record Trace(int bytes) implements Op {
    }

    record ReleaseTrace(int pick) implements Op {
    }

    record ChipBuffer(int chip, BufferType type, int pages) implements Op {
    }

    record ReleaseChip(int pick) implements Op {
    }

    static final CoreRangeSet GRID = CoreRangeSet.of(CoreRange.grid(8, 8));
    static final List<ProgramSpec> SPECS = List.of(
            new ProgramSpec("add", 12 * 1024, PAGE, List.of(CircularBufferSpec.local(GRID, 4096),
                    CircularBufferSpec.local(GRID, 4096), CircularBufferSpec.local(GRID, 4096))),
            new ProgramSpec("matmul", 24 * 1024, PAGE, List.of(CircularBufferSpec.local(GRID, 4096),
                    CircularBufferSpec.local(GRID, 2048))),
            new ProgramSpec("corner", 0, PAGE, List.of(
                    CircularBufferSpec.local(CoreRangeSet.of(CoreRange.grid(2, 2)), 64 * 1024),
                    new CircularBufferSpec(GRID, 4096, OptionalLong.of(900_000)))));

    // ---------------------------------------------------------------- generators

    @Provide
    Arbitrary<List<Op>> meshOps() {
        return ops(false);
    }

    @Provide
    Arbitrary<List<Op>> allOps() {
        return ops(true);
    }

    @Provide
    Arbitrary<MeshShape> shapes() {
        return Arbitraries.of(new MeshShape(1, 2), new MeshShape(2, 4));
    }

    private Arbitrary<List<Op>> ops(boolean withChipBuffers) {
        Arbitrary<BufferType> type = Arbitraries.of(BufferType.DRAM, BufferType.L1);
        Arbitrary<Integer> pick = Arbitraries.integers().between(0, 1000);
        List<Arbitrary<? extends Op>> choices = new ArrayList<>(List.of(
                Combinators.combine(type, Arbitraries.integers().between(0, 700),
                        Arbitraries.of(Optional.<Boolean>empty(), Optional.of(true), Optional.of(false)))
                        .as(CreateReplicated::new),
                Combinators.combine(type, Arbitraries.integers().between(0, 3), Arbitraries.integers().between(1, 8))
                        .as(CreateSharded::new),
                pick.map(Deallocate::new),
                pick.map(Release::new),
                Combinators.combine(pick, Arbitraries.integers().between(0, 7), Arbitraries.integers().between(1, 8))
                        .as(View::new),
                Combinators.combine(Arbitraries.integers().between(0, SPECS.size() - 1),
                        Arbitraries.integers().between(-1, 1000)).as(RunProgram::new),
                Arbitraries.just(new ClearCache()),
                Arbitraries.integers().between(0, 700_000).map(Trace::new),
                pick.map(ReleaseTrace::new)));
        if (withChipBuffers) {
            choices.add(Combinators.combine(Arbitraries.integers().between(0, 7), type,
                    Arbitraries.integers().between(1, 300)).as(ChipBuffer::new));
            choices.add(pick.map(ReleaseChip::new));
        }
        return Arbitraries.oneOf(choices).list().ofMinSize(1).ofMaxSize(40);
    }

    // ---------------------------------------------------------------- the interpreter

    /** A run: the mesh, what the user holds, and every owning buffer ever created (for the after-close check). */
    static final class Run {
        final MeshDevice mesh;
        final List<MeshBuffer> held = new ArrayList<>();
        final List<Buffer> chipBuffers = new ArrayList<>();
        final List<MeshTraceId> traces = new ArrayList<>();
        final List<Buffer> owning = new ArrayList<>();
        /** What refused traces left in the trace-buffer total (the C++ adds before its TT_FATAL). */
        long refusedTraceResidue;
        final Allocator meshAllocator;
        final List<Allocator> chipAllocators;

        Run(MeshShape shape) {
            mesh = MeshDevice.open(MeshDeviceConfig.of(shape, ArchPreset.WORMHOLE_B0.config(TRACE_REGION, 0)),
                    MetalContext.untracked(), MeshRules.UPSTREAM);
            meshAllocator = mesh.allocator();
            chipAllocators = mesh.devices().stream().map(Device::allocator).toList();
        }

        int programsRun;
        int tracesKept;
        int shardedMade;
        int refused;

        void apply(Op op) {
            try {
                step(op);
                if (op instanceof RunProgram) {
                    programsRun++;
                } else if (op instanceof Trace) {
                    tracesKept++;
                } else if (op instanceof CreateSharded) {
                    shardedMade++;
                }
            } catch (TtFatalException expected) {
                // Out of memory, a CB clash or a full trace region: the model refuses the step as tt-metal does.
                refused++;
            }
        }

        private void keep(MeshBuffer mb) {
            held.add(mb);
            mb.getBackingBuffer().ifPresent(owning::add);
        }

        private void step(Op op) {
            MeshShape shape = mesh.shape();
            if (op instanceof CreateReplicated c) {
                keep(MeshBuffer.create(new MeshBufferConfig.Replicated(c.pages() * PAGE), new DeviceLocalBufferConfig(
                        PAGE, c.type(), BufferShardingArgs.INTERLEAVED, c.bottomUp(), OptionalInt.empty()), mesh));
            } else if (op instanceof CreateSharded c) {
                long a = 32L * c.pagesPerChip();
                long r = shape.rows();
                long k = shape.columns();
                MeshBufferConfig.Sharded config = switch (c.kind()) {
                    case 0 -> new MeshBufferConfig.Sharded(2 * r * a * k * 32, r * a, k * 32, a, 32,
                            ShardOrientation.ROW_MAJOR);
                    case 1 -> new MeshBufferConfig.Sharded(2 * a * k * 32, a, k * 32, 0, 32, ShardOrientation.ROW_MAJOR);
                    case 2 -> new MeshBufferConfig.Sharded(2 * r * a * 32, r * a, 32, a, 0, ShardOrientation.COL_MAJOR);
                    default -> new MeshBufferConfig.Sharded(2 * a * 32, a, 32, 0, 0, ShardOrientation.ROW_MAJOR);
                };
                keep(MeshBuffer.create(config, DeviceLocalBufferConfig.interleaved(PAGE, c.type()), mesh));
            } else if (op instanceof Deallocate d) {
                if (!held.isEmpty()) {
                    held.get(d.pick() % held.size()).deallocate();
                }
            } else if (op instanceof Release r) {
                if (!held.isEmpty()) {
                    held.remove(r.pick() % held.size()).release();
                }
            } else if (op instanceof View v) {
                if (!held.isEmpty()) {
                    MeshBuffer parent = held.get(v.pick() % held.size());
                    long pages = parent.deviceLocalSize() / PAGE;
                    if (pages > 0) {
                        long offset = v.offsetPages() % pages;
                        long count = Math.min(v.pages(), pages - offset);
                        held.add(parent.view(new BufferRegion(offset * PAGE, count * PAGE)));
                    }
                }
            } else if (op instanceof RunProgram p) {
                List<Buffer> keepAlive = new ArrayList<>();
                if (p.keepAlivePick() >= 0 && !held.isEmpty()) {
                    held.get(p.keepAlivePick() % held.size()).getBackingBuffer().ifPresent(keepAlive::add);
                }
                Program program = mesh.programCache().run(SPECS.get(p.spec()), keepAlive);
                program.kernelBinary().flatMap(MeshBuffer::getBackingBuffer).ifPresent(owning::add);
            } else if (op instanceof ClearCache) {
                mesh.disableAndClearProgramCache();
                mesh.programCache().enable();
            } else if (op instanceof Trace t) {
                MeshTraceId id = mesh.beginMeshTrace(0);
                traces.add(id);
                long before = mesh.traceBuffersSize();
                try {
                    mesh.endMeshTrace(0, id, t.bytes());
                } catch (TtFatalException refused) {
                    assertTrue(refused.getMessage().startsWith("Creating trace buffers of size "), refused.getMessage());
                    refusedTraceResidue += mesh.traceBuffersSize() - before;
                    throw refused;
                }
                mesh.getMeshTrace(id).flatMap(MeshTraceBuffer::meshBuffer).flatMap(MeshBuffer::getBackingBuffer)
                        .ifPresent(owning::add);
            } else if (op instanceof ReleaseTrace t) {
                if (!traces.isEmpty()) {
                    mesh.releaseMeshTrace(traces.remove(t.pick() % traces.size()));
                }
            } else if (op instanceof ChipBuffer c) {
                Buffer b = Buffer.create(mesh.devices().get(c.chip() % mesh.numDevices()), c.pages() * PAGE, PAGE,
                        c.type());
                chipBuffers.add(b);
                owning.add(b);
            } else if (op instanceof ReleaseChip r) {
                if (!chipBuffers.isEmpty()) {
                    chipBuffers.remove(r.pick() % chipBuffers.size()).release();
                }
            }
        }

        void releaseEverything() {
            held.forEach(MeshBuffer::release);
            held.clear();
            chipBuffers.forEach(Buffer::release);
            chipBuffers.clear();
            if (mesh.isInitialized()) {
                new ArrayList<>(traces).forEach(mesh::releaseMeshTrace);
            }
            traces.clear(); // after close the traces went with their sub-device manager
            mesh.disableAndClearProgramCache();
        }
    }

    // ---------------------------------------------------------------- the checks

    /** A live buffer's reserved range in one bank-local address space. */
    record Range(long start, long end, boolean fromMesh, Buffer buffer) {
    }

    /** DRAM and TRACE share each DRAM bank; L1 and L1_SMALL share each core's L1. */
    static boolean sameSpace(BufferType a, BufferType b) {
        return a.isDram() == b.isDram();
    }

    /**
     * Each live Buffer of {@code allocator} as its reserved block: the allocated block of its type's free list that
     * starts at its address (so the range is what the bank manager really holds). Fails if a Buffer has no such block.
     */
    static List<Range> ranges(Allocator allocator, boolean fromMesh) {
        List<Range> out = new ArrayList<>();
        for (Buffer b : allocator.getAllocatedBuffers()) {
            MemoryBlock block = allocator.getMemoryBlockTable(b.bufferType()).stream()
                    .filter(m -> m.allocated() && m.address() == b.address()).findFirst()
                    .orElseThrow(() -> new AssertionError("no allocated block at " + b));
            assertTrue(block.size() >= b.alignedSizePerBank(), "block smaller than " + b);
            assertTrue(allocator.getAllocatedAddresses(b.bufferType()).contains(b.address()));
            out.add(new Range(block.address(), block.address() + block.size(), fromMesh, b));
        }
        return out;
    }

    /** Pairs of overlapping ranges in one memory space, found by a sweep. */
    static List<Range[]> overlaps(List<Range> ranges) {
        List<Range[]> found = new ArrayList<>();
        List<Range> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparingLong(Range::start));
        for (int i = 0; i < sorted.size(); i++) {
            for (int j = i + 1; j < sorted.size() && sorted.get(j).start() < sorted.get(i).end(); j++) {
                if (sameSpace(sorted.get(i).buffer().bufferType(), sorted.get(j).buffer().bufferType())) {
                    found.add(new Range[] {sorted.get(i), sorted.get(j)});
                }
            }
        }
        return found;
    }

    /** Overlapping pairs on every chip once the mesh's allocations are projected onto it. */
    static List<Range[]> projectedOverlaps(Run run) {
        List<Range> mesh = ranges(run.meshAllocator, true);
        List<Range[]> found = new ArrayList<>();
        for (Allocator chip : run.chipAllocators) {
            List<Range> onChip = new ArrayList<>(mesh);
            onChip.addAll(ranges(chip, false));
            found.addAll(overlaps(onChip));
        }
        return found;
    }

    /** Per-chip buffers of every live MeshBuffer sit at its address, which is the backing buffer's. */
    static void checkAddressesShared(Run run) {
        for (MeshBuffer mb : run.mesh.liveMeshBuffers()) {
            mb.getBackingBuffer().ifPresent(b -> assertEquals(b.address(), mb.address()));
            mb.parent().ifPresent(p -> assertEquals(p.address(), mb.address()));
            assertEquals(run.mesh.numDevices(), mb.deviceBuffers().size());
            for (Buffer chipBuffer : mb.deviceBuffers().values()) {
                assertEquals(mb.address(), chipBuffer.address(), "per-chip buffer of " + mb);
                assertFalse(chipBuffer.ownsData());
            }
        }
    }

    static void checkClosedEmpty(Run run) {
        assertTrue(run.meshAllocator.isEmpty(), "mesh allocator after close");
        for (Allocator chip : run.chipAllocators) {
            assertTrue(chip.isEmpty(), "chip allocator after close");
        }
        for (Buffer b : run.owning) {
            if (b.size() != 0) {
                assertEquals(AllocationStatus.DEALLOCATED, b.allocationStatus(), b.toString());
            }
        }
        assertEquals(run.refusedTraceResidue, run.mesh.traceBuffersSize(),
                "live traces subtracted their size at close; refused ones never will");
    }

    // ---------------------------------------------------------------- properties

    @Property(tries = 250)
    void withoutSingleChipBuffersNoTwoLiveAllocationsOverlapOnAnyChip(@ForAll("shapes") MeshShape shape,
                                                                     @ForAll("meshOps") List<Op> ops) {
        Run run = new Run(shape);
        for (Op op : ops) {
            run.apply(op);
            List<Range[]> overlaps = projectedOverlaps(run);
            assertTrue(overlaps.isEmpty(), () -> "after " + op + ": " + overlaps.stream()
                    .map(p -> p[0].buffer() + " / " + p[1].buffer()).toList());
            checkAddressesShared(run);
        }
        Statistics.label("program ran").collect(run.programsRun > 0);
        Statistics.label("trace kept").collect(run.tracesKept > 0);
        Statistics.label("sharded made").collect(run.shardedMade > 0);
        Statistics.label("program ran").coverage(c -> c.check(true).percentage(p -> p > 20));
        Statistics.label("trace kept").coverage(c -> c.check(true).percentage(p -> p > 20));
        Statistics.label("sharded made").coverage(c -> c.check(true).percentage(p -> p > 20));
        run.mesh.close();
        checkClosedEmpty(run);
        run.releaseEverything();
        checkClosedEmpty(run);
    }

    @Property(tries = 250)
    void singleChipBuffersOverlapOnlyMeshBuffersNeverEachOtherAndCloseEmptiesEverything(
            @ForAll("shapes") MeshShape shape, @ForAll("allOps") List<Op> ops, @ForAll boolean releaseFirst) {
        Run run = new Run(shape);
        boolean crossOverlap = false;
        for (Op op : ops) {
            run.apply(op);
            for (Range[] pair : projectedOverlaps(run)) {
                crossOverlap = true;
                assertTrue(pair[0].fromMesh() != pair[1].fromMesh(),
                        () -> "after " + op + ": two buffers of one allocator overlap: " + pair[0].buffer() + " / "
                                + pair[1].buffer());
            }
            checkAddressesShared(run);
        }
        Statistics.label("mesh/chip overlap").collect(crossOverlap);
        Statistics.label("mesh/chip overlap").coverage(c -> c.check(true).percentage(p -> p > 5));
        if (releaseFirst) {
            run.releaseEverything();
            assertTrue(run.meshAllocator.isEmpty(), "releasing everything empties the mesh allocator before close");
            run.chipAllocators.forEach(a -> assertTrue(a.isEmpty()));
            if (run.refusedTraceResidue == 0) {
                assertFalse(run.meshAllocator.allocationsUnsafe(), "no trace left, so allocations are safe again");
            }
        }
        run.mesh.close();
        checkClosedEmpty(run);
        run.releaseEverything();
        checkClosedEmpty(run);
    }

    /** The hazard the second property allows, shown once: both allocators start DRAM at the unreserved base. */
    @Example
    void aSingleChipBufferLandsOnAMeshBuffersRange() {
        Run run = new Run(new MeshShape(2, 4));
        run.apply(new CreateReplicated(BufferType.DRAM, 12, Optional.empty()));
        run.apply(new ChipBuffer(3, BufferType.DRAM, 12));
        List<Range[]> overlaps = projectedOverlaps(run);
        assertEquals(1, overlaps.size(), "on chip 3 only");
        assertEquals(run.held.get(0).address(), run.chipBuffers.get(0).address());
        assertEquals(ArchPreset.WORMHOLE_B0.config().dramUnreservedBase(), run.chipBuffers.get(0).address());
        run.mesh.close();
        checkClosedEmpty(run);
    }
}
