package io.github.meshalloc.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.mesh.MeshBuffer;
import io.github.meshalloc.mesh.MeshDevice;
import io.github.meshalloc.tracking.DeviceMemory;
import io.github.meshalloc.tracking.Host;
import io.github.meshalloc.tracking.RuleSet;
import io.github.meshalloc.tracking.SimulatedProcess;
import io.github.meshalloc.tracking.ops.Catalog;
import io.github.meshalloc.tracking.ops.OpKind;
import io.github.meshalloc.tracking.ops.TensorChoice;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link MeshWorkloadBench} at a tiny size: every operation counted, balanced at the end, deterministic. */
class MeshWorkloadBenchTest {

    @Test
    void aSmallRunCountsEveryOperationAndEndsBalanced() {
        MeshWorkloadBench.Result r = MeshWorkloadBench.run(3000, 5, 16);

        assertEquals(3000, r.counts().values().stream().mapToLong(Long::longValue).sum() + r.raised());
        for (OpKind kind : new OpKind[] {OpKind.CREATE_TENSOR, OpKind.CREATE_CHIP_BUFFER, OpKind.DEALLOCATE,
            OpKind.DROP, OpKind.RUN_PROGRAM}) {
            assertTrue(r.counts().getOrDefault(kind, 0L) > 0, kind + " never ran: " + r.counts());
        }
        assertTrue(r.maxLiveHandles() <= 32 && r.maxLiveHandles() > 16, "live set " + r.maxLiveHandles());
        // every tensor sends one ALLOC per chip: at least 32 records per tensor create and per tensor free
        assertTrue(r.records() >= 32L * r.counts().get(OpKind.CREATE_TENSOR), "records " + r.records());
        // chips 8..31 fall outside the S4 server's 8 device slots: each of their messages is an anomaly
        assertTrue(r.anomalies() > 0 && r.anomalies() < r.records(), "anomalies " + r.anomalies());
        assertTrue(r.peakHeapBytes() > 0 && r.nanos() > 0 && r.cpuNanos() >= 0);
    }

    @Test
    void theSameSeedRunsTheSameOperations() {
        MeshWorkloadBench.Result a = MeshWorkloadBench.run(1500, 9, 8);
        MeshWorkloadBench.Result b = MeshWorkloadBench.run(1500, 9, 8);
        MeshWorkloadBench.Result c = MeshWorkloadBench.run(1500, 10, 8);

        assertEquals(a.counts(), b.counts());
        assertEquals(a.records(), b.records());
        assertEquals(a.anomalies(), b.anomalies());
        assertTrue(!a.counts().equals(c.counts()) || a.records() != c.records(), "another seed, the same run");
    }

    @Test
    void theBalanceCheckCatchesAnAllocationLeftBehind() {
        Host host = new Host(RuleSet.MESHALLOC_FIX.serverVersion(), b -> b.quiet(true));
        SimulatedProcess process = host.startProcess(RuleSet.MESHALLOC_FIX);
        MeshDevice mesh = process.openMesh(MeshWorkloadBench.SHAPE, Catalog.DEFAULT.chipConfig());
        DeviceMemory memory = DeviceMemory.capture(process.pid(), mesh);
        MeshBuffer kept = TensorChoice.DRAM_1_PAGE.create(mesh);

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> MeshWorkloadBench.checkBalanced(host.server(), memory, "in the test"));
        assertTrue(e.getMessage().startsWith("not empty in the test: 32 allocations in device memory, 32 active"),
                e.getMessage());

        kept.release();
        MeshWorkloadBench.checkBalanced(host.server(), memory, "after the release");
    }

    @Test
    void badArgumentsAreRefusedWithTheValue() {
        IllegalArgumentException ops = assertThrows(IllegalArgumentException.class,
                () -> MeshWorkloadBench.run(0, 1, 4));
        assertEquals("ops 0 must be positive", ops.getMessage());
        IllegalArgumentException live = assertThrows(IllegalArgumentException.class,
                () -> MeshWorkloadBench.run(10, 1, -1));
        assertEquals("maxLive -1 must be positive", live.getMessage());
    }

    @Test
    void printShowsTheFiguresAndTheMix() {
        MeshWorkloadBench.Result r = new MeshWorkloadBench.Result(1000, 1, 2_000_000, 1_000_000, 64L << 20,
                Map.of(OpKind.CREATE_TENSOR, 600L, OpKind.DROP, 400L), 0, 19_200, 100, 12);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        MeshWorkloadBench.print(r, "measured", new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);

        assertTrue(out.startsWith("measured: 1,000 ops on 4x8 in 0.002 s (thread CPU 0.001 s) = 500,000 ops/s, "
                + "peak heap 64.0 MiB"), out);
        assertTrue(out.contains("  mix: create_tensor 600 drop 400"), out);
    }
}
