package io.github.meshalloc.tracking.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The byte fast path is sound: whenever it recognises a line, the String parser makes the equal event of it. */
class Utf8EventParserTest {

    private static final String[] TYPES = {"DRAM", "L1", "SYSTEM_MEMORY", "L1_SMALL", "TRACE"};
    private static final String[] NOISE = {"0", "9", "-", "x", "0x", " ", ")", "(", ",", "é", "✓", "\u0663", "F",
        "a", "12345678901234567890", "\uFFFD", "\t", "1", "00"};

    private final ServerLogParser strict = ServerLogParser.strict();
    private final ServerLogParser lenient = ServerLogParser.lenient();

    /** Fast result agrees with the String parser; returns the fast kind. */
    private LineKind check(String line) {
        byte[] bytes = ("<<" + line + ">>").getBytes(StandardCharsets.UTF_8);
        int from = 2;
        int to = bytes.length - 2;
        Utf8EventParser p = new Utf8EventParser();
        LineKind kind = p.parse(bytes, from, to);
        LogEvent slow = lenient.parseLine(line, 1);
        if (kind != null) {
            assertEquals(slow, p.event(), line);
            assertEquals(kind, slow.kind(), line);
            assertEquals(slow, strict.parseLine(line, 1), line);
        }
        return kind;
    }

    @Test
    void everySampleOfTheFastKindsIsRecognisedAsTheStringParserReadsIt() {
        int recognised = 0;
        for (Map.Entry<LogEvent, String> e : LogSamples.all().entrySet()) {
            LineKind kind = check(e.getValue());
            if (kind != null) {
                recognised++;
                assertEquals(e.getKey().kind(), kind);
            }
        }
        // AllocNew x2, FreePartial, FreeFinal, FreeE1, FreeE0, UnknownFree; the two u64-max AllocDups (20 digits)
        // are left to the String parser.
        assertTrue(recognised >= 7, "recognised " + recognised);
    }

    private static String randomLine(SplittableRandom r) {
        String pid = r.nextInt(5) == 0 ? "-" + r.nextInt(100) : Integer.toString(r.nextInt(1 << 22));
        String id = r.nextBoolean() ? "0x" + Long.toHexString(r.nextLong(1L << 40))
                : Long.toString(r.nextLong(1L << 40));
        String dev = Integer.toString(r.nextInt(12) - 2);
        String size = Long.toString(r.nextLong(1L << 33));
        switch (r.nextInt(7)) {
            case 0:
                return "✓ [PID " + pid + "] Allocated " + size + " bytes of " + TYPES[r.nextInt(TYPES.length)]
                        + " on device " + dev + " (buffer_id=" + id + ")";
            case 1:
                return "✓ [PID " + pid + "] Allocated " + size + " bytes of " + TYPES[r.nextInt(TYPES.length)]
                        + " on device " + dev + " (buffer_id=" + id + ", ref_count=" + r.nextInt(9) + ")";
            case 2:
                return "✗ [PID " + pid + "] Freed buffer " + id + " on device " + dev + " (" + size + " bytes, FINAL)";
            case 3:
                return "✗ [PID " + pid + "] Freed buffer " + id + " on device " + dev + " (" + size
                        + " bytes, ref_count=" + r.nextInt(9) + " remaining)";
            case 4:
                return "✗ [PID " + pid + "] Freed buffer " + id + " on device " + dev + " (" + size + " bytes)";
            case 5:
                return "✗ [PID " + pid + "] Freed buffer " + id + " (" + size + " bytes)";
            default:
                return "⚠ [PID " + pid + "] Deallocation for unknown buffer " + id + " on device " + dev
                        + " (allocated before tracking started)";
        }
    }

    /** Deletes, inserts or replaces a few characters (incl. non-ASCII ones and very long numbers). */
    private static String mutate(String line, SplittableRandom r) {
        StringBuilder sb = new StringBuilder(line);
        int edits = 1 + r.nextInt(3);
        for (int i = 0; i < edits; i++) {
            int at = r.nextInt(sb.length() + 1);
            switch (r.nextInt(4)) {
                case 0:
                    if (at < sb.length()) {
                        sb.deleteCharAt(at);
                    }
                    break;
                case 1:
                    sb.insert(at, NOISE[r.nextInt(NOISE.length)]);
                    break;
                case 2:
                    sb.setLength(Math.min(at, sb.length()));
                    break;
                default:
                    if (at < sb.length()) {
                        sb.setCharAt(at, NOISE[r.nextInt(NOISE.length)].charAt(0));
                    }
                    break;
            }
        }
        return sb.toString();
    }

    @Test
    void randomWellFormedLinesAreAllRecognisedAndAgree() {
        SplittableRandom r = new SplittableRandom(2024);
        for (int i = 0; i < 20_000; i++) {
            String line = randomLine(r);
            assertNotNull(check(line), line);
        }
    }

    @Test
    void randomlyDamagedLinesAgreeWhenRecognisedAndAreLeftToTheStringParserOtherwise() {
        SplittableRandom r = new SplittableRandom(7);
        int declined = 0;
        int malformed = 0;
        for (int i = 0; i < 50_000; i++) {
            String line = mutate(randomLine(r), r);
            if (check(line) == null) {
                declined++;
                if (lenient.parseLine(line, 1) instanceof LogEvent.Malformed) {
                    malformed++;
                }
            }
        }
        assertTrue(declined > 10_000, "declined " + declined);
        assertTrue(malformed > 5_000, "malformed " + malformed);
    }

    @Test
    void rareSpellingsAreLeftToTheStringParser() {
        List<String> lines = new ArrayList<>();
        lines.add("✓ [PID 1234567890] Allocated 4096 bytes of DRAM on device 0 (buffer_id=0x10)"); // 10-digit pid
        lines.add("✓ [PID 1] Allocated 18446744073709551615 bytes of DRAM on device 0 (buffer_id=0x10)");
        lines.add("✗ [PID 1] Freed buffer 0x10000000000000000 on device 0 (4096 bytes, FINAL)"); // 17 hex digits
        lines.add("✗ [PID 1] Freed buffer 0x1\u0663 on device 0 (4096 bytes, FINAL)"); // Arabic-Indic digit
        lines.add("✓ [PID 1] Allocated 4096 bytes of DRAM on device 0 (buffer_id=0x10) "); // trailing space
        lines.add("✓ Allocated 4194304 bytes of DRAM on device 0");
        lines.add("");
        for (String line : lines) {
            assertNull(check(line), line);
        }
    }

    @Test
    void uppercaseHexIsReadAsTheStringParserReadsIt() {
        assertEquals(LineKind.FREE_FINAL, check("✗ [PID 1] Freed buffer 0xABCdef on device 0 (4096 bytes, FINAL)"));
    }

    @Test
    void askingForTheEventOfAnUnrecognisedLineIsAnError() {
        Utf8EventParser p = new Utf8EventParser();
        byte[] b = "hello".getBytes(StandardCharsets.UTF_8);
        assertNull(p.parse(b, 0, b.length));
        assertThrows(IllegalStateException.class, p::event);
        assertThrows(IndexOutOfBoundsException.class, () -> p.parse(b, 2, 9));
    }
    /**
     * Only {@code bytes[from, to)} is read: every prefix of a fast-kind line, parsed in an array that ends where it
     * ends and as a range of the whole line's bytes, gives the same answer without reading past its end (a replayed
     * log's last line may be cut anywhere, and {@link ByteLineReader} hands over ranges of a larger buffer).
     */
    @Test
    void onlyTheRangeIsReadSoEveryCutLineGivesTheSameAnswerAloneAndInsideALongerArray() {
        int cuts = 0;
        for (String line : LogSamples.all().values()) {
            byte[] whole = line.getBytes(StandardCharsets.UTF_8);
            if (new Utf8EventParser().parse(whole, 0, whole.length) == null) {
                continue;
            }
            for (int k = 0; k <= whole.length; k++) {
                byte[] alone = Arrays.copyOf(whole, k);
                Utf8EventParser a = new Utf8EventParser();
                Utf8EventParser b = new Utf8EventParser();
                LineKind kindAlone = a.parse(alone, 0, k);
                LineKind kindInside = b.parse(whole, 0, k);
                assertEquals(kindAlone, kindInside, line + " cut at " + k);
                if (kindAlone != null) {
                    assertEquals(a.event(), b.event(), line + " cut at " + k);
                    assertEquals(ServerLogParser.strict().parseLine(new String(alone, StandardCharsets.UTF_8)),
                            a.event(), line + " cut at " + k);
                }
                cuts++;
            }
        }
        assertTrue(cuts > 500, "cuts " + cuts);
    }

    /**
     * An empty number, id or TYPE field is no event: the String parser reports the line malformed, and the fast
     * path declines it rather than reading a stale or default value for the missing field.
     */
    @Test
    void anEmptyFieldIsDeclinedAndTheLineIsMalformed() {
        Utf8EventParser p = new Utf8EventParser();
        // A recognised line first, so that stale values from it are there to be picked up.
        byte[] first = "✓ [PID 5] Allocated 64 bytes of L1 on device 3 (buffer_id=9, ref_count=2)"
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(LineKind.ALLOC_DUP, p.parse(first, 0, first.length));
        for (String line : List.of(
                "✗ [PID 1] Freed buffer 5 ( bytes)",
                "✗ [PID 1] Freed buffer 5 on device 0 ( bytes, FINAL)",
                "✓ [PID 1] Allocated 64 bytes of DRAM on device 0 (buffer_id=)",
                "✓ [PID 1] Allocated 64 bytes of DRAM on device 0 (buffer_id=0x)",
                "✗ [PID 1] Freed buffer  on device 0 (64 bytes, FINAL)",
                "✓ [PID 1] Allocated 64 bytes of  on device 0 (buffer_id=1)",
                "✓ [PID ] Allocated 64 bytes of DRAM on device 0 (buffer_id=1)",
                "⚠ [PID 1] Deallocation for unknown buffer 0x10 on device  (allocated before tracking started)")) {
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            p.parse(b, 0, b.length);
            assertNull(p.kind(), line);
            assertInstanceOf(LogEvent.Malformed.class, lenient.parseLine(line, 1), line);
        }
    }

    /**
     * The longest spellings the fast path takes (javadoc: 10+ digits in an int field, 19+ in a u64 and a 17th hex
     * digit are left to the String parser): 9-digit ints, 18-digit u64s, 16 hex digits, hex digits A-F in either case.
     */
    @Test
    void theLongestUsualSpellingsAreRecognised() {
        assertEquals(LineKind.ALLOC_NEW, check("✓ [PID 123456789] Allocated 4096 bytes of DRAM on device -99999999 "
                + "(buffer_id=0x10)"));
        assertEquals(LineKind.FREE_PARTIAL, check("✗ [PID -123456789] Freed buffer 999999999999999999 on device 0 "
                + "(123456789012345678 bytes, ref_count=999999999 remaining)"));
        assertEquals(LineKind.ALLOC_DUP, check("✓ [PID 1] Allocated 1 bytes of TRACE on device 1 "
                + "(buffer_id=0xfedcba9876543210, ref_count=1)"));
        assertEquals(LineKind.UNKNOWN_FREE, check("⚠ [PID 1] Deallocation for unknown buffer 0xFEDCBA9876543210 on "
                + "device 0 (allocated before tracking started)"));
        assertEquals(LineKind.FREE_E0, check("✗ [PID 1] Freed buffer 0xAbCdEf (1 bytes)"));
    }

    /** The fields read back what {@link Utf8EventParser#event()} holds (the replay tool reads them directly). */
    @Test
    void theFieldsAreThoseOfTheEvent() {
        Utf8EventParser p = new Utf8EventParser();
        byte[] dup = "✓ [PID -5] Allocated 12288 bytes of L1_SMALL on device 7 (buffer_id=0x3ffff800, ref_count=4)"
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(LineKind.ALLOC_DUP, p.parse(dup, 0, dup.length));
        assertEquals(LineKind.ALLOC_DUP, p.kind());
        assertEquals(new LogEvent.AllocDup(p.pid(), p.size(), p.bufferType(), p.device(), p.bufferId(),
                p.idFormat(), p.refCount()), p.event());
        assertEquals(List.of(-5, 12288L, 3, 7, 0x3ffff800L, IdFormat.HEX, 4), List.of(p.pid(), p.size(),
                p.bufferType(), p.device(), p.bufferId(), p.idFormat(), p.refCount()));
        byte[] e0 = "✗ [PID 12345] Freed buffer 77 (1048576 bytes)".getBytes(StandardCharsets.UTF_8);
        assertEquals(LineKind.FREE_E0, p.parse(e0, 0, e0.length));
        assertEquals(List.of(12345, 1048576L, 0, 77L, IdFormat.DECIMAL), List.of(p.pid(), p.size(), p.device(),
                p.bufferId(), p.idFormat()));
        assertEquals(new LogEvent.FreeE0(12345, 77, IdFormat.DECIMAL, 1048576), p.event());
    }
}
