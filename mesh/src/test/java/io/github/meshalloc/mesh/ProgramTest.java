package io.github.meshalloc.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
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
import io.github.meshalloc.allocator.CoreCoord;
import io.github.meshalloc.allocator.CoreRange;
import io.github.meshalloc.allocator.CoreRangeSet;
import io.github.meshalloc.allocator.GraphTracking;
import io.github.meshalloc.allocator.MetalContext;
import io.github.meshalloc.allocator.TtFatalException;
import io.github.meshalloc.allocator.rules.CoreRules;
import io.github.meshalloc.mesh.rules.MeshRules;
import io.github.meshalloc.mesh.rules.ProgramBufferPoolRelease;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mockito.InOrder;

/** Programs on a mesh (reference 11): CB placement, the buffer pool, the program cache and ~Program. */
class ProgramTest {
    static final long TILE = 2048;
    static final long BASE = ArchPreset.WORMHOLE_B0.config().l1UnreservedBase();
    static final CoreRangeSet GRID = CoreRangeSet.of(CoreRange.grid(8, 8));

    static MeshDevice open(MeshRules rules, GraphTracking tracker) {
        MetalContext context = new MetalContext(CoreRules.UPSTREAM, tracker, AllocationReporter.NOOP);
        return MeshDevice.open(MeshDeviceConfig.of(new MeshShape(2, 4), ArchPreset.WORMHOLE_B0.config()), context,
                rules);
    }

    static CoreRange range(int x0, int y0, int x1, int y1) {
        return new CoreRange(new CoreCoord(x0, y0), new CoreCoord(x1, y1));
    }

    static final ProgramSpec ADD = new ProgramSpec("add", 12 * 1024, TILE,
            List.of(CircularBufferSpec.local(GRID, 4096)));

    @ParameterizedTest
    @EnumSource(ProgramBufferPoolRelease.class)
    void keepAliveBuffersLiveAsLongAsTheProgramAndLongerUnderNever(ProgramBufferPoolRelease release) {
        MeshDevice mesh = open(MeshRules.UPSTREAM.with(release), GraphTracking.NOOP);
        Allocator meshAllocator = mesh.allocator();
        MeshBuffer input = MeshBuffer.create(new MeshBufferConfig.Replicated(12 * TILE),
                DeviceLocalBufferConfig.interleaved(TILE, BufferType.DRAM), mesh);
        Buffer backing = input.getBackingBuffer().orElseThrow();
        Program program = mesh.programCache().run(ADD, List.of(backing));
        assertEquals(2, backing.useCount(), "the pool holds a reference");
        // A cache hit reuses the program: its pool does not grow.
        assertSame(program, mesh.programCache().run(ADD, List.of(backing)));
        assertEquals(2, backing.useCount());
        input.release();
        assertEquals(AllocationStatus.ALLOCATED, backing.allocationStatus(), "the program keeps it alive");
        assertTrue(meshAllocator.getAllocatedBuffers().contains(backing));

        mesh.disableAndClearProgramCache();
        assertTrue(program.isDestroyed());
        if (release == ProgramBufferPoolRelease.AT_DESTRUCTION) {
            assertTrue(backing.isDestroyed());
            assertEquals(AllocationStatus.DEALLOCATED, backing.allocationStatus());
            assertTrue(meshAllocator.isEmpty());
            assertTrue(mesh.leakedReferences().isEmpty());
        } else {
            assertFalse(backing.isDestroyed());
            assertEquals(AllocationStatus.ALLOCATED, backing.allocationStatus(), "leaked");
            assertEquals(List.of(backing), meshAllocator.getAllocatedBuffers());
            assertEquals(List.of(backing), mesh.leakedReferences());
            assertEquals(backing.alignedSizePerBank(), meshAllocator.getStatistics(BufferType.DRAM)
                    .totalAllocatedBytes());
        }
        mesh.close();
        assertTrue(meshAllocator.isEmpty(), "the close teardown takes back even the leaked buffer");
        assertEquals(AllocationStatus.DEALLOCATED, backing.allocationStatus());
    }

    @Test
    void withTheCacheDisabledTheProgramDiesAfterItsRunAndReleasesItsPool() {
        MeshDevice mesh = open(MeshRules.UPSTREAM, GraphTracking.NOOP);
        mesh.programCache().disableAndClear();
        assertFalse(mesh.programCache().isEnabled());
        Buffer chipBuffer = Buffer.create(mesh.devices().get(2), 12 * TILE, TILE, BufferType.DRAM);
        Program program = mesh.programCache().run(ADD, List.of(chipBuffer));
        assertTrue(program.isDestroyed());
        assertTrue(mesh.programCache().programs().isEmpty());
        assertEquals(1, chipBuffer.useCount());
        assertTrue(mesh.allocator().isEmpty(), "the kernel binary went with the program");
        mesh.programCache().enable();
        assertTrue(mesh.programCache().isEnabled());
        chipBuffer.release();
        mesh.close();
    }

    @Test
    void circularBuffersOnSeveralCoreRangesFollowTheExactAndIntersectingRules() {
        GraphTracking tracker = mock(GraphTracking.class);
        MeshDevice mesh = open(MeshRules.UPSTREAM, tracker);
        CoreRange r1 = range(0, 0, 1, 1);
        CoreRange r2 = range(4, 0, 5, 1);
        CoreRange row0 = range(0, 0, 7, 0);
        CoreRangeSet onR1 = CoreRangeSet.of(r1);
        CoreRangeSet onR2 = CoreRangeSet.of(r2);
        CoreRangeSet onRow0 = CoreRangeSet.of(row0);
        CoreRangeSet onBoth = new CoreRangeSet(List.of(r1, r2));
        ProgramSpec spec = new ProgramSpec("ranges", 0, TILE, List.of(
                CircularBufferSpec.local(onR1, 8192),
                // r2's own allocator is empty, so base; row 0 already holds base..+8192 from a disjoint range: skipped.
                CircularBufferSpec.local(onR2, 1024),
                // Above row 0's region; r1 and r2 (intersecting, different) are marked since the address is not
                // below their ends; r2 gets a second region.
                CircularBufferSpec.local(onRow0, 2048),
                // The max over the exact allocators of both ranges; row 0 is marked through r1, then skipped for r2.
                CircularBufferSpec.local(onBoth, 512),
                CircularBufferSpec.local(onR1, 100),
                // 100 B left the end unaligned: rounded up to the DRAM alignment (32).
                CircularBufferSpec.local(onR1, 64),
                new CircularBufferSpec(onR2, 4096, OptionalLong.of(500_000))));
        Program program = mesh.programCache().run(spec, List.of());
        assertEquals(List.of(BASE, BASE, BASE + 8192, BASE + 10240, BASE + 10752, BASE + 10880, 500_000L),
                program.circularBufferAddresses());
        List<CircularBufferAllocator> allocators = program.circularBufferAllocators();
        assertEquals(List.of(r1, r2, row0), allocators.stream().map(CircularBufferAllocator::coreRange).toList(),
                "one allocator per distinct range, in order of first use (the global CB's range included)");
        assertEquals(List.of(BASE + 10944, BASE + 10752, BASE + 10944),
                allocators.stream().map(CircularBufferAllocator::cbRegionEnd).toList());

        InOrder order = inOrder(tracker);
        order.verify(tracker).trackAllocateCb(onR1, BASE, 8192, false, mesh);
        order.verify(tracker).trackAllocateCb(onR2, BASE, 1024, false, mesh);
        order.verify(tracker).trackAllocateCb(onRow0, BASE + 8192, 2048, false, mesh);
        order.verify(tracker).trackAllocateCb(onBoth, BASE + 10240, 512, false, mesh);
        order.verify(tracker).trackAllocateCb(onR1, BASE + 10752, 100, false, mesh);
        order.verify(tracker).trackAllocateCb(onR1, BASE + 10880, 64, false, mesh);
        verify(tracker, never()).trackAllocateCb(any(), anyLong(), anyLong(), eq(true), any());
        verify(tracker, times(6)).trackAllocateCb(any(), anyLong(), anyLong(), eq(false), any());
        mesh.close();
    }

    @Test
    void onlyGloballyAllocatedCircularBuffersNeedNoAllocation() {
        GraphTracking tracker = mock(GraphTracking.class);
        MeshDevice mesh = open(MeshRules.UPSTREAM, tracker);
        ProgramSpec globalOnly = new ProgramSpec("global", 0, TILE,
                List.of(new CircularBufferSpec(GRID, 8192, OptionalLong.of(700_000))));
        Program program = mesh.programCache().run(globalOnly, List.of());
        assertEquals(List.of(700_000L), program.circularBufferAddresses());
        assertFalse(program.circularBufferAllocators().get(0).hasRegions());
        mesh.disableAndClearProgramCache();
        verify(tracker, never()).trackAllocateCb(any(), anyLong(), anyLong(), any(Boolean.class), any());
        verify(tracker, never()).trackDeallocateCb(any());
        mesh.close();
    }

    @Test
    void destroyReportsTrackDeallocateCbOnceAndReleasesTheKernelBinary() {
        GraphTracking tracker = mock(GraphTracking.class);
        MeshDevice mesh = open(MeshRules.UPSTREAM, tracker);
        Program add = mesh.programCache().run(ADD, List.of());
        MeshBuffer binary = add.kernelBinary().orElseThrow();
        Buffer binaryBacking = binary.getBackingBuffer().orElseThrow();
        assertEquals((1L << 30) - 2048, binary.address(),
                "a 12 KiB binary, one 2 KiB page per bank, top-down: 1 GiB - 2 KiB = 0x3ffff800");
        verify(tracker, never()).trackDeallocateCb(any());
        mesh.disableAndClearProgramCache();
        InOrder order = inOrder(tracker);
        order.verify(tracker).trackDeallocateCb(mesh);
        order.verify(tracker).trackDeallocate(binaryBacking);
        verify(tracker, times(1)).trackDeallocateCb(any());
        assertTrue(add.isDestroyed());
        assertTrue(binary.isDestroyed());
        assertTrue(add.kernelBinary().isEmpty());
        assertTrue(add.circularBufferAllocators().stream().noneMatch(CircularBufferAllocator::hasRegions),
                "the CB regions are reset");
        assertTrue(mesh.allocator().isEmpty());
        mesh.disableAndClearProgramCache();
        verify(tracker, times(1)).trackDeallocateCb(any());
        mesh.close();
    }

    @Test
    void aFailedProgramIsDestroyedAndLeavesNothing() {
        GraphTracking tracker = mock(GraphTracking.class);
        MeshDevice mesh = open(MeshRules.UPSTREAM, tracker);
        long w = mesh.l1SizePerCore();
        ProgramSpec huge = new ProgramSpec("huge", 12 * 1024, TILE, List.of(CircularBufferSpec.local(GRID, w)));
        assertThrows(TtFatalException.class,
                () -> mesh.programCache().run(huge, List.of()));
        assertTrue(mesh.programCache().programs().isEmpty());
        assertTrue(mesh.allocator().isEmpty(), "its kernel binary was released");
        verify(tracker).trackDeallocateCb(mesh);
        mesh.close();
    }

    // ---- Mutation-testing review: region boundaries (reference 11) ----

    static final long W = ArchPreset.WORMHOLE_B0.config().workerL1Size();

    @Test
    void circularBuffersMayEndExactlyAtTheTopOfL1() {
        MeshDevice mesh = open(MeshRules.UPSTREAM, GraphTracking.NOOP);
        Program program = mesh.programCache().run(new ProgramSpec("full", 0, TILE,
                List.of(CircularBufferSpec.local(GRID, W - BASE))), List.of());
        assertEquals(W, program.circularBufferAllocators().get(0).cbRegionEnd());
        assertEquals("full", program.spec().name());
        assertEquals(0, program.id());
        assertEquals(1, mesh.programCache().run(ADD, List.of()).id(), "ids come from the process counter");
        mesh.close();
    }

    @Test
    void anL1BufferStartingExactlyAtTheRegionEndDoesNotClashButOneByteLowerDoes() {
        MeshDevice mesh = open(MeshRules.UPSTREAM, GraphTracking.NOOP);
        MeshBuffer l1 = MeshBuffer.create(new MeshBufferConfig.Replicated(64 * TILE),
                DeviceLocalBufferConfig.interleaved(TILE, BufferType.L1), mesh);
        assertEquals(W - TILE, l1.address());
        ProgramSpec touching = new ProgramSpec("touching", 0, TILE,
                List.of(CircularBufferSpec.local(GRID, W - TILE - BASE)));
        mesh.programCache().run(touching, List.of());
        ProgramSpec clashing = new ProgramSpec("clashing", 0, TILE,
                List.of(CircularBufferSpec.local(GRID, W - TILE - BASE + 32)));
        assertThrows(TtFatalException.class, () -> mesh.programCache().run(clashing, List.of()));
        mesh.close();
    }

    @Test
    void aCachedProgramIsValidatedAgainOnEveryRun() {
        MeshDevice mesh = open(MeshRules.UPSTREAM, GraphTracking.NOOP);
        ProgramSpec large = new ProgramSpec("large", 0, TILE,
                List.of(CircularBufferSpec.local(GRID, W - TILE - BASE + 32)));
        Program program = mesh.programCache().run(large, List.of());
        MeshBuffer.create(new MeshBufferConfig.Replicated(64 * TILE),
                DeviceLocalBufferConfig.interleaved(TILE, BufferType.L1), mesh);
        TtFatalException e = assertThrows(TtFatalException.class, () -> mesh.programCache().run(large, List.of()));
        assertTrue(e.getMessage().contains("clash with L1 buffers"), e.getMessage());
        assertEquals(List.of(program), mesh.programCache().programs());
        mesh.close();
        assertEquals("mesh device 0 is closed", assertThrows(IllegalStateException.class,
                () -> mesh.programCache().run(ADD, List.of())).getMessage());
    }

    @Test
    void aCircularBufferAppendsToAnIntersectingRangeWhoseRegionEndsAtItsAddress() {
        MeshDevice mesh = open(MeshRules.UPSTREAM, GraphTracking.NOOP);
        CoreRange left = range(0, 0, 3, 7);
        CoreRange all = range(0, 0, 7, 7);
        // The CB on all cores marks the left range too; the next CB on the left range starts at that end, which
        // is also the end of the all-cores region, so it is appended there as well.
        Program program = mesh.programCache().run(new ProgramSpec("two", 0, TILE, List.of(
                CircularBufferSpec.local(CoreRangeSet.of(all), 4096),
                CircularBufferSpec.local(CoreRangeSet.of(left), 2048))), List.of());
        assertEquals(List.of(BASE, BASE + 4096), program.circularBufferAddresses());
        for (CircularBufferAllocator allocator : program.circularBufferAllocators()) {
            assertEquals(BASE + 6144, allocator.cbRegionEnd(), allocator.coreRange().toString());
        }
        mesh.close();
    }

    @Test
    void kernelBinaryWritesAreReleasedRightAfterTheLoad() {
        // Under a rule set where a non-owning buffer reports its FREE, each chip's write view reports one as soon
        // as the binary is loaded: the views are dropped at the end of the load, not kept by the program.
        GraphTracking tracker = org.mockito.Mockito.mock(GraphTracking.class);
        CoreRules rules = CoreRules.UPSTREAM.with(io.github.meshalloc.allocator.rules.NonOwningDeallocate.TRACK_AND_MARK);
        MeshDevice mesh = MeshDevice.open(MeshDeviceConfig.of(new MeshShape(2, 4), ArchPreset.WORMHOLE_B0.config()),
                new MetalContext(rules, tracker, AllocationReporter.NOOP), MeshRules.UPSTREAM);
        Program program = mesh.programCache().run(ADD, List.of());
        long binary = program.kernelBinary().orElseThrow().address();
        org.mockito.Mockito.verify(tracker, org.mockito.Mockito.times(8)).trackDeallocate(
                org.mockito.ArgumentMatchers.argThat(b -> !b.ownsData() && b.size() == 12 * 1024
                        && b.address() == binary && b.isDestroyed()));
        mesh.close();
    }
}
