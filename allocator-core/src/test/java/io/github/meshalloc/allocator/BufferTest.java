package io.github.meshalloc.allocator;

import static io.github.meshalloc.allocator.TestChips.GIB;
import static io.github.meshalloc.allocator.TestChips.WH_L1_BASE;
import static io.github.meshalloc.allocator.TestChips.WH_W;
import static io.github.meshalloc.allocator.TestChips.grid;
import static io.github.meshalloc.allocator.TestChips.heightSharded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.verifyNoMoreInteractions;
import static org.mockito.Mockito.when;

import io.github.meshalloc.allocator.algorithms.Statistics;
import io.github.meshalloc.allocator.rules.AllocationReportSite;
import io.github.meshalloc.allocator.rules.CoreRules;
import io.github.meshalloc.allocator.rules.DeallocateBuffersReport;
import io.github.meshalloc.allocator.rules.MarkAsDeallocatedReport;
import io.github.meshalloc.allocator.rules.NonOwningDeallocate;
import io.github.meshalloc.allocator.rules.PreallocatedTracking;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.mockito.InOrder;

/**
 * {@link Buffer} against reference section 8 (late-2025 {@code buffer.cpp}) and the tracker call order of
 * section 10, with the {@link CoreRules} alternatives of allocator-core.
 */
class BufferTest {

    /**
     * A Wormhole chip seen through a mocked {@link IDevice}: a Mockito tracker and reporter in the context and a
     * spy on a real allocator, so that tracker and allocator calls can be ordered with {@link InOrder}.
     */
    private static final class Rig {
        final GraphTracking tracker = mock(GraphTracking.class);
        final AllocationReporter reporter = mock(AllocationReporter.class);
        final MetalContext context;
        final Allocator allocator;
        final IDevice device = mock(IDevice.class);

        Rig() {
            this(CoreRules.UPSTREAM);
        }

        Rig(CoreRules rules) {
            this(rules, 0);
        }

        Rig(CoreRules rules, int deviceId) {
            context = new MetalContext(rules, tracker, reporter);
            allocator = spy(new Allocator(ArchPreset.WORMHOLE_B0.config(1 << 20, 0), context, deviceId));
            when(device.id()).thenReturn(deviceId);
            when(device.context()).thenReturn(context);
            when(device.isInitialized()).thenReturn(true);
            when(device.allocator()).thenReturn(allocator);
            when(device.l1SizePerCore()).thenReturn(WH_W);
        }

        Buffer dram(long pages, long pageSize) {
            return Buffer.create(device, pages * pageSize, pageSize, BufferType.DRAM);
        }

        Buffer preallocated(long address, long size, long pageSize) {
            return Buffer.create(device, address, size, pageSize, BufferType.DRAM, BufferShardingArgs.INTERLEAVED,
                    Optional.empty(), OptionalInt.empty());
        }

        void closeDevice() {
            when(device.isInitialized()).thenReturn(false);
        }
    }

    private static Device whDevice(MetalContext context) {
        return TestChips.open(ArchPreset.WORMHOLE_B0, 1 << 20, 64 * 1024, context);
    }

    @Nested
    class CreationPaths {

        @Test
        void owningCreateAllocatesAndRecordsTheBuffer() {
            Device device = whDevice(MetalContext.untracked());
            Buffer buffer = Buffer.create(device, 12 * 2048, 2048, BufferType.DRAM);
            assertTrue(buffer.ownsData());
            assertEquals(AllocationStatus.ALLOCATED, buffer.allocationStatus());
            assertTrue(buffer.isAllocated());
            assertEquals(32, buffer.address());
            assertFalse(buffer.hookedAllocation());
            assertSame(device.allocator(), buffer.allocator());
            assertSame(device, buffer.device());
            assertEquals(List.of(buffer), device.allocator().getAllocatedBuffers());
            assertEquals(1, buffer.useCount());
            assertFalse(buffer.isDestroyed());
            assertEquals(Optional.empty(), buffer.rootBuffer());
            assertEquals(0, buffer.rootBufferOffset());
            assertEquals(TensorMemoryLayout.INTERLEAVED, buffer.bufferLayout());
            assertEquals(OptionalInt.empty(), buffer.subDeviceId());
            assertEquals(Optional.empty(), buffer.subDeviceManagerId());
        }

        @Test
        void sizeZeroIsAllocatedAtZeroWithoutAllocatorOrTracker() {
            Rig rig = new Rig();
            Statistics before = rig.allocator.getStatistics(BufferType.DRAM);
            Buffer buffer = Buffer.create(rig.device, 0, 2048, BufferType.DRAM);
            assertEquals(AllocationStatus.ALLOCATED, buffer.allocationStatus());
            assertEquals(0, buffer.address());
            assertTrue(buffer.ownsData());
            verify(rig.allocator, never()).allocateBuffer(any());
            verifyNoInteractions(rig.tracker);
            assertEquals(0, rig.allocator.getNumAllocatedBuffers());
            assertEquals(before, rig.allocator.getStatistics(BufferType.DRAM));
            // Deallocating it skips tracker and allocator too (size 0), but the status moves on.
            buffer.deallocate();
            assertEquals(AllocationStatus.DEALLOCATED, buffer.allocationStatus());
            verifyNoInteractions(rig.tracker);
            verify(rig.allocator, never()).deallocateBuffer(any());
        }

        @Test
        void preallocatedBufferIsNonOwningAtTheGivenAddressAndUnknownToTheAllocator() {
            Rig rig = new Rig();
            Buffer buffer = rig.preallocated(4096, 8192, 2048);
            assertFalse(buffer.ownsData());
            assertEquals(AllocationStatus.ALLOCATED, buffer.allocationStatus());
            assertEquals(4096, buffer.address());
            assertEquals(0, rig.allocator.getNumAllocatedBuffers());
            verify(rig.allocator, never()).allocateBuffer(any());
            verifyNoInteractions(rig.tracker);
            // Upstream non-owning deallocate returns at once: the status stays ALLOCATED, even at destruction.
            buffer.deallocate();
            assertEquals(AllocationStatus.ALLOCATED, buffer.allocationStatus());
            buffer.release();
            assertTrue(buffer.isDestroyed());
            assertEquals(AllocationStatus.ALLOCATED, buffer.allocationStatus());
            verify(rig.allocator, never()).deallocateBuffer(any());
            verifyNoInteractions(rig.tracker);
        }

        @Test
        void preallocatedAddressMustFitIn32Bits() {
            Rig rig = new Rig();
            assertEquals(0xFFFF_FFFFL - 2047, rig.preallocated(0xFFFF_FFFFL - 2047, 2048, 2048).address());
            assertThrows(IllegalArgumentException.class, () -> rig.preallocated(1L << 32, 2048, 2048));
            assertThrows(IllegalArgumentException.class, () -> rig.preallocated(-1, 2048, 2048));
        }

        @Test
        void invalidParametersAreRejectedBeforeAnything() {
            Rig rig = new Rig();
            assertThrows(IllegalArgumentException.class, () -> Buffer.create(rig.device, 3000, 2048, BufferType.DRAM));
            assertThrows(IllegalArgumentException.class, () -> Buffer.create(rig.device, 2048, 0, BufferType.DRAM));
            assertThrows(IllegalArgumentException.class, () -> Buffer.create(rig.device, 2048, 2048, BufferType.L1,
                    new BufferShardingArgs(TensorMemoryLayout.HEIGHT_SHARDED, Optional.empty()), Optional.empty(),
                    OptionalInt.empty()));
            assertThrows(IllegalArgumentException.class, () -> Buffer.create(rig.device, 2048, 2048, BufferType.L1,
                    new BufferShardingArgs(TensorMemoryLayout.INTERLEAVED,
                            heightSharded(grid(1, 1), 1).shardSpec()), Optional.empty(), OptionalInt.empty()));
            verifyNoInteractions(rig.tracker);
            verify(rig.allocator, never()).allocateBuffer(any());
        }

        @Test
        void aBufferCannotBeCreatedOnAClosedDevice() {
            Rig rig = new Rig();
            rig.closeDevice();
            assertThrows(IllegalStateException.class, () -> rig.dram(12, 2048));
            assertThrows(IllegalStateException.class, () -> rig.preallocated(4096, 2048, 2048));
        }
    }

    @Nested
    class Views {

        @Test
        void theWholeBufferIsTheSameObjectWithOneMoreReference() {
            Rig rig = new Rig();
            Buffer buffer = rig.dram(4, 2048);
            Buffer view = buffer.view(new BufferRegion(0, 4 * 2048));
            assertSame(buffer, view);
            assertEquals(2, buffer.useCount());
            view.release();
            assertFalse(buffer.isDestroyed());
            assertTrue(buffer.isAllocated());
            buffer.release();
            assertTrue(buffer.isDestroyed());
            assertEquals(AllocationStatus.DEALLOCATED, buffer.allocationStatus());
        }

        @Test
        void aSubRegionIsANonOwningBufferAtTheSameAddressKeepingTheRootAlive() {
            Rig rig = new Rig();
            Buffer root = rig.dram(4, 2048);
            Buffer view = root.view(new BufferRegion(2048, 4096));
            assertNotSame(root, view);
            assertFalse(view.ownsData());
            assertEquals(root.address(), view.address(), "the address is not offset");
            assertEquals(4096, view.size());
            assertEquals(2048, view.pageSize());
            assertEquals(BufferType.DRAM, view.bufferType());
            assertEquals(root.bottomUp(), view.bottomUp());
            assertEquals(Optional.of(root), view.rootBuffer());
            assertEquals(2048, view.rootBufferOffset());
            assertEquals(2, root.useCount());
            assertEquals(AllocationStatus.ALLOCATED, view.allocationStatus());
            assertEquals(List.of(root), rig.allocator.getAllocatedBuffers());

            // A view of a view points at the original root, with the offsets added.
            Buffer inner = view.view(new BufferRegion(2048, 2048));
            assertEquals(Optional.of(root), inner.rootBuffer());
            assertEquals(4096, inner.rootBufferOffset());
            assertEquals(3, root.useCount());
            assertSame(inner, inner.view(new BufferRegion(0, 2048)));
            assertEquals(2, inner.useCount());
            inner.release();
            inner.release();
            assertTrue(inner.isDestroyed());
            assertEquals(2, root.useCount(), "the destroyed inner view released its root reference");

            // Dropping the caller's reference to the root does not destroy it while a view lives.
            root.release();
            assertFalse(root.isDestroyed());
            assertTrue(root.isAllocated());
            verify(rig.allocator, never()).deallocateBuffer(any());
            // Dropping the last view releases the root, whose destructor frees the memory.
            view.release();
            assertTrue(view.isDestroyed());
            assertTrue(root.isDestroyed());
            assertEquals(AllocationStatus.DEALLOCATED, root.allocationStatus());
            verify(rig.allocator, times(1)).deallocateBuffer(root);
            assertTrue(rig.allocator.isEmpty());
        }

        @Test
        void regionsMustBePageMultiplesInsideTheBuffer() {
            Rig rig = new Rig();
            Buffer root = rig.dram(4, 2048);
            assertThrows(IllegalArgumentException.class, () -> root.view(new BufferRegion(1024, 2048)));
            assertThrows(IllegalArgumentException.class, () -> root.view(new BufferRegion(0, 3000)));
            assertThrows(IllegalArgumentException.class, () -> root.view(new BufferRegion(4096, 6144)));
            assertEquals(1, root.useCount());
        }
    }

    @Nested
    class StatusMachine {

        @Test
        void allocatedThenDeallocatedOnceAndTheAddressStaysReadable() {
            Rig rig = new Rig();
            Buffer buffer = rig.dram(12, 2048);
            buffer.deallocate();
            assertEquals(AllocationStatus.DEALLOCATED, buffer.allocationStatus());
            assertFalse(buffer.isAllocated());
            assertEquals(32, buffer.address());
            buffer.deallocate();
            buffer.deallocateImpl();
            verify(rig.allocator, times(1)).deallocateBuffer(buffer);
            verify(rig.tracker, times(1)).trackDeallocate(buffer);
            buffer.release();
            assertTrue(buffer.isDestroyed());
            verify(rig.allocator, times(1)).deallocateBuffer(buffer);
        }

        @Test
        void markAsDeallocatedOnlyFlipsTheStatus() {
            Rig rig = new Rig();
            Buffer buffer = rig.dram(12, 2048);
            buffer.markAsDeallocated();
            assertEquals(AllocationStatus.DEALLOCATED, buffer.allocationStatus());
            verify(rig.allocator, never()).deallocateBuffer(any());
            // The memory and the Buffer* stay with the allocator.
            assertEquals(2048, rig.allocator.getStatistics(BufferType.DRAM).totalAllocatedBytes());
            assertEquals(List.of(buffer), rig.allocator.getAllocatedBuffers());
            buffer.release();
            verify(rig.allocator, never()).deallocateBuffer(any());
        }

        @Test
        void releasingTheLastReferenceRunsDeallocate() {
            Rig rig = new Rig();
            Buffer buffer = rig.dram(12, 2048);
            buffer.retain();
            buffer.release();
            assertTrue(buffer.isAllocated());
            verify(rig.allocator, never()).deallocateBuffer(any());
            buffer.release();
            assertEquals(AllocationStatus.DEALLOCATED, buffer.allocationStatus());
            assertEquals(0, buffer.useCount());
            verify(rig.allocator, times(1)).deallocateBuffer(buffer);
        }

        @Test
        void releasingTwiceOrRetainingADestroyedBufferIsIllegal() {
            Rig rig = new Rig();
            Buffer buffer = rig.dram(12, 2048);
            buffer.release();
            assertThrows(IllegalStateException.class, buffer::release);
            assertThrows(IllegalStateException.class, buffer::retain);
            verify(rig.allocator, times(1)).deallocateBuffer(buffer);
        }

        @Test
        void outOfMemoryInCreateLeavesNoBufferRecorded() {
            // address() would be fatal while ALLOCATION_REQUESTED, but no caller can hold such a Buffer: the throw
            // destroys it. The allocator records nothing and the tracker never hears of an allocation.
            Rig rig = new Rig();
            Statistics before = rig.allocator.getStatistics(BufferType.L1);
            assertThrows(OutOfMemoryException.class, () -> Buffer.create(rig.device, 2 * 1024 * 1024, 2 * 1024 * 1024,
                    BufferType.L1));
            assertEquals(0, rig.allocator.getNumAllocatedBuffers());
            assertEquals(before, rig.allocator.getStatistics(BufferType.L1));
            verify(rig.tracker, times(1)).hookAllocate(any());
            verify(rig.tracker, never()).trackAllocate(any());
            // The failed Buffer was constructed, so it used a unique id.
            assertEquals(1, rig.dram(12, 2048).uniqueId());
        }

        @Test
        void deallocateOnAClosedDeviceSkipsTrackerAndAllocator() {
            Rig rig = new Rig();
            Buffer buffer = rig.dram(12, 2048);
            rig.closeDevice();
            buffer.deallocate();
            assertEquals(AllocationStatus.DEALLOCATED, buffer.allocationStatus());
            verify(rig.allocator, never()).deallocateBuffer(any());
            verify(rig.tracker, never()).trackDeallocate(any());
            verify(rig.tracker, never()).hookDeallocate(any());
            assertEquals(List.of(buffer), rig.allocator.getAllocatedBuffers());
        }
    }

    @Nested
    class Placement {

        @ParameterizedTest
        @CsvSource({"DRAM, true", "TRACE, true", "L1, false", "L1_SMALL, false"})
        void defaultDirectionFollowsIsDram(BufferType type, boolean bottomUp) {
            Device device = whDevice(MetalContext.untracked());
            Buffer buffer = type == BufferType.L1_SMALL
                    ? TestChips.sharded(device, grid(2, 1), 1, 2048, type)
                    : Buffer.create(device, 12 * 2048, 2048, type);
            assertEquals(bottomUp, buffer.bottomUp());
        }

        @Test
        void anExplicitDirectionOverridesTheDefault() {
            Device device = whDevice(MetalContext.untracked());
            Buffer l1 = TestChips.interleaved(device, 64 * 2048, 2048, BufferType.L1, true);
            assertTrue(l1.bottomUp());
            assertEquals(WH_L1_BASE, l1.address());
            Buffer dram = TestChips.interleaved(device, 12 * 2048, 2048, BufferType.DRAM, false);
            assertFalse(dram.bottomUp());
            assertEquals(GIB - (1 << 20) - 2048, dram.address());
        }
    }

    @Nested
    class DerivedSizes {

        @Test
        void interleavedL1() {
            Device device = whDevice(MetalContext.untracked());
            Buffer buffer = Buffer.create(device, 1000, 100, BufferType.L1);
            assertEquals(16, buffer.alignment());
            assertEquals(112, buffer.alignedPageSize());
            assertEquals(10, buffer.numPages());
            assertEquals(10, buffer.numDevPages());
            assertEquals(1120, buffer.alignedSize());
            assertEquals(OptionalInt.empty(), buffer.numCores());
            assertEquals(112, buffer.alignedSizePerBank(), "10 pages over 64 banks: one page per bank");
        }

        @Test
        void interleavedDramOnBothArchitectures() {
            Buffer wh = Buffer.create(whDevice(MetalContext.untracked()), 1300, 100, BufferType.DRAM);
            assertEquals(32, wh.alignment());
            assertEquals(128, wh.alignedPageSize());
            assertEquals(13 * 128, wh.alignedSize());
            assertEquals(256, wh.alignedSizePerBank(), "13 pages over 12 banks: two pages per bank");
            Buffer bh = Buffer.create(TestChips.open(ArchPreset.BLACKHOLE, 0, 0, MetalContext.untracked()), 1300, 100,
                    BufferType.DRAM);
            assertEquals(64, bh.alignment());
            assertEquals(128, bh.alignedPageSize());
            assertEquals(256, bh.alignedSizePerBank(), "13 pages over 8 banks: two pages per bank");
        }

        @Test
        void shardedUsesDevicePagesAndCores() {
            Device device = whDevice(MetalContext.untracked());
            // 2x2 cores, shards of 2 pages (64x32 elements, 32x32 pages); the tensor has only 6 pages.
            ShardSpecBuffer spec = new ShardSpecBuffer(grid(2, 2), 64, 32, ShardOrientation.ROW_MAJOR, 32, 32, 6, 1);
            Buffer buffer = Buffer.create(device, 6 * 2000, 2000, BufferType.L1,
                    BufferShardingArgs.sharded(TensorMemoryLayout.HEIGHT_SHARDED, spec), Optional.empty(),
                    OptionalInt.empty());
            assertEquals(6, buffer.numPages());
            assertEquals(8, buffer.numDevPages(), "pages per shard x cores, padding included");
            assertEquals(2000, buffer.alignedPageSize());
            assertEquals(8 * 2000, buffer.alignedSize());
            assertEquals(OptionalInt.of(4), buffer.numCores());
            assertEquals(2 * 2000, buffer.alignedSizePerBank());
            assertEquals(WH_W - 64 * 1024 - 4000, buffer.address());
        }

        @Test
        void pageAddressOfAnInterleavedDramBuffer() {
            Device device = whDevice(MetalContext.untracked());
            Buffer buffer = Buffer.create(device, 13 * 100, 100, BufferType.DRAM);
            assertEquals(32, buffer.pageAddress(0, 0));
            assertEquals(32 + GIB, buffer.pageAddress(1, 1));
            assertEquals(32, buffer.pageAddress(0, 11));
            // page 13 is the second page of its bank: one aligned page (128) above the address.
            assertEquals(32 + GIB + 128, buffer.pageAddress(1, 13));
            TtFatalException e = assertThrows(TtFatalException.class, () -> buffer.pageAddress(12, 0));
            assertEquals("Invalid Bank ID: 12 exceeds total numbers of banks (12)!", e.getMessage());
        }

        @Test
        void pageAddressDividesByTheAllocatorsBankCountEvenWhenSharded() {
            // buffer.cpp page_address: num_banks = allocator->get_num_banks(buffer_type), whatever the layout.
            Device device = whDevice(MetalContext.untracked());
            Buffer buffer = TestChips.sharded(device, grid(2, 2), 8, 2048, BufferType.L1);
            int bank = device.allocator().getBankIdsFromLogicalCore(new CoreCoord(1, 1)).get(0);
            assertEquals(buffer.address(), buffer.pageAddress(bank, 5));
            assertEquals(buffer.address(), buffer.pageAddress(bank, 63));
            assertEquals(buffer.address() + 2048, buffer.pageAddress(bank, 64));
            assertThrows(TtFatalException.class, () -> buffer.pageAddress(64, 0));
        }
    }

    @Nested
    class UniqueIds {

        @Test
        void everyConstructedBufferTakesTheNextIdOfItsContext() {
            Rig rig = new Rig();
            Buffer first = rig.dram(12, 2048);
            Buffer preallocated = rig.preallocated(8192, 4096, 2048);
            Buffer view = first.view(new BufferRegion(2048, 2048));
            Buffer whole = first.view(new BufferRegion(0, 12 * 2048));
            Buffer empty = Buffer.create(rig.device, 0, 2048, BufferType.DRAM);
            assertEquals(0, first.uniqueId());
            assertEquals(1, preallocated.uniqueId());
            assertEquals(2, view.uniqueId());
            assertEquals(0, whole.uniqueId(), "the whole-buffer view is the same Buffer");
            assertEquals(3, empty.uniqueId());
            assertEquals(0, new Rig().dram(12, 2048).uniqueId(), "another process counts from 0");
        }
    }

    @Nested
    class TrackerOrder {

        @Test
        void allocateIsHookThenAllocatorThenStatusThenTrack() {
            Rig rig = new Rig();
            AtomicReference<AllocationStatus> statusSeenByTracker = new AtomicReference<>();
            doAnswer(call -> {
                statusSeenByTracker.set(call.getArgument(0, Buffer.class).allocationStatus());
                return null;
            }).when(rig.tracker).trackAllocate(any());
            Buffer buffer = rig.dram(12, 2048);
            InOrder order = inOrder(rig.tracker, rig.allocator);
            order.verify(rig.tracker).hookAllocate(buffer);
            order.verify(rig.allocator).allocateBuffer(buffer);
            order.verify(rig.tracker).trackAllocate(buffer);
            order.verifyNoMoreInteractions();
            assertEquals(AllocationStatus.ALLOCATED, statusSeenByTracker.get());
        }

        @Test
        void aHookSeesTheBufferBeforeItHasAnAddress() {
            // The only moment a Buffer is observable in ALLOCATION_REQUESTED: address() is fatal there.
            Rig rig = new Rig();
            AtomicReference<AllocationStatus> status = new AtomicReference<>();
            AtomicReference<String> addressError = new AtomicReference<>();
            doAnswer(call -> {
                Buffer seen = call.getArgument(0, Buffer.class);
                status.set(seen.allocationStatus());
                addressError.set(assertThrows(TtFatalException.class, seen::address).getMessage());
                return false;
            }).when(rig.tracker).hookAllocate(any());
            Buffer buffer = rig.dram(12, 2048);
            assertEquals(AllocationStatus.ALLOCATION_REQUESTED, status.get());
            assertEquals("Can only query the address of a buffer that has been allocated", addressError.get());
            assertEquals(32, buffer.address());
        }

        @Test
        void deallocateIsTrackThenHookThenAllocator() {
            Rig rig = new Rig();
            Buffer buffer = rig.dram(12, 2048);
            AtomicReference<AllocationStatus> statusSeenByTracker = new AtomicReference<>();
            doAnswer(call -> {
                statusSeenByTracker.set(call.getArgument(0, Buffer.class).allocationStatus());
                return null;
            }).when(rig.tracker).trackDeallocate(any());
            buffer.deallocate();
            InOrder order = inOrder(rig.tracker, rig.allocator);
            order.verify(rig.tracker).trackDeallocate(buffer);
            order.verify(rig.tracker).hookDeallocate(buffer);
            order.verify(rig.allocator).deallocateBuffer(buffer);
            assertEquals(AllocationStatus.ALLOCATED, statusSeenByTracker.get());
            assertEquals(AllocationStatus.DEALLOCATED, buffer.allocationStatus());
        }

        @Test
        void aHookedAllocationGetsAddressZeroAndNeverTouchesTheAllocator() {
            Rig rig = new Rig();
            when(rig.tracker.hookAllocate(any())).thenReturn(true);
            Buffer buffer = rig.dram(12, 2048);
            assertEquals(0, buffer.address());
            assertTrue(buffer.hookedAllocation());
            assertEquals(AllocationStatus.ALLOCATED, buffer.allocationStatus());
            verify(rig.tracker, times(1)).trackAllocate(buffer);
            assertEquals(0, rig.allocator.getNumAllocatedBuffers());
            buffer.deallocate();
            InOrder order = inOrder(rig.tracker);
            order.verify(rig.tracker).trackDeallocate(buffer);
            order.verify(rig.tracker).hookDeallocate(buffer);
            verify(rig.allocator, never()).allocateBuffer(any());
            verify(rig.allocator, never()).deallocateBuffer(any());
            assertEquals(AllocationStatus.DEALLOCATED, buffer.allocationStatus());
        }

        @Test
        void aHookedDeallocationOfARealAllocationLeaksTheRangeAndTheBufferPointer() {
            // Reference 8.5 hazard: the allocator is not called, so the range and the Buffer* stay.
            Rig rig = new Rig();
            Buffer buffer = rig.dram(12, 2048);
            when(rig.tracker.hookDeallocate(any())).thenReturn(true);
            buffer.release();
            assertEquals(AllocationStatus.DEALLOCATED, buffer.allocationStatus());
            verify(rig.allocator, never()).deallocateBuffer(any());
            assertEquals(List.of(buffer), rig.allocator.getAllocatedBuffers());
            assertEquals(2048, rig.allocator.getStatistics(BufferType.DRAM).totalAllocatedBytes());
        }
    }

    @Nested
    class Rules {

        @ParameterizedTest
        @EnumSource(PreallocatedTracking.class)
        void preallocatedTracking(PreallocatedTracking rule) {
            Rig rig = new Rig(CoreRules.UPSTREAM.with(rule));
            Buffer preallocated = rig.preallocated(8192, 4096, 2048);
            Buffer empty = rig.preallocated(8192, 0, 2048);
            Buffer root = rig.dram(4, 2048);
            Buffer view = root.view(new BufferRegion(2048, 2048));
            Buffer whole = root.view(new BufferRegion(0, 4 * 2048));
            int expected = rule == PreallocatedTracking.TRACK_ALLOCATE ? 1 : 0;
            verify(rig.tracker, times(expected)).trackAllocate(preallocated);
            verify(rig.tracker, times(expected)).trackAllocate(view);
            verify(rig.tracker, never()).trackAllocate(empty);
            verify(rig.tracker, times(1)).trackAllocate(root);
            verify(rig.tracker, times(1)).trackAllocate(whole);
            verify(rig.tracker, times(1)).hookAllocate(any());
            verify(rig.tracker, never()).hookAllocate(preallocated);
            verify(rig.tracker, never()).hookAllocate(view);
        }

        @Test
        void nonOwningDeallocateReturnDoesNothing() {
            Rig rig = new Rig(CoreRules.UPSTREAM.with(NonOwningDeallocate.RETURN));
            Buffer root = rig.dram(4, 2048);
            Buffer view = root.view(new BufferRegion(2048, 2048));
            Buffer preallocated = rig.preallocated(8192, 4096, 2048);
            view.deallocate();
            preallocated.deallocate();
            view.release();
            preallocated.release();
            assertEquals(AllocationStatus.ALLOCATED, view.allocationStatus());
            assertEquals(AllocationStatus.ALLOCATED, preallocated.allocationStatus());
            verify(rig.tracker, never()).trackDeallocate(any());
        }

        @Test
        void nonOwningDeallocateTrackAndMarkReportsOnceAndMarks() {
            Rig rig = new Rig(CoreRules.UPSTREAM.with(NonOwningDeallocate.TRACK_AND_MARK));
            Buffer root = rig.dram(4, 2048);
            Buffer view = root.view(new BufferRegion(2048, 2048));
            Buffer preallocated = rig.preallocated(8192, 4096, 2048);
            Buffer empty = rig.preallocated(8192, 0, 2048);
            preallocated.deallocate();
            preallocated.deallocate();
            preallocated.release();
            empty.deallocate();
            view.release();
            assertEquals(AllocationStatus.DEALLOCATED, preallocated.allocationStatus());
            assertEquals(AllocationStatus.DEALLOCATED, view.allocationStatus());
            assertEquals(AllocationStatus.DEALLOCATED, empty.allocationStatus());
            verify(rig.tracker, times(1)).trackDeallocate(preallocated);
            verify(rig.tracker, times(1)).trackDeallocate(view);
            verify(rig.tracker, never()).trackDeallocate(empty);
            verify(rig.tracker, never()).trackDeallocate(root);
            verify(rig.allocator, never()).deallocateBuffer(any());
            root.release();
            verify(rig.tracker, times(1)).trackDeallocate(root);
            verify(rig.allocator, times(1)).deallocateBuffer(root);
        }

        @Test
        void nonOwningDeallocateTrackAndMarkOnAClosedDeviceOnlyMarks() {
            Rig rig = new Rig(CoreRules.UPSTREAM.with(NonOwningDeallocate.TRACK_AND_MARK));
            Buffer preallocated = rig.preallocated(8192, 4096, 2048);
            rig.closeDevice();
            preallocated.deallocate();
            assertEquals(AllocationStatus.DEALLOCATED, preallocated.allocationStatus());
            verify(rig.tracker, never()).trackDeallocate(any());
        }

        @ParameterizedTest
        @CsvSource({"NOTHING, 0, 0", "TRACK_IF_ALLOCATED, 1, 1", "TRACK_IF_ALLOCATED_AND_OWNS_DATA, 1, 0",
                "GUARDED_TRACK_IF_ALLOCATED, 1, 1"})
        void markAsDeallocatedReport(MarkAsDeallocatedReport rule, int owningReports, int nonOwningReports) {
            Rig rig = new Rig(CoreRules.UPSTREAM.with(rule));
            Buffer owning = rig.dram(12, 2048);
            Buffer nonOwning = rig.preallocated(8192, 4096, 2048);
            Buffer alreadyFreed = rig.dram(12, 2048);
            alreadyFreed.deallocate();
            for (Buffer buffer : List.of(owning, nonOwning, alreadyFreed)) {
                buffer.markAsDeallocated();
                buffer.markAsDeallocated();
                buffer.release();
                assertEquals(AllocationStatus.DEALLOCATED, buffer.allocationStatus());
            }
            verify(rig.tracker, times(owningReports)).trackDeallocate(owning);
            verify(rig.tracker, times(nonOwningReports)).trackDeallocate(nonOwning);
            verify(rig.tracker, times(1)).trackDeallocate(alreadyFreed); // its own deallocate, never the mark
            verify(rig.allocator, times(1)).deallocateBuffer(any());
        }

        @Test
        void deallocateBuffersReportsNothingUpstream() {
            Rig rig = new Rig(CoreRules.UPSTREAM.with(DeallocateBuffersReport.NOTHING));
            when(rig.reporter.isEnabled()).thenReturn(true);
            rig.dram(12, 2048);
            rig.dram(12, 4096);
            rig.allocator.deallocateBuffers();
            verify(rig.tracker, never()).trackDeallocate(any());
            verify(rig.reporter, never()).reportDeallocationAddressOnly(anyLong());
            verify(rig.reporter, never()).reportDeallocation(anyInt(), anyLong());
        }

        @Test
        void deallocateBuffersAddressOnlyReportsEachRecordedBufferOnce() {
            Rig rig = new Rig(CoreRules.UPSTREAM.with(DeallocateBuffersReport.ADDRESS_ONLY));
            when(rig.reporter.isEnabled()).thenReturn(true);
            Buffer a = rig.dram(12, 2048);
            Buffer b = rig.dram(12, 4096);
            Buffer freed = rig.dram(12, 8192);
            freed.deallocate();
            rig.preallocated(1 << 20, 4096, 2048);
            Buffer.create(rig.device, 0, 2048, BufferType.DRAM);
            rig.allocator.deallocateBuffers();
            verify(rig.reporter, times(1)).reportDeallocationAddressOnly(a.address());
            verify(rig.reporter, times(1)).reportDeallocationAddressOnly(b.address());
            verify(rig.reporter, times(2)).reportDeallocationAddressOnly(anyLong());
            verify(rig.tracker, times(1)).trackDeallocate(any()); // freed's own deallocate only
            assertTrue(a.isAllocated());
            assertTrue(b.isAllocated());
        }

        @Test
        void deallocateBuffersAddressOnlyNeedsAnEnabledClient() {
            Rig rig = new Rig(CoreRules.UPSTREAM.with(DeallocateBuffersReport.ADDRESS_ONLY));
            rig.dram(12, 2048);
            rig.allocator.deallocateBuffers();
            verify(rig.reporter, never()).reportDeallocationAddressOnly(anyLong());
        }

        @Test
        void deallocateBuffersGraphTrackerTracksEachRecordedBufferOnce() {
            Rig rig = new Rig(CoreRules.UPSTREAM.with(DeallocateBuffersReport.GRAPH_TRACKER));
            when(rig.reporter.isEnabled()).thenReturn(true);
            Buffer a = rig.dram(12, 2048);
            Buffer b = rig.dram(12, 4096);
            Buffer preallocated = rig.preallocated(1 << 20, 4096, 2048);
            rig.allocator.deallocateBuffers();
            verify(rig.tracker, times(1)).trackDeallocate(a);
            verify(rig.tracker, times(1)).trackDeallocate(b);
            verify(rig.tracker, never()).trackDeallocate(preallocated);
            verify(rig.reporter, never()).reportDeallocationAddressOnly(anyLong());
            assertTrue(a.isAllocated());
            assertEquals(List.of(a, b), rig.allocator.getAllocatedBuffers());
            assertEquals(0, rig.allocator.getStatistics(BufferType.DRAM).totalAllocatedBytes());
        }

        @Test
        void allocatorHookReportsTheBankRoundedAlignedSizeOnce() {
            Rig rig = new Rig(CoreRules.UPSTREAM.with(AllocationReportSite.ALLOCATOR_HOOK), 3);
            when(rig.reporter.isEnabled()).thenReturn(true);
            // 4 MiB of 2 KiB pages over 12 DRAM banks: 171 pages per bank -> 350208 x 12 = 4202496 B.
            Buffer dram = Buffer.create(rig.device, 4194304, 2048, BufferType.DRAM);
            verify(rig.reporter, times(1)).reportAllocation(3, 4202496, BufferType.DRAM, dram.address());
            // 65 pages of 100 B over 64 L1 banks: 2 pages of 112 B per bank -> 224 x 64 = 14336 B.
            Buffer l1 = Buffer.create(rig.device, 6500, 100, BufferType.L1);
            verify(rig.reporter, times(1)).reportAllocation(3, 14336, BufferType.L1, l1.address());
            // Sharded over 4 cores, 2 pages of 100 B each: 224 x 4 = 896 B.
            Buffer sharded = Buffer.create(rig.device, 800, 100, BufferType.L1, heightSharded(grid(2, 2), 2),
                    Optional.empty(), OptionalInt.empty());
            verify(rig.reporter, times(1)).reportAllocation(3, 896, BufferType.L1, sharded.address());
            dram.deallocate();
            dram.deallocate();
            verify(rig.reporter, times(1)).reportDeallocation(3, dram.address());
            verify(rig.reporter, times(3)).reportAllocation(anyInt(), anyLong(), any(), anyLong());
        }

        @Test
        void allocatorHookNeverSeesBuffersThatSkipTheAllocator() {
            Rig rig = new Rig(CoreRules.UPSTREAM.with(AllocationReportSite.ALLOCATOR_HOOK)
                    .with(PreallocatedTracking.TRACK_ALLOCATE));
            when(rig.reporter.isEnabled()).thenReturn(true);
            Buffer empty = Buffer.create(rig.device, 0, 2048, BufferType.DRAM);
            Buffer preallocated = rig.preallocated(8192, 4096, 2048);
            when(rig.tracker.hookAllocate(any())).thenReturn(true);
            Buffer hooked = rig.dram(12, 2048);
            for (Buffer buffer : List.of(empty, preallocated, hooked)) {
                buffer.deallocate();
                buffer.release();
            }
            verify(rig.reporter, never()).reportAllocation(anyInt(), anyLong(), any(), anyLong());
            verify(rig.reporter, never()).reportDeallocation(anyInt(), anyLong());
        }

        @ParameterizedTest
        @CsvSource({"ALLOCATOR_HOOK, false", "GRAPH_TRACKER, true"})
        void allocatorHookNeedsTheSiteAndAnEnabledClient(AllocationReportSite site, boolean enabled) {
            Rig rig = new Rig(CoreRules.UPSTREAM.with(site));
            when(rig.reporter.isEnabled()).thenReturn(enabled);
            rig.dram(12, 2048).release();
            verify(rig.reporter, never()).reportAllocation(anyInt(), anyLong(), any(), anyLong());
            verify(rig.reporter, never()).reportDeallocation(anyInt(), anyLong());
        }
    }

    @Test
    void trackerCallsOfAFullLifeAreExactlyTheUpstreamOnes() {
        Rig rig = new Rig();
        Buffer buffer = rig.dram(12, 2048);
        Buffer view = buffer.view(new BufferRegion(0, 2048));
        view.release();
        buffer.release();
        InOrder order = inOrder(rig.tracker);
        order.verify(rig.tracker).hookAllocate(buffer);
        order.verify(rig.tracker).trackAllocate(buffer);
        order.verify(rig.tracker).trackDeallocate(buffer);
        order.verify(rig.tracker).hookDeallocate(buffer);
        verifyNoMoreInteractions(rig.tracker);
        List<Buffer> recorded = new ArrayList<>(rig.allocator.getAllocatedBuffers());
        assertEquals(List.of(), recorded);
    }

    // ---- Mutation-testing review: argument checks and diagnostics that no test pinned ----

    @Test
    void preallocatedAddressesSpanExactlyTheThirtyTwoBitRange() {
        Device device = TestChips.open(ArchPreset.WORMHOLE_B0, 0, 0, MetalContext.untracked());
        for (long ok : new long[] {0, 0xFFFF_FFFFL}) {
            Buffer b = Buffer.create(device, ok, 2048, 2048, BufferType.DRAM, BufferShardingArgs.INTERLEAVED,
                    Optional.empty(), OptionalInt.empty());
            assertEquals(ok, b.address());
        }
        for (long bad : new long[] {-1, 0x1_0000_0000L}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Buffer.create(device, bad,
                    2048, 2048, BufferType.DRAM, BufferShardingArgs.INTERLEAVED, Optional.empty(), OptionalInt.empty()));
            assertEquals("address " + bad + " must fit in 32 bits (0..4294967295)", e.getMessage());
        }
    }

    @Test
    void negativeSizeAndPageSizeAreRejectedByName() {
        Device device = TestChips.open(ArchPreset.WORMHOLE_B0, 0, 0, MetalContext.untracked());
        // -2048 is a multiple of 2048 and 4096 of -2048: only the sign checks can refuse these.
        assertEquals("buffer size -2048 must not be negative", assertThrows(IllegalArgumentException.class,
                () -> Buffer.create(device, -2048, 2048, BufferType.DRAM)).getMessage());
        assertEquals("page size -2048 must not be negative", assertThrows(IllegalArgumentException.class,
                () -> Buffer.create(device, 4096, -2048, BufferType.DRAM)).getMessage());
        assertTrue(device.allocator().isEmpty());
    }

    @Test
    void anEmptyBufferMayHaveAZeroPageSize() {
        Device device = TestChips.open(ArchPreset.WORMHOLE_B0, 0, 0, MetalContext.untracked());
        Buffer empty = Buffer.create(device, 0, 0, BufferType.DRAM);
        assertEquals(AllocationStatus.ALLOCATED, empty.allocationStatus());
        assertSame(BufferShardingArgs.INTERLEAVED, empty.shardingArgs());
        assertTrue(device.allocator().isEmpty());
    }

    @Test
    void aViewOutsideTheBufferNamesTheRegion() {
        Device device = TestChips.open(ArchPreset.WORMHOLE_B0, 0, 0, MetalContext.untracked());
        Buffer buffer = Buffer.create(device, 4 * 2048, 2048, BufferType.DRAM);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> buffer.view(new BufferRegion(2048, 4 * 2048)));
        assertEquals("region [2048, 10240) must lie inside the buffer of 8192 B", e.getMessage());
    }

    @Test
    void aNegativePageIndexHasNoAddress() {
        Device device = TestChips.open(ArchPreset.WORMHOLE_B0, 0, 0, MetalContext.untracked());
        Buffer buffer = Buffer.create(device, 24 * 2048, 2048, BufferType.DRAM);
        assertThrows(IllegalArgumentException.class, () -> buffer.pageAddress(0, -1));
        assertEquals(buffer.address() + GIB + 2048, buffer.pageAddress(1, 13));
    }

    @Test
    void toStringShowsIdTypeSizeAddressStatusAndOwnership() {
        Device device = TestChips.open(ArchPreset.WORMHOLE_B0, 0, 0, MetalContext.untracked());
        Buffer owning = Buffer.create(device, 12 * 2048, 2048, BufferType.DRAM);
        assertEquals("Buffer{id=" + owning.uniqueId() + ", device=0, DRAM, size=24576, address=32, ALLOCATED}",
                owning.toString());
        Buffer view = Buffer.create(device, 64, 2048, 2048, BufferType.L1, BufferShardingArgs.INTERLEAVED,
                Optional.empty(), OptionalInt.empty());
        assertEquals("Buffer{id=" + view.uniqueId() + ", device=0, L1, size=2048, address=64, ALLOCATED, non-owning}",
                view.toString());
    }
}
