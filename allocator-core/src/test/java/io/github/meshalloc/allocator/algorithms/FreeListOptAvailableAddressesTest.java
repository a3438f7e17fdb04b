package io.github.meshalloc.allocator.algorithms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.allocator.TtFatalException;
import io.github.meshalloc.allocator.algorithms.FreeListOpt.MetaBlock;
import io.github.meshalloc.allocator.algorithms.FreeListOpt.SearchPolicy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link FreeListOpt#availableAddresses} against the query as it was written before it stored its ranges
 * compactly (the literal C++ loop, here over the public block table and class lists): same ranges in
 * the same order on random states, sound and corrupted, in both result forms (units of the alignment,
 * and bytes when the arena has more than 2^32 units or a shrink moved blocks off the alignment). Where
 * that loop reached a range whose end lies below its start (it threw from {@link AddressRange}), the
 * query throws {@link CorruptedFreeListException} naming that block.
 */
class FreeListOptAvailableAddressesTest {

    static Stream<Arguments> arenas() {
        return Stream.of(
                Arguments.of(12L << 30, 0L, 64L, 64L, false),   // the harness arena: compact form
                Arguments.of(12L << 30, 0L, 64L, 64L, true),    // odd shrinks: byte form after them
                Arguments.of(8L << 30, 0L, 1L, 1L, false),      // 2^33 units of 1 B: byte form
                Arguments.of(1L << 20, 96L, 0L, 48L, true),     // unit 16 B, offset, zero-byte requests
                Arguments.of(64L * 1024, 4096L, 64L, 64L, true),
                Arguments.of(200L * 1024, 1024L, 1L, 1L, true));
    }

    @ParameterizedTest(name = "size {0}, offset {1}, min {2}, alignment {3}, odd shrinks {4}")
    @MethodSource("arenas")
    void sameRangesAsTheLiteralLoop(long maxSize, long offset, long minimum, long alignment, boolean oddShrinks) {
        int corrupted = 0;
        int compared = 0;
        for (int seed = 0; seed < 40; seed++) {
            SplittableRandom random = new SplittableRandom(seed * 7919L + maxSize);
            FreeListOpt allocator = new FreeListOpt(maxSize, offset, minimum, alignment,
                    seed % 2 == 0 ? SearchPolicy.FIRST : SearchPolicy.BEST);
            List<Long> live = new ArrayList<>();
            long typical = Math.min(maxSize / 64, 64 * 1024);
            for (int step = 0; step < 300; step++) {
                int op = random.nextInt(20);
                try {
                    if (op < 8) {
                        allocator.allocate(random.nextLong(typical) + 1, random.nextInt(3) != 0, 0).ifPresent(live::add);
                    } else if (op < 9) {
                        long at = offset + (random.nextLong(maxSize) & -alignment);
                        allocator.allocateAtAddress(at, random.nextLong(typical) + 1).ifPresent(live::add);
                    } else if (op < 15) {
                        if (!live.isEmpty()) {
                            long address = live.remove(random.nextInt(live.size()));
                            allocator.deallocate(address);
                        }
                    } else if (op < 16) {
                        long shrink = oddShrinks && random.nextBoolean() ? random.nextLong(typical) + 1
                                : (random.nextLong(typical) + 1) * alignment % Math.max(1, maxSize / 2);
                        allocator.shrinkSize(shrink, true);
                    } else if (op < 17) {
                        allocator.resetSize();
                    } else {
                        for (long request : new long[] {0, 1, alignment, 1024, 4096, random.nextLong(typical * 4)}) {
                            compared++;
                            corrupted += compare(allocator, request) ? 0 : 1;
                        }
                    }
                } catch (TtFatalException | CorruptedFreeListException e) {
                    // a refused shrink or reset, or a deallocate on cyclic links
                }
            }
        }
        assertTrue(compared > 1000, "only " + compared + " queries compared");
        if (oddShrinks) {
            assertTrue(corrupted > 0, "no query met a wrapped range");
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
}
