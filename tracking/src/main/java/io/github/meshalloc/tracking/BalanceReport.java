package io.github.meshalloc.tracking;

import com.google.common.base.Preconditions;
import io.github.meshalloc.allocator.BufferType;
import io.github.meshalloc.tracking.log.LogEvent;
import io.github.meshalloc.tracking.log.ServerLine;
import io.github.meshalloc.tracking.server.AllocationServer;
import io.github.meshalloc.tracking.server.BufferKey;
import io.github.meshalloc.tracking.server.DeviceCounters;
import io.github.meshalloc.tracking.server.LiveEntry;
import io.github.meshalloc.tracking.server.ServerVersion;
import io.github.meshalloc.tracking.wire.BufferTypeCode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The allocation server's view of device memory set against the truth read from the allocators.
 *
 * <p>Models the question the seeds kept asking by hand (reference 3.11, seed-arithmetic.md): does what the tracking
 * server holds equal what the device holds? Keys are the server's, (device id, buffer id = address); the truth is a
 * {@link TruthSnapshot} and is never rebuilt from events. Reported, per device and type where it applies:
 * <ul>
 *   <li>{@link Kind#RESIDUAL}: a server entry no live allocation stands behind (bytes the monitor shows that are
 *       not used);</li>
 *   <li>{@link Kind#MISSING}: a live allocation the server has no entry for;</li>
 *   <li>{@link Kind#SIZE_MISMATCH}: a key both hold whose stored size is the size of none of the allocations there
 *       (address reuse with a different size while the key never went away, reference 10 item 17);</li>
 *   <li>{@link Kind#OVER_COUNTED} / {@link Kind#UNDER_COUNTED}: on a reference-counting server, a key whose count
 *       exceeds (duplicate ALLOCs: a backing buffer and chip 0, views, kernel-binary writes) or falls short of the
 *       number of allocations there;</li>
 *   <li>the server's unknown-FREE and duplicate-ALLOC counters, with the unknown FREEs' keys read from its log;</li>
 *   <li>the device-memory findings of the truth: ranges held by Buffers that are no longer ALLOCATED or were
 *       destroyed, ranges no Buffer stands behind, ranges held after close. These catch the opposite failure,
 *       messages that balance while memory leaks (seed 003's final fix).</li>
 * </ul>
 * Equal views give an empty report ({@link #isEmpty()}). Each discrepancy carries, where a {@link Provenance} knows
 * it, the step and buffer that caused it.
 *
 * @param serverVersion      the server compared
 * @param discrepancies      key-level discrepancies, by kind then key
 * @param unknownFreeCount   FREEs for keys the server did not hold, over its life
 * @param unknownFrees       those FREEs as the log shows them, in order
 * @param duplicateAllocCount ALLOCs for keys the server already held, over its life
 * @param residualBytes      residual bytes per device and type
 * @param missingBytes       missing bytes per device and type
 * @param counterDrifts      devices whose byte counters differ from the sum of their live entries (a server that
 *                           adds a duplicate ALLOC's bytes again, E1a)
 * @param deviceMemory       allocator findings that lose device memory or corrupt the allocator's books
 */
public record BalanceReport(ServerVersion serverVersion, List<KeyDiscrepancy> discrepancies, long unknownFreeCount,
                            List<UnknownFree> unknownFrees, long duplicateAllocCount,
                            List<DeviceTypeBytes> residualBytes, List<DeviceTypeBytes> missingBytes,
                            List<CounterDrift> counterDrifts, List<MemoryFinding> deviceMemory) {

    /** Kinds of key-level discrepancy. */
    public enum Kind {
        RESIDUAL,
        MISSING,
        SIZE_MISMATCH,
        OVER_COUNTED,
        UNDER_COUNTED
    }

    /**
     * The step and buffer behind a discrepancy.
     *
     * @param step   1-based step of the session that caused it
     * @param op     the step's operation as text
     * @param detail what happened there (which buffer, which call)
     */
    public record Cause(int step, String op, String detail) {
        public Cause {
            Preconditions.checkNotNull(op, "op");
            Preconditions.checkNotNull(detail, "detail");
        }

        @Override
        public String toString() {
            return "step " + step + " (" + op + "): " + detail;
        }
    }

    /** Knows which step and buffer caused a discrepancy (a session's record of tracker calls and messages). */
    public interface Provenance {
        /** No provenance. */
        Provenance NONE = new Provenance() {
        };

        /** The cause of a key-level discrepancy. */
        default Optional<Cause> causeOf(KeyDiscrepancy discrepancy) {
            return Optional.empty();
        }

        /** The cause of an allocator finding. */
        default Optional<Cause> causeOf(TruthSnapshot.AllocatorFinding finding) {
            return Optional.empty();
        }
    }

    /**
     * One key on which the views differ.
     *
     * @param kind        what differs
     * @param deviceId    the server key's device
     * @param bufferId    the server key's buffer id (address)
     * @param serverEntry the server's entry, if it holds one
     * @param truth       the live allocations at this key (same chip and address)
     * @param cause       the step and buffer that caused it, where known
     */
    public record KeyDiscrepancy(Kind kind, int deviceId, long bufferId, Optional<LiveEntry> serverEntry,
                                 List<TruthSnapshot.Allocation> truth, Optional<Cause> cause) {
        public KeyDiscrepancy {
            Preconditions.checkNotNull(kind, "kind");
            Preconditions.checkNotNull(serverEntry, "serverEntry");
            truth = List.copyOf(truth);
            Preconditions.checkNotNull(cause, "cause");
        }

        KeyDiscrepancy withCause(Optional<Cause> c) {
            return new KeyDiscrepancy(kind, deviceId, bufferId, serverEntry, truth, c);
        }

        /** One line for reports. */
        public String describe() {
            StringBuilder sb = new StringBuilder();
            sb.append(kind.name().toLowerCase(Locale.ROOT).replace('_', ' ')).append(" key (device ").append(deviceId)
                    .append(", buffer ").append(Long.toUnsignedString(bufferId)).append(")");
            serverEntry.ifPresent(e -> sb.append(": server holds ").append(BufferTypeCode.fromCode(e.bufferType())
                            .map(BufferTypeCode::logName).orElse("type " + e.bufferType())).append(' ')
                    .append(Long.toUnsignedString(e.size())).append(" B, ref_count ").append(e.refCount())
                    .append(", owner ").append(e.ownerPid()));
            if (!truth.isEmpty()) {
                sb.append(serverEntry.isPresent() ? "; " : ": ").append("device holds ");
                for (int i = 0; i < truth.size(); i++) {
                    sb.append(i == 0 ? "" : " and ").append(truth.get(i).describe());
                }
            } else {
                sb.append("; device holds nothing there");
            }
            cause.ifPresent(c -> sb.append("; caused at ").append(c));
            return sb.toString();
        }
    }

    /**
     * An unknown FREE as the server logged it.
     *
     * @param deviceId the message's device, if the line shows one (E-era lines do not)
     * @param bufferId the message's buffer id
     * @param pid      the message's pid, if shown
     */
    public record UnknownFree(OptionalInt deviceId, long bufferId, OptionalInt pid) {
    }

    /**
     * Bytes on one device of one type.
     *
     * @param deviceId device
     * @param type     buffer type code's counter name
     * @param keys     number of keys
     * @param bytes    their bytes
     */
    public record DeviceTypeBytes(int deviceId, String type, int keys, long bytes) {
    }

    /**
     * A device whose byte counters disagree with its registry.
     *
     * @param deviceId      device
     * @param counterBytes  dram + l1 + l1_small + trace counters
     * @param registryBytes sum of stored sizes of its live entries
     * @param counterBuffers num_buffers
     * @param registryKeys  live entries
     */
    public record CounterDrift(int deviceId, long counterBytes, long registryBytes, long counterBuffers,
                               int registryKeys) {
    }

    /**
     * An allocator finding with its cause.
     *
     * @param finding the finding
     * @param cause   the step and buffer, where known
     */
    public record MemoryFinding(TruthSnapshot.AllocatorFinding finding, Optional<Cause> cause) {
        /** One line for reports. */
        public String describe() {
            return finding.describe() + cause.map(c -> "; caused at " + c).orElse("");
        }
    }

    public BalanceReport {
        Preconditions.checkNotNull(serverVersion, "serverVersion");
        discrepancies = List.copyOf(discrepancies);
        unknownFrees = List.copyOf(unknownFrees);
        residualBytes = List.copyOf(residualBytes);
        missingBytes = List.copyOf(missingBytes);
        counterDrifts = List.copyOf(counterDrifts);
        deviceMemory = List.copyOf(deviceMemory);
    }

    /** The server of {@code host} against the truth of its live processes' open meshes. */
    public static BalanceReport compare(Host host) {
        return compare(host.server(), TruthSnapshot.read(host), Provenance.NONE);
    }

    /**
     * The report for {@code server} against {@code truth}.
     *
     * @param provenance who knows the causes ({@link Provenance#NONE} if nobody)
     */
    public static BalanceReport compare(AllocationServer server, TruthSnapshot truth, Provenance provenance) {
        Preconditions.checkNotNull(server, "server");
        Preconditions.checkNotNull(truth, "truth");
        Preconditions.checkNotNull(provenance, "provenance");
        ServerVersion version = server.version();
        boolean byIdOnly = version.keyedByBufferIdOnly();
        SortedMap<BufferKey, List<TruthSnapshot.Allocation>> truthByKey = new TreeMap<>();
        for (TruthSnapshot.Allocation a : truth.allocations()) {
            BufferKey key = new BufferKey(byIdOnly ? 0 : a.chipId(), a.address());
            truthByKey.computeIfAbsent(key, k -> new ArrayList<>(1)).add(a);
        }
        SortedMap<BufferKey, LiveEntry> entries = server.liveEntries();
        if (byIdOnly) {
            // E0 keys its registry by buffer id alone; its entries keep the device they were stored with.
            SortedMap<BufferKey, LiveEntry> rekeyed = new TreeMap<>();
            for (LiveEntry e : entries.values()) {
                rekeyed.put(new BufferKey(0, e.bufferId()), e);
            }
            entries = rekeyed;
        }
        List<KeyDiscrepancy> found = new ArrayList<>();
        for (Map.Entry<BufferKey, LiveEntry> e : entries.entrySet()) {
            BufferKey key = e.getKey();
            LiveEntry entry = e.getValue();
            List<TruthSnapshot.Allocation> there = truthByKey.getOrDefault(key, List.of());
            if (there.isEmpty()) {
                found.add(discrepancy(Kind.RESIDUAL, key, Optional.of(entry), there));
                continue;
            }
            boolean sizeSeen = false;
            for (TruthSnapshot.Allocation a : there) {
                sizeSeen |= a.size() == entry.size();
            }
            if (!sizeSeen) {
                found.add(discrepancy(Kind.SIZE_MISMATCH, key, Optional.of(entry), there));
            }
            if (version.refCounts() && entry.refCount() > there.size()) {
                found.add(discrepancy(Kind.OVER_COUNTED, key, Optional.of(entry), there));
            } else if (version.refCounts() && entry.refCount() < there.size()) {
                found.add(discrepancy(Kind.UNDER_COUNTED, key, Optional.of(entry), there));
            }
        }
        for (Map.Entry<BufferKey, List<TruthSnapshot.Allocation>> t : truthByKey.entrySet()) {
            if (!entries.containsKey(t.getKey())) {
                found.add(discrepancy(Kind.MISSING, t.getKey(), Optional.empty(), t.getValue()));
            }
        }
        found.sort(Comparator.comparing(KeyDiscrepancy::kind)
                .thenComparing(d -> new BufferKey(d.deviceId(), d.bufferId())));
        List<KeyDiscrepancy> withCauses = new ArrayList<>(found.size());
        for (KeyDiscrepancy d : found) {
            withCauses.add(d.withCause(provenance.causeOf(d)));
        }
        List<MemoryFinding> memory = new ArrayList<>();
        for (TruthSnapshot.AllocatorFinding f : truth.findings()) {
            memory.add(new MemoryFinding(f, provenance.causeOf(f)));
        }
        return new BalanceReport(version, withCauses, server.unknownFreeCount(), unknownFreesOf(server),
                server.duplicateAllocCount(), bytesOf(withCauses, Kind.RESIDUAL), bytesOf(withCauses, Kind.MISSING),
                driftsOf(server, entries), memory);
    }

    private static KeyDiscrepancy discrepancy(Kind kind, BufferKey key, Optional<LiveEntry> entry,
                                              List<TruthSnapshot.Allocation> truth) {
        return new KeyDiscrepancy(kind, key.deviceId(), key.bufferId(), entry, truth, Optional.empty());
    }

    private static List<UnknownFree> unknownFreesOf(AllocationServer server) {
        List<UnknownFree> out = new ArrayList<>();
        if (server.unknownFreeCount() == 0) {
            return out;
        }
        for (ServerLine line : server.log().lines()) {
            LogEvent event = line.event();
            if (event instanceof LogEvent.UnknownFree u) {
                out.add(new UnknownFree(OptionalInt.of(u.device()), u.bufferId(), OptionalInt.of(u.pid())));
            } else if (event instanceof LogEvent.UnknownFreeLegacy u) {
                out.add(new UnknownFree(OptionalInt.empty(), u.bufferId(), OptionalInt.empty()));
            } else if (event instanceof LogEvent.UnknownFreeNeverTracked u) {
                out.add(new UnknownFree(OptionalInt.of(u.device()), u.bufferId(), OptionalInt.of(u.pid())));
            } else if (event instanceof LogEvent.AlreadyFreed u) {
                out.add(new UnknownFree(OptionalInt.of(u.device()), u.bufferId(), OptionalInt.of(u.pid())));
            }
        }
        return out;
    }

    private static List<DeviceTypeBytes> bytesOf(List<KeyDiscrepancy> discrepancies, Kind kind) {
        SortedMap<Integer, SortedMap<String, long[]>> sums = new TreeMap<>();
        for (KeyDiscrepancy d : discrepancies) {
            if (d.kind() != kind) {
                continue;
            }
            String type;
            long bytes;
            if (d.serverEntry().isPresent()) {
                LiveEntry e = d.serverEntry().get();
                type = BufferTypeCode.fromCode(e.bufferType()).map(BufferTypeCode::logName)
                        .orElse("type " + e.bufferType());
                bytes = e.size();
            } else {
                BufferType t = d.truth().get(0).type();
                type = BufferTypeCode.ofCode(t.code()).logName();
                bytes = 0;
                for (TruthSnapshot.Allocation a : d.truth()) {
                    bytes += a.size();
                }
            }
            long[] sum = sums.computeIfAbsent(d.deviceId(), k -> new TreeMap<>()).computeIfAbsent(type,
                    k -> new long[2]);
            sum[0]++;
            sum[1] += bytes;
        }
        List<DeviceTypeBytes> out = new ArrayList<>();
        for (Map.Entry<Integer, SortedMap<String, long[]>> device : sums.entrySet()) {
            for (Map.Entry<String, long[]> e : device.getValue().entrySet()) {
                out.add(new DeviceTypeBytes(device.getKey(), e.getKey(), (int) e.getValue()[0], e.getValue()[1]));
            }
        }
        return out;
    }

    private static List<CounterDrift> driftsOf(AllocationServer server, SortedMap<BufferKey, LiveEntry> entries) {
        long[] bytes = new long[AllocationServer.MAX_DEVICES];
        int[] keys = new int[AllocationServer.MAX_DEVICES];
        for (LiveEntry e : entries.values()) {
            if (e.deviceId() >= 0 && e.deviceId() < AllocationServer.MAX_DEVICES) {
                bytes[e.deviceId()] += e.size();
                keys[e.deviceId()]++;
            }
        }
        List<CounterDrift> out = new ArrayList<>();
        for (int d = 0; d < AllocationServer.MAX_DEVICES; d++) {
            DeviceCounters c = server.counters(d);
            if (c.total() != bytes[d] || c.numBuffers() != keys[d]) {
                out.add(new CounterDrift(d, c.total(), bytes[d], c.numBuffers(), keys[d]));
            }
        }
        return out;
    }

    /** Discrepancies of one kind. */
    public List<KeyDiscrepancy> ofKind(Kind kind) {
        return discrepancies.stream().filter(d -> d.kind() == kind).toList();
    }

    /** Server entries no live allocation stands behind. */
    public List<KeyDiscrepancy> residual() {
        return ofKind(Kind.RESIDUAL);
    }

    /** Live allocations the server has no entry for. */
    public List<KeyDiscrepancy> missing() {
        return ofKind(Kind.MISSING);
    }

    /** Keys whose stored size is that of none of the allocations there. */
    public List<KeyDiscrepancy> sizeMismatches() {
        return ofKind(Kind.SIZE_MISMATCH);
    }

    /** Keys a reference-counting server counts more often than there are allocations (duplicate ALLOCs). */
    public List<KeyDiscrepancy> overCounted() {
        return ofKind(Kind.OVER_COUNTED);
    }

    /** Allocator findings that lose memory (every finding but a Buffer whose range is no longer held). */
    public List<MemoryFinding> leaks() {
        return deviceMemory.stream().filter(f -> f.finding().leaksMemory()).toList();
    }

    /**
     * Whether the views are equal and the device's books are clean: no discrepancy, no unknown FREE, no duplicate
     * ALLOC on a server that cannot count them, no counter drift, no allocator finding.
     */
    public boolean isEmpty() {
        return discrepancies.isEmpty() && unknownFreeCount == 0
                && (serverVersion.refCounts() || duplicateAllocCount == 0) && counterDrifts.isEmpty()
                && deviceMemory.isEmpty();
    }

    /** The report as text, one finding per line; "balanced" when empty. */
    public String render() {
        if (isEmpty()) {
            return "balanced: the " + serverVersion + " server's view equals the device's memory";
        }
        StringBuilder sb = new StringBuilder();
        for (KeyDiscrepancy d : discrepancies) {
            sb.append("  ").append(d.describe()).append('\n');
        }
        for (DeviceTypeBytes b : residualBytes) {
            sb.append("  residual on device ").append(b.deviceId()).append(' ').append(b.type()).append(": ")
                    .append(b.keys()).append(" keys, ").append(b.bytes()).append(" B\n");
        }
        for (DeviceTypeBytes b : missingBytes) {
            sb.append("  missing on device ").append(b.deviceId()).append(' ').append(b.type()).append(": ")
                    .append(b.keys()).append(" keys, ").append(b.bytes()).append(" B\n");
        }
        if (unknownFreeCount > 0) {
            sb.append("  unknown FREEs: ").append(unknownFreeCount);
            for (UnknownFree u : unknownFrees) {
                sb.append(" (device ").append(u.deviceId().isPresent() ? String.valueOf(u.deviceId().getAsInt()) : "?")
                        .append(", buffer ").append(Long.toUnsignedString(u.bufferId())).append(')');
            }
            sb.append('\n');
        }
        if (!serverVersion.refCounts() && duplicateAllocCount > 0) {
            sb.append("  duplicate ALLOCs on a server without reference counts: ").append(duplicateAllocCount)
                    .append('\n');
        }
        for (CounterDrift c : counterDrifts) {
            sb.append("  device ").append(c.deviceId()).append(" counters say ").append(c.counterBytes())
                    .append(" B in ").append(c.counterBuffers()).append(" buffers; its entries hold ")
                    .append(c.registryBytes()).append(" B in ").append(c.registryKeys()).append('\n');
        }
        for (MemoryFinding f : deviceMemory) {
            sb.append("  device memory: ").append(f.describe()).append('\n');
        }
        return sb.toString();
    }
}
