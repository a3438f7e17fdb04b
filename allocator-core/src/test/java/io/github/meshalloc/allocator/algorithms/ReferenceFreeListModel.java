package io.github.meshalloc.allocator.algorithms;

import io.github.meshalloc.allocator.algorithms.FreeListOpt.SearchPolicy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * A deliberately simple model of FreeListOpt written straight from the rules of reference 6.3 to 6.11,
 * for differential testing. No metablocks, no class lists, no hash: two address-ordered maps of free and
 * allocated blocks (relative start to size), and the search rules in their "net effect" form:
 *
 * <ul>
 *   <li>FIRST: of all free blocks that fit, the lowest start (bottom-up) or highest start (top-down);</li>
 *   <li>BEST: of the fitting blocks in the lowest size class that has any, the lowest / highest start.</li>
 * </ul>
 *
 * <p>Only consistent states are modelled (positive minimum allocation, absolute starts not below the
 * offset, no shrink/reset), which is what the property tests generate.
 */
final class ReferenceFreeListModel {

    private final long maxSize;
    private final long offset;
    private final long minAllocation;
    private final long alignment;
    private final SearchPolicy policy;
    private final int classCount;

    private final TreeMap<Long, Long> free = new TreeMap<>();
    private final TreeMap<Long, Long> allocated = new TreeMap<>();
    private Long lowest;
    /** Last value {@link #lowest} held (0 before any): FreeListOpt's inferred reading of an empty optional. */
    private long lowestLeftover;

    ReferenceFreeListModel(long maxSize, long offset, long minAllocation, long alignment, SearchPolicy policy) {
        this.maxSize = maxSize;
        this.offset = offset;
        this.minAllocation = minAllocation;
        this.alignment = alignment;
        this.policy = policy;
        long units = maxSize / 1024;
        int bits = 64 - Long.numberOfLeadingZeros(units);
        this.classCount = Math.max(2, Math.min(bits, 18));
        clear();
    }

    /** Thrown by {@link #allocate} when the carved block is below the limit (it stays allocated). */
    static final class LimitViolation extends RuntimeException {
        final long address;

        LimitViolation(long address) {
            super("below limit at " + address);
            this.address = address;
        }
    }

    long request(long size) {
        long s = Math.max(size, minAllocation);
        return (s + alignment - 1) / alignment * alignment;
    }

    int sizeClass(long size) {
        long units = size / 1024;
        int log = 0;
        while (units > 1) {
            units /= 2;
            log++;
        }
        return Math.min(log, classCount - 1);
    }

    OptionalLong allocate(long size, boolean bottomUp, long limit) {
        long req = request(size);
        List<Map.Entry<Long, Long>> fitting = new ArrayList<>();
        for (Map.Entry<Long, Long> block : free.entrySet()) {
            if (block.getValue() >= req) {
                fitting.add(block);
            }
        }
        if (fitting.isEmpty()) {
            return OptionalLong.empty();
        }
        if (policy == SearchPolicy.BEST) {
            int lowestClass = fitting.stream().mapToInt(b -> sizeClass(b.getValue())).min().orElseThrow();
            fitting.removeIf(b -> sizeClass(b.getValue()) != lowestClass);
        }
        Comparator<Map.Entry<Long, Long>> byStart = Map.Entry.comparingByKey();
        Map.Entry<Long, Long> chosen = bottomUp
                ? fitting.stream().min(byStart).orElseThrow()
                : fitting.stream().max(byStart).orElseThrow();
        long start = bottomUp ? chosen.getKey() : chosen.getKey() + chosen.getValue() - req;
        carve(chosen.getKey(), chosen.getValue(), start, req);
        if (start + offset < limit) {
            throw new LimitViolation(start + offset);
        }
        noteAllocated(start);
        return OptionalLong.of(start + offset);
    }

    OptionalLong allocateAtAddress(long absolute, long size) {
        long req = request(size);
        long start = absolute - offset;
        if (absolute < offset) {
            return OptionalLong.empty();
        }
        Map.Entry<Long, Long> block = free.floorEntry(start);
        if (block == null || start + req > block.getKey() + block.getValue()) {
            return OptionalLong.empty();
        }
        carve(block.getKey(), block.getValue(), start, req);
        noteAllocated(start);
        return OptionalLong.of(absolute);
    }

    void deallocate(long absolute) {
        long address = absolute - offset;
        Long size = allocated.remove(address);
        if (size == null) {
            return;
        }
        long start = address;
        long end = address + size;
        Map.Entry<Long, Long> below = free.lowerEntry(address);
        if (below != null && below.getKey() + below.getValue() == address) {
            free.remove(below.getKey());
            start = below.getKey();
        }
        Long above = free.remove(end);
        if (above != null) {
            end += above;
        }
        free.put(start, end - start);
        long compareWith = lowest != null ? lowest : lowestLeftover;
        if (address <= compareWith) {
            // The block after the merged free block is allocated (or there is none).
            lowest = allocated.containsKey(end) ? end : null;
            if (lowest != null) {
                lowestLeftover = lowest;
            }
        }
    }

    void clear() {
        free.clear();
        allocated.clear();
        if (maxSize >= 0) {
            free.put(0L, maxSize);
        }
    }

    OptionalLong lowestOccupiedAddress() {
        return lowest == null ? OptionalLong.empty() : OptionalLong.of(lowest + offset);
    }

    /** Fitting free blocks ordered by size class, then address. */
    List<AddressRange> availableAddresses(long size) {
        long req = request(size);
        List<AddressRange> ranges = new ArrayList<>();
        for (int c = sizeClass(req); c < classCount; c++) {
            for (Map.Entry<Long, Long> block : free.entrySet()) {
                if (sizeClass(block.getValue()) == c && block.getValue() >= req) {
                    ranges.add(new AddressRange(block.getKey() + offset, block.getKey() + block.getValue() + offset));
                }
            }
        }
        return ranges;
    }

    /** Allocated blocks in address order (FreeListOpt lists them in metablock order). */
    List<AddressRange> allocatedSortedByAddress() {
        List<AddressRange> ranges = new ArrayList<>();
        allocated.forEach((start, size) -> ranges.add(new AddressRange(start + offset, start + size + offset)));
        return ranges;
    }

    Statistics statistics() {
        long allocatedBytes = allocated.values().stream().mapToLong(Long::longValue).sum();
        long freeBytes = free.values().stream().mapToLong(Long::longValue).sum();
        long largest = free.values().stream().mapToLong(Long::longValue).max().orElse(0);
        if (allocatedBytes == 0) {
            freeBytes = maxSize;
            largest = maxSize;
        }
        return new Statistics(maxSize, allocatedBytes, freeBytes, largest);
    }

    private void carve(long blockStart, long blockSize, long start, long req) {
        free.remove(blockStart);
        if (start > blockStart) {
            free.put(blockStart, start - blockStart);
        }
        long blockEnd = blockStart + blockSize;
        if (start + req < blockEnd) {
            free.put(start + req, blockEnd - start - req);
        }
        allocated.put(start, req);
    }

    private void noteAllocated(long start) {
        if (lowest == null || start < lowest) {
            lowest = start;
            lowestLeftover = start;
        }
    }
}
