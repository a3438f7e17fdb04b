package io.github.meshalloc.tracking.server;

/**
 * A live buffer-registry entry, read-only.
 *
 * <p>Models {@code struct BufferInfo} of {@code MUM/allocation_server_poc.cpp} (reference 3.1). The C++
 * {@code alloc_time} (server's steady clock at receipt) is modelled by the ALLOC message's caller-filled
 * {@code timestamp} (inferred stand-in; the C++ never prints it for buffers).
 *
 * @param deviceId       stored device (the first ALLOC's; for E0 the latest overwriting ALLOC's)
 * @param bufferId       buffer id (u64)
 * @param size           stored size (u64): the first ALLOC's; the history server replaces it on reuse
 * @param bufferType     stored type code 0..4
 * @param ownerPid       pid of the ALLOC that created (or last overwrote) the entry
 * @param refCount       reference count (always 1 for E0/E1)
 * @param allocTimestamp timestamp of that ALLOC message
 */
public record LiveEntry(int deviceId, long bufferId, long size, int bufferType, int ownerPid, int refCount,
                        long allocTimestamp) {

    /** The entry's key. */
    public BufferKey key() {
        return new BufferKey(deviceId, bufferId);
    }
}
