package io.github.meshalloc.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.allocator.AllocationReporter;
import io.github.meshalloc.allocator.AllocationStatus;
import io.github.meshalloc.allocator.Allocator;
import io.github.meshalloc.allocator.ArchPreset;
import io.github.meshalloc.allocator.Buffer;
import io.github.meshalloc.allocator.BufferShardingArgs;
import io.github.meshalloc.allocator.BufferType;
import io.github.meshalloc.allocator.CoreCoord;
import io.github.meshalloc.allocator.CoreRange;
import io.github.meshalloc.allocator.CoreRangeSet;
import io.github.meshalloc.allocator.GraphTracking;
import io.github.meshalloc.allocator.MetalContext;
import io.github.meshalloc.allocator.ShardOrientation;
import io.github.meshalloc.allocator.ShardSpecBuffer;
import io.github.meshalloc.allocator.SubDevice;
import io.github.meshalloc.allocator.TensorMemoryLayout;
import io.github.meshalloc.allocator.TtFatalException;
import io.github.meshalloc.allocator.rules.CoreRules;
import io.github.meshalloc.allocator.rules.SubDeviceManagerTeardown;
import io.github.meshalloc.mesh.rules.MeshRules;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Sub-device managers on a MeshDevice (reference 12.1-12.2) and the CB clash check across managers (11). */
class MeshSubDeviceTest {
    static final long PAGE = 2048;
    /** Wormhole B0 preset: L1 unreserved base and per-core L1. */
    static final long BASE = ArchPreset.WORMHOLE_B0.config().l1UnreservedBase();
    static final long W = ArchPreset.WORMHOLE_B0.config().workerL1Size();
    static final long LOCAL = 256 * 1024;
    /** Rows 0-3 and rows 4-5 of the 8x8 compute grid; rows 6-7 belong to no sub-device. */
    static final CoreRangeSet TOP = CoreRangeSet.of(CoreRange.grid(8, 4));
    static final CoreRangeSet MIDDLE = CoreRangeSet.of(new CoreRange(new CoreCoord(0, 4), new CoreCoord(7, 5)));
    static final CoreRangeSet BOTTOM = CoreRangeSet.of(new CoreRange(new CoreCoord(0, 6), new CoreCoord(7, 7)));

    static MeshDevice open(CoreRules rules) {
        MetalContext context = new MetalContext(rules, GraphTracking.NOOP, AllocationReporter.NOOP);
        return MeshDevice.open(MeshDeviceConfig.of(new MeshShape(2, 4), ArchPreset.WORMHOLE_B0.config()), context,
                MeshRules.UPSTREAM);
    }

    static BufferShardingArgs heightSharded(CoreRangeSet grid, int pagesPerShard) {
        return BufferShardingArgs.sharded(TensorMemoryLayout.HEIGHT_SHARDED, new ShardSpecBuffer(grid,
                32 * pagesPerShard, 32, ShardOrientation.ROW_MAJOR, 32, 32, pagesPerShard * grid.numCores(), 1));
    }

    /** A replicated MeshBuffer height-sharded over {@code grid}, on {@code subDeviceId} if given. */
    static MeshBuffer onSubDevice(MeshDevice mesh, CoreRangeSet grid, int pagesPerShard, OptionalInt subDeviceId) {
        long size = (long) pagesPerShard * grid.numCores() * PAGE;
        return MeshBuffer.create(new MeshBufferConfig.Replicated(size), new DeviceLocalBufferConfig(PAGE,
                BufferType.L1, heightSharded(grid, pagesPerShard), Optional.empty(), subDeviceId), mesh);
    }

    static ProgramSpec cbProgram(String name, CoreRangeSet cores, long cbBytes) {
        return new ProgramSpec(name, 0, PAGE, List.of(CircularBufferSpec.local(cores, cbBytes)));
    }

    @Test
    void loadingShrinksTheMeshAllocatorsL1FromTheBottomAndClearingRestoresIt() {
        MeshDevice mesh = open(CoreRules.UPSTREAM);
        long defaultId = mesh.defaultSubDeviceManagerId();
        assertEquals(defaultId, mesh.activeSubDeviceManagerId());
        long id = mesh.createSubDeviceManager(List.of(new SubDevice(TOP), new SubDevice(MIDDLE)), LOCAL);
        assertEquals(defaultId, mesh.activeSubDeviceManagerId(), "creating does not load");
        long fullL1 = mesh.allocator().getStatistics(BufferType.L1).totalAllocatableSizeBytes();

        mesh.loadSubDeviceManager(id);
        assertEquals(id, mesh.activeSubDeviceManagerId());
        assertEquals(fullL1 - LOCAL, mesh.allocator().getStatistics(BufferType.L1).totalAllocatableSizeBytes());
        MeshBuffer lowGlobal = MeshBuffer.create(new MeshBufferConfig.Replicated(64 * PAGE),
                DeviceLocalBufferConfig.interleaved(PAGE, BufferType.L1, true), mesh);
        assertEquals(BASE + LOCAL, lowGlobal.address(), "the bottom local_l1_size bytes belong to the sub-devices");
        mesh.loadSubDeviceManager(id); // already active: no-op
        lowGlobal.release();

        mesh.clearLoadedSubDeviceManager();
        assertEquals(defaultId, mesh.activeSubDeviceManagerId());
        assertEquals(fullL1, mesh.allocator().getStatistics(BufferType.L1).totalAllocatableSizeBytes());
        TtFatalException unknown = assertThrows(TtFatalException.class, () -> mesh.loadSubDeviceManager(12345));
        assertEquals("Sub device manager does not exist", unknown.getMessage());
        mesh.close();
    }

    @Test
    void aMeshBufferOnASubDeviceLivesInThatSubDevicesLocalAllocator() {
        MeshDevice mesh = open(CoreRules.UPSTREAM);
        long id = mesh.createSubDeviceManager(List.of(new SubDevice(TOP), new SubDevice(MIDDLE)), LOCAL);
        mesh.loadSubDeviceManager(id);
        MeshBuffer local = onSubDevice(mesh, TOP, 4, OptionalInt.of(0));
        Buffer backing = local.getBackingBuffer().orElseThrow();
        Allocator subDeviceAllocator = mesh.allocator(0);
        assertNotSame(mesh.allocator(), subDeviceAllocator);
        assertSame(subDeviceAllocator, backing.allocator());
        assertEquals(Optional.of(id), backing.subDeviceManagerId());
        // Top-down in [BASE, BASE + LOCAL): 4 pages of 2 KiB per core.
        assertEquals(BASE + LOCAL - 4 * PAGE, local.address());
        assertTrue(mesh.allocator().isEmpty(), "the mesh's global allocator does not see it");
        for (Buffer chipBuffer : local.deviceBuffers().values()) {
            assertEquals(local.address(), chipBuffer.address());
            assertTrue(chipBuffer.subDeviceId().isEmpty(), "per-chip buffers carry no sub-device id");
        }
        assertEquals(OptionalLong.of(local.address()), mesh.lowestOccupiedComputeL1Address(List.of(0)));
        assertEquals(OptionalLong.empty(), mesh.lowestOccupiedComputeL1Address(List.of(1)));
        assertEquals(OptionalLong.of(local.address()), mesh.lowestOccupiedComputeL1Address(List.of()),
                "no ids with a non-default manager means all of its sub-devices");

        IllegalArgumentException outside = assertThrows(IllegalArgumentException.class,
                () -> onSubDevice(mesh, MIDDLE, 1, OptionalInt.of(0)));
        assertTrue(outside.getMessage().contains("is not inside sub-device 0's cores"), outside.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MeshBuffer.create(new MeshBufferConfig.Replicated(PAGE),
                new DeviceLocalBufferConfig(PAGE, BufferType.L1, BufferShardingArgs.INTERLEAVED, Optional.empty(),
                        OptionalInt.of(0)), mesh), "sub-device buffers must be sharded");
        assertEquals(1, subDeviceAllocator.getNumAllocatedBuffers(), "refusals allocated nothing");
        local.release();
        assertTrue(subDeviceAllocator.isEmpty());
        mesh.close();
    }

    @Test
    void cannotSwitchWhileSubDevicesHaveAllocations() {
        MeshDevice mesh = open(CoreRules.UPSTREAM);
        long first = mesh.createSubDeviceManager(List.of(new SubDevice(TOP)), LOCAL);
        long second = mesh.createSubDeviceManager(List.of(new SubDevice(MIDDLE)), LOCAL / 2);
        mesh.loadSubDeviceManager(first);
        MeshBuffer local = onSubDevice(mesh, TOP, 2, OptionalInt.of(0));
        TtFatalException e = assertThrows(TtFatalException.class, () -> mesh.loadSubDeviceManager(second));
        assertEquals("Cannot switch sub device managers while sub devices still have local allocations",
                e.getMessage());
        assertThrows(TtFatalException.class, mesh::clearLoadedSubDeviceManager);
        assertEquals(first, mesh.activeSubDeviceManagerId());
        assertTrue(local.isAllocated());
        local.deallocate();
        mesh.loadSubDeviceManager(second);
        assertEquals(second, mesh.activeSubDeviceManagerId());
        local.release();
        mesh.close();
    }

    @Test
    void loadingIsRefusedWhileAGlobalL1MeshBufferSitsInTheCarvedRegionAndNothingChanges() {
        MeshDevice mesh = open(CoreRules.UPSTREAM);
        Allocator global = mesh.allocator();
        MeshBuffer low = MeshBuffer.create(new MeshBufferConfig.Replicated(64 * PAGE),
                DeviceLocalBufferConfig.interleaved(PAGE, BufferType.L1, true), mesh);
        assertEquals(BASE, low.address());
        long id = mesh.createSubDeviceManager(List.of(new SubDevice(TOP)), LOCAL);
        var blocksBefore = global.getMemoryBlockTable(BufferType.L1);
        var statsBefore = global.getStatistics(BufferType.L1);
        long defaultId = mesh.activeSubDeviceManagerId();

        TtFatalException e = assertThrows(TtFatalException.class, () -> mesh.loadSubDeviceManager(id));
        assertEquals("Shrink size " + LOCAL + " cuts into allocated block at address 0", e.getMessage());
        assertEquals(defaultId, mesh.activeSubDeviceManagerId());
        assertEquals(blocksBefore, global.getMemoryBlockTable(BufferType.L1));
        assertEquals(statsBefore, global.getStatistics(BufferType.L1));
        MeshBuffer next = MeshBuffer.create(new MeshBufferConfig.Replicated(64 * PAGE),
                DeviceLocalBufferConfig.interleaved(PAGE, BufferType.L1, true), mesh);
        assertEquals(BASE + PAGE, next.address(), "the allocator carries on as if nothing happened");
        next.release();

        low.release();
        mesh.loadSubDeviceManager(id);
        assertEquals(id, mesh.activeSubDeviceManagerId());
        mesh.close();
    }

    @Test
    void removeRefusesTheActiveAndDefaultManagersAndDestroysOthers() {
        for (SubDeviceManagerTeardown teardown : SubDeviceManagerTeardown.values()) {
            MeshDevice mesh = open(CoreRules.UPSTREAM.with(teardown));
            long defaultId = mesh.defaultSubDeviceManagerId();
            long id = mesh.createSubDeviceManager(List.of(new SubDevice(TOP)), LOCAL);
            mesh.loadSubDeviceManager(id);
            var manager = mesh.subDeviceManagerTracker().activeSubDeviceManager();
            TtFatalException active = assertThrows(TtFatalException.class, () -> mesh.removeSubDeviceManager(id));
            assertEquals("Cannot remove active sub device manager " + id, active.getMessage());
            TtFatalException def = assertThrows(TtFatalException.class,
                    () -> mesh.removeSubDeviceManager(defaultId));
            assertEquals("Cannot remove default sub device manager " + defaultId, def.getMessage());
            mesh.clearLoadedSubDeviceManager();
            TtFatalException defaultActive = assertThrows(TtFatalException.class,
                    () -> mesh.removeSubDeviceManager(defaultId));
            assertEquals("Cannot remove active sub device manager " + defaultId, defaultActive.getMessage(),
                    "the active check comes first");
            mesh.removeSubDeviceManager(id);
            assertTrue(manager.isDestroyed(), teardown.name());
            assertThrows(TtFatalException.class, () -> mesh.loadSubDeviceManager(id), "removed managers are gone");
            mesh.close();
        }
    }

    @Test
    void closeReleasesSubDeviceAllocationsOfTheLoadedManager() {
        MeshDevice mesh = open(CoreRules.UPSTREAM);
        long id = mesh.createSubDeviceManager(List.of(new SubDevice(TOP)), LOCAL);
        mesh.loadSubDeviceManager(id);
        MeshBuffer local = onSubDevice(mesh, TOP, 2, OptionalInt.of(0));
        Buffer backing = local.getBackingBuffer().orElseThrow();
        Allocator subDeviceAllocator = mesh.allocator(0);
        mesh.close();
        assertEquals(AllocationStatus.DEALLOCATED, backing.allocationStatus(),
                "the manager id still reads as active during the teardown, so the buffer passes its check");
        assertTrue(subDeviceAllocator.isEmpty());
        local.release();
    }

    @Test
    void theCircularBufferCheckSeesTheLowestAllocationOfTheProgramsSubDevices() {
        MeshDevice mesh = open(CoreRules.UPSTREAM);
        long id = mesh.createSubDeviceManager(List.of(new SubDevice(TOP), new SubDevice(MIDDLE)), LOCAL);
        mesh.loadSubDeviceManager(id);
        MeshBuffer local = onSubDevice(mesh, TOP, 8, OptionalInt.of(0));
        long lowest = BASE + LOCAL - 8 * PAGE;
        assertEquals(lowest, local.address());
        // CBs on sub-device 0 reaching past that address clash with it.
        long reaching = LOCAL - 4 * PAGE;
        TtFatalException clash = assertThrows(TtFatalException.class,
                () -> mesh.programCache().run(cbProgram("on-top", TOP, reaching), List.of()));
        assertTrue(clash.getMessage().endsWith("clash with L1 buffers on core range " + TOP.ranges().get(0)
                + ". L1 buffer allocated at " + lowest + " and static circular buffer region ends at "
                + (BASE + reaching)), clash.getMessage());
        // The same CBs on sub-device 1, whose local allocator is empty, do not.
        Program onMiddle = mesh.programCache().run(cbProgram("on-middle", MIDDLE, reaching), List.of());
        assertEquals(List.of(1), onMiddle.determineSubDeviceIds());
        // Cores outside every sub-device are refused as the C++ refuses kernel groups.
        TtFatalException outside = assertThrows(TtFatalException.class,
                () -> mesh.programCache().run(cbProgram("on-bottom", BOTTOM, PAGE), List.of()));
        assertEquals("Kernel group cores do not match sub device cores for programmable core type TENSIX",
                outside.getMessage());
        mesh.programCache().disableAndClear();
        local.release();
        mesh.clearLoadedSubDeviceManager();
        // Back on the default manager a program's only sub-device is 0, checked against the global allocator.
        Program big = mesh.programCache().run(cbProgram("big", CoreRangeSet.of(CoreRange.grid(8, 8)), reaching),
                List.of());
        assertEquals(List.of(0), big.determineSubDeviceIds());
        mesh.close();
    }
}
