package io.github.meshalloc.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import io.github.meshalloc.allocator.AllocationReporter;
import io.github.meshalloc.allocator.AllocationStatus;
import io.github.meshalloc.allocator.Allocator;
import io.github.meshalloc.allocator.ArchPreset;
import io.github.meshalloc.allocator.Buffer;
import io.github.meshalloc.allocator.BufferType;
import io.github.meshalloc.allocator.CoreRange;
import io.github.meshalloc.allocator.CoreRangeSet;
import io.github.meshalloc.allocator.Device;
import io.github.meshalloc.allocator.GraphTracking;
import io.github.meshalloc.allocator.MetalContext;
import io.github.meshalloc.allocator.TtFatalException;
import io.github.meshalloc.allocator.rules.CoreRules;
import io.github.meshalloc.allocator.rules.MarkAsDeallocatedReport;
import io.github.meshalloc.allocator.rules.SubDeviceManagerTeardown;
import io.github.meshalloc.mesh.rules.MeshRules;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

/**
 * Opening and closing a mesh (reference 12.3): the late-2025 close order, the older DEALLOCATE_BUFFERS path, and
 * buffers that outlive their mesh, closed or released.
 */
class MeshLifecycleTest {
    static final long TILE = 2048;
    static final ProgramSpec ADD = new ProgramSpec("add", 12 * 1024, TILE, List.of(
            CircularBufferSpec.local(CoreRangeSet.of(CoreRange.grid(8, 8)), 4096)));

    static MeshDevice open(CoreRules rules, GraphTracking tracker) {
        MetalContext context = new MetalContext(rules, tracker, AllocationReporter.NOOP);
        return MeshDevice.open(MeshDeviceConfig.of(new MeshShape(2, 4), ArchPreset.WORMHOLE_B0.config()), context,
                MeshRules.UPSTREAM);
    }

    static MeshBuffer tensor(MeshDevice mesh) {
        return MeshBuffer.create(new MeshBufferConfig.Replicated(12 * TILE),
                DeviceLocalBufferConfig.interleaved(TILE, BufferType.DRAM), mesh);
    }

    @Test
    void lateCloseTearsDownTheMeshAllocatorWhileInitialisedThenTheChips() {
        GraphTracking tracker = mock(GraphTracking.class);
        MeshDevice mesh = open(CoreRules.UPSTREAM, tracker);
        Device chip = mesh.devices().get(5);
        MeshBuffer t = tensor(mesh);
        Buffer backing = t.getBackingBuffer().orElseThrow();
        Buffer chipBuffer = Buffer.create(chip, TILE * 12, TILE, BufferType.DRAM);
        List<String> seen = new ArrayList<>();
        doAnswer(call -> {
            Buffer b = call.getArgument(0);
            seen.add((b == backing ? "mesh" : "chip") + " mesh=" + mesh.isInitialized() + " chip=" + chip.isInitialized());
            return null;
        }).when(tracker).trackDeallocate(any());
        Allocator meshAllocator = mesh.allocator();
        Allocator chipAllocator = chip.allocator();

        mesh.close();
        // The mesh teardown runs while the mesh and its chips still report initialised, so DeallocateBuffer goes
        // through the tracker and the allocator; the chips are closed after it.
        assertEquals(List.of("mesh mesh=true chip=true", "chip mesh=true chip=true"), seen);
        InOrder order = inOrder(tracker);
        order.verify(tracker).trackDeallocate(backing);
        order.verify(tracker).trackDeallocate(chipBuffer);
        assertEquals(AllocationStatus.DEALLOCATED, backing.allocationStatus());
        assertEquals(AllocationStatus.DEALLOCATED, chipBuffer.allocationStatus());
        assertTrue(meshAllocator.isEmpty());
        assertTrue(chipAllocator.isEmpty());
        assertFalse(mesh.isInitialized());
        assertFalse(mesh.isExpired());
        assertThrows(IllegalStateException.class, mesh::allocator, "the mesh allocator died with the tracker");

        mesh.close(); // close_impl has no guard: a second close changes nothing
        assertFalse(mesh.isInitialized());
        t.release();
        chipBuffer.release();
        verify(tracker, times(2)).trackDeallocate(any());
    }

    @Test
    void olderPathFreesTheBanksButLeavesEveryBufferAllocatedAndRecorded() {
        GraphTracking tracker = mock(GraphTracking.class);
        MeshDevice mesh = open(CoreRules.UPSTREAM.with(SubDeviceManagerTeardown.DEALLOCATE_BUFFERS), tracker);
        Device chip = mesh.devices().get(0);
        MeshBuffer t = tensor(mesh);
        Buffer backing = t.getBackingBuffer().orElseThrow();
        Buffer chipBuffer = Buffer.create(chip, TILE * 12, TILE, BufferType.DRAM);
        Allocator meshAllocator = mesh.allocator();
        Allocator chipAllocator = chip.allocator();

        mesh.close();
        verify(tracker, never()).trackDeallocate(any());
        assertEquals(AllocationStatus.ALLOCATED, backing.allocationStatus());
        assertEquals(AllocationStatus.ALLOCATED, chipBuffer.allocationStatus());
        assertEquals(0, meshAllocator.getStatistics(BufferType.DRAM).totalAllocatedBytes());
        assertEquals(0, chipAllocator.getStatistics(BufferType.DRAM).totalAllocatedBytes());
        assertEquals(List.of(backing), meshAllocator.getAllocatedBuffers(), "deallocate_buffers keeps the Buffer set");
        assertEquals(List.of(chipBuffer), chipAllocator.getAllocatedBuffers());

        // Released after close: the device is no longer initialised, so no tracker and no allocator call; the
        // allocators' Buffer sets still name them, which proves the allocator was not asked.
        chipBuffer.release();
        t.release();
        assertEquals(AllocationStatus.DEALLOCATED, chipBuffer.allocationStatus());
        assertEquals(AllocationStatus.DEALLOCATED, backing.allocationStatus());
        assertEquals(List.of(chipBuffer), chipAllocator.getAllocatedBuffers());
        assertEquals(List.of(backing), meshAllocator.getAllocatedBuffers());
        verify(tracker, never()).trackDeallocate(any());
    }

    @Test
    void meshBuffersOfAClosedMeshAreStillLiveAndTheirReleaseSkipsTheAllocator() {
        for (SubDeviceManagerTeardown teardown : SubDeviceManagerTeardown.values()) {
            MeshDevice mesh = open(CoreRules.UPSTREAM.with(teardown), GraphTracking.NOOP);
            MeshBuffer t = tensor(mesh);
            Buffer backing = t.getBackingBuffer().orElseThrow();
            Allocator meshAllocator = mesh.allocator();
            mesh.close();
            // is_allocated() asks only whether the state is Deallocated and whether the MeshDevice object exists.
            assertTrue(t.isAllocated(), teardown.name());
            assertSame(mesh, t.device());
            long before = meshAllocator.getNumAllocatedBuffers();
            t.release();
            assertFalse(t.isAllocated());
            assertEquals(MeshBuffer.State.DEALLOCATED, t.state());
            assertEquals(AllocationStatus.DEALLOCATED, backing.allocationStatus(), teardown.name());
            assertEquals(before, meshAllocator.getNumAllocatedBuffers(), teardown.name() + ": no allocator call");
            for (Buffer chipBuffer : t.deviceBuffers().values()) {
                assertTrue(chipBuffer.isDestroyed());
            }
        }
    }

    @Test
    void meshBuffersOfAReleasedMeshTakeTheMarkAsDeallocatedPath() {
        // With the seeds' mark_as_deallocated report, the two paths can be told apart: only the expired path marks.
        CoreRules rules = CoreRules.UPSTREAM.with(SubDeviceManagerTeardown.DEALLOCATE_BUFFERS)
                .with(MarkAsDeallocatedReport.TRACK_IF_ALLOCATED);
        GraphTracking closedTracker = mock(GraphTracking.class);
        MeshDevice closed = open(rules, closedTracker);
        MeshBuffer fromClosed = tensor(closed);
        Buffer closedBacking = fromClosed.getBackingBuffer().orElseThrow();
        closed.close();
        fromClosed.release();
        verify(closedTracker, never()).trackDeallocate(any());
        assertEquals(AllocationStatus.DEALLOCATED, closedBacking.allocationStatus());

        GraphTracking releasedTracker = mock(GraphTracking.class);
        MeshDevice released = open(rules, releasedTracker);
        MeshBuffer fromReleased = tensor(released);
        Buffer releasedBacking = fromReleased.getBackingBuffer().orElseThrow();
        Allocator meshAllocator = released.allocator();
        released.release();
        assertTrue(released.isExpired());
        assertFalse(released.isInitialized());
        assertFalse(fromReleased.isAllocated(), "the weak pointer no longer locks");
        assertEquals(MeshBuffer.State.OWNED, fromReleased.state());
        TtFatalException gone = assertThrows(TtFatalException.class, fromReleased::device);
        assertEquals("Can't get device from mesh buffer, already deallocated", gone.getMessage());
        fromReleased.release();
        verify(releasedTracker, times(1)).trackDeallocate(releasedBacking);
        assertEquals(AllocationStatus.DEALLOCATED, releasedBacking.allocationStatus());
        assertEquals(List.of(releasedBacking), meshAllocator.getAllocatedBuffers(), "mark_as_deallocated only");
        assertThrows(IllegalStateException.class, released::release);
    }

    @Test
    void nothingCanBeCreatedOnAClosedOrReleasedMesh() {
        MeshDevice closed = open(CoreRules.UPSTREAM, GraphTracking.NOOP);
        closed.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> tensor(closed));
        assertEquals("mesh device 0 is closed; mesh buffers can only be created on an open mesh", e.getMessage());
        assertThrows(IllegalStateException.class, () -> Buffer.create(closed.devices().get(0), TILE, TILE,
                BufferType.DRAM));
        assertThrows(IllegalStateException.class, () -> closed.programCache().run(ADD, List.of()));
        assertThrows(IllegalStateException.class, () -> closed.beginMeshTrace(0));
        assertThrows(IllegalStateException.class, () -> closed.createSubDeviceManager(List.of(), 0));
        assertTrue(closed.liveMeshBuffers().isEmpty());

        MeshDevice released = open(CoreRules.UPSTREAM, GraphTracking.NOOP);
        released.release();
        assertThrows(IllegalStateException.class, () -> tensor(released));
    }

    @Test
    void closeKeepsCachedProgramsUntilTheMeshIsReleased() {
        GraphTracking tracker = mock(GraphTracking.class);
        MeshDevice mesh = open(CoreRules.UPSTREAM, tracker);
        Program add = mesh.programCache().run(ADD, List.of());
        MeshBuffer binary = add.kernelBinary().orElseThrow();
        Buffer binaryBacking = binary.getBackingBuffer().orElseThrow();
        Allocator meshAllocator = mesh.allocator();

        mesh.close();
        // close_impl does not clear the program cache; the teardown released the binary's backing buffer anyway.
        assertEquals(List.of(add), mesh.programCache().programs());
        assertFalse(add.isDestroyed());
        assertEquals(AllocationStatus.DEALLOCATED, binaryBacking.allocationStatus());
        assertTrue(meshAllocator.isEmpty());
        verify(tracker).trackDeallocate(binaryBacking);
        verify(tracker, never()).trackDeallocateCb(any());

        mesh.release();
        // ~MeshDeviceImpl destroys the cache after close_impl: ~Program reports its CBs, the binary takes the
        // expired-mesh path.
        assertTrue(add.isDestroyed());
        assertTrue(mesh.programCache().programs().isEmpty());
        assertTrue(binary.isDestroyed());
        verify(tracker).trackDeallocateCb(mesh);
        verify(tracker, times(1)).trackDeallocate(binaryBacking);
    }

    @Test
    void releasingAnOpenMeshClosesItFirst() {
        MeshDevice mesh = open(CoreRules.UPSTREAM, GraphTracking.NOOP);
        MeshBuffer t = tensor(mesh);
        Buffer backing = t.getBackingBuffer().orElseThrow();
        Allocator meshAllocator = mesh.allocator();
        mesh.release();
        assertFalse(mesh.isInitialized());
        assertTrue(mesh.isExpired());
        assertEquals(AllocationStatus.DEALLOCATED, backing.allocationStatus());
        assertTrue(meshAllocator.isEmpty());
        assertTrue(mesh.toString().contains("released"), mesh.toString());
        t.release();
        assertTrue(t.isDestroyed());
    }
}
