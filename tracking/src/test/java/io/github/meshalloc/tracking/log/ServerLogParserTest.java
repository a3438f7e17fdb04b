package io.github.meshalloc.tracking.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class ServerLogParserTest {

    private final ServerLogParser strict = ServerLogParser.strict();
    private final ServerLogParser lenient = ServerLogParser.lenient();

    @Test
    void everySampleParsesBackToItsEvent() {
        for (Map.Entry<LogEvent, String> e : LogSamples.all().entrySet()) {
            assertEquals(e.getKey(), strict.parseLine(e.getValue()), e.getValue());
        }
    }

    @Test
    void seedServerLinesParseToEvents() {
        assertEquals(new LogEvent.AllocNew(1714322, 4194304, 0, 0, 2560032, IdFormat.DECIMAL),
                strict.parseLine("✓ [PID 1714322] Allocated 4194304 bytes of DRAM on device 0 (buffer_id=2560032)"));
        assertEquals(new LogEvent.AllocNew(1714322, 4194304, 0, 1, 2560032, IdFormat.DECIMAL),
                strict.parseLine("✓ [PID 1714322] Allocated 4194304 bytes of DRAM on device 1 (buffer_id=2560032)"));
        assertEquals(new LogEvent.FreeE1(1714322, 3700768, IdFormat.DECIMAL, 0, 1048576),
                strict.parseLine("✗ [PID 1714322] Freed buffer 3700768 on device 0 (1048576 bytes)"));
        assertEquals(new LogEvent.FreeE1(1714322, 3610656, IdFormat.DECIMAL, 0, 524288),
                strict.parseLine("✗ [PID 1714322] Freed buffer 3610656 on device 0 (524288 bytes)"));
        assertEquals(new LogEvent.FreeE1(1714322, 3655712, IdFormat.DECIMAL, 0, 524288),
                strict.parseLine("✗ [PID 1714322] Freed buffer 3655712 on device 0 (524288 bytes)"));
        assertEquals(new LogEvent.FreeE0(12345, 1, IdFormat.DECIMAL, 1048576),
                strict.parseLine("✗ [PID 12345] Freed buffer 1 (1048576 bytes)"));
        assertEquals(new LogEvent.UnknownFreeLegacy(2699296),
                strict.parseLine("⚠ Warning: Deallocation for unknown buffer 2699296"));
        assertEquals(new LogEvent.KernelLoad(io.github.meshalloc.tracking.wire.KernelKind.APPLICATION, 0, 2.5, 382.2),
                strict.parseLine("✓ [KERNEL_LOAD] Application kernel on Device 0: +2.5 MB (Total: 382.2 MB)"));
        assertEquals(new LogEvent.CbFree(0, 0, 21.7494),
                strict.parseLine("✗ [CB_FREE] Device 0: -0 MB (Total: 21.7494 MB)"));
    }

    @Test
    void seedParaphrasesWithoutPidOrInOtherShapesAreOtherLines() {
        for (String line : List.of(
                "✓ Allocated 4194304 bytes of DRAM on device 0",
                "✗ Freed buffer 2560032 on device 0 (4194304 bytes)",
                "Device 0: Buffers: 18, DRAM: 14790656 bytes, L1: 22528 bytes",
                "Device 0: 14.11 MB DRAM, 22 KB L1",
                "Active allocations: 59",
                "  Active allocations: 0  ← SUCCESS!",
                "  - DRAM: 104857600 bytes (104MB)",
                "📊 Final Statistics:",
                "📊 Device X: DRAM 0.0 MB, L1 0.0 KB",
                "📤 Deallocation: buffer 0x... (device X)",
                "✓ Device 0 (backing buffer) ← Tracked",
                "...")) {
            assertEquals(new LogEvent.Other(line), strict.parseLine(line), line);
        }
    }

    @Test
    void seedParaphrasesThatStartLikeEventsAreMalformed() {
        List<String> paraphrases = List.of(
                "✓ [PID 1044345] Allocated 16 buffers on Device 0",
                "✗ [PID 1044345] Freed buffer 1-16 (all buffers)",
                "⚠ Warning: Deallocation for unknown buffer (multiple)");
        for (String line : paraphrases) {
            LogParseException e = assertThrows(LogParseException.class, () -> strict.parseLine(line, 42), line);
            assertEquals(42, e.lineNumber());
            assertEquals(line, e.line());
            assertTrue(e.getMessage().startsWith("line 42: ") && e.getMessage().endsWith(line), e.getMessage());
            LogEvent m = lenient.parseLine(line, 42);
            assertInstanceOf(LogEvent.Malformed.class, m);
            assertEquals(line, ((LogEvent.Malformed) m).text());
        }
    }

    @Test
    void everySeedFileLineParsesLenientlyAndOnlyTheKnownParaphrasesFailStrictly() throws IOException {
        Path seeds = Paths.get("..", "..", "shared", "seeds");
        Assumptions.assumeTrue(Files.isDirectory(seeds), "seed directory not beside the repository");
        List<String> strictFailures = new ArrayList<>();
        int lines = 0;
        try (Stream<Path> files = Files.list(seeds)) {
            for (Path f : (Iterable<Path>) files.sorted()::iterator) {
                List<String> text = Files.readAllLines(f, StandardCharsets.UTF_8);
                lenient.parseLines(text);
                for (int i = 0; i < text.size(); i++) {
                    lines++;
                    try {
                        strict.parseLine(text.get(i), i + 1);
                    } catch (LogParseException e) {
                        strictFailures.add(e.line());
                    }
                }
            }
        }
        assertTrue(lines > 400, "read " + lines + " seed lines");
        assertEquals(List.of("⚠ Warning: Deallocation for unknown buffer (multiple)",
                "✓ [PID 1044345] Allocated 16 buffers on Device 0",
                "✗ [PID 1044345] Freed buffer 1-16 (all buffers)"), strictFailures);
    }

    @Test
    void malformedEventLinesNameTheProblem() {
        Map<String, String> cases = Map.of(
                "✓ [PID 99999999999] Allocated 1 bytes of DRAM on device 0 (buffer_id=1)", "32-bit",
                "✓ [PID 1] Allocated 1 bytes of VRAM on device 0 (buffer_id=1)", "VRAM",
                "✓ [PID 1] Allocated 1 bytes of DRAM on device 0 (buffer_id=0x12345678901234567)", "64 bits",
                "✓ [PID 1] Allocated 1 bytes of DRAM on device 0 (buffer_id=18446744073709551616)", "64 bits",
                "✗ [PID 1] Freed buffer 5 on device 0 (12 bytes, FINAL) extra", "trailing",
                "⚠ [PID 1] Deallocation for unknown buffer 5 on device 0 (never tracked or allocated before server "
                        + "started)", "hex",
                "Unknown message type: four", "number",
                "⚠️  Invalid size -5 - ignoring message", "unsigned");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            LogParseException e = assertThrows(LogParseException.class, () -> strict.parseLine(c.getKey(), 7),
                    c.getKey());
            assertTrue(e.getMessage().contains(c.getValue()), e.getMessage());
            assertTrue(e.getMessage().contains("line 7"), e.getMessage());
        }
    }

    @Test
    void acceptsBothIdFormatsAndRemembersWhich() {
        LogEvent dec = strict.parseLine("✗ [PID 1] Freed buffer 1073739776 on device 4 (12288 bytes, FINAL)");
        LogEvent hex = strict.parseLine("✗ [PID 1] Freed buffer 0x3ffff800 on device 4 (12288 bytes, FINAL)");
        assertEquals(new LogEvent.FreeFinal(1, 1073739776L, IdFormat.DECIMAL, 4, 12288), dec);
        assertEquals(new LogEvent.FreeFinal(1, 1073739776L, IdFormat.HEX, 4, 12288), hex);
        assertEquals(new LogEvent.FreeFinal(1, 0xABCDEFL, IdFormat.HEX, 4, 1),
                strict.parseLine("✗ [PID 1] Freed buffer 0xABCDEF on device 4 (1 bytes, FINAL)"));
    }

    @Test
    void parsesAWholeTextWithLineNumbers() throws IOException {
        String text = "🚀 Allocation Server started\n"
                + "✓ [PID 7] Allocated 64 bytes of TRACE on device 2 (buffer_id=0x40)\n"
                + "✓ [PID 7] Allocated 64 bytes of TRACE on device 2 (buffer_id=0x40\n";
        LogParseException e = assertThrows(LogParseException.class, () -> strict.parse(text));
        assertEquals(3, e.lineNumber());
        List<LogEvent> events = lenient.parse(text);
        assertEquals(3, events.size());
        assertEquals(new LogEvent.Constant(ConstantLine.SERVER_STARTED), events.get(0));
        assertInstanceOf(LogEvent.AllocNew.class, events.get(1));
        assertInstanceOf(LogEvent.Malformed.class, events.get(2));
        assertEquals(events, lenient.parse(new BufferedReader(new StringReader(text))));
    }

    @Test
    void theExceptionKeepsTheReasonApartFromTheLineAndEachParserItsMode() {
        String line = "✓ [PID 7] Allocated 64 bytes of TRACE on device 2 (buffer_id=0x40";
        LogParseException e = assertThrows(LogParseException.class, () -> strict.parseLine(line, 3));
        assertEquals("line 3: " + e.reason() + ": " + line, e.getMessage());
        assertTrue(e.reason().startsWith("malformed "), e.reason());
        assertEquals(ParseMode.STRICT, strict.mode());
        assertEquals(ParseMode.LENIENT, lenient.mode());
    }

    @Test
    void constantLinesAreFoundByTheirExactTextOnly() {
        for (ConstantLine c : ConstantLine.values()) {
            assertEquals(java.util.Optional.of(c), ConstantLine.ofText(c.text()), c.name());
        }
        assertEquals(java.util.Optional.empty(), ConstantLine.ofText("🚀 Allocation Server started "));
        assertEquals(java.util.Optional.empty(), ConstantLine.ofText("no such line"));
    }

    @Test
    void lenientParsingKeepsABrokenEventLineAsMalformedWithItsKind() {
        LogEvent m = lenient.parseLine("✓ [PID 7] Allocated 64 bytes of TRACE on device 2 (buffer_id=0x40", 1);
        assertEquals(LineKind.MALFORMED, m.kind());
        assertEquals(LogStream.STDOUT, m.stream());
    }

    /**
     * Every grammar ends at the end of the line: a sample with a trailing character is not its event. Per-event
     * lines are then malformed (strict throws), structural lines {@code Other}; only the two forms whose last field
     * is free text ({@code Soc detail}, {@code Could not query device}) and unmatched lines absorb it.
     */
    @Test
    void aTrailingCharacterAfterAnyGrammarIsNotThatEvent() {
        int checked = 0;
        for (Map.Entry<LogEvent, String> e : LogSamples.all().entrySet()) {
            LogEvent event = e.getKey();
            if (event instanceof LogEvent.SocDetail || event instanceof LogEvent.DeviceQueryFailed
                    || event instanceof LogEvent.Other || event instanceof LogEvent.Constant) {
                continue;
            }
            String bad = e.getValue() + "X";
            LogEvent got = lenient.parseLine(bad, 4);
            if (got instanceof LogEvent.Malformed) {
                LogParseException ex = assertThrows(LogParseException.class, () -> strict.parseLine(bad, 4), bad);
                assertEquals(4, ex.lineNumber());
            } else {
                assertEquals(new LogEvent.Other(bad), got, bad);
                assertEquals(new LogEvent.Other(bad), strict.parseLine(bad, 4), bad);
            }
            checked++;
        }
        assertTrue(checked >= 55, "samples checked: " + checked);
    }

    @Test
    void aReaderIsNumberedFromOneInStrictErrors() {
        String text = "🚀 Allocation Server started\n\n✗ [PID 7] Freed buffer 9 (64 bytes\n";
        LogParseException e = assertThrows(LogParseException.class,
                () -> strict.parse(new BufferedReader(new StringReader(text))));
        assertEquals(3, e.lineNumber());
        assertEquals("✗ [PID 7] Freed buffer 9 (64 bytes", e.line());
    }
    /**
     * The reason says where the line stops matching, as a 1-based column, and a number that is missing is reported
     * as missing, not as too big.
     */
    @Test
    void theReasonNamesTheOneBasedColumnAndAMissingNumberAsMissing() {
        String prefix = "Unknown message type: ";
        LogParseException e = assertThrows(LogParseException.class,
                () -> strict.parseLine(prefix + "four", 1));
        assertTrue(e.reason().endsWith("expected a number at column " + (prefix.length() + 1)), e.reason());
        String noSize = "⚠️  Invalid size  - ignoring message";
        LogParseException missing = assertThrows(LogParseException.class, () -> strict.parseLine(noSize, 1));
        assertTrue(missing.reason().contains("expected an unsigned number at column "
                + ("⚠️  Invalid size ".length() + 1)), missing.reason());
    }

    /**
     * A line cut right after the exponent letter of a figure (a log whose writer was killed mid-line) is a broken line
     * like any other: malformed if it started like an event, {@code Other} if not; the parser never fails on it with
     * anything but {@link LogParseException}.
     */
    @Test
    void aLineCutRightAfterAnExponentLetterIsBrokenNotACrash() {
        String event = "✓ [CB_ALLOC] Device 0: +1e";
        assertInstanceOf(LogEvent.Malformed.class, lenient.parseLine(event, 1));
        assertThrows(LogParseException.class, () -> strict.parseLine(event, 1));
        for (String structural : List.of("    Total: 1e", "  │   Size:      1e")) {
            assertEquals(new LogEvent.Other(structural), strict.parseLine(structural, 1), structural);
        }
    }

    /**
     * Writer then parser is the identity on every event the records admit, including figures with a sign. The servers
     * never print one (their figures are unsigned byte counts scaled to MB or KB, reference section 4), but a record
     * may hold any finite figure and {@link GFormat#g} prints its sign.
     */
    @Test
    void figuresWithASignRoundTrip() {
        for (LogEvent e : List.of(new LogEvent.StatsKb(LogEvent.StatsLabel.TOTAL, -2.5),
                new LogEvent.CbAlloc(0, -0.0, -1e-05), new LogEvent.KernelSizeLine(-56),
                new LogEvent.DumpBuffer(0x40, -12, 1, 1))) {
            String line = ServerLogWriter.render(e);
            assertEquals(e, strict.parseLine(line), line);
        }
    }

    /**
     * A kernel's age in the dump is a signed 64-bit count of seconds, so every value of a Java {@code long} parses,
     * the 19-digit ones included. A 20th digit, or a 19-digit value past 2^63 - 1, makes the box line structural
     * text ({@code Other}, as for any box line that does not match), never an age that wrapped around.
     * (Before this test only the random round-trip property reached 19 digits.)
     */
    @Test
    void aKernelAgeTakesEverySigned64BitValueAndNoTwentiethDigit() {
        for (long age : new long[] {Long.MAX_VALUE, Long.MIN_VALUE, 1_000_000_000_000_000_000L, -1, 0}) {
            LogEvent e = new LogEvent.KernelAgeLine(age);
            String line = ServerLogWriter.render(e);
            assertEquals(e, strict.parseLine(line), line);
        }
        String template = ServerLogWriter.render(new LogEvent.KernelAgeLine(7));
        assertTrue(template.endsWith(" 7 seconds"), template);
        for (String figure : List.of("10000000000000000000", "9223372036854775808", "-9223372036854775809")) {
            String line = template.replace(" 7 seconds", " " + figure + " seconds");
            assertEquals(new LogEvent.Other(line), strict.parseLine(line, 1), line);
        }
    }
}
