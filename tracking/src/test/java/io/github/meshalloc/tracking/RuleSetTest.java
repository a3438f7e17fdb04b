package io.github.meshalloc.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.allocator.rules.MarkAsDeallocatedReport;
import io.github.meshalloc.allocator.rules.NonOwningDeallocate;
import io.github.meshalloc.mesh.rules.MeshRules;
import io.github.meshalloc.mesh.rules.MeshBufferDeallocate;
import io.github.meshalloc.tracking.server.ServerVersion;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Presets are distinct code states, found by name, and derivable with the builder. */
class RuleSetTest {

    @Test
    void everyPresetHasAUniqueNameAndIsFoundByIt() {
        Set<String> names = new HashSet<>();
        for (RuleSet preset : RuleSet.PRESETS) {
            assertTrue(names.add(preset.name()), preset.name());
            assertEquals(preset, RuleSet.preset(preset.name()));
        }
    }

    @Test
    void presetsDifferPairwise() {
        for (RuleSet a : RuleSet.PRESETS) {
            for (RuleSet b : RuleSet.PRESETS) {
                if (a != b) {
                    assertNotEquals(a.named("x", "x"), b.named("x", "x"), a.name() + " vs " + b.name());
                }
            }
        }
    }

    @Test
    void anUnknownPresetNamesTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RuleSet.preset("seed-9"));
        assertTrue(e.getMessage().contains("'seed-9'"));
        assertTrue(e.getMessage().contains("meshalloc-fix"));
    }

    @Test
    void theSeedsChangeWhatTheyClaimToChange() {
        assertFalse(RuleSet.UPSTREAM.allocationClient());
        assertEquals(MarkAsDeallocatedReport.NOTHING, RuleSet.SEED_004.core().markAsDeallocatedReport());
        assertEquals(MeshBufferDeallocate.UPSTREAM, RuleSet.SEED_002_BEFORE.mesh().meshBufferDeallocate());
        assertEquals(MeshBufferDeallocate.MARK_DEVICE_BUFFERS, RuleSet.SEED_002_AFTER.mesh().meshBufferDeallocate());
        assertEquals(MeshDeviceBufferTracking.SKIP, RuleSet.SEED_001_AFTER.meshDeviceBuffers());
        assertEquals(MarkAsDeallocatedReport.TRACK_IF_ALLOCATED_AND_OWNS_DATA,
                RuleSet.SEED_003_FIRST_ATTEMPT.core().markAsDeallocatedReport());
        assertEquals(MeshBufferDeallocate.BACKING_FIRST_THEN_DEVICE_BUFFERS,
                RuleSet.SEED_003_FINAL.mesh().meshBufferDeallocate());
    }

    @Test
    void aUserComposesARuleSetInOneExpression() {
        RuleSet mine = RuleSet.SEED_003_FINAL.named("mine", "backing first, on the history server")
                .with(ServerVersion.ENHANCED);
        assertEquals(ServerVersion.ENHANCED, mine.serverVersion());
        assertEquals(RuleSet.SEED_003_FINAL.core(), mine.core());
        assertEquals("mine", mine.name());
    }

    @Test
    void eachWithReplacesOneVariationPointAndKeepsTheRest() {
        RuleSet base = RuleSet.SEED_004;
        RuleSet cbs = base.with(CircularBufferReporting.AS_L1_ALLOCATIONS_PER_CHIP);
        assertEquals(CircularBufferReporting.AS_L1_ALLOCATIONS_PER_CHIP, cbs.circularBuffers());
        assertEquals(new RuleSet(base.name(), base.description(), base.core(), base.mesh(), base.meshDeviceBuffers(),
                CircularBufferReporting.AS_L1_ALLOCATIONS_PER_CHIP, base.serverVersion(), base.allocationClient()), cbs);
        assertTrue(base.allocationClient());
        RuleSet silent = base.withAllocationClient(false);
        assertFalse(silent.allocationClient());
        assertEquals(base, silent.withAllocationClient(true));
        assertEquals(base.core(), silent.core());
        assertEquals(base.serverVersion(), silent.serverVersion());
    }

    @Test
    void eachSeedsCodeStateIsItsPredecessorWithOnlyWhatItsFilesChange() {
        // README "Rule sets": seed 002's fix touches mesh_buffer.cpp only
        RuleSet seed002After = RuleSet.SEED_002_BEFORE
                .with(MeshRules.UPSTREAM.with(MeshBufferDeallocate.MARK_DEVICE_BUFFERS));
        assertEquals(RuleSet.SEED_002_AFTER.named("x", "x"), seed002After.named("x", "x"));
        assertEquals(RuleSet.SEED_002_BEFORE.name(), seed002After.name(), "with keeps the name");
        // seed 001 before is seed 002's code on the E1 server
        assertEquals(RuleSet.SEED_001_BEFORE.named("x", "x"),
                RuleSet.SEED_002_AFTER.with(ServerVersion.E1A).named("x", "x"));
        // seed 001's fix: graph_tracking.cpp skips MeshDevice buffers, buffer.cpp reports a non-owning FREE
        RuleSet seed001After = RuleSet.SEED_001_BEFORE
                .with(RuleSet.SEED_001_BEFORE.core().with(NonOwningDeallocate.TRACK_AND_MARK))
                .with(MeshDeviceBufferTracking.SKIP);
        assertEquals(RuleSet.SEED_001_AFTER.named("x", "x"), seed001After.named("x", "x"));
        // seed 003's first attempt: buffer.cpp only
        RuleSet seed003First = RuleSet.SEED_002_AFTER.with(RuleSet.SEED_002_AFTER.core()
                .with(MarkAsDeallocatedReport.TRACK_IF_ALLOCATED_AND_OWNS_DATA));
        assertEquals(RuleSet.SEED_003_FIRST_ATTEMPT.named("x", "x"), seed003First.named("x", "x"));
        assertEquals(RuleSet.SEED_002_AFTER.mesh(), seed003First.mesh());
    }
}
