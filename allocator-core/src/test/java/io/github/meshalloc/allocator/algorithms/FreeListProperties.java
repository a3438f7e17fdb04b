package io.github.meshalloc.allocator.algorithms;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Random sequences of allocate / allocateAtAddress / deallocate / clear on {@link FreeList}, checked
 * step by step against {@link Model}, a small independent model of free ranges, and against the
 * structural invariants (blocks tile the arena, no overlap, aligned addresses, full coalescing,
 * allocated + free = total). Shrink and reset are left out on purpose: the quirks live there
 * and are pinned by {@link FreeListTest}.
 */
class FreeListProperties {

    /** Arena parameters; {@code maxSize} is a multiple of {@code alignment} so all addresses stay aligned. */
    record Arena(long alignment, long offset, long maxSize, long minAllocation, FreeList.SearchPolicy policy) {
        FreeList newFreeList() {
            return new FreeList(maxSize, offset, minAllocation, alignment, policy);
        }
    }

    sealed interface Op permits Alloc, AllocAt, Dealloc, Clear {
    }

    /** {@code limitUnits} < 0: no limit; else limit = offset + limitUnits * alignment. */
    record Alloc(long size, boolean bottomUp, long limitUnits) implements Op {
    }

    record AllocAt(long units, long size) implements Op {
    }

    /** kind 0: a live block (pick-th), 1: offset + raw (any address), 2: the last address freed. */
    record Dealloc(int kind, int pick, long raw) implements Op {
    }

    record Clear() implements Op {
    }

    record Scenario(Arena arena, List<Op> ops, long shuffleSeed) {
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<Long> alignments = Arbitraries.of(1L, 16L, 32L, 64L);
        Arbitrary<Arena> arenas = alignments.flatMap(alignment -> Combinators.combine(
                        Arbitraries.longs().between(0, 64),
                        Arbitraries.longs().between(0, 48),
                        Arbitraries.of(1L, alignment, 2 * alignment),
                        Arbitraries.of(FreeList.SearchPolicy.class))
                .as((offsetUnits, sizeUnits, min, policy) ->
                        new Arena(alignment, offsetUnits * alignment, sizeUnits * alignment, min, policy)));
        return arenas.flatMap(arena -> Combinators.combine(
                        ops(arena).list().ofMaxSize(80),
                        Arbitraries.longs())
                .as((ops, seed) -> new Scenario(arena, ops, seed)));
    }

    private static Arbitrary<Op> ops(Arena arena) {
        long units = arena.maxSize() / arena.alignment();
        long maxBytes = Math.max(1, arena.maxSize());
        Arbitrary<Long> smallSizes = Arbitraries.longs().between(1, Math.max(1, maxBytes / 4));
        Arbitrary<Long> anySizes = Arbitraries.longs().between(1, maxBytes + arena.alignment());
        Arbitrary<Long> sizes = Arbitraries.frequencyOf(Tuple.of(4, smallSizes), Tuple.of(1, anySizes));
        Arbitrary<Long> limits = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just(-1L)),
                Tuple.of(1, Arbitraries.longs().between(0, units + 1)));
        Arbitrary<Op> alloc = Combinators.combine(sizes, Arbitraries.of(true, false), limits).as(Alloc::new);
        Arbitrary<Op> allocAt = Combinators.combine(Arbitraries.longs().between(0, units + 1), sizes)
                .as(AllocAt::new);
        Arbitrary<Op> dealloc = Combinators.combine(
                        Arbitraries.frequency(Tuple.of(6, 0), Tuple.of(2, 1), Tuple.of(1, 2)),
                        Arbitraries.integers().between(0, 1000),
                        Arbitraries.longs().between(0, arena.maxSize() + arena.alignment()))
                .as(Dealloc::new);
        return Arbitraries.frequencyOf(
                Tuple.of(6, alloc),
                Tuple.of(2, allocAt),
                Tuple.of(5, dealloc),
                Tuple.of(1, Arbitraries.just(new Clear())));
    }

    @Property(tries = 400)
    void freeListMatchesTheModelAndKeepsItsInvariants(@ForAll("scenarios") Scenario scenario) {
        Arena arena = scenario.arena();
        FreeList freeList = arena.newFreeList();
        Model model = new Model(arena);
        long lastFreed = arena.offset();
        check(freeList, model, arena);

        for (Op op : scenario.ops()) {
            if (op instanceof Alloc a) {
                long limit = a.limitUnits() < 0 ? 0 : arena.offset() + a.limitUnits() * arena.alignment();
                OptionalLong expected = model.allocate(a.size(), a.bottomUp());
                if (expected.isPresent() && expected.getAsLong() < limit) {
                    AddressLimitViolationException e = assertThrows(
                            AddressLimitViolationException.class,
                            () -> freeList.allocate(a.size(), a.bottomUp(), limit), op::toString);
                    assertEquals(expected.getAsLong(), e.address(), op::toString);
                } else {
                    assertEquals(expected, freeList.allocate(a.size(), a.bottomUp(), limit), op::toString);
                }
            } else if (op instanceof AllocAt a) {
                long address = arena.offset() + a.units() * arena.alignment();
                assertEquals(model.allocateAtAddress(address, a.size()),
                        freeList.allocateAtAddress(address, a.size()), op::toString);
            } else if (op instanceof Dealloc d) {
                long address = switch (d.kind()) {
                    case 0 -> model.used.isEmpty() ? arena.offset() + d.raw()
                            : arena.offset() + new ArrayList<>(model.used.keySet()).get(d.pick() % model.used.size());
                    case 1 -> arena.offset() + d.raw();
                    default -> lastFreed;
                };
                model.deallocate(address);
                freeList.deallocate(address);
                lastFreed = address;
            } else {
                model.clear();
                freeList.clear();
            }
            check(freeList, model, arena);
        }

        // Freeing every allocated block (leaked ones included), in a random order, leaves one free block.
        List<Long> live = new ArrayList<>(model.used.keySet());
        Collections.shuffle(live, new Random(scenario.shuffleSeed()));
        for (long relative : live) {
            model.deallocate(arena.offset() + relative);
            freeList.deallocate(arena.offset() + relative);
            check(freeList, model, arena);
        }
        assertEquals(List.of(new MemoryBlock(arena.offset(), arena.maxSize(), false)), freeList.getMemoryBlockTable());
        assertEquals(0, freeList.getStatistics().totalAllocatedBytes());
    }

    /** Compares the free list with the model and checks the structural invariants. */
    private static void check(FreeList freeList, Model model, Arena arena) {
        List<MemoryBlock> table = freeList.getMemoryBlockTable();
        assertEquals(model.table(), table);

        long expectedStart = arena.offset();
        boolean previousFree = false;
        long allocatedBytes = 0;
        for (MemoryBlock block : table) {
            assertEquals(expectedStart, block.address(), "blocks tile the arena without gap or overlap");
            if (block.allocated()) {
                assertEquals(0, (block.address() - arena.offset()) % arena.alignment(), "aligned address");
                assertEquals(0, block.size() % arena.alignment(), "aligned size");
                allocatedBytes += block.size();
            } else {
                assertTrue(!previousFree || block.size() == 0, "adjacent free blocks are merged");
            }
            previousFree = !block.allocated();
            expectedStart = block.address() + block.size();
        }
        assertEquals(arena.offset() + arena.maxSize(), expectedStart, "blocks end at the arena end");

        Statistics stats = freeList.getStatistics();
        assertEquals(model.statistics(), stats);
        assertEquals(allocatedBytes, stats.totalAllocatedBytes());
        assertEquals(stats.totalAllocatableSizeBytes(), stats.totalAllocatedBytes() + stats.totalFreeBytes(),
                "allocated + free = total");

        assertEquals(model.lowestOccupiedAddress(), freeList.lowestOccupiedAddress());
        for (long probe : new long[] {1, arena.alignment() + 1, arena.maxSize() / 3 + 1}) {
            assertEquals(model.availableAddresses(probe), freeList.availableAddresses(probe));
        }
    }

    /**
     * Reference model written from the specification, not from the linked-list code: a map of free
     * ranges and a map of allocated ranges, both by relative start. FIRST takes the lowest (bottom-up)
     * or highest (top-down) fitting range; BEST the smallest, ties to the lowest (bottom-up) or highest
     * (top-down) start, that being the free list's walk order. Lowest occupied address: minimum on
     * allocation (also when the limit then throws), recomputed as the lowest allocated start only when
     * exactly that address is freed, untouched by clear.
     */
    static final class Model {
        private final Arena arena;
        private final TreeMap<Long, Long> free = new TreeMap<>(); // start -> end
        final TreeMap<Long, Long> used = new TreeMap<>();          // start -> size
        private Long lowest;

        Model(Arena arena) {
            this.arena = arena;
            clear();
        }

        void clear() {
            free.clear();
            used.clear();
            free.put(0L, arena.maxSize());
        }

        long request(long size) {
            long atLeast = Math.max(size, arena.minAllocation());
            return (atLeast + arena.alignment() - 1) / arena.alignment() * arena.alignment();
        }

        /** Absolute address, carving and recording it (the caller decides about the limit). */
        OptionalLong allocate(long size, boolean bottomUp) {
            long r = request(size);
            Map.Entry<Long, Long> chosen = null;
            Iterable<Map.Entry<Long, Long>> walk = bottomUp ? free.entrySet() : free.descendingMap().entrySet();
            for (Map.Entry<Long, Long> range : walk) {
                long length = range.getValue() - range.getKey();
                if (length < r) {
                    continue;
                }
                if (arena.policy() == FreeList.SearchPolicy.FIRST) {
                    chosen = range;
                    break;
                }
                if (chosen == null || length < chosen.getValue() - chosen.getKey()) {
                    chosen = range;
                }
            }
            if (chosen == null) {
                return OptionalLong.empty();
            }
            long start = bottomUp ? chosen.getKey() : chosen.getValue() - r;
            carve(chosen.getKey(), chosen.getValue(), start, r);
            return OptionalLong.of(start + arena.offset());
        }

        OptionalLong allocateAtAddress(long absolute, long size) {
            long start = absolute - arena.offset();
            long r = request(size);
            Map.Entry<Long, Long> range = free.floorEntry(start);
            if (start < 0 || range == null || start + r > range.getValue()) {
                return OptionalLong.empty();
            }
            carve(range.getKey(), range.getValue(), start, r);
            return OptionalLong.of(absolute);
        }

        private void carve(long rangeStart, long rangeEnd, long start, long r) {
            free.remove(rangeStart);
            if (rangeStart < start) {
                free.put(rangeStart, start);
            }
            if (start + r < rangeEnd) {
                free.put(start + r, rangeEnd);
            }
            used.put(start, r);
            lowest = lowest == null ? start : Math.min(lowest, start);
        }

        void deallocate(long absolute) {
            long start = absolute - arena.offset();
            Long size = used.remove(start);
            if (size == null) {
                return;
            }
            long from = start;
            long to = start + size;
            Map.Entry<Long, Long> before = free.floorEntry(start);
            if (before != null && before.getValue() == start) {
                from = before.getKey();
                free.remove(before.getKey());
            }
            Long afterEnd = free.remove(to);
            if (afterEnd != null) {
                to = afterEnd;
            }
            free.put(from, to);
            if (lowest != null && lowest == start) {
                lowest = used.isEmpty() ? null : used.firstKey();
            }
        }

        OptionalLong lowestOccupiedAddress() {
            return lowest == null ? OptionalLong.empty() : OptionalLong.of(lowest + arena.offset());
        }

        List<AddressRange> availableAddresses(long size) {
            long r = request(size);
            List<AddressRange> ranges = new ArrayList<>();
            free.forEach((start, end) -> {
                if (end - start >= r) {
                    ranges.add(new AddressRange(start, end - r));
                }
            });
            return ranges;
        }

        List<MemoryBlock> table() {
            TreeMap<Long, MemoryBlock> rows = new TreeMap<>();
            free.forEach((start, end) -> rows.put(start, new MemoryBlock(start + arena.offset(), end - start, false)));
            used.forEach((start, size) -> {
                if (rows.put(start, new MemoryBlock(start + arena.offset(), size, true)) != null) {
                    fail("model overlap at " + start);
                }
            });
            return new ArrayList<>(rows.values());
        }

        Statistics statistics() {
            long allocated = 0;
            long freeBytes = 0;
            long largest = 0;
            List<Long> addrs = new ArrayList<>();
            for (MemoryBlock row : table()) {
                if (row.allocated()) {
                    allocated += row.size();
                } else {
                    freeBytes += row.size();
                    if (row.size() >= largest) {
                        largest = row.size();
                        addrs.add(row.address());
                    }
                }
            }
            if (allocated == 0) {
                freeBytes = arena.maxSize();
                largest = arena.maxSize();
            }
            return new Statistics(arena.maxSize(), allocated, freeBytes, largest, addrs);
        }
    }
}
