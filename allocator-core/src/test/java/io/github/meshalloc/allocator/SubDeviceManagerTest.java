package io.github.meshalloc.allocator;

import static io.github.meshalloc.allocator.TestChips.WH_L1_BASE;
import static io.github.meshalloc.allocator.TestChips.WH_W;
import static io.github.meshalloc.allocator.TestChips.heightSharded;
import static io.github.meshalloc.allocator.TestChips.interleaved;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.allocator.algorithms.MemoryBlock;
import io.github.meshalloc.allocator.rules.SubDeviceManagerTeardown;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SubDeviceManager} and {@link SubDeviceManagerTracker} on a Wormhole chip, against reference 12.1 and
 * 12.2 (late-2025 {@code sub_device_manager.cpp}, {@code sub_device_manager_tracker.cpp}).
 */
class SubDeviceManagerTest {

    private static final long SMALL = 64 * 1024;
    private static final long FULL_L1 = WH_W - WH_L1_BASE - SMALL;
    private static final CoreRangeSet LEFT = CoreRangeSet.of(new CoreRange(new CoreCoord(0, 0), new CoreCoord(3, 7)));
    private static final CoreRangeSet RIGHT = CoreRangeSet.of(new CoreRange(new CoreCoord(4, 0), new CoreCoord(7, 7)));

    private Device device;
    private SubDeviceManagerTracker tracker;
    private Allocator global;

    @BeforeEach
    void open() {
        device = TestChips.open(ArchPreset.WORMHOLE_B0, 0, SMALL, MetalContext.untracked());
        tracker = device.subDeviceManagerTracker();
        global = device.allocator();
    }

    private long createLeftRight(long localL1Size) {
        return tracker.createSubDeviceManager(List.of(new SubDevice(LEFT), new SubDevice(RIGHT)), localL1Size);
    }

    /** A sharded L1 buffer on sub-device {@code subDevice}: one page of {@code pageSize} per core of {@code cores}. */
    private Buffer onSubDevice(int subDevice, CoreRangeSet cores, long pageSize) {
        return Buffer.create(device, cores.numCores() * pageSize, pageSize, BufferType.L1,
                heightSharded(cores, 1), Optional.empty(), OptionalInt.of(subDevice));
    }

    private static CoreRangeSet block(int x0, int y0, int x1, int y1) {
        return CoreRangeSet.of(new CoreRange(new CoreCoord(x0, y0), new CoreCoord(x1, y1)));
    }

    @Test
    void theDefaultManagerOwnsTheGlobalAllocatorAndIsActive() {
        SubDeviceManager defaultManager = tracker.defaultSubDeviceManager();
        assertSame(defaultManager, tracker.activeSubDeviceManager());
        assertEquals(0, defaultManager.id());
        assertEquals(0, defaultManager.localL1Size());
        assertEquals(List.of(new SubDevice(TestChips.grid(8, 8))), defaultManager.subDevices());
        assertSame(global, defaultManager.allocator(0));
        assertSame(global, tracker.globalAllocator());
        assertFalse(defaultManager.hasAllocations());
        interleaved(device, 12 * 2048, 2048, BufferType.DRAM);
        assertTrue(defaultManager.hasAllocations());
    }

    @Test
    void managerIdsComeFromTheContextCounter() {
        assertEquals(1, createLeftRight(4096));
        assertEquals(2, createLeftRight(4096));
    }

    @Test
    void aManagerBuildsShardedOnlyLocalAllocatorsWithTheGlobalBankIds() {
        long id = createLeftRight(4100);
        assertSame(tracker.defaultSubDeviceManager(), tracker.activeSubDeviceManager(), "creating does not load");
        assertEquals(FULL_L1, global.getBankSize(BufferType.L1), "creating does not shrink the global allocator");
        tracker.loadSubDeviceManager(id);
        SubDeviceManager manager = tracker.activeSubDeviceManager();
        assertEquals(id, manager.id());
        assertEquals(4112, manager.localL1Size(), "rounded up to the L1 alignment");
        for (int subDevice = 0; subDevice < 2; subDevice++) {
            Allocator local = manager.allocator(subDevice);
            AllocatorConfig config = local.getConfig();
            assertTrue(config.disableInterleaved());
            assertEquals(32, local.getNumBanks(BufferType.L1));
            assertEquals(4112, local.getBankSize(BufferType.L1));
            assertEquals(WH_L1_BASE, local.getBaseAllocatorAddr(HalMemType.L1));
            assertEquals(0, local.getBankSize(BufferType.DRAM));
            assertEquals(0, local.getNumBanks(BufferType.L1_SMALL));
            for (CoreCoord core : config.computeGrid().cores()) {
                assertEquals(global.getBankIdsFromLogicalCore(core), local.getBankIdsFromLogicalCore(core));
            }
        }
        assertEquals(List.of(34), manager.allocator(0).getBankIdsFromLogicalCore(new CoreCoord(0, 0)));
        assertEquals(List.of(52), manager.allocator(1).getBankIdsFromLogicalCore(new CoreCoord(4, 0)));
        // Top-down in a 4112-byte arena: the end of the block minus the 2048-byte request.
        assertEquals(WH_L1_BASE + 4112 - 2048, onSubDevice(0, block(0, 0, 1, 0), 2048).address());
    }

    @Test
    void subDevicesWithoutTensixCoresOrWithoutLocalL1HaveNoAllocator() {
        long noCores = tracker.createSubDeviceManager(
                List.of(new SubDevice(LEFT), new SubDevice(new CoreRangeSet(List.of()))), 4096);
        long noLocal = createLeftRight(0);
        tracker.loadSubDeviceManager(noCores);
        SubDeviceManager manager = tracker.activeSubDeviceManager();
        assertTrue(manager.hasAllocator(0));
        assertFalse(manager.hasAllocator(1));
        assertEquals("SubDevice allocator not initialized",
                assertThrows(TtFatalException.class, () -> manager.allocator(1)).getMessage());
        tracker.loadSubDeviceManager(noLocal);
        SubDeviceManager unshrunk = tracker.activeSubDeviceManager();
        assertFalse(unshrunk.hasAllocator(0));
        assertFalse(unshrunk.hasAllocator(1));
        assertEquals(FULL_L1, global.getBankSize(BufferType.L1));
    }

    @Test
    void invalidSubDeviceSetsAreFatal() {
        List<SubDevice> seventeen = new ArrayList<>();
        for (int i = 0; i < 17; i++) {
            seventeen.add(new SubDevice(TestChips.core(i % 8, i / 8)));
        }
        assertThrows(TtFatalException.class, () -> tracker.createSubDeviceManager(seventeen, 4096));
        tracker.createSubDeviceManager(seventeen.subList(0, 16), 4096);
        assertThrows(TtFatalException.class,
                () -> tracker.createSubDeviceManager(List.of(new SubDevice(block(0, 0, 0, 8))), 4096));
        assertThrows(TtFatalException.class, () -> tracker.createSubDeviceManager(
                List.of(new SubDevice(LEFT), new SubDevice(block(3, 0, 7, 7))), 4096));
    }

    @Test
    void loadingShrinksTheGlobalL1FromTheBottomAndLocalBuffersUseTheCarvedRegion() {
        long id = createLeftRight(8192);
        tracker.loadSubDeviceManager(id);
        assertEquals(id, device.activeSubDeviceManagerId());
        assertEquals(FULL_L1 - 8192, global.getBankSize(BufferType.L1));
        assertEquals(WH_L1_BASE + 8192, interleaved(device, 64 * 2048, 2048, BufferType.L1, true).address());

        Buffer local = onSubDevice(0, block(0, 0, 1, 1), 2048);
        assertSame(tracker.activeSubDeviceManager().allocator(0), local.allocator());
        assertEquals(WH_L1_BASE + 8192 - 2048, local.address(), "top-down inside [base, base + local)");
        assertEquals(Optional.of(id), local.subDeviceManagerId());
        assertEquals(OptionalInt.of(0), local.subDeviceId());
        assertEquals(List.of(local), local.allocator().getAllocatedBuffers());
        assertFalse(global.getAllocatedBuffers().contains(local));
        assertTrue(tracker.activeSubDeviceManager().hasAllocations());
    }

    @Test
    void subDeviceBuffersMustBeShardedL1InsideTheSubDevice() {
        tracker.loadSubDeviceManager(createLeftRight(8192));
        assertThrows(IllegalArgumentException.class, () -> Buffer.create(device, 32 * 2048, 2048, BufferType.L1,
                BufferShardingArgs.INTERLEAVED, Optional.empty(), OptionalInt.of(0)));
        assertThrows(IllegalArgumentException.class, () -> Buffer.create(device, 4 * 2048, 2048, BufferType.DRAM,
                heightSharded(block(0, 0, 1, 1), 1), Optional.empty(), OptionalInt.of(0)));
        assertThrows(IllegalArgumentException.class, () -> onSubDevice(0, block(3, 0, 4, 0), 2048));
        assertEquals(WH_L1_BASE + 8192 - 2048, onSubDevice(1, block(4, 0, 7, 7), 2048).address());
    }

    @Test
    void switchingAwayWhileLocalAllocationsLiveIsRefused() {
        long first = createLeftRight(8192);
        long second = createLeftRight(4096);
        tracker.loadSubDeviceManager(first);
        Buffer local = onSubDevice(1, block(4, 0, 5, 0), 2048);
        for (long target : List.of(0L, second)) {
            TtFatalException e = assertThrows(TtFatalException.class, () -> tracker.loadSubDeviceManager(target));
            assertEquals("Cannot switch sub device managers while sub devices still have local allocations",
                    e.getMessage());
            assertEquals(first, device.activeSubDeviceManagerId());
            assertEquals(FULL_L1 - 8192, global.getBankSize(BufferType.L1));
        }
        tracker.loadSubDeviceManager(first);
        assertEquals(first, device.activeSubDeviceManagerId(), "loading the active manager is a no-op");
        local.release();
        tracker.clearLoadedSubDeviceManager();
        assertEquals(0, device.activeSubDeviceManagerId());
        assertEquals(FULL_L1, global.getBankSize(BufferType.L1));
    }

    @Test
    void globalAllocationsNeverBlockASwitchOnTheirOwn() {
        long id = createLeftRight(8192);
        tracker.loadSubDeviceManager(id);
        interleaved(device, 64 * 2048, 2048, BufferType.L1);
        tracker.clearLoadedSubDeviceManager();
        assertEquals(0, device.activeSubDeviceManagerId());
    }

    @Test
    void removingTheActiveOrDefaultManagerIsFatal() {
        long id = createLeftRight(4096);
        TtFatalException active = assertThrows(TtFatalException.class,
                () -> tracker.removeSubDeviceManager(0, SubDeviceManagerTeardown.CLEAR_THEN_DEALLOCATE_EACH));
        assertEquals("Cannot remove active sub device manager 0", active.getMessage());
        tracker.loadSubDeviceManager(id);
        TtFatalException activeNew = assertThrows(TtFatalException.class,
                () -> tracker.removeSubDeviceManager(id, SubDeviceManagerTeardown.CLEAR_THEN_DEALLOCATE_EACH));
        assertEquals("Cannot remove active sub device manager " + id, activeNew.getMessage());
        TtFatalException defaultManager = assertThrows(TtFatalException.class,
                () -> tracker.removeSubDeviceManager(0, SubDeviceManagerTeardown.CLEAR_THEN_DEALLOCATE_EACH));
        assertEquals("Cannot remove default sub device manager 0", defaultManager.getMessage());
    }

    @Test
    void aRemovedManagerIsDestroyedAndNoLongerExists() {
        long id = createLeftRight(4096);
        tracker.loadSubDeviceManager(id);
        SubDeviceManager manager = tracker.activeSubDeviceManager();
        tracker.clearLoadedSubDeviceManager();
        tracker.removeSubDeviceManager(id, SubDeviceManagerTeardown.CLEAR_THEN_DEALLOCATE_EACH);
        assertTrue(manager.isDestroyed());
        TtFatalException load = assertThrows(TtFatalException.class, () -> tracker.loadSubDeviceManager(id));
        assertEquals("Sub device manager does not exist", load.getMessage());
        TtFatalException remove = assertThrows(TtFatalException.class,
                () -> tracker.removeSubDeviceManager(id, SubDeviceManagerTeardown.CLEAR_THEN_DEALLOCATE_EACH));
        assertEquals("Sub device manager does not exist", remove.getMessage());
    }

    @Test
    void shrinkIsRefusedWhenAGlobalL1AllocationSitsInTheCarvedRegionAndNothingChanges() {
        long id = createLeftRight(4096);
        Buffer bottom = interleaved(device, 64 * 2048, 2048, BufferType.L1, true);
        assertEquals(WH_L1_BASE, bottom.address());
        List<MemoryBlock> blocks = global.getMemoryBlockTable(BufferType.L1);
        List<Long> addresses = global.getAllocatedAddresses(BufferType.L1);

        TtFatalException e = assertThrows(TtFatalException.class, () -> tracker.loadSubDeviceManager(id));
        assertEquals("Shrink size 4096 cuts into allocated block at address 0", e.getMessage());

        assertEquals(0, device.activeSubDeviceManagerId());
        assertEquals(FULL_L1, global.getBankSize(BufferType.L1));
        assertEquals(blocks, global.getMemoryBlockTable(BufferType.L1));
        assertEquals(addresses, global.getAllocatedAddresses(BufferType.L1));
        assertEquals(List.of(bottom), global.getAllocatedBuffers());

        bottom.release();
        tracker.loadSubDeviceManager(id);
        assertEquals(FULL_L1 - 4096, global.getBankSize(BufferType.L1));
    }

    @Test
    void aRefusedSwitchBetweenTwoManagersLeavesTheGlobalAllocatorReset() {
        // sub_device_manager_tracker.cpp resets the global L1 size before shrinking and does not undo the reset
        // when the shrink fails: the old manager stays active over a global allocator that is no longer shrunk.
        long small = createLeftRight(4096);
        long large = createLeftRight(8192);
        tracker.loadSubDeviceManager(small);
        Buffer globalBottom = interleaved(device, 64 * 2048, 2048, BufferType.L1, true);
        assertEquals(WH_L1_BASE + 4096, globalBottom.address());

        assertThrows(TtFatalException.class, () -> tracker.loadSubDeviceManager(large));

        assertEquals(small, device.activeSubDeviceManagerId());
        assertEquals(FULL_L1, global.getBankSize(BufferType.L1));
        // The global allocator may now place buffers inside the still-active manager's local region.
        assertEquals(WH_L1_BASE, interleaved(device, 64 * 2048, 2048, BufferType.L1, true).address());
    }

    @Test
    void lowestOccupiedComputeL1AddressCoversTheActiveManagersSubDevices() {
        long id = createLeftRight(8192);
        tracker.loadSubDeviceManager(id);
        interleaved(device, 64 * 4096, 4096, BufferType.L1);
        long globalLowest = WH_W - SMALL - 4096;
        assertEquals(OptionalLong.of(globalLowest), device.lowestOccupiedComputeL1Address(List.of()));
        Buffer local = onSubDevice(0, block(0, 0, 1, 1), 2048);
        long localAddress = WH_L1_BASE + 8192 - 2048;
        assertEquals(localAddress, local.address());
        assertEquals(OptionalLong.of(localAddress), device.lowestOccupiedComputeL1Address(List.of()));
        assertEquals(OptionalLong.of(localAddress), device.lowestOccupiedComputeL1Address(List.of(0)));
        assertEquals(OptionalLong.of(globalLowest), device.lowestOccupiedComputeL1Address(List.of(1)));
        local.release();
        assertEquals(OptionalLong.of(globalLowest), device.lowestOccupiedComputeL1Address(List.of()));
    }

    @Test
    void closingTheDeviceDestroysEveryManagerAndDeallocatesLocalBuffers() {
        long id = createLeftRight(8192);
        tracker.loadSubDeviceManager(id);
        SubDeviceManager manager = tracker.activeSubDeviceManager();
        Allocator localAllocator = manager.allocator(0);
        Buffer local = onSubDevice(0, block(0, 0, 1, 1), 2048);
        Buffer globalBuffer = interleaved(device, 12 * 2048, 2048, BufferType.DRAM);
        device.close();
        assertTrue(tracker.isDestroyed());
        assertTrue(manager.isDestroyed());
        assertEquals(AllocationStatus.DEALLOCATED, local.allocationStatus());
        assertEquals(AllocationStatus.DEALLOCATED, globalBuffer.allocationStatus());
        assertTrue(localAllocator.isEmpty());
        assertTrue(global.isEmpty());
        assertThrows(IllegalStateException.class, tracker::activeSubDeviceManager);
    }

    // ---- Mutation-testing review ----

    @Test
    void aDestroyedTrackerRefusesEveryOperation() {
        long id = createLeftRight(4096);
        assertFalse(tracker.isDestroyed());
        assertFalse(tracker.defaultSubDeviceManager().isDestroyed());
        device.close();
        assertThrows(IllegalStateException.class, () -> tracker.createSubDeviceManager(
                List.of(new SubDevice(LEFT)), 4096));
        assertThrows(IllegalStateException.class, () -> tracker.loadSubDeviceManager(id));
        assertThrows(IllegalStateException.class, () -> tracker.removeSubDeviceManager(id,
                io.github.meshalloc.allocator.rules.SubDeviceManagerTeardown.CLEAR_THEN_DEALLOCATE_EACH));
        assertThrows(IllegalStateException.class, tracker::defaultSubDeviceManager);
        assertThrows(IllegalStateException.class, tracker::globalAllocator);
        assertThrows(IllegalStateException.class, () -> tracker.lowestOccupiedComputeL1Address(List.of()));
        assertThrows(IllegalStateException.class, () -> tracker.destroy(
                io.github.meshalloc.allocator.rules.SubDeviceManagerTeardown.CLEAR_THEN_DEALLOCATE_EACH));
    }

    @Test
    void subDeviceIdsOutsideTheManagerAreRefused() {
        tracker.loadSubDeviceManager(createLeftRight(4096));
        SubDeviceManager manager = tracker.activeSubDeviceManager();
        assertTrue(manager.hasAllocator(1));
        assertFalse(manager.hasAllocator(2));
        assertFalse(manager.hasAllocator(-1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> manager.allocator(2));
        assertEquals("sub device id 2 is outside 0..1 of manager " + manager.id(), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> manager.allocator(-1));
        assertThrows(IllegalArgumentException.class, () -> device.subDeviceCores(2));
        assertEquals("sub device id -1 is outside 0..1", assertThrows(IllegalArgumentException.class,
                () -> device.subDeviceCores(-1)).getMessage());
        assertEquals(RIGHT, device.subDeviceCores(1));
    }

    @Test
    void destroyClearsALocalAllocatorBackToItsInitialState() {
        long id = createLeftRight(8192);
        tracker.loadSubDeviceManager(id);
        SubDeviceManager manager = tracker.activeSubDeviceManager();
        Allocator local = manager.allocator(0);
        String fresh = local.dumpMemoryBlocks(BufferType.L1);
        Buffer buffer = onSubDevice(0, block(0, 0, 1, 1), 2048);
        assertFalse(fresh.equals(local.dumpMemoryBlocks(BufferType.L1)));
        device.close();
        // clear() first (reference 12.1): one free block in metablock 0 and no retired slots, exactly as built,
        // rather than the coalesced table a plain deallocation would leave.
        assertEquals(AllocationStatus.DEALLOCATED, buffer.allocationStatus());
        assertEquals(fresh, local.dumpMemoryBlocks(BufferType.L1));
    }

    @Test
    void aBufferOnTheDefaultManagersSubDeviceCannotBeFreedUnderAnotherManager() {
        // Switching away from the default manager is not refused for its allocations, so a buffer created on its
        // sub-device 0 can outlive the switch; freeing it then trips the sub-device-manager check.
        Buffer onDefault = onSubDevice(0, block(0, 0, 1, 1), 2048);
        long id = createLeftRight(4096);
        tracker.loadSubDeviceManager(id);
        TtFatalException e = assertThrows(TtFatalException.class, onDefault::deallocate);
        assertTrue(e.getMessage().contains("that created this buffer is no longer active"), e.getMessage());
        assertEquals(AllocationStatus.ALLOCATED, onDefault.allocationStatus());
        tracker.clearLoadedSubDeviceManager();
        onDefault.deallocate();
        assertEquals(AllocationStatus.DEALLOCATED, onDefault.allocationStatus());
    }

    @Test
    void aManagerIsDestroyedOnceAndNeedsANonNegativeLocalSize() {
        assertEquals("local L1 size -16 must not be negative", assertThrows(IllegalArgumentException.class,
                () -> tracker.createSubDeviceManager(List.of(new SubDevice(LEFT)), -16)).getMessage());
        SubDeviceManager manager = SubDeviceManager.create(device.context(), global, List.of(new SubDevice(LEFT)), 4096);
        manager.destroy(io.github.meshalloc.allocator.rules.SubDeviceManagerTeardown.CLEAR_THEN_DEALLOCATE_EACH);
        assertTrue(manager.isDestroyed());
        assertThrows(IllegalStateException.class, () -> manager.destroy(
                io.github.meshalloc.allocator.rules.SubDeviceManagerTeardown.CLEAR_THEN_DEALLOCATE_EACH));
    }
}
