package io.github.meshalloc.allocator;

import static io.github.meshalloc.allocator.TestChips.BH_DRAM_BANK;
import static io.github.meshalloc.allocator.TestChips.BH_L1_BASE;
import static io.github.meshalloc.allocator.TestChips.BH_W;
import static io.github.meshalloc.allocator.TestChips.GIB;
import static io.github.meshalloc.allocator.TestChips.WH_L1_BASE;
import static io.github.meshalloc.allocator.TestChips.WH_W;
import static io.github.meshalloc.allocator.TestChips.grid;
import static io.github.meshalloc.allocator.TestChips.interleaved;
import static io.github.meshalloc.allocator.TestChips.open;
import static io.github.meshalloc.allocator.TestChips.sharded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.github.meshalloc.allocator.algorithms.MemoryBlock;
import io.github.meshalloc.allocator.algorithms.Statistics;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Allocator} built from the presets, against reference sections 4 and 7 (late-2025
 * {@code allocator.cpp} and {@code l1_banking_allocator.cpp}). Expected addresses are derived by hand.
 */
class AllocatorTest {

    private static final long TRACE = 4L << 20;
    private static final long SMALL = 64 * 1024;

    private static Device wh() {
        return open(ArchPreset.WORMHOLE_B0, TRACE, SMALL, MetalContext.untracked());
    }

    private static Device bh() {
        return open(ArchPreset.BLACKHOLE, TRACE, SMALL, MetalContext.untracked());
    }

    private static Map<BufferType, Statistics> stats(Allocator allocator) {
        return Map.of(BufferType.DRAM, allocator.getStatistics(BufferType.DRAM),
                BufferType.L1, allocator.getStatistics(BufferType.L1),
                BufferType.L1_SMALL, allocator.getStatistics(BufferType.L1_SMALL),
                BufferType.TRACE, allocator.getStatistics(BufferType.TRACE));
    }

    @Nested
    class WormholeLayout {

        @Test
        void dramManagerSpansFromTheUnreservedBaseToTheTraceRegion() {
            Allocator allocator = wh().allocator();
            assertEquals(12, allocator.getNumBanks(BufferType.DRAM));
            assertEquals(IntStream.range(0, 12).boxed().toList(), allocator.getBankIds(BufferType.DRAM));
            assertEquals(GIB - 32 - TRACE, allocator.getBankSize(BufferType.DRAM));
            for (int bank = 0; bank < 12; bank++) {
                assertEquals(bank % 2 == 1 ? GIB : 0, allocator.getBankOffset(BufferType.DRAM, bank), "bank " + bank);
            }
        }

        @Test
        void dramBuffersGoBottomUpFrom32AndTopDownBelowTheTraceRegion() {
            Device device = wh();
            assertEquals(32, interleaved(device, 12 * 2048, 2048, BufferType.DRAM).address());
            assertEquals(GIB - TRACE - 2048, interleaved(device, 12 * 2048, 2048, BufferType.DRAM, false).address());
        }

        @Test
        void traceRegionIsTheTopOfEveryDramBank() {
            Device device = wh();
            Allocator allocator = device.allocator();
            assertEquals(12, allocator.getNumBanks(BufferType.TRACE));
            assertEquals(TRACE, allocator.getBankSize(BufferType.TRACE));
            assertEquals(GIB, allocator.getBankOffset(BufferType.TRACE, 11));
            assertEquals(GIB - TRACE, interleaved(device, 12 * 2048, 2048, BufferType.TRACE).address());
            assertEquals(GIB - 2048, interleaved(device, 12 * 2048, 2048, BufferType.TRACE, false).address());
        }

        @Test
        void l1ManagerSpansFromTheUnreservedBaseToL1Small() {
            Device device = wh();
            Allocator allocator = device.allocator();
            assertEquals(64, allocator.getNumBanks(BufferType.L1));
            assertEquals(WH_W - WH_L1_BASE - SMALL, allocator.getBankSize(BufferType.L1));
            assertEquals(new HashSet<>(IntStream.range(0, 64).boxed().toList()),
                    new HashSet<>(allocator.getBankIds(BufferType.L1)));
            allocator.getBankIds(BufferType.L1).forEach(bank -> assertEquals(0, allocator.getBankOffset(BufferType.L1, bank)));
            assertEquals(WH_W - SMALL - 2048, interleaved(device, 64 * 2048, 2048, BufferType.L1).address());
            // Late-2025 interleaved limit = l1_unreserved_base, so bottom-up interleaved L1 reaches the base.
            assertEquals(WH_L1_BASE, interleaved(device, 64 * 2048, 2048, BufferType.L1, true).address());
        }

        @Test
        void l1SmallIsTheTopOfL1WithTheSameBankIds() {
            Device device = wh();
            Allocator allocator = device.allocator();
            assertEquals(64, allocator.getNumBanks(BufferType.L1_SMALL));
            assertEquals(SMALL, allocator.getBankSize(BufferType.L1_SMALL));
            assertEquals(allocator.getBankIds(BufferType.L1), allocator.getBankIds(BufferType.L1_SMALL));
            assertEquals(WH_W - 2048, sharded(device, grid(2, 2), 1, 2048, BufferType.L1_SMALL).address());
            assertEquals(WH_W - SMALL, sharded(device, grid(2, 2), 1, 2048, BufferType.L1_SMALL, true).address());
        }

        @Test
        void withoutL1SmallTheL1ManagerReachesTheTopAndL1SmallHasNoBanks() {
            Device device = open(ArchPreset.WORMHOLE_B0, 0, 0, MetalContext.untracked());
            Allocator allocator = device.allocator();
            assertEquals(0, allocator.getNumBanks(BufferType.L1_SMALL));
            assertEquals(0, allocator.getBankSize(BufferType.L1_SMALL));
            assertEquals(WH_W - WH_L1_BASE, allocator.getBankSize(BufferType.L1));
            assertEquals(GIB - 32, allocator.getBankSize(BufferType.DRAM));
            assertEquals(WH_W - 4096, interleaved(device, 64 * 4096, 4096, BufferType.L1).address());
        }
    }

    @Nested
    class BlackholeLayout {

        @Test
        void dramAndTrace() {
            Device device = bh();
            Allocator allocator = device.allocator();
            assertEquals(8, allocator.getNumBanks(BufferType.DRAM));
            assertEquals(BH_DRAM_BANK - 64 - TRACE, allocator.getBankSize(BufferType.DRAM));
            for (int bank = 0; bank < 8; bank++) {
                assertEquals(0, allocator.getBankOffset(BufferType.DRAM, bank));
                assertEquals(0, allocator.getBankOffset(BufferType.TRACE, bank));
            }
            assertEquals(64, interleaved(device, 8 * 2048, 2048, BufferType.DRAM).address());
            assertEquals(BH_DRAM_BANK - TRACE - 2048,
                    interleaved(device, 8 * 2048, 2048, BufferType.DRAM, false).address());
            assertEquals(TRACE, allocator.getBankSize(BufferType.TRACE));
            assertEquals(BH_DRAM_BANK - TRACE, interleaved(device, 8 * 2048, 2048, BufferType.TRACE).address());
        }

        @Test
        void l1AndL1Small() {
            Device device = bh();
            Allocator allocator = device.allocator();
            assertEquals(130, allocator.getNumBanks(BufferType.L1));
            assertEquals(130, allocator.getNumBanks(BufferType.L1_SMALL));
            assertEquals(BH_W - BH_L1_BASE - SMALL, allocator.getBankSize(BufferType.L1));
            assertEquals(BH_W - SMALL - 2048, interleaved(device, 130 * 2048, 2048, BufferType.L1).address());
            assertEquals(BH_L1_BASE, interleaved(device, 130 * 2048, 2048, BufferType.L1, true).address());
            assertEquals(BH_W - 2048, sharded(device, grid(13, 10), 1, 2048, BufferType.L1_SMALL).address());
            assertEquals(BH_W - SMALL, sharded(device, grid(2, 1), 1, 2048, BufferType.L1_SMALL, true).address());
        }

        @Test
        void smallL1RequestsOccupyTheBlackholeDramAlignment() {
            Device device = bh();
            Allocator allocator = device.allocator();
            sharded(device, grid(1, 1), 1, 16, BufferType.L1);
            assertEquals(64, allocator.getStatistics(BufferType.L1).totalAllocatedBytes());
            assertEquals(BH_W - SMALL - 64 - 64, sharded(device, grid(1, 1), 1, 16, BufferType.L1).address());
        }
    }

    @Nested
    class BankIds {

        @Test
        void dramOffsetsAreCastThroughInt32() {
            // Reference 4.1: each DRAM offset is converted to int32 before being stored as int64.
            AllocatorConfig wh = ArchPreset.WORMHOLE_B0.config();
            AllocatorConfig config = new AllocatorConfig(4, GIB, List.of(0L, 3L * GIB, 2L * GIB, GIB), 32, 32,
                    WH_L1_BASE, wh.workerGrid(), WH_W, 0, 1024, wh.computeGrid(), List.of(), 16, false);
            Allocator allocator = new Allocator(config, MetalContext.untracked(), 0);
            assertEquals(0, allocator.getBankOffset(BufferType.DRAM, 0));
            assertEquals(-GIB, allocator.getBankOffset(BufferType.DRAM, 1));
            assertEquals(-2 * GIB, allocator.getBankOffset(BufferType.DRAM, 2));
            assertEquals(GIB, allocator.getBankOffset(BufferType.DRAM, 3));
            assertEquals(-GIB, allocator.getBankOffset(BufferType.TRACE, 1));
        }

        @Test
        void wormholeL1BankIdsFollowTheSeededShuffleInRowMajorOrder() {
            Allocator allocator = wh().allocator();
            // std::shuffle(0..63, default_random_engine(0)) starts 34 63 38 6 52 33 4 37 20 ... and ends ... 11 28.
            assertEquals(List.of(34), allocator.getBankIdsFromLogicalCore(new CoreCoord(0, 0)));
            assertEquals(List.of(63), allocator.getBankIdsFromLogicalCore(new CoreCoord(1, 0)));
            assertEquals(List.of(37), allocator.getBankIdsFromLogicalCore(new CoreCoord(7, 0)));
            assertEquals(List.of(20), allocator.getBankIdsFromLogicalCore(new CoreCoord(0, 1)));
            assertEquals(List.of(28), allocator.getBankIdsFromLogicalCore(new CoreCoord(7, 7)));
            assertEquals(new CoreCoord(0, 0), allocator.getLogicalCoreFromBankId(34));
            assertEquals(new CoreCoord(7, 7), allocator.getLogicalCoreFromBankId(28));
            List<Integer> shuffled = StdShuffle.shuffledIds(64, 0);
            List<CoreCoord> cores = CoreRange.grid(8, 8).cores();
            for (int k = 0; k < 64; k++) {
                assertEquals(cores.get(k), allocator.getLogicalCoreFromBankId(shuffled.get(k)));
            }
        }

        @Test
        void blackholeL1BankIdsFollowTheSeededShuffleInRowMajorOrder() {
            Allocator allocator = bh().allocator();
            // std::shuffle(0..129, default_random_engine(0)): 81 63 ... (index 12) 67, (13) 73, ... (129) 54.
            assertEquals(List.of(81), allocator.getBankIdsFromLogicalCore(new CoreCoord(0, 0)));
            assertEquals(List.of(67), allocator.getBankIdsFromLogicalCore(new CoreCoord(12, 0)));
            assertEquals(List.of(73), allocator.getBankIdsFromLogicalCore(new CoreCoord(0, 1)));
            assertEquals(List.of(54), allocator.getBankIdsFromLogicalCore(new CoreCoord(12, 9)));
        }

        @Test
        void coresOutsideTheComputeGridHaveNoL1Bank() {
            Allocator allocator = wh().allocator();
            assertThrows(TtFatalException.class, () -> allocator.getBankIdsFromLogicalCore(new CoreCoord(0, 8)));
            assertThrows(TtFatalException.class, () -> allocator.getLogicalCoreFromBankId(64));
        }

        @Test
        void anExplicitRemapReplacesTheShuffle() {
            List<Integer> reversed = new ArrayList<>(IntStream.range(0, 64).boxed().toList());
            Collections.reverse(reversed);
            Device device = open(ArchPreset.WORMHOLE_B0.config().withL1BankRemap(reversed), MetalContext.untracked());
            Allocator allocator = device.allocator();
            assertEquals(List.of(63), allocator.getBankIdsFromLogicalCore(new CoreCoord(0, 0)));
            assertEquals(List.of(0), allocator.getBankIdsFromLogicalCore(new CoreCoord(7, 7)));
            assertEquals(new CoreCoord(1, 0), allocator.getLogicalCoreFromBankId(62));
        }
    }

    @Nested
    class Queries {

        @Test
        void alignmentPerType() {
            Allocator whAllocator = wh().allocator();
            assertEquals(32, whAllocator.getAlignment(BufferType.DRAM));
            assertEquals(32, whAllocator.getAlignment(BufferType.TRACE));
            assertEquals(16, whAllocator.getAlignment(BufferType.L1));
            assertEquals(16, whAllocator.getAlignment(BufferType.L1_SMALL));
            Allocator bhAllocator = bh().allocator();
            assertEquals(64, bhAllocator.getAlignment(BufferType.DRAM));
            assertEquals(64, bhAllocator.getAlignment(BufferType.TRACE));
            assertEquals(16, bhAllocator.getAlignment(BufferType.L1));
            assertEquals("Unsupported buffer type!", assertThrows(TtFatalException.class,
                    () -> whAllocator.getAlignment(BufferType.SYSTEM_MEMORY)).getMessage());
        }

        @Test
        void baseAllocatorAddress() {
            Allocator whAllocator = wh().allocator();
            assertEquals(32, whAllocator.getBaseAllocatorAddr(HalMemType.DRAM));
            assertEquals(WH_L1_BASE, whAllocator.getBaseAllocatorAddr(HalMemType.L1));
            Allocator bhAllocator = bh().allocator();
            assertEquals(64, bhAllocator.getBaseAllocatorAddr(HalMemType.DRAM));
            assertEquals(BH_L1_BASE, bhAllocator.getBaseAllocatorAddr(HalMemType.L1));
            assertEquals("Allocator does not support allocating in HOST", assertThrows(TtFatalException.class,
                    () -> whAllocator.getBaseAllocatorAddr(HalMemType.HOST)).getMessage());
        }

        @Test
        void workerL1SizeAndConfig() {
            Device device = wh();
            assertEquals(WH_W, device.allocator().getWorkerL1Size());
            assertSame(device.config(), device.allocator().getConfig());
        }

        @ParameterizedTest
        @ValueSource(strings = {"banks", "size", "offset", "stats", "table", "dump", "addresses"})
        void systemMemoryQueriesAreFatal(String query) {
            Allocator allocator = wh().allocator();
            Runnable call = switch (query) {
                case "banks" -> () -> allocator.getNumBanks(BufferType.SYSTEM_MEMORY);
                case "size" -> () -> allocator.getBankSize(BufferType.SYSTEM_MEMORY);
                case "offset" -> () -> allocator.getBankOffset(BufferType.SYSTEM_MEMORY, 0);
                case "stats" -> () -> allocator.getStatistics(BufferType.SYSTEM_MEMORY);
                case "table" -> () -> allocator.getMemoryBlockTable(BufferType.SYSTEM_MEMORY);
                case "dump" -> () -> allocator.dumpMemoryBlocks(BufferType.SYSTEM_MEMORY);
                default -> () -> allocator.getAllocatedAddresses(BufferType.SYSTEM_MEMORY);
            };
            assertEquals("Unsupported buffer type!", assertThrows(TtFatalException.class, call::run).getMessage());
        }

        @Test
        void lowestOccupiedL1AddressIgnoresL1Small() {
            Device device = wh();
            Allocator allocator = device.allocator();
            sharded(device, grid(1, 1), 1, 2048, BufferType.L1_SMALL);
            interleaved(device, 12 * 2048, 2048, BufferType.DRAM);
            assertEquals(OptionalLong.empty(), allocator.getLowestOccupiedL1Address(34));
            interleaved(device, 64 * 2048, 2048, BufferType.L1);
            assertEquals(OptionalLong.of(WH_W - SMALL - 2048), allocator.getLowestOccupiedL1Address(34));
        }

        @Test
        void memoryBlockTableAndDumpComeFromTheManagerOfTheType() {
            Device device = wh();
            Allocator allocator = device.allocator();
            Buffer buffer = interleaved(device, 12 * 2048, 2048, BufferType.DRAM);
            assertEquals(List.of(new MemoryBlock(32, 2048, true), new MemoryBlock(32 + 2048, GIB - 32 - TRACE - 2048,
                    false)), allocator.getMemoryBlockTable(BufferType.DRAM));
            assertTrue(allocator.dumpMemoryBlocks(BufferType.DRAM).startsWith("FreeListOpt allocator info:"));
            assertEquals(List.of(buffer.address()), allocator.getAllocatedAddresses(BufferType.DRAM));
            assertEquals(List.of(), allocator.getAllocatedAddresses(BufferType.L1));
        }

        @Test
        void dramHighWaterMarkIsForwarded() {
            Device device = wh();
            Allocator allocator = device.allocator();
            allocator.beginDramHighWaterMarkTracking();
            Buffer buffer = interleaved(device, 12 * 1024, 1024, BufferType.DRAM);
            interleaved(device, 64 * 1024, 1024, BufferType.L1, true);
            assertEquals(buffer.address() + 1024 + GIB, allocator.endDramHighWaterMarkTracking());
        }
    }

    @Nested
    class Rejections {

        @Test
        void systemMemoryBufferIsRejectedByTheAllocatorAndNothingIsRecorded() {
            Device device = wh();
            Allocator allocator = device.allocator();
            assertThrows(IllegalArgumentException.class,
                    () -> Buffer.create(device, 2048, 2048, BufferType.SYSTEM_MEMORY));
            Buffer host = mock(Buffer.class);
            when(host.bufferType()).thenReturn(BufferType.SYSTEM_MEMORY);
            when(host.alignedSize()).thenReturn(2048L);
            when(host.alignedPageSize()).thenReturn(2048L);
            when(host.numCores()).thenReturn(OptionalInt.empty());
            Map<BufferType, Statistics> before = stats(allocator);
            assertEquals("Unsupported buffer type!",
                    assertThrows(TtFatalException.class, () -> allocator.allocateBuffer(host)).getMessage());
            assertEquals(0, allocator.getNumAllocatedBuffers());
            assertEquals(before, stats(allocator));
        }

        @Test
        void interleavedL1SmallIsFatalAndNothingIsRecorded() {
            Device device = wh();
            Allocator allocator = device.allocator();
            Map<BufferType, Statistics> before = stats(allocator);
            TtFatalException e = assertThrows(TtFatalException.class,
                    () -> interleaved(device, 64 * 2048, 2048, BufferType.L1_SMALL));
            assertEquals("L1_SMALL only supports sharded allocations, see validate_num_banks", e.getMessage());
            assertEquals(0, allocator.getNumAllocatedBuffers());
            assertEquals(before, stats(allocator));
        }

        @Test
        void disableInterleavedRejectsEveryInterleavedBuffer() {
            AllocatorConfig wh = ArchPreset.WORMHOLE_B0.config();
            AllocatorConfig config = new AllocatorConfig(wh.numDramChannels(), wh.dramBankSize(),
                    wh.dramBankOffsets(), wh.dramUnreservedBase(), wh.dramAlignment(), wh.l1UnreservedBase(),
                    wh.workerGrid(), wh.workerL1Size(), 0, 0, wh.computeGrid(), List.of(), wh.l1Alignment(), true);
            Device device = open(config, MetalContext.untracked());
            Allocator allocator = device.allocator();
            for (BufferType type : List.of(BufferType.DRAM, BufferType.L1)) {
                TtFatalException e = assertThrows(TtFatalException.class,
                        () -> interleaved(device, 64 * 2048, 2048, type));
                assertEquals("Interleaved allocation is disabled, see validate_num_banks", e.getMessage());
            }
            assertEquals(0, allocator.getNumAllocatedBuffers());
            Buffer ok = sharded(device, grid(2, 2), 1, 2048, BufferType.L1);
            assertEquals(WH_W - 2048, ok.address());
        }

        @Test
        void zeroTraceRegionMakesEveryTraceAllocationOutOfMemory() {
            Device device = open(ArchPreset.WORMHOLE_B0, 0, 0, MetalContext.untracked());
            Allocator allocator = device.allocator();
            assertEquals(12, allocator.getNumBanks(BufferType.TRACE));
            assertEquals(0, allocator.getBankSize(BufferType.TRACE));
            for (long pages : List.of(1L, 12L, 1000L)) {
                for (boolean bottomUp : List.of(true, false)) {
                    assertThrows(OutOfMemoryException.class,
                            () -> interleaved(device, pages * 32, 32, BufferType.TRACE, bottomUp));
                }
            }
            OutOfMemoryException e = assertThrows(OutOfMemoryException.class,
                    () -> interleaved(device, 12 * 2048, 2048, BufferType.TRACE));
            assertEquals("Out of Memory: Not enough space to allocate 24576 B TRACE buffer across 12 banks, where "
                    + "each bank needs to store 2048 B, but bank size is 0 B (allocated: 0 B, free: 0 B, largest "
                    + "free block: 0 B)", e.getMessage());
            assertEquals(0, allocator.getNumAllocatedBuffers());
        }
    }

    @Nested
    class BufferSetVersusMemory {

        private List<Buffer> fill(Device device) {
            return List.of(
                    interleaved(device, 12 * 2048, 2048, BufferType.DRAM),
                    interleaved(device, 64 * 2048, 2048, BufferType.L1),
                    sharded(device, grid(2, 2), 1, 2048, BufferType.L1_SMALL),
                    interleaved(device, 12 * 2048, 2048, BufferType.TRACE));
        }

        /**
         * The O(1) emptiness answers agree with the copies they stand for in every state: fresh, one buffer of a
         * single type alive (each type in turn), after {@code deallocate_buffers} (Buffers still recorded, no address
         * held) and after every Buffer is freed.
         */
        @Test
        void holdsNoBufferNorAddressAndHoldsNoAddressAgreeWithTheListsTheyStandFor() {
            List<BufferType> types = List.of(BufferType.DRAM, BufferType.L1, BufferType.L1_SMALL, BufferType.TRACE);
            Device device = wh();
            Allocator allocator = device.allocator();
            assertAgree(allocator, types);
            assertTrue(allocator.holdsNoBufferNorAddress());
            for (int alive = 0; alive < types.size(); alive++) {
                List<Buffer> buffers = fill(device);
                for (int other = 0; other < buffers.size(); other++) {
                    if (other != alive) {
                        buffers.get(other).deallocate();
                    }
                }
                Buffer buffer = buffers.get(alive);
                assertAgree(allocator, types);
                assertFalse(allocator.holdsNoBufferNorAddress(), buffer.bufferType() + " alone");
                assertFalse(allocator.holdsNoAddress(buffer.bufferType()), buffer.bufferType() + " alone");
                buffer.deallocate();
                assertAgree(allocator, types);
                assertTrue(allocator.holdsNoBufferNorAddress(), buffer.bufferType() + " freed");
            }
            fill(device);
            allocator.deallocateBuffers();
            assertAgree(allocator, types);
            for (BufferType type : types) {
                assertTrue(allocator.holdsNoAddress(type), type.toString());
            }
            assertFalse(allocator.holdsNoBufferNorAddress(), "the Buffer set still holds them");
        }

        private void assertAgree(Allocator allocator, List<BufferType> types) {
            boolean noAddress = true;
            for (BufferType type : types) {
                boolean empty = allocator.getAllocatedAddresses(type).isEmpty();
                assertEquals(empty, allocator.holdsNoAddress(type), type.toString());
                noAddress &= empty;
            }
            assertEquals(allocator.getAllocatedBuffers().isEmpty() && noAddress, allocator.holdsNoBufferNorAddress());
        }

        @Test
        void getAllocatedBuffersIsACopyInAllocationOrder() {
            Device device = wh();
            List<Buffer> buffers = fill(device);
            List<Buffer> copy = device.allocator().getAllocatedBuffers();
            assertEquals(buffers, copy);
            assertEquals(4, device.allocator().getNumAllocatedBuffers());
            assertThrows(UnsupportedOperationException.class, () -> copy.remove(0));
            buffers.get(0).deallocate();
            assertEquals(buffers, copy, "a copy does not follow later changes");
            assertEquals(buffers.subList(1, 4), device.allocator().getAllocatedBuffers());
        }

        @ParameterizedTest
        @ValueSource(booleans = {true, false})
        void deallocateBuffersAndClearFreeMemoryButLeaveBuffersAndTheSetAlone(boolean useClear) {
            // Reference 7: neither clears allocated_buffers_ nor changes any Buffer's status.
            Device device = wh();
            Allocator allocator = device.allocator();
            List<Buffer> buffers = fill(device);
            List<Long> addresses = buffers.stream().map(Buffer::address).toList();
            if (useClear) {
                allocator.clear();
            } else {
                allocator.deallocateBuffers();
            }
            for (Buffer buffer : buffers) {
                assertEquals(AllocationStatus.ALLOCATED, buffer.allocationStatus());
                assertTrue(buffer.isAllocated());
            }
            assertEquals(buffers, allocator.getAllocatedBuffers());
            for (BufferType type : List.of(BufferType.DRAM, BufferType.L1, BufferType.L1_SMALL, BufferType.TRACE)) {
                assertEquals(0, allocator.getStatistics(type).totalAllocatedBytes(), type.toString());
                assertEquals(List.of(), allocator.getAllocatedAddresses(type), type.toString());
            }
            assertFalse(allocator.isEmpty(), "the Buffer set still holds them");
            // The memory is free again: the same requests get the same addresses.
            assertEquals(addresses, fill(device).stream().map(Buffer::address).toList());
        }

        @Test
        void deallocatingAfterDeallocateBuffersOnlyForgetsTheBuffer() {
            Device device = wh();
            Allocator allocator = device.allocator();
            List<Buffer> buffers = fill(device);
            allocator.deallocateBuffers();
            Buffer fresh = interleaved(device, 12 * 2048, 2048, BufferType.DRAM);
            assertEquals(buffers.get(0).address(), fresh.address());
            Map<BufferType, Statistics> before = stats(allocator);
            buffers.get(0).deallocate();
            assertEquals(AllocationStatus.DEALLOCATED, buffers.get(0).allocationStatus());
            assertEquals(List.of(buffers.get(1), buffers.get(2), buffers.get(3), fresh),
                    allocator.getAllocatedBuffers());
            // The stale buffer's address is the fresh buffer's: freeing it frees the fresh buffer's range.
            assertEquals(0, allocator.getStatistics(BufferType.DRAM).totalAllocatedBytes());
            assertEquals(before.get(BufferType.L1), allocator.getStatistics(BufferType.L1));
        }

        @Test
        void clearUndoesAnL1Shrink() {
            Device device = wh();
            Allocator allocator = device.allocator();
            allocator.shrinkAllocatorSize(BufferType.L1, 4096, true);
            assertEquals(WH_W - WH_L1_BASE - SMALL - 4096, allocator.getBankSize(BufferType.L1));
            assertEquals(WH_L1_BASE + 4096, interleaved(device, 64 * 2048, 2048, BufferType.L1, true).address());
            allocator.clear();
            assertEquals(WH_W - WH_L1_BASE - SMALL, allocator.getBankSize(BufferType.L1));
            allocator.resetAllocatorSize(BufferType.L1);
            assertEquals(WH_W - WH_L1_BASE - SMALL, allocator.getBankSize(BufferType.L1));
        }

        @Test
        void isEmptyOnlyWhenNoBufferAndNoBlockRemains() {
            Device device = wh();
            Allocator allocator = device.allocator();
            assertTrue(allocator.isEmpty());
            Buffer buffer = interleaved(device, 12 * 2048, 2048, BufferType.DRAM);
            assertFalse(allocator.isEmpty());
            buffer.deallocate();
            assertTrue(allocator.isEmpty());
        }
    }

    @Nested
    class UnsafeAllocations {

        @Test
        void markingUnsafeCountsOneWarningPerAllocationUntilMarkedSafe() {
            Device device = wh();
            Allocator allocator = device.allocator();
            assertFalse(allocator.allocationsUnsafe());
            interleaved(device, 12 * 2048, 2048, BufferType.DRAM);
            assertEquals(0, allocator.unsafeAllocationWarnings());
            allocator.markAllocationsUnsafe();
            assertTrue(allocator.allocationsUnsafe());
            interleaved(device, 12 * 2048, 2048, BufferType.DRAM);
            interleaved(device, 64 * 2048, 2048, BufferType.L1);
            // verify_safe_allocation runs before the type checks, so a rejected request warns too.
            assertThrows(TtFatalException.class, () -> interleaved(device, 64 * 2048, 2048, BufferType.L1_SMALL));
            assertEquals(3, allocator.unsafeAllocationWarnings());
            allocator.markAllocationsSafe();
            assertFalse(allocator.allocationsUnsafe());
            interleaved(device, 12 * 2048, 2048, BufferType.DRAM);
            assertEquals(3, allocator.unsafeAllocationWarnings());
        }

        @Test
        void unsafeMarkingChangesNoAddress() {
            Device safe = wh();
            Device unsafe = wh();
            unsafe.allocator().markAllocationsUnsafe();
            for (BufferType type : List.of(BufferType.DRAM, BufferType.L1, BufferType.TRACE)) {
                int banks = safe.allocator().getNumBanks(type);
                assertEquals(interleaved(safe, banks * 4096L, 4096, type).address(),
                        interleaved(unsafe, banks * 4096L, 4096, type).address());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ArchPreset.class)
    void presetsAreBuiltAsGenerateConfigWould(ArchPreset arch) {
        // Reference 3 steps 4-5: trace and L1_SMALL sizes are rounded up to the DRAM alignment.
        AllocatorConfig config = arch.config(1000, 1000);
        long a = arch.dramAlignment();
        assertEquals((1000 + a - 1) / a * a, config.traceRegionSize());
        assertEquals((1000 + a - 1) / a * a, config.l1SmallSize());
        assertEquals(16, config.l1Alignment());
        assertFalse(config.disableInterleaved());
        assertEquals(List.of(), config.l1BankRemap());
        assertEquals(0, config.l1UnreservedBase() % a);
    }

    // ---- Mutation-testing review ----

    /** Fails if the allocator's lock is still held: another thread must be able to take it at once. */
    private static void assertLockReleased(Allocator allocator, String after) throws Exception {
        java.util.concurrent.FutureTask<Integer> probe = new java.util.concurrent.FutureTask<>(
                () -> allocator.getNumBanks(BufferType.DRAM));
        Thread thread = new Thread(probe, "lock-probe");
        thread.setDaemon(true);
        thread.start();
        try {
            assertEquals(12, probe.get(10, java.util.concurrent.TimeUnit.SECONDS), after);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the allocator lock is still held after " + after, e);
        }
    }

    @Test
    void everyLockedOperationReleasesTheLock() throws Exception {
        Device device = open(ArchPreset.WORMHOLE_B0, 0, 0, MetalContext.untracked());
        Allocator allocator = device.allocator();
        Buffer buffer = interleaved(device, 12 * 2048, 2048, BufferType.DRAM);
        assertLockReleased(allocator, "allocateBuffer");
        assertEquals(List.of(buffer), allocator.getAllocatedBuffers());
        assertLockReleased(allocator, "getAllocatedBuffers");
        assertEquals(1, allocator.getNumAllocatedBuffers());
        assertLockReleased(allocator, "getNumAllocatedBuffers");
        assertEquals(12, allocator.getNumBanks(BufferType.DRAM));
        assertLockReleased(allocator, "getNumBanks");
        assertFalse(allocator.holdsNoBufferNorAddress());
        assertLockReleased(allocator, "holdsNoBufferNorAddress");
        assertFalse(allocator.holdsNoAddress(BufferType.DRAM));
        assertLockReleased(allocator, "holdsNoAddress");
        buffer.release();
        assertLockReleased(allocator, "deallocateBuffer");
        interleaved(device, 12 * 2048, 2048, BufferType.DRAM);
        allocator.deallocateBuffers();
        assertLockReleased(allocator, "deallocateBuffers");
    }

    @Test
    void calculateBankSizeSpreadNeedsAtLeastOneBank() {
        assertEquals("number of banks 0 must be positive", assertThrows(IllegalArgumentException.class,
                () -> Allocator.calculateBankSizeSpread(0, 0, 0, 32)).getMessage());
        assertEquals(0, Allocator.calculateBankSizeSpread(0, 0, 1, 32));
    }

    @Test
    void aBankRemapGivingOneIdToTwoCoresIsRefused() {
        AllocatorConfig base = ArchPreset.WORMHOLE_B0.config();
        List<Integer> remap = new ArrayList<>(IntStream.range(0, base.numL1Banks()).boxed().toList());
        remap.set(1, 0);
        AllocatorConfig duplicate = base.withL1BankRemap(remap);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Allocator(duplicate, MetalContext.untracked(), 0));
        assertEquals("L1 bank id 0 is given to two cores; bank ids must be distinct", e.getMessage());
    }

    @Test
    void snapshotListsTypesBuffersAndTheUnsafeFlag() {
        Device device = open(ArchPreset.WORMHOLE_B0, 0, 0, MetalContext.untracked());
        Allocator allocator = device.allocator();
        assertSame(device.context(), allocator.context());
        Buffer buffer = interleaved(device, 12 * 2048, 2048, BufferType.DRAM);
        allocator.markAllocationsUnsafe();
        AllocatorSnapshot snapshot = allocator.snapshot();
        assertEquals(List.of(new AllocatorSnapshot.BufferState(buffer.uniqueId(), AllocationStatus.ALLOCATED,
                buffer.address())), snapshot.buffers());
        assertTrue(snapshot.allocationsUnsafe());
        assertEquals(List.of(buffer.address()), snapshot.types().get(BufferType.DRAM).allocatedAddresses());
        assertEquals(4, snapshot.types().size());
    }

    @Test
    void configCopiesChangeOnlyTheirField() {
        AllocatorConfig base = ArchPreset.WORMHOLE_B0.config();
        assertEquals(64, base.numL1Banks());
        assertEquals(8192, base.withTraceRegionSize(8192).traceRegionSize());
        assertEquals(base, base.withTraceRegionSize(8192).withTraceRegionSize(base.traceRegionSize()));
        assertEquals(4096, base.withL1SmallSize(4096).l1SmallSize());
        assertEquals(base, base.withL1SmallSize(4096).withL1SmallSize(base.l1SmallSize()));
        assertEquals(64, base.withDramUnreservedBase(64).dramUnreservedBase());
        assertEquals(base, base.withDramUnreservedBase(64).withDramUnreservedBase(base.dramUnreservedBase()));
    }

    @Test
    void alignmentsMustBePowersOfTwo() {
        AllocatorConfig base = ArchPreset.WORMHOLE_B0.config();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new AllocatorConfig(
                base.numDramChannels(), base.dramBankSize(), base.dramBankOffsets(), 96, 48, base.l1UnreservedBase(),
                base.workerGrid(), base.workerL1Size(), 0, 0, base.computeGrid(), List.of(), base.l1Alignment(),
                false));
        assertEquals("dramAlignment 48 must be a positive power of two", e.getMessage());
    }
}
