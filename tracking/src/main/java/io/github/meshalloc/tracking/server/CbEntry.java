package io.github.meshalloc.tracking.server;

/**
 * A live circular-buffer registry entry (S5), read-only.
 *
 * <p>Models {@code struct CBInfo} of {@code MUM/allocation_server_poc.cpp} a81ea34f (reference 3.1, 3.4): last
 * writer wins per (device, CB address).
 *
 * @param deviceId       device 0..7
 * @param cbId           CB address (u64)
 * @param size           size of the last CB_ALLOC for this key (u64)
 * @param ownerPid       pid of that CB_ALLOC
 * @param allocTimestamp timestamp of that message (stand-in for the C++ receipt time)
 */
public record CbEntry(int deviceId, long cbId, long size, int ownerPid, long allocTimestamp) {
}
