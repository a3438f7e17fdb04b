package io.github.meshalloc.tracking.log;

import com.google.common.base.Preconditions;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits a byte stream into lines without decoding it: a meshalloc tool, the reading half of the log-replay fast
 * path ({@link Utf8EventParser} is the parsing half).
 *
 * <p>Lines end exactly where {@link java.io.BufferedReader#readLine()} ends them: at {@code '\n'}, {@code '\r'} or
 * {@code "\r\n"} (one terminator), and a last line without terminator is still a line; the terminator is not part of
 * the line. The stream is read in large chunks into one buffer that grows only for a line longer than it. After
 * {@link #next()} the current line is {@code buffer()[start(), end())}, valid until the next call.
 * {@link #decode()} turns it into a {@code String} with the strict UTF-8 decoding of
 * {@link java.nio.file.Files#newBufferedReader} (malformed bytes are an error, not replaced).
 */
public final class ByteLineReader implements Closeable {

    /** Default chunk size: 1 MiB. */
    public static final int DEFAULT_CHUNK = 1 << 20;

    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private byte[] buf;
    /** Valid bytes are {@code buf[0, limit)}. */
    private int limit;
    /** Where the next line starts. */
    private int pos;
    private int lineStart;
    private int lineEnd;
    private boolean eof;

    /** Reads {@code in} in chunks of {@link #DEFAULT_CHUNK} bytes. */
    public ByteLineReader(InputStream in) {
        this(in, DEFAULT_CHUNK);
    }

    /**
     * Reads {@code in} in chunks of {@code chunk} bytes.
     *
     * @throws IllegalArgumentException if {@code chunk} is not positive
     */
    public ByteLineReader(InputStream in, int chunk) {
        this.in = Preconditions.checkNotNull(in, "in");
        Preconditions.checkArgument(chunk > 0, "chunk %s must be positive", chunk);
        this.buf = new byte[chunk];
    }

    /**
     * Advances to the next line.
     *
     * @return false at the end of the stream
     */
    public boolean next() throws IOException {
        int scan = pos;
        while (true) {
            byte[] b = buf;
            int lim = limit;
            int i = scan;
            while (i < lim) {
                byte c = b[i];
                if (c == '\n' || c == '\r') {
                    break;
                }
                i++;
            }
            if (i < lim) {
                if (b[i] == '\r' && i + 1 == lim && !eof) {
                    // "\r" at the end of the chunk: whether a '\n' follows decides where the next line starts.
                    scan = i - fill();
                    continue;
                }
                lineStart = pos;
                lineEnd = i;
                pos = b[i] == '\r' && i + 1 < lim && b[i + 1] == '\n' ? i + 2 : i + 1;
                return true;
            }
            if (eof) {
                if (pos < lim) {
                    lineStart = pos;
                    lineEnd = lim;
                    pos = lim;
                    return true;
                }
                return false;
            }
            scan = i - fill();
        }
    }

    /**
     * Moves the unread bytes to the front (growing the buffer if they fill it) and reads more.
     *
     * @return how far the unread bytes moved down
     */
    private int fill() throws IOException {
        int shift = pos;
        int keep = limit - pos;
        if (shift > 0) {
            System.arraycopy(buf, pos, buf, 0, keep);
        } else if (keep == buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        pos = 0;
        limit = keep;
        int wanted = buf.length - limit;
        int n = in.readNBytes(buf, limit, wanted);
        limit += n;
        eof = n < wanted; // readNBytes stops short only at the end of the stream
        return shift;
    }

    /** The buffer holding the current line. */
    public byte[] buffer() {
        return buf;
    }

    /** Index of the current line's first byte. */
    public int start() {
        return lineStart;
    }

    /** Index after the current line's last byte (its terminator not included). */
    public int end() {
        return lineEnd;
    }

    /**
     * The current line decoded as strict UTF-8.
     *
     * @throws CharacterCodingException if the line is not well-formed UTF-8
     */
    public String decode() throws CharacterCodingException {
        return decoder.decode(ByteBuffer.wrap(buf, lineStart, lineEnd - lineStart)).toString();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
