package io.github.meshalloc.allocator.algorithms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.allocator.algorithms.FreeListOpt.SearchPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * FreeListOpt's class lists held as trees (while trusted, above a length threshold) must give exactly what
 * the literal arrays give: random operation sequences, including top-down allocations, allocations at an
 * address, shrinks, resets and clears, run on an allocator whose lists become trees from a small length
 * and on one with every shortcut disabled (literal C++ arrays and searches), and every observable result
 * must match after every operation.
 */
class FreeListOptTreeProperties {

    enum Kind { ALLOCATE, ALLOCATE_WITH_LIMIT, ALLOCATE_AT, FREE_LIVE, FREE_RANDOM, SHRINK, RESET, CLEAR, QUERY }

    /** One operation; {@code size} and {@code seed} are interpreted per kind. */
    record Op(Kind kind, long size, boolean bottomUp, long seed) {
    }

    /** An arena, a policy, the tree threshold of the allocator under test, and the operations. */
    record Scenario(long maxSize, long offset, long minAllocation, long alignment, SearchPolicy policy,
                    int treeAbove, List<Op> ops) {
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<Long> alignments = Arbitraries.of(16L, 32L, 64L, 48L);
        Arbitrary<Long> sizes = Arbitraries.of(64L * 1024, 200L * 1024, 1L << 20);
        Arbitrary<Integer> offsetUnits = Arbitraries.integers().between(0, 8);
        Arbitrary<SearchPolicy> policies = Arbitraries.of(SearchPolicy.class);
        Arbitrary<Integer> thresholds = Arbitraries.of(0, 0, 1, 2, 3, 8);
        Arbitrary<List<Op>> ops = operations().list().ofMinSize(20).ofMaxSize(600);
        return Combinators.combine(alignments, sizes, offsetUnits, policies, thresholds, ops)
                .as((alignment, size, units, policy, above, list) ->
                        new Scenario(size, alignment * units, alignment, alignment, policy, above, list));
    }

    private Arbitrary<Op> operations() {
        Arbitrary<Kind> kinds = Arbitraries.frequency(
                Tuple.of(30, Kind.ALLOCATE),
                Tuple.of(2, Kind.ALLOCATE_WITH_LIMIT),
                Tuple.of(5, Kind.ALLOCATE_AT),
                Tuple.of(18, Kind.FREE_LIVE),
                Tuple.of(1, Kind.FREE_RANDOM),
                Tuple.of(5, Kind.SHRINK),
                Tuple.of(4, Kind.RESET),
                Tuple.of(1, Kind.CLEAR),
                Tuple.of(3, Kind.QUERY));
        // Mostly small requests, so that the small classes hold long lists.
        Arbitrary<Long> sizes = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.longs().between(0, 2 * 1024)),
                Tuple.of(2, Arbitraries.longs().between(2 * 1024, 16 * 1024)),
                Tuple.of(1, Arbitraries.longs().between(16 * 1024, 300 * 1024)));
        return Combinators.combine(kinds, sizes, Arbitraries.integers().between(0, 3),
                        Arbitraries.longs().between(0, Long.MAX_VALUE))
                .as((kind, size, direction, seed) -> new Op(kind, size, direction != 0, seed));
    }

    @Property(tries = 150)
    void treesGiveWhatTheLiteralArraysGive(@ForAll("scenarios") Scenario scenario) {
        FreeListOpt literal = new FreeListOpt(scenario.maxSize(), scenario.offset(), scenario.minAllocation(),
                scenario.alignment(), scenario.policy());
        literal.disableShortcutsForTesting();
        FreeListOpt trees = new FreeListOpt(scenario.maxSize(), scenario.offset(), scenario.minAllocation(),
                scenario.alignment(), scenario.policy());
        trees.setTreeThresholdForTesting(scenario.treeAbove());
        List<Long> live = new ArrayList<>();
        List<Long> liveTwin = new ArrayList<>();
        int treeSteps = 0;
        boolean untrusted = false;
        for (int step = 0; step < scenario.ops().size(); step++) {
            Op op = scenario.ops().get(step);
            treeSteps += trees.treeClassCountForTesting() > 0 ? 1 : 0;
            String expected = apply(literal, scenario, op, live);
            String actual = apply(trees, scenario, op, liveTwin);
            assertEquals(expected, actual, "step " + step + " " + op);
            assertEquals(state(literal, scenario), state(trees, scenario), "state after step " + step + " " + op);
            untrusted |= !trees.freeListsTrustedForTesting();
            if (!trees.freeListsTrustedForTesting()) {
                assertEquals(0, trees.treeClassCountForTesting(), "an untrusted list is still a tree");
            }
        }
        Statistics.label("trees used").collect(scenario.treeAbove(), treeSteps > 0);
        Statistics.label("lists distrusted").collect(untrusted);
    }

    /** Runs one operation and renders its result (or its exception). */
    private static String apply(FreeListOpt allocator, Scenario scenario, Op op, List<Long> live) {
        long offset = scenario.offset();
        long span = scenario.maxSize();
        try {
            switch (op.kind()) {
                case ALLOCATE -> {
                    OptionalLong address = allocator.allocate(op.size(), op.bottomUp(), 0);
                    address.ifPresent(live::add);
                    return "allocate " + address;
                }
                case ALLOCATE_WITH_LIMIT -> {
                    try {
                        OptionalLong address = allocator.allocate(op.size(), op.bottomUp(),
                                offset + op.seed() % span);
                        address.ifPresent(live::add);
                        return "allocate " + address;
                    } catch (AddressLimitViolationException e) {
                        live.add(e.address());
                        return "limit " + e.getMessage();
                    }
                }
                case ALLOCATE_AT -> {
                    long start = !live.isEmpty() && op.seed() % 3 == 0
                            ? live.get((int) (op.seed() % live.size())) + scenario.alignment() * (op.seed() % 5)
                            : offset + (op.seed() % span) / scenario.alignment() * scenario.alignment();
                    OptionalLong address = allocator.allocateAtAddress(start, op.size() / 4);
                    address.ifPresent(live::add);
                    return "at " + start + " " + address;
                }
                case FREE_LIVE -> {
                    if (live.isEmpty()) {
                        return "nothing live";
                    }
                    // Mostly any block (holes everywhere), sometimes one of the most recent.
                    int index = op.bottomUp() ? (int) (op.seed() % live.size())
                            : live.size() - 1 - (int) (op.seed() % Math.min(4, live.size()));
                    long address = live.remove(index);
                    allocator.deallocate(address);
                    return "free " + address;
                }
                case FREE_RANDOM -> {
                    long address = offset + op.seed() % (span + 4096);
                    allocator.deallocate(address);
                    live.remove(Long.valueOf(address));
                    return "free " + address;
                }
                case SHRINK -> {
                    long bytes = op.bottomUp() ? op.size() / scenario.alignment() * scenario.alignment() : op.size();
                    allocator.shrinkSize(bytes, op.seed() % 20 != 0);
                    return "shrink " + bytes;
                }
                case RESET -> {
                    allocator.resetSize();
                    return "reset";
                }
                case CLEAR -> {
                    allocator.clear();
                    live.clear();
                    return "clear";
                }
                case QUERY -> {
                    long address = live.isEmpty() ? offset : live.get((int) (op.seed() % live.size()));
                    return "available " + allocator.availableAddresses(op.size()) + " size "
                            + allocator.getAllocationSize(address) + " " + allocator.getStatistics();
                }
                default -> throw new AssertionError(op.kind());
            }
        } catch (RuntimeException e) {
            return op.kind() + " threw " + e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    /** Every observable part of the state (a corrupted state may make a query throw: its message is the result). */
    private static String state(FreeListOpt allocator, Scenario scenario) {
        StringBuilder out = new StringBuilder();
        List<java.util.function.Supplier<Object>> queries = List.of(
                allocator::dumpBlocks, allocator::segregatedFreeBlocks, allocator::freeMetaBlockSlots,
                allocator::lowestOccupiedAddress, allocator::maxSizeBytes, allocator::shrinkSizeBytes,
                allocator::allocatedAddresses, allocator::getMemoryBlockTable, () -> allocator.availableAddresses(0));
        for (java.util.function.Supplier<Object> query : queries) {
            try {
                out.append(query.get()).append('\n');
            } catch (RuntimeException e) {
                out.append("threw ").append(e.getClass().getSimpleName()).append(": ").append(e.getMessage()).append('\n');
            }
        }
        return out.toString();
    }

    /**
     * The documented thresholds (class Javadoc: a trusted class list longer than 512 blocks is held as a tree;
     * {@code setTreeThresholdForTesting}: back to an array below a quarter of that), at the default: 512 holes
     * of 1 KiB stay an array, the 513th makes a tree, which stays a tree down to 128 holes and is an array
     * again at 127, and a tree again past 512. Every step matches the literal arrays.
     */
    @Example
    void aHoleListIsATreeAbove512BlocksUntilItFallsBelow128() {
        FreeListOpt literal = new FreeListOpt(64L << 20, 0, 64, 64, SearchPolicy.FIRST);
        literal.disableShortcutsForTesting();
        FreeListOpt fast = new FreeListOpt(64L << 20, 0, 64, 64, SearchPolicy.FIRST);
        List<Long> blocks = new ArrayList<>();
        for (int i = 0; i < 2 * 600 + 1; i++) {
            long address = fast.allocate(1024, true, 0).orElseThrow();
            assertEquals(OptionalLong.of(address), literal.allocate(1024, true, 0));
            blocks.add(address);
        }
        // Free the blocks between live ones: hole number h is blocks[2h + 1], all in class 0.
        for (int holes = 1; holes <= 513; holes++) {
            long address = blocks.get(2 * holes - 1);
            fast.deallocate(address);
            literal.deallocate(address);
            assertEquals(holes, fast.segregatedFreeBlocks().get(0).size());
            assertEquals(holes > 512 ? 1 : 0, fast.treeClassCountForTesting(), "after " + holes + " holes");
        }
        // Bottom-up 1 KiB requests fill the lowest hole exactly, one hole fewer each time.
        for (int holes = 512; holes >= 100; holes--) {
            assertEquals(literal.allocate(1024, true, 0), fast.allocate(1024, true, 0));
            assertEquals(holes, fast.segregatedFreeBlocks().get(0).size());
            assertEquals(holes >= 128 ? 1 : 0, fast.treeClassCountForTesting(), "down to " + holes + " holes");
        }
        assertEquals(literal.segregatedFreeBlocks(), fast.segregatedFreeBlocks());
        // Freeing more blocks at odd positions from the top makes new holes: a tree again past 512.
        int holes = 100;
        for (int i = 2 * 600 - 1; holes < 513; i -= 2) {
            fast.deallocate(blocks.get(i));
            literal.deallocate(blocks.get(i));
            holes = fast.segregatedFreeBlocks().get(0).size();
            assertEquals(holes > 512 ? 1 : 0, fast.treeClassCountForTesting(), "up to " + holes + " holes");
        }
        assertEquals(literal.dumpBlocks(), fast.dumpBlocks());
    }

    /**
     * The test seams' own contracts, which the differential tests above rely on: disabling the shortcuts
     * distrusts the lists at once (so the "literal" twin really runs the literal searches), a threshold is
     * never negative, and a threshold set later turns the existing lists into trees or back into arrays
     * (above {@code above} blocks a tree, below {@code max(1, above / 4)} an array).
     */
    @Example
    void theTestSeamsDoWhatTheySay() {
        FreeListOpt literal = new FreeListOpt(64 * 1024, 0, 64, 64, SearchPolicy.FIRST);
        assertTrue(literal.freeListsTrustedForTesting());
        literal.disableShortcutsForTesting();
        assertFalse(literal.freeListsTrustedForTesting(), "shortcuts disabled, lists still trusted");
        assertThrows(IllegalArgumentException.class, () -> literal.setTreeThresholdForTesting(-1));

        FreeListOpt list = new FreeListOpt(64 * 1024, 0, 64, 64, SearchPolicy.FIRST);
        // 17 blocks of 1 KiB top-down, then 8 holes between live blocks: class 0 holds 8 blocks.
        for (int i = 0; i < 17; i++) {
            list.allocate(1024, false, 0);
        }
        for (int k = 62; k >= 48; k -= 2) {
            list.deallocate(k * 1024L);
        }
        assertEquals(8, list.segregatedFreeBlocks().get(0).size());
        assertEquals(0, list.treeClassCountForTesting());
        list.setTreeThresholdForTesting(7);
        assertEquals(1, list.treeClassCountForTesting(), "8 blocks > 7: a tree");
        list.setTreeThresholdForTesting(32);
        assertEquals(1, list.treeClassCountForTesting(), "8 blocks are not below max(1, 32 / 4) = 8: still a tree");
        list.setTreeThresholdForTesting(36);
        assertEquals(0, list.treeClassCountForTesting(), "8 blocks are below max(1, 36 / 4) = 9: an array");
    }

    /**
     * The first miss of a class-list removal while a class is a tree: a shrink to size 0 retires free block 6
     * (a slot that was never a tree node since the last clear) while allocated block 8 below it still links to
     * it, and freeing block 8 then merges the dead slot, a size-0 "block" of class 0, whose list is a tree. The
     * literal search misses it and the lists are distrusted; the tree allocator must do the same (slot 6 is no
     * node of class 0's tree), also when slot 6 was a node of that class before a clear.
     * Layout (64 KiB, 1 KiB blocks top-down in slots 0-6 at 63K down to 57K, free slot 7 below them): holes at
     * 62K and 60K make class 0 a tree (threshold 1); 2 KiB bottom-up takes [0, 2K) in slot 7, its remainder gets
     * slot 8; freeing 57K merges slot 6 into slot 8; 1 KiB bottom-up (FIRST) takes [2K, 3K) in slot 8 and gives
     * the remainder [3K, 58K) the reused slot 6; the 55 KiB shrink reaches free slot 6 before allocated slots 7
     * and 8 below the new bottom, as the C++ scan does, and retires it.
     */
    @ParameterizedTest(name = "clear first: {0}")
    @ValueSource(booleans = {false, true})
    void aMissOnADeadSlotWhileItsClassIsATreeDistrustsTheListsLikeTheLiteralSearch(boolean clearFirst) {
        FreeListOpt literal = new FreeListOpt(64 * 1024, 0, 64, 64, SearchPolicy.FIRST);
        literal.disableShortcutsForTesting();
        FreeListOpt trees = new FreeListOpt(64 * 1024, 0, 64, 64, SearchPolicy.FIRST);
        trees.setTreeThresholdForTesting(1);
        List<Function<FreeListOpt, Object>> steps = new ArrayList<>();
        if (clearFirst) {
            // Slots 0-7 at 63K down to 56K; holes at 62K, 60K and 57K (slot 6) make a class-0 tree; then clear.
            for (int i = 0; i < 8; i++) {
                steps.add(a -> a.allocate(1024, false, 0));
            }
            for (long k : new long[] {62, 60, 57}) {
                steps.add(a -> {
                    a.deallocate(k * 1024);
                    return "free " + k + "K";
                });
            }
            steps.add(a -> {
                a.clear();
                return "clear";
            });
        }
        for (int i = 0; i < 7; i++) {
            steps.add(a -> a.allocate(1024, false, 0));
        }
        for (long k : new long[] {62, 60}) {
            steps.add(a -> {
                a.deallocate(k * 1024);
                return "free " + k + "K";
            });
        }
        steps.add(a -> a.allocate(2048, true, 0));
        steps.add(a -> {
            a.deallocate(57 * 1024);
            return "free 57K";
        });
        steps.add(a -> a.allocate(1024, true, 0));
        steps.add(a -> {
            a.shrinkSize(55 * 1024, true);
            return a.freeMetaBlockSlots();
        });
        steps.add(a -> {
            a.deallocate(2048);
            return "free 2K";
        });
        steps.add(a -> a.allocate(1024, true, 0));
        steps.add(a -> a.allocate(1024, false, 0));
        for (int step = 0; step < steps.size(); step++) {
            if (step == steps.size() - 3) {
                assertEquals(1, trees.treeClassCountForTesting(), "class 0 is a tree when the dead slot is merged");
                assertEquals(List.of(6), trees.freeMetaBlockSlots());
            }
            Object expected = steps.get(step).apply(literal);
            assertEquals(expected, steps.get(step).apply(trees), "step " + step);
            assertEquals(literal.dumpBlocks(), trees.dumpBlocks(), "after step " + step);
        }
        assertFalse(trees.freeListsTrustedForTesting(), "the miss distrusts the lists");
    }

    /**
     * The benchmark's layout (many 1 KiB holes between live blocks): the hole list becomes a tree with the
     * default threshold, and bottom-up and top-down hole allocations still match the literal arrays.
     */
    @Example
    void longHoleListsBecomeTreesAndMatch() {
        FreeListOpt literal = new FreeListOpt(64L << 20, 0, 64, 64, SearchPolicy.BEST);
        literal.disableShortcutsForTesting();
        FreeListOpt fast = new FreeListOpt(64L << 20, 0, 64, 64, SearchPolicy.BEST);
        for (FreeListOpt allocator : List.of(literal, fast)) {
            List<Long> addresses = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                addresses.add(allocator.allocate(1024, false, 0).orElseThrow());
            }
            for (int i = 1; i < addresses.size(); i += 2) {
                allocator.deallocate(addresses.get(i));
            }
        }
        assertTrue(fast.treeClassCountForTesting() > 0, "the hole list is not a tree");
        for (int i = 0; i < 300; i++) {
            boolean bottomUp = i % 3 != 0;
            long size = i % 7 == 0 ? 4096 : 1024;
            OptionalLong expected = literal.allocate(size, bottomUp, 0);
            assertEquals(expected, fast.allocate(size, bottomUp, 0));
            if (i % 2 == 0) {
                literal.deallocate(expected.orElseThrow());
                fast.deallocate(expected.orElseThrow());
            }
            assertEquals(literal.segregatedFreeBlocks(), fast.segregatedFreeBlocks());
        }
        assertEquals(literal.dumpBlocks(), fast.dumpBlocks());
        assertFalse(fast.segregatedFreeBlocks().get(0).isEmpty());
    }
}
