package io.github.meshalloc.allocator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.meshalloc.allocator.algorithms.MemoryBlock;
import io.github.meshalloc.allocator.algorithms.Statistics;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Random sequences of allocate (interleaved or sharded, bottom-up or top-down), deallocate, deallocateAll
 * and clear on Wormhole- and Blackhole-like DRAM and L1 bank managers, checked after every step against a
 * model of the live allocations (reference 5 and 6.3).
 */
class BankManagerProperties {

    /** One bank manager shape: type, bank offsets, arena, offset, alignments and compute grid. */
    enum Shape {
        WH_DRAM(BufferType.DRAM, 12, true, 256 * 1024, 32, 32, 32, 64),
        BH_DRAM(BufferType.DRAM, 8, false, 256 * 1024, 64, 64, 64, 130),
        WH_L1(BufferType.L1, 64, false, 128 * 1024, 100416, 16, 32, 64),
        BH_L1(BufferType.L1, 130, false, 128 * 1024, 111616, 16, 64, 130);

        final BufferType type;
        final int banks;
        final boolean alternatingOffsets;
        final long size;
        final long offset;
        final long typeAlignment;
        final long dramAlignment;
        final int computeCores;

        Shape(BufferType type, int banks, boolean alternatingOffsets, long size, long offset, long typeAlignment,
              long dramAlignment, int computeCores) {
            this.type = type;
            this.banks = banks;
            this.alternatingOffsets = alternatingOffsets;
            this.size = size;
            this.offset = offset;
            this.typeAlignment = typeAlignment;
            this.dramAlignment = dramAlignment;
            this.computeCores = computeCores;
        }

        BankManager build() {
            Map<Integer, Long> offsets = new TreeMap<>();
            for (int bank = 0; bank < banks; bank++) {
                offsets.put(bank, alternatingOffsets && bank % 2 == 1 ? 1L << 30 : 0L);
            }
            // Late-2025: the L1 interleaved limit is the free-list offset; DRAM has none.
            long limit = type == BufferType.L1 ? offset : 0;
            return new BankManager(type, offsets, size, limit, typeAlignment, offset, false,
                    AllocatorDependencies.SINGLE, dramAlignment);
        }

        CoreRangeSet computeGrid() {
            return computeCores == 64 ? CoreRangeSet.of(CoreRange.grid(8, 8)) : CoreRangeSet.of(CoreRange.grid(13, 10));
        }
    }

    sealed interface Action permits Allocate, Free, DeallocateAll, Clear {
    }

    /** {@code shards == 0} means interleaved. */
    record Allocate(int pages, long pageSize, int shards, boolean bottomUp) implements Action {
    }

    /** Frees the live allocation at {@code pick} modulo the number of live ones (or an unknown address if none). */
    record Free(int pick) implements Action {
    }

    record DeallocateAll() implements Action {
    }

    record Clear() implements Action {
    }

    @Provide
    Arbitrary<Shape> shapes() {
        return Arbitraries.of(Shape.class);
    }

    @Provide
    Arbitrary<List<Action>> actions() {
        Arbitrary<Action> allocate = Combinators.combine(
                Arbitraries.integers().between(1, 64),
                Arbitraries.of(16L, 32L, 48L, 100L, 1024L, 2048L, 4096L),
                Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just(0)), Tuple.of(1, Arbitraries.integers().between(1, 64))),
                Arbitraries.of(true, false))
                .as((pages, pageSize, shards, bottomUp) -> new Allocate(pages, pageSize, shards, bottomUp));
        Arbitrary<Action> free = Arbitraries.integers().between(0, 1000).map(Free::new);
        Arbitrary<Action> action = Arbitraries.frequencyOf(
                Tuple.of(12, allocate),
                Tuple.of(8, free),
                Tuple.of(1, Arbitraries.just(new DeallocateAll())),
                Tuple.of(1, Arbitraries.just(new Clear())));
        return action.list().ofMinSize(1).ofMaxSize(60);
    }

    private static long roundUp(long value, long alignment) {
        return (value + alignment - 1) / alignment * alignment;
    }

    @Property(tries = 400)
    void randomSequencesKeepTheManagerConsistent(@ForAll("shapes") Shape shape,
                                                 @ForAll("actions") List<Action> actions) {
        BankManager manager = shape.build();
        CoreRangeSet grid = shape.computeGrid();
        TreeMap<Long, Long> live = new TreeMap<>(); // address -> bytes occupied per bank
        for (Action action : actions) {
            if (action instanceof Allocate a) {
                allocate(shape, manager, grid, live, a);
            } else if (action instanceof Free f) {
                if (live.isEmpty()) {
                    manager.deallocateBuffer(shape.offset + shape.size + 4096);
                } else {
                    List<Long> addresses = new ArrayList<>(live.keySet());
                    long address = addresses.get(f.pick() % addresses.size());
                    manager.deallocateBuffer(address);
                    live.remove(address);
                }
            } else if (action instanceof DeallocateAll) {
                manager.deallocateAll();
                live.clear();
                assertSingleFreeBlock(shape, manager);
            } else {
                manager.clear();
                live.clear();
                assertSingleFreeBlock(shape, manager);
            }
            checkInvariants(shape, manager, live);
        }
        for (long address : new ArrayList<>(live.keySet())) {
            manager.deallocateBuffer(address);
            live.remove(address);
            checkInvariants(shape, manager, live);
        }
        assertSingleFreeBlock(shape, manager);
    }

    private static void allocate(Shape shape, BankManager manager, CoreRangeSet grid, TreeMap<Long, Long> live,
                                 Allocate a) {
        long alignedPage = roundUp(a.pageSize(), shape.typeAlignment);
        int shards = Math.min(a.shards(), shape.computeCores);
        int spread = shards == 0 ? shape.banks : shards;
        long perBank = Allocator.calculateBankSizeSpread(a.pages() * alignedPage, alignedPage, spread,
                shape.typeAlignment);
        long occupied = roundUp(Math.max(perBank, shape.dramAlignment), shape.dramAlignment);

        // FIRST policy: the lowest-starting (bottom-up) or highest-starting (top-down) free block that fits.
        Long expected = null;
        for (MemoryBlock block : manager.getMemoryBlockTable(0)) {
            if (block.allocated() || block.size() < occupied) {
                continue;
            }
            if (a.bottomUp()) {
                expected = expected == null ? block.address() : Math.min(expected, block.address());
            } else {
                long candidate = block.address() + block.size() - occupied;
                expected = expected == null ? candidate : Math.max(expected, candidate);
            }
        }

        List<MemoryBlock> blocksBefore = manager.getMemoryBlockTable(0);
        Statistics statsBefore = manager.getStatistics();
        List<Long> addressesBefore = manager.allocatedAddresses(0);
        OptionalInt numShards = shards == 0 ? OptionalInt.empty() : OptionalInt.of(shards);
        try {
            long address = manager.allocateBuffer(a.pages() * alignedPage, alignedPage, a.bottomUp(), grid, numShards);
            if (expected == null) {
                fail("allocated " + occupied + " B at " + address + " although no free block was large enough");
            }
            assertEquals(expected.longValue(), address, "placement of " + a);
            live.put(address, occupied);
        } catch (OutOfMemoryException e) {
            assertEquals(null, expected, "out of memory although a free block fits " + a + ": " + e.getMessage());
            assertEquals(blocksBefore, manager.getMemoryBlockTable(0), "OOM changed the blocks");
            assertEquals(statsBefore, manager.getStatistics(), "OOM changed the statistics");
            assertEquals(addressesBefore, manager.allocatedAddresses(0), "OOM changed the recorded addresses");
        }
    }

    private static void checkInvariants(Shape shape, BankManager manager, TreeMap<Long, Long> live) {
        // Every allocated address is recorded exactly once, and nothing else is.
        List<Long> recorded = manager.allocatedAddresses(0);
        assertEquals(recorded.size(), new HashSet<>(recorded).size(), "an address is recorded twice");
        assertEquals(live.keySet(), new HashSet<>(recorded));

        // Addresses are the offset plus a multiple of the DRAM alignment, inside the arena.
        for (Map.Entry<Long, Long> entry : live.entrySet()) {
            long relative = entry.getKey() - shape.offset;
            assertTrue(relative >= 0 && relative + entry.getValue() <= shape.size, "outside the arena: " + entry);
            assertEquals(0, relative % shape.dramAlignment, "misaligned address " + entry.getKey());
        }

        // No two live buffers overlap in any bank (bank-local address + that bank's offset).
        for (int bank : List.of(0, 1, shape.banks - 1)) {
            long bankOffset = manager.bankOffset(bank);
            long previousEnd = Long.MIN_VALUE;
            for (Map.Entry<Long, Long> entry : live.entrySet()) {
                long start = entry.getKey() + bankOffset;
                assertTrue(start >= previousEnd, "overlap in bank " + bank + " at " + start);
                previousEnd = start + entry.getValue();
            }
        }

        // The allocated blocks are exactly the live allocations.
        TreeMap<Long, Long> allocatedBlocks = new TreeMap<>();
        long freeBytes = 0;
        for (MemoryBlock block : manager.getMemoryBlockTable(0)) {
            if (block.allocated()) {
                allocatedBlocks.put(block.address(), block.size());
            } else {
                freeBytes += block.size();
            }
        }
        assertEquals(live, allocatedBlocks);

        // Statistics: allocated + free = total.
        Statistics stats = manager.getStatistics();
        long liveBytes = live.values().stream().mapToLong(Long::longValue).sum();
        assertEquals(shape.size, stats.totalAllocatableSizeBytes());
        assertEquals(liveBytes, stats.totalAllocatedBytes());
        assertEquals(stats.totalAllocatableSizeBytes(), stats.totalAllocatedBytes() + stats.totalFreeBytes());
        assertEquals(shape.size - liveBytes, freeBytes);
    }

    private static void assertSingleFreeBlock(Shape shape, BankManager manager) {
        assertEquals(List.of(new MemoryBlock(shape.offset, shape.size, false)), manager.getMemoryBlockTable(0));
        assertEquals(List.of(), manager.allocatedAddresses(0));
        assertEquals(new Statistics(shape.size, 0, shape.size, shape.size), manager.getStatistics());
    }
}
