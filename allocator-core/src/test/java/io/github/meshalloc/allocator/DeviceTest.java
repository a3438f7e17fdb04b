package io.github.meshalloc.allocator;

import static io.github.meshalloc.allocator.TestChips.WH_L1_BASE;
import static io.github.meshalloc.allocator.TestChips.WH_W;
import static io.github.meshalloc.allocator.TestChips.grid;
import static io.github.meshalloc.allocator.TestChips.interleaved;
import static io.github.meshalloc.allocator.TestChips.sharded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import io.github.meshalloc.allocator.rules.CoreRules;
import io.github.meshalloc.allocator.rules.SubDeviceManagerTeardown;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** {@link Device} open/close and its memory-facing queries, against reference 12.3 and 8.5. */
class DeviceTest {

    private static final long SMALL = 64 * 1024;
    private static final long TRACE = 1 << 20;

    private static Device closedWormhole(MetalContext context) {
        return new Device(0, ArchPreset.WORMHOLE_B0.config(TRACE, SMALL), context);
    }

    private static List<Buffer> oneOfEachType(Device device) {
        return List.of(
                interleaved(device, 12 * 2048, 2048, BufferType.DRAM),
                interleaved(device, 64 * 2048, 2048, BufferType.L1),
                sharded(device, grid(2, 2), 1, 2048, BufferType.L1_SMALL),
                interleaved(device, 12 * 2048, 2048, BufferType.TRACE));
    }

    @Test
    void aNewDeviceIsClosedAndHasNoAllocator() {
        Device device = closedWormhole(MetalContext.untracked());
        assertFalse(device.isInitialized());
        assertThrows(IllegalStateException.class, device::allocator);
        assertThrows(IllegalStateException.class, device::subDeviceManagerTracker);
        assertEquals(WH_W, device.l1SizePerCore());
        assertEquals(0, device.id());
    }

    @Test
    void initializeOpensOnceWithAnEmptyAllocator() {
        Device device = closedWormhole(MetalContext.untracked());
        device.initialize();
        assertTrue(device.isInitialized());
        assertTrue(device.allocator().isEmpty());
        assertEquals(device.config(), device.allocator().getConfig());
        assertThrows(IllegalStateException.class, device::initialize);
    }

    @Test
    void closingAClosedDeviceIsFatal() {
        Device device = closedWormhole(MetalContext.untracked());
        TtFatalException never = assertThrows(TtFatalException.class, device::close);
        assertEquals("Cannot close device 0 that has not been initialized!", never.getMessage());
        device.initialize();
        device.close();
        assertFalse(device.isInitialized());
        assertThrows(TtFatalException.class, device::close);
    }

    @Test
    void buffersCannotBeCreatedOnAClosedDevice() {
        Device device = closedWormhole(MetalContext.untracked());
        assertThrows(IllegalStateException.class, () -> interleaved(device, 12 * 2048, 2048, BufferType.DRAM));
        device.initialize();
        interleaved(device, 12 * 2048, 2048, BufferType.DRAM);
        device.close();
        assertThrows(IllegalStateException.class, () -> interleaved(device, 12 * 2048, 2048, BufferType.DRAM));
    }

    @Test
    void reopeningBuildsAFreshAllocator() {
        Device device = closedWormhole(MetalContext.untracked());
        device.initialize();
        Allocator first = device.allocator();
        interleaved(device, 12 * 2048, 2048, BufferType.DRAM);
        device.close();
        device.initialize();
        assertNotSame(first, device.allocator());
        assertTrue(device.allocator().isEmpty());
        assertEquals(32, interleaved(device, 12 * 2048, 2048, BufferType.DRAM).address());
    }

    @Test
    void closeUnderClearThenDeallocateEachDeallocatesEveryBufferWhileStillInitialized() {
        GraphTracking tracker = mock(GraphTracking.class);
        MetalContext context = new MetalContext(
                CoreRules.UPSTREAM.with(SubDeviceManagerTeardown.CLEAR_THEN_DEALLOCATE_EACH), tracker,
                AllocationReporter.NOOP);
        Device device = closedWormhole(context);
        device.initialize();
        Allocator allocator = device.allocator();
        List<Buffer> buffers = oneOfEachType(device);
        Buffer view = buffers.get(0).view(new BufferRegion(0, 2048));
        List<Boolean> initializedWhenTracked = new ArrayList<>();
        doAnswer(call -> initializedWhenTracked.add(device.isInitialized())).when(tracker).trackDeallocate(any());

        device.close();

        for (Buffer buffer : buffers) {
            assertEquals(AllocationStatus.DEALLOCATED, buffer.allocationStatus(), buffer.toString());
            verify(tracker, times(1)).trackDeallocate(buffer);
            verify(tracker, times(1)).hookDeallocate(buffer);
        }
        assertEquals(List.of(true, true, true, true), initializedWhenTracked);
        assertTrue(allocator.isEmpty());
        assertEquals(List.of(), allocator.getAllocatedBuffers());
        // The view never belonged to the allocator: upstream leaves it ALLOCATED, and releasing it after close
        // (then the root) reports nothing more.
        assertEquals(AllocationStatus.ALLOCATED, view.allocationStatus());
        view.release();
        buffers.forEach(Buffer::release);
        verify(tracker, times(4)).trackDeallocate(any());
    }

    @Test
    void closeUnderDeallocateBuffersFreesMemoryButLeavesBuffersAllocated() {
        GraphTracking tracker = mock(GraphTracking.class);
        MetalContext context = new MetalContext(CoreRules.UPSTREAM.with(SubDeviceManagerTeardown.DEALLOCATE_BUFFERS),
                tracker, AllocationReporter.NOOP);
        Device device = closedWormhole(context);
        device.initialize();
        Allocator allocator = device.allocator();
        List<Buffer> buffers = oneOfEachType(device);

        device.close();

        for (Buffer buffer : buffers) {
            assertEquals(AllocationStatus.ALLOCATED, buffer.allocationStatus(), buffer.toString());
        }
        assertEquals(buffers, allocator.getAllocatedBuffers());
        for (BufferType type : List.of(BufferType.DRAM, BufferType.L1, BufferType.L1_SMALL, BufferType.TRACE)) {
            assertEquals(0, allocator.getStatistics(type).totalAllocatedBytes(), type.toString());
        }
        verify(tracker, never()).trackDeallocate(any());

        // Released after close: the device is no longer initialised, so neither tracker nor allocator is called.
        buffers.forEach(Buffer::release);
        for (Buffer buffer : buffers) {
            assertEquals(AllocationStatus.DEALLOCATED, buffer.allocationStatus());
        }
        verify(tracker, never()).trackDeallocate(any());
        assertEquals(buffers, allocator.getAllocatedBuffers(), "the allocator was never told");
    }

    @Test
    void lowestOccupiedComputeL1AddressFollowsTheL1ManagerOnly() {
        Device device = closedWormhole(MetalContext.untracked());
        device.initialize();
        assertEquals(OptionalLong.empty(), device.lowestOccupiedComputeL1Address(List.of()));
        interleaved(device, 12 * 2048, 2048, BufferType.DRAM);
        sharded(device, grid(1, 1), 1, 2048, BufferType.L1_SMALL);
        assertEquals(OptionalLong.empty(), device.lowestOccupiedComputeL1Address(List.of()));
        interleaved(device, 64 * 4096, 4096, BufferType.L1);
        assertEquals(OptionalLong.of(WH_W - SMALL - 4096), device.lowestOccupiedComputeL1Address(List.of()));
        Buffer bottom = interleaved(device, 64 * 2048, 2048, BufferType.L1, true);
        assertEquals(OptionalLong.of(WH_L1_BASE), device.lowestOccupiedComputeL1Address(List.of()));
        assertEquals(OptionalLong.of(WH_L1_BASE), device.lowestOccupiedComputeL1Address(List.of(0)));
        bottom.release();
        assertEquals(OptionalLong.of(WH_W - SMALL - 4096), device.lowestOccupiedComputeL1Address(List.of()));
    }

    @Test
    void lowestOccupiedComputeL1AddressAsksTheGlobalAllocatorAboutBankZero() {
        // sub_device_manager_tracker.cpp queries global bank id 0 literally (banks are lockstep); a remap
        // without id 0 makes the query fatal once something is allocated, as in tt-metal.
        List<Integer> shifted = new ArrayList<>();
        for (int k = 1; k <= 64; k++) {
            shifted.add(k);
        }
        Device device = TestChips.open(ArchPreset.WORMHOLE_B0.config().withL1BankRemap(shifted),
                MetalContext.untracked());
        assertEquals(OptionalLong.empty(), device.lowestOccupiedComputeL1Address(List.of()));
        interleaved(device, 64 * 2048, 2048, BufferType.L1);
        TtFatalException e = assertThrows(TtFatalException.class,
                () -> device.lowestOccupiedComputeL1Address(List.of()));
        assertEquals("Expected bank 0 to be tracked!", e.getMessage());
    }

    @Test
    void theDefaultSubDeviceIsTheComputeGrid() {
        Device device = closedWormhole(MetalContext.untracked());
        device.initialize();
        assertEquals(grid(8, 8), device.subDeviceCores(0));
        assertEquals(device.allocator(), device.allocator(0));
        assertEquals(device.subDeviceManagerTracker().defaultSubDeviceManager().id(),
                device.activeSubDeviceManagerId());
    }
}
