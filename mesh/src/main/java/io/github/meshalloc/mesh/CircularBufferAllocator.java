package io.github.meshalloc.mesh;

import io.github.meshalloc.allocator.CoreRange;
import io.github.meshalloc.allocator.TtFatalException;
import java.util.ArrayList;
import java.util.List;

/**
 * The L1 regions a program's circular buffers occupy on one core range.
 *
 * <p>Models {@code CircularBufferAllocator} ({@code tt_metal/impl/program/program_impl.hpp}, reference 11):
 * a core range and a sorted list of half-open regions growing upward from the L1 base.
 */
public final class CircularBufferAllocator {
    private final CoreRange coreRange;
    private final List<long[]> regions = new ArrayList<>();

    CircularBufferAllocator(CoreRange coreRange) {
        this.coreRange = coreRange;
    }

    /** The core range. */
    public CoreRange coreRange() {
        return coreRange;
    }

    /** Models {@code get_cb_region_end()}: end of the last region, or 0. */
    public long cbRegionEnd() {
        return regions.isEmpty() ? 0 : regions.get(regions.size() - 1)[1];
    }

    /** Whether any region exists. */
    public boolean hasRegions() {
        return !regions.isEmpty();
    }

    /**
     * Models {@code mark_address(address, size, base)}: the first call adds [base, base); an address
     * below the last end is fatal; one equal to it extends the last region; else a new region.
     */
    void markAddress(long address, long size, long base) {
        if (regions.isEmpty()) {
            regions.add(new long[] {base, base});
        }
        long[] last = regions.get(regions.size() - 1);
        if (address < last[1]) {
            throw new TtFatalException("Local buffer address " + address + " has to append to last L1 region "
                    + "[" + last[0] + ", " + last[1] + ") or be at a higher address");
        }
        if (address == last[1]) {
            last[1] += size;
        } else {
            regions.add(new long[] {address, address + size});
        }
    }

    /** Models {@code reset_available_addresses()}. */
    void reset() {
        regions.clear();
    }
}
