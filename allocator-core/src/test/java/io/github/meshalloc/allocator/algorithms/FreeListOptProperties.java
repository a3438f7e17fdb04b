package io.github.meshalloc.allocator.algorithms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.allocator.algorithms.FreeListOpt.SearchPolicy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Random operation sequences against {@link FreeListOpt}: structural invariants, and a differential
 * check against {@link ReferenceFreeListModel}, which implements the FIRST and BEST rules as reference
 * 6.3 states them, for both policies and both directions.
 */
class FreeListOptProperties {

    enum Kind { ALLOCATE, ALLOCATE_WITH_LIMIT, ALLOCATE_AT, FREE_LIVE, FREE_RANDOM, CLEAR }

    /**
     * One operation. {@code size} is the requested size; {@code bottomUp} the direction; {@code seed}
     * picks the live block to free, the start for ALLOCATE_AT (in alignment units, or in bytes when
     * {@code misaligned}) or the random address to free; {@code limitFraction} places the limit inside
     * the arena.
     */
    record Op(Kind kind, long size, boolean bottomUp, long seed, boolean misaligned, double limitFraction) {
    }

    /** An arena configuration and the operations to run on it. */
    record Scenario(long maxSize, long offset, long minAllocation, long alignment, SearchPolicy policy,
                    List<Op> ops) {
        FreeListOpt newAllocator() {
            return new FreeListOpt(maxSize, offset, minAllocation, alignment, policy);
        }

        ReferenceFreeListModel newModel() {
            return new ReferenceFreeListModel(maxSize, offset, minAllocation, alignment, policy);
        }

        /** The same scenario on an arena whose size is a multiple of the alignment (as every tt-metal bank's is). */
        Scenario withAlignedSize() {
            return new Scenario(maxSize / alignment * alignment, offset, minAllocation, alignment, policy, ops);
        }
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<Long> alignments = Arbitraries.of(1L, 16L, 32L, 48L, 64L, 1024L);
        Arbitrary<Long> minimums = Arbitraries.of(1L, 32L, 64L, 1024L, 3000L);
        Arbitrary<Long> sizes = Arbitraries.longs().between(2 * 1024, 256 * 1024);
        Arbitrary<Integer> offsetUnits = Arbitraries.integers().between(0, 64);
        Arbitrary<SearchPolicy> policies = Arbitraries.of(SearchPolicy.class);
        Arbitrary<List<Op>> ops = operations().list().ofMaxSize(80);
        return Combinators.combine(alignments, minimums, sizes, offsetUnits, policies, ops)
                .as((alignment, minimum, size, units, policy, list) ->
                        new Scenario(size, alignment * units, minimum, alignment, policy, list));
    }

    private Arbitrary<Op> operations() {
        Arbitrary<Kind> kinds = Arbitraries.frequency(
                Tuple.of(10, Kind.ALLOCATE),
                Tuple.of(2, Kind.ALLOCATE_WITH_LIMIT),
                Tuple.of(3, Kind.ALLOCATE_AT),
                Tuple.of(8, Kind.FREE_LIVE),
                Tuple.of(1, Kind.FREE_RANDOM),
                Tuple.of(1, Kind.CLEAR));
        // Sizes spread over several classes: mostly small, some up to 40 KiB.
        Arbitrary<Long> sizes = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.longs().between(0, 3 * 1024)),
                Tuple.of(3, Arbitraries.longs().between(3 * 1024, 12 * 1024)),
                Tuple.of(1, Arbitraries.longs().between(12 * 1024, 40 * 1024)));
        return Combinators.combine(kinds, sizes, Arbitraries.of(true, false), Arbitraries.longs().between(0, 1 << 20),
                        Arbitraries.integers().between(0, 9), Arbitraries.doubles().between(0, 1))
                .as((kind, size, bottomUp, seed, misalignedDie, fraction) ->
                        new Op(kind, size, bottomUp, seed, misalignedDie == 0, fraction));
    }

    /** What one operation did: an address, nothing, or a limit violation at an address. */
    record Outcome(String what, long address) {
        static Outcome of(OptionalLong result) {
            return result.isPresent() ? new Outcome("address", result.getAsLong()) : new Outcome("empty", 0);
        }
    }

    /** Drives an allocator (and optionally the model) through a scenario, tracking live addresses. */
    private static final class Runner {
        final Scenario scenario;
        final FreeListOpt allocator;
        final boolean allowMisaligned;
        final List<Long> live = new ArrayList<>();

        Runner(Scenario scenario, boolean allowMisaligned) {
            this.scenario = scenario;
            this.allocator = scenario.newAllocator();
            this.allowMisaligned = allowMisaligned;
        }

        long limitFor(Op op) {
            return scenario.offset() + (long) (op.limitFraction() * scenario.maxSize());
        }

        long atAddressFor(Op op) {
            boolean misaligned = allowMisaligned && op.misaligned();
            long alignment = scenario.alignment();
            long span = Math.max(1, scenario.maxSize() / (misaligned ? 1 : alignment));
            long units = op.seed() % span;
            return scenario.offset() + (misaligned ? units : units * alignment);
        }

        long randomAddressFor(Op op) {
            return op.seed() % (scenario.offset() + scenario.maxSize() + 4096);
        }

        Outcome apply(Op op) {
            switch (op.kind()) {
                case ALLOCATE -> {
                    OptionalLong address = allocator.allocate(op.size(), op.bottomUp());
                    address.ifPresent(live::add);
                    return Outcome.of(address);
                }
                case ALLOCATE_WITH_LIMIT -> {
                    try {
                        OptionalLong address = allocator.allocate(op.size(), op.bottomUp(), limitFor(op));
                        address.ifPresent(live::add);
                        return Outcome.of(address);
                    } catch (AddressLimitViolationException e) {
                        live.add(e.address()); // carved and recorded in the table: freeable
                        return new Outcome("limit", e.address());
                    }
                }
                case ALLOCATE_AT -> {
                    OptionalLong address = allocator.allocateAtAddress(atAddressFor(op), op.size());
                    address.ifPresent(live::add);
                    return Outcome.of(address);
                }
                case FREE_LIVE -> {
                    if (live.isEmpty()) {
                        return new Outcome("skip", 0);
                    }
                    long address = live.remove((int) (op.seed() % live.size()));
                    allocator.deallocate(address);
                    return new Outcome("freed", address);
                }
                case FREE_RANDOM -> {
                    long address = randomAddressFor(op);
                    allocator.deallocate(address);
                    live.remove(address);
                    return new Outcome("freed", address);
                }
                case CLEAR -> {
                    allocator.clear();
                    live.clear();
                    return new Outcome("cleared", 0);
                }
                default -> throw new IllegalStateException(op.kind().toString());
            }
        }
    }

    private static Outcome applyToModel(ReferenceFreeListModel model, Runner runner, Op op, Outcome actual) {
        switch (op.kind()) {
            case ALLOCATE -> {
                return Outcome.of(model.allocate(op.size(), op.bottomUp(), 0));
            }
            case ALLOCATE_WITH_LIMIT -> {
                try {
                    return Outcome.of(model.allocate(op.size(), op.bottomUp(), runner.limitFor(op)));
                } catch (ReferenceFreeListModel.LimitViolation e) {
                    return new Outcome("limit", e.address);
                }
            }
            case ALLOCATE_AT -> {
                return Outcome.of(model.allocateAtAddress(runner.atAddressFor(op), op.size()));
            }
            case FREE_LIVE, FREE_RANDOM -> {
                if (actual.what().equals("freed")) {
                    model.deallocate(actual.address());
                }
                return actual;
            }
            case CLEAR -> {
                model.clear();
                return actual;
            }
            default -> throw new IllegalStateException(op.kind().toString());
        }
    }

    @Property(tries = 300)
    void sameAddressesAsTheReferenceModel(@ForAll("scenarios") Scenario scenario) {
        Runner runner = new Runner(scenario, true);
        ReferenceFreeListModel model = scenario.newModel();
        long probe = scenario.minAllocation();
        for (int step = 0; step < scenario.ops().size(); step++) {
            Op op = scenario.ops().get(step);
            Outcome actual = runner.apply(op);
            Outcome expected = applyToModel(model, runner, op, actual);
            String where = "step " + step + " " + op;
            assertEquals(expected, actual, where);
            FreeListOpt allocator = runner.allocator;
            List<AddressRange> allocated = new ArrayList<>(allocator.allocatedAddresses());
            allocated.sort(Comparator.comparingLong(AddressRange::start));
            assertEquals(model.allocatedSortedByAddress(), allocated, where);
            assertEquals(model.availableAddresses(probe), allocator.availableAddresses(probe), where);
            assertEquals(model.availableAddresses(4096), allocator.availableAddresses(4096), where);
            assertEquals(model.lowestOccupiedAddress(), allocator.lowestOccupiedAddress(), where);
            assertEquals(model.statistics(), allocator.getStatistics(), where);
        }
    }

    @Property(tries = 300)
    void structuralInvariantsHold(@ForAll("scenarios") Scenario generated) {
        // Top-down placement is "block end - request", so addresses are aligned only if the arena size is
        // (FreeListOptTest covers the unaligned case); starts given to allocateAtAddress stay aligned here.
        Scenario scenario = generated.withAlignedSize();
        Runner runner = new Runner(scenario, false);
        FreeListOpt allocator = runner.allocator;
        long arenaStart = scenario.offset();
        long arenaEnd = scenario.offset() + scenario.maxSize();
        for (Op op : scenario.ops()) {
            Outcome outcome = runner.apply(op);
            if (outcome.what().equals("address") || outcome.what().equals("limit")) {
                long address = outcome.address();
                assertEquals(0, (address - arenaStart) % scenario.alignment(), "misaligned " + address);
                assertTrue(address >= arenaStart && address < arenaEnd, "outside the arena: " + address);
            }
            assertBlocksTileTheArena(allocator, arenaStart, arenaEnd);
            Statistics statistics = allocator.getStatistics();
            assertEquals(scenario.maxSize(), statistics.totalAllocatedBytes() + statistics.totalFreeBytes());
            assertEquals(scenario.maxSize(), statistics.totalAllocatableSizeBytes());
        }
        for (long address : List.copyOf(runner.live)) {
            allocator.deallocate(address);
        }
        assertEquals(List.of(new MemoryBlock(arenaStart, scenario.maxSize(), false)), allocator.getMemoryBlockTable());
        assertEquals(List.of(), allocator.allocatedAddresses());
    }

    @Property(tries = 100)
    void everyTrackedLiveBlockIsAllocatedAndDisjoint(@ForAll("scenarios") Scenario scenario) {
        Runner runner = new Runner(scenario, true);
        for (Op op : scenario.ops()) {
            runner.apply(op);
        }
        List<AddressRange> live = new ArrayList<>();
        for (long address : runner.live) {
            OptionalLong size = runner.allocator.getAllocationSize(address);
            assertTrue(size.isPresent(), "live block at " + address + " is not allocated");
            live.add(new AddressRange(address, address + size.getAsLong()));
        }
        live.sort(Comparator.comparingLong(AddressRange::start));
        for (int i = 1; i < live.size(); i++) {
            assertTrue(live.get(i - 1).end() <= live.get(i).start(), "overlap: " + live.get(i - 1) + " " + live.get(i));
        }
        List<AddressRange> reported = new ArrayList<>(runner.allocator.allocatedAddresses());
        reported.sort(Comparator.comparingLong(AddressRange::start));
        assertEquals(live, reported);
    }

    /** Sorted by address, the blocks are contiguous from the arena start to its end, with no two free neighbours. */
    private static void assertBlocksTileTheArena(FreeListOpt allocator, long arenaStart, long arenaEnd) {
        List<MemoryBlock> blocks = new ArrayList<>(allocator.getMemoryBlockTable());
        blocks.sort(Comparator.comparingLong(MemoryBlock::address));
        long cursor = arenaStart;
        boolean previousFree = false;
        for (MemoryBlock block : blocks) {
            assertEquals(cursor, block.address(), "gap or overlap at " + cursor + " in " + blocks);
            assertTrue(block.size() > 0, "empty block " + block);
            assertTrue(block.allocated() || !previousFree, "two adjacent free blocks at " + block.address());
            previousFree = !block.allocated();
            cursor += block.size();
        }
        assertEquals(arenaEnd, cursor, "blocks do not end at the arena end");
    }
}
