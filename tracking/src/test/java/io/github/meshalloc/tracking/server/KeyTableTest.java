package io.github.meshalloc.tracking.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The server's registry table behaves as a HashMap of BufferKeys under random puts, gets and removals, also when a
 * probe run wraps from the last slot to the first and a removal has to repair it.
 */
class KeyTableTest {

    private static long randomId(SplittableRandom r) {
        switch (r.nextInt(3)) {
            case 0:
                return (long) r.nextInt(64) << 58; // top bits only, negative as longs
            case 1:
                return 0x100000L + 2048L * r.nextInt(300); // addresses a few pages apart: long probe runs
            default:
                return r.nextLong(500);
        }
    }

    @Test
    void randomOperationsMatchAHashMap() {
        SplittableRandom r = new SplittableRandom(99);
        KeyTable<String> table = new KeyTable<>();
        Map<BufferKey, String> model = new HashMap<>();
        int removedPresent = 0;
        for (int step = 0; step < 300_000; step++) {
            int device = r.nextInt(4) - 1;
            long id = randomId(r);
            BufferKey key = new BufferKey(device, id);
            int op = r.nextInt(10);
            if (op < 4) {
                String v = "v" + step;
                table.put(device, id, v);
                model.put(key, v);
            } else if (op < 8) {
                if (model.containsKey(key)) {
                    removedPresent++;
                }
                table.remove(device, id);
                model.remove(key);
            } else {
                assertEquals(model.get(key), table.get(device, id), key.toString());
            }
            assertEquals(model.size(), table.size());
        }
        for (Map.Entry<BufferKey, String> e : model.entrySet()) {
            assertEquals(e.getValue(), table.get(e.getKey().deviceId(), e.getKey().bufferId()));
        }
        List<String> values = table.values();
        assertEquals(model.size(), values.size());
        assertEquals(new java.util.HashSet<>(model.values()), new java.util.HashSet<>(values));
        assertTrue(removedPresent > 10_000, "removed " + removedPresent);
    }

    @Test
    void removingEverythingLeavesAnEmptyTableThatStillWorks() {
        KeyTable<Integer> table = new KeyTable<>();
        List<long[]> keys = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            keys.add(new long[] {i % 8, 0x100000L + 2048L * i});
            table.put(i % 8, 0x100000L + 2048L * i, i);
        }
        for (long[] k : keys) {
            table.remove((int) k[0], k[1]);
        }
        assertTrue(table.isEmpty());
        assertNull(table.get(0, 0x100000L));
        table.put(3, 7, 1);
        assertEquals(1, table.get(3, 7));
        assertEquals(1, table.size());
    }

    /** Slots of a new table (it grows past half full: these tests stay far below). */
    private static final int SLOTS = 64;

    /** The first page-aligned buffer id above {@code after} whose key on device 0 has home slot {@code home}. */
    private static long idWithHome(int home, long after) {
        for (long id = (after / 4096 + 1) * 4096; ; id += 4096) {
            if ((BufferKey.hash(0, id) & (SLOTS - 1)) == home) {
                return id;
            }
        }
    }

    @Test
    void removingTheLastSlotPullsBackAWrappedEntryWhoseHomeIsTheHole() {
        long a = idWithHome(SLOTS - 1, 0); // slot 63
        long b = idWithHome(SLOTS - 1, a); // home 63, wraps to slot 0
        long c = idWithHome(0, 0); // home 0, pushed to slot 1
        KeyTable<String> table = new KeyTable<>();
        table.put(0, a, "a");
        table.put(0, b, "b");
        table.put(0, c, "c");
        table.remove(0, a);
        assertNull(table.get(0, a));
        assertEquals("b", table.get(0, b));
        assertEquals("c", table.get(0, c));
        assertEquals(2, table.size());
        table.remove(0, b);
        assertEquals("c", table.get(0, c));
        assertEquals(List.of("c"), table.values());
    }

    @Test
    void removingTheLastSlotLeavesAWrappedEntryThatIsAtItsHome() {
        long a = idWithHome(SLOTS - 1, 0); // slot 63
        long d = idWithHome(0, 0); // slot 0, its home
        long e = idWithHome(0, d); // home 0, slot 1
        KeyTable<String> table = new KeyTable<>();
        table.put(0, a, "a");
        table.put(0, d, "d");
        table.put(0, e, "e");
        table.remove(0, a);
        assertNull(table.get(0, a));
        assertEquals("d", table.get(0, d));
        assertEquals("e", table.get(0, e));
        table.remove(0, d);
        assertEquals("e", table.get(0, e));
        assertEquals(1, table.size());
    }

    @Test
    void aWrappedEntryWhoseHomeLiesAfterTheHoleStaysPut() {
        long a = idWithHome(SLOTS - 2, 0); // slot 62
        long b = idWithHome(SLOTS - 1, 0); // slot 63
        long f = idWithHome(SLOTS - 1, b); // home 63, wraps to slot 0
        KeyTable<String> table = new KeyTable<>();
        table.put(0, a, "a");
        table.put(0, b, "b");
        table.put(0, f, "f");
        table.remove(0, a);
        assertEquals("b", table.get(0, b));
        assertEquals("f", table.get(0, f));
        table.remove(0, b);
        assertEquals("f", table.get(0, f));
        assertEquals(1, table.size());
    }
}
