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
}
