package io.github.meshalloc.examples.replay;

import com.google.common.base.Preconditions;
import io.github.meshalloc.tracking.log.IdFormat;
import io.github.meshalloc.tracking.log.LogEvent;
import io.github.meshalloc.tracking.log.LogParseException;
import io.github.meshalloc.tracking.log.ServerLogParser;
import io.github.meshalloc.tracking.server.AllocationServer;
import io.github.meshalloc.tracking.server.BufferKey;
import io.github.meshalloc.tracking.server.DeviceCounters;
import io.github.meshalloc.tracking.server.LiveEntry;
import io.github.meshalloc.tracking.server.LivenessOracle;
import io.github.meshalloc.tracking.server.ServerVersion;
import io.github.meshalloc.tracking.wire.AllocMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
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
 */
public final class LogReplay {

    /** Lines counted but not replayed: CB/kernel lines carry no address; rejected messages changed nothing. */
    private static final Set<LineKind> NOT_REPLAYED = EnumSet.of(LineKind.CB_ALLOC, LineKind.CB_FREE,
            LineKind.KERNEL_LOAD, LineKind.KERNEL_UNLOAD, LineKind.BAD_TYPE, LineKind.BAD_TYPE_S5,
            LineKind.BAD_TYPE_SHORT, LineKind.BAD_DEVICE, LineKind.BAD_SIZE, LineKind.UNKNOWN_TYPE);

    private final ServerVersion version;
    private final String versionReason;
    private final boolean lenient;
    private final ServerLogParser parser;
    private final AllocationServer server;
    private final Map<BufferKey, long[]> balances = new HashMap<>();
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
     *
     * @throws LogParseException on a malformed line when not lenient
     * @throws IOException       if the file cannot be read
     */
    public static ReplayReport replay(Path path, Optional<ServerVersion> version, boolean lenient) throws IOException {
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
            LogEvent e = p.parseLine(line, (int) Math.min(n, Integer.MAX_VALUE));
            String at = "detected from line " + n + ": ";
            switch (e.kind()) {
                case FREE_E0:
                    return new Detection(ServerVersion.E0, at + "a FREE without device");
                case FREE_E1:
                    return new Detection(ServerVersion.E1A, at + "a FREE without ref count (E1; E1a assumed)");
                case ALREADY_FREED, UNKNOWN_FREE_NEVER_TRACKED, SIZE_CHANGED, HISTORY_LINE, DUMP_HISTORY_HEADER:
                    return new Detection(ServerVersion.ENHANCED, at + "a history-server line");
                case CB_ALLOC, CB_FREE, KERNEL_LOAD, KERNEL_UNLOAD, BAD_TYPE_S5, BAD_DEVICE, BAD_SIZE:
                    return new Detection(ServerVersion.S5, at + "an S5-only line");
                case ALLOC_DUP:
                    return refCounted(((LogEvent.AllocDup) e).idFormat(), at + "a reference-counted ALLOC");
                case FREE_PARTIAL:
                    return refCounted(((LogEvent.FreePartial) e).idFormat(), at + "a reference-counted FREE");
                case FREE_FINAL:
                    return refCounted(((LogEvent.FreeFinal) e).idFormat(), at + "a reference-counted FREE");
                default:
                    break;
            }
        }
        return new Detection(ServerVersion.S4, "no line tells versions apart; S4 assumed");
    }

    private static Detection refCounted(IdFormat format, String reason) {
        return format == IdFormat.HEX ? new Detection(ServerVersion.S4, reason + " with a 0x id")
                : new Detection(ServerVersion.S1, reason + " with a decimal id (S1-S3 behave alike here)");
    }

    private void line(String text, long number) {
        lines++;
        LogEvent e = parser.parseLine(text, (int) Math.min(number, Integer.MAX_VALUE));
        applyTo(server, e, number);
        if (e instanceof LogEvent.AllocNew a) {
            alloc(a.pid(), a.size(), a.bufferType(), a.device(), a.bufferId(), number);
        } else if (e instanceof LogEvent.AllocDup a) {
            alloc(a.pid(), a.size(), a.bufferType(), a.device(), a.bufferId(), number);
        } else if (e instanceof LogEvent.FreeFinal f) {
            free(f.pid(), f.device(), f.bufferId(), false);
        } else if (e instanceof LogEvent.FreePartial f) {
            free(f.pid(), f.device(), f.bufferId(), false);
        } else if (e instanceof LogEvent.FreeE1 f) {
            free(f.pid(), f.device(), f.bufferId(), false);
        } else if (e instanceof LogEvent.FreeE0 f) {
            free(f.pid(), 0, f.bufferId(), false);
        } else if (e instanceof LogEvent.UnknownFree f) {
            free(f.pid(), f.device(), f.bufferId(), true);
        } else if (e instanceof LogEvent.UnknownFreeNeverTracked f) {
            free(f.pid(), f.device(), f.bufferId(), true);
        } else if (e instanceof LogEvent.AlreadyFreed f) {
            free(f.pid(), f.device(), f.bufferId(), true);
        } else if (e instanceof LogEvent.UnknownFreeLegacy f) {
            // No device in the line: the original server changed nothing; count it, do not guess a key.
            logUnknown++;
            balance(0, f.bufferId())[1]++;
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

    private void alloc(int pid, long size, int type, int device, long id, long number) {
        allocLines++;
        long[] b = balance(device, id);
        if (b[0] == 0) {
            b[2] = size;
        } else if (b[2] != size) {
            b[3] = 1;
        }
        b[0]++;
    }

    private void free(int pid, int device, long id, boolean warned) {
        if (warned) {
            logUnknown++;
        } else {
            freeLines++;
        }
        balance(device, id)[1]++;
    }

    private long[] balance(int device, long id) {
        int keyDevice = version.keyedByBufferIdOnly() ? -1 : device;
        return balances.computeIfAbsent(new BufferKey(keyDevice, id), k -> new long[4]);
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
        List<KeyBalance> keys = new ArrayList<>(balances.size());
        new TreeMap<>(balances).forEach((k, v) -> keys.add(new KeyBalance(k.deviceId(), k.bufferId(), v[0], v[1], v[2],
                v[3] != 0)));
        Map<Long, long[]> groups = new TreeMap<>();
        for (LiveEntry e : server.liveEntries().values()) {
            long key = ((long) e.deviceId() << 8) | e.bufferType();
            long[] g = groups.computeIfAbsent(key, k -> new long[2]);
            g[0]++;
            g[1] += e.size();
        }
        List<ReplayReport.Remaining> remaining = new ArrayList<>();
        groups.forEach((k, g) -> remaining.add(new ReplayReport.Remaining((int) (k >> 8), (int) (k & 0xff), g[0],
                g[1])));
        return new ReplayReport(source, version, versionReason, lines, allocLines, freeLines, logUnknown,
                server.unknownFreeCount(), keys, remaining, malformed, other, notReplayed,
                new ReplayReport.Checks(compared, mismatches, firstMismatch));
    }
}
