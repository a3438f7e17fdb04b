package io.github.meshalloc.tracking.server;

import java.util.Comparator;

/**
 * A registry key: (device id, buffer id), ordered by device (signed) then buffer id (unsigned).
 *
 * <p>Models {@code struct BufferKey { int device_id; uint64_t buffer_id; }} of
 * {@code MUM/allocation_server_poc.cpp} (reference 3.1: "each device has its own address space, so addresses can
 * overlap"). The C++ registries are hash maps with unspecified iteration order; this model always iterates in this
 * key order, so every printed listing is deterministic.
 *
 * @param deviceId device id (any int; servers before S5 accept out-of-range ids)
 * @param bufferId buffer id, unsigned 64-bit in a long
 */
public record BufferKey(int deviceId, long bufferId) implements Comparable<BufferKey> {

    private static final Comparator<BufferKey> ORDER = Comparator.comparingInt(BufferKey::deviceId)
            .thenComparing(BufferKey::bufferId, Long::compareUnsigned);

    @Override
    public int compareTo(BufferKey other) {
        return ORDER.compare(this, other);
    }
}
