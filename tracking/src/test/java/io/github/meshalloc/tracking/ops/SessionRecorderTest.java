package io.github.meshalloc.tracking.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.meshalloc.allocator.rules.MarkAsDeallocatedReport;
import io.github.meshalloc.mesh.MeshShape;
import io.github.meshalloc.tracking.BalanceReport;
import io.github.meshalloc.tracking.BalanceReport.KeyDiscrepancy;
import io.github.meshalloc.tracking.RuleSet;
import io.github.meshalloc.tracking.TruthSnapshot.FindingKind;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link SessionRecorder} through a recording {@link Session}: each discrepancy of the report names the step and the
 * tracker call behind it, on the right chip, in the right process.
 */
class SessionRecorderTest {

    private static Session run(RuleSet rules, Op... ops) {
        Session s = Session.startRecording(rules, Catalog.DEFAULT);
        s.applyAll(List.of(ops));
        return s;
    }

    private static String cause(KeyDiscrepancy d) {
        return d.cause().map(Object::toString).orElse("none");
    }

    @Test
    void eachChipsResidueNamesTheLastTrackerCallOnThatChip() {
        // Seed 002 before its fix: MeshBuffer::deallocate returns early, so chip 1's per-chip buffer is never marked.
        Session s = run(RuleSet.SEED_002_BEFORE, new Op.OpenMesh("p0", "m0", new MeshShape(1, 2)),
                new Op.CreateTensor("m0", "t0", TensorChoice.DRAM_1_PAGE), new Op.Deallocate("t0", false));
        List<KeyDiscrepancy> residual = s.report().residual();
        assertEquals(List.of(0, 1), residual.stream().map(KeyDiscrepancy::deviceId).toList());
        assertEquals("step 3 (deallocate t0): last tracker call at this key: "
                + "track_deallocate(buffer #0 on mesh 0 (backing), DRAM 2048 B at 32)", cause(residual.get(0)));
        assertEquals("step 2 (m0: t0 = tensor dram-1p (1, 1, 32, 32)): last tracker call at this key: "
                + "track_allocate(buffer #2 on chip 1, non-owning, DRAM 2048 B at 32)", cause(residual.get(1)));
    }

    @Test
    void everyUnreportedBufferIsNamedWithItsOwnProcessAndStep() {
        // Upstream reports nothing: every live buffer is missing. t0's backing buffer and b0 are both buffer #0,
        // each in its own process.
        Session s = run(RuleSet.UPSTREAM, new Op.OpenMesh("p0", "m0", new MeshShape(1, 1)),
                new Op.CreateTensor("m0", "t0", TensorChoice.DRAM_1_PAGE), new Op.StartProcess("p1"),
                new Op.OpenChip("p1", "d0", 7), new Op.CreateChipBuffer("d0", "b0", ChipBufferChoice.DRAM_1_PAGE));
        List<KeyDiscrepancy> missing = s.report().missing();
        assertEquals(List.of(0, 7), missing.stream().map(KeyDiscrepancy::deviceId).toList());
        assertEquals("step 2 (m0: t0 = tensor dram-1p (1, 1, 32, 32)): "
                + "track_allocate(buffer #0 on mesh 0 (backing), DRAM 2048 B at 32) was not reported",
                cause(missing.get(0)));
        assertEquals("step 5 (d0: b0 = buffer dram-1p): "
                + "track_allocate(buffer #0 on chip 7, DRAM 2048 B at 32) was not reported", cause(missing.get(1)));
    }

    @Test
    void aMeshProgramsCircularBufferIsNamedOnEveryChip() {
        // One track_allocate_cb for the 1x2 mesh; the truth holds the CB on chip 0 and on chip 1.
        Session s = run(RuleSet.UPSTREAM, new Op.OpenMesh("p0", "m0", new MeshShape(1, 2)),
                new Op.RunProgram("m0", ProgramChoice.CB_ONLY, Optional.empty()));
        List<KeyDiscrepancy> missing = s.report().missing();
        assertEquals(List.of(0, 1), missing.stream().map(KeyDiscrepancy::deviceId).toList());
        for (KeyDiscrepancy d : missing) {
            assertEquals("step 2 (m0: run cb-only): last tracker call at this key: "
                    + "track_allocate_cb(2048 B at 100416 on mesh 0)", cause(d), "chip " + d.deviceId());
        }
    }

    @Test
    void aRangeLeftBehindAfterAReportedFreeNamesTheFree() {
        // Seed 003's final fix marks the backing buffer DEALLOCATED (and reports it) before ~Buffer, which then
        // skips the allocator.
        Session s = run(RuleSet.SEED_003_FINAL, new Op.OpenMesh("p0", "m0", new MeshShape(1, 1)),
                new Op.CreateTensor("m0", "t0", TensorChoice.DRAM_1_PAGE), new Op.Drop("t0"));
        BalanceReport.MemoryFinding f = s.report().deviceMemory().get(0);
        assertEquals(FindingKind.RANGE_HELD_BY_DESTROYED_BUFFER, f.finding().kind());
        assertEquals(0, f.finding().bufferUniqueId(), "the first buffer of the process");
        assertEquals("step 3 (drop t0): track_deallocate(buffer #0 on mesh 0 (backing), DRAM 2048 B at 32) reported "
                + "it freed, but its range stayed in the allocator", f.cause().orElseThrow().toString());
    }

    @Test
    void aRangeLeftBehindWithoutAnyFreeNamesItsAllocation() {
        // The same mesh code with upstream's silent mark_as_deallocated: no tracker call ever frees the backing buffer.
        RuleSet silent = RuleSet.SEED_003_FINAL.with(RuleSet.SEED_003_FINAL.core()
                .with(MarkAsDeallocatedReport.NOTHING)).named("silent-mark", "seed 003 final, upstream mark");
        Session s = run(silent, new Op.OpenMesh("p0", "m0", new MeshShape(1, 1)),
                new Op.CreateTensor("m0", "t0", TensorChoice.DRAM_1_PAGE), new Op.Drop("t0"));
        BalanceReport.MemoryFinding f = s.report().deviceMemory().get(0);
        assertEquals(FindingKind.RANGE_HELD_BY_DESTROYED_BUFFER, f.finding().kind());
        assertEquals("step 2 (m0: t0 = tensor dram-1p (1, 1, 32, 32)): allocated by "
                + "track_allocate(buffer #0 on mesh 0 (backing), DRAM 2048 B at 32)", f.cause().orElseThrow().toString());
    }
}
