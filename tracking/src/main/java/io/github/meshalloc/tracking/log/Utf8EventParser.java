package io.github.meshalloc.tracking.log;

import com.google.common.base.Preconditions;
import io.github.meshalloc.tracking.wire.BufferTypeCode;
import java.nio.charset.StandardCharsets;

/**
 * Reads the per-event lines that make up nearly all of a server log straight from their UTF-8 bytes: a meshalloc
 * tool, the allocation-free fast path of {@link ServerLogParser} for log replay.
 *
 * <p>Recognises exactly the grammars of reference section 4 for {@link LineKind#ALLOC_NEW}, {@link LineKind#ALLOC_DUP},
 * {@link LineKind#FREE_FINAL}, {@link LineKind#FREE_PARTIAL}, {@link LineKind#FREE_E1}, {@link LineKind#FREE_E0} and
 * {@link LineKind#UNKNOWN_FREE} ({@code MUM/allocation_server_poc.cpp}'s {@code std::cout} lines), with ASCII numbers
 * parsed digit by digit into primitive fields of this object; no {@code String} and no event object is made.
 *
 * <p>It is <em>sound, not complete</em>: whenever {@link #parse} returns a kind, {@link ServerLogParser#parseLine} of
 * the same line (decoded) returns the equal event ({@link #event()}); whenever the line is anything else, or is a
 * rare spelling of those kinds (a number of 10+ digits in an int field, 19+ digits in a u64, a 17th hex digit,
 * non-ASCII bytes after the glyph), it returns {@code null} and the caller must decode the line and use
 * {@link ServerLogParser}, which gives the event, the malformed-line report or the {@link LogParseException}.
 *
 * <p>Mutable: the fields describe the last line parsed. One instance per thread.
 */
public final class Utf8EventParser {

    private static final byte[] ALLOC_PREFIX = bytes("✓ [PID ");
    private static final byte[] FREE_PREFIX = bytes("✗ [PID ");
    private static final byte[] WARN_PREFIX = bytes("⚠ [PID ");
    private static final byte[] ALLOCATED = bytes("] Allocated ");
    private static final byte[] BYTES_OF = bytes(" bytes of ");
    private static final byte[] ON_DEVICE = bytes(" on device ");
    private static final byte[] BUFFER_ID = bytes(" (buffer_id=");
    private static final byte[] REF_COUNT = bytes(", ref_count=");
    private static final byte[] FREED_BUFFER = bytes("] Freed buffer ");
    private static final byte[] OPEN = bytes(" (");
    private static final byte[] BYTES_FINAL = bytes(" bytes, FINAL)");
    private static final byte[] BYTES_REF_COUNT = bytes(" bytes, ref_count=");
    private static final byte[] REMAINING = bytes(" remaining)");
    private static final byte[] BYTES_CLOSE = bytes(" bytes)");
    private static final byte[] UNKNOWN_BUFFER = bytes("] Deallocation for unknown buffer ");
    private static final byte[] BEFORE_TRACKING = bytes(" (allocated before tracking started)");
    private static final BufferTypeCode[] TYPES = BufferTypeCode.values();
    private static final byte[][] TYPE_NAMES = typeNames();

    private byte[] buf;
    private int pos;
    private int end;
    private LineKind kind;
    private int pid;
    private long size;
    private int bufferType;
    private int device;
    private long bufferId;
    private IdFormat idFormat;
    private int refCount;
    /** The number last read by {@link #int32}, {@link #u64} or {@link #id}. */
    private long number;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[][] typeNames() {
        byte[][] names = new byte[TYPES.length][];
        for (int i = 0; i < TYPES.length; i++) {
            names[i] = bytes(TYPES[i].logName());
        }
        return names;
    }

    /**
     * Parses {@code bytes[from, to)} (one line, without its terminator).
     *
     * @return the line's kind when it is one of the kinds above in its usual spelling, else {@code null}
     * @throws IndexOutOfBoundsException if the range is not inside the array
     */
    public LineKind parse(byte[] bytes, int from, int to) {
        Preconditions.checkNotNull(bytes, "bytes");
        Preconditions.checkPositionIndexes(from, to, bytes.length);
        buf = bytes;
        pos = from;
        end = to;
        kind = null;
        LineKind k;
        if (literal(ALLOC_PREFIX)) {
            k = alloc();
        } else if (literal(FREE_PREFIX)) {
            k = free();
        } else if (literal(WARN_PREFIX)) {
            k = unknownFree();
        } else {
            k = null;
        }
        buf = null;
        kind = k;
        return k;
    }

    private LineKind alloc() {
        if (!int32() || !literal(ALLOCATED)) {
            return null;
        }
        pid = (int) number;
        if (!u64() || !literal(BYTES_OF)) {
            return null;
        }
        size = number;
        if (!type() || !literal(ON_DEVICE) || !int32()) {
            return null;
        }
        device = (int) number;
        if (!literal(BUFFER_ID) || !id()) {
            return null;
        }
        bufferId = number;
        if (pos < end && buf[pos] == ')') {
            pos++;
            return pos == end ? LineKind.ALLOC_NEW : null;
        }
        if (!literal(REF_COUNT) || !int32()) {
            return null;
        }
        refCount = (int) number;
        if (pos < end && buf[pos] == ')') {
            pos++;
            return pos == end ? LineKind.ALLOC_DUP : null;
        }
        return null;
    }

    private LineKind free() {
        if (!int32() || !literal(FREED_BUFFER)) {
            return null;
        }
        pid = (int) number;
        if (!id()) {
            return null;
        }
        bufferId = number;
        if (literal(ON_DEVICE)) {
            if (!int32() || !literal(OPEN)) {
                return null;
            }
            device = (int) number;
            if (!u64()) {
                return null;
            }
            size = number;
            if (literal(BYTES_FINAL)) {
                return pos == end ? LineKind.FREE_FINAL : null;
            }
            if (literal(BYTES_REF_COUNT)) {
                if (!int32() || !literal(REMAINING)) {
                    return null;
                }
                refCount = (int) number;
                return pos == end ? LineKind.FREE_PARTIAL : null;
            }
            return literal(BYTES_CLOSE) && pos == end ? LineKind.FREE_E1 : null;
        }
        if (!literal(OPEN) || !u64()) {
            return null;
        }
        size = number;
        device = 0;
        return literal(BYTES_CLOSE) && pos == end ? LineKind.FREE_E0 : null;
    }

    private LineKind unknownFree() {
        if (!int32() || !literal(UNKNOWN_BUFFER)) {
            return null;
        }
        pid = (int) number;
        if (!id() || !literal(ON_DEVICE)) {
            return null;
        }
        bufferId = number;
        if (!int32()) {
            return null;
        }
        device = (int) number;
        return literal(BEFORE_TRACKING) && pos == end ? LineKind.UNKNOWN_FREE : null;
    }

    private boolean literal(byte[] lit) {
        int n = lit.length;
        if (end - pos < n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (buf[pos + i] != lit[i]) {
                return false;
            }
        }
        pos += n;
        return true;
    }

    /** Optional '-' and 1..9 ASCII digits (always inside int range); longer numbers are left to the full parser. */
    private boolean int32() {
        int p = pos;
        boolean negative = p < end && buf[p] == '-';
        if (negative) {
            p++;
        }
        int start = p;
        long v = 0;
        while (p < end && p - start < 10) {
            int d = buf[p] - '0';
            if (d < 0 || d > 9) {
                break;
            }
            v = v * 10 + d;
            p++;
        }
        int digits = p - start;
        if (digits == 0 || digits > 9) {
            return false;
        }
        number = negative ? -v : v;
        pos = p;
        return true;
    }

    /** 1..18 ASCII digits (always inside long range); longer numbers are left to the full parser. */
    private boolean u64() {
        int p = pos;
        long v = 0;
        while (p < end && p - pos < 19) {
            int d = buf[p] - '0';
            if (d < 0 || d > 9) {
                break;
            }
            v = v * 10 + d;
            p++;
        }
        int digits = p - pos;
        if (digits == 0 || digits > 18) {
            return false;
        }
        number = v;
        pos = p;
        return true;
    }

    /** {@code 0x} + 1..16 hex digits, or a u64; records the format. */
    private boolean id() {
        if (end - pos >= 2 && buf[pos] == '0' && buf[pos + 1] == 'x') {
            int p = pos + 2;
            int start = p;
            long v = 0;
            while (p < end && p - start < 17) {
                int d = hexValue(buf[p]);
                if (d < 0) {
                    break;
                }
                v = (v << 4) | d;
                p++;
            }
            int digits = p - start;
            if (digits == 0 || digits > 16) {
                return false;
            }
            number = v;
            idFormat = IdFormat.HEX;
            pos = p;
            return true;
        }
        idFormat = IdFormat.DECIMAL;
        return u64();
    }

    private static int hexValue(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }

    /** A TYPE name followed by a space (the space is not consumed). */
    private boolean type() {
        for (int t = 0; t < TYPE_NAMES.length; t++) {
            byte[] name = TYPE_NAMES[t];
            int after = pos + name.length;
            if (after < end && buf[after] == ' ' && literal(name)) {
                bufferType = TYPES[t].code();
                return true;
            }
        }
        return false;
    }

    /** The kind of the last line parsed, or {@code null} if it was left to the full parser. */
    public LineKind kind() {
        return kind;
    }

    /** PID of the last line. */
    public int pid() {
        return pid;
    }

    /** Size in bytes (ALLOC and FREE lines). */
    public long size() {
        return size;
    }

    /** Buffer type code (ALLOC lines). */
    public int bufferType() {
        return bufferType;
    }

    /** Device (0 for {@link LineKind#FREE_E0}, whose line names none). */
    public int device() {
        return device;
    }

    /** Buffer id. */
    public long bufferId() {
        return bufferId;
    }

    /** How the buffer id was printed. */
    public IdFormat idFormat() {
        return idFormat;
    }

    /** Reference count ({@link LineKind#ALLOC_DUP}, {@link LineKind#FREE_PARTIAL}). */
    public int refCount() {
        return refCount;
    }

    /**
     * The last line as the event {@link ServerLogParser} makes of it.
     *
     * @throws IllegalStateException if the last line was not recognised
     */
    public LogEvent event() {
        Preconditions.checkState(kind != null, "the last line was not recognised; parse it with ServerLogParser");
        switch (kind) {
            case ALLOC_NEW:
                return new LogEvent.AllocNew(pid, size, bufferType, device, bufferId, idFormat);
            case ALLOC_DUP:
                return new LogEvent.AllocDup(pid, size, bufferType, device, bufferId, idFormat, refCount);
            case FREE_FINAL:
                return new LogEvent.FreeFinal(pid, bufferId, idFormat, device, size);
            case FREE_PARTIAL:
                return new LogEvent.FreePartial(pid, bufferId, idFormat, device, size, refCount);
            case FREE_E1:
                return new LogEvent.FreeE1(pid, bufferId, idFormat, device, size);
            case FREE_E0:
                return new LogEvent.FreeE0(pid, bufferId, idFormat, size);
            case UNKNOWN_FREE:
                return new LogEvent.UnknownFree(pid, bufferId, idFormat, device);
            default:
                throw new AssertionError(kind);
        }
    }
}
