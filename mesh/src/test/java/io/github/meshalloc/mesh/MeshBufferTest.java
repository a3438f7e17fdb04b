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
import io.github.meshalloc.allocator.BufferRegion;
import io.github.meshalloc.allocator.BufferType;
import io.github.meshalloc.allocator.GraphTracking;
import io.github.meshalloc.allocator.MetalContext;
import io.github.meshalloc.allocator.ShardOrientation;
import io.github.meshalloc.allocator.TtFatalException;
import io.github.meshalloc.allocator.rules.CoreRules;
import io.github.meshalloc.allocator.rules.SubDeviceManagerTeardown;
import io.github.meshalloc.mesh.rules.MeshBufferDeallocate;
import io.github.meshalloc.mesh.rules.MeshRules;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** MeshBuffer on a 2x4 Wormhole mesh (reference 9.2-9.4, mesh_buffer.cpp late-2025). */
class MeshBufferTest {
    static final long PAGE = 1024;
    /** A 64 x 128 bf16 buffer: 16,384 B. */
    static final long GLOBAL = 64 * 128 * 2;

    static MeshDevice open(MeshRules rules, CoreRules core) {
        MetalContext context = new MetalContext(core, GraphTracking.NOOP, AllocationReporter.NOOP);
        return MeshDevice.open(MeshDeviceConfig.of(new MeshShape(2, 4), ArchPreset.WORMHOLE_B0.config()), context,
                rules);
    }

    static MeshDevice open() {
        return open(MeshRules.UPSTREAM, CoreRules.UPSTREAM);
    }

    static MeshBufferConfig.Sharded sharded(long shardHeight, long shardWidth, ShardOrientation orientation) {
        return new MeshBufferConfig.Sharded(GLOBAL, 64, 128, shardHeight, shardWidth, orientation);
    }

    static MeshBuffer create(MeshDevice mesh, MeshBufferConfig config, BufferType type) {
        return MeshBuffer.create(config, DeviceLocalBufferConfig.interleaved(PAGE, type), mesh);
    }

    static Stream<Arguments> configs() {
        return Stream.of(
                Arguments.of("replicated", new MeshBufferConfig.Replicated(8192), 8192),
                Arguments.of("2x4 shards of 32x32", sharded(32, 32, ShardOrientation.ROW_MAJOR), 2 * 32 * 32),
                Arguments.of("height replicated, row-major", sharded(0, 32, ShardOrientation.ROW_MAJOR), 2 * 64 * 32),
                Arguments.of("width replicated, col-major", sharded(32, 0, ShardOrientation.COL_MAJOR), 2 * 32 * 128),
                Arguments.of("both replicated", sharded(0, 0, ShardOrientation.ROW_MAJOR), GLOBAL));
    }

    static Stream<Arguments> matrix() {
        return configs().flatMap(c -> Stream.of(BufferType.DRAM, BufferType.L1)
                .map(t -> Arguments.of(c.get()[0], c.get()[1], c.get()[2], t)));
    }

    @ParameterizedTest(name = "{0} in {3}")
    @MethodSource("matrix")
    void everyConfigAllocatesItsDeviceLocalSizeOnceInTheMeshAllocator(String name, MeshBufferConfig config,
                                                                       long localSize, BufferType type) {
        MeshDevice mesh = open();
        MeshBuffer mb = create(mesh, config, type);
        assertEquals(localSize, mb.deviceLocalSize(), name);
        assertEquals(config.size(), mb.size(), "size() is the global size");
        assertEquals(MeshBuffer.State.OWNED, mb.state());
        assertTrue(mb.isAllocated());
        Buffer backing = mb.getBackingBuffer().orElseThrow();
        assertSame(mesh, backing.device());
        assertEquals(localSize, backing.size());
        assertTrue(backing.ownsData());
        assertEquals(mb.address(), backing.address());
        Allocator meshAllocator = mesh.allocator();
        assertEquals(List.of(backing), meshAllocator.getAllocatedBuffers());
        assertEquals(List.of(mb.address()), meshAllocator.getAllocatedAddresses(type));
        assertEquals(backing.alignedSizePerBank(), meshAllocator.getStatistics(type).totalAllocatedBytes());
        // Default direction: DRAM bottom-up from the unreserved base, L1 top-down from the top of the L1 manager.
        if (type == BufferType.DRAM) {
            assertEquals(ArchPreset.WORMHOLE_B0.config().dramUnreservedBase(), mb.address());
        } else {
            assertEquals(ArchPreset.WORMHOLE_B0.config().workerL1Size() - backing.alignedSizePerBank(), mb.address());
        }
        assertEquals(8, mb.deviceBuffers().size());
        for (var entry : mb.deviceBuffers().entrySet()) {
            Buffer chipBuffer = entry.getValue();
            assertSame(mesh.deviceAt(entry.getKey()), chipBuffer.device());
            assertSame(chipBuffer, mb.getDeviceBuffer(entry.getKey()));
            assertFalse(chipBuffer.ownsData());
            assertEquals(mb.address(), chipBuffer.address());
            assertEquals(localSize, chipBuffer.size());
            assertEquals(AllocationStatus.ALLOCATED, chipBuffer.allocationStatus());
            assertTrue(chipBuffer.subDeviceId().isEmpty());
            assertTrue(chipBuffer.allocator().isEmpty());
        }
        assertSame(mb.deviceBuffers().values().iterator().next(), mb.getReferenceBuffer());
        assertEquals(List.of(mb), mesh.liveMeshBuffers());
        mb.release();
        assertTrue(meshAllocator.isEmpty());
        assertTrue(mesh.liveMeshBuffers().isEmpty());
        mesh.close();
    }

    @Nested
    class Validation {
        @Test
        void shardsMustFitTheMeshCountingTheReplicatedAxisByOrientation() {
            MeshDevice mesh = open();
            IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
                    () -> create(mesh, sharded(16, 32, ShardOrientation.ROW_MAJOR), BufferType.DRAM));
            assertEquals("The sharded tensor does not fit on the Mesh. Num shards in buffer 16, Num Devices 8 "
                    + "(a 2x4 mesh)", tooMany.getMessage());
            // Height replicated: ROW_MAJOR multiplies 4 shards by 2 rows (fits), COL_MAJOR by 4 columns (does not).
            create(mesh, sharded(0, 32, ShardOrientation.ROW_MAJOR), BufferType.DRAM).release();
            IllegalArgumentException colMajor = assertThrows(IllegalArgumentException.class,
                    () -> create(mesh, sharded(0, 32, ShardOrientation.COL_MAJOR), BufferType.DRAM));
            assertTrue(colMajor.getMessage().contains("Num shards in buffer 16, Num Devices 8"),
                    colMajor.getMessage());
            IllegalArgumentException misaligned = assertThrows(IllegalArgumentException.class,
                    () -> create(mesh, sharded(30, 32, ShardOrientation.ROW_MAJOR), BufferType.DRAM));
            assertEquals("Global buffer shape must be aligned with the shard shape: requested buffer shape: (64, 128),"
                    + " shard shape: (30, 32)", misaligned.getMessage());
            IllegalArgumentException page = assertThrows(IllegalArgumentException.class,
                    () -> MeshBuffer.create(new MeshBufferConfig.Replicated(3000),
                            DeviceLocalBufferConfig.interleaved(PAGE, BufferType.DRAM), mesh));
            assertEquals("device-local size 3000 must be a multiple of the page size 1024", page.getMessage());
            assertTrue(mesh.allocator().isEmpty(), "refusals leave nothing behind");
            assertTrue(mesh.liveMeshBuffers().isEmpty());
            mesh.close();
        }

        @Test
        void theDatumSizeIsTruncatedAsComputeDatumSizeBytesDoes() {
            MeshBufferConfig.Sharded odd = new MeshBufferConfig.Sharded(GLOBAL + 1, 64, 128, 32, 32,
                    ShardOrientation.ROW_MAJOR);
            assertEquals(2, odd.datumSizeBytes());
            assertEquals(2048, odd.deviceLocalSize());
            assertThrows(IllegalArgumentException.class, () -> new MeshBufferConfig.Sharded(GLOBAL, 0, 128, 32, 32,
                    ShardOrientation.ROW_MAJOR));
            assertThrows(IllegalArgumentException.class, () -> new MeshBufferConfig.Sharded(GLOBAL, 64, 128, -1, 32,
                    ShardOrientation.ROW_MAJOR));
            assertThrows(IllegalArgumentException.class, () -> new MeshBufferConfig.Replicated(-1));
        }
    }

    @Test
    void withAnAddressNothingIsAllocated() {
        MeshDevice mesh = open();
        MeshBuffer ext = MeshBuffer.create(new MeshBufferConfig.Replicated(8192),
                DeviceLocalBufferConfig.interleaved(PAGE, BufferType.DRAM), mesh, OptionalLong.of(0x1000_0000L));
        assertEquals(MeshBuffer.State.EXTERNALLY_OWNED, ext.state());
        assertEquals(0x1000_0000L, ext.address());
        assertTrue(ext.getBackingBuffer().isEmpty());
        assertTrue(ext.isAllocated());
        ext.deviceBuffers().values().forEach(b -> assertEquals(0x1000_0000L, b.address()));
        assertTrue(mesh.allocator().isEmpty());
        ext.deallocate();
        assertEquals(MeshBuffer.State.DEALLOCATED, ext.state());
        assertFalse(ext.isAllocated());
        ext.release();
        assertThrows(IllegalArgumentException.class, () -> MeshBuffer.create(new MeshBufferConfig.Replicated(8192),
                DeviceLocalBufferConfig.interleaved(PAGE, BufferType.DRAM), mesh, OptionalLong.of(1L << 32)));
        assertTrue(mesh.allocator().isEmpty());
        mesh.close();
    }

    @Test
    void accessorsRefuseWhatIsNotThere() {
        MeshDevice mesh = open();
        MeshBuffer mb = create(mesh, new MeshBufferConfig.Replicated(8192), BufferType.DRAM);
        assertThrows(IllegalArgumentException.class, () -> mb.getDeviceBuffer(new MeshCoordinate(2, 0)));
        assertEquals(PAGE, mb.pageSize());
        mb.deallocate();
        assertTrue(mb.getBackingBuffer().isEmpty(), "get_backing_buffer() is null once not OWNED");
        mb.release();
        assertThrows(IllegalStateException.class, mb::release);
        assertThrows(IllegalStateException.class, mb::retain);
        mesh.close();
    }

    /** What one deallocate alternative leaves, with and without another holder of the backing buffer. */
    @Nested
    class DeallocateAlternatives {
        MeshBuffer mb;
        Buffer backing;
        Allocator meshAllocator;
        MeshDevice mesh;

        void setUp(MeshBufferDeallocate rule) {
            mesh = open(MeshRules.UPSTREAM.with(rule), CoreRules.UPSTREAM);
            mb = create(mesh, new MeshBufferConfig.Replicated(8192), BufferType.DRAM);
            backing = mb.getBackingBuffer().orElseThrow();
            meshAllocator = mesh.allocator();
        }

        AllocationStatus chipStatus() {
            List<AllocationStatus> statuses = mb.deviceBuffers().values().stream()
                    .map(Buffer::allocationStatus).distinct().toList();
            assertEquals(1, statuses.size(), "every chip the same");
            return statuses.get(0);
        }

        @Test
        void upstreamDropsTheReferenceOnlyAndLeavesChipBuffersAllocated() {
            setUp(MeshBufferDeallocate.UPSTREAM);
            mb.deallocate();
            assertEquals(MeshBuffer.State.DEALLOCATED, mb.state());
            assertFalse(mb.isAllocated());
            assertEquals(AllocationStatus.DEALLOCATED, backing.allocationStatus());
            assertTrue(backing.isDestroyed());
            assertEquals(AllocationStatus.ALLOCATED, chipStatus());
            assertTrue(meshAllocator.isEmpty());
            mb.release();
            assertEquals(AllocationStatus.ALLOCATED, chipStatus(), "~Buffer of a non-owning buffer returns early");
            mb.deviceBuffers().values().forEach(b -> assertTrue(b.isDestroyed()));
            mesh.close();
        }

        @Test
        void upstreamWithAnotherHolderKeepsTheRangeUntilItLetsGo() {
            setUp(MeshBufferDeallocate.UPSTREAM);
            backing.retain();
            mb.deallocate();
            assertEquals(AllocationStatus.ALLOCATED, backing.allocationStatus());
            assertEquals(List.of(backing), meshAllocator.getAllocatedBuffers());
            backing.release();
            assertTrue(meshAllocator.isEmpty());
            mb.release();
            mesh.close();
        }

        @Test
        void markDeviceBuffersMarksEveryChipThenDropsTheReference() {
            setUp(MeshBufferDeallocate.MARK_DEVICE_BUFFERS);
            backing.retain();
            mb.deallocate();
            assertEquals(AllocationStatus.DEALLOCATED, chipStatus());
            assertEquals(AllocationStatus.ALLOCATED, backing.allocationStatus(), "still held elsewhere");
            assertEquals(List.of(backing), meshAllocator.getAllocatedBuffers());
            backing.release();
            assertEquals(AllocationStatus.DEALLOCATED, backing.allocationStatus());
            assertTrue(meshAllocator.isEmpty());
            mb.release();
            mesh.close();
        }

        @Test
        void backingFirstMarksTheBackingSoTheMeshAllocatorNeverGetsTheRangeBack() {
            setUp(MeshBufferDeallocate.BACKING_FIRST_THEN_DEVICE_BUFFERS);
            long perBank = backing.alignedSizePerBank();
            mb.deallocate();
            mb.release();
            assertEquals(AllocationStatus.DEALLOCATED, backing.allocationStatus());
            assertTrue(backing.isDestroyed());
            assertEquals(AllocationStatus.DEALLOCATED, chipStatus());
            assertEquals(List.of(backing), meshAllocator.getAllocatedBuffers(), "a destroyed Buffer still recorded");
            assertEquals(perBank, meshAllocator.getStatistics(BufferType.DRAM).totalAllocatedBytes());
            MeshBuffer next = create(mesh, new MeshBufferConfig.Replicated(8192), BufferType.DRAM);
            assertEquals(mb.address() + perBank, next.address(), "the leaked range is not reused");
            Buffer nextBacking = next.getBackingBuffer().orElseThrow();
            next.release();
            assertEquals(2 * perBank, meshAllocator.getStatistics(BufferType.DRAM).totalAllocatedBytes(),
                    "every MeshBuffer leaks under this rule");
            mesh.close();
            assertEquals(0, meshAllocator.getStatistics(BufferType.DRAM).totalAllocatedBytes(),
                    "only the close teardown frees the banks");
            // ...but DeallocateBuffer on the already-DEALLOCATED backing returns early, so the Buffer set keeps the
            // destroyed buffer: in C++ a dangling Buffer* that ~SubDeviceManager dereferences [I].
            assertEquals(List.of(backing, nextBacking), meshAllocator.getAllocatedBuffers());
        }

        @Test
        void deviceBuffersThenDeallocateBackingFreesTheRangeEvenWithAnotherHolder() {
            setUp(MeshBufferDeallocate.DEVICE_BUFFERS_THEN_DEALLOCATE_BACKING);
            backing.retain();
            mb.deallocate();
            assertEquals(AllocationStatus.DEALLOCATED, chipStatus());
            assertEquals(AllocationStatus.DEALLOCATED, backing.allocationStatus());
            assertFalse(backing.isDestroyed());
            assertTrue(meshAllocator.isEmpty());
            backing.release();
            mb.release();
            assertTrue(meshAllocator.isEmpty());
            mesh.close();
        }

        @ParameterizedTest
        @EnumSource(MeshBufferDeallocate.class)
        void anExpiredMeshMarksTheBackingBufferWhateverTheRule(MeshBufferDeallocate rule) {
            // The older teardown leaves the backing buffer ALLOCATED and recorded, so the effect is visible.
            mesh = open(MeshRules.UPSTREAM.with(rule), CoreRules.UPSTREAM.with(
                    SubDeviceManagerTeardown.DEALLOCATE_BUFFERS));
            mb = create(mesh, new MeshBufferConfig.Replicated(8192), BufferType.DRAM);
            backing = mb.getBackingBuffer().orElseThrow();
            meshAllocator = mesh.allocator();
            mesh.release();
            assertEquals(AllocationStatus.ALLOCATED, backing.allocationStatus());
            mb.deallocate();
            assertEquals(MeshBuffer.State.DEALLOCATED, mb.state());
            assertEquals(AllocationStatus.DEALLOCATED, backing.allocationStatus());
            assertEquals(AllocationStatus.ALLOCATED, chipStatus(), "the rule applies to a live mesh only");
            assertEquals(List.of(backing), meshAllocator.getAllocatedBuffers(), "no allocator call");
            mb.release();
        }
    }

    @Nested
    class Views {
        @Test
        void aPartialViewSharesTheAddressAndKeepsTheParentObjectAlive() {
            MeshDevice mesh = open();
            MeshBuffer parent = create(mesh, new MeshBufferConfig.Replicated(8192), BufferType.DRAM);
            MeshBuffer view = parent.view(new BufferRegion(2048, 4096));
            assertEquals(MeshBuffer.State.VIEW, view.state());
            assertSame(parent, view.parent().orElseThrow());
            assertEquals(parent.address(), view.address(), "same address; the offset lives in the chip views");
            assertEquals(4096, view.deviceLocalSize());
            assertEquals(new MeshBufferConfig.Replicated(4096), view.globalConfig());
            assertTrue(view.getBackingBuffer().isEmpty());
            for (var entry : view.deviceBuffers().entrySet()) {
                Buffer chipView = entry.getValue();
                assertFalse(chipView.ownsData());
                assertEquals(2048, chipView.rootBufferOffset());
                assertSame(parent.getDeviceBuffer(entry.getKey()), chipView.rootBuffer().orElseThrow());
            }
            assertEquals(2, parent.useCount());
            parent.release();
            assertFalse(parent.isDestroyed(), "the view holds the parent");
            assertEquals(1, mesh.allocator().getNumAllocatedBuffers());
            view.release();
            assertTrue(parent.isDestroyed());
            assertTrue(mesh.allocator().isEmpty());
            assertTrue(mesh.liveMeshBuffers().isEmpty());
            mesh.close();
        }

        @Test
        void deallocatingTheParentFreesTheRangeUnderALiveView() {
            MeshDevice mesh = open();
            MeshBuffer parent = create(mesh, new MeshBufferConfig.Replicated(8192), BufferType.DRAM);
            MeshBuffer view = parent.view(new BufferRegion(0, 4096));
            parent.deallocate();
            assertTrue(mesh.allocator().isEmpty(), "a view holds the parent MeshBuffer, not its backing buffer");
            assertTrue(view.isAllocated(), "yet the view still reports allocated");
            view.release();
            parent.release();
            mesh.close();
        }

        @Test
        void theWholeRegionIsTheSameMeshBufferAndShardedViewsScaleTheGlobalSize() {
            MeshDevice mesh = open();
            MeshBuffer parent = create(mesh, sharded(0, 32, ShardOrientation.ROW_MAJOR), BufferType.L1);
            assertSame(parent, parent.view(new BufferRegion(0, parent.deviceLocalSize())));
            assertEquals(2, parent.useCount());
            MeshBuffer half = parent.view(new BufferRegion(0, parent.deviceLocalSize() / 2));
            assertEquals(new MeshBufferConfig.Sharded(GLOBAL / 2, 64, 128, 0, 32, ShardOrientation.ROW_MAJOR),
                    half.globalConfig());
            half.release();
            parent.release();
            parent.release();
            assertTrue(mesh.allocator().isEmpty());
            mesh.close();
        }

        @Test
        void regionsAreCheckedWithTheCppMessagesAndAnExpiredMeshRefusesViews() {
            MeshDevice mesh = open(MeshRules.UPSTREAM, CoreRules.UPSTREAM);
            MeshBuffer parent = create(mesh, new MeshBufferConfig.Replicated(8192), BufferType.DRAM);
            assertTrue(assertThrows(IllegalArgumentException.class, () -> parent.view(new BufferRegion(100, 1024)))
                    .getMessage().startsWith("Region offset must be a multiple of page size"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> parent.view(new BufferRegion(0, 1000)))
                    .getMessage().startsWith("Region size must be a multiple of page size"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> parent.view(new BufferRegion(4096, 8192)))
                    .getMessage().startsWith("Region must be within buffer"));
            assertEquals(1, parent.useCount(), "refused views took no reference");
            mesh.release();
            TtFatalException gone = assertThrows(TtFatalException.class,
                    () -> parent.view(new BufferRegion(0, 1024)));
            assertEquals("MeshDevice is deallocated", gone.getMessage());
            parent.release();
        }
    }

    // ---- Mutation-testing review ----

    @Test
    void releasingADestroyedMeshBufferIsRefused() {
        MeshDevice mesh = MeshDevice.open(MeshDeviceConfig.of(new MeshShape(1, 2), ArchPreset.WORMHOLE_B0.config()),
                MetalContext.untracked(), MeshRules.UPSTREAM);
        MeshBuffer buffer = MeshBuffer.create(new MeshBufferConfig.Replicated(4 * 2048),
                DeviceLocalBufferConfig.interleaved(2048, BufferType.DRAM), mesh);
        assertEquals("MeshBuffer{address=" + buffer.address() + ", localSize=8192, DRAM, OWNED}", buffer.toString());
        buffer.release();
        assertTrue(buffer.isDestroyed());
        IllegalStateException e = assertThrows(IllegalStateException.class, buffer::release);
        assertEquals("mesh buffer at " + buffer.address() + " was already destroyed", e.getMessage());
        assertEquals(0, buffer.useCount());
        mesh.close();
    }

    @Test
    void viewsAreLiveMeshBuffersAndOutOfRangeRegionsAreNamed() {
        MeshDevice mesh = MeshDevice.open(MeshDeviceConfig.of(new MeshShape(1, 2), ArchPreset.WORMHOLE_B0.config()),
                MetalContext.untracked(), MeshRules.UPSTREAM);
        MeshBuffer buffer = MeshBuffer.create(new MeshBufferConfig.Replicated(4 * 2048),
                DeviceLocalBufferConfig.interleaved(2048, BufferType.DRAM), mesh);
        MeshBuffer view = buffer.view(new BufferRegion(2048, 2048));
        assertEquals(List.of(buffer, view), mesh.liveMeshBuffers());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> buffer.view(new BufferRegion(2048, 4 * 2048)));
        assertEquals("Region must be within buffer: [2048, 10240) exceeds the device-local size 8192", e.getMessage());
        mesh.close();
    }

    @Test
    void shardsAreCountedAsRowsTimesColumnsOfShards() {
        MeshShape oneByTwo = new MeshShape(1, 2);
        // 2 x 2 shards of 32 x 32 on two chips: four shards do not fit.
        MeshBufferConfig.Sharded four = new MeshBufferConfig.Sharded(64 * 64 * 2, 64, 64, 32, 32,
                ShardOrientation.ROW_MAJOR);
        assertThrows(IllegalArgumentException.class, () -> four.validate(oneByTwo));
        new MeshBufferConfig.Sharded(64 * 32 * 2, 64, 32, 32, 32, ShardOrientation.ROW_MAJOR).validate(oneByTwo);
    }
}
