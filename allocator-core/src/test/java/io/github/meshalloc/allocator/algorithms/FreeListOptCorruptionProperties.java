package io.github.meshalloc.allocator.algorithms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.meshalloc.allocator.TtFatalException;
import io.github.meshalloc.allocator.algorithms.FreeListOpt.SearchPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Random operation sequences with shrinks and resets, the quirky calls that corrupt the C++ block table
 * (see {@link FreeListOpt#shrinkSize}). Every call must return or throw {@link TtFatalException} or
 * {@link CorruptedFreeListException}, and a {@link CorruptedFreeListException} must leave the state as it
 * was. A timeout around each sequence turns a hang into a failure. {@code SHRINK_TO_FREE_END} shrinks to
 * the end of a chosen free block, and {@code SHRINK_BY_FREE_SIZE} by the size of one (which
 * retires it when the shrink takes it): that is how the corrupting shrinks come about. The coverage check
 * makes sure the tries do reach both kinds of corrupted table.
 */
class FreeListOptCorruptionProperties {

    enum Kind { ALLOCATE_UP, ALLOCATE_DOWN, ALLOCATE_AT, FREE, SHRINK, SHRINK_TO_FREE_END, SHRINK_BY_FREE_SIZE, RESET,
        AVAILABLE, ALLOCATED }

    /** One operation: a size in units of 64 B and a pick (a live block, a free block or an address unit). */
    record Op(Kind kind, int units, int pick) {
    }

    @Provide
    Arbitrary<List<Op>> sequences() {
        Arbitrary<Kind> kinds = Arbitraries.frequency(
                Tuple.of(8, Kind.ALLOCATE_UP),
                Tuple.of(4, Kind.ALLOCATE_DOWN),
                Tuple.of(1, Kind.ALLOCATE_AT),
                Tuple.of(8, Kind.FREE),
                Tuple.of(1, Kind.SHRINK),
                Tuple.of(1, Kind.SHRINK_TO_FREE_END),
                Tuple.of(2, Kind.SHRINK_BY_FREE_SIZE),
                Tuple.of(1, Kind.RESET),
                Tuple.of(1, Kind.AVAILABLE),
                Tuple.of(1, Kind.ALLOCATED));
        return Combinators.combine(kinds, Arbitraries.integers().between(1, 128), Arbitraries.integers().between(0, 1023))
                .as(Op::new).list().ofMinSize(1).ofMaxSize(80);
    }

    @Property(tries = 3000)
    void everyCallReturnsOrThrowsASpecificException(@ForAll("sequences") List<Op> ops, @ForAll SearchPolicy policy) {
        String[] outcome = {"sound"};
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            FreeListOpt allocator = new FreeListOpt(64 * 1024, 0, 64, 64, policy);
            List<Long> live = new ArrayList<>();
            for (Op op : ops) {
                String before = allocator.dumpBlocks();
                try {
                    apply(allocator, live, op);
                } catch (TtFatalException e) {
                    // a refused shrink or reset, as in the C++
                } catch (CorruptedFreeListException e) {
                    outcome[0] = "corruption detected in " + op.kind();
                    assertEquals(before, allocator.dumpBlocks(), "state changed by a throwing " + op);
                }
            }
        });
        Statistics.label("outcome").collect(outcome[0]);
        Statistics.label("outcome").coverage(coverage -> {
            coverage.check("corruption detected in FREE").count(c -> c > 0);
            coverage.check("corruption detected in AVAILABLE").count(c -> c > 0);
        });
    }

    private static void apply(FreeListOpt allocator, List<Long> live, Op op) {
        long bytes = op.units() * 64L;
        switch (op.kind()) {
            case ALLOCATE_UP -> allocator.allocate(bytes, true, 0).ifPresent(live::add);
            case ALLOCATE_DOWN -> allocator.allocate(bytes, false, 0).ifPresent(live::add);
            case ALLOCATE_AT -> allocator.allocateAtAddress(op.pick() * 64L, bytes).ifPresent(live::add);
            case FREE -> {
                if (!live.isEmpty()) {
                    long address = live.get(op.pick() % live.size());
                    allocator.deallocate(address); // throws before anything changed, or frees
                    live.remove(address);
                }
            }
            case SHRINK -> allocator.shrinkSize(bytes, true);
            case SHRINK_TO_FREE_END -> {
                List<MemoryBlock> free = allocator.getMemoryBlockTable().stream().filter(b -> !b.allocated()).toList();
                if (!free.isEmpty()) {
                    MemoryBlock block = free.get(op.pick() % free.size());
                    long shrink = block.address() + block.size() - allocator.shrinkSizeBytes();
                    if (shrink > 0) {
                        allocator.shrinkSize(shrink, true);
                    }
                }
            }
            case SHRINK_BY_FREE_SIZE -> {
                List<MemoryBlock> free = allocator.getMemoryBlockTable().stream().filter(b -> !b.allocated()).toList();
                long shrink = free.isEmpty() ? 0 : free.get(op.pick() % free.size()).size();
                if (shrink > 0) { // not a size wrapped past 2^63 by an earlier corruption
                    allocator.shrinkSize(shrink, true);
                }
            }
            case RESET -> allocator.resetSize();
            case AVAILABLE -> allocator.availableAddresses(bytes);
            case ALLOCATED -> allocator.allocatedAddresses();
            default -> throw new IllegalStateException(op.kind().toString());
        }
    }
}
