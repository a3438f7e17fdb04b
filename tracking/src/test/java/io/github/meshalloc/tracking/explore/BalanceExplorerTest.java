package io.github.meshalloc.tracking.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;

import io.github.meshalloc.mesh.MeshShape;
import io.github.meshalloc.tracking.RuleSet;
import io.github.meshalloc.tracking.ops.Op;
import io.github.meshalloc.tracking.ops.OpKind;
import io.github.meshalloc.tracking.ops.OpSpace;
import io.github.meshalloc.tracking.ops.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

/** {@link BalanceExplorer}: search, shrinking, determinism and progress. */
class BalanceExplorerTest {

    private static final ExplorerConfig SMALL = ExplorerConfig.defaults().withTries(40).withSteps(20)
            .withMeshShapes(List.of(new MeshShape(1, 1), new MeshShape(1, 2), new MeshShape(2, 4)));

    @Test
    void theSameConfigGivesTheSameVerdict() {
        for (RuleSet rules : List.of(RuleSet.SEED_002_AFTER, RuleSet.MESHALLOC_FIX)) {
            Verdict a = BalanceExplorer.check(rules, SMALL);
            Verdict b = BalanceExplorer.check(rules, SMALL);
            assertEquals(a.render(), b.render(), rules.name());
            assertEquals(a.stats(), b.stats());
        }
    }

    @Test
    void anotherSeedRunsAnotherSearch() {
        Verdict a = BalanceExplorer.check(RuleSet.MESHALLOC_FIX, SMALL.withTries(10));
        Verdict b = BalanceExplorer.check(RuleSet.MESHALLOC_FIX, SMALL.withTries(10).withSeed(99));
        assertNotEquals(a.stats().opCounts(), b.stats().opCounts());
    }

    @Test
    void aCounterexampleIsALegalScriptThatBreaksItsInvariantAtItsLastStepOnly() {
        Verdict.Counterexample c = assertInstanceOf(Verdict.Counterexample.class,
                BalanceExplorer.check(RuleSet.SEED_003_FIRST_ATTEMPT, SMALL));
        List<Op> ops = c.ops();
        assertEquals(ops.size(), c.violation().step());
        assertTrue(c.originalLength() >= ops.size());
        Session session = Session.start(RuleSet.SEED_003_FIRST_ATTEMPT);
        InvariantChecker checker = new InvariantChecker(session);
        for (int i = 0; i < ops.size(); i++) {
            assertTrue(ops.get(i).precondition(session.model()), "step " + (i + 1) + " is legal: " + ops.get(i));
            var v = checker.afterStep(session.apply(ops.get(i)));
            assertEquals(i == ops.size() - 1, v.isPresent(), "violation only at the last step, step " + (i + 1));
        }
    }

    @Test
    void aShrunkCounterexampleLosesItsViolationWithoutAnyOneOfItsSteps() {
        Verdict.Counterexample c = assertInstanceOf(Verdict.Counterexample.class,
                BalanceExplorer.check(RuleSet.SEED_002_AFTER, SMALL));
        List<Op> ops = c.ops();
        for (int i = 0; i < ops.size(); i++) {
            List<Op> fewer = new ArrayList<>(ops);
            fewer.remove(i);
            BalanceExplorer.Replay r = BalanceExplorer.replay(RuleSet.SEED_002_AFTER, SMALL.catalog(), fewer);
            assertFalse(r.violation().isPresent() && r.violation().get().invariant() == c.violation().invariant(),
                    "without step " + (i + 1) + " the script still breaks " + c.violation().invariant() + ": " + fewer);
        }
    }

    @Test
    void handlesAreRenamedInOrderOfAppearance() {
        Verdict.Counterexample c = assertInstanceOf(Verdict.Counterexample.class,
                BalanceExplorer.check(RuleSet.SEED_004, SMALL));
        List<String> names = new ArrayList<>();
        for (Op op : c.ops()) {
            for (String n : op.names()) {
                if (!names.contains(n)) {
                    names.add(n);
                }
            }
        }
        for (String prefix : List.of("m", "t", "v", "a", "b", "d")) {
            List<String> withPrefix = names.stream().filter(n -> n.matches(prefix + "\\d+")).toList();
            for (int i = 0; i < withPrefix.size(); i++) {
                assertEquals(prefix + i, withPrefix.get(i), "names " + names);
            }
        }
    }

    @Test
    void theCounterexampleRendersItsStepsInvariantAndReport() {
        Verdict.Counterexample c = assertInstanceOf(Verdict.Counterexample.class,
                BalanceExplorer.check(RuleSet.SEED_003_FINAL, SMALL));
        String text = c.render();
        assertTrue(text.startsWith("seed-003-final: counterexample found at try "), text);
        assertTrue(text.contains("broken: device memory returned after step " + c.ops().size()), text);
        assertTrue(text.contains("  1. p0: m0 = open_mesh_device("), text);
        assertTrue(text.contains("balance report after step"), text);
        assertEquals(c.ops().size(), c.python().size());
    }

    @Test
    void progressIsReportedForEveryTryAndOnceWhenDone() {
        Progress.Listener listener = mock(Progress.Listener.class);
        Verdict v = BalanceExplorer.check(RuleSet.MESHALLOC_FIX, SMALL.withTries(5), listener);
        assertTrue(v.isBalanced(), v::render);
        InOrder order = inOrder(listener);
        for (int t = 1; t <= 5; t++) {
            int tryIndex = t;
            order.verify(listener).onProgress(argThat(p -> p.phase() == Progress.Phase.SEARCHING
                    && p.tryIndex() == tryIndex && p.tries() == 5));
        }
        order.verify(listener, times(1)).onProgress(argThat(p -> p.phase() == Progress.Phase.DONE
                && p.opsRun() == v.stats().ops()));
        order.verifyNoMoreInteractions();
    }

    @Test
    void shrinkingReportsItsProgressAndEndsDone() {
        Progress.Listener listener = mock(Progress.Listener.class);
        Verdict v = BalanceExplorer.check(RuleSet.SEED_002_BEFORE, SMALL, listener);
        Verdict.Counterexample c = assertInstanceOf(Verdict.Counterexample.class, v);
        InOrder order = inOrder(listener);
        order.verify(listener).onProgress(argThat(p -> p.phase() == Progress.Phase.SHRINKING
                && p.tryIndex() == c.foundAtTry() && p.shrinkReplays() == 0 && p.counterexampleLength() > 0));
        order.verify(listener).onProgress(argThat(p -> p.phase() == Progress.Phase.DONE
                && p.counterexampleLength() == c.ops().size()));
    }

    @Test
    void upstreamReturnsItsDeviceMemory() {
        Verdict v = BalanceExplorer.check(RuleSet.UPSTREAM, SMALL);
        assertTrue(v.isBalanced(), v::render);
        assertTrue(v.stats().ops() > SMALL.tries());
    }

    @Test
    void kindsWithWeightZeroAreNeverDrawn() {
        Map<OpKind, Integer> weights = new java.util.EnumMap<>(ExplorerConfig.DEFAULT_WEIGHTS);
        weights.put(OpKind.KILL_PROCESS, 0);
        weights.put(OpKind.RESTART_SERVER, 0);
        Verdict v = BalanceExplorer.check(RuleSet.MESHALLOC_FIX, SMALL.withWeights(weights));
        assertEquals(0L, v.stats().opCounts().get(OpKind.KILL_PROCESS));
        assertEquals(0L, v.stats().opCounts().get(OpKind.RESTART_SERVER));
        assertTrue(v.stats().opCounts().get(OpKind.CREATE_TENSOR) > 0);
    }

    @Test
    void configsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> SMALL.withTries(0));
        assertThrows(IllegalArgumentException.class, () -> SMALL.withSteps(-1));
        assertThrows(IllegalArgumentException.class, () -> SMALL.withWeights(Map.of(OpKind.CREATE_TENSOR, 1)));
        assertThrows(IllegalArgumentException.class, () -> SMALL.withWeights(Map.of(OpKind.OPEN_MESH, -1)));
    }

    @Test
    void searchStatsCountMissingKindsAsZeroAndEveryKindAtLeastIsInclusive() {
        java.util.EnumMap<OpKind, Long> counts = new java.util.EnumMap<>(OpKind.class);
        for (OpKind k : OpKind.values()) {
            counts.put(k, 2L);
        }
        SearchStats all = new SearchStats(1, 2L * OpKind.values().length, counts);
        assertTrue(all.everyKindAtLeast(2));
        assertFalse(all.everyKindAtLeast(3));
        SearchStats one = new SearchStats(1, 5, Map.of(OpKind.values()[0], 5L));
        assertEquals(0L, one.opCounts().get(OpKind.values()[1]));
        assertTrue(one.everyKindAtLeast(0));
        assertFalse(one.everyKindAtLeast(1));
    }

    @Test
    void configCopiesReplaceOnlyTheirOwnComponent() {
        ExplorerConfig base = ExplorerConfig.defaults();
        ExplorerConfig c = base.withCatalog(SMALL.catalog());
        assertEquals(SMALL.catalog(), c.catalog());
        assertEquals(base.seed(), c.seed());
        ExplorerConfig r = base.withMaxShrinkReplays(5);
        assertEquals(5, r.maxShrinkReplays());
        assertEquals(base.catalog(), r.catalog());
        assertEquals("no unknown FREE broken after step 3: FREE for unknown buffer 32",
                new Violation(Invariant.NO_UNKNOWN_FREE, 3, "FREE for unknown buffer 32").toString());
    }

    @Test
    void theShrinkerSpendsAtMostItsReplayBudgetAndReportsEveryTwentyFifthReplay() {
        List<Progress> seen = new ArrayList<>();
        Verdict.Counterexample c = assertInstanceOf(Verdict.Counterexample.class,
                BalanceExplorer.check(RuleSet.SEED_002_BEFORE, SMALL, seen::add));
        int replays = c.shrinkReplays();
        assertTrue(replays > 25 && replays < SMALL.maxShrinkReplays(), "replays: " + replays);
        List<Integer> expected = new ArrayList<>();
        for (int r = 0; r <= replays; r += 25) {
            expected.add(r);
        }
        assertEquals(expected, seen.stream().filter(p -> p.phase() == Progress.Phase.SHRINKING)
                .map(Progress::shrinkReplays).toList());
        assertEquals(replays, seen.get(seen.size() - 1).shrinkReplays());
        // A budget smaller than the shrink needs is spent exactly, never overrun.
        Verdict.Counterexample tight = assertInstanceOf(Verdict.Counterexample.class,
                BalanceExplorer.check(RuleSet.SEED_002_BEFORE, SMALL.withMaxShrinkReplays(5)));
        assertEquals(5, tight.shrinkReplays());
        assertEquals(c.foundAtTry(), tight.foundAtTry());
    }

    @Test
    void everyBudgetBelowWhatTheShrinkNeedsIsSpentExactly() {
        int needed = assertInstanceOf(Verdict.Counterexample.class,
                BalanceExplorer.check(RuleSet.SEED_002_BEFORE, SMALL)).shrinkReplays();
        // Budget 0: no replay at all; the counterexample is the failing try itself, renamed.
        Verdict.Counterexample none = assertInstanceOf(Verdict.Counterexample.class,
                BalanceExplorer.check(RuleSet.SEED_002_BEFORE, SMALL.withMaxShrinkReplays(0)));
        assertEquals(0, none.shrinkReplays());
        assertEquals(none.originalLength(), none.ops().size());
        for (int budget = 1; budget < Math.min(needed, 60); budget++) {
            Verdict.Counterexample c = assertInstanceOf(Verdict.Counterexample.class,
                    BalanceExplorer.check(RuleSet.SEED_002_BEFORE, SMALL.withMaxShrinkReplays(budget)));
            assertEquals(budget, c.shrinkReplays(), "budget " + budget);
        }
    }

    @Test
    void noOperationOfAShrunkCounterexampleHasASimplerFormThatStillBreaksTheInvariant() {
        for (RuleSet rules : List.of(RuleSet.SEED_002_BEFORE, RuleSet.SEED_003_FIRST_ATTEMPT, RuleSet.SEED_004)) {
            Verdict.Counterexample c = assertInstanceOf(Verdict.Counterexample.class,
                    BalanceExplorer.check(rules, SMALL));
            assertTrue(c.shrinkReplays() < SMALL.maxShrinkReplays(), rules.name());
            List<Op> ops = c.ops();
            for (int i = 0; i < ops.size(); i++) {
                for (Op simpler : ops.get(i).simpler(SMALL.catalog())) {
                    List<Op> candidate = new ArrayList<>(ops);
                    candidate.set(i, simpler);
                    BalanceExplorer.Replay r = BalanceExplorer.replay(rules, SMALL.catalog(), candidate);
                    assertFalse(r.violation().isPresent() && r.violation().get().invariant() == c.violation().invariant()
                                    && r.ops().size() <= ops.size(),
                            rules.name() + ": step " + (i + 1) + " could be " + simpler + " in " + ops);
                }
            }
        }
    }

    @Test
    void everyShrunkCounterexampleNamesItsHandlesInOrderOfAppearance() {
        for (RuleSet rules : List.of(RuleSet.SEED_000, RuleSet.SEED_001_BEFORE, RuleSet.SEED_002_BEFORE,
                RuleSet.SEED_003_FIRST_ATTEMPT, RuleSet.SEED_004)) {
            for (long seed = 1; seed <= 4; seed++) {
                Verdict v = BalanceExplorer.check(rules, SMALL.withSeed(seed));
                if (!(v instanceof Verdict.Counterexample c)) {
                    continue;
                }
                List<String> names = new ArrayList<>();
                for (Op op : c.ops()) {
                    for (String n : op.names()) {
                        if (!names.contains(n)) {
                            names.add(n);
                        }
                    }
                }
                for (String prefix : List.of("p", "m", "t", "v", "a", "b", "d")) {
                    List<String> withPrefix = names.stream().filter(n -> n.matches(prefix + "\\d+")).toList();
                    for (int i = 0; i < withPrefix.size(); i++) {
                        assertEquals(prefix + i, withPrefix.get(i), rules.name() + " seed " + seed + ": " + names);
                    }
                }
            }
        }
    }

    /** Weights under which most operations start processes, so a try's mesh is usually opened by a later one. */
    private static ExplorerConfig manyProcesses() {
        Map<OpKind, Integer> weights = new java.util.EnumMap<>(OpKind.class);
        weights.put(OpKind.OPEN_MESH, 1);
        weights.put(OpKind.CREATE_TENSOR, 1);
        weights.put(OpKind.START_PROCESS, 4);
        return ExplorerConfig.defaults().withTries(5).withSteps(8).withWeights(weights)
                .withMeshShapes(List.of(new MeshShape(1, 1), new MeshShape(1, 2)));
    }

    @Test
    void aBreachThatOnlyTheTeardownRevealsIsFoundAndShownInTheFirstProcessAlone() {
        // Seed 003's first attempt leaves chip 0's entry when a process ends with a live tensor. Seed 1's try opens its
        // mesh in a later process, and no step but the closing teardown (every live process ends) breaks anything. The
        // shrink drops the other processes and moves the mesh, its tensor and the end into p0: a script no single
        // operation's simpler form reaches, since moving only the open into p0 leaves the later process nothing to
        // end.
        Verdict.Counterexample c = assertInstanceOf(Verdict.Counterexample.class,
                BalanceExplorer.check(RuleSet.SEED_003_FIRST_ATTEMPT, manyProcesses()));
        assertEquals(1, c.foundAtTry());
        assertEquals(List.of(new Op.OpenMesh("p0", "m0", new MeshShape(1, 1)),
                new Op.CreateTensor("m0", "t0", io.github.meshalloc.tracking.ops.TensorChoice.DRAM_1_PAGE),
                new Op.EndProcess("p0")), c.ops(), c::render);
        assertEquals(Invariant.ZERO_RESIDUAL_AFTER_CLOSE, c.violation().invariant());
    }

    @Test
    void noShrunkCounterexampleKeepsALaterProcessThatCouldBeMergedIntoTheFirst() {
        for (long seed = 1; seed <= 4; seed++) {
            Verdict.Counterexample c = assertInstanceOf(Verdict.Counterexample.class,
                    BalanceExplorer.check(RuleSet.SEED_003_FIRST_ATTEMPT, manyProcesses().withSeed(seed)));
            List<Op> ops = c.ops();
            for (Op op : ops) {
                if (!(op instanceof Op.StartProcess start)) {
                    continue;
                }
                List<Op> merged = ops.stream().filter(o -> o != op)
                        .map(o -> o.renamed(n -> n.equals(start.process()) ? Session.FIRST_PROCESS : n)).toList();
                BalanceExplorer.Replay r = BalanceExplorer.replay(RuleSet.SEED_003_FIRST_ATTEMPT,
                        manyProcesses().catalog(), merged);
                assertFalse(r.violation().isPresent() && r.violation().get().invariant() == c.violation().invariant(),
                        "seed " + seed + ": " + start.process() + " could run in p0: " + ops);
            }
        }
    }

    @Test
    void eachTryRunsExactlyItsStepsThenEndsEveryLiveProcess() {
        // Only one mesh can be open on the chips, and then only tensors can be made: every try opens it, makes two
        // tensors and ends p0.
        Verdict v = BalanceExplorer.check(RuleSet.MESHALLOC_FIX, SMALL.withTries(3).withSteps(3)
                .withWeights(Map.of(OpKind.OPEN_MESH, 1, OpKind.CREATE_TENSOR, 1)));
        assertTrue(v.isBalanced(), v::render);
        assertEquals(3L, v.stats().opCounts().get(OpKind.OPEN_MESH));
        assertEquals(6L, v.stats().opCounts().get(OpKind.CREATE_TENSOR));
        assertEquals(3L, v.stats().opCounts().get(OpKind.END_PROCESS));
        assertEquals(12L, v.stats().ops());
    }

    @Test
    void kindsAreDrawnInProportionToTheirWeights() {
        Map<OpKind, Integer> weights = Map.of(OpKind.OPEN_MESH, 1, OpKind.START_PROCESS, 3);
        Session session = Session.start(RuleSet.MESHALLOC_FIX, SMALL.catalog());
        OpSpace space = new OpSpace(SMALL.catalog());
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        java.util.EnumMap<OpKind, Integer> drawn = new java.util.EnumMap<>(OpKind.class);
        for (int i = 0; i < 4000; i++) {
            drawn.merge(BalanceExplorer.draw(space, weights, session, random).orElseThrow().kind(), 1, Integer::sum);
        }
        assertEquals(java.util.Set.of(OpKind.OPEN_MESH, OpKind.START_PROCESS), drawn.keySet());
        assertTrue(drawn.get(OpKind.OPEN_MESH) > 850 && drawn.get(OpKind.OPEN_MESH) < 1150, drawn::toString);
        // Nothing with a positive weight is possible before a mesh is open: nothing is drawn.
        Session fresh = Session.start(RuleSet.MESHALLOC_FIX, SMALL.catalog());
        assertEquals(java.util.Optional.empty(),
                BalanceExplorer.draw(space, Map.of(OpKind.CREATE_TENSOR, 1), fresh, random));
    }

    @Test
    void aBalancedVerdictRendersItsCountsPerKindInKindOrder() {
        java.util.EnumMap<OpKind, Long> counts = new java.util.EnumMap<>(OpKind.class);
        counts.put(OpKind.OPEN_MESH, 3L);
        counts.put(OpKind.END_PROCESS, 4L);
        String text = new Verdict.Balanced(RuleSet.MESHALLOC_FIX, new SearchStats(3, 7, counts)).render();
        StringBuilder perKind = new StringBuilder();
        for (OpKind k : OpKind.values()) {
            perKind.append(' ').append(k.name().toLowerCase(java.util.Locale.ROOT)).append('=')
                    .append(k == OpKind.OPEN_MESH ? 3 : k == OpKind.END_PROCESS ? 4 : 0);
        }
        assertEquals("meshalloc-fix: balanced after 3 tries, 7 operations\n  per kind:" + perKind + "\n", text);
        assertTrue(text.contains(" open_mesh=3 open_chip=0 "), text);
    }

    @Test
    void theReadmeTranscriptIsWhatTheExplorerPrintsWithItsDefaults() {
        // README, "Balance exploration": the first lines as the explorer prints them, replay count included (the
        // shrinker never replays a script whose outcome it already holds).
        String text = BalanceExplorer.check(RuleSet.SEED_003_FINAL, ExplorerConfig.defaults()).render();
        assertTrue(text.startsWith("""
                seed-003-final: counterexample found at try 1 (try seed -7995527694508729151, 15 operations run); \
                15 operations shrunk to 3 in 26 replays
                broken: device memory returned after step 3
                  1. p0: m0 = open_mesh_device(1x1)
                  2. m0: t0 = tensor dram-1p (1, 1, 32, 32)
                  3. drop t0
                """), text);
    }
}
