package io.github.meshalloc.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.allocator.AllocationStatus;
import io.github.meshalloc.allocator.AllocatorConfig;
import io.github.meshalloc.allocator.ArchPreset;
import io.github.meshalloc.allocator.Buffer;
import io.github.meshalloc.allocator.BufferType;
import io.github.meshalloc.allocator.CoreRange;
import io.github.meshalloc.allocator.CoreRangeSet;
import io.github.meshalloc.allocator.Device;
import io.github.meshalloc.allocator.MetalContext;
import io.github.meshalloc.allocator.TtFatalException;
import io.github.meshalloc.allocator.rules.CoreRules;
import io.github.meshalloc.allocator.rules.SubDeviceManagerTeardown;
import io.github.meshalloc.mesh.rules.MeshBufferDeallocate;
import io.github.meshalloc.mesh.rules.MeshRules;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The mesh test of allocation-server.md section 9, as allocations: a 2x4 Wormhole mesh built with a
 * profiler (tracy) DRAM reserve so the first tensor lands at 2,560,032 (seed-arithmetic.md assumption 5),
 * the six tensors, the two kernel binaries, and the close paths.
 */
class MeshScenarioTest {
    /** dram_unreserved_base of a TRACY_ENABLE build that puts the first mesh tensor at 2,560,032 [I]. */
    static final long TRACY_DRAM_BASE = 2_560_032;
    static final long TILE = 2048;

    static AllocatorConfig tracyWormhole() {
        return ArchPreset.WORMHOLE_B0.config().withDramUnreservedBase(TRACY_DRAM_BASE);
    }

    static MeshDevice open2x4(CoreRules core, MeshRules meshRules) {
        MetalContext context = new MetalContext(core, io.github.meshalloc.allocator.GraphTracking.NOOP,
                io.github.meshalloc.allocator.AllocationReporter.NOOP);
        return MeshDevice.open(MeshDeviceConfig.of(new MeshShape(2, 4), tracyWormhole()), context, meshRules);
    }

    static MeshBuffer tensor(MeshDevice mesh, long perDeviceBytes) {
        return MeshBuffer.create(new MeshBufferConfig.Replicated(perDeviceBytes),
                DeviceLocalBufferConfig.interleaved(TILE, BufferType.DRAM), mesh);
    }

    static final ProgramSpec ADD = new ProgramSpec("add", 12 * 1024, TILE, List.of(
            CircularBufferSpec.local(CoreRangeSet.of(CoreRange.grid(8, 8)), 4096),
            CircularBufferSpec.local(CoreRangeSet.of(CoreRange.grid(8, 8)), 4096),
            CircularBufferSpec.local(CoreRangeSet.of(CoreRange.grid(8, 8)), 4096)));
    static final ProgramSpec MATMUL = new ProgramSpec("matmul", 24 * 1024, TILE, List.of(
            CircularBufferSpec.local(CoreRangeSet.of(CoreRange.grid(8, 8)), 4096),
            CircularBufferSpec.local(CoreRangeSet.of(CoreRange.grid(8, 8)), 4096),
            CircularBufferSpec.local(CoreRangeSet.of(CoreRange.grid(8, 8)), 2048)));

    @Test
    void placementOfThe2x4MeshIsTheRecordedOne() {
        MeshDevice mesh = open2x4(CoreRules.UPSTREAM, MeshRules.UPSTREAM);
        assertEquals(List.of(4, 0, 3, 7, 5, 1, 2, 6), mesh.devices().stream().map(Device::id).toList());
        assertEquals(4, mesh.deviceAt(new MeshCoordinate(0, 0)).id());
        assertEquals(6, mesh.deviceAt(new MeshCoordinate(1, 3)).id());
        assertTrue(mesh.isMeshDevice());
        mesh.close();
    }

    @Test
    void tensorsAndKernelBinariesLandAtTheSeedsAddresses() {
        MeshDevice mesh = open2x4(CoreRules.UPSTREAM, MeshRules.UPSTREAM);
        MeshBuffer t1 = tensor(mesh, 4_194_304);
        MeshBuffer t2 = tensor(mesh, 4_194_304);
        MeshBuffer add = tensor(mesh, 4_194_304);
        Program addProgram = mesh.programCache().run(ADD, List.of());
        MeshBuffer a = tensor(mesh, 524_288);
        MeshBuffer b = tensor(mesh, 524_288);
        MeshBuffer mm = tensor(mesh, 1_048_576);
        Program mmProgram = mesh.programCache().run(MATMUL, List.of());

        assertEquals(List.of(2_560_032L, 2_910_240L, 3_260_448L, 3_610_656L, 3_655_712L, 3_700_768L),
                List.of(t1.address(), t2.address(), add.address(), a.address(), b.address(), mm.address()));
        assertEquals(0x3ffff800L, addProgram.kernelBinary().orElseThrow().address());
        assertEquals(0x3ffff000L, mmProgram.kernelBinary().orElseThrow().address());
        // Three CB addresses per program, the same for both programs: base, base + 4096, base + 8192.
        long base = tracyWormhole().l1UnreservedBase();
        assertEquals(List.of(base, base + 4096, base + 8192), addProgram.circularBufferAddresses());
        assertEquals(addProgram.circularBufferAddresses(), mmProgram.circularBufferAddresses());
        // Per-chip buffers share the backing address and never touch the chip allocators.
        for (MeshBuffer t : List.of(t1, t2, add, a, b, mm)) {
            for (Buffer chipBuffer : t.deviceBuffers().values()) {
                assertEquals(t.address(), chipBuffer.address());
                assertFalse(chipBuffer.ownsData());
            }
        }
        for (Device chip : mesh.devices()) {
            assertEquals(0, chip.allocator().getNumAllocatedBuffers());
        }
        assertEquals(8, mesh.allocator().getNumAllocatedBuffers());
        mesh.close();
    }

    @Test
    void upstreamDeallocateReturnsTheRangeOnlyWhenTheLastReferenceDrops() {
        MeshDevice mesh = open2x4(CoreRules.UPSTREAM, MeshRules.UPSTREAM);
        MeshBuffer t = tensor(mesh, 4_194_304);
        Buffer backing = t.getBackingBuffer().orElseThrow();
        backing.retain(); // e.g. a program's buffer pool
        t.deallocate();
        assertEquals(AllocationStatus.ALLOCATED, backing.allocationStatus());
        assertEquals(1, mesh.allocator().getNumAllocatedBuffers());
        // Per-chip buffers are untouched by upstream deallocate.
        assertTrue(t.getReferenceBuffer().isAllocated());
        backing.release();
        assertEquals(AllocationStatus.DEALLOCATED, backing.allocationStatus());
        assertTrue(mesh.allocator().isEmpty());
        t.release();
        mesh.close();
    }

    @Test
    void seed003FinalFixLeaksTheMeshAllocatorRange() {
        MeshDevice mesh = open2x4(CoreRules.UPSTREAM,
                MeshRules.UPSTREAM.with(MeshBufferDeallocate.BACKING_FIRST_THEN_DEVICE_BUFFERS));
        MeshBuffer t = tensor(mesh, 4_194_304);
        t.deallocate();
        t.release();
        assertTrue(t.isDestroyed());
        assertFalse(mesh.allocator().isEmpty(), "the backing range stays allocated");
        assertEquals(4_194_304L / 12 / TILE * TILE + TILE,
                mesh.allocator().getStatistics(BufferType.DRAM).totalAllocatedBytes());
        mesh.close();
    }

    @Test
    void meshallocFixReturnsTheRangeEvenWithAnotherReference() {
        MeshDevice mesh = open2x4(CoreRules.UPSTREAM,
                MeshRules.UPSTREAM.with(MeshBufferDeallocate.DEVICE_BUFFERS_THEN_DEALLOCATE_BACKING));
        MeshBuffer t = tensor(mesh, 4_194_304);
        Buffer backing = t.getBackingBuffer().orElseThrow().retain();
        t.deallocate();
        assertTrue(mesh.allocator().isEmpty());
        for (Buffer chipBuffer : t.deviceBuffers().values()) {
            assertEquals(AllocationStatus.DEALLOCATED, chipBuffer.allocationStatus());
        }
        backing.release();
        t.release();
        mesh.close();
    }

    @Test
    void clearingTheProgramCacheReleasesTheKernelBinaries() {
        MeshDevice mesh = open2x4(CoreRules.UPSTREAM, MeshRules.UPSTREAM);
        mesh.programCache().run(ADD, List.of());
        mesh.programCache().run(MATMUL, List.of());
        assertEquals(2, mesh.allocator().getNumAllocatedBuffers());
        mesh.disableAndClearProgramCache();
        assertTrue(mesh.allocator().isEmpty());
        assertTrue(mesh.liveMeshBuffers().isEmpty());
        mesh.close();
    }

    @Test
    void closeWithLiveBuffersUnderBothTeardowns() {
        for (SubDeviceManagerTeardown teardown : SubDeviceManagerTeardown.values()) {
            MeshDevice mesh = open2x4(CoreRules.UPSTREAM.with(teardown), MeshRules.UPSTREAM);
            MeshBuffer t = tensor(mesh, 4_194_304);
            Buffer backing = t.getBackingBuffer().orElseThrow();
            Device chip = mesh.devices().get(0);
            Buffer chipBuffer = Buffer.create(chip, 1 << 20, TILE, BufferType.DRAM);
            var meshAllocator = mesh.allocator();
            var chipAllocator = chip.allocator();
            mesh.close();
            assertFalse(mesh.isInitialized());
            assertEquals(0, meshAllocator.getStatistics(BufferType.DRAM).totalAllocatedBytes(), teardown.name());
            assertEquals(0, chipAllocator.getStatistics(BufferType.DRAM).totalAllocatedBytes(), teardown.name());
            AllocationStatus expected = teardown == SubDeviceManagerTeardown.CLEAR_THEN_DEALLOCATE_EACH
                    ? AllocationStatus.DEALLOCATED : AllocationStatus.ALLOCATED;
            assertEquals(expected, backing.allocationStatus(), teardown.name());
            assertEquals(expected, chipBuffer.allocationStatus(), teardown.name());
            // Reference 12.3, last paragraph: after close a still-ALLOCATED buffer skips the allocator.
            chipBuffer.release();
            assertEquals(AllocationStatus.DEALLOCATED, chipBuffer.allocationStatus());
            t.release();
            assertFalse(t.isAllocated());
        }
    }

    @Test
    void leakedL1MakesALaterProgramClashWithBothMessages() {
        MeshDevice mesh = open2x4(CoreRules.UPSTREAM, MeshRules.UPSTREAM);
        long w = mesh.l1SizePerCore();
        long base = tracyWormhole().l1UnreservedBase();
        // An L1 buffer that takes almost all of L1 leaves less than one CB of room above the base.
        long perBank = w - base - 2048;
        MeshBuffer l1 = MeshBuffer.create(new MeshBufferConfig.Replicated(perBank * 64),
                DeviceLocalBufferConfig.interleaved(perBank, BufferType.L1), mesh);
        TtFatalException clash = assertThrows(TtFatalException.class, () -> mesh.programCache().run(ADD, List.of()));
        assertTrue(clash.getMessage().matches("Statically allocated circular buffers in program \\d+ clash with L1 "
                + "buffers on core range .*\\. L1 buffer allocated at " + (base + 2048)
                + " and static circular buffer region ends at " + (base + 3 * 4096)), clash.getMessage());
        assertTrue(mesh.programCache().programs().isEmpty());
        assertEquals(1, mesh.allocator().getNumAllocatedBuffers(), "the failed program left nothing behind");
        l1.release();
        ProgramSpec huge = new ProgramSpec("huge", 0, TILE,
                List.of(CircularBufferSpec.local(CoreRangeSet.of(CoreRange.grid(8, 8)), w)));
        TtFatalException beyond = assertThrows(TtFatalException.class, () -> mesh.programCache().run(huge, List.of()));
        assertEquals("Statically allocated circular buffers on core range " + CoreRange.grid(8, 8) + " grow to "
                + (base + w) + " B which is beyond max L1 size of " + w + " B", beyond.getMessage());
        mesh.close();
    }

    @Test
    void closeKeepsCachedProgramsUpstreamAndClearsThemFirstUnderTheProposal() {
        MeshDevice kept = open2x4(CoreRules.UPSTREAM, MeshRules.UPSTREAM);
        Program keptProgram = kept.programCache().run(ADD, List.of());
        kept.close();
        assertFalse(keptProgram.isDestroyed(), "close_impl leaves the program cache alone");
        kept.release();
        assertTrue(keptProgram.isDestroyed(), "~MeshDevice destroys it");

        MeshDevice cleared = open2x4(CoreRules.UPSTREAM,
                MeshRules.UPSTREAM.with(io.github.meshalloc.mesh.rules.MeshCloseProgramCache.CLEAR_FIRST));
        Program clearedProgram = cleared.programCache().run(ADD, List.of());
        MeshBuffer binary = clearedProgram.kernelBinary().orElseThrow();
        cleared.close();
        assertTrue(clearedProgram.isDestroyed());
        assertTrue(binary.isDestroyed(), "the binary's MeshBuffer went while the mesh was still open");
    }
}
