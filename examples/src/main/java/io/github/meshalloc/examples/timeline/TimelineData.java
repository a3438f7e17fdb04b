package io.github.meshalloc.examples.timeline;

import com.google.common.base.Preconditions;
import io.github.meshalloc.examples.replay.LogReplay;
import io.github.meshalloc.tracking.log.LogEvent;
import io.github.meshalloc.tracking.server.AllocationServer;
import io.github.meshalloc.tracking.server.DeviceCounters;
import io.github.meshalloc.tracking.server.LiveEntry;
import io.github.meshalloc.tracking.server.ServerVersion;
import io.github.meshalloc.tracking.wire.BufferTypeCode;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * Memory used per device and counter over a server's event sequence, rebuilt by replaying the log's events into a
 * fresh server model, plus the allocations still live at the end (the leaks).
 *
 * @param title    what the timeline shows
 * @param version  the server version replayed
 * @param events   ALLOC/FREE/sweep events (the x axis runs 0..events)
 * @param series   one series per device and counter that was ever non-zero, devices ascending
 * @param markers  labelled positions on the x axis (scenario steps)
 * @param leaks    keys live after the last event, with the event that created them
 * @param finals   each device's counters after the last event
 */
public record TimelineData(String title, ServerVersion version, long events, List<Series> series,
                           List<Marker> markers, List<Leak> leaks, List<DeviceCounters> finals) {

    /**
     * One device's counter over the events: (event index, bytes after it) at every change, starting at (0, 0).
     *
     * @param device  device id
     * @param counter which counter
     * @param xs      event indices, ascending
     * @param bytes   counter value from that index on
     */
    public record Series(int device, BufferTypeCode.Counter counter, long[] xs, long[] bytes) {

        /** The value after the last event. */
        public long last() {
            return bytes[bytes.length - 1];
        }

        /** The largest value. */
        public long max() {
            long m = 0;
            for (long b : bytes) {
                m = Math.max(m, b);
            }
            return m;
        }
    }

    /**
     * A labelled x position.
     *
     * @param event event index
     * @param label text
     */
    public record Marker(long event, String label) {
    }

    /**
     * A key live after the last event.
     *
     * @param device     device
     * @param bufferId   address
     * @param size       stored size
     * @param type       buffer type code
     * @param allocEvent index of the ALLOC event that created the entry
     * @param name       what it is, when known
     */
    public record Leak(int device, long bufferId, long size, int type, long allocEvent, String name) {
    }

    /** Copies the lists. */
    public TimelineData {
        series = List.copyOf(series);
        markers = List.copyOf(markers);
        leaks = List.copyOf(leaks);
        finals = List.copyOf(finals);
    }

    /** The series of (device, counter), if it exists. */
    public java.util.Optional<Series> series(int device, BufferTypeCode.Counter counter) {
        return series.stream().filter(s -> s.device() == device && s.counter() == counter).findFirst();
    }

    /**
     * Replays {@code events} (in log order; non-event lines are skipped) into a server of {@code version}.
     *
     * @param markersAtLine labels keyed by the number of log lines before them (e.g. a step's end)
     * @param names         names of buffer ids, for the leak list (may return null)
     */
    public static TimelineData replay(String title, List<LogEvent> events, ServerVersion version,
                                      Map<Integer, String> markersAtLine, LongFunction<String> names) {
        Preconditions.checkNotNull(events, "events");
        AllocationServer server = new AllocationServer(version);
        int devices = AllocationServer.MAX_DEVICES;
        BufferTypeCode.Counter[] counters = BufferTypeCode.Counter.values();
        List<List<long[]>> points = new ArrayList<>();
        long[][] last = new long[devices][counters.length];
        for (int i = 0; i < devices * counters.length; i++) {
            List<long[]> p = new ArrayList<>();
            p.add(new long[] {0, 0});
            points.add(p);
        }
        List<Marker> markers = new ArrayList<>();
        long event = 0;
        for (int line = 0; line < events.size(); line++) {
            String label = markersAtLine.get(line);
            if (label != null) {
                markers.add(new Marker(event, label));
            }
            if (!LogReplay.applyTo(server, events.get(line), event + 1)) {
                continue;
            }
            event++;
            for (int d = 0; d < devices; d++) {
                DeviceCounters c = server.counters(d);
                for (int k = 0; k < counters.length; k++) {
                    long v = c.counter(counters[k]);
                    if (v != last[d][k]) {
                        last[d][k] = v;
                        points.get(d * counters.length + k).add(new long[] {event, v});
                    }
                }
            }
        }
        String end = markersAtLine.get(events.size());
        if (end != null) {
            markers.add(new Marker(event, end));
        }
        List<Series> series = new ArrayList<>();
        for (int d = 0; d < devices; d++) {
            for (int k = 0; k < counters.length; k++) {
                List<long[]> p = points.get(d * counters.length + k);
                if (p.size() == 1) {
                    continue;
                }
                long[] xs = new long[p.size()];
                long[] ys = new long[p.size()];
                for (int i = 0; i < p.size(); i++) {
                    xs[i] = p.get(i)[0];
                    ys[i] = p.get(i)[1];
                }
                series.add(new Series(d, counters[k], xs, ys));
            }
        }
        List<Leak> leaks = new ArrayList<>();
        for (LiveEntry e : server.liveEntries().values()) {
            String name = names.apply(e.bufferId());
            leaks.add(new Leak(e.deviceId(), e.bufferId(), e.size(), e.bufferType(), e.allocTimestamp(),
                    name == null ? "" : name));
        }
        List<DeviceCounters> finals = new ArrayList<>();
        for (int d = 0; d < devices; d++) {
            finals.add(server.counters(d));
        }
        return new TimelineData(title, version, event, series, markers, leaks, finals);
    }

    /** Counters in display order. */
    static Map<BufferTypeCode.Counter, String> counterNames() {
        Map<BufferTypeCode.Counter, String> m = new EnumMap<>(BufferTypeCode.Counter.class);
        m.put(BufferTypeCode.Counter.DRAM, "DRAM");
        m.put(BufferTypeCode.Counter.L1, "L1");
        m.put(BufferTypeCode.Counter.L1_SMALL, "L1_SMALL");
        m.put(BufferTypeCode.Counter.TRACE, "TRACE");
        return m;
    }
}
