package io.github.meshalloc.tracking.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Lines end where BufferedReader.readLine ends them, whatever the chunk boundaries. */
class ByteLineReaderTest {

    private static List<String> viaReader(byte[] bytes) throws IOException {
        // ISO-8859-1 maps bytes to chars one to one: compares line splitting alone.
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new ByteArrayInputStream(bytes),
                StandardCharsets.ISO_8859_1))) {
            for (String l = r.readLine(); l != null; l = r.readLine()) {
                out.add(l);
            }
        }
        return out;
    }

    private static List<String> viaBytes(byte[] bytes, int chunk) throws IOException {
        List<String> out = new ArrayList<>();
        try (ByteLineReader r = new ByteLineReader(new ByteArrayInputStream(bytes), chunk)) {
            while (r.next()) {
                out.add(new String(r.buffer(), r.start(), r.end() - r.start(), StandardCharsets.ISO_8859_1));
            }
            assertFalse(r.next(), "stays at the end");
        }
        return out;
    }

    @Test
    void terminatorsAsBufferedReaderSplitsThem() throws IOException {
        String[] cases = {"", "a", "a\n", "a\r", "a\r\n", "\n", "\r\n", "\r", "\n\n", "\r\r", "\r\n\r\n",
            "a\n\rb", "a\r\rb\n", "abc\r\ndef", "abc\r\ndef\r", "x\n\n\ny"};
        for (String c : cases) {
            byte[] b = c.getBytes(StandardCharsets.ISO_8859_1);
            for (int chunk : new int[] {1, 2, 3, 64}) {
                assertEquals(viaReader(b), viaBytes(b, chunk), "'" + c.replace("\r", "\\r").replace("\n", "\\n")
                        + "' chunk " + chunk);
            }
        }
    }

    @Test
    void randomBytesSplitAsBufferedReaderSplitsThem() throws IOException {
        SplittableRandom r = new SplittableRandom(11);
        byte[] alphabet = {'\n', '\r', 'a', 'b', ' ', (byte) 0xE2, (byte) 0x9C, (byte) 0x93, (byte) 0xFF, 0};
        for (int i = 0; i < 2000; i++) {
            byte[] b = new byte[r.nextInt(300)];
            for (int j = 0; j < b.length; j++) {
                b[j] = alphabet[r.nextInt(alphabet.length)];
            }
            int chunk = 1 + r.nextInt(40);
            assertEquals(viaReader(b), viaBytes(b, chunk), Arrays.toString(b) + " chunk " + chunk);
        }
    }

    @Test
    void aLineLongerThanTheChunkGrowsTheBuffer() throws IOException {
        String longLine = "x".repeat(10_000);
        byte[] b = (longLine + "\r\nshort\n" + longLine).getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(List.of(longLine, "short", longLine), viaBytes(b, 16));
    }

    @Test
    void decodingIsStrictUtf8() throws IOException {
        byte[] b = "✓ ok é\n".getBytes(StandardCharsets.UTF_8);
        byte[] bad = Arrays.copyOf(b, b.length + 3);
        bad[b.length] = (byte) 0xE2;
        bad[b.length + 1] = (byte) 0x9C; // truncated sequence
        bad[b.length + 2] = '\n';
        try (ByteLineReader r = new ByteLineReader(new ByteArrayInputStream(bad), 4)) {
            r.next();
            assertEquals("✓ ok é", r.decode());
            r.next();
            assertThrows(CharacterCodingException.class, r::decode);
        }
    }

    @Test
    void aNonPositiveChunkIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ByteLineReader(new ByteArrayInputStream(new byte[0]), 0));
        assertEquals("chunk 0 must be positive", e.getMessage());
    }
    /** Closing the reader closes the stream it reads (it owns it, as a {@code BufferedReader} does). */
    @Test
    void closingTheReaderClosesItsStream() throws IOException {
        boolean[] closed = {false};
        InputStream in = new ByteArrayInputStream("a\n".getBytes(StandardCharsets.ISO_8859_1)) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        ByteLineReader r = new ByteLineReader(in, 4);
        assertTrue(r.next());
        assertFalse(closed[0]);
        r.close();
        assertTrue(closed[0]);
    }
}
