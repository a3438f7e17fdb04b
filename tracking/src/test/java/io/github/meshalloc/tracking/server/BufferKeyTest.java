package io.github.meshalloc.tracking.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

/**
 * {@link BufferKey}: its order, and the hash its Javadoc promises: buffer ids are device addresses, multiples of large
 * powers of two, and the mix must still spread them over the low bits that pick a slot of the server's registry table
 * ({@link KeyTable}, 64 slots when new) and of the CB, kernel and history maps.
 */
class BufferKeyTest {

    private static final int SLOTS = 64;

    private static int distinctHomes(int count, LongFunction<BufferKey> key) {
        Set<Integer> homes = new HashSet<>();
        for (int k = 0; k < count; k++) {
            BufferKey b = key.apply(k);
            assertEquals(BufferKey.hash(b.deviceId(), b.bufferId()), b.hashCode(), b.toString());
            homes.add(b.hashCode() & (SLOTS - 1));
        }
        return homes.size();
    }

    @Test
    void alignedAddressesSpreadOverTheLowBits() {
        // A random hash fills about 64 * (1 - (63/64)^64) = 40.6 of 64 slots with 64 keys; ask for half. A hash that
        // keeps the addresses' zero low bits (or ignores the device) puts them all in one or eight slots.
        int mibApart = distinctHomes(SLOTS, k -> new BufferKey(0, 0x100000L + (k << 20)));
        assertTrue(mibApart >= SLOTS / 2, "1 MiB-aligned DRAM addresses: " + mibApart + " slots");
        int pagesApart = distinctHomes(SLOTS, k -> new BufferKey(3, 0x40000000L + k * 2048));
        assertTrue(pagesApart >= SLOTS / 2, "2 KiB-aligned addresses: " + pagesApart + " slots");
        int grid = distinctHomes(SLOTS, k -> new BufferKey((int) (k / 8), (k % 8) * 4096));
        assertTrue(grid >= SLOTS / 2, "8 pages on each of 8 devices: " + grid + " slots");
        // the same address on the 8 chips of a mesh (a mesh buffer's per-chip copies) must not share one slot
        int chips = distinctHomes(8, k -> new BufferKey((int) k, 0x3ffff800L));
        assertTrue(chips >= 4, "one address on 8 devices: " + chips + " slots");
    }

    @Test
    void keysAreEqualByValueAndOrderByDeviceThenUnsignedId() {
        assertEquals(new BufferKey(2, 5), new BufferKey(2, 5));
        assertTrue(new BufferKey(0, -1L).compareTo(new BufferKey(1, 0)) < 0);
        assertTrue(new BufferKey(1, 1).compareTo(new BufferKey(1, -1L)) < 0); // -1 is the largest u64
        assertTrue(new BufferKey(-1, 0).compareTo(new BufferKey(0, 0)) < 0); // devices compare signed
    }
}
