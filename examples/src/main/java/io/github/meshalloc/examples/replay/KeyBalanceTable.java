package io.github.meshalloc.examples.replay;

import io.github.meshalloc.tracking.server.BufferKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Per-key ALLOC/FREE tallies of a replay, keyed by (device, buffer id) with no boxing: a meshalloc tool, the
 * bookkeeping behind {@link KeyBalance} ({@code MUM/analyze_buffer_log.py}'s per-key counts).
 *
 * <p>Open addressing with linear probing over one {@code long[]}, a key's id, device and tallies side by side (one
 * cache miss per lookup, not one per field); the hash is {@link BufferKey#hash}, a 64-bit golden-ratio mix (buffer ids are
 * addresses whose low bits are mostly equal). Keys are never removed.
 */
final class KeyBalanceTable {

    /** BufferKey's order, comparing primitives (no boxed ids). */
    private static final Comparator<KeyBalance> ORDER = (a, b) -> {
        int c = Integer.compare(a.device(), b.device());
        return c != 0 ? c : Long.compareUnsigned(a.bufferId(), b.bufferId());
    };

    /** Longs per slot: buffer id, device word, ALLOC lines, FREE lines, first size (one cache line or two). */
    private static final int STRIDE = 5;
    /** Device word: the device in the low 32 bits, plus these flags. */
    private static final long USED = 1L << 32;
    private static final long SIZE_CHANGED = 1L << 33;

    private long[] slots;
    private int mask;
    private int size;

    KeyBalanceTable() {
        allocate(1 << 12);
    }

    private void allocate(int capacity) {
        slots = new long[STRIDE * capacity];
        mask = capacity - 1;
    }

    /** The base index of the key's slot, inserted with zero tallies if new. */
    private int slot(int device, long id) {
        long word = USED | (device & 0xFFFFFFFFL);
        int i = BufferKey.hash(device, id) & mask;
        while (true) {
            int base = STRIDE * i;
            long w = slots[base + 1];
            if ((w & USED) == 0) {
                break;
            }
            if (slots[base] == id && (w & ~SIZE_CHANGED) == word) {
                return base;
            }
            i = (i + 1) & mask;
        }
        if (size + 1 > (mask + 1) / 2) {
            grow();
            return slot(device, id);
        }
        int base = STRIDE * i;
        slots[base] = id;
        slots[base + 1] = word;
        size++;
        return base;
    }

    private void grow() {
        long[] old = slots;
        allocate((mask + 1) * 2);
        for (int j = 0; j < old.length; j += STRIDE) {
            if ((old[j + 1] & USED) != 0) {
                int i = BufferKey.hash((int) old[j + 1], old[j]) & mask;
                while ((slots[STRIDE * i + 1] & USED) != 0) {
                    i = (i + 1) & mask;
                }
                System.arraycopy(old, j, slots, STRIDE * i, STRIDE);
            }
        }
    }

    /** One ALLOC line of the key: the first fixes the size, a later one of another size marks a change. */
    void alloc(int device, long id, long bytes) {
        int b = slot(device, id);
        long[] s = slots;
        if (s[b + 2] == 0) {
            s[b + 4] = bytes;
        } else if (s[b + 4] != bytes) {
            s[b + 1] |= SIZE_CHANGED;
        }
        s[b + 2]++;
    }

    /** One FREE line (or unknown-FREE warning) of the key. */
    void free(int device, long id) {
        int b = slot(device, id); // first: slot() may grow, i.e. replace, the array
        slots[b + 3]++;
    }

    /** Keys tallied. */
    int size() {
        return size;
    }

    /** Every key's balance, ordered by device (signed) then buffer id (unsigned), as {@code BufferKey} orders. */
    List<KeyBalance> sorted() {
        KeyBalance[] out = new KeyBalance[size];
        int n = 0;
        long[] s = slots;
        for (int b = 0; b < s.length; b += STRIDE) {
            long w = s[b + 1];
            if ((w & USED) != 0) {
                out[n++] = new KeyBalance((int) w, s[b], s[b + 2], s[b + 3], s[b + 4], (w & SIZE_CHANGED) != 0);
            }
        }
        Arrays.sort(out, ORDER);
        return new ArrayList<>(Arrays.asList(out));
    }
}
