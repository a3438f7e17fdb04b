package io.github.meshalloc.tracking.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.allocator.AllocatorConfig;
import io.github.meshalloc.allocator.ArchPreset;
import io.github.meshalloc.allocator.Buffer;
import io.github.meshalloc.allocator.BufferType;
import io.github.meshalloc.allocator.CoreCoord;
import io.github.meshalloc.allocator.CoreRange;
import io.github.meshalloc.allocator.CoreRangeSet;
import io.github.meshalloc.allocator.SubDevice;
import io.github.meshalloc.mesh.MeshBuffer;
import io.github.meshalloc.mesh.MeshShape;
import io.github.meshalloc.tracking.RuleSet;
import io.github.meshalloc.tracking.explore.BalanceExplorer;
import io.github.meshalloc.tracking.ops.SessionModel.HandleInfo;
import io.github.meshalloc.tracking.ops.SessionModel.HandleKind;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * What each operation does to the session and to its model, and why a precondition refuses what it refuses: the
 * explorer's replay (the shrinker's) skips an op whose precondition fails, so a precondition that held where the op
 * cannot run would make it throw or corrupt the model instead.
 */
class OpEffectsTest {

    private static final Catalog SMALL = Catalog.DEFAULT.withMeshShapes(
            List.of(new MeshShape(1, 1), new MeshShape(1, 2), new MeshShape(2, 4)));

    private static List<Op> replayed(Op... ops) {
        return BalanceExplorer.replay(RuleSet.MESHALLOC_FIX, SMALL, List.of(ops)).ops();
    }

    private static Session sessionWith(Op... ops) {
        Session session = Session.start(RuleSet.MESHALLOC_FIX, SMALL);
        for (Session.Step step : session.applyAll(List.of(ops))) {
            assertTrue(step.raised().isEmpty(), step.toString());
        }
        return session;
    }

    private static final Op OPEN = new Op.OpenMesh("p0", "m0", new MeshShape(1, 2));
    private static final Op TENSOR = new Op.CreateTensor("m0", "t0", TensorChoice.DRAM_25_PAGES);

    // ------------------------------------------------------------------------------------------------ views

    @Test
    void aViewCoversItsPagesOfTheParentOnEveryChip() {
        Session session = sessionWith(OPEN, TENSOR, new Op.CreateView("t0", "v0", 2, 3));
        MeshBuffer parent = session.meshBuffer("t0");
        MeshBuffer view = session.meshBuffer("v0");
        assertEquals(Optional.of(parent), view.parent());
        assertEquals(3 * TensorChoice.PAGE, view.deviceLocalSize());
        assertEquals(2, view.deviceBuffers().size());
        for (Buffer b : view.deviceBuffers().values()) {
            assertEquals(3 * TensorChoice.PAGE, b.size());
            assertEquals(2 * TensorChoice.PAGE, b.rootBufferOffset());
            assertEquals(parent.address(), b.address());
        }
        HandleInfo v0 = session.model().handle("v0").orElseThrow();
        assertEquals(new HandleInfo("v0", HandleKind.VIEW, "m0", 3, false, false), v0);
    }

    @Test
    void aViewPastTheParentsLastPageIsNeverApplied() {
        Session session = sessionWith(OPEN, TENSOR);
        Op lastPage = new Op.CreateView("t0", "v0", 24, 1);
        Op pastTheEnd = new Op.CreateView("t0", "v0", 24, 2);
        assertTrue(lastPage.precondition(session.model()));
        assertFalse(pastTheEnd.precondition(session.model()));
        assertEquals(List.of(OPEN, TENSOR), replayed(OPEN, TENSOR, pastTheEnd));
        // Applied anyway, MeshBuffer::view refuses the region: not a modelled tt-metal error but a crash of the run.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pastTheEnd.apply(session));
        assertTrue(e.getMessage().startsWith("Region must be within buffer: [49152, 53248)"), e.getMessage());
        assertTrue(session.model().isFresh("v0"));
    }

    @Test
    void aWholeBufferViewIsNotAViewAndIsNeverApplied() {
        Session session = sessionWith(OPEN, TENSOR);
        Op whole = new Op.CreateView("t0", "v0", 0, 25);
        assertTrue(new Op.CreateView("t0", "v0", 1, 24).precondition(session.model()), "the largest proper view");
        assertFalse(whole.precondition(session.model()));
        assertEquals(List.of(OPEN, TENSOR), replayed(OPEN, TENSOR, whole));
        // Applied anyway, MeshBuffer::view hands back the parent itself: deallocating "the view" then deallocates the
        // tensor while the model still reads it as allocated.
        whole.apply(session);
        assertSame(session.meshBuffer("t0"), session.meshBuffer("v0"));
        session.apply(new Op.Deallocate("v0", false));
        assertFalse(session.meshBuffer("t0").isAllocated());
        assertFalse(session.model().handle("t0").orElseThrow().deallocated(), "the model is now wrong about t0");
    }

    // ------------------------------------------------------------------------------------------------ aliases

    @Test
    void aPreallocatedBufferIsAHeldHandleAtItsTargetsAddress() {
        Session session = sessionWith(OPEN, TENSOR, new Op.CreatePreallocated("t0", "a0"));
        assertEquals(new HandleInfo("a0", HandleKind.PREALLOCATED, "m0", 25, false, false),
                session.model().handle("a0").orElseThrow());
        assertEquals(session.meshBuffer("t0").address(), session.meshBuffer("a0").address());
        assertTrue(new Op.Drop("a0").precondition(session.model()), "the script holds it");
        assertEquals("a1", session.model().nextName("a"));
    }

    // ------------------------------------------------------------------------------------------------ buffers

    @Test
    void deallocatingAChipBufferFreesItsMemoryForTheNextBuffer() {
        Session session = sessionWith(new Op.OpenChip("p0", "d0", 7),
                new Op.CreateChipBuffer("d0", "b0", ChipBufferChoice.L1_65_PAGES), new Op.Deallocate("b0", true));
        Buffer b0 = session.chipBuffer("b0");
        assertFalse(b0.isAllocated());
        Buffer again = Buffer.create(session.chip("d0"), ChipBufferChoice.L1_65_PAGES.size(), ChipBufferChoice.PAGE,
                BufferType.L1);
        assertEquals(b0.address(), again.address(), "the allocator has the region back");
        assertTrue(session.model().handle("b0").orElseThrow().deallocated());
    }

    // ------------------------------------------------------------------------------------------------ programs

    @Test
    void aProgramKeepsOnlyAnAllocatedTensorOfItsMeshAlive() {
        Op view = new Op.CreateView("t0", "v0", 0, 1);
        Op keepView = new Op.RunProgram("m0", ProgramChoice.ADD, Optional.of("v0"));
        Op dealloc = new Op.Deallocate("t0", false);
        Op keepDeallocated = new Op.RunProgram("m0", ProgramChoice.ADD, Optional.of("t0"));
        assertEquals(List.of(OPEN, TENSOR, view), replayed(OPEN, TENSOR, view, keepView));
        assertEquals(List.of(OPEN, TENSOR, dealloc), replayed(OPEN, TENSOR, dealloc, keepDeallocated));
        // Applied anyway: a view owns no backing buffer to keep.
        Session session = sessionWith(OPEN, TENSOR, view);
        assertFalse(keepView.precondition(session.model()));
        assertThrows(java.util.NoSuchElementException.class, () -> keepView.apply(session));
    }

    // ------------------------------------------------------------------------------------------------ sub-devices

    private static List<CoreRangeSet> halvesLoadedOn(Catalog catalog) {
        Session session = Session.start(RuleSet.MESHALLOC_FIX, catalog);
        session.applyAll(List.of(new Op.OpenMesh("p0", "m0", new MeshShape(1, 1)),
                new Op.LoadSubDeviceManager("m0", 64 * 1024)));
        return session.mesh("m0").subDeviceManagerTracker().activeSubDeviceManager().subDevices().stream()
                .map(SubDevice::tensixCores).toList();
    }

    @Test
    void theSubDeviceManagerSplitsTheComputeGridIntoItsLeftAndRightHalves() {
        // Wormhole B0: an 8x8 compute grid, so columns 0-3 and 4-7.
        assertEquals(List.of(CoreRangeSet.of(new CoreRange(new CoreCoord(0, 0), new CoreCoord(3, 7))),
                        CoreRangeSet.of(new CoreRange(new CoreCoord(4, 0), new CoreCoord(7, 7)))),
                halvesLoadedOn(SMALL));
    }

    @Test
    void theHalvesFollowAComputeGridThatDoesNotStartAtColumnZero() {
        AllocatorConfig wh = ArchPreset.WORMHOLE_B0.config();
        CoreRangeSet columns2to7 = CoreRangeSet.of(new CoreRange(new CoreCoord(2, 0), new CoreCoord(7, 7)));
        AllocatorConfig shifted = new AllocatorConfig(wh.numDramChannels(), wh.dramBankSize(), wh.dramBankOffsets(),
                wh.dramUnreservedBase(), wh.dramAlignment(), wh.l1UnreservedBase(), wh.workerGrid(),
                wh.workerL1Size(), wh.l1SmallSize(), wh.traceRegionSize(), columns2to7, List.of(), wh.l1Alignment(),
                false);
        Catalog catalog = new Catalog(List.of(new MeshShape(1, 1)), SMALL.tensors(),
                SMALL.chipBuffers(), SMALL.programs(), SMALL.singleChips(), SMALL.subDeviceL1Sizes(), shifted,
                SMALL.maxProcesses());
        assertEquals(List.of(CoreRangeSet.of(new CoreRange(new CoreCoord(2, 0), new CoreCoord(4, 7))),
                        CoreRangeSet.of(new CoreRange(new CoreCoord(5, 0), new CoreCoord(7, 7)))),
                halvesLoadedOn(catalog));
    }

    @Test
    void withoutSubDeviceSizesTheExplorerNeverDrawsALoad() {
        Catalog none = new Catalog(SMALL.meshShapes(), SMALL.tensors(), SMALL.chipBuffers(), SMALL.programs(),
                SMALL.singleChips(), List.of(), SMALL.chipConfig(), SMALL.maxProcesses());
        OpSpace space = new OpSpace(none);
        Session session = Session.start(RuleSet.MESHALLOC_FIX, none);
        session.apply(new Op.OpenMesh("p0", "m0", new MeshShape(1, 1)));
        assertFalse(space.possible(OpKind.LOAD_SUB_DEVICE_MANAGER, session.model()));
        assertEquals(List.of(), space.legal(OpKind.LOAD_SUB_DEVICE_MANAGER, session.model()));
        assertEquals(Optional.empty(), BalanceExplorer.draw(space, Map.of(OpKind.LOAD_SUB_DEVICE_MANAGER, 1),
                session, new SplittableRandom(1)));
    }

    // ------------------------------------------------------------------------------------------------ processes

    @Test
    void theEndOfAScriptLeavesItsDevicesClosedAndItsHandlesDroppedInTheModel() {
        Session session = sessionWith(OPEN, TENSOR, new Op.OpenChip("p0", "d0", 7),
                new Op.CreateChipBuffer("d0", "b0", ChipBufferChoice.L1_1_PAGE), new Op.EndProcess("p0"));
        SessionModel model = session.model();
        assertFalse(model.mesh("m0").orElseThrow().open());
        assertFalse(model.chip("d0").orElseThrow().open());
        assertTrue(model.handle("t0").orElseThrow().dropped());
        assertTrue(model.handle("b0").orElseThrow().dropped());
        // The model agrees with the devices, which the end of the script closed.
        assertFalse(session.mesh("m0").isInitialized());
        assertFalse(session.chip("d0").isInitialized());
    }

    @Test
    void aKilledScriptClosesNothingAndTheModelSaysSo() {
        Session session = sessionWith(OPEN, TENSOR, new Op.KillProcess("p0"));
        assertTrue(session.model().mesh("m0").orElseThrow().open(), "kill -9 runs no destructor");
        assertFalse(session.model().handle("t0").orElseThrow().dropped());
        assertFalse(session.model().isOpenMesh("m0"), "but nothing of a dead process can be used");
        assertTrue(session.model().heldHandles().isEmpty());
    }

    @Test
    void aProcessIsKilledOnce() {
        Op kill = new Op.KillProcess("p0");
        assertEquals(List.of(kill), replayed(kill, kill));
        Session session = sessionWith(kill);
        assertFalse(kill.precondition(session.model()));
        // Applied anyway, the host refuses to kill a dead pid.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> kill.apply(session));
        assertTrue(e.getMessage().startsWith("no live process with pid 1000"), e.getMessage());
    }

    @Test
    void aProcessNeedsAFreshName() {
        Session session = sessionWith(OPEN, TENSOR);
        for (String taken : List.of("p0", "m0", "t0")) {
            Op start = new Op.StartProcess(taken);
            assertFalse(start.precondition(session.model()), taken);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> session.apply(start));
            assertEquals("operation 'start process " + taken + "' is not legal in this state", e.getMessage());
        }
        assertEquals(List.of(OPEN, TENSOR), replayed(OPEN, TENSOR, new Op.StartProcess("t0")));
        assertEquals(1, session.host().processes().size(), "no process was started");
    }

    // ------------------------------------------------------------------------------------------------ server

    @Test
    void stoppingTheServerStopsTheHostsServerAndStartingItAgainIsRecorded() {
        Session session = sessionWith(new Op.StopServer());
        assertFalse(session.host().isServerUp());
        assertFalse(session.model().serverUp());
        session.apply(new Op.StartServer());
        assertTrue(session.host().isServerUp());
        assertTrue(session.model().serverUp());
        assertTrue(new Op.StopServer().precondition(session.model()), "a started server can be stopped again");
        assertFalse(new Op.StartServer().precondition(session.model()));
    }

    @Test
    void theServerIsStoppedOnlyWhenUpAndStartedOnlyWhenDown() {
        Op stop = new Op.StopServer();
        Op start = new Op.StartServer();
        assertEquals(List.of(stop), replayed(stop, stop));
        assertEquals(List.of(), replayed(start));
        assertEquals(List.of(stop, start), replayed(stop, start, start));
    }

    @Test
    void aStartOfARunningServerWouldBeARestartThatLosesItsRegistry() {
        Session session = sessionWith(OPEN, TENSOR);
        assertFalse(new Op.StartServer().precondition(session.model()));
        int before = session.host().server().activeAllocations();
        assertTrue(before > 0);
        new Op.StartServer().apply(session);
        assertEquals(0, session.host().server().activeAllocations(), "the registry is gone, as with RestartServer");
    }

    @Test
    void aStoppedServerIsNotRestartedBehindTheModelsBack() {
        Op stop = new Op.StopServer();
        Op restart = new Op.RestartServer();
        assertEquals(List.of(stop), replayed(stop, restart));
        Session session = sessionWith(stop);
        assertFalse(restart.precondition(session.model()));
        // Applied anyway, the host's server would be up while the model says it is down.
        restart.apply(session);
        assertTrue(session.host().isServerUp());
        assertFalse(session.model().serverUp());
    }
}
