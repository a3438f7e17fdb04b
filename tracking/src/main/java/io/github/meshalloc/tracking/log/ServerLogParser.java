package io.github.meshalloc.tracking.log;

import com.google.common.base.Preconditions;
import com.google.common.base.Splitter;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.Maps;
import io.github.meshalloc.tracking.log.LineCursor.Mismatch;
import io.github.meshalloc.tracking.log.LogEvent.HistoryKind;
import io.github.meshalloc.tracking.log.LogEvent.Locality;
import io.github.meshalloc.tracking.log.LogEvent.SocDetailLabel;
import io.github.meshalloc.tracking.log.LogEvent.StatsLabel;
import io.github.meshalloc.tracking.log.LogEvent.SweepCategory;
import io.github.meshalloc.tracking.wire.BufferTypeCode;
import io.github.meshalloc.tracking.wire.KernelKind;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads server log lines back into {@link LogEvent}s.
 *
 * <p>Models, made exact, the log analysers {@code MUM/analyze_buffer_log.py} (hex-or-decimal ids, optional
 * {@code , ref_count=N} on ALLOC, {@code ref_count=N remaining} / {@code FINAL} on FREE) and
 * {@code MUM/correlate_leaked_buffers.py}, for every line form of reference section 4 and the history server of
 * section 5. Writer then parser is the identity on events.
 *
 * <p>Dispatch is a hand-written prefix switch (first character, then literal prefixes) followed by a single
 * left-to-right token scan: no regular expressions, no backtracking, so parsing is linear in the line length.
 * A line starting with a per-event prefix ({@code ✓ [PID }, {@code ✗ [PID }, {@code ⚠ [PID },
 * {@code ⚠ Warning: Deallocation for unknown buffer }, {@code ✓ [CB_ALLOC] }, {@code ✗ [CB_FREE] },
 * {@code ✓ [KERNEL_LOAD] }, {@code ✗ [KERNEL_UNLOAD] }, {@code ⚠️  Invalid }, {@code ⚠️  Too many consecutive errors (},
 * {@code Unknown message type: }) must match that event's grammar: otherwise {@link ParseMode#STRICT} throws
 * {@link LogParseException} and {@link ParseMode#LENIENT} returns {@link LogEvent.Malformed}. Any other line that
 * matches no structural grammar is {@link LogEvent.Other} (e.g. {@code ✓ Allocated 4194304 bytes of DRAM on device 0},
 * a paraphrase without a PID). The parser is immutable and thread-safe.
 */
public final class ServerLogParser {

    private static final List<LogEvent.Constant> CONSTANTS = Arrays.stream(ConstantLine.values())
            .map(LogEvent.Constant::new).collect(ImmutableList.toImmutableList());
    private static final Map<SocDetailLabel, String> SOC_PREFIXES = Maps.immutableEnumMap(Arrays.stream(
            SocDetailLabel.values()).collect(Collectors.toMap(Function.identity(), l -> l.label() + ": ")));

    private final ParseMode mode;

    /** A parser in the given mode. */
    public ServerLogParser(ParseMode mode) {
        this.mode = Preconditions.checkNotNull(mode, "mode");
    }

    /** A {@link ParseMode#STRICT} parser. */
    public static ServerLogParser strict() {
        return new ServerLogParser(ParseMode.STRICT);
    }

    /** A {@link ParseMode#LENIENT} parser. */
    public static ServerLogParser lenient() {
        return new ServerLogParser(ParseMode.LENIENT);
    }

    /** This parser's mode. */
    public ParseMode mode() {
        return mode;
    }

    /**
     * Parses one line (without its newline; a trailing {@code '\r'} is not stripped).
     *
     * @param line       the text
     * @param lineNumber 1-based number used in error messages
     * @throws LogParseException in strict mode, for a malformed per-event line
     */
    public LogEvent parseLine(String line, int lineNumber) {
        Preconditions.checkNotNull(line, "line");
        if (line.isEmpty()) {
            return CONSTANTS.get(ConstantLine.BLANK.ordinal());
        }
        switch (line.charAt(0)) {
            case '✓':
                if (line.startsWith("✓ [PID ")) {
                    return event(line, lineNumber, Family.ALLOC);
                }
                if (line.startsWith("✓ [CB_ALLOC] ")) {
                    return event(line, lineNumber, Family.CB_ALLOC);
                }
                if (line.startsWith("✓ [KERNEL_LOAD] ")) {
                    return event(line, lineNumber, Family.KERNEL_LOAD);
                }
                break;
            case '✗':
                if (line.startsWith("✗ [PID ")) {
                    return event(line, lineNumber, Family.FREE);
                }
                if (line.startsWith("✗ [CB_FREE] ")) {
                    return event(line, lineNumber, Family.CB_FREE);
                }
                if (line.startsWith("✗ [KERNEL_UNLOAD] ")) {
                    return event(line, lineNumber, Family.KERNEL_UNLOAD);
                }
                break;
            case '⚠':
                if (line.startsWith("⚠ [PID ")) {
                    return event(line, lineNumber, Family.PID_WARNING);
                }
                if (line.startsWith("⚠ Warning: Deallocation for unknown buffer ")) {
                    return event(line, lineNumber, Family.LEGACY_UNKNOWN);
                }
                if (line.startsWith("⚠️  Invalid ")) {
                    return event(line, lineNumber, Family.S5_INVALID);
                }
                if (line.startsWith("⚠️  Too many consecutive errors (")) {
                    return event(line, lineNumber, Family.RESYNC);
                }
                break;
            case 'U':
                if (line.startsWith("Unknown message type: ")) {
                    return event(line, lineNumber, Family.UNKNOWN_TYPE);
                }
                break;
            default:
                break;
        }
        ConstantLine constant = ConstantLine.lookup(line);
        if (constant != null) {
            return CONSTANTS.get(constant.ordinal());
        }
        LogEvent structural;
        try {
            structural = structural(line);
        } catch (Mismatch | IllegalArgumentException e) {
            structural = null;
        }
        return structural != null ? structural : new LogEvent.Other(line);
    }

    /** Parses one line as line 1. */
    public LogEvent parseLine(String line) {
        return parseLine(line, 1);
    }

    /** Parses lines numbered from 1. */
    public List<LogEvent> parseLines(List<String> lines) {
        Preconditions.checkNotNull(lines, "lines");
        List<LogEvent> out = new ArrayList<>(lines.size());
        int n = 0;
        for (String l : lines) {
            out.add(parseLine(l, ++n));
        }
        return out;
    }

    /**
     * Parses a whole log text: lines separated by {@code '\n'}; a final newline does not start another line.
     */
    public List<LogEvent> parse(String text) {
        Preconditions.checkNotNull(text, "text");
        List<String> lines = Splitter.on('\n').splitToList(text);
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines = lines.subList(0, lines.size() - 1);
        }
        return parseLines(lines);
    }

    /** Parses every line the reader yields, numbered from 1. */
    public List<LogEvent> parse(BufferedReader reader) throws IOException {
        Preconditions.checkNotNull(reader, "reader");
        List<LogEvent> out = new ArrayList<>();
        int n = 0;
        for (String l = reader.readLine(); l != null; l = reader.readLine()) {
            out.add(parseLine(l, ++n));
        }
        return out;
    }

    private enum Family {
        ALLOC, FREE, PID_WARNING, LEGACY_UNKNOWN, S5_INVALID, RESYNC, UNKNOWN_TYPE, CB_ALLOC, CB_FREE, KERNEL_LOAD,
        KERNEL_UNLOAD
    }

    private LogEvent event(String line, int lineNumber, Family family) {
        LineCursor c = new LineCursor(line, 0);
        try {
            switch (family) {
                case ALLOC:
                    return alloc(c);
                case FREE:
                    return free(c);
                case PID_WARNING:
                    return pidWarning(c);
                case LEGACY_UNKNOWN:
                    c.expect("⚠ Warning: Deallocation for unknown buffer ");
                    long id = c.u64();
                    c.expectEnd();
                    return new LogEvent.UnknownFreeLegacy(id);
                case S5_INVALID:
                    return s5Invalid(c);
                case RESYNC: {
                    c.expect("⚠️  Too many consecutive errors (");
                    long n = c.u64();
                    c.expect(") - closing connection (likely protocol mismatch)");
                    c.expectEnd();
                    return new LogEvent.ResyncGiveUp(n);
                }
                case UNKNOWN_TYPE: {
                    c.expect("Unknown message type: ");
                    int t = c.int32();
                    c.expectEnd();
                    return new LogEvent.UnknownType(t);
                }
                case CB_ALLOC:
                case CB_FREE: {
                    boolean alloc = family == Family.CB_ALLOC;
                    c.expect(alloc ? "✓ [CB_ALLOC] Device " : "✗ [CB_FREE] Device ");
                    int dev = c.int32();
                    c.expect(alloc ? ": +" : ": -");
                    double mb = c.g();
                    double total = totalMb(c);
                    return alloc ? new LogEvent.CbAlloc(dev, mb, total) : new LogEvent.CbFree(dev, mb, total);
                }
                case KERNEL_LOAD:
                case KERNEL_UNLOAD: {
                    boolean load = family == Family.KERNEL_LOAD;
                    c.expect(load ? "✓ [KERNEL_LOAD] " : "✗ [KERNEL_UNLOAD] ");
                    KernelKind kind = kernelKind(c);
                    c.expect(" kernel on Device ");
                    int dev = c.int32();
                    c.expect(load ? ": +" : ": -");
                    double mb = c.g();
                    double total = totalMb(c);
                    return load ? new LogEvent.KernelLoad(kind, dev, mb, total)
                            : new LogEvent.KernelUnload(kind, dev, mb, total);
                }
                default:
                    throw new AssertionError(family);
            }
        } catch (Mismatch | IllegalArgumentException e) {
            if (mode == ParseMode.STRICT) {
                throw new LogParseException(lineNumber, line, "malformed " + family + " line: " + e.getMessage());
            }
            return new LogEvent.Malformed(line, family + ": " + e.getMessage());
        }
    }

    private static double totalMb(LineCursor c) throws Mismatch {
        c.expect(" MB (Total: ");
        double total = c.g();
        c.expect(" MB)");
        c.expectEnd();
        return total;
    }

    private static KernelKind kernelKind(LineCursor c) throws Mismatch {
        String word = c.wordUntil(' ');
        try {
            return KernelKind.ofLogName(word);
        } catch (IllegalArgumentException e) {
            throw c.fail(e.getMessage());
        }
    }

    private static int bufferType(LineCursor c, char stop) throws Mismatch {
        String word = c.wordUntil(stop);
        try {
            return BufferTypeCode.ofLogName(word).code();
        } catch (IllegalArgumentException e) {
            throw c.fail(e.getMessage());
        }
    }

    private static LogEvent alloc(LineCursor c) throws Mismatch {
        c.expect("✓ [PID ");
        int pid = c.int32();
        c.expect("] Allocated ");
        long size = c.u64();
        c.expect(" bytes of ");
        int type = bufferType(c, ' ');
        c.expect(" on device ");
        int dev = c.int32();
        c.expect(" (buffer_id=");
        long id = c.id();
        IdFormat f = c.lastIdFormat();
        if (c.tryConsume(")")) {
            c.expectEnd();
            return new LogEvent.AllocNew(pid, size, type, dev, id, f);
        }
        c.expect(", ref_count=");
        int ref = c.int32();
        c.expect(")");
        c.expectEnd();
        return new LogEvent.AllocDup(pid, size, type, dev, id, f, ref);
    }

    private static LogEvent free(LineCursor c) throws Mismatch {
        c.expect("✗ [PID ");
        int pid = c.int32();
        c.expect("] Freed buffer ");
        long id = c.id();
        IdFormat f = c.lastIdFormat();
        if (c.tryConsume(" on device ")) {
            int dev = c.int32();
            c.expect(" (");
            long size = c.u64();
            if (c.tryConsume(" bytes, FINAL)")) {
                c.expectEnd();
                return new LogEvent.FreeFinal(pid, id, f, dev, size);
            }
            if (c.tryConsume(" bytes, ref_count=")) {
                int ref = c.int32();
                c.expect(" remaining)");
                c.expectEnd();
                return new LogEvent.FreePartial(pid, id, f, dev, size, ref);
            }
            c.expect(" bytes)");
            c.expectEnd();
            return new LogEvent.FreeE1(pid, id, f, dev, size);
        }
        c.expect(" (");
        long size = c.u64();
        c.expect(" bytes)");
        c.expectEnd();
        return new LogEvent.FreeE0(pid, id, f, size);
    }

    private static LogEvent pidWarning(LineCursor c) throws Mismatch {
        c.expect("⚠ [PID ");
        int pid = c.int32();
        c.expect("] ");
        if (c.tryConsume("Deallocation for unknown buffer ")) {
            long id = c.id();
            IdFormat f = c.lastIdFormat();
            c.expect(" on device ");
            int dev = c.int32();
            if (c.tryConsume(" (allocated before tracking started)")) {
                c.expectEnd();
                return new LogEvent.UnknownFree(pid, id, f, dev);
            }
            c.expect(" (never tracked or allocated before server started)");
            c.expectEnd();
            if (f != IdFormat.HEX) {
                throw c.fail("the history server prints this warning with a 0x-hex id");
            }
            return new LogEvent.UnknownFreeNeverTracked(pid, id, dev);
        }
        if (c.tryConsume("Deallocation for ALREADY FREED buffer ")) {
            long id = c.hexId();
            c.expect(" on device ");
            int dev = c.int32();
            c.expect(" (allocs=");
            int allocs = c.int32();
            c.expect(" frees=");
            int frees = c.int32();
            c.expect(")");
            c.expectEnd();
            return new LogEvent.AlreadyFreed(pid, id, dev, allocs, frees);
        }
        if (c.tryConsume("Invalid buffer_type ")) {
            int type = c.int32();
            if (c.atEnd()) {
                return new LogEvent.BadTypeShort(pid, type);
            }
            c.expect(" for buffer ");
            long id = c.u64();
            c.expect(" on device ");
            int dev = c.int32();
            c.expectEnd();
            return new LogEvent.BadType(pid, type, id, dev);
        }
        c.expect("Buffer reused with DIFFERENT size: old=");
        long oldSize = c.u64();
        c.expect(" new=");
        long newSize = c.u64();
        c.expect(" (buffer_id=");
        long id = c.u64();
        c.expect(", device=");
        int dev = c.int32();
        c.expect(")");
        c.expectEnd();
        return new LogEvent.SizeChanged(pid, oldSize, newSize, id, dev);
    }

    private static LogEvent s5Invalid(LineCursor c) throws Mismatch {
        c.expect("⚠️  Invalid ");
        if (c.tryConsume("device_id ")) {
            int dev = c.int32();
            c.expect(" - ignoring message");
            c.expectEnd();
            return new LogEvent.BadDevice(dev);
        }
        if (c.tryConsume("size ")) {
            long size = c.u64();
            c.expect(" - ignoring message");
            c.expectEnd();
            return new LogEvent.BadSize(size);
        }
        c.expect("buffer_type ");
        int type = c.int32();
        c.expect(" for buffer ");
        long id = c.u64();
        c.expect(" on device ");
        int dev = c.int32();
        c.expectEnd();
        return new LogEvent.BadTypeS5(type, id, dev);
    }

    /** Structural lines; null or Mismatch when none matches (the caller turns that into {@link LogEvent.Other}). */
    private static LogEvent structural(String line) throws Mismatch {
        int spaces = 0;
        while (spaces < line.length() && line.charAt(spaces) == ' ') {
            spaces++;
        }
        LineCursor c = new LineCursor(line, spaces);
        switch (spaces) {
            case 0:
                return unindented(line, c);
            case 2:
                return indent2(c);
            case 3:
                return indent3(c);
            case 4:
                if (c.tryConsume("- Buffer ")) {
                    long id = c.hexId();
                    c.expect(": ");
                    double kb = c.g();
                    c.expect(" KB (PID ");
                    int pid = c.int32();
                    c.expect(", ref_count=");
                    int ref = c.int32();
                    c.expect(")");
                    c.expectEnd();
                    return new LogEvent.DumpBuffer(id, kb, pid, ref);
                }
                if (c.tryConsume("Buffers: ")) {
                    long n = c.u64();
                    c.expectEnd();
                    return new LogEvent.StatsBuffers(n);
                }
                for (StatsLabel label : StatsLabel.values()) {
                    if (c.tryConsume(label.word() + ": ")) {
                        return statsCounter(c, label);
                    }
                }
                return history(c, 4);
            case 5:
                return history(c, 5);
            case 6:
                c.expect("History (allocs=");
                int allocs = c.int32();
                c.expect(" frees=");
                int frees = c.int32();
                c.expect("):");
                c.expectEnd();
                return new LogEvent.DumpHistoryHeader(allocs, frees);
            case 8:
                return history(c, 8);
            default:
                return null;
        }
    }

    private static LogEvent unindented(String line, LineCursor c) throws Mismatch {
        if (c.tryConsume("Total tracked allocations: ")) {
            long n = c.u64();
            c.expectEnd();
            return new LogEvent.TotalTracked(n);
        }
        if (c.tryConsume("Total remaining buffers: ")) {
            long n = c.u64();
            c.expectEnd();
            return new LogEvent.TotalRemaining(n);
        }
        if (c.tryConsume("Total kernel allocations: ")) {
            long n = c.u64();
            c.expectEnd();
            return new LogEvent.KernelDumpTotal(n);
        }
        if (c.tryConsume("Device ")) {
            int dev = c.int32();
            c.expect(":");
            c.expectEnd();
            return new LogEvent.DumpDevice(dev);
        }
        if (c.tryConsume("Buffer ")) {
            long id = c.hexId();
            c.expect(" on device ");
            int dev = c.int32();
            c.expect(":");
            c.expectEnd();
            return new LogEvent.DoubleFreedBuffer(id, dev);
        }
        if (c.tryConsume("📊 Device ")) {
            int dev = c.int32();
            c.expect(" - Total: ");
            double mb = c.g();
            c.expect(" MB (");
            long n = c.u64();
            c.expect(" kernels)");
            c.expectEnd();
            return new LogEvent.KernelDeviceHeader(dev, mb, n);
        }
        if (c.tryConsume("⚠️  However, found ")) {
            long n = c.u64();
            c.expect(" buffers that were DOUBLE-FREED during execution!");
            c.expectEnd();
            return new LogEvent.DoubleFreedSummary(n);
        }
        for (Map.Entry<SocDetailLabel, String> e : SOC_PREFIXES.entrySet()) {
            if (line.startsWith(e.getValue())) {
                c.expect(e.getValue());
                return new LogEvent.SocDetail(e.getKey(), c.rest());
            }
        }
        return null;
    }

    private static LogEvent indent2(LineCursor c) throws Mismatch {
        if (c.tryConsume("Device ")) {
            int dev = c.int32();
            c.expect(":");
            c.expectEnd();
            return new LogEvent.StatsDevice(dev);
        }
        if (c.tryConsume("Active allocations: ")) {
            long n = c.u64();
            c.expectEnd();
            return new LogEvent.ActiveAllocations(n);
        }
        if (c.tryConsume("Total allocs: ")) {
            int allocs = c.int32();
            c.expect(", Total frees: ");
            int frees = c.int32();
            c.expectEnd();
            return new LogEvent.DoubleFreedTotals(allocs, frees);
        }
        if (c.tryConsume("│ Kernel ID: ")) {
            long id = c.hexId();
            c.expectEnd();
            return new LogEvent.KernelIdLine(id);
        }
        if (c.tryConsume("│   Size:      ")) {
            double kb = c.g();
            c.expect(" KB");
            c.expectEnd();
            return new LogEvent.KernelSizeLine(kb);
        }
        if (c.tryConsume("│   Owner PID: ")) {
            int pid = c.int32();
            c.expectEnd();
            return new LogEvent.KernelOwnerLine(pid);
        }
        if (c.tryConsume("│   Age:       ")) {
            long age = c.int64();
            c.expect(" seconds");
            c.expectEnd();
            return new LogEvent.KernelAgeLine(age);
        }
        int type = bufferType(c, ':');
        c.expect(": ");
        long n = c.u64();
        c.expect(" buffers, ");
        double mb = c.g();
        c.expect(" MB total");
        c.expectEnd();
        return new LogEvent.DumpTypeGroup(type, n, mb);
    }

    private static LogEvent indent3(LineCursor c) throws Mismatch {
        if (c.tryConsume("PID ")) {
            int pid = c.int32();
            c.expect(" is dead, removing its buffers...");
            c.expectEnd();
            return new LogEvent.SweepDeadPid(pid);
        }
        if (c.tryConsume("✓ Removed ")) {
            long n = c.u64();
            c.expect(" ");
            SweepCategory category = null;
            for (SweepCategory sc : SweepCategory.values()) {
                if (c.tryConsume(sc.word())) {
                    category = sc;
                    break;
                }
            }
            if (category == null) {
                throw c.fail("expected buffers, CBs or kernels");
            }
            c.expect(" (");
            double mb = c.g();
            c.expect(" MB) from PID ");
            int pid = c.int32();
            c.expectEnd();
            return new LogEvent.SweepRemoved(category, n, mb, pid);
        }
        if (c.tryConsume("Device ")) {
            int index = c.int32();
            c.expect(": ");
            String arch = c.wordUntil(' ');
            c.expect(" (");
            long gb = c.u64();
            c.expect("GB DRAM, ");
            long mb = c.u64();
            c.expect("MB L1)");
            Locality locality = Locality.NONE;
            if (c.tryConsume(" [Local]")) {
                locality = Locality.LOCAL;
            } else if (c.tryConsume(" [Remote]")) {
                locality = Locality.REMOTE;
            }
            c.expectEnd();
            return new LogEvent.DetectedDevice(index, arch, gb, mb, locality);
        }
        if (c.tryConsume("Total: ")) {
            long n = c.u64();
            boolean pcie = c.tryConsume(" PCIe device(s) detected");
            if (!pcie) {
                c.expect(" device(s) detected");
            }
            c.expectEnd();
            return new LogEvent.DetectionTotal(n, pcie);
        }
        if (c.tryConsume("Warning: Found ")) {
            long n = c.u64();
            c.expect(" devices, limiting to 8");
            c.expectEnd();
            return new LogEvent.DetectionLimit(n);
        }
        c.expect("Warning: Could not query device ");
        int index = c.int32();
        c.expect(": ");
        return new LogEvent.DeviceQueryFailed(index, c.rest());
    }

    private static LogEvent statsCounter(LineCursor c, StatsLabel label) throws Mismatch {
        int start = c.pos();
        try {
            long bytes = c.u64();
            if (c.tryConsume(" bytes")) {
                if (c.atEnd()) {
                    return new LogEvent.StatsBytes(label, bytes);
                }
                c.expect(" (");
                double kb = c.g();
                c.expect(" KB)");
                c.expectEnd();
                return new LogEvent.StatsBytesKb(label, bytes, kb);
            }
        } catch (Mismatch e) {
            // not "<bytes> bytes": try the history server's "<G> KB" below
        }
        c.reset(start);
        double kb = c.g();
        c.expect(" KB");
        c.expectEnd();
        return new LogEvent.StatsKb(label, kb);
    }

    private static LogEvent history(LineCursor c, int indent) throws Mismatch {
        HistoryKind kind;
        if (c.tryConsume("ALLOC ")) {
            kind = HistoryKind.ALLOC;
        } else if (c.tryConsume("FREE ")) {
            kind = HistoryKind.FREE;
        } else if (c.tryConsume("REUSE ")) {
            kind = HistoryKind.REUSE;
        } else {
            return null;
        }
        c.expect("size=");
        long size = c.u64();
        c.expect(" pid=");
        int pid = c.int32();
        c.expect(" ref=");
        int ref = c.int32();
        c.expectEnd();
        return new LogEvent.HistoryLine(indent, kind, size, pid, ref);
    }
}
