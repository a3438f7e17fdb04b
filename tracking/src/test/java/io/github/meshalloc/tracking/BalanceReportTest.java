package io.github.meshalloc.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;
import static org.mockito.Mockito.when;

import io.github.meshalloc.allocator.Buffer;
import io.github.meshalloc.allocator.BufferType;
import io.github.meshalloc.mesh.MeshShape;
import io.github.meshalloc.tracking.BalanceReport.Kind;
import io.github.meshalloc.tracking.BalanceReport.KeyDiscrepancy;
import io.github.meshalloc.tracking.TruthSnapshot.FindingKind;
import io.github.meshalloc.tracking.ops.Op;
import io.github.meshalloc.tracking.ops.ProgramChoice;
import io.github.meshalloc.tracking.ops.Session;
import io.github.meshalloc.tracking.ops.TensorChoice;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * {@link BalanceReport}: the server's view against the allocators' truth, on sessions driven by the operation
 * vocabulary. The DRAM unreserved base of a Wormhole chip is 32, so a first DRAM tensor sits at address 32 on every
 * chip; the L1 unreserved base (first CB) is 100,416.
 */
class BalanceReportTest {

    private static final MeshShape ONE_BY_TWO = new MeshShape(1, 2);
    private static final MeshShape TWO_BY_FOUR = new MeshShape(2, 4);

    private static Session run(RuleSet rules, Op... ops) {
        Session session = Session.start(rules);
        for (Op op : ops) {
            Session.Step step = session.apply(op);
            assertTrue(step.raised().isEmpty(), () -> "step raised: " + step);
        }
        return session;
    }

    private static Op open(MeshShape shape) {
        return new Op.OpenMesh("p0", "m0", shape);
    }

    private static Op tensor(String name, TensorChoice choice) {
        return new Op.CreateTensor("m0", name, choice);
    }

    @Test
    void equalViewsGiveAnEmptyReport() {
        Session s = run(RuleSet.MESHALLOC_FIX, open(TWO_BY_FOUR), tensor("t0", TensorChoice.DRAM_13_PAGES),
                tensor("t1", TensorChoice.L1_65_PAGES), new Op.RunProgram("m0", ProgramChoice.ADD, Optional.empty()),
                new Op.CreateView("t0", "v0", 1, 3));
        BalanceReport report = s.report();
        assertTrue(report.isEmpty(), report::render);
        assertTrue(report.render().startsWith("balanced"));
        // 8 chips x (two tensors + the add kernel binary + three CBs)
        assertEquals(8 * 6, s.host().server().activeAllocations());
    }

    @Test
    void residualKeysAndBytesPerDeviceWhenPerChipCopiesNeverReportTheirFree() {
        // Seed 002 before: the backing buffer (as device 0) and chip 0's copy share a key; only the backing frees.
        Session s = run(RuleSet.SEED_002_BEFORE, open(ONE_BY_TWO), tensor("t0", TensorChoice.DRAM_1_PAGE),
                new Op.Deallocate("t0", false));
        BalanceReport report = s.report();
        List<KeyDiscrepancy> residual = report.residual();
        assertEquals(2, residual.size(), report::render);
        assertEquals(List.of(0, 1), residual.stream().map(KeyDiscrepancy::deviceId).toList());
        assertTrue(residual.stream().allMatch(d -> d.bufferId() == 32 && d.truth().isEmpty()));
        assertEquals(List.of(new BalanceReport.DeviceTypeBytes(0, "DRAM", 1, 2048),
                new BalanceReport.DeviceTypeBytes(1, "DRAM", 1, 2048)), report.residualBytes());
        assertTrue(report.missing().isEmpty());
        assertFalse(report.isEmpty());
    }

    @Test
    void missingKeysWhenCircularBuffersAreReportedAsDeviceZeroOnly() {
        Session s = run(RuleSet.SEED_002_AFTER, open(ONE_BY_TWO),
                new Op.RunProgram("m0", ProgramChoice.CB_ONLY, Optional.empty()));
        BalanceReport report = s.report();
        assertEquals(1, report.missing().size(), report::render);
        KeyDiscrepancy missing = report.missing().get(0);
        assertEquals(1, missing.deviceId());
        assertEquals(100_416, missing.bufferId());
        assertEquals(TruthSnapshot.Kind.CIRCULAR_BUFFER, missing.truth().get(0).kind());
        assertEquals(List.of(new BalanceReport.DeviceTypeBytes(1, "L1", 1, 2048)), report.missingBytes());
    }

    @Test
    void aViewCountsTwiceOnAReferenceCountingServer() {
        Session s = run(RuleSet.SEED_002_AFTER, open(ONE_BY_TWO), tensor("t0", TensorChoice.DRAM_12_PAGES),
                new Op.CreateView("t0", "v0", 0, 1));
        BalanceReport report = s.report();
        // chip 0: backing + copy + view = 3; chip 1: copy + view = 2; one allocation each.
        assertEquals(List.of(3, 2), report.overCounted().stream()
                .map(d -> d.serverEntry().orElseThrow().refCount()).toList());
        assertTrue(report.residual().isEmpty() && report.missing().isEmpty());
    }

    @Test
    void sizeMismatchWhenAChipAllocatorAndTheMeshAllocatorHandOutTheSameAddress() {
        // The chip's own allocator knows nothing of the mesh allocator (reference 9.1): a buffer created directly on
        // a chip of an open mesh lands on the tensor's address; S4 keeps the first ALLOC's size for the shared key.
        Session s = run(RuleSet.MESHALLOC_FIX, open(new MeshShape(1, 1)), tensor("t0", TensorChoice.DRAM_12_PAGES));
        Buffer direct = Buffer.create(s.mesh("m0").devices().get(0), 2048, 2048, BufferType.DRAM);
        assertEquals(32, direct.address());
        s.apply(new Op.Drop("t0"));
        BalanceReport report = s.report();
        assertEquals(1, report.sizeMismatches().size(), report::render);
        KeyDiscrepancy d = report.sizeMismatches().get(0);
        assertEquals(12 * 2048, d.serverEntry().orElseThrow().size());
        assertEquals(2048, d.truth().get(0).size());
    }

    @Test
    void duplicateAllocsOnAServerWithoutReferenceCountsDriftItsCounters() {
        Session s = run(RuleSet.SEED_004, open(new MeshShape(1, 1)), tensor("t0", TensorChoice.DRAM_1_PAGE));
        BalanceReport report = s.report();
        assertEquals(1, report.duplicateAllocCount());
        assertEquals(List.of(new BalanceReport.CounterDrift(0, 4096, 2048, 2, 1)), report.counterDrifts());
        assertFalse(report.isEmpty());
    }

    @Test
    void unknownFreesAreListedAsTheServerLoggedThem() {
        // Seed 000's deallocate_buffers reports by address only: chip 7's buffer is freed as device 0.
        Session s = run(RuleSet.SEED_000, new Op.OpenChip("p0", "d0", 7),
                new Op.CreateChipBuffer("d0", "b0", io.github.meshalloc.tracking.ops.ChipBufferChoice.DRAM_1_PAGE),
                new Op.CloseChip("d0"));
        BalanceReport report = s.report();
        assertEquals(1, report.unknownFreeCount());
        assertEquals(List.of(new BalanceReport.UnknownFree(OptionalInt.empty(), 32, OptionalInt.empty())),
                report.unknownFrees());
        assertEquals(7, report.residual().get(0).deviceId());
    }

    @Test
    void messagesThatBalanceWhileTheMeshAllocatorLeaksAreCaught() {
        Session s = run(RuleSet.SEED_003_FINAL, open(ONE_BY_TWO), tensor("t0", TensorChoice.DRAM_1_PAGE),
                new Op.Deallocate("t0", false));
        BalanceReport report = s.report();
        assertTrue(report.discrepancies().isEmpty(), report::render);
        assertEquals(0, report.unknownFreeCount());
        assertEquals(1, report.leaks().size());
        TruthSnapshot.AllocatorFinding leak = report.leaks().get(0).finding();
        assertEquals(FindingKind.RANGE_HELD_BY_DESTROYED_BUFFER, leak.kind());
        assertEquals(List.of(0, 1), leak.chipIds());
        assertEquals(32, leak.address());
    }

    @Test
    void aLeakedRangeStillReferencedByAProgramIsHeldByADeallocatedBuffer() {
        Session s = run(RuleSet.SEED_003_FINAL, open(ONE_BY_TWO), tensor("t0", TensorChoice.DRAM_1_PAGE),
                new Op.RunProgram("m0", ProgramChoice.CB_ONLY, Optional.of("t0")), new Op.Deallocate("t0", false));
        List<FindingKind> kinds = s.report().leaks().stream().map(f -> f.finding().kind()).toList();
        assertEquals(List.of(FindingKind.RANGE_HELD_BY_DEALLOCATED_BUFFER), kinds);
    }

    @Test
    void upstreamHasNoServerViewAtAll() {
        Session s = run(RuleSet.UPSTREAM, open(ONE_BY_TWO), tensor("t0", TensorChoice.DRAM_1_PAGE));
        BalanceReport report = s.report();
        assertEquals(2, report.missing().size());
        assertEquals(0, s.host().server().activeAllocations());
    }

    @Test
    void theProvenanceIsAskedOnceForEachDiscrepancyAndFinding() {
        // Seed 003 final: the kernel binary's temporary per-chip writes ALLOC and never FREE (non-owning RETURN), and
        // clearing the cache marks the binary's backing buffer first, so its range is never returned.
        Session s = run(RuleSet.SEED_003_FINAL, open(ONE_BY_TWO),
                new Op.RunProgram("m0", ProgramChoice.ADD, Optional.empty()), new Op.ClearProgramCache("m0"));
        BalanceReport.Provenance provenance = mock(BalanceReport.Provenance.class);
        BalanceReport.Cause cause = new BalanceReport.Cause(2, "m0: run add", "kernel-binary writes never freed");
        when(provenance.causeOf(any(KeyDiscrepancy.class))).thenReturn(Optional.of(cause));
        when(provenance.causeOf(any(TruthSnapshot.AllocatorFinding.class))).thenReturn(Optional.empty());
        BalanceReport report = BalanceReport.compare(s.host().server(), s.truth(), provenance);
        assertEquals(2, report.residual().size(), report::render);
        assertEquals(1, report.deviceMemory().size());
        verify(provenance, times(2)).causeOf(any(KeyDiscrepancy.class));
        verify(provenance, times(1)).causeOf(any(TruthSnapshot.AllocatorFinding.class));
        verifyNoMoreInteractions(provenance);
        assertTrue(report.residual().stream().allMatch(d -> d.cause().equals(Optional.of(cause))));
        assertTrue(report.render().contains("caused at step 2 (m0: run add)"), report::render);
    }

    @Test
    void aRecordingSessionNamesTheStepThatLeftAResidue() {
        Session s = Session.startRecording(RuleSet.SEED_002_BEFORE, io.github.meshalloc.tracking.ops.Catalog.DEFAULT);
        s.apply(open(new MeshShape(1, 1)));
        s.apply(tensor("t0", TensorChoice.DRAM_1_PAGE));
        s.apply(new Op.Deallocate("t0", false));
        KeyDiscrepancy residual = s.report().residual().get(0);
        BalanceReport.Cause cause = residual.cause().orElseThrow();
        assertEquals(3, cause.step());
        assertEquals("deallocate t0", cause.op());
        assertTrue(cause.detail().contains("track_deallocate(buffer #0 on mesh 0 (backing)"), cause.detail());
    }

    @Test
    void aFreshHostIsBalanced() {
        assertTrue(BalanceReport.compare(new Host(io.github.meshalloc.tracking.server.ServerVersion.S4)).isEmpty());
    }

    @Test
    void kindsAreReportedInKindThenKeyOrder() {
        Session s = run(RuleSet.SEED_002_BEFORE, open(ONE_BY_TWO), tensor("t0", TensorChoice.DRAM_1_PAGE),
                new Op.Deallocate("t0", false), new Op.RunProgram("m0", ProgramChoice.CB_ONLY, Optional.empty()));
        List<Kind> kinds = s.report().discrepancies().stream().map(KeyDiscrepancy::kind).toList();
        assertEquals(List.of(Kind.RESIDUAL, Kind.RESIDUAL, Kind.MISSING), kinds);
    }

    @Test
    void aRecordingSessionNamesTheUnreportedAllocationBehindAMissingKey() {
        Session s = Session.startRecording(RuleSet.UPSTREAM, io.github.meshalloc.tracking.ops.Catalog.DEFAULT);
        s.apply(open(new MeshShape(1, 1)));
        Op create = tensor("t0", TensorChoice.DRAM_1_PAGE);
        s.apply(create);
        List<KeyDiscrepancy> missing = s.report().missing();
        assertEquals(1, missing.size(), s.report()::render);
        BalanceReport.Cause cause = missing.get(0).cause().orElseThrow();
        assertEquals(2, cause.step());
        assertEquals(create.toString(), cause.op());
        assertEquals("track_allocate(buffer #0 on mesh 0 (backing), DRAM 2048 B at 32) was not reported",
                cause.detail());
    }

    @Test
    void unknownFreesAreRenderedWithTheirDeviceOrAQuestionMarkWhenTheLineHasNone() {
        Host s4 = new Host(io.github.meshalloc.tracking.server.ServerVersion.S4);
        s4.server().accept(io.github.meshalloc.tracking.wire.AllocMessage.free(3, 11, 64));
        s4.server().accept(io.github.meshalloc.tracking.wire.AllocMessage.free(0, 11, -1L));
        BalanceReport r = BalanceReport.compare(s4);
        assertEquals(2, r.unknownFrees().size());
        assertEquals(2, r.unknownFreeCount());
        assertTrue(r.render().contains(
                "  unknown FREEs: 2 (device 3, buffer 64) (device 0, buffer 18446744073709551615)\n"), r::render);
        Host e0 = new Host(io.github.meshalloc.tracking.server.ServerVersion.E0);
        e0.server().accept(io.github.meshalloc.tracking.wire.AllocMessage.free(5, 11, 64));
        assertTrue(BalanceReport.compare(e0).render().contains("  unknown FREEs: 1 (device ?, buffer 64)\n"),
                BalanceReport.compare(e0)::render);
        assertFalse(BalanceReport.compare(new Host(io.github.meshalloc.tracking.server.ServerVersion.S4)).render()
                .contains("unknown FREEs"));
    }

    @Test
    void aMissingKeyIsListedBeforeAnOverCountedKeyEvenWhenItsKeyComesLater() {
        // Seed 002 before on S4: the backing buffer and chip 0's copy both ALLOC (device 0, 32) and only the backing
        // FREEs; the program's CB on chip 1 (key (1, 100416)) is never reported. The over-counted key is met first in
        // key order, yet kinds come first: MISSING before OVER_COUNTED.
        Session s = run(RuleSet.SEED_002_BEFORE, open(ONE_BY_TWO), tensor("t0", TensorChoice.DRAM_1_PAGE),
                new Op.RunProgram("m0", ProgramChoice.CB_ONLY, Optional.of("t0")), new Op.Deallocate("t0", false));
        List<KeyDiscrepancy> found = s.report().discrepancies();
        assertEquals(List.of(Kind.MISSING, Kind.OVER_COUNTED), found.stream().map(KeyDiscrepancy::kind).toList());
        assertEquals(List.of(1, 0), found.stream().map(KeyDiscrepancy::deviceId).toList());
        assertEquals(List.of(100_416L, 32L), found.stream().map(KeyDiscrepancy::bufferId).toList());
    }

    @Test
    void aServerWithoutReferenceCountsIsNeverReportedAsUnderCounting() {
        // Two allocations at (device 0, 32) (the mesh buffer and a buffer made on the chip itself, reference 9.1);
        // the E1 server keeps one entry with ref_count 1 for them: only the size can disagree, not the count.
        Session s = run(RuleSet.SEED_001_BEFORE, open(new MeshShape(1, 1)), tensor("t0", TensorChoice.DRAM_12_PAGES));
        Buffer direct = Buffer.create(s.mesh("m0").devices().get(0), 2048, 2048, BufferType.DRAM);
        assertEquals(32, direct.address());
        BalanceReport report = s.report();
        assertEquals(2, s.truth().allocations().stream().filter(a -> a.chipId() == 0 && a.address() == 32).count());
        assertTrue(report.ofKind(Kind.UNDER_COUNTED).isEmpty(), report::render);
        assertTrue(report.overCounted().isEmpty(), report::render);
    }

    @Test
    void anEntryOnADeviceBeyondTheCountersIsComparedWithoutDrift() {
        // S4 stores an ALLOC for device 8 (no validation) but leaves device_stats_ alone (index out of bounds in the
        // C++): the entry is a residual key and no device's counters drift.
        Host s4 = new Host(io.github.meshalloc.tracking.server.ServerVersion.S4);
        s4.server().accept(io.github.meshalloc.tracking.wire.AllocMessage.alloc(8, 2048, 0, 11, 64, 1));
        BalanceReport report = BalanceReport.compare(s4);
        assertEquals(List.of(8), report.residual().stream().map(KeyDiscrepancy::deviceId).toList(), report::render);
        assertTrue(report.counterDrifts().isEmpty(), report::render);
    }

    @Test
    void aRangeFreedUnderALiveBufferIsAFindingButNoLeak() {
        Session s = run(RuleSet.UPSTREAM, new Op.OpenChip("p0", "d0", 0),
                new Op.CreateChipBuffer("d0", "b0", io.github.meshalloc.tracking.ops.ChipBufferChoice.DRAM_1_PAGE));
        s.chip("d0").allocator().clear(); // frees every bank, keeps the Buffer set (reference 7)
        BalanceReport report = s.report();
        assertEquals(List.of(FindingKind.BUFFER_WITHOUT_RANGE),
                report.deviceMemory().stream().map(f -> f.finding().kind()).toList());
        assertTrue(report.leaks().isEmpty(), report::render);
        assertFalse(report.isEmpty());
    }

    @Test
    void duplicateAllocsAreBalancedOnAReferenceCountingServerWhenEveryOneIsFreed() {
        // Seed 002 after on S4: the backing buffer and chip 0's copy both ALLOC (0, 32); both FREE on deallocate.
        Session s = run(RuleSet.SEED_002_AFTER, open(ONE_BY_TWO), tensor("t0", TensorChoice.DRAM_1_PAGE),
                new Op.Deallocate("t0", false));
        BalanceReport report = s.report();
        assertEquals(1, report.duplicateAllocCount());
        assertTrue(report.isEmpty(), report::render);
    }

    @Test
    void aFreshHostIsBalancedOnServersWithoutReferenceCounts() {
        for (io.github.meshalloc.tracking.server.ServerVersion v : List.of(
                io.github.meshalloc.tracking.server.ServerVersion.E0,
                io.github.meshalloc.tracking.server.ServerVersion.E1A)) {
            BalanceReport report = BalanceReport.compare(new Host(v));
            assertTrue(report.isEmpty(), report::render);
            assertEquals("balanced: the " + v + " server's view equals the device's memory", report.render());
        }
    }

    @Test
    void theDuplicateLineIsRenderedOnlyForAServerWithoutReferenceCountsThatSawDuplicates() {
        // S4 counts the duplicate ALLOC of (0, 32): one over-counted line, no duplicate line, no unknown-FREE line.
        BalanceReport counted = run(RuleSet.SEED_002_AFTER, open(ONE_BY_TWO), tensor("t0", TensorChoice.DRAM_1_PAGE))
                .report();
        assertEquals(1, counted.duplicateAllocCount());
        assertEquals("  over counted key (device 0, buffer 32): server holds DRAM 2048 B, ref_count 2, owner 1000; "
                + "device holds buffer #0 in mesh 0 allocator (DRAM, 2048 B, process 1000)\n", counted.render());
        // E1 without any duplicate: the missing CB only.
        BalanceReport noDuplicate = run(RuleSet.SEED_001_BEFORE, open(ONE_BY_TWO),
                new Op.RunProgram("m0", ProgramChoice.CB_ONLY, Optional.empty())).report();
        assertEquals(0, noDuplicate.duplicateAllocCount());
        assertEquals("  missing key (device 1, buffer 100416): device holds CB of program 0 (cb_only) on mesh 0 (L1, "
                + "2048 B, process 1000)\n  missing on device 1 L1: 1 keys, 2048 B\n", noDuplicate.render());
        // E1 with one: the duplicate line and the drift it causes.
        BalanceReport duplicated = run(RuleSet.SEED_001_BEFORE, open(ONE_BY_TWO), tensor("t0", TensorChoice.DRAM_1_PAGE))
                .report();
        assertEquals("  duplicate ALLOCs on a server without reference counts: 1\n"
                + "  device 0 counters say 4096 B in 2 buffers; its entries hold 2048 B in 1\n", duplicated.render());
    }

    @Test
    void aLeakedRangeIsRenderedWithTheFindingAndTheStepThatCausedItWhereTheSessionKnowsIt() {
        // Seed 003 final: clearing the cache marks the add kernel binary's backing buffer DEALLOCATED first, so its
        // range is never returned to the mesh allocator
        Session s = Session.startRecording(RuleSet.SEED_003_FINAL, io.github.meshalloc.tracking.ops.Catalog.DEFAULT);
        s.apply(open(ONE_BY_TWO));
        s.apply(new Op.RunProgram("m0", ProgramChoice.ADD, Optional.empty()));
        s.apply(new Op.ClearProgramCache("m0"));
        BalanceReport report = s.report();
        assertEquals(1, report.deviceMemory().size(), report::render);
        BalanceReport.MemoryFinding leak = report.deviceMemory().get(0);
        // the add program's 12 KiB kernel binary at 0x3ffff800 (seed-arithmetic.md assumption 2), on both chips
        String finding = "mesh 0 allocator: range held by destroyed buffer at DRAM 1073739776 (12288 B), Buffer{id=0, "
                + "device=0, DRAM, size=12288, address=1073739776, DEALLOCATED} on chips [0, 1]";
        assertEquals(finding, leak.finding().describe());
        String cause = "step 3 (m0: disable_and_clear_program_cache()): track_deallocate(buffer #0 on mesh 0 (backing), "
                + "DRAM 12288 B at 1073739776) reported it freed, but its range stayed in the allocator";
        assertEquals(finding + "; caused at " + cause, leak.describe());
        assertTrue(report.render().contains("  device memory: " + finding + "; caused at " + cause + "\n"),
                report::render);
        BalanceReport.MemoryFinding unexplained = BalanceReport.compare(s.host().server(), s.truth(),
                BalanceReport.Provenance.NONE).deviceMemory().get(0);
        assertEquals(finding, unexplained.describe(), "no provenance, no cause");
    }
}
