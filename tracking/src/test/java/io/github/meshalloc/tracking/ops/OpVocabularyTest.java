package io.github.meshalloc.tracking.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.mesh.MeshShape;
import io.github.meshalloc.tracking.RuleSet;
import io.github.meshalloc.tracking.ops.SessionModel.HandleInfo;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** The operation vocabulary: legality, printing, renaming and the session's handling of each kind. */
class OpVocabularyTest {

    private static final Catalog SMALL = Catalog.DEFAULT.withMeshShapes(
            List.of(new MeshShape(1, 1), new MeshShape(1, 2), new MeshShape(2, 4)));

    /** A random walk over legal operations; every step checks OpSpace against the preconditions. */
    @Property(tries = 60)
    void everyListedOpIsLegalAndEveryPossibleKindListsOne(@ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        OpSpace space = new OpSpace(SMALL);
        Session session = Session.start(RuleSet.MESHALLOC_FIX, SMALL);
        for (int step = 0; step < 40; step++) {
            List<Op> candidates = new ArrayList<>();
            for (OpKind kind : OpKind.values()) {
                List<Op> legal = space.legal(kind, session.model());
                assertEquals(!legal.isEmpty(), space.possible(kind, session.model()), kind + " after " + step);
                for (Op op : legal) {
                    assertEquals(kind, op.kind());
                    assertTrue(op.precondition(session.model()), "listed but illegal: " + op);
                }
                candidates.addAll(legal);
            }
            session.apply(candidates.get(random.nextInt(candidates.size())));
        }
    }

    @Property(tries = 30)
    void everyOpPrintsAsOneLineInBothForms(@ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        OpSpace space = new OpSpace(SMALL);
        Session session = Session.start(RuleSet.SEED_002_AFTER, SMALL);
        for (int step = 0; step < 30; step++) {
            List<Op> candidates = new ArrayList<>();
            for (OpKind kind : OpKind.values()) {
                candidates.addAll(space.legal(kind, session.model()));
            }
            Op op = candidates.get(random.nextInt(candidates.size()));
            for (String line : List.of(op.toString(), op.toPython())) {
                assertFalse(line.isBlank());
                assertFalse(line.contains("\n"), line);
            }
            for (String name : op.names()) {
                assertTrue(op.toString().contains(name), name + " in " + op);
                // A Python line runs inside its process; only process-level operations name one.
                boolean process = name.matches("p\\d+");
                assertTrue(process && !(op instanceof Op.StartProcess || op instanceof Op.EndProcess
                        || op instanceof Op.KillProcess) || op.toPython().contains(name), name + " in " + op.toPython());
            }
            session.apply(op);
        }
    }

    @Test
    void renamingMapsEveryName() {
        List<Op> ops = List.of(new Op.OpenMesh("p3", "m7", new MeshShape(1, 2)),
                new Op.CreateTensor("m7", "t9", TensorChoice.L1_64_PAGES), new Op.CreateView("t9", "v4", 1, 3),
                new Op.RunProgram("m7", ProgramChoice.ADD, Optional.of("t9")), new Op.Drop("v4"));
        for (Op op : ops) {
            Op renamed = op.renamed(n -> "x" + n);
            assertEquals(op.names().stream().map(n -> "x" + n).toList(), renamed.names());
            assertEquals(op.kind(), renamed.kind());
        }
    }

    @Test
    void anIllegalOpIsRefusedNotSkipped() {
        Session session = Session.start(RuleSet.MESHALLOC_FIX);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> session.apply(new Op.CreateTensor("m0", "t0", TensorChoice.DRAM_1_PAGE)));
        assertTrue(e.getMessage().contains("m0: t0 = tensor dram-1p"), e.getMessage());
        assertEquals(0, session.stepCount());
    }

    @Test
    void aModelledTtFatalIsAnOutcomeAndLeavesTheModelAlone() {
        Session session = Session.start(RuleSet.MESHALLOC_FIX);
        session.apply(new Op.OpenMesh("p0", "m0", new MeshShape(1, 1)));
        session.apply(new Op.LoadSubDeviceManager("m0", 64 * 1024));
        session.apply(new Op.CreateTensor("m0", "t0", TensorChoice.L1_SUB_DEVICE));
        Session.Step refused = session.apply(new Op.ClearSubDeviceManager("m0"));
        assertTrue(refused.raised().orElseThrow().contains(
                "Cannot switch sub device managers while sub devices still have local allocations"),
                refused.toString());
        assertTrue(session.model().mesh("m0").orElseThrow().subDeviceManagerLoaded());
        session.apply(new Op.Deallocate("t0", false));
        assertTrue(session.apply(new Op.ClearSubDeviceManager("m0")).raised().isEmpty());
        assertFalse(session.model().mesh("m0").orElseThrow().subDeviceManagerLoaded());
    }

    @Test
    void aTensorOnASubDeviceNeedsALoadedManager() {
        Session session = Session.start(RuleSet.MESHALLOC_FIX);
        session.apply(new Op.OpenMesh("p0", "m0", new MeshShape(1, 2)));
        assertFalse(new Op.CreateTensor("m0", "t0", TensorChoice.L1_SUB_DEVICE).precondition(session.model()));
        session.apply(new Op.LoadSubDeviceManager("m0", 64 * 1024));
        assertTrue(new Op.CreateTensor("m0", "t0", TensorChoice.L1_SUB_DEVICE).precondition(session.model()));
    }

    @Test
    void chipsAreUsedByOneOpenDeviceAtATime() {
        Session session = Session.start(RuleSet.MESHALLOC_FIX);
        session.apply(new Op.OpenChip("p0", "d0", 7));
        assertTrue(new Op.OpenMesh("p0", "m0", new MeshShape(1, 2)).precondition(session.model()));
        assertFalse(new Op.OpenMesh("p0", "m0", new MeshShape(2, 4)).precondition(session.model()),
                "the T3K 2x4 placement uses chip 7");
        session.apply(new Op.StartProcess("p1"));
        assertFalse(new Op.OpenChip("p1", "d1", 7).precondition(session.model()));
        session.apply(new Op.KillProcess("p0"));
        assertTrue(new Op.OpenChip("p1", "d1", 7).precondition(session.model()), "a killed process frees its chips");
    }

    @Test
    void theEndOfAScriptClosesItsDevicesAndReleasesItsObjects() {
        Session session = Session.start(RuleSet.MESHALLOC_FIX);
        session.applyAll(List.of(new Op.OpenMesh("p0", "m0", new MeshShape(1, 2)),
                new Op.CreateTensor("m0", "t0", TensorChoice.DRAM_13_PAGES), new Op.CreateView("t0", "v0", 0, 1),
                new Op.OpenChip("p0", "d0", 7),
                new Op.CreateChipBuffer("d0", "b0", ChipBufferChoice.L1_1_PAGE), new Op.EndProcess("p0")));
        assertFalse(session.mesh("m0").isInitialized());
        assertFalse(session.chip("d0").isInitialized());
        assertTrue(session.meshBuffer("t0").isDestroyed() && session.meshBuffer("v0").isDestroyed());
        assertTrue(session.chipBuffer("b0").isDestroyed());
        assertTrue(session.model().heldHandles().isEmpty());
        assertEquals(List.of(), session.host().livePids());
        assertTrue(session.report().isEmpty(), session.report()::render);
    }

    @Test
    void theTeardownEndsEveryLiveProcessInStartOrder() {
        Session session = Session.start(RuleSet.MESHALLOC_FIX);
        session.apply(new Op.StartProcess("p1"));
        session.apply(new Op.StartProcess("p2"));
        session.apply(new Op.KillProcess("p1"));
        assertEquals(List.of(new Op.EndProcess("p0"), new Op.EndProcess("p2")),
                new OpSpace(SMALL).teardown(session.model()));
    }

    @Test
    void shrinkingMovesArgumentsTowardTheFrontOfTheCatalog() {
        Op open = new Op.OpenMesh("p1", "m0", new MeshShape(2, 4));
        assertEquals(List.of(new Op.OpenMesh("p0", "m0", new MeshShape(2, 4)),
                new Op.OpenMesh("p1", "m0", new MeshShape(1, 1)), new Op.OpenMesh("p1", "m0", new MeshShape(1, 2))),
                open.simpler(SMALL));
        assertEquals(List.of(), new Op.CreateTensor("m0", "t0", TensorChoice.DRAM_1_PAGE).simpler(SMALL));
        assertEquals(2, new Op.CreateTensor("m0", "t0", TensorChoice.DRAM_13_PAGES).simpler(SMALL).size());
        assertEquals(List.of(new Op.RunProgram("m0", ProgramChoice.ADD, Optional.empty()),
                        new Op.RunProgram("m0", ProgramChoice.CB_ONLY, Optional.of("t0"))),
                new Op.RunProgram("m0", ProgramChoice.ADD, Optional.of("t0")).simpler(SMALL));
    }

    @Test
    void pythonLinesFollowTtnn() {
        assertEquals("m0 = ttnn.open_mesh_device(ttnn.MeshShape(2, 4))",
                new Op.OpenMesh("p0", "m0", new MeshShape(2, 4)).toPython());
        assertEquals("t0 = ttnn.from_torch(torch.zeros((1, 1, 32, 416), dtype=torch.bfloat16), dtype=ttnn.bfloat16, "
                + "layout=ttnn.TILE_LAYOUT, device=m0, memory_config=ttnn.DRAM_MEMORY_CONFIG, "
                + "mesh_mapper=ttnn.ReplicateTensorToMesh(m0))",
                new Op.CreateTensor("m0", "t0", TensorChoice.DRAM_13_PAGES).toPython());
        assertEquals("ttnn.deallocate(t0)", new Op.Deallocate("t0", false).toPython());
        assertEquals("del t0", new Op.Drop("t0").toPython());
        assertEquals("m0.disable_and_clear_program_cache()", new Op.ClearProgramCache("m0").toPython());
        assertEquals("ttnn.close_mesh_device(m0)", new Op.CloseMesh("m0").toPython());
    }

    @Test
    void everyKindHasARecordAndEveryRecordAKind() {
        Set<OpKind> kinds = EnumSet.noneOf(OpKind.class);
        for (Class<?> c : Op.class.getPermittedSubclasses()) {
            assertTrue(c.isRecord(), c + " is a record");
            kinds.add(OpKind.valueOf(c.getSimpleName().replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase()));
        }
        assertEquals(EnumSet.allOf(OpKind.class), kinds);
    }

    @Test
    void handlesKeepTheirStateInTheModel() {
        Session session = Session.start(RuleSet.MESHALLOC_FIX);
        session.applyAll(List.of(new Op.OpenMesh("p0", "m0", new MeshShape(1, 1)),
                new Op.CreateTensor("m0", "t0", TensorChoice.DRAM_25_PAGES), new Op.Deallocate("t0", false)));
        HandleInfo t0 = session.model().handle("t0").orElseThrow();
        assertEquals(25, t0.pages());
        assertTrue(t0.deallocated() && !t0.dropped());
        assertFalse(new Op.CreateView("t0", "v0", 0, 1).precondition(session.model()), "a deallocated parent");
        assertTrue(new Op.Deallocate("t0", false).precondition(session.model()), "deallocating twice is legal");
        assertFalse(new Op.Deallocate("t0", true).precondition(session.model()), "t0 is not a single-chip buffer");
    }

    @Test
    void renamingBuildsTheSameOpOverTheMappedNamesForEveryKind() {
        UnaryOperator<String> x = n -> "x" + n;
        Map<Op, Op> expected = new LinkedHashMap<>();
        expected.put(new Op.OpenMesh("p1", "m0", new MeshShape(1, 2)),
                new Op.OpenMesh("xp1", "xm0", new MeshShape(1, 2)));
        expected.put(new Op.CloseMesh("m0"), new Op.CloseMesh("xm0"));
        expected.put(new Op.OpenChip("p1", "c0", 7), new Op.OpenChip("xp1", "xc0", 7));
        expected.put(new Op.CloseChip("c0"), new Op.CloseChip("xc0"));
        expected.put(new Op.CreateTensor("m0", "t0", TensorChoice.L1_1_PAGE),
                new Op.CreateTensor("xm0", "xt0", TensorChoice.L1_1_PAGE));
        expected.put(new Op.CreateChipBuffer("c0", "b0", ChipBufferChoice.L1_65_PAGES),
                new Op.CreateChipBuffer("xc0", "xb0", ChipBufferChoice.L1_65_PAGES));
        expected.put(new Op.CreateView("t0", "v0", 2, 3), new Op.CreateView("xt0", "xv0", 2, 3));
        expected.put(new Op.CreatePreallocated("t0", "a0"), new Op.CreatePreallocated("xt0", "xa0"));
        expected.put(new Op.Deallocate("b0", true), new Op.Deallocate("xb0", true));
        expected.put(new Op.Drop("t0"), new Op.Drop("xt0"));
        expected.put(new Op.RunProgram("m0", ProgramChoice.ADD, Optional.of("t0")),
                new Op.RunProgram("xm0", ProgramChoice.ADD, Optional.of("xt0")));
        expected.put(new Op.ClearProgramCache("m0"), new Op.ClearProgramCache("xm0"));
        expected.put(new Op.LoadSubDeviceManager("m0", 32768), new Op.LoadSubDeviceManager("xm0", 32768));
        expected.put(new Op.ClearSubDeviceManager("m0"), new Op.ClearSubDeviceManager("xm0"));
        expected.put(new Op.StartProcess("p1"), new Op.StartProcess("xp1"));
        expected.put(new Op.EndProcess("p1"), new Op.EndProcess("xp1"));
        expected.put(new Op.KillProcess("p1"), new Op.KillProcess("xp1"));
        expected.put(new Op.StopServer(), new Op.StopServer());
        expected.put(new Op.StartServer(), new Op.StartServer());
        expected.put(new Op.RestartServer(), new Op.RestartServer());
        assertEquals(EnumSet.allOf(OpKind.class),
                expected.keySet().stream().map(Op::kind)
                        .collect(Collectors.toCollection(() -> EnumSet.noneOf(OpKind.class))),
                "every kind");
        expected.forEach((op, want) -> assertEquals(want, op.renamed(x), op.toString()));
    }

    @Test
    void shrinkingChipsViewsChipBuffersAndSubDeviceManagersTowardTheFront() {
        assertEquals(List.of(new Op.OpenChip("p0", "c0", 7)), new Op.OpenChip("p2", "c0", 7).simpler(SMALL));
        assertEquals(List.of(), new Op.OpenChip("p0", "c0", 7).simpler(SMALL));
        assertEquals(List.of(new Op.CreateChipBuffer("c0", "b0", ChipBufferChoice.DRAM_1_PAGE),
                        new Op.CreateChipBuffer("c0", "b0", ChipBufferChoice.DRAM_13_PAGES)),
                new Op.CreateChipBuffer("c0", "b0", ChipBufferChoice.L1_1_PAGE).simpler(SMALL));
        assertEquals(List.of(), new Op.CreateChipBuffer("c0", "b0", ChipBufferChoice.DRAM_1_PAGE).simpler(SMALL));
        assertEquals(List.of(new Op.CreateView("t0", "v0", 0, 3), new Op.CreateView("t0", "v0", 2, 1)),
                new Op.CreateView("t0", "v0", 2, 3).simpler(SMALL));
        assertEquals(List.of(new Op.CreateView("t0", "v0", 0, 1)), new Op.CreateView("t0", "v0", 0, 4).simpler(SMALL));
        assertEquals(List.of(new Op.CreateView("t0", "v0", 0, 1)), new Op.CreateView("t0", "v0", 5, 1).simpler(SMALL));
        assertEquals(List.of(), new Op.CreateView("t0", "v0", 0, 1).simpler(SMALL));
        Catalog two = new Catalog(SMALL.meshShapes(), SMALL.tensors(), SMALL.chipBuffers(), SMALL.programs(),
                SMALL.singleChips(), List.of(16384L, 32768L, 65536L), SMALL.chipConfig(), SMALL.maxProcesses());
        assertEquals(List.of(new Op.LoadSubDeviceManager("m0", 16384), new Op.LoadSubDeviceManager("m0", 32768)),
                new Op.LoadSubDeviceManager("m0", 65536).simpler(two));
        assertEquals(List.of(), new Op.LoadSubDeviceManager("m0", 16384).simpler(two));
    }

    /** One op of every kind with the handles it mentions, in the order its record lists them. */
    private static Map<Op, List<String>> oneOpOfEveryKindWithItsNames() {
        Map<Op, List<String>> names = new LinkedHashMap<>();
        names.put(new Op.OpenMesh("p1", "m0", new MeshShape(1, 2)), List.of("p1", "m0"));
        names.put(new Op.CloseMesh("m0"), List.of("m0"));
        names.put(new Op.OpenChip("p1", "d0", 7), List.of("p1", "d0"));
        names.put(new Op.CloseChip("d0"), List.of("d0"));
        names.put(new Op.CreateTensor("m0", "t0", TensorChoice.L1_1_PAGE), List.of("m0", "t0"));
        names.put(new Op.CreateChipBuffer("d0", "b0", ChipBufferChoice.L1_65_PAGES), List.of("d0", "b0"));
        names.put(new Op.CreateView("t0", "v0", 2, 3), List.of("t0", "v0"));
        names.put(new Op.CreatePreallocated("t0", "a0"), List.of("t0", "a0"));
        names.put(new Op.Deallocate("b0", true), List.of("b0"));
        names.put(new Op.Drop("t0"), List.of("t0"));
        names.put(new Op.RunProgram("m0", ProgramChoice.ADD, Optional.of("t0")), List.of("m0", "t0"));
        names.put(new Op.ClearProgramCache("m0"), List.of("m0"));
        names.put(new Op.LoadSubDeviceManager("m0", 32768), List.of("m0"));
        names.put(new Op.ClearSubDeviceManager("m0"), List.of("m0"));
        names.put(new Op.StartProcess("p1"), List.of("p1"));
        names.put(new Op.EndProcess("p1"), List.of("p1"));
        names.put(new Op.KillProcess("p1"), List.of("p1"));
        names.put(new Op.StopServer(), List.of());
        names.put(new Op.StartServer(), List.of());
        names.put(new Op.RestartServer(), List.of());
        return names;
    }

    @Test
    void everyKindNamesEveryHandleItMentions() {
        Map<Op, List<String>> names = oneOpOfEveryKindWithItsNames();
        assertEquals(EnumSet.allOf(OpKind.class), names.keySet().stream().map(Op::kind)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(OpKind.class))), "every kind");
        names.forEach((op, want) -> assertEquals(want, op.names(), op.toString()));
        assertEquals(List.of("m0"), new Op.RunProgram("m0", ProgramChoice.ADD, Optional.empty()).names(),
                "no keep-alive, no second name");
    }

    /**
     * What the shrinker relies on when it renames a counterexample's handles in order of appearance: {@code names()}
     * lists exactly the names {@code renamed} maps. Mapping only the listed names is the same as mapping every name,
     * and mapping any one listed name changes the op.
     */
    @Property(tries = 30)
    void renamingTouchesExactlyTheListedNames(@ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        OpSpace space = new OpSpace(SMALL);
        Session session = Session.start(RuleSet.MESHALLOC_FIX, SMALL);
        List<Op> seen = new ArrayList<>(oneOpOfEveryKindWithItsNames().keySet());
        for (int step = 0; step < 30; step++) {
            List<Op> candidates = new ArrayList<>();
            for (OpKind kind : OpKind.values()) {
                candidates.addAll(space.legal(kind, session.model()));
            }
            Op op = candidates.get(random.nextInt(candidates.size()));
            seen.add(op);
            session.apply(op);
        }
        for (Op op : seen) {
            List<String> names = op.names();
            assertEquals(op.renamed(n -> "z" + n), op.renamed(n -> names.contains(n) ? "z" + n : n), op.toString());
            for (String name : names) {
                assertFalse(op.equals(op.renamed(n -> n.equals(name) ? "z" + n : n)), name + " in " + op);
            }
        }
    }

    /** Every kind's Python line, pinned (the random walks reach the rarer kinds only by chance). */
    @Test
    void everyKindPrintsItsPythonLine() {
        Map<Op, String> python = new LinkedHashMap<>();
        python.put(new Op.OpenMesh("p1", "m0", new MeshShape(1, 2)), "m0 = ttnn.open_mesh_device(ttnn.MeshShape(1, 2))");
        python.put(new Op.CloseMesh("m0"), "ttnn.close_mesh_device(m0)");
        python.put(new Op.OpenChip("p1", "d0", 7), "d0 = repro.create_device(7)");
        python.put(new Op.CloseChip("d0"), "repro.close_device(d0)");
        python.put(new Op.CreateTensor("m0", "t0", TensorChoice.L1_SUB_DEVICE), "t0 = repro.tensor_on_sub_device(m0, "
                + TensorChoice.L1_SUB_DEVICE.pythonShape() + ", " + TensorChoice.L1_SUB_DEVICE.pythonMemoryConfig()
                + ", sub_device_id=0)");
        python.put(new Op.CreateChipBuffer("d0", "b0", ChipBufferChoice.L1_65_PAGES),
                "b0 = repro.create_buffer(d0, size=133120, page_size=2048, buffer_type=ttnn.BufferType.L1)");
        python.put(new Op.CreateView("t0", "v0", 2, 3), "v0 = repro.view(t0, offset=4096, size=6144)");
        python.put(new Op.CreatePreallocated("t0", "a0"), "a0 = repro.mesh_buffer_at(t0.buffer_address(), like=t0)");
        python.put(new Op.Deallocate("b0", true), "repro.deallocate_buffer(b0)");
        python.put(new Op.Drop("t0"), "del t0");
        python.put(new Op.RunProgram("m0", ProgramChoice.ADD, Optional.of("t0")),
                "repro.run_program(m0, \"" + ProgramChoice.ADD.spec().name() + "\", keep_alive=[t0])");
        python.put(new Op.ClearProgramCache("m0"), "m0.disable_and_clear_program_cache()");
        python.put(new Op.LoadSubDeviceManager("m0", 32768),
                "sdm = m0.create_sub_device_manager(repro.halves(m0), 32768); m0.load_sub_device_manager(sdm)");
        python.put(new Op.ClearSubDeviceManager("m0"), "m0.clear_loaded_sub_device_manager()");
        python.put(new Op.StartProcess("p1"), "repro.start_process(\"p1\")");
        python.put(new Op.EndProcess("p1"),
                "repro.end_process(\"p1\")  # devices closed, objects released, interpreter exits");
        python.put(new Op.KillProcess("p1"), "repro.kill_process(\"p1\")  # SIGKILL, then the server's sweep");
        python.put(new Op.StopServer(), "repro.stop_server()");
        python.put(new Op.StartServer(), "repro.start_server()");
        python.put(new Op.RestartServer(), "repro.restart_server()");
        assertEquals(EnumSet.allOf(OpKind.class), python.keySet().stream().map(Op::kind)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(OpKind.class))), "every kind");
        python.forEach((op, want) -> assertEquals(want, op.toPython(), op.toString()));
        assertEquals("repro.run_program(m0, \"" + ProgramChoice.ADD.spec().name() + "\", keep_alive=[])",
                new Op.RunProgram("m0", ProgramChoice.ADD, Optional.empty()).toPython());
    }

    @Test
    void aViewPrintsItsRegionInBytesForPythonAndInPagesForPeople() {
        Op view = new Op.CreateView("t0", "v0", 2, 3);
        assertEquals("v0 = repro.view(t0, offset=" + 2 * TensorChoice.PAGE + ", size=" + 3 * TensorChoice.PAGE + ")",
                view.toPython());
        assertEquals("v0 = repro.view(t0, offset=4096, size=6144)", view.toPython());
        assertEquals("v0 = view of t0 pages [2, 5)", view.toString());
    }

    @Test
    void aTensorSaysInItsLineWhetherItIsOnASubDevice() {
        assertEquals("m0: t0 = tensor " + TensorChoice.L1_SUB_DEVICE.name() + " "
                        + TensorChoice.L1_SUB_DEVICE.pythonShape() + " on sub-device 0",
                new Op.CreateTensor("m0", "t0", TensorChoice.L1_SUB_DEVICE).toString());
        assertEquals("m0: t0 = tensor dram-13p " + TensorChoice.DRAM_13_PAGES.pythonShape(),
                new Op.CreateTensor("m0", "t0", TensorChoice.DRAM_13_PAGES).toString());
    }

    @Test
    void aSubDeviceTensorPrintsTheReproHelperWithSubDeviceZero() {
        String py = new Op.CreateTensor("m0", "t0", TensorChoice.L1_SUB_DEVICE).toPython();
        assertEquals("t0 = repro.tensor_on_sub_device(m0, " + TensorChoice.L1_SUB_DEVICE.pythonShape() + ", "
                + TensorChoice.L1_SUB_DEVICE.pythonMemoryConfig() + ", sub_device_id=0)", py);
    }

    @Test
    void choicesPrintTheirCatalogNames() {
        assertEquals("dram-1p", TensorChoice.DRAM_1_PAGE.toString());
        assertEquals("l1-65p", ChipBufferChoice.L1_65_PAGES.toString());
        assertEquals("add", ProgramChoice.ADD.toString());
        assertEquals("cb-only", ProgramChoice.CB_ONLY.toString());
        assertEquals(2, Catalog.DEFAULT.withMaxProcesses(2).maxProcesses());
        assertEquals(Catalog.DEFAULT.meshShapes(), Catalog.DEFAULT.withMaxProcesses(2).meshShapes());
    }
}
