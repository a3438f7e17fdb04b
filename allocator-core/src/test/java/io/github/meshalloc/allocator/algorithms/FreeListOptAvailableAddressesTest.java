package io.github.meshalloc.allocator.algorithms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.allocator.TtFatalException;
import io.github.meshalloc.allocator.algorithms.FreeListOpt.MetaBlock;
import io.github.meshalloc.allocator.algorithms.FreeListOpt.SearchPolicy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link FreeListOpt#availableAddresses} against the query as it was written before it stored its ranges
 * compactly (the literal C++ loop, here over the public block table and class lists): same ranges in
 * the same order on random states, sound and corrupted, in both result forms (units of the alignment,
 * and bytes when the arena has more than 2^32 units or a shrink moved blocks off the alignment). Where
 * that loop reached a range whose end lies below its start (it threw from {@link AddressRange}), the
 * query throws {@link CorruptedFreeListException} naming that block. Each arena runs twice: with the
 * default thresholds, and with every trusted class list held as a tree (the query then reads the tree
 * classes in list order); with trees every query and every call's outcome must also equal those of a
 * twin with the default thresholds (no tree at these sizes).
 */
class FreeListOptAvailableAddressesTest {

    static Stream<Arguments> arenas() {
        return Stream.of(false, true).flatMap(trees -> arenaArguments().map(a -> {
            Object[] withTrees = Arrays.copyOf(a.get(), a.get().length + 1);
            withTrees[withTrees.length - 1] = trees;
            return Arguments.of(withTrees);
        }));
    }

    private static Stream<Arguments> arenaArguments() {
        return Stream.of(
                Arguments.of(12L << 30, 0L, 64L, 64L, false),   // the harness arena: compact form
                Arguments.of(12L << 30, 0L, 64L, 64L, true),    // odd shrinks: byte form after them
                Arguments.of(8L << 30, 0L, 1L, 1L, false),      // 2^33 units of 1 B: byte form
                Arguments.of(1L << 20, 96L, 0L, 48L, true),     // unit 16 B, offset, zero-byte requests
                Arguments.of(64L * 1024, 4096L, 64L, 64L, true),
                Arguments.of(200L * 1024, 1024L, 1L, 1L, true));
    }

    @ParameterizedTest(name = "size {0}, offset {1}, min {2}, alignment {3}, odd shrinks {4}, trees {5}")
    @MethodSource("arenas")
    void sameRangesAsTheLiteralLoop(long maxSize, long offset, long minimum, long alignment, boolean oddShrinks,
                                    boolean trees) {
        int corrupted = 0;
        int compared = 0;
        int withTreeClasses = 0;
        for (int seed = 0; seed < 40; seed++) {
            SplittableRandom random = new SplittableRandom(seed * 7919L + maxSize);
            SearchPolicy policy = seed % 2 == 0 ? SearchPolicy.FIRST : SearchPolicy.BEST;
            FreeListOpt allocator = new FreeListOpt(maxSize, offset, minimum, alignment, policy);
            List<FreeListOpt> allocators = new ArrayList<>(List.of(allocator));
            if (trees) {
                allocator.setTreeThresholdForTesting(0);
                allocators.add(new FreeListOpt(maxSize, offset, minimum, alignment, policy));
            }
            List<Long> live = new ArrayList<>();
            long typical = Math.min(maxSize / 64, 64 * 1024);
            for (int step = 0; step < 300; step++) {
                int op = random.nextInt(20);
                if (op < 17) {
                    List<String> outcomes = new ArrayList<>();
                    if (op < 8) {
                        long size = random.nextLong(typical) + 1;
                        boolean bottomUp = random.nextInt(3) != 0;
                        for (FreeListOpt a : allocators) {
                            outcomes.add(outcome(() -> a.allocate(size, bottomUp, 0).toString()));
                        }
                    } else if (op < 9) {
                        long at = offset + (random.nextLong(maxSize) & -alignment);
                        long size = random.nextLong(typical) + 1;
                        for (FreeListOpt a : allocators) {
                            outcomes.add(outcome(() -> a.allocateAtAddress(at, size).toString()));
                        }
                    } else if (op < 15) {
                        if (live.isEmpty()) {
                            continue;
                        }
                        long address = live.remove(random.nextInt(live.size()));
                        for (FreeListOpt a : allocators) {
                            outcomes.add(outcome(() -> {
                                a.deallocate(address);
                                return "freed";
                            }));
                        }
                    } else if (op < 16) {
                        long shrink = oddShrinks && random.nextBoolean() ? random.nextLong(typical) + 1
                                : (random.nextLong(typical) + 1) * alignment % Math.max(1, maxSize / 2);
                        for (FreeListOpt a : allocators) {
                            outcomes.add(outcome(() -> {
                                a.shrinkSize(shrink, true);
                                return "shrunk";
                            }));
                        }
                    } else {
                        for (FreeListOpt a : allocators) {
                            outcomes.add(outcome(() -> {
                                a.resetSize();
                                return "reset";
                            }));
                        }
                    }
                    assertEquals(1, outcomes.stream().distinct().count(), "step " + step + ": " + outcomes);
                    String result = outcomes.get(0);
                    if (result.startsWith("OptionalLong[")) {
                        live.add(Long.parseLong(result.substring("OptionalLong[".length(), result.length() - 1)));
                    }
                } else {
                    withTreeClasses += allocator.treeClassCountForTesting() > 0 ? 1 : 0;
                    for (long request : new long[] {0, 1, alignment, 1024, 4096, random.nextLong(typical * 4)}) {
                        compared++;
                        corrupted += compare(allocator, request) ? 0 : 1;
                        if (trees) {
                            assertEquals(outcome(() -> allocator.availableAddresses(request).toString()),
                                    outcome(() -> allocators.get(1).availableAddresses(request).toString()));
                        }
                    }
                }
            }
        }
        assertTrue(compared > 1000, "only " + compared + " queries compared");
        if (oddShrinks) {
            assertTrue(corrupted > 0, "no query met a wrapped range");
        }
        if (trees) {
            assertTrue(withTreeClasses > 100, "only " + withTreeClasses + " queries met tree classes");
        }
    }

    /**
     * The result of one call as text, or the name of the exception it threw: a refused shrink or reset
     * ({@link TtFatalException}) or a corrupted table ({@link CorruptedFreeListException}), with its message.
     */
    private static String outcome(Supplier<String> call) {
        try {
            return call.get();
        } catch (TtFatalException | CorruptedFreeListException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    /** Compares one query with the literal loop; returns false when the loop met a wrapped range. */
    private static boolean compare(FreeListOpt allocator, long sizeBytes) {
        Map<Integer, MetaBlock> table = new HashMap<>();
        for (MetaBlock row : allocator.getMetaBlockTable()) {
            table.put(row.blockId(), row);
        }
        long request = Math.max(sizeBytes, allocator.minAllocationSizeBytes());
        long alignment = allocator.alignmentBytes();
        request = Long.divideUnsigned(request + alignment - 1, alignment) * alignment;
        List<List<Integer>> classes = allocator.segregatedFreeBlocks();
        List<AddressRange> expected = new ArrayList<>();
        Integer wrappedBlock = null;
        for (int c = allocator.sizeClassOf(request); c < classes.size() && wrappedBlock == null; c++) {
            for (int id : classes.get(c)) {
                MetaBlock block = table.get(id);
                if (Long.compareUnsigned(block.size(), request) >= 0) {
                    long start = block.address() + allocator.offsetBytes();
                    long end = start + block.size();
                    if (Long.compareUnsigned(start, end) > 0) {
                        wrappedBlock = id;
                        break;
                    }
                    expected.add(new AddressRange(start, end));
                }
            }
        }
        if (wrappedBlock != null) {
            CorruptedFreeListException e = assertThrows(CorruptedFreeListException.class,
                    () -> allocator.availableAddresses(sizeBytes));
            assertEquals(wrappedBlock, e.blockId());
            return false;
        }
        List<AddressRange> actual = allocator.availableAddresses(sizeBytes);
        assertEquals(expected, actual);
        assertEquals(expected, List.copyOf(actual));
        assertEquals(expected.hashCode(), actual.hashCode());
        return true;
    }

    /**
     * Ranges whose relative addresses are multiples of the unit but 2^52 units and more (an arena of 2^60 bytes at
     * 64 B alignment): the compact form (32-bit units) cannot hold them, the query must give them exactly.
     */
    @Test
    void rangesBeyond2To32UnitsComeBackExactly() {
        FreeListOpt allocator = new FreeListOpt(1L << 60, 0, 64, 64, SearchPolicy.FIRST);
        assertEquals(OptionalLong.of(0), allocator.allocateAtAddress(0, 1L << 58));
        assertEquals(List.of(new AddressRange(1L << 58, 1L << 60)), List.copyOf(allocator.availableAddresses(64)));
    }
}
