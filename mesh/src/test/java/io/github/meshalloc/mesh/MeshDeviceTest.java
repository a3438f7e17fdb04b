package io.github.meshalloc.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.allocator.AllocatorConfig;
import io.github.meshalloc.allocator.ArchPreset;
import io.github.meshalloc.allocator.Buffer;
import io.github.meshalloc.allocator.BufferType;
import io.github.meshalloc.allocator.Device;
import io.github.meshalloc.allocator.MetalContext;
import io.github.meshalloc.mesh.rules.MeshRules;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Mesh shapes, placement, the mesh's own allocator, local coordinates, and several processes (reference 9.1). */
class MeshDeviceTest {
    static final AllocatorConfig WH = ArchPreset.WORMHOLE_B0.config();

    static MeshDevice open(int rows, int columns, MetalContext context) {
        return MeshDevice.open(MeshDeviceConfig.of(new MeshShape(rows, columns), WH), context, MeshRules.UPSTREAM);
    }

    static MeshBuffer replicated(MeshDevice mesh, long bytes, BufferType type) {
        return MeshBuffer.create(new MeshBufferConfig.Replicated(bytes),
                DeviceLocalBufferConfig.interleaved(2048, type), mesh);
    }

    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({"1, 1", "1, 2", "2, 4", "4, 8"})
    void everyShapeOpensItsChipsRowMajorWithItsOwnAllocatorAndClosesEmpty(int rows, int columns) {
        MeshDevice mesh = open(rows, columns, MetalContext.untracked());
        int n = rows * columns;
        assertEquals(new MeshShape(rows, columns), mesh.shape());
        assertEquals(n, mesh.numDevices());
        assertEquals(n, mesh.devices().size());
        List<MeshCoordinate> expected = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                expected.add(new MeshCoordinate(r, c));
            }
        }
        assertEquals(expected, mesh.coordinates(), "row-major coordinates");
        for (MeshCoordinate coord : expected) {
            assertTrue(mesh.isLocal(coord));
            assertTrue(mesh.deviceAt(coord).isInitialized());
        }
        assertFalse(mesh.isLocal(new MeshCoordinate(rows, 0)));
        assertFalse(mesh.isLocal(new MeshCoordinate(0, columns)));
        assertThrows(IllegalArgumentException.class, () -> mesh.deviceAt(new MeshCoordinate(rows, columns)));
        if (rows == 2 && columns == 4) {
            assertEquals(MeshDeviceConfig.T3K_2X4_PLACEMENT, mesh.devices().stream().map(Device::id).toList());
        } else {
            assertEquals(IntStream.range(0, n).boxed().toList(), mesh.devices().stream().map(Device::id).toList());
        }
        assertSame(mesh.devices().get(0), mesh.referenceDevice());
        // The mesh allocator is a separate instance built from the reference chip's config.
        assertEquals(mesh.referenceDevice().config(), mesh.allocator().getConfig());
        for (Device chip : mesh.devices()) {
            assertNotSame(chip.allocator(), mesh.allocator());
        }
        MeshBuffer dram = replicated(mesh, 12 * 2048, BufferType.DRAM);
        MeshBuffer l1 = replicated(mesh, 64 * 2048, BufferType.L1);
        assertEquals(n, dram.deviceBuffers().size());
        assertEquals(expected, List.copyOf(dram.deviceBuffers().keySet()));
        assertEquals(2, mesh.allocator().getNumAllocatedBuffers());
        for (MeshCoordinate coord : expected) {
            Buffer chipBuffer = dram.getDeviceBuffer(coord);
            assertSame(mesh.deviceAt(coord), chipBuffer.device());
            assertEquals(dram.address(), chipBuffer.address());
            assertEquals(l1.address(), l1.getDeviceBuffer(coord).address());
            assertTrue(mesh.deviceAt(coord).allocator().isEmpty(), "chip allocators never see MeshBuffers");
        }
        var meshAllocator = mesh.allocator();
        var chipAllocators = mesh.devices().stream().map(Device::allocator).toList();
        mesh.close();
        assertTrue(meshAllocator.isEmpty());
        chipAllocators.forEach(a -> assertTrue(a.isEmpty()));
        for (Device chip : mesh.devices()) {
            assertFalse(chip.isInitialized());
        }
        dram.release();
        l1.release();
    }

    @Test
    void aThirtyTwoChipMeshIsQuick() {
        assertTimeoutPreemptively(Duration.ofSeconds(3), () -> {
            for (int round = 0; round < 5; round++) {
                MeshDevice mesh = open(4, 8, MetalContext.untracked());
                List<MeshBuffer> buffers = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    buffers.add(replicated(mesh, 12 * 2048 * (i + 1), BufferType.DRAM));
                }
                buffers.forEach(MeshBuffer::release);
                assertTrue(mesh.allocator().isEmpty());
                mesh.close();
            }
        });
    }

    @Test
    void placementIsWhatTheConfigSays() {
        MeshDeviceConfig config = new MeshDeviceConfig(3, new MeshShape(1, 2), List.of(7, 2), WH,
                SystemBufferProfile.NONE);
        MeshDevice mesh = MeshDevice.open(config, MetalContext.untracked(), MeshRules.UPSTREAM);
        assertEquals(3, mesh.id());
        assertEquals(7, mesh.deviceAt(new MeshCoordinate(0, 0)).id());
        assertEquals(2, mesh.deviceAt(new MeshCoordinate(0, 1)).id());
        assertEquals(1, config.numCommandQueues());
        mesh.close();
    }

    @Test
    void badConfigsAreRefusedWithTheOffendingValue() {
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> new MeshDeviceConfig(0, new MeshShape(1, 2), List.of(0), WH, SystemBufferProfile.NONE));
        assertTrue(count.getMessage().contains("1 device ids given for a 1x2 mesh of 2 chips"), count.getMessage());
        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class,
                () -> new MeshDeviceConfig(0, new MeshShape(1, 2), List.of(1, 1), WH, SystemBufferProfile.NONE));
        assertTrue(dup.getMessage().contains("[1, 1]"), dup.getMessage());
        IllegalArgumentException cqs = assertThrows(IllegalArgumentException.class,
                () -> MeshDeviceConfig.of(new MeshShape(1, 1), WH).withNumCommandQueues(3));
        assertEquals("number of command queues 3 must be 1..2", cqs.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new MeshShape(0, 4));
    }

    @Test
    void systemBuffersGoThroughEachChipsAllocatorAndAreFreedAtClose() {
        SystemBufferProfile profile = new SystemBufferProfile(List.of(
                new SystemBufferProfile.SystemBuffer("dispatch", BufferType.DRAM, 12 * 4096, 4096)));
        MeshDevice mesh = MeshDevice.open(MeshDeviceConfig.of(new MeshShape(1, 2), WH).withSystemBuffers(profile),
                MetalContext.untracked(), MeshRules.UPSTREAM);
        var chipAllocators = mesh.devices().stream().map(Device::allocator).toList();
        for (var allocator : chipAllocators) {
            assertEquals(1, allocator.getNumAllocatedBuffers());
            assertEquals(4096, allocator.getStatistics(BufferType.DRAM).totalAllocatedBytes());
        }
        assertTrue(mesh.allocator().isEmpty());
        mesh.close();
        chipAllocators.forEach(a -> assertTrue(a.isEmpty()));
    }

    /** Item 7: processes are MetalContexts; each opens the same chips with allocators of its own. */
    @Test
    void twoProcessesOpenTheSameChipsIndependently() {
        MetalContext processA = MetalContext.untracked();
        MetalContext processB = MetalContext.untracked();
        MeshDevice a = open(2, 4, processA);
        MeshDevice b = open(2, 4, processB);
        assertEquals(a.devices().stream().map(Device::id).toList(), b.devices().stream().map(Device::id).toList());
        assertNotSame(a.allocator(), b.allocator());
        for (int i = 0; i < 8; i++) {
            assertNotSame(a.devices().get(i), b.devices().get(i), "each process has its own Device objects");
            assertNotSame(a.devices().get(i).allocator(), b.devices().get(i).allocator());
        }
        MeshBuffer inA = replicated(a, 4_194_304, BufferType.DRAM);
        MeshBuffer inB = replicated(b, 4_194_304, BufferType.DRAM);
        assertEquals(inA.address(), inB.address(), "both allocators hand out the same first address");
        assertEquals(0, inA.getBackingBuffer().orElseThrow().uniqueId(), "unique ids count per process");
        assertEquals(0, inB.getBackingBuffer().orElseThrow().uniqueId());
        Buffer chipA = Buffer.create(a.devices().get(0), 2048, 2048, BufferType.L1);
        Buffer chipB = Buffer.create(b.devices().get(0), 2048, 2048, BufferType.L1);
        assertEquals(chipA.address(), chipB.address());

        var allocatorB = b.allocator();
        a.close();
        assertFalse(a.isInitialized());
        assertTrue(b.isInitialized(), "closing one process's mesh leaves the other open");
        assertTrue(inB.isAllocated());
        assertEquals(1, allocatorB.getNumAllocatedBuffers());
        MeshBuffer more = replicated(b, 2048 * 12, BufferType.DRAM);
        assertEquals(inB.address() + 4_194_304 / 12 / 2048 * 2048 + 2048, more.address(),
                "B keeps allocating after its range; 2,048 pages over 12 banks take 171 pages a bank");
        more.release();
        inB.release();
        chipB.release();
        b.close();
        assertTrue(allocatorB.isEmpty());
        inA.release();
        chipA.release();
    }

    // ---- Mutation-testing review ----

    @Test
    void commandQueueIdsOutsideTheMeshAreRefusedBeforeAnythingChanges() {
        MetalContext context = MetalContext.untracked();
        MeshDevice mesh = MeshDevice.open(MeshDeviceConfig.of(new MeshShape(1, 2), WH.withTraceRegionSize(1 << 20)),
                context, MeshRules.UPSTREAM);
        assertSame(mesh.config(), mesh.config());
        assertEquals(new MeshShape(1, 2), mesh.config().shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> mesh.beginMeshTrace(1));
        assertEquals("command queue id 1 is outside 0..0 of mesh device 0", e.getMessage());
        // The refused call took no trace id from the process counter.
        MeshTraceId first = mesh.beginMeshTrace(0);
        assertEquals(0, first.value());
        assertThrows(IllegalArgumentException.class, () -> mesh.beginMeshTrace(1, new MeshTraceId(7)));
        assertThrows(IllegalArgumentException.class, () -> mesh.endMeshTrace(1, first, 4096));
        assertThrows(IllegalArgumentException.class, () -> mesh.commandQueueTraceId(1));
        mesh.endMeshTrace(0, first, 4096);
        assertThrows(IllegalArgumentException.class, () -> mesh.replayMeshTrace(1, first));
        assertThrows(IllegalArgumentException.class, () -> mesh.replayMeshTrace(-1, first));
        mesh.replayMeshTrace(0, first);
        assertTrue(mesh.getMeshTrace(first).orElseThrow().meshBuffer().isPresent());
        assertSame(first, mesh.getMeshTrace(first).orElseThrow().traceId());
        mesh.close();
    }

    @Test
    void aClosedMeshHasNoSubDeviceManagerTrackerAndPrintsItsState() {
        MeshDevice mesh = open(1, 2, MetalContext.untracked());
        assertEquals("MeshDevice{0, 1x2, open}", mesh.toString());
        mesh.subDeviceManagerTracker();
        mesh.close();
        assertEquals("MeshDevice{0, 1x2, closed}", mesh.toString());
        assertEquals("mesh device 0 is not initialized",
                assertThrows(IllegalStateException.class, mesh::subDeviceManagerTracker).getMessage());
        mesh.release();
        assertEquals("MeshDevice{0, 1x2, closed, released}", mesh.toString());
    }

    @Test
    void meshCoordinatesOrderRowMajorAndPrintAsPairs() {
        assertTrue(new MeshCoordinate(0, 3).compareTo(new MeshCoordinate(1, 0)) < 0);
        assertTrue(new MeshCoordinate(1, 2).compareTo(new MeshCoordinate(1, 1)) > 0);
        assertEquals(0, new MeshCoordinate(1, 1).compareTo(new MeshCoordinate(1, 1)));
        assertEquals("(1, 2)", new MeshCoordinate(1, 2).toString());
    }
}
