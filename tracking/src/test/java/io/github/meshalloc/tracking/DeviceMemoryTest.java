package io.github.meshalloc.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.allocator.Device;
import io.github.meshalloc.mesh.MeshDevice;
import io.github.meshalloc.mesh.MeshShape;
import io.github.meshalloc.tracking.ops.Catalog;
import io.github.meshalloc.tracking.server.ServerVersion;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link DeviceMemory}: the allocators of an open device, captured for the truth. */
class DeviceMemoryTest {

    private static SimulatedProcess process() {
        return new Host(ServerVersion.S4).startProcess(RuleSet.UPSTREAM);
    }

    @Test
    void aMeshCaptureListsTheMeshAllocatorThenEachChipsOwn() {
        SimulatedProcess p = process();
        MeshDevice mesh = p.openMesh(new MeshShape(1, 2), Catalog.DEFAULT.chipConfig());
        DeviceMemory memory = DeviceMemory.capture(p.pid(), mesh);
        List<Integer> chips = mesh.devices().stream().map(Device::id).toList();
        assertEquals(List.of("mesh " + mesh.id() + " allocator", "chip " + chips.get(0) + " allocator",
                        "chip " + chips.get(1) + " allocator"),
                memory.allocators().stream().map(DeviceMemory.AllocatorView::name).toList());
        assertEquals(chips, memory.allocators().get(0).chipIds());
        assertTrue(memory.allocators().get(0).meshWide());
        assertSame(memory, memory.merge(DeviceMemory.capture(p.pid(), mesh)), "nothing new to merge");
    }

    @Test
    void aClosedMeshOrChipCannotBeCaptured() {
        SimulatedProcess p = process();
        MeshDevice mesh = p.openMesh(new MeshShape(1, 1), Catalog.DEFAULT.chipConfig());
        mesh.close();
        IllegalStateException closedMesh = assertThrows(IllegalStateException.class,
                () -> DeviceMemory.capture(p.pid(), mesh));
        assertEquals("mesh " + mesh.id() + " is closed; capture its allocators while it is open",
                closedMesh.getMessage());
        Device chip = new Device(5, Catalog.DEFAULT.chipConfig(), p.context());
        IllegalStateException neverOpened = assertThrows(IllegalStateException.class,
                () -> DeviceMemory.capture(p.pid(), chip));
        assertEquals("chip 5 is closed; capture its allocators while it is open", neverOpened.getMessage());
        chip.initialize();
        assertEquals(List.of("chip 5 allocator"), DeviceMemory.capture(p.pid(), chip).allocators().stream()
                .map(DeviceMemory.AllocatorView::name).toList());
    }

    @Test
    void capturesOfDifferentDevicesAreNotMerged() {
        SimulatedProcess p = process();
        Device a = new Device(0, Catalog.DEFAULT.chipConfig(), p.context());
        Device b = new Device(1, Catalog.DEFAULT.chipConfig(), p.context());
        a.initialize();
        b.initialize();
        DeviceMemory first = DeviceMemory.capture(p.pid(), a);
        DeviceMemory other = DeviceMemory.capture(p.pid(), b);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> first.merge(other));
        assertEquals("captures of different devices cannot be merged: this capture is of Device{0, open}, the later "
                + "one of Device{1, open}; merge only later captures of the same device", e.getMessage());
        assertEquals(1, first.allocators().size(), "the capture is unchanged");
    }
}
