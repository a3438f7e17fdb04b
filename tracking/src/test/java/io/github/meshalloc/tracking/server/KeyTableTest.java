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

/** The server's registry table behaves as a HashMap of BufferKeys under random puts, gets and removals. */
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
}
