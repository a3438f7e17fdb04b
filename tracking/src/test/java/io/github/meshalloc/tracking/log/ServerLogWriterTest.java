package io.github.meshalloc.tracking.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ServerLogWriterTest {

    @Test
    void everySampleRendersExactly() {
        for (Map.Entry<LogEvent, String> e : LogSamples.all().entrySet()) {
            assertEquals(e.getValue(), ServerLogWriter.render(e.getKey()), e.getKey().toString());
        }
    }

    @Test
    void samplesCoverEveryKindTheServerPrints() {
        Set<LineKind> covered = EnumSet.noneOf(LineKind.class);
        LogSamples.all().keySet().forEach(e -> covered.add(e.kind()));
        Set<LineKind> missing = EnumSet.complementOf(EnumSet.copyOf(covered));
        assertEquals(EnumSet.of(LineKind.MALFORMED), missing);
    }

    @Test
    void glyphsAreTheReferenceCodePoints() {
        String alloc = ServerLogWriter.render(new LogEvent.AllocNew(1, 1, 0, 0, 1, IdFormat.DECIMAL));
        assertEquals(0x2713, alloc.codePointAt(0));
        String warn = ServerLogWriter.render(new LogEvent.UnknownFree(1, 1, IdFormat.DECIMAL, 0));
        assertEquals(0x26A0, warn.codePointAt(0));
        assertEquals(' ', warn.charAt(1));
        String s5 = ServerLogWriter.render(new LogEvent.BadDevice(9));
        assertEquals("\u26A0\uFE0F  Invalid", s5.substring(0, 11));
        assertEquals(0x2717, ServerLogWriter.render(new LogEvent.FreeE0(1, 1, IdFormat.DECIMAL, 1)).codePointAt(0));
    }

    @Test
    void streamsFollowTheCppCerrStatements() {
        assertEquals(LogStream.STDERR, new LogEvent.BadType(1, 9, 1, 0).stream());
        assertEquals(LogStream.STDERR, new LogEvent.UnknownType(4).stream());
        assertEquals(LogStream.STDOUT, new LogEvent.UnknownFree(1, 1, IdFormat.HEX, 0).stream());
    }

    @Test
    void renderAllTerminatesEveryLine() {
        assertEquals("Device 0:\n\nTotal remaining buffers: 1\n", ServerLogWriter.renderAll(List.of(
                new LogEvent.DumpDevice(0), new LogEvent.Constant(ConstantLine.BLANK),
                new LogEvent.TotalRemaining(1))));
    }

    @Test
    void eventsRejectValuesNoLineCanShow() {
        assertThrows(IllegalArgumentException.class, () -> new LogEvent.AllocNew(1, 1, 5, 0, 1, IdFormat.HEX));
        assertThrows(IllegalArgumentException.class, () -> new LogEvent.HistoryLine(3, LogEvent.HistoryKind.FREE,
                1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new LogEvent.CbAlloc(0, Double.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> new LogEvent.Other("two\nlines"));
        assertThrows(IllegalArgumentException.class,
                () -> new LogEvent.StatsBytesKb(LogEvent.StatsLabel.TOTAL, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new LogEvent.TotalTracked(-1));
    }

    @Test
    void serverLineMustAgreeWithItsEvent() {
        LogEvent e = new LogEvent.UnknownType(4);
        assertThrows(IllegalArgumentException.class,
                () -> new ServerLine(LogStream.STDOUT, LineKind.UNKNOWN_TYPE, "Unknown message type: 4", e));
        assertThrows(IllegalArgumentException.class,
                () -> new ServerLine(LogStream.STDERR, LineKind.BAD_SIZE, "Unknown message type: 4", e));
        ServerLine l = ServerLogWriter.line(e);
        assertEquals("Unknown message type: 4", l.text());
    }

    @Test
    void serverLogKeepsPrintOrderAndSlices() {
        ServerLog log = new ServerLog();
        log.append(new LogEvent.UnknownType(4));
        log.append(new LogEvent.Constant(ConstantLine.BLANK));
        log.append(new LogEvent.ActiveAllocations(0));
        assertEquals(List.of("Unknown message type: 4", "", "  Active allocations: 0"), log.texts());
        assertEquals(List.of("Unknown message type: 4"), log.texts(LogStream.STDERR));
        assertEquals(2, log.linesFrom(1).size());
        assertEquals("Unknown message type: 4\n\n  Active allocations: 0\n", log.render());
        assertThrows(IllegalArgumentException.class, () -> log.linesFrom(4));
    }
    /** A line break is refused wherever it stands in a free-text field, first character included. */
    @Test
    void aLineBreakAnywhereInFreeTextIsRefused() {
        for (String text : List.of("\nx", "\rx", "x\n", "x\ry", "\n", "\r")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LogEvent.Other(text),
                    text);
            assertTrue(e.getMessage().startsWith("text must be a single line but contains a line break"),
                    e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> new LogEvent.DeviceQueryFailed(0, text));
            assertThrows(IllegalArgumentException.class,
                    () -> new LogEvent.SocDetail(LogEvent.SocDetailLabel.ARCH, text));
        }
        assertEquals("", ServerLogWriter.render(new LogEvent.Other("")));
    }
}
