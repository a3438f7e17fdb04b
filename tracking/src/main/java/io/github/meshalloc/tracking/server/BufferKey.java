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

    /**
     * Buffer ids are device addresses, mostly multiples of large powers of two; the default record hash
     * ({@code 31 * device + id}) leaves their low bits equal and piles keys into few hash buckets. A 64-bit
     * multiplicative mix (the golden-ratio constant) spreads them.
     */
    @Override
    public int hashCode() {
        return hash(deviceId, bufferId);
    }

    /**
     * The hash of the key (deviceId, bufferId) without building it: {@link #hashCode()}, the home slot of the
     * server's registry table ({@link KeyTable}), and of any other open-addressing table keyed by (device, buffer id)
     * that wants the same spread without allocating a key (a meshalloc helper, not a C++ function: the server's
     * hash map leaves its hash unspecified).
     */
    public static int hash(int deviceId, long bufferId) {
        long h = (bufferId ^ ((long) deviceId << 32 | (deviceId & 0xFFFFFFFFL))) * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BufferKey k && k.deviceId == deviceId && k.bufferId == bufferId;
    }
}
