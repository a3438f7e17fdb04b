package io.github.meshalloc.tracking.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.mesh.MeshShape;
import io.github.meshalloc.tracking.RuleSet;
import io.github.meshalloc.tracking.explore.ExplorerConfig;
import io.github.meshalloc.tracking.explore.Invariant;
import io.github.meshalloc.tracking.ops.Catalog;
import io.github.meshalloc.tracking.ops.Op;
import io.github.meshalloc.tracking.ops.OpKind;
import io.github.meshalloc.tracking.ops.TensorChoice;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.state.ActionChain;
import org.junit.jupiter.api.Test;

/** The kit: arbitraries over the vocabulary, the checked session and the ready property. */
class KitTest {

    private static final Catalog SMALL = Catalog.DEFAULT.withMeshShapes(List.of(new MeshShape(1, 1),
            new MeshShape(1, 2)));

    @Provide
    Arbitrary<ActionChain<CheckedSession>> fixScripts() {
        return BalanceProperty.of(RuleSet.MESHALLOC_FIX).withCatalog(SMALL).withMaxSteps(20).scripts();
    }

    @Property(tries = 60, seed = "42")
    void meshallocFixScriptsBalance(@ForAll("fixScripts") ActionChain<CheckedSession> script) {
        CheckedSession end = BalanceProperty.check(script);
        assertTrue(end.model().heldHandles().isEmpty());
        if (end.model().serverUp()) {
            assertEquals(0, end.session().host().server().activeAllocations());
        }
    }

    @Property(tries = 40, seed = "7")
    void anyOpIsLegalWhereItIsDrawn(@ForAll("fixScripts") ActionChain<CheckedSession> script) {
        CheckedSession s = script.run();
        Op op = MeshallocArbitraries.anyOp(s.model(), s.catalog(), ExplorerConfig.DEFAULT_WEIGHTS)
                .generator(10).next(new Random(1)).value();
        assertTrue(op.precondition(s.model()), op.toString());
    }

    @Test
    void aBrokenInvariantIsThrownWithTheScriptAndTheReport() {
        CheckedSession s = CheckedSession.start(RuleSet.SEED_002_BEFORE, SMALL);
        s.apply(new Op.OpenMesh("p0", "m0", new MeshShape(1, 1)));
        s.apply(new Op.CreateTensor("m0", "t0", TensorChoice.DRAM_1_PAGE));
        BalanceViolation v = assertThrows(BalanceViolation.class, () -> s.apply(new Op.Deallocate("t0", false)));
        assertEquals(Invariant.SERVER_VIEW_EQUALS_TRUTH, v.violation().invariant());
        assertEquals(3, v.steps().size());
        assertEquals(1, v.report().residual().size());
        assertTrue(v.getMessage().contains("  3. deallocate t0"), v.getMessage());
    }

    @Test
    void anOpThatIsNoLongerLegalIsSkippedOnlyWhenAskedTo() {
        CheckedSession s = CheckedSession.start(RuleSet.MESHALLOC_FIX, SMALL);
        Op stale = new Op.CreateTensor("m0", "t0", TensorChoice.DRAM_1_PAGE);
        s.applyIfLegal(stale);
        assertEquals(0, s.session().stepCount());
        assertThrows(IllegalArgumentException.class, () -> s.apply(stale));
    }

    @Test
    void anActionAppliesALegalOperationOrNothing() {
        CheckedSession s = CheckedSession.start(RuleSet.MESHALLOC_FIX, SMALL);
        var createTensor = MeshallocArbitraries.action(OpKind.CREATE_TENSOR).transformer()
                .generator(10).next(new Random(3)).value();
        createTensor.apply(s);
        assertEquals(0, s.session().stepCount(), "no mesh is open: no tensor operation is legal, none runs");
        assertThrows(IllegalArgumentException.class,
                () -> MeshallocArbitraries.op(OpKind.CREATE_TENSOR, s.model(), SMALL));
        s.applyChoice(OpKind.OPEN_MESH, 0);
        createTensor.apply(s);
        assertEquals(2, s.session().stepCount());
        assertEquals(OpKind.CREATE_TENSOR, s.session().steps().get(1).op().kind());
    }

    @Test
    void choiceZeroIsTheSimplestOperationOfItsKind() {
        CheckedSession s = CheckedSession.start(RuleSet.MESHALLOC_FIX, SMALL);
        s.applyChoice(OpKind.OPEN_MESH, 0);
        s.applyChoice(OpKind.CREATE_TENSOR, 0);
        assertEquals(List.of(new Op.OpenMesh("p0", "m0", new MeshShape(1, 1)),
                new Op.CreateTensor("m0", "t0", TensorChoice.DRAM_1_PAGE)),
                s.session().steps().stream().map(step -> step.op()).toList());
    }

    @Test
    void theSessionPrintsItsCodeStateAndStepCountAndItsModelKnowsProcessesAndHandles() {
        CheckedSession s = CheckedSession.start(RuleSet.MESHALLOC_FIX, SMALL);
        assertEquals("CheckedSession{meshalloc-fix, 0 steps}", s.toString());
        s.applyChoice(OpKind.OPEN_MESH, 0);
        s.applyChoice(OpKind.CREATE_TENSOR, 0);
        assertEquals("CheckedSession{meshalloc-fix, 2 steps}", s.toString());
        assertEquals(java.util.Optional.of(new io.github.meshalloc.tracking.ops.SessionModel.ProcessInfo("p0", true)),
                s.model().process("p0"));
        assertEquals(java.util.Optional.empty(), s.model().process("p9"));
        assertEquals(List.of("t0"), s.model().handles().stream().map(h -> h.name()).toList());
    }

    @Test
    void theCatalogArbitrariesDrawOnlyFromTheCatalog() {
        Catalog one = SMALL.withMeshShapes(List.of(new MeshShape(1, 2)));
        assertEquals(java.util.Set.of(new MeshShape(1, 2)), java.util.Set.copyOf(
                MeshallocArbitraries.meshShapes(one).allValues().orElseThrow().toList()));
        assertEquals(java.util.Set.copyOf(SMALL.tensors()),
                java.util.Set.copyOf(MeshallocArbitraries.tensors(SMALL).allValues().orElseThrow().toList()));
        assertEquals(java.util.Set.copyOf(SMALL.chipBuffers()),
                java.util.Set.copyOf(MeshallocArbitraries.chipBuffers(SMALL).allValues().orElseThrow().toList()));
        assertEquals(java.util.Set.copyOf(SMALL.programs()),
                java.util.Set.copyOf(MeshallocArbitraries.programs(SMALL).allValues().orElseThrow().toList()));
        CheckedSession s = CheckedSession.start(RuleSet.MESHALLOC_FIX, SMALL);
        assertEquals(java.util.Set.copyOf(new io.github.meshalloc.tracking.ops.OpSpace(SMALL)
                        .legal(OpKind.OPEN_MESH, s.model())),
                java.util.Set.copyOf(MeshallocArbitraries.op(OpKind.OPEN_MESH, s.model(), SMALL).allValues()
                        .orElseThrow().toList()));
    }

    @Test
    void withWeightsReplacesOnlyTheWeights() {
        BalanceProperty base = BalanceProperty.of(RuleSet.MESHALLOC_FIX).withCatalog(SMALL);
        java.util.Map<OpKind, Integer> onlyOpen = java.util.Map.of(OpKind.OPEN_MESH, 1);
        BalanceProperty p = base.withWeights(onlyOpen);
        assertEquals(onlyOpen, p.weights());
        assertEquals(base.catalog(), p.catalog());
        assertEquals(base.maxSteps(), p.maxSteps());
        assertEquals(base.rules(), p.rules());
    }

    @Test
    void everyStepOfASessionChainsAndReturnsTheSameSession() {
        CheckedSession s = CheckedSession.start(RuleSet.MESHALLOC_FIX, SMALL);
        CheckedSession end = s.apply(new Op.OpenMesh("p0", "m0", new MeshShape(1, 1)))
                .applyIfLegal(new Op.CreateTensor("m0", "t0", TensorChoice.DRAM_1_PAGE))
                .applyIfLegal(new Op.CreateTensor("m9", "t1", TensorChoice.DRAM_1_PAGE))
                .applyChoice(OpKind.DEALLOCATE, 0)
                .applyChoice(OpKind.CLEAR_SUB_DEVICE_MANAGER, 0);
        assertSame(s, end);
        assertEquals(List.of(OpKind.OPEN_MESH, OpKind.CREATE_TENSOR, OpKind.DEALLOCATE),
                s.session().steps().stream().map(step -> step.op().kind()).toList(),
                "the stale tensor and the impossible sub-device clear ran nothing");
    }

    @Test
    void aNegativeChoiceIsRefusedAndRunsNothing() {
        CheckedSession s = CheckedSession.start(RuleSet.MESHALLOC_FIX, SMALL);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> s.applyChoice(OpKind.OPEN_MESH, -1));
        assertEquals("choice -1 must not be negative", e.getMessage());
        assertEquals(0, s.session().stepCount());
        assertTrue(s.model().openMeshes().isEmpty());
    }

    /** A jqwik example: drawing from a frequency arbitrary needs jqwik's thread. */
    @Example
    void anyOpDrawsEveryPossibleKindWithAPositiveWeightAndNoOther() {
        CheckedSession s = CheckedSession.start(RuleSet.MESHALLOC_FIX, SMALL);
        s.applyChoice(OpKind.OPEN_MESH, 0);
        java.util.Map<OpKind, Integer> weights = new java.util.EnumMap<>(OpKind.class);
        weights.put(OpKind.CREATE_TENSOR, 1);
        weights.put(OpKind.RUN_PROGRAM, 1);
        weights.put(OpKind.OPEN_CHIP, 3);
        weights.put(OpKind.CREATE_VIEW, 5); // no tensor yet: not possible
        weights.put(OpKind.CLOSE_MESH, 0);
        weights.put(OpKind.START_PROCESS, 0);
        var generator = MeshallocArbitraries.anyOp(s.model(), SMALL, weights).generator(10);
        Random random = new Random(5);
        java.util.Set<OpKind> drawn = java.util.EnumSet.noneOf(OpKind.class);
        for (int i = 0; i < 300; i++) {
            Op op = generator.next(random).value();
            assertTrue(op.precondition(s.model()), op.toString());
            drawn.add(op.kind());
        }
        assertEquals(java.util.EnumSet.of(OpKind.CREATE_TENSOR, OpKind.RUN_PROGRAM, OpKind.OPEN_CHIP), drawn);
    }

    @Test
    void anyOpIsRefusedWhenOnlyZeroWeightKindsArePossible() {
        CheckedSession s = CheckedSession.start(RuleSet.MESHALLOC_FIX, SMALL);
        // No mesh is open: a tensor is impossible, and opening a mesh weighs nothing.
        java.util.Map<OpKind, Integer> weights = java.util.Map.of(OpKind.CREATE_TENSOR, 1, OpKind.OPEN_MESH, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MeshallocArbitraries.anyOp(s.model(), SMALL, weights));
        assertEquals("no operation with a positive weight is legal in this state", e.getMessage());
    }

    @Test
    void anActionDrawsEveryIndexOfItsRangeAndNoOther() {
        var generator = MeshallocArbitraries.action(OpKind.OPEN_MESH).transformer().generator(1000);
        Random random = new Random(9);
        java.util.Set<String> drawn = new java.util.TreeSet<>();
        for (int i = 0; i < 3000; i++) {
            drawn.add(generator.next(random).value().transformation());
        }
        java.util.Set<String> expected = new java.util.TreeSet<>();
        for (int i = 0; i < MeshallocArbitraries.CHOICES; i++) {
            expected.add("open_mesh #" + i);
        }
        assertEquals(expected, drawn);
    }

    @Test
    void scriptsLeaveOutZeroWeightKindsAndNeedAtLeastOneStep() {
        java.util.Map<OpKind, Integer> weights = java.util.Map.of(OpKind.OPEN_MESH, 1, OpKind.CREATE_TENSOR, 2,
                OpKind.CLOSE_MESH, 0);
        var generator = MeshallocArbitraries.scripts(RuleSet.MESHALLOC_FIX, SMALL, weights, 8).generator(100);
        Random random = new Random(13);
        java.util.Set<OpKind> ran = java.util.EnumSet.noneOf(OpKind.class);
        for (int i = 0; i < 20; i++) {
            CheckedSession end = generator.next(random).value().run();
            assertTrue(end.session().stepCount() <= 8);
            end.session().steps().forEach(step -> ran.add(step.op().kind()));
        }
        assertEquals(java.util.EnumSet.of(OpKind.OPEN_MESH, OpKind.CREATE_TENSOR), ran);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MeshallocArbitraries.scripts(RuleSet.MESHALLOC_FIX, SMALL, weights, 0));
        assertEquals("maxSteps 0 must be positive", e.getMessage());
    }
}
