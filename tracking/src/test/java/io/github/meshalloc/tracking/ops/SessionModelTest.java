package io.github.meshalloc.tracking.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.mesh.MeshShape;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link SessionModel}: names are unique across kinds, and the held-handle view follows every new handle. */
class SessionModelTest {

    private static SessionModel model() {
        SessionModel m = new SessionModel(Catalog.DEFAULT.chipConfig());
        m.addProcess("p0");
        m.addMesh("m0", "p0", new MeshShape(1, 1));
        m.addChip("d0", "p0", 0);
        m.addHandle("t0", SessionModel.HandleKind.TENSOR, "m0", 1);
        return m;
    }

    @Test
    void everyNameIsTakenOnceAcrossProcessesMeshesChipsAndHandles() {
        SessionModel m = model();
        for (String name : List.of("p0", "m0", "d0", "t0")) {
            assertFalse(m.isFresh(name), name);
            IllegalArgumentException p = assertThrows(IllegalArgumentException.class, () -> m.addProcess(name));
            assertEquals("name " + name + " is taken", p.getMessage());
            assertThrows(IllegalArgumentException.class, () -> m.addMesh(name, "p0", new MeshShape(1, 1)));
            assertThrows(IllegalArgumentException.class, () -> m.addChip(name, "p0", 1));
            assertThrows(IllegalArgumentException.class,
                    () -> m.addHandle(name, SessionModel.HandleKind.TENSOR, "m0", 1));
        }
        assertTrue(m.isFresh("t1"));
        assertEquals(1, m.processCount());
        assertEquals(List.of("t0"), m.handles().stream().map(SessionModel.HandleInfo::name).toList());
    }

    @Test
    void aNameWithoutDigitsReservesNothingAndANewHandleIsHeldAtOnce() {
        SessionModel m = model();
        m.addProcess("main");
        assertTrue(m.isAlive("main"));
        assertEquals("p1", m.nextName("p"));
        assertEquals(List.of("t0"), m.heldHandles().stream().map(SessionModel.HandleInfo::name).toList());
        m.addHandle("t1", SessionModel.HandleKind.TENSOR, "m0", 1);
        assertEquals(List.of("t0", "t1"), m.heldHandles().stream().map(SessionModel.HandleInfo::name).toList());
    }
}
