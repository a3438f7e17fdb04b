package io.github.meshalloc.tracking.log;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.List;

/**
 * The server's output as data: an append-only, thread-safe list of {@link ServerLine}s in print order.
 *
 * <p>Models the interleaved stdout/stderr of a running {@code MUM/allocation_server_poc.cpp} (both unbuffered, so
 * print order is the order of the statements). Lines can only be added as {@link LogEvent}s, so every line's text is
 * the writer's rendering of its event. The text is rendered when a line is first read ({@link #lines()},
 * {@link #linesFrom(int)}, ...), once: a reader that needs only the events ({@link #eventsFrom(int)}, the balance
 * explorer's checks) never pays for string building.
 */
public final class ServerLog {

    private final List<LogEvent> events = new ArrayList<>();
    /** The rendered lines of {@code events[0 .. rendered.size())}; grows on reads. Guarded by {@code events}. */
    private final List<ServerLine> rendered = new ArrayList<>();

    /** Appends one line (its text is rendered when first read). */
    public void append(LogEvent event) {
        Preconditions.checkNotNull(event, "event");
        synchronized (events) {
            events.add(event);
        }
    }

    /** Number of lines printed so far. */
    public int size() {
        synchronized (events) {
            return events.size();
        }
    }

    /** Renders every line not rendered yet. Call with the lock held. */
    private void renderAll() {
        for (int i = rendered.size(); i < events.size(); i++) {
            rendered.add(ServerLogWriter.line(events.get(i)));
        }
    }

    /**
     * The events of lines {@code from ..} (their texts are not rendered).
     *
     * @throws IllegalArgumentException if {@code from} is negative or beyond the current size
     */
    public List<LogEvent> eventsFrom(int from) {
        synchronized (events) {
            Preconditions.checkArgument(from >= 0 && from <= events.size(),
                    "from is %s; allowed 0..%s (the current size)", from, events.size());
            return ImmutableList.copyOf(events.subList(from, events.size()));
        }
    }

    /** Snapshot of all lines. */
    public List<ServerLine> lines() {
        synchronized (events) {
            renderAll();
            return ImmutableList.copyOf(rendered);
        }
    }

    /**
     * Snapshot of the lines from index {@code from} on (to read what one operation printed).
     *
     * @throws IllegalArgumentException if {@code from} is negative or beyond the end
     */
    public List<ServerLine> linesFrom(int from) {
        synchronized (events) {
            Preconditions.checkArgument(from >= 0 && from <= events.size(),
                    "from is %s; allowed 0..%s (the current size)", from, events.size());
            renderAll();
            return ImmutableList.copyOf(rendered.subList(from, rendered.size()));
        }
    }

    /** The text of every line. */
    public List<String> texts() {
        return lines().stream().map(ServerLine::text).collect(ImmutableList.toImmutableList());
    }

    /** The text of every line printed to {@code stream}. */
    public List<String> texts(LogStream stream) {
        return lines().stream().filter(l -> l.stream() == stream).map(ServerLine::text)
                .collect(ImmutableList.toImmutableList());
    }

    /** The event of every line. */
    public List<LogEvent> events() {
        return eventsFrom(0);
    }

    /** All lines, each followed by {@code '\n'}: what a terminal merging both streams shows. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        for (ServerLine l : lines()) {
            sb.append(l.text()).append('\n');
        }
        return sb.toString();
    }
}
