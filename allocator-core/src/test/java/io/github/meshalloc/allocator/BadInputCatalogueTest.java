package io.github.meshalloc.allocator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The bad-input catalogue of allocator-core (README, "Bad input"): each row's exception type, that its
 * message names the bad value and what is allowed, and that the simulated state is unchanged (a full
 * allocator snapshot before and after).
 */
class BadInputCatalogueTest {
    private Device chip;
    private Buffer live;

    @BeforeEach
    void openChipWithOneLiveBuffer() {
        chip = new Device(0, ArchPreset.WORMHOLE_B0.config(), MetalContext.untracked());
        chip.initialize();
        live = Buffer.create(chip, 1 << 20, 2048, BufferType.DRAM);
        Buffer.create(chip, 4096, 1024, BufferType.L1);
    }

    private static <T extends Throwable> void assertRejected(Class<T> type, Executable call,
                                                             Supplier<Object> state, String... fragments) {
        Object before = state.get();
        T e = assertThrows(type, call);
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' lacks '" + fragment + "'");
        }
        assertEquals(before, state.get(), "state changed by a rejected call");
    }

    private Supplier<Object> chipState() {
        return () -> chip.allocator().snapshot();
    }

    @Test
    void negativeBufferSize() {
        assertRejected(IllegalArgumentException.class, () -> Buffer.create(chip, -2048, 2048, BufferType.DRAM),
                chipState(), "-2048", "must not be negative");
    }

    @Test
    void pageSizeNotDividingSize() {
        assertRejected(IllegalArgumentException.class, () -> Buffer.create(chip, 3000, 2048, BufferType.DRAM),
                chipState(), "3000", "2048", "multiple of the page size");
    }

    @Test
    void systemMemoryBufferType() {
        assertRejected(IllegalArgumentException.class, () -> Buffer.create(chip, 2048, 2048, BufferType.SYSTEM_MEMORY),
                chipState(), "SYSTEM_MEMORY", "allowed: DRAM, L1, L1_SMALL, TRACE");
    }

    @Test
    void preallocatedAddressBeyond32Bits() {
        assertRejected(IllegalArgumentException.class, () -> Buffer.create(chip, 1L << 32, 2048, 2048, BufferType.DRAM,
                BufferShardingArgs.INTERLEAVED, Optional.empty(), OptionalInt.empty()), chipState(),
                "4294967296", "0..4294967295");
    }

    @Test
    void shardedLayoutWithoutShardSpec() {
        assertRejected(IllegalArgumentException.class, () -> Buffer.create(chip, 2048, 2048, BufferType.L1,
                new BufferShardingArgs(TensorMemoryLayout.HEIGHT_SHARDED, Optional.empty()), Optional.empty(),
                OptionalInt.empty()), chipState(), "HEIGHT_SHARDED", "needs a shard spec");
    }

    @Test
    void allocationLargerThanTheBanks() {
        long tooBig = 13L << 30;
        assertRejected(OutOfMemoryException.class, () -> Buffer.create(chip, tooBig, 1 << 20, BufferType.DRAM),
                chipState(), "Out of Memory", String.valueOf(tooBig), "bank size is");
    }

    @Test
    void unknownBank() {
        assertRejected(TtFatalException.class, () -> chip.allocator().getBankOffset(BufferType.DRAM, 99),
                chipState(), "Expected bank 99 to be tracked!");
    }

    @Test
    void viewOutsideTheBuffer() {
        assertRejected(IllegalArgumentException.class, () -> live.view(new BufferRegion(1 << 20, 2048)), chipState(),
                "1048576", "must lie inside the buffer");
    }

    @Test
    void misalignedView() {
        assertRejected(IllegalArgumentException.class, () -> live.view(new BufferRegion(100, 2048)), chipState(),
                "100", "multiples of the page size 2048");
    }

    @Test
    void shrinkIntoAnAllocatedBlock() {
        assertRejected(TtFatalException.class,
                () -> chip.allocator().shrinkAllocatorSize(BufferType.DRAM, 4096, true), chipState(),
                "cuts into allocated block");
    }

    @Test
    void invalidBankCount() {
        assertRejected(TtFatalException.class, () -> new BankManager(BufferType.DRAM, List.of(0L, 0L, 0L), 1 << 20, 32,
                0, false, AllocatorDependencies.SINGLE, 32), () -> "no state", "Invalid number of memory banks 3",
                "power of 2");
    }

    @Test
    void releasingADestroyedBuffer() {
        live.release();
        assertRejected(IllegalStateException.class, live::release, chipState(), "already destroyed");
    }

    @Test
    void bufferOnAClosedDevice() {
        chip.close();
        assertRejected(IllegalStateException.class, () -> Buffer.create(chip, 2048, 2048, BufferType.DRAM),
                () -> chip.isInitialized(), "device 0 is closed", "open device");
    }

    @Test
    void closingAClosedDevice() {
        chip.close();
        assertRejected(TtFatalException.class, chip::close, () -> chip.isInitialized(), "device 0",
                "not been initialized");
    }

    @Test
    void configWithAnOffsetPerChannelMissing() {
        AllocatorConfig good = ArchPreset.WORMHOLE_B0.config();
        assertRejected(IllegalArgumentException.class, () -> new AllocatorConfig(good.numDramChannels(),
                good.dramBankSize(), good.dramBankOffsets().subList(0, 11), good.dramUnreservedBase(),
                good.dramAlignment(), good.l1UnreservedBase(), good.workerGrid(), good.workerL1Size(),
                good.l1SmallSize(), good.traceRegionSize(), good.computeGrid(), good.l1BankRemap(),
                good.l1Alignment(), good.disableInterleaved()), () -> "no state", "11 entries",
                "numDramChannels is 12");
    }

    @Test
    void traceAllocationWithoutATraceRegion() {
        assertRejected(OutOfMemoryException.class, () -> Buffer.create(chip, 2048, 2048, BufferType.TRACE),
                chipState(), "TRACE", "bank size is 0 B");
    }
}
