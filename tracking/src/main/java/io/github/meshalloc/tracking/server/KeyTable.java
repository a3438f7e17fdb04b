package io.github.meshalloc.tracking.server;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A hash map from a {@link BufferKey}'s two fields to a value, without key objects: the storage of
 * {@code std::unordered_map<BufferKey, BufferInfo> allocations_} in {@link AllocationServer}.
 *
 * <p>Open addressing with linear probing; a slot's buffer id and device sit side by side in one {@code long[]} (one
 * cache line to compare a key), values in a parallel array; removal shifts later entries of the probe run back
 * (no tombstones). The hash is {@link BufferKey#hashCode()}'s 64-bit mix ({@link BufferKey#hash(int, long)}).
 * Iteration order is unspecified (as the C++ map's), so whatever is printed must be sorted. Not thread-safe: the
 * server guards it with its lock.
 *
 * @param <V> value type
 */
final class KeyTable<V> {

    /** Slot i: buffer id at {@code 2i}, device at {@code 2i + 1}. */
    private long[] keys;
    private Object[] values;
    private int mask;
    private int size;

    KeyTable() {
        allocate(1 << 6);
    }

    private void allocate(int capacity) {
        keys = new long[2 * capacity];
        values = new Object[capacity];
        mask = capacity - 1;
    }

    private boolean at(int i, int device, long id) {
        return keys[2 * i] == id && keys[2 * i + 1] == device;
    }

    private void set(int i, int device, long id, Object value) {
        keys[2 * i] = id;
        keys[2 * i + 1] = device;
        values[i] = value;
    }

    private int homeOf(int i) {
        return BufferKey.hash((int) keys[2 * i + 1], keys[2 * i]) & mask;
    }

    private int indexOf(int device, long id) {
        int i = BufferKey.hash(device, id) & mask;
        while (values[i] != null) {
            if (at(i, device, id)) {
                return i;
            }
            i = (i + 1) & mask;
        }
        return -1;
    }

    /** The value of the key, or null. */
    @SuppressWarnings("unchecked")
    V get(int device, long id) {
        int i = indexOf(device, id);
        return i < 0 ? null : (V) values[i];
    }

    /** Maps the key to {@code value} (not null), replacing any value. */
    void put(int device, long id, V value) {
        int i = BufferKey.hash(device, id) & mask;
        while (values[i] != null) {
            if (at(i, device, id)) {
                values[i] = value;
                return;
            }
            i = (i + 1) & mask;
        }
        set(i, device, id, value);
        size++;
        if (size > (mask + 1) / 2) {
            grow();
        }
    }

    private void grow() {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        allocate(oldValues.length * 2);
        for (int j = 0; j < oldValues.length; j++) {
            if (oldValues[j] != null) {
                int device = (int) oldKeys[2 * j + 1];
                long id = oldKeys[2 * j];
                int i = BufferKey.hash(device, id) & mask;
                while (values[i] != null) {
                    i = (i + 1) & mask;
                }
                set(i, device, id, oldValues[j]);
            }
        }
    }

    /** Removes the key, if present. */
    void remove(int device, long id) {
        int i = indexOf(device, id);
        if (i < 0) {
            return;
        }
        size--;
        // Backward-shift deletion: move each later entry of the run into the hole unless its home lies
        // cyclically in (hole, entry].
        int hole = i;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            if (values[j] == null) {
                break;
            }
            int home = homeOf(j);
            boolean stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
            if (!stays) {
                set(hole, (int) keys[2 * j + 1], keys[2 * j], values[j]);
                hole = j;
            }
        }
        values[hole] = null;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Visits every value. The visitor must not change the table. */
    @SuppressWarnings("unchecked")
    void forEach(Consumer<? super V> visitor) {
        for (Object v : values) {
            if (v != null) {
                visitor.accept((V) v);
            }
        }
    }

    /** The values, copied (so the caller may change the table while going through them). */
    List<V> values() {
        List<V> out = new ArrayList<>(size);
        forEach(out::add);
        return out;
    }
}
