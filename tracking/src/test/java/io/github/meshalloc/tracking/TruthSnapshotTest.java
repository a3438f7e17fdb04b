package io.github.meshalloc.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.github.meshalloc.allocator.AllocationStatus;
import io.github.meshalloc.allocator.Allocator;
import io.github.meshalloc.allocator.Buffer;
import io.github.meshalloc.allocator.BufferType;
import io.github.meshalloc.allocator.Device;
import io.github.meshalloc.mesh.MeshDevice;
import io.github.meshalloc.mesh.MeshDeviceConfig;
import io.github.meshalloc.mesh.MeshShape;
import io.github.meshalloc.tracking.TruthSnapshot.Allocation;
import io.github.meshalloc.tracking.TruthSnapshot.FindingKind;
import io.github.meshalloc.tracking.ops.ChipBufferChoice;
import io.github.meshalloc.tracking.ops.Op;
import io.github.meshalloc.tracking.ops.ProgramChoice;
import io.github.meshalloc.tracking.ops.Session;
import io.github.meshalloc.tracking.ops.TensorChoice;
import io.github.meshalloc.tracking.server.ServerVersion;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** {@link TruthSnapshot}: device memory read from allocators and programs, never from events. */
class TruthSnapshotTest {

    @Test
    void aMeshAllocationIsProjectedOnEveryChipOfTheMesh() {
        Session s = Session.start(RuleSet.UPSTREAM);
        s.apply(new Op.OpenMesh("p0", "m0", new MeshShape(2, 4)));
        s.apply(new Op.CreateTensor("m0", "t0", TensorChoice.DRAM_MESH_SHARDED));
        List<Allocation> truth = s.truth().allocations();
        assertEquals(MeshDeviceConfig.T3K_2X4_PLACEMENT, truth.stream().map(Allocation::chipId).toList());
        // (4, 8, 32, 64) sharded 2 x 4 ways: (2, 2, 32, 64) bf16 per chip = 8 tiles of 2 KiB.
        assertTrue(truth.stream().allMatch(a -> a.size() == 8 * 2048 && a.address() == 32
                && a.kind() == TruthSnapshot.Kind.MESH_BUFFER && a.type() == BufferType.DRAM));
    }

    @Test
    void aCachedProgramsCircularBuffersAreOnEveryChip() {
        Session s = Session.start(RuleSet.UPSTREAM);
        s.apply(new Op.OpenMesh("p0", "m0", new MeshShape(1, 2)));
        s.apply(new Op.RunProgram("m0", ProgramChoice.MATMUL, Optional.empty()));
        List<Allocation> cbs = s.truth().allocations().stream()
                .filter(a -> a.kind() == TruthSnapshot.Kind.CIRCULAR_BUFFER).toList();
        assertEquals(6, cbs.size());
        assertEquals(List.of(100_416L, 100_416L, 104_512L, 104_512L, 108_608L, 108_608L),
                cbs.stream().map(Allocation::address).sorted().toList());
        s.apply(new Op.ClearProgramCache("m0"));
        assertTrue(s.truth().allocations().isEmpty(), "the cache clear freed the binary and the CBs");
    }

    @Test
    void aSingleChipBufferLivesOnItsChipOnly() {
        Session s = Session.start(RuleSet.UPSTREAM);
        s.apply(new Op.OpenChip("p0", "d0", 7));
        s.apply(new Op.CreateChipBuffer("d0", "b0", ChipBufferChoice.L1_65_PAGES));
        Allocation a = s.truth().allocations().get(0);
        assertEquals(1, s.truth().allocations().size());
        assertEquals(7, a.chipId());
        assertEquals(TruthSnapshot.Kind.CHIP_BUFFER, a.kind());
        assertEquals(65 * 2048, a.size());
    }

    @Test
    void aKilledProcessHoldsNoMemory() {
        Host host = new Host(ServerVersion.S4);
        SimulatedProcess p = host.startProcess(RuleSet.UPSTREAM);
        MeshDevice mesh = p.openMesh(MeshDeviceConfig.of(new MeshShape(1, 2),
                io.github.meshalloc.tracking.ops.Catalog.DEFAULT.chipConfig()));
        TensorChoice.DRAM_1_PAGE.create(mesh);
        assertEquals(2, TruthSnapshot.read(host).allocations().size());
        host.killProcess(p.pid());
        assertTrue(TruthSnapshot.read(host).allocations().isEmpty());
    }

    @Test
    void aLiveBufferWhoseRangeWasFreedUnderItIsFound() {
        Session s = Session.start(RuleSet.UPSTREAM);
        s.apply(new Op.OpenChip("p0", "d0", 0));
        s.apply(new Op.CreateChipBuffer("d0", "b0", ChipBufferChoice.DRAM_1_PAGE));
        s.chip("d0").allocator().clear(); // frees every bank, keeps the Buffer set (reference 7)
        TruthSnapshot truth = s.truth();
        assertTrue(truth.allocations().isEmpty());
        assertEquals(List.of(FindingKind.BUFFER_WITHOUT_RANGE),
                truth.findings().stream().map(TruthSnapshot.AllocatorFinding::kind).toList());
        assertTrue(!truth.leaksMemory(), "the memory is free; the books are wrong");
    }

    @Test
    void aRangeNoBufferStandsBehindIsALeak() {
        Session s = Session.start(RuleSet.UPSTREAM);
        s.apply(new Op.OpenChip("p0", "d0", 0));
        Allocator allocator = s.chip("d0").allocator();
        // A Buffer that reports another address once allocated: the allocator's books then hold a range at 32
        // whose recorded Buffer does not sit there.
        Buffer stray = mock(Buffer.class);
        when(stray.alignedSize()).thenReturn(2048L);
        when(stray.alignedPageSize()).thenReturn(2048L);
        when(stray.bufferType()).thenReturn(BufferType.DRAM);
        when(stray.bottomUp()).thenReturn(true);
        when(stray.numCores()).thenReturn(OptionalInt.empty());
        when(stray.allocationStatus()).thenReturn(AllocationStatus.ALLOCATED);
        assertEquals(32, allocator.allocateBuffer(stray));
        when(stray.address()).thenReturn(4096L);
        TruthSnapshot truth = s.truth();
        assertEquals(List.of(FindingKind.RANGE_WITHOUT_BUFFER, FindingKind.BUFFER_WITHOUT_RANGE),
                truth.findings().stream().map(TruthSnapshot.AllocatorFinding::kind).toList());
        assertEquals(32, truth.findings().get(0).address());
        assertTrue(truth.leaksMemory());
    }

    @Test
    void aRangeStillHeldAfterCloseIsALeak() {
        Session s = Session.start(RuleSet.UPSTREAM);
        s.apply(new Op.OpenChip("p0", "d0", 0));
        Device chip = s.chip("d0");
        Allocator allocator = chip.allocator();
        s.apply(new Op.CloseChip("d0"));
        Buffer late = mock(Buffer.class);
        when(late.alignedSize()).thenReturn(2048L);
        when(late.alignedPageSize()).thenReturn(2048L);
        when(late.bufferType()).thenReturn(BufferType.L1);
        when(late.numCores()).thenReturn(OptionalInt.empty());
        long address = allocator.allocateBuffer(late);
        when(late.address()).thenReturn(address);
        List<TruthSnapshot.AllocatorFinding> findings = s.truth().findings();
        assertEquals(1, findings.size());
        assertEquals(FindingKind.RANGE_HELD_AFTER_CLOSE, findings.get(0).kind());
        assertEquals(address, findings.get(0).address());
    }

    @Test
    void theHostsLivenessIsItsLiveProcessesPlusPidZero() {
        Host host = new Host(ServerVersion.S4);
        SimulatedProcess a = host.startProcess(RuleSet.UPSTREAM);
        SimulatedProcess b = host.startProcess(RuleSet.SEED_004);
        assertTrue(host.liveness().isAlive(0), "kill(0, 0) succeeds");
        assertTrue(host.liveness().isAlive(a.pid()));
        assertTrue(host.liveness().isAlive(b.pid()));
        assertFalse(host.liveness().isAlive(b.pid() + 1000), "never started");
        host.killProcess(a.pid());
        assertFalse(host.liveness().isAlive(a.pid()));
        assertTrue(host.liveness().isAlive(b.pid()));
        assertEquals(host, b.host());
        assertEquals(RuleSet.SEED_004, b.rules());
        assertEquals(RuleSet.UPSTREAM, a.rules());
    }

    @Test
    void aRangeHeldWhereTheAllocatorRecordsNoBufferOfItsTypeIsALeak() {
        Session s = Session.start(RuleSet.UPSTREAM);
        s.apply(new Op.OpenChip("p0", "d0", 0));
        Allocator allocator = s.chip("d0").allocator();
        // A Buffer allocated as DRAM that reports L1 afterwards: the DRAM books hold a range at 32 while the allocator
        // records no DRAM Buffer at all, and the L1 Buffer it records has no L1 range.
        Buffer stray = mock(Buffer.class);
        when(stray.alignedSize()).thenReturn(2048L);
        when(stray.alignedPageSize()).thenReturn(2048L);
        when(stray.bufferType()).thenReturn(BufferType.DRAM);
        when(stray.bottomUp()).thenReturn(true);
        when(stray.numCores()).thenReturn(OptionalInt.empty());
        when(stray.allocationStatus()).thenReturn(AllocationStatus.ALLOCATED);
        assertEquals(32, allocator.allocateBuffer(stray));
        when(stray.address()).thenReturn(32L);
        when(stray.bufferType()).thenReturn(BufferType.L1);
        TruthSnapshot truth = s.truth();
        assertEquals(List.of(FindingKind.RANGE_WITHOUT_BUFFER, FindingKind.BUFFER_WITHOUT_RANGE),
                truth.findings().stream().map(TruthSnapshot.AllocatorFinding::kind).toList());
        assertEquals(List.of(BufferType.DRAM, BufferType.L1),
                truth.findings().stream().map(TruthSnapshot.AllocatorFinding::type).toList());
        assertEquals("chip 0 allocator: range without buffer at DRAM 32 on chips [0]",
                truth.findings().get(0).describe(), "no Buffer: no size, no Buffer text");
        assertTrue(truth.leaksMemory());
    }

    @Test
    void aLiveBufferOwnsItsAddressEvenWhereADeallocatedBufferIsStillRecorded() {
        Session s = Session.start(RuleSet.UPSTREAM);
        s.apply(new Op.OpenChip("p0", "d0", 0));
        Device chip = s.chip("d0");
        Buffer marked = Buffer.create(chip, 2048, 2048, BufferType.DRAM);
        assertEquals(32, marked.address());
        // mark_as_deallocated flips the status only: the range stays held, for a Buffer no longer ALLOCATED
        marked.markAsDeallocated();
        assertEquals(List.of(FindingKind.RANGE_HELD_BY_DEALLOCATED_BUFFER),
                s.truth().findings().stream().map(TruthSnapshot.AllocatorFinding::kind).toList());
        // Allocator::clear() returns every range but keeps the Buffer set, so a new Buffer lands at the same address
        chip.allocator().clear();
        Buffer fresh = Buffer.create(chip, 4096, 2048, BufferType.DRAM);
        assertEquals(32, fresh.address());
        assertEquals(2, chip.allocator().getAllocatedBuffers().size());
        TruthSnapshot truth = s.truth();
        assertEquals(List.of(), truth.findings(), "the range is the live Buffer's; the marked one holds none");
        assertEquals(1, truth.allocations().size());
        Allocation a = truth.allocations().get(0);
        assertEquals(fresh.uniqueId(), a.bufferUniqueId());
        assertEquals(4096, a.size());
        assertEquals(32, a.address());
    }
}
