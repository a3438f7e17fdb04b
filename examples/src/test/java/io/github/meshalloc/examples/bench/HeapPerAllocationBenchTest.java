package io.github.meshalloc.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link HeapPerAllocationBench} at a tiny size: the server holds every allocation, the layers add up. */
class HeapPerAllocationBenchTest {

    @Test
    void eachLayerAddsHeapAndTheServerHoldsEveryAllocation() {
        HeapPerAllocationBench.Row row = HeapPerAllocationBench.measure(8000);

        assertEquals(8000, row.live());
        assertEquals(8000, row.serverEntries());
        // a Buffer costs more than its block, a tracked one more than an untracked one (a registry entry)
        assertTrue(row.blockBytes() > 8, "block " + row.blockBytes());
        assertTrue(row.bufferObjectBytes() > 40, "Buffer " + row.bufferObjectBytes());
        assertTrue(row.trackedWarm() - row.bufferWarm() > 40, "registry entry "
                + (row.trackedWarm() - row.bufferWarm()));
        assertTrue(row.trackedBytes() < 4096, "tracked " + row.trackedBytes());
    }

    @Test
    void printLabelsTheBreakdown() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        HeapPerAllocationBench.print(List.of(new HeapPerAllocationBench.Row(1000, 60, 260, 380, 0, 200, 312, 1000)),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);

        assertTrue(out.contains("     1,000         60.0        260.0        380.0  |        60.0         200.0"
                + "        120.0  |         0.0       200.0        312.0"), out);
    }

    @Test
    void aNonPositiveSizeIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HeapPerAllocationBench.measure(0));
        assertEquals("N 0 must be positive", e.getMessage());
    }
}
