package io.github.meshalloc.tracking.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.meshalloc.tracking.log.LogEvent;
import io.github.meshalloc.tracking.log.ServerLine;
import io.github.meshalloc.tracking.log.ServerLogParser;
import io.github.meshalloc.tracking.wire.AllocMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Reference 3.10: each handler is atomic under one mutex; connections interleave arbitrarily. */
class ServerConcurrencyTest {

    @Test
    void concurrentClientsSharingKeysLeaveAConsistentServer() throws InterruptedException {
        AllocationServer s = new AllocationServer(ServerVersion.S5);
        int threads = 4;
        int rounds = 500;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int pid = 100 + t;
            Thread w = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < rounds; i++) {
                    long id = 4096L * (i % 8); // every thread uses the same 8 addresses on its own device pair
                    int dev = i % 2;
                    s.accept(AllocMessage.alloc(dev, 2048, 1, pid, id, 0));
                    s.accept(AllocMessage.query(dev));
                    s.accept(AllocMessage.free(dev, pid, id));
                }
            });
            workers.add(w);
            w.start();
        }
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }
        assertEquals(0, s.activeAllocations());
        assertEquals(0, s.unknownFreeCount());
        assertEquals(DeviceCounters.ZERO, s.counters(0));
        assertEquals(DeviceCounters.ZERO, s.counters(1));
        List<ServerLine> lines = s.log().lines();
        assertEquals(2 * threads * rounds, lines.size());
        // replaying the printed ALLOC/FREE lines in order never frees a key more often than it was allocated
        Map<BufferKey, Integer> open = new HashMap<>();
        ServerLogParser parser = ServerLogParser.strict();
        for (ServerLine l : lines) {
            LogEvent e = parser.parseLine(l.text());
            assertEquals(l.event(), e);
            if (e instanceof LogEvent.AllocNew) {
                LogEvent.AllocNew a = (LogEvent.AllocNew) e;
                open.merge(new BufferKey(a.device(), a.bufferId()), 1, Integer::sum);
            } else if (e instanceof LogEvent.AllocDup) {
                LogEvent.AllocDup a = (LogEvent.AllocDup) e;
                assertEquals(open.merge(new BufferKey(a.device(), a.bufferId()), 1, Integer::sum), a.refCount());
            } else if (e instanceof LogEvent.FreePartial) {
                LogEvent.FreePartial f = (LogEvent.FreePartial) e;
                assertEquals(open.merge(new BufferKey(f.device(), f.bufferId()), -1, Integer::sum), f.refCount());
            } else {
                LogEvent.FreeFinal f = (LogEvent.FreeFinal) e;
                assertEquals(0, open.merge(new BufferKey(f.device(), f.bufferId()), -1, Integer::sum));
            }
        }
    }
}
