package io.github.meshalloc.tracking.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class GFormatTest {

    @Test
    void referenceExamplesComeOutExactly() {
        assertEquals("4096", GFormat.g(4194304 / 1024.0));
        assertEquals("14408", GFormat.g(14408));
        assertEquals("0.199219", GFormat.g(208896 / 1048576.0));
        assertEquals("0.0546875", GFormat.g(57344 / 1048576.0));
        assertEquals("0.0449219", GFormat.g(47104 / 1048576.0));
        assertEquals("1.5", GFormat.g(1.5));
        assertEquals("4.1943e+06", GFormat.g(4.0 * 1024 * 1024 * 1024 / 1024.0));
        assertEquals("4.1943e+06", GFormat.kb(4L << 30));
    }

    @Test
    void exponentFormAndEdges() {
        assertEquals("0", GFormat.g(0.0));
        assertEquals("-0", GFormat.g(-0.0));
        assertEquals("0.0001", GFormat.g(0.0001));
        assertEquals("1e-05", GFormat.g(0.00001));
        assertEquals("100000", GFormat.g(100000));
        assertEquals("1e+06", GFormat.g(999999.5));
        assertEquals("999999", GFormat.g(999999.4));
        assertEquals("1.23457e+06", GFormat.g(1234567));
        assertEquals("1e+100", GFormat.g(1e100));
        assertEquals("-2.5", GFormat.g(-2.5));
        assertEquals("inf", GFormat.g(Double.POSITIVE_INFINITY));
        assertEquals("nan", GFormat.g(Double.NaN));
    }

    @Test
    void unsignedBytesWrapToHugeFiguresLikeTheCbCounter() {
        // 0 - 1 MiB as uint64, printed in MB: ~1.76e+13 (reference 3.4)
        assertEquals("1.75922e+13", GFormat.mb(-1048576L));
        assertEquals("1.75922e+13", GFormat.mb(-1L));
    }

    @Test
    void fixedRoundsTheExactBinaryValueHalfToEven() {
        assertEquals("0.12", GFormat.fixed(0.125, 2));
        assertEquals("0.38", GFormat.fixed(0.375, 2));
        assertEquals("2.67", GFormat.fixed(2.675, 2));
        assertEquals("1.00", GFormat.fixed(1.005, 2));
        assertEquals("12.00", GFormat.fixed(12, 2));
        assertEquals("-0.00", GFormat.fixed(-0.001, 2));
        assertThrows(IllegalArgumentException.class, () -> GFormat.fixed(1, -1));
    }

    @Test
    void fixedAcceptsZeroToTwentyDecimalsInclusive() {
        // glibc: printf("%.0f", 2.5) = "2", "%.0f" of 3.5 = "4", "%.20f" of 0.1 = "0.10000000000000000555"
        assertEquals("2", GFormat.fixed(2.5, 0));
        assertEquals("4", GFormat.fixed(3.5, 0));
        assertEquals("0.10000000000000000555", GFormat.fixed(0.1, 20));
        assertEquals("0.33333333333333331483", GFormat.fixed(1.0 / 3, 20));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GFormat.fixed(1, 21));
        assertTrue(e.getMessage().contains("21"), e.getMessage());
    }

    @Test
    void matchesGlibcPrintfOnReferenceVectors() throws IOException {
        List<String[]> rows = new ArrayList<>();
        try (InputStream in = Objects.requireNonNull(getClass().getResourceAsStream("glibc-format-vectors.csv"));
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                rows.add(line.split(",", -1));
            }
        }
        assertTrue(rows.size() > 1000, "vector file has " + rows.size() + " rows");
        for (String[] row : rows) {
            double x = Double.longBitsToDouble(Long.parseUnsignedLong(row[0], 16));
            assertEquals(row[1], GFormat.g(x), "%g of " + row[0]);
            assertEquals(row[2], GFormat.fixed(x, 2), "%.2f of " + row[0]);
            assertEquals(row[3], GFormat.fixed(x, 1), "%.1f of " + row[0]);
        }
    }

    @Property(tries = 500)
    void unsignedToDoubleRoundsToNearestEven(@ForAll long bits) {
        // BigDecimal.doubleValue is correctly rounded (nearest, ties to even), like the C++ conversion
        BigDecimal exact = new BigDecimal(Long.toUnsignedString(bits));
        assertEquals(exact.doubleValue(), GFormat.unsignedToDouble(bits));
    }

    @Property(tries = 500)
    void canonicalValuesPrintTheSameAndAreFixedPoints(@ForAll double x) {
        double c = GFormat.canonical(x);
        assertEquals(GFormat.g(x), GFormat.g(c));
        if (Double.isFinite(x)) {
            assertEquals(c, GFormat.canonical(c));
        }
    }

    @Test
    void fixedRoundsHalfToEvenOnTheBinaryValueAndSpellsSpecialValuesLikeGlibc() {
        assertEquals("0.12", GFormat.fixed(0.125, 2));
        assertEquals("0.38", GFormat.fixed(0.375, 2));
        assertEquals("2", GFormat.fixed(2.5, 0));
        assertEquals("1.50", GFormat.fixed(1.5, 2));
        assertEquals("nan", GFormat.fixed(Double.NaN, 2));
        assertEquals("inf", GFormat.fixed(Double.POSITIVE_INFINITY, 1));
        assertEquals("-inf", GFormat.fixed(Double.NEGATIVE_INFINITY, 1));
        assertEquals("-0.00", GFormat.fixed(-0.0, 2));
        assertEquals("-0.00", GFormat.fixed(-0.001, 2));
        assertEquals("0.00", GFormat.fixed(0.0, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GFormat.fixed(1, 21));
        assertTrue(e.getMessage().contains("21") && e.getMessage().contains("0..20"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GFormat.fixed(1, -1));
    }

    @Test
    void canonicalIsWhatThePrintedTextParsesBackToAndKeepsNanAndInfinities() {
        assertEquals(0.199219, GFormat.canonical(204.0 * 1024 / 1048576.0));
        assertEquals(4194300.0, GFormat.canonical(4194304.0));
        assertTrue(Double.isNaN(GFormat.canonical(Double.NaN)));
        assertEquals(Double.POSITIVE_INFINITY, GFormat.canonical(Double.POSITIVE_INFINITY));
        assertEquals(Double.NEGATIVE_INFINITY, GFormat.canonical(Double.NEGATIVE_INFINITY));
    }

    @Test
    void idsPrintAsUnsignedDecimalOrLowercaseHex() {
        assertEquals("2560032", IdFormat.DECIMAL.render(2560032));
        assertEquals("0x271020", IdFormat.HEX.render(0x271020));
        assertEquals("18446744073709551615", IdFormat.DECIMAL.render(-1L));
        assertEquals("0xffffffffffffffff", IdFormat.HEX.render(-1L));
    }

    @Test
    void perEventKindsAreTheReferenceTableLinesAndBlockLinesAreNot() {
        for (LineKind k : new LineKind[] {LineKind.ALLOC_NEW, LineKind.FREE_FINAL, LineKind.UNKNOWN_FREE,
            LineKind.BAD_TYPE, LineKind.CB_ALLOC, LineKind.KERNEL_UNLOAD}) {
            assertTrue(k.isPerEvent(), k.name());
        }
        for (LineKind k : new LineKind[] {LineKind.CONSTANT, LineKind.HISTORY_LINE, LineKind.SWEEP_REMOVED,
            LineKind.STATS_BYTES, LineKind.DUMP_BUFFER, LineKind.DETECTED_DEVICE}) {
            assertTrue(!k.isPerEvent(), k.name());
        }
        assertEquals(LogStream.STDERR, LineKind.BAD_TYPE.stream());
        assertEquals(LogStream.STDOUT, LineKind.ALLOC_NEW.stream());
    }
}
