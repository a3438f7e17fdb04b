package io.github.meshalloc.tracking.server;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A hash map from a {@link BufferKey}'s two fields to a value, without key objects: the storage of
 * {@code std::unordered_map<BufferKey, BufferInfo> allocations_} in {@link AllocationServer}.
 *
 * <p>Open addressing with linear probing over parallel arrays; removal shifts later entries of the probe run back
 * (no tombstones). The hash is {@link BufferKey#hashCode()}'s 64-bit mix. Iteration order is unspecified (as the
 * C++ map's), so whatever is printed must be sorted. Not thread-safe: the server guards it with its lock.
 *
 * @param <V> value type
 */
final class KeyTable<V> {

    private int[] devices;
    private long[] ids;
    private Object[] values;
    private int mask;
    private int size;

    KeyTable() {
        allocate(1 << 6);
    }

    private void allocate(int capacity) {
        devices = new int[capacity];
        ids = new long[capacity];
        values = new Object[capacity];
        mask = capacity - 1;
    }

    private static int hash(int device, long id) {
        long h = (id ^ ((long) device << 32 | (device & 0xFFFFFFFFL))) * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    private int indexOf(int device, long id) {
        int i = hash(device, id) & mask;
        while (values[i] != null) {
            if (ids[i] == id && devices[i] == device) {
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
        int i = hash(device, id) & mask;
        while (values[i] != null) {
            if (ids[i] == id && devices[i] == device) {
                values[i] = value;
                return;
            }
            i = (i + 1) & mask;
        }
        devices[i] = device;
        ids[i] = id;
        values[i] = value;
        size++;
        if (size > (mask + 1) / 2) {
            grow();
        }
    }

    private void grow() {
        int[] oldDevices = devices;
        long[] oldIds = ids;
        Object[] oldValues = values;
        allocate(oldValues.length * 2);
        for (int j = 0; j < oldValues.length; j++) {
            if (oldValues[j] != null) {
                int i = hash(oldDevices[j], oldIds[j]) & mask;
                while (values[i] != null) {
                    i = (i + 1) & mask;
                }
                devices[i] = oldDevices[j];
                ids[i] = oldIds[j];
                values[i] = oldValues[j];
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
            int home = hash(devices[j], ids[j]) & mask;
            boolean stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
            if (!stays) {
                devices[hole] = devices[j];
                ids[hole] = ids[j];
                values[hole] = values[j];
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
