package io.github.meshalloc.tracking.log;

import com.google.common.base.Preconditions;

/**
 * One line the server printed: its stream, kind, exact text (no newline) and the event it renders.
 *
 * <p>Models one {@code std::cout << ... << std::endl} (or {@code std::cerr}) of {@code MUM/allocation_server_poc.cpp}
 * / {@code MUM/allocation_server_enhanced.cpp}. Build it with {@link ServerLogWriter#line(LogEvent)}, which
 * guarantees {@code text} is the rendering of {@code event}.
 *
 * @param stream stdout or stderr (always {@code event.stream()})
 * @param kind   line kind (always {@code event.kind()})
 * @param text   the printed text
 * @param event  the line as data
 */
public record ServerLine(LogStream stream, LineKind kind, String text, LogEvent event) {

    /** Checks stream and kind agree with the event. */
    public ServerLine {
        Preconditions.checkNotNull(event, "event");
        Preconditions.checkNotNull(text, "text");
        Preconditions.checkArgument(kind == event.kind(), "kind %s does not match the event's kind %s", kind,
                event.kind());
        Preconditions.checkArgument(stream == event.stream(), "stream %s does not match the event's stream %s",
                stream, event.stream());
    }
}
