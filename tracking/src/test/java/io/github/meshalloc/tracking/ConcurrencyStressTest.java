package io.github.meshalloc.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.allocator.ArchPreset;
import io.github.meshalloc.allocator.Buffer;
import io.github.meshalloc.allocator.BufferType;
import io.github.meshalloc.allocator.Device;
import io.github.meshalloc.allocator.OutOfMemoryException;
import io.github.meshalloc.tracking.server.BufferKey;
import io.github.meshalloc.tracking.server.LiveEntry;
import io.github.meshalloc.tracking.server.ServerVersion;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * 8 threads in 4 processes (two threads share each process's GraphTracker, client and chips), 2 chips per
 * process with the same chip ids across processes (so keys collide on the ref-counting server), 100,000
 * allocations and frees in all. Afterwards the server's view is exactly the truth: every key's ref count
 * equals the number of live buffers behind it, nothing was lost or duplicated, and freeing the rest empties it.
 */
class ConcurrencyStressTest {
    private static final int PROCESSES = 4;
    private static final int THREADS_PER_PROCESS = 2;
    private static final int OPS_PER_THREAD = 12_500;

    @Test
    void eightThreadsLoseAndDuplicateNothing() throws Exception {
        RuleSet rules = RuleSet.MESHALLOC_FIX.with(ServerVersion.S4);
        Host host = new Host(ServerVersion.S4);
        List<Device[]> chipsPerProcess = new ArrayList<>();
        for (int p = 0; p < PROCESSES; p++) {
            SimulatedProcess process = host.startProcess(rules);
            Device[] chips = new Device[2];
            for (int c = 0; c < 2; c++) {
                chips[c] = new Device(c, ArchPreset.WORMHOLE_B0.config(), process.context());
                chips[c].initialize();
            }
            chipsPerProcess.add(chips);
        }
        ExecutorService pool = Executors.newFixedThreadPool(PROCESSES * THREADS_PER_PROCESS);
        List<Future<List<Buffer>>> results = new ArrayList<>();
        for (int t = 0; t < PROCESSES * THREADS_PER_PROCESS; t++) {
            Device[] chips = chipsPerProcess.get(t / THREADS_PER_PROCESS);
            long seed = 1000 + t;
            results.add(pool.submit(() -> work(chips, seed)));
        }
        List<Buffer> live = new ArrayList<>();
        for (Future<List<Buffer>> f : results) {
            live.addAll(f.get(120, TimeUnit.SECONDS));
        }
        pool.shutdown();

        assertEquals(0, host.server().unknownFreeCount());
        Map<BufferKey, Integer> truth = new HashMap<>();
        for (Buffer b : live) {
            truth.merge(new BufferKey(b.device().id(), b.address()), 1, Integer::sum);
        }
        Map<BufferKey, LiveEntry> view = host.server().liveEntries();
        assertEquals(truth.keySet(), view.keySet());
        for (Map.Entry<BufferKey, Integer> e : truth.entrySet()) {
            assertEquals(e.getValue().intValue(), view.get(e.getKey()).refCount(), e.getKey().toString());
        }
        for (Buffer b : live) {
            b.release();
        }
        assertEquals(0, host.server().activeAllocations());
        for (int d = 0; d < 2; d++) {
            assertEquals(0, host.server().counters(d).total());
            assertEquals(0, host.server().counters(d).numBuffers());
        }
        for (Device[] chips : chipsPerProcess) {
            for (Device chip : chips) {
                assertTrue(chip.allocator().isEmpty());
            }
        }
    }

    private static List<Buffer> work(Device[] chips, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Buffer> mine = new ArrayList<>();
        for (int i = 0; i < OPS_PER_THREAD; i++) {
            if (!mine.isEmpty() && (random.nextInt(3) == 0 || mine.size() > 64)) {
                mine.remove(random.nextInt(mine.size())).release();
            } else {
                Device chip = chips[random.nextInt(chips.length)];
                BufferType type = random.nextBoolean() ? BufferType.DRAM : BufferType.L1;
                long pages = 1 + random.nextInt(16);
                try {
                    mine.add(Buffer.create(chip, pages * 2048, 2048, type));
                } catch (OutOfMemoryException full) {
                    mine.remove(0).release();
                }
            }
        }
        return mine;
    }
}
