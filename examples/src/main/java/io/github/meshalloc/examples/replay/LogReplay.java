package io.github.meshalloc.examples.replay;

import com.google.common.base.Preconditions;
import io.github.meshalloc.tracking.log.ByteLineReader;
import io.github.meshalloc.tracking.log.IdFormat;
import io.github.meshalloc.tracking.log.LogEvent;
import io.github.meshalloc.tracking.log.LogParseException;
import io.github.meshalloc.tracking.log.ServerLogParser;
import io.github.meshalloc.tracking.log.Utf8EventParser;
import io.github.meshalloc.tracking.server.AllocationServer;
import io.github.meshalloc.tracking.server.DeviceCounters;
import io.github.meshalloc.tracking.server.LivenessOracle;
import io.github.meshalloc.tracking.server.ServerVersion;
import io.github.meshalloc.tracking.wire.AllocMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.EnumSet;
import io.github.meshalloc.tracking.log.LineKind;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Replays a real allocation-server log into a fresh server model.
 *
 * <p>Each line is parsed with {@link ServerLogParser}; the events that stand for messages the server received are
 * sent again to an {@link AllocationServer} of the log's version: ALLOC lines as ALLOCs, FREE lines and unknown-FREE
 * warnings that name a device as FREEs, and each {@code PID p is dead} sweep line as a sweep of that pid. Statistics
 * lines ({@code Active allocations: N}, per-device {@code DRAM:}) are compared with the replayed server at the same
 * point. CB/kernel lines (which carry no address) and rejected messages are counted, not replayed. ALLOC timestamps
 * are line numbers, so nothing reads a clock.
 *
 * <p>Malformed per-event lines stop the replay with a {@link LogParseException} naming the line number and text,
 * unless lenient, where they are listed in the report.
 *
 * <p>{@link #replay(Path, Optional, boolean)} reads the file as bytes in large chunks ({@link ByteLineReader}) and
 * parses the ALLOC/FREE/unknown-FREE lines that make up nearly all of a log straight from the bytes
 * ({@link Utf8EventParser}), sending them to the server without building events or messages; any other line is
 * decoded and parsed by {@link ServerLogParser} as before. If that fast path meets anything exceptional (bytes that
 * are not UTF-8, a malformed line in strict mode, an I/O error), it gives up and the whole replay is done again by
 * {@link #replayDecoded}, the line-by-line {@code String} path, whose outcome (report or exception) is by
 * construction the one this class always gave.
 */
public final class LogReplay {

    /** Lines counted but not replayed: CB/kernel lines carry no address; rejected messages changed nothing. */
    private static final Set<LineKind> NOT_REPLAYED = EnumSet.of(LineKind.CB_ALLOC, LineKind.CB_FREE,
            LineKind.KERNEL_LOAD, LineKind.KERNEL_UNLOAD, LineKind.BAD_TYPE, LineKind.BAD_TYPE_S5,
            LineKind.BAD_TYPE_SHORT, LineKind.BAD_DEVICE, LineKind.BAD_SIZE, LineKind.UNKNOWN_TYPE);

    private static final Detection UNDECIDED = new Detection(ServerVersion.S4,
            "no line tells versions apart; S4 assumed");

    private final ServerVersion version;
    private final String versionReason;
    private final boolean lenient;
    private final ServerLogParser parser;
    private final AllocationServer server;
    private final KeyBalanceTable balances = new KeyBalanceTable();
    private final List<ReplayReport.MalformedLine> malformed = new ArrayList<>();
    private long lines;
    private long allocLines;
    private long freeLines;
    private long logUnknown;
    private long other;
    private long notReplayed;
    private long compared;
    private long mismatches;
    private String firstMismatch = "";
    private int statsDevice = -1;

    private LogReplay(ServerVersion version, String versionReason, boolean lenient) {
        this.version = version;
        this.versionReason = versionReason;
        this.lenient = lenient;
        this.parser = lenient ? ServerLogParser.lenient() : ServerLogParser.strict();
        this.server = AllocationServer.builder(version).quiet(true).build();
    }

    /**
     * Replays the file at {@code path} (UTF-8). Without a version, the version is detected from the log first.
     * Same outcome as {@link #replayDecoded}, faster.
     *
     * @throws LogParseException on a malformed line when not lenient
     * @throws IOException       if the file cannot be read or is not UTF-8
     */
    public static ReplayReport replay(Path path, Optional<ServerVersion> version, boolean lenient) throws IOException {
        Preconditions.checkNotNull(path, "path");
        Preconditions.checkNotNull(version, "version");
        try {
            return replayBytes(path, version, lenient);
        } catch (NotFast | IOException | RuntimeException e) {
            // The reference path decides what the outcome of an exceptional log is (which error, at which line).
            return replayDecoded(path, version, lenient);
        }
    }

    /** The fast path gave up (package-private for the agreement tests); carries no stack trace. */
    static final class NotFast extends Exception {
        private static final long serialVersionUID = 1L;

        NotFast() {
            super("not replayable from bytes", null, false, false);
        }
    }

    static ReplayReport replayBytes(Path path, Optional<ServerVersion> version, boolean lenient)
            throws IOException, NotFast {
        ServerVersion v;
        String reason;
        if (version.isPresent()) {
            v = version.get();
            reason = "given";
        } else {
            try (ByteLineReader r = new ByteLineReader(Files.newInputStream(path))) {
                Detection d = detect(r);
                v = d.version();
                reason = d.reason();
            }
        }
        LogReplay replay = new LogReplay(v, reason, lenient);
        Utf8EventParser events = new Utf8EventParser();
        try (ByteLineReader r = new ByteLineReader(Files.newInputStream(path))) {
            long n = 0;
            while (r.next()) {
                n++;
                LineKind kind = events.parse(r.buffer(), r.start(), r.end());
                if (kind != null) {
                    replay.event(events, kind, n);
                } else {
                    replay.line(decode(r), n);
                }
            }
        }
        return replay.report(path.toString());
    }

    private static String decode(ByteLineReader r) throws NotFast {
        try {
            return r.decode();
        } catch (CharacterCodingException e) {
            throw new NotFast();
        }
    }

    /** Byte-path detection: the same decision, at the same line, as {@link #detect(BufferedReader)}. */
    private static Detection detect(ByteLineReader r) throws IOException, NotFast {
        ServerLogParser p = ServerLogParser.lenient();
        Utf8EventParser events = new Utf8EventParser();
        long n = 0;
        while (r.next()) {
            n++;
            LineKind kind = events.parse(r.buffer(), r.start(), r.end());
            if (kind == LineKind.ALLOC_NEW || kind == LineKind.UNKNOWN_FREE) {
                continue; // decide nothing
            }
            LogEvent e = kind != null ? events.event() : p.parseLine(decode(r), (int) Math.min(n, Integer.MAX_VALUE));
            Detection d = decide(e, n);
            if (d != null) {
                return d;
            }
        }
        return UNDECIDED;
    }

    /**
     * The reference path: the file decoded by {@link Files#newBufferedReader} and replayed line by line as
     * {@code String}s ({@link #detect(BufferedReader)}, then {@link #replay(BufferedReader, String, ServerVersion,
     * String, boolean)}).
     *
     * @throws LogParseException on a malformed line when not lenient
     * @throws IOException       if the file cannot be read or is not UTF-8
     */
    public static ReplayReport replayDecoded(Path path, Optional<ServerVersion> version, boolean lenient)
            throws IOException {
        Preconditions.checkNotNull(path, "path");
        Preconditions.checkNotNull(version, "version");
        ServerVersion v;
        String reason;
        if (version.isPresent()) {
            v = version.get();
            reason = "given";
        } else {
            try (BufferedReader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
                Detection d = detect(r);
                v = d.version();
                reason = d.reason();
            }
        }
        try (BufferedReader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            return replay(r, path.toString(), v, reason, lenient);
        }
    }

    /** Replays every line of {@code reader} into a server of {@code version}. */
    public static ReplayReport replay(BufferedReader reader, String source, ServerVersion version, String reason,
                                      boolean lenient) throws IOException {
        Preconditions.checkNotNull(reader, "reader");
        Preconditions.checkNotNull(version, "version");
        LogReplay replay = new LogReplay(version, reason, lenient);
        long n = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            replay.line(line, ++n);
        }
        return replay.report(source);
    }

    /**
     * A detected server version and the line that decided it.
     *
     * @param version the version
     * @param reason  why
     */
    public record Detection(ServerVersion version, String reason) {
    }

    /**
     * Detects the server version from the first line that tells versions apart: a FREE without device (E0), a FREE
     * without ref count (E1a), a history-server line, a CB/kernel line (S5), a reference-counted ALLOC/FREE line (S4
     * with 0x ids, S1 with decimal ids). Lenient: malformed lines are skipped here.
     */
    public static Detection detect(BufferedReader reader) throws IOException {
        ServerLogParser p = ServerLogParser.lenient();
        long n = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            n++;
            Detection d = decide(p.parseLine(line, (int) Math.min(n, Integer.MAX_VALUE)), n);
            if (d != null) {
                return d;
            }
        }
        return UNDECIDED;
    }

    /** The version line {@code n} (event {@code e}) tells, or null. */
    private static Detection decide(LogEvent e, long n) {
        switch (e.kind()) {
            case FREE_E0:
                return new Detection(ServerVersion.E0, at(n) + "a FREE without device");
            case FREE_E1:
                return new Detection(ServerVersion.E1A, at(n) + "a FREE without ref count (E1; E1a assumed)");
            case ALREADY_FREED, UNKNOWN_FREE_NEVER_TRACKED, SIZE_CHANGED, HISTORY_LINE, DUMP_HISTORY_HEADER:
                return new Detection(ServerVersion.ENHANCED, at(n) + "a history-server line");
            case CB_ALLOC, CB_FREE, KERNEL_LOAD, KERNEL_UNLOAD, BAD_TYPE_S5, BAD_DEVICE, BAD_SIZE:
                return new Detection(ServerVersion.S5, at(n) + "an S5-only line");
            case ALLOC_DUP:
                return refCounted(((LogEvent.AllocDup) e).idFormat(), at(n) + "a reference-counted ALLOC");
            case FREE_PARTIAL:
                return refCounted(((LogEvent.FreePartial) e).idFormat(), at(n) + "a reference-counted FREE");
            case FREE_FINAL:
                return refCounted(((LogEvent.FreeFinal) e).idFormat(), at(n) + "a reference-counted FREE");
            default:
                return null;
        }
    }

    private static String at(long n) {
        return "detected from line " + n + ": ";
    }

    private static Detection refCounted(IdFormat format, String reason) {
        return format == IdFormat.HEX ? new Detection(ServerVersion.S4, reason + " with a 0x id")
                : new Detection(ServerVersion.S1, reason + " with a decimal id (S1-S3 behave alike here)");
    }

    /**
     * A line {@link Utf8EventParser} recognised: what {@link #line} does with the equal event, sent to the server
     * without building the event or the message.
     */
    private void event(Utf8EventParser p, LineKind kind, long number) {
        lines++;
        switch (kind) {
            case ALLOC_NEW, ALLOC_DUP:
                server.acceptAlloc(p.device(), p.size(), p.bufferType(), p.pid(), p.bufferId(), number);
                alloc(p.size(), p.device(), p.bufferId());
                break;
            case FREE_FINAL, FREE_PARTIAL, FREE_E1:
                server.acceptFree(p.device(), p.pid(), p.bufferId());
                free(p.device(), p.bufferId(), false);
                break;
            case FREE_E0:
                server.acceptFree(0, p.pid(), p.bufferId());
                free(0, p.bufferId(), false);
                break;
            case UNKNOWN_FREE:
                server.acceptFree(p.device(), p.pid(), p.bufferId());
                free(p.device(), p.bufferId(), true);
                break;
            default:
                throw new AssertionError(kind);
        }
    }

    private void line(String text, long number) {
        lines++;
        LogEvent e = parser.parseLine(text, (int) Math.min(number, Integer.MAX_VALUE));
        applyTo(server, e, number);
        if (e instanceof LogEvent.AllocNew a) {
            alloc(a.size(), a.device(), a.bufferId());
        } else if (e instanceof LogEvent.AllocDup a) {
            alloc(a.size(), a.device(), a.bufferId());
        } else if (e instanceof LogEvent.FreeFinal f) {
            free(f.device(), f.bufferId(), false);
        } else if (e instanceof LogEvent.FreePartial f) {
            free(f.device(), f.bufferId(), false);
        } else if (e instanceof LogEvent.FreeE1 f) {
            free(f.device(), f.bufferId(), false);
        } else if (e instanceof LogEvent.FreeE0 f) {
            free(0, f.bufferId(), false);
        } else if (e instanceof LogEvent.UnknownFree f) {
            free(f.device(), f.bufferId(), true);
        } else if (e instanceof LogEvent.UnknownFreeNeverTracked f) {
            free(f.device(), f.bufferId(), true);
        } else if (e instanceof LogEvent.AlreadyFreed f) {
            free(f.device(), f.bufferId(), true);
        } else if (e instanceof LogEvent.UnknownFreeLegacy f) {
            // No device in the line: the original server changed nothing; count it, do not guess a key.
            logUnknown++;
            balances.free(keyDevice(0), f.bufferId());
        } else if (e instanceof LogEvent.SweepDeadPid s) {
            if (!version.hasSweep()) {
                mismatch(number, "PID " + s.pid() + " swept, but " + version + " has no sweep");
            }
        } else if (e instanceof LogEvent.ActiveAllocations a) {
            check(number, "Active allocations", a.count(), server.activeAllocations());
        } else if (e instanceof LogEvent.StatsDevice d) {
            statsDevice = d.device();
        } else if (e instanceof LogEvent.StatsBytesKb s) {
            statsDram(number, s.label(), s.bytes());
        } else if (e instanceof LogEvent.StatsBytes s) {
            statsDram(number, s.label(), s.bytes());
        } else if (e instanceof LogEvent.Malformed m) {
            malformed.add(new ReplayReport.MalformedLine(number, m.text(), m.reason()));
        } else if (e instanceof LogEvent.Other) {
            other++;
        } else if (NOT_REPLAYED.contains(e.kind())) {
            notReplayed++;
        }
    }

    /**
     * Sends {@code event} to {@code server} as the message that made the original server print it: ALLOC lines as
     * ALLOCs (timestamp = {@code number}), FREE lines and device-carrying unknown-FREE warnings as FREEs, a
     * {@code PID p is dead} line as a sweep of p (ignored by versions without sweep). Other lines send nothing.
     *
     * @return whether a message or sweep was applied
     */
    public static boolean applyTo(AllocationServer server, LogEvent event, long number) {
        AllocMessage message = null;
        if (event instanceof LogEvent.AllocNew a) {
            message = AllocMessage.alloc(a.device(), a.size(), a.bufferType(), a.pid(), a.bufferId(), number);
        } else if (event instanceof LogEvent.AllocDup a) {
            message = AllocMessage.alloc(a.device(), a.size(), a.bufferType(), a.pid(), a.bufferId(), number);
        } else if (event instanceof LogEvent.FreeFinal f) {
            message = AllocMessage.free(f.device(), f.pid(), f.bufferId());
        } else if (event instanceof LogEvent.FreePartial f) {
            message = AllocMessage.free(f.device(), f.pid(), f.bufferId());
        } else if (event instanceof LogEvent.FreeE1 f) {
            message = AllocMessage.free(f.device(), f.pid(), f.bufferId());
        } else if (event instanceof LogEvent.FreeE0 f) {
            message = AllocMessage.free(0, f.pid(), f.bufferId());
        } else if (event instanceof LogEvent.UnknownFree f) {
            message = AllocMessage.free(f.device(), f.pid(), f.bufferId());
        } else if (event instanceof LogEvent.UnknownFreeNeverTracked f) {
            message = AllocMessage.free(f.device(), f.pid(), f.bufferId());
        } else if (event instanceof LogEvent.AlreadyFreed f) {
            message = AllocMessage.free(f.device(), f.pid(), f.bufferId());
        } else if (event instanceof LogEvent.SweepDeadPid s) {
            if (!server.version().hasSweep()) {
                return false;
            }
            server.sweep(LivenessOracle.deadPids(Set.of(s.pid())));
            return true;
        }
        if (message == null) {
            return false;
        }
        server.accept(message);
        return true;
    }

    private void alloc(long size, int device, long id) {
        allocLines++;
        balances.alloc(keyDevice(device), id, size);
    }

    private void free(int device, long id, boolean warned) {
        if (warned) {
            logUnknown++;
        } else {
            freeLines++;
        }
        balances.free(keyDevice(device), id);
    }

    /** E0 logs are keyed by buffer id alone (device -1 in the report). */
    private int keyDevice(int device) {
        return version.keyedByBufferIdOnly() ? -1 : device;
    }

    private void statsDram(long number, LogEvent.StatsLabel label, long bytes) {
        if (label != LogEvent.StatsLabel.DRAM || statsDevice < 0
                || statsDevice >= AllocationServer.MAX_DEVICES) {
            return;
        }
        DeviceCounters c = server.counters(statsDevice);
        check(number, "device " + statsDevice + " DRAM", bytes, c.dram());
    }

    private void check(long number, String what, long logged, long replayed) {
        compared++;
        if (logged != replayed) {
            mismatch(number, what + ": log " + logged + ", replay " + replayed);
        }
    }

    private void mismatch(long number, String what) {
        mismatches++;
        if (firstMismatch.isEmpty()) {
            firstMismatch = "line " + number + ", " + what;
        }
    }

    private ReplayReport report(String source) {
        List<KeyBalance> keys = balances.sorted();
        Map<Long, long[]> groups = new TreeMap<>();
        server.forEachLiveEntry(e -> {
            long key = ((long) e.deviceId() << 8) | e.bufferType();
            long[] g = groups.computeIfAbsent(key, k -> new long[2]);
            g[0]++;
            g[1] += e.size();
        });
        List<ReplayReport.Remaining> remaining = new ArrayList<>();
        groups.forEach((k, g) -> remaining.add(new ReplayReport.Remaining((int) (k >> 8), (int) (k & 0xff), g[0],
                g[1])));
        return new ReplayReport(source, version, versionReason, lines, allocLines, freeLines, logUnknown,
                server.unknownFreeCount(), keys, remaining, malformed, other, notReplayed,
                new ReplayReport.Checks(compared, mismatches, firstMismatch));
    }
}
