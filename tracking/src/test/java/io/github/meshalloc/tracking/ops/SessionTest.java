package io.github.meshalloc.tracking.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.mesh.MeshShape;
import io.github.meshalloc.tracking.RuleSet;
import io.github.meshalloc.tracking.SimulatedProcess;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Session}: steps as outcomes, handle look-ups and the process names it refuses. */
class SessionTest {

    @Test
    void applyAllReturnsEveryStepNumberedWithTheErrorItRaised() {
        Session session = Session.start(RuleSet.MESHALLOC_FIX);
        Op refused = new Op.ClearSubDeviceManager("m0");
        List<Session.Step> steps = session.applyAll(List.of(new Op.OpenMesh("p0", "m0", new MeshShape(1, 1)),
                new Op.LoadSubDeviceManager("m0", 64 * 1024),
                new Op.CreateTensor("m0", "t0", TensorChoice.L1_SUB_DEVICE), refused));
        assertEquals(session.steps(), steps);
        assertEquals(List.of(1, 2, 3, 4), steps.stream().map(Session.Step::index).toList());
        assertEquals("  1. p0: m0 = open_mesh_device(1x1)", steps.get(0).toString());
        String raised = steps.get(3).raised().orElseThrow();
        assertTrue(raised.startsWith("TtFatalException: Cannot switch sub device managers while sub devices still "
                + "have local allocations"), raised);
        assertEquals("  4. " + refused + "  -> raised: " + raised, steps.get(3).toString());
    }

    @Test
    void anUnknownHandleIsRefusedWithTheNamesKnown() {
        Session session = Session.start(RuleSet.MESHALLOC_FIX);
        session.apply(new Op.OpenMesh("p0", "m0", new MeshShape(1, 1)));
        IllegalArgumentException mesh = assertThrows(IllegalArgumentException.class, () -> session.mesh("m9"));
        assertEquals("no mesh named 'm9'; known: [m0]", mesh.getMessage());
        IllegalArgumentException chip = assertThrows(IllegalArgumentException.class, () -> session.chip("m0"));
        assertEquals("no chip named 'm0'; known: []", chip.getMessage());
        IllegalArgumentException buffer = assertThrows(IllegalArgumentException.class,
                () -> session.meshBuffer("t0"));
        assertEquals("no mesh buffer named 't0'; known: []", buffer.getMessage());
        assertEquals(1, session.stepCount());
    }

    @Test
    void aProcessNameInUseIsRefusedBeforeAnyProcessStarts() {
        Session session = Session.start(RuleSet.MESHALLOC_FIX);
        session.apply(new Op.OpenMesh("p0", "m0", new MeshShape(1, 1)));
        SimulatedProcess p0 = session.process("p0");
        for (String taken : List.of("p0", "m0")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> session.startProcess(taken));
            assertEquals("name " + taken + " is taken", e.getMessage());
            assertEquals(List.of(p0.pid()), session.host().livePids(), "no process started on the host");
            assertSame(p0, session.process("p0"));
            assertEquals(1, session.model().processCount());
        }
    }
}
