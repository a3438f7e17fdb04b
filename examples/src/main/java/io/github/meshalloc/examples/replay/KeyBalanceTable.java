package io.github.meshalloc.examples.replay;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Per-key ALLOC/FREE tallies of a replay, keyed by (device, buffer id) with no boxing: a meshalloc tool, the
 * bookkeeping behind {@link KeyBalance} ({@code MUM/analyze_buffer_log.py}'s per-key counts).
 *
 * <p>Open addressing with linear probing over parallel primitive arrays; the hash is {@code BufferKey}'s 64-bit
 * golden-ratio mix (buffer ids are addresses whose low bits are mostly equal). Keys are never removed.
 */
final class KeyBalanceTable {

    /** BufferKey's order, comparing primitives (no boxed ids). */
    private static final Comparator<KeyBalance> ORDER = (a, b) -> {
        int c = Integer.compare(a.device(), b.device());
        return c != 0 ? c : Long.compareUnsigned(a.bufferId(), b.bufferId());
    };

    private int[] devices;
    private long[] ids;
    private boolean[] used;
    private long[] allocs;
    private long[] frees;
    private long[] firstSizes;
    private boolean[] sizeChanged;
    private int mask;
    private int size;

    KeyBalanceTable() {
        allocate(1 << 12);
    }

    private void allocate(int capacity) {
        devices = new int[capacity];
        ids = new long[capacity];
        used = new boolean[capacity];
        allocs = new long[capacity];
        frees = new long[capacity];
        firstSizes = new long[capacity];
        sizeChanged = new boolean[capacity];
        mask = capacity - 1;
    }

    private static int hash(int device, long id) {
        long h = (id ^ ((long) device << 32 | (device & 0xFFFFFFFFL))) * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    /** The slot of the key, inserted with zero tallies if new. */
    private int slot(int device, long id) {
        int i = hash(device, id) & mask;
        while (used[i]) {
            if (ids[i] == id && devices[i] == device) {
                return i;
            }
            i = (i + 1) & mask;
        }
        if (size + 1 > (mask + 1) / 2) {
            grow();
            return slot(device, id);
        }
        used[i] = true;
        devices[i] = device;
        ids[i] = id;
        size++;
        return i;
    }

    private void grow() {
        int[] oldDevices = devices;
        long[] oldIds = ids;
        boolean[] oldUsed = used;
        long[] oldAllocs = allocs;
        long[] oldFrees = frees;
        long[] oldFirst = firstSizes;
        boolean[] oldChanged = sizeChanged;
        allocate(oldUsed.length * 2);
        for (int j = 0; j < oldUsed.length; j++) {
            if (oldUsed[j]) {
                int i = hash(oldDevices[j], oldIds[j]) & mask;
                while (used[i]) {
                    i = (i + 1) & mask;
                }
                used[i] = true;
                devices[i] = oldDevices[j];
                ids[i] = oldIds[j];
                allocs[i] = oldAllocs[j];
                frees[i] = oldFrees[j];
                firstSizes[i] = oldFirst[j];
                sizeChanged[i] = oldChanged[j];
            }
        }
    }

    /** One ALLOC line of the key: the first fixes the size, a later one of another size marks a change. */
    void alloc(int device, long id, long bytes) {
        int i = slot(device, id);
        if (allocs[i] == 0) {
            firstSizes[i] = bytes;
        } else if (firstSizes[i] != bytes) {
            sizeChanged[i] = true;
        }
        allocs[i]++;
    }

    /** One FREE line (or unknown-FREE warning) of the key. */
    void free(int device, long id) {
        int i = slot(device, id); // first: slot() may grow, i.e. replace, the arrays
        frees[i]++;
    }

    /** Keys tallied. */
    int size() {
        return size;
    }

    /** Every key's balance, ordered by device (signed) then buffer id (unsigned), as {@code BufferKey} orders. */
    List<KeyBalance> sorted() {
        KeyBalance[] out = new KeyBalance[size];
        int n = 0;
        for (int i = 0; i < used.length; i++) {
            if (used[i]) {
                out[n++] = new KeyBalance(devices[i], ids[i], allocs[i], frees[i], firstSizes[i], sizeChanged[i]);
            }
        }
        Arrays.sort(out, ORDER);
        return new ArrayList<>(Arrays.asList(out));
    }
}
