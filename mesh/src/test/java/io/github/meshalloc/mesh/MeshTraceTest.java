package io.github.meshalloc.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.allocator.AllocationReporter;
import io.github.meshalloc.allocator.AllocationStatus;
import io.github.meshalloc.allocator.Allocator;
import io.github.meshalloc.allocator.ArchPreset;
import io.github.meshalloc.allocator.Buffer;
import io.github.meshalloc.allocator.BufferType;
import io.github.meshalloc.allocator.GraphTracking;
import io.github.meshalloc.allocator.MetalContext;
import io.github.meshalloc.allocator.OutOfMemoryException;
import io.github.meshalloc.allocator.SubDevice;
import io.github.meshalloc.allocator.TtFatalException;
import io.github.meshalloc.allocator.rules.CoreRules;
import io.github.meshalloc.allocator.rules.SubDeviceManagerTeardown;
import io.github.meshalloc.mesh.rules.MeshRules;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Mesh traces (reference 9.1 and 9.5; mesh_trace.cpp, MeshDeviceImpl late-2025) on a 2x4 Wormhole B0 mesh. */
class MeshTraceTest {
    static final long MIB = 1 << 20;
    /** Wormhole B0: 1 GiB DRAM banks, 12 of them. */
    static final long DRAM_BANK = 1L << 30;
    static final int DRAM_BANKS = 12;

    static MeshDevice open(long traceRegionSize, CoreRules core, int commandQueues) {
        MetalContext context = new MetalContext(core, GraphTracking.NOOP, AllocationReporter.NOOP);
        return MeshDevice.open(MeshDeviceConfig.of(new MeshShape(2, 4), ArchPreset.WORMHOLE_B0.config(traceRegionSize, 0))
                .withNumCommandQueues(commandQueues), context, MeshRules.UPSTREAM);
    }

    static MeshDevice open(long traceRegionSize) {
        return open(traceRegionSize, CoreRules.UPSTREAM, 1);
    }

    static MeshBuffer dram(MeshDevice mesh, long bytes) {
        return MeshBuffer.create(new MeshBufferConfig.Replicated(bytes),
                DeviceLocalBufferConfig.interleaved(2048, BufferType.DRAM), mesh);
    }

    @Nested
    class PageSize {
        @Test
        void picksTheLeastWastefulPageAndTheLargestOnATie() {
            // 10,000 B over 12 banks: pads to 12,288 / 24,576 / 49,152 -> least waste with 1 KiB pages.
            assertEquals(1024, TraceDispatch.computeInterleavedTraceBufPageSize(10_000, DRAM_BANKS));
            // 24,576 B fills 12 banks of 1 KiB or of 2 KiB exactly: the tie goes to the larger page.
            assertEquals(2048, TraceDispatch.computeInterleavedTraceBufPageSize(24_576, DRAM_BANKS));
            // 49,152 B fills all three exactly; so does 0 B: 4 KiB.
            assertEquals(4096, TraceDispatch.computeInterleavedTraceBufPageSize(49_152, DRAM_BANKS));
            assertEquals(4096, TraceDispatch.computeInterleavedTraceBufPageSize(0, DRAM_BANKS));
            // 1 MiB + 1 B: 1 KiB and 2 KiB pages both waste 8,191 B, 4 KiB wastes 32,767 B: 2 KiB.
            assertEquals(2048, TraceDispatch.computeInterleavedTraceBufPageSize(MIB + 1, DRAM_BANKS));
            // Blackhole has 8 banks: 3,000 B pads to 8,192 / 16,384 / 32,768 -> 1 KiB.
            assertEquals(1024, TraceDispatch.computeInterleavedTraceBufPageSize(3_000, 8));
        }

        @Test
        void theSizeIsAUint32() {
            // 2^32 + 10,000 is seen as 10,000.
            assertEquals(TraceDispatch.computeInterleavedTraceBufPageSize(10_000, DRAM_BANKS),
                    TraceDispatch.computeInterleavedTraceBufPageSize((1L << 32) + 10_000, DRAM_BANKS));
        }

        @Test
        void refusesNegativeSizesAndBankCounts() {
            assertThrows(IllegalArgumentException.class,
                    () -> TraceDispatch.computeInterleavedTraceBufPageSize(-1, DRAM_BANKS));
            assertThrows(IllegalArgumentException.class, () -> TraceDispatch.computeInterleavedTraceBufPageSize(1, 0));
        }
    }

    @Test
    void endAllocatesAReplicatedTraceMeshBufferAtTheBottomOfTheTraceRegion() {
        MeshDevice mesh = open(MIB);
        MeshTraceId id = mesh.beginMeshTrace(0);
        assertEquals(0, id.value(), "the process's first trace id");
        assertEquals(id, mesh.commandQueueTraceId(0).orElseThrow());
        MeshTraceBuffer trace = mesh.getMeshTrace(id).orElseThrow();
        assertTrue(trace.meshBuffer().isEmpty(), "begin only creates an empty trace buffer");
        assertEquals(List.of(id.value()), mesh.subDeviceManagerTracker().activeSubDeviceManager().traceIds());

        mesh.endMeshTrace(0, id, 10_000);
        assertTrue(mesh.commandQueueTraceId(0).isEmpty());
        MeshBuffer tb = trace.meshBuffer().orElseThrow();
        assertEquals(10_000, trace.totalTraceSize());
        assertEquals(1024, tb.pageSize());
        assertEquals(10_240, tb.size(), "padded to whole pages, not to whole banks");
        assertEquals(10_240, tb.deviceLocalSize());
        assertEquals(BufferType.TRACE, tb.deviceLocalConfig().bufferType());
        assertTrue(tb.globalConfig() instanceof MeshBufferConfig.Replicated);
        assertEquals(10_240, mesh.traceBuffersSize());
        // TRACE is DRAM-like, so bottom-up: the first trace sits at the start of the trace region.
        assertEquals(DRAM_BANK - MIB, tb.address());
        Buffer backing = tb.getBackingBuffer().orElseThrow();
        assertTrue(backing.bottomUp());
        assertSame(mesh, backing.device());
        assertEquals(1024, mesh.allocator().getStatistics(BufferType.TRACE).totalAllocatedBytes(),
                "10 pages over 12 banks: one 1 KiB page per bank");
        for (Buffer chipBuffer : tb.deviceBuffers().values()) {
            assertEquals(tb.address(), chipBuffer.address());
            assertEquals(0, chipBuffer.allocator().getStatistics(BufferType.TRACE).totalAllocatedBytes());
        }
        mesh.replayMeshTrace(0, id);
        assertEquals(1024, mesh.allocator().getStatistics(BufferType.TRACE).totalAllocatedBytes(),
                "replay allocates nothing");
        mesh.close();
    }

    @Test
    void beginMarksSafeEndMarksUnsafeAndReleaseMarksSafeOnlyWhenNoTraceIsLeft() {
        MeshDevice mesh = open(MIB);
        Allocator meshAllocator = mesh.allocator();
        MeshTraceId first = mesh.beginMeshTrace(0);
        assertFalse(meshAllocator.allocationsUnsafe());
        mesh.endMeshTrace(0, first, 4096);
        assertTrue(meshAllocator.allocationsUnsafe());
        MeshBuffer during = dram(mesh, 24_576);
        assertEquals(1, meshAllocator.unsafeAllocationWarnings(), "an allocation after a capture warns");

        MeshTraceId second = mesh.beginMeshTrace(0);
        assertFalse(meshAllocator.allocationsUnsafe(), "begin marks allocations safe again");
        MeshBuffer inside = dram(mesh, 24_576);
        assertEquals(1, meshAllocator.unsafeAllocationWarnings());
        mesh.endMeshTrace(0, second, 4096);
        assertTrue(meshAllocator.allocationsUnsafe());
        long both = mesh.traceBuffersSize();
        assertEquals(4096 + 4096, both);

        mesh.releaseMeshTrace(first);
        assertEquals(4096, mesh.traceBuffersSize());
        assertTrue(meshAllocator.allocationsUnsafe(), "a trace is still live");
        assertTrue(mesh.getMeshTrace(first).isEmpty());
        mesh.releaseMeshTrace(second);
        assertEquals(0, mesh.traceBuffersSize());
        assertFalse(meshAllocator.allocationsUnsafe(), "the last release marks allocations safe");
        assertEquals(0, meshAllocator.getStatistics(BufferType.TRACE).totalAllocatedBytes());
        during.release();
        inside.release();
        assertTrue(meshAllocator.isEmpty());
        mesh.close();
    }

    @Test
    void releaseDestroysTheTraceMeshBuffer() {
        MeshDevice mesh = open(MIB);
        MeshTraceId id = mesh.beginMeshTrace(0);
        mesh.endMeshTrace(0, id, 3000);
        MeshTraceBuffer trace = mesh.getMeshTrace(id).orElseThrow();
        MeshBuffer tb = trace.meshBuffer().orElseThrow();
        Buffer backing = tb.getBackingBuffer().orElseThrow();
        mesh.releaseMeshTrace(id);
        assertTrue(trace.isDestroyed());
        assertTrue(tb.isDestroyed());
        assertEquals(MeshBuffer.State.DEALLOCATED, tb.state());
        assertEquals(AllocationStatus.DEALLOCATED, backing.allocationStatus());
        assertTrue(mesh.allocator().isEmpty());
        // Releasing an id the active manager does not hold is a silent no-op (late-2025 erase).
        mesh.releaseMeshTrace(id);
        mesh.releaseMeshTrace(new MeshTraceId(12345));
        assertEquals(0, mesh.traceBuffersSize());
        mesh.close();
    }

    @Test
    void exceedingTheTraceRegionIsFatalAndLeavesTheTotalRaisedAsTheCppDoes() {
        MeshDevice mesh = open(MIB);
        MeshTraceId big = mesh.beginMeshTrace(0);
        TtFatalException e = assertThrows(TtFatalException.class, () -> mesh.endMeshTrace(0, big, MIB + 1));
        // Page 2 KiB (see PageSize), padded 1,050,624 B.
        assertEquals("Creating trace buffers of size 1050624B on MeshDevice 0, but only 1048576B is allocated for "
                + "trace region.", e.getMessage());
        assertEquals(1_050_624, mesh.traceBuffersSize(), "set_trace_buffers_size runs before the TT_FATAL");
        assertTrue(mesh.commandQueueTraceId(0).isEmpty(), "record_end ran before populate");
        assertTrue(mesh.getMeshTrace(big).orElseThrow().meshBuffer().isEmpty());
        assertFalse(mesh.allocator().allocationsUnsafe(), "the fatal comes before mark_allocations_unsafe");
        assertEquals(0, mesh.allocator().getStatistics(BufferType.TRACE).totalAllocatedBytes());

        // The raised total now refuses even a small trace.
        MeshTraceId small = mesh.beginMeshTrace(0);
        TtFatalException again = assertThrows(TtFatalException.class, () -> mesh.endMeshTrace(0, small, 1024));
        assertEquals("Creating trace buffers of size " + (1_050_624 + 1024) + "B on MeshDevice 0, but only "
                + "1048576B is allocated for trace region.", again.getMessage());
        // Releasing the empty trace buffers subtracts nothing: their MeshBuffer was never made.
        mesh.releaseMeshTrace(big);
        mesh.releaseMeshTrace(small);
        assertEquals(1_050_624 + 1024, mesh.traceBuffersSize());
        mesh.close();
    }

    @Test
    void twoTracesThatTogetherExceedTheRegionAreRefusedAtTheSecond() {
        MeshDevice mesh = open(MIB);
        MeshTraceId a = mesh.beginMeshTrace(0);
        mesh.endMeshTrace(0, a, 600 * 1024);
        long first = mesh.traceBuffersSize();
        assertEquals(600 * 1024, first);
        MeshTraceId b = mesh.beginMeshTrace(0);
        TtFatalException e = assertThrows(TtFatalException.class, () -> mesh.endMeshTrace(0, b, 600 * 1024));
        assertEquals("Creating trace buffers of size " + 2 * 600 * 1024 + "B on MeshDevice 0, but only 1048576B is "
                + "allocated for trace region.", e.getMessage());
        mesh.close();
    }

    @Test
    void aZeroTraceRegionRefusesEveryTraceAndEveryTraceAllocation() {
        MeshDevice mesh = open(0);
        MeshTraceId id = mesh.beginMeshTrace(0);
        TtFatalException e = assertThrows(TtFatalException.class, () -> mesh.endMeshTrace(0, id, 10_000));
        assertEquals("Creating trace buffers of size 10240B on MeshDevice 0, but only 0B is allocated for trace "
                + "region.", e.getMessage());
        // Any TRACE buffer, mesh or chip, meets the empty TRACE bank manager.
        OutOfMemoryException oom = assertThrows(OutOfMemoryException.class,
                () -> MeshBuffer.create(new MeshBufferConfig.Replicated(2048),
                        DeviceLocalBufferConfig.interleaved(1024, BufferType.TRACE), mesh));
        assertEquals("Out of Memory: Not enough space to allocate 2048 B TRACE buffer across 12 banks, where each "
                + "bank needs to store 1024 B, but bank size is 0 B (allocated: 0 B, free: 0 B, largest free block: "
                + "0 B)", oom.getMessage());
        OutOfMemoryException chipOom = assertThrows(OutOfMemoryException.class,
                () -> Buffer.create(mesh.devices().get(3), 1024, 1024, BufferType.TRACE));
        assertTrue(chipOom.getMessage().startsWith("Out of Memory: Not enough space to allocate 1024 B TRACE buffer "
                + "across 12 banks"), chipOom.getMessage());
        assertTrue(mesh.allocator().isEmpty());
        assertTrue(mesh.liveMeshBuffers().isEmpty(), "the refused MeshBuffer left nothing behind");
        mesh.close();
    }

    @Test
    void anEmptyTraceNeedsNoMemory() {
        MeshDevice mesh = open(0);
        MeshTraceId id = mesh.beginMeshTrace(0);
        mesh.endMeshTrace(0, id, 0);
        MeshBuffer tb = mesh.getMeshTrace(id).orElseThrow().meshBuffer().orElseThrow();
        assertEquals(0, tb.size());
        assertEquals(4096, tb.pageSize());
        assertEquals(0, tb.address());
        assertTrue(mesh.allocator().isEmpty(), "a size-0 buffer never reaches the allocator");
        assertTrue(mesh.allocator().allocationsUnsafe());
        mesh.releaseMeshTrace(id);
        assertFalse(mesh.allocator().allocationsUnsafe());
        mesh.close();
    }

    @Test
    void commandQueueAndPoolChecksUseTheCppMessages() {
        MeshDevice mesh = open(MIB, CoreRules.UPSTREAM, 2);
        MeshTraceId id = mesh.beginMeshTrace(0);
        TtFatalException busy = assertThrows(TtFatalException.class, () -> mesh.beginMeshTrace(0));
        assertEquals("CQ 0 is already being used for tracing tid " + id, busy.getMessage());
        long manager = mesh.activeSubDeviceManagerId();
        mesh.markAllocationsUnsafe();
        TtFatalException exists = assertThrows(TtFatalException.class, () -> mesh.beginMeshTrace(1, id));
        assertEquals("Trace already exists for tid " + id + " on device 0's active sub-device manager " + manager,
                exists.getMessage());
        assertFalse(mesh.allocator().allocationsUnsafe(), "the C++ marks allocations safe before this check");
        assertTrue(mesh.commandQueueTraceId(1).isEmpty());
        MeshTraceId other = new MeshTraceId(99);
        TtFatalException notCapturing = assertThrows(TtFatalException.class, () -> mesh.endMeshTrace(1, other, 64));
        assertEquals("CQ 1 is not being used for tracing tid 99", notCapturing.getMessage());
        TtFatalException wrongId = assertThrows(TtFatalException.class, () -> mesh.endMeshTrace(0, other, 64));
        assertEquals("CQ 0 is not being used for tracing tid 99", wrongId.getMessage());
        TtFatalException replay = assertThrows(TtFatalException.class, () -> mesh.replayMeshTrace(0, other));
        assertEquals("Trace instance 99 must exist on Mesh device 0's active sub-device manager " + manager,
                replay.getMessage());
        assertThrows(IllegalArgumentException.class, () -> mesh.beginMeshTrace(2));
        assertThrows(IllegalArgumentException.class, () -> mesh.endMeshTrace(0, id, -1));
        assertEquals(id, mesh.commandQueueTraceId(0).orElseThrow(), "refused calls left the capture running");
        // Both queues can capture at once.
        MeshTraceId onOne = mesh.beginMeshTrace(1);
        mesh.endMeshTrace(1, onOne, 2048);
        mesh.endMeshTrace(0, id, 2048);
        assertEquals(2 * 2048, mesh.traceBuffersSize());
        mesh.close();
    }

    @Test
    void traceIdsComeFromTheProcessCounterSharedByItsMeshes() {
        MetalContext context = MetalContext.untracked();
        MeshDevice a = MeshDevice.open(MeshDeviceConfig.of(new MeshShape(1, 2), ArchPreset.WORMHOLE_B0.config(MIB, 0)),
                context, MeshRules.UPSTREAM);
        MeshDevice b = MeshDevice.open(MeshDeviceConfig.of(new MeshShape(1, 2), ArchPreset.WORMHOLE_B0.config(MIB, 0))
                .withMeshId(1), context, MeshRules.UPSTREAM);
        assertEquals(0, a.beginMeshTrace(0).value());
        assertEquals(1, b.beginMeshTrace(0).value());
        MetalContext otherProcess = MetalContext.untracked();
        MeshDevice c = MeshDevice.open(MeshDeviceConfig.of(new MeshShape(1, 2), ArchPreset.WORMHOLE_B0.config(MIB, 0)),
                otherProcess, MeshRules.UPSTREAM);
        assertEquals(0, c.beginMeshTrace(0).value());
        a.close();
        b.close();
        c.close();
    }

    @Test
    void theActiveSubDeviceManagerHoldsTheTraceUntilItIsRemoved() {
        MeshDevice mesh = open(MIB);
        long managerId = mesh.createSubDeviceManager(List.of(new SubDevice(
                mesh.allocator().getConfig().computeGrid())), 0);
        mesh.loadSubDeviceManager(managerId);
        MeshTraceId id = mesh.beginMeshTrace(0);
        mesh.endMeshTrace(0, id, 10_000);
        assertEquals(10_240, mesh.traceBuffersSize());
        MeshBuffer tb = mesh.getMeshTrace(id).orElseThrow().meshBuffer().orElseThrow();
        assertSame(mesh.allocator(), tb.getBackingBuffer().orElseThrow().allocator(),
                "the trace buffer itself lives in the mesh (global) allocator");

        mesh.clearLoadedSubDeviceManager();
        assertTrue(mesh.getMeshTrace(id).isEmpty(), "the default manager does not hold it");
        mesh.releaseMeshTrace(id);
        assertEquals(10_240, mesh.traceBuffersSize(), "releasing through another manager is a no-op");
        assertTrue(mesh.allocator().allocationsUnsafe());

        mesh.removeSubDeviceManager(managerId);
        assertTrue(tb.isDestroyed(), "removing the manager destroys its traces");
        assertEquals(0, mesh.traceBuffersSize());
        assertEquals(0, mesh.allocator().getStatistics(BufferType.TRACE).totalAllocatedBytes());
        assertTrue(mesh.allocator().allocationsUnsafe(), "only release_mesh_trace marks allocations safe");
        mesh.close();
    }

    @Test
    void closeDestroysLiveTracesAfterTheAllocatorsAreReleasedUnderBothTeardowns() {
        for (SubDeviceManagerTeardown teardown : SubDeviceManagerTeardown.values()) {
            MeshDevice mesh = open(MIB, CoreRules.UPSTREAM.with(teardown), 1);
            MeshTraceId id = mesh.beginMeshTrace(0);
            mesh.endMeshTrace(0, id, 10_000);
            MeshTraceBuffer trace = mesh.getMeshTrace(id).orElseThrow();
            MeshBuffer tb = trace.meshBuffer().orElseThrow();
            Buffer backing = tb.getBackingBuffer().orElseThrow();
            Allocator meshAllocator = mesh.allocator();
            MeshTraceId capturing = mesh.beginMeshTrace(0);
            mesh.close();
            assertTrue(trace.isDestroyed(), teardown.name());
            assertTrue(tb.isDestroyed(), teardown.name());
            assertEquals(0, mesh.traceBuffersSize(), teardown.name() + ": ~MeshTraceBuffer subtracted its size");
            assertEquals(AllocationStatus.DEALLOCATED, backing.allocationStatus(), teardown.name());
            assertEquals(0, meshAllocator.getStatistics(BufferType.TRACE).totalAllocatedBytes(), teardown.name());
            assertTrue(meshAllocator.isEmpty(), teardown.name());
            assertTrue(mesh.commandQueueTraceId(0).isEmpty(), "the capture in progress went with the command queues");
            assertThrows(IllegalStateException.class, () -> mesh.releaseMeshTrace(capturing),
                    "a closed mesh has no sub-device manager to ask");
        }
    }

    @Test
    void releasingTheMeshExpiresItBeforeItsTracesSoTheirSizeIsNotSubtracted() {
        MeshDevice mesh = open(MIB);
        MeshTraceId id = mesh.beginMeshTrace(0);
        mesh.endMeshTrace(0, id, 10_000);
        MeshBuffer tb = mesh.getMeshTrace(id).orElseThrow().meshBuffer().orElseThrow();
        Allocator meshAllocator = mesh.allocator();
        mesh.release();
        assertTrue(mesh.isExpired());
        assertFalse(mesh.isInitialized());
        assertTrue(tb.isDestroyed());
        assertEquals(10_240, mesh.traceBuffersSize(), "is_allocated() was false in ~MeshTraceBuffer");
        assertTrue(meshAllocator.isEmpty(), "the upstream teardown still freed the range");
    }

    // ---- Mutation-testing review ----

    @Test
    void aTwoGigabyteTraceWastesLeastWithTwoKibPages() {
        // Near 2^31 B the waste is still padded - size (mod 2^32), not anything monotonic in the padded size alone.
        assertEquals(2048, TraceDispatch.computeInterleavedTraceBufPageSize(2_147_468_093L, DRAM_BANKS));
    }

    @Test
    void aTraceBufferKnowsItsIdAndWhenItIsDropped() {
        MeshDevice mesh = open(MIB);
        MeshTraceId id = mesh.beginMeshTrace(0);
        mesh.endMeshTrace(0, id, 10_000);
        MeshTraceBuffer trace = mesh.getMeshTrace(id).orElseThrow();
        assertEquals(id, trace.traceId());
        assertFalse(trace.isDestroyed());
        assertEquals("MeshTraceBuffer{tid=" + id + ", size=10000, " + trace.meshBuffer().orElseThrow() + "}",
                trace.toString());
        mesh.releaseMeshTrace(id);
        assertTrue(trace.isDestroyed());
        mesh.close();
    }

    @Test
    void endingACaptureAfterSwitchingSubDeviceManagersFindsNoTrace() {
        MeshDevice mesh = open(MIB);
        MeshTraceId id = mesh.beginMeshTrace(0);
        long manager = mesh.createSubDeviceManager(List.of(new SubDevice(io.github.meshalloc.allocator.CoreRangeSet.of(
                io.github.meshalloc.allocator.CoreRange.grid(8, 8)))), 4096);
        mesh.loadSubDeviceManager(manager);
        TtFatalException e = assertThrows(TtFatalException.class, () -> mesh.endMeshTrace(0, id, 4096));
        assertTrue(e.getMessage().startsWith("Trace instance " + id + " must exist"), e.getMessage());
        mesh.close();
    }
}
