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
 * the writer's rendering of its event.
 */
public final class ServerLog {

    private final List<ServerLine> lines = new ArrayList<>();

    /** Renders and appends one line; returns it. */
    public ServerLine append(LogEvent event) {
        ServerLine line = ServerLogWriter.line(event);
        synchronized (lines) {
            lines.add(line);
        }
        return line;
    }

    /** Number of lines printed so far. */
    public int size() {
        synchronized (lines) {
            return lines.size();
        }
    }

    /** Snapshot of all lines. */
    public List<ServerLine> lines() {
        synchronized (lines) {
            return ImmutableList.copyOf(lines);
        }
    }

    /**
     * Snapshot of the lines from index {@code from} on (to read what one operation printed).
     *
     * @throws IllegalArgumentException if {@code from} is negative or beyond the end
     */
    public List<ServerLine> linesFrom(int from) {
        synchronized (lines) {
            Preconditions.checkArgument(from >= 0 && from <= lines.size(),
                    "from is %s; allowed 0..%s (the current size)", from, lines.size());
            return ImmutableList.copyOf(lines.subList(from, lines.size()));
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
        return lines().stream().map(ServerLine::event).collect(ImmutableList.toImmutableList());
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
