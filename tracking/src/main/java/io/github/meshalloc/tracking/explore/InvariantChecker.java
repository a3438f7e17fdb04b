package io.github.meshalloc.tracking.explore;

import com.google.common.base.Preconditions;
import io.github.meshalloc.allocator.Buffer;
import io.github.meshalloc.mesh.MeshBuffer;
import io.github.meshalloc.mesh.MeshDevice;
import io.github.meshalloc.mesh.Program;
import io.github.meshalloc.tracking.BalanceReport;
import io.github.meshalloc.tracking.Host;
import io.github.meshalloc.tracking.DeviceMemory;
import io.github.meshalloc.tracking.TruthSnapshot;
import io.github.meshalloc.tracking.log.LogEvent;
import io.github.meshalloc.tracking.ops.Op;
import io.github.meshalloc.tracking.ops.Session;
import io.github.meshalloc.tracking.server.AllocationServer;
import io.github.meshalloc.tracking.server.LiveEntry;
import io.github.meshalloc.tracking.server.ServerVersion;
import io.github.meshalloc.tracking.wire.AllocMessage;
import io.github.meshalloc.tracking.wire.MessageType;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a session's invariants after each step; the same checks back the explorer and the jqwik properties.
 *
 * <p>After every step: device memory is read (a {@link TruthSnapshot}) and must hold no leaked range
 * ({@link Invariant#DEVICE_MEMORY_RETURNED}) nor a live Buffer without its range
 * ({@link Invariant#ALLOCATOR_CONSISTENT}). Where the code state promises a server view (it has the fork's allocation
 * client) and the server is up: no new unknown FREE, no duplicate ALLOC on a server without reference counts, and the
 * server's keys, sizes and counts equal the truth ({@link BalanceReport} without its over-counted keys, which a
 * reference-counting server balances later); a residual found right after a close (of a mesh or a chip, or at the
 * end of a process) is reported as
 * {@link Invariant#ZERO_RESIDUAL_AFTER_CLOSE}.
 *
 * <p>What the server cannot know is not held against the code state. When the server (re)starts, every key that was
 * live then, or could still be reported by a live object, becomes <em>blind</em>: its missing entry, its unknown FREE
 * and its residue are excused until nothing holds the key any more (the seeds' "start-up timing" unknowns, reference
 * 10 item 16). A process killed on a server without a dead-process sweep (E0/E1) leaves entries no report can remove;
 * they are blind too. While the server is down only device memory is checked.
 */
public final class InvariantChecker {

    /** Findings quoted in a violation's detail; the rest are counted. */
    static final int MAX_FINDINGS_SHOWN = 4;

    private final Session session;
    private final boolean promisesView;
    private final ServerVersion version;
    private final Set<Long> blind = new HashSet<>();
    private final List<Long> duplicateKeys = new ArrayList<>();
    private AllocationServer server;
    private long unknownBase;
    private long duplicateBase;
    private int logBase;

    /** A checker for {@code session}; create it before the session's first step. */
    public InvariantChecker(Session session) {
        this.session = Preconditions.checkNotNull(session, "session");
        this.promisesView = session.rules().allocationClient();
        this.version = session.rules().serverVersion();
        this.server = session.host().server();
        this.unknownBase = server.unknownFreeCount();
        this.duplicateBase = server.duplicateAllocCount();
        this.logBase = server.log().size();
        if (promisesView && !version.refCounts()) {
            session.host().setDeliveryObserver(this::observe);
        }
    }

    private long key(int device, long bufferId) {
        return ((long) (version.keyedByBufferIdOnly() ? 0 : device) << 32) ^ bufferId;
    }

    private void observe(AllocMessage message, AllocationServer target) {
        if (message.typeCode() == MessageType.ALLOC.code()
                && target.entry(message.deviceId(), message.bufferId()).isPresent()) {
            duplicateKeys.add(key(message.deviceId(), message.bufferId()));
        }
    }

    /** Keys the server holds nothing to excuse (for tests and reports). */
    public Set<Long> blindKeys() {
        return Set.copyOf(blind);
    }

    /**
     * Checks the session after {@code step}.
     *
     * @return the first violation, in {@link Invariant} order, or empty
     */
    public Optional<Violation> afterStep(Session.Step step) {
        List<Violation> all = allAfterStep(step);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    /**
     * Checks the session after {@code step} and returns every broken invariant, in {@link Invariant} order (the
     * first is what {@link #afterStep} reports). Call it once per step, in step order.
     */
    public List<Violation> allAfterStep(Session.Step step) {
        Preconditions.checkNotNull(step, "step");
        Map<Invariant, List<String>> found = new EnumMap<>(Invariant.class);
        TruthSnapshot truth = session.truth();
        for (TruthSnapshot.AllocatorFinding f : truth.findings()) {
            Invariant inv = f.leaksMemory() ? Invariant.DEVICE_MEMORY_RETURNED : Invariant.ALLOCATOR_CONSISTENT;
            found.computeIfAbsent(inv, k -> new ArrayList<>()).add(f.describe());
        }
        if (promisesView) {
            checkServer(step, truth, found);
        }
        List<Violation> out = new ArrayList<>(found.size());
        for (Map.Entry<Invariant, List<String>> e : found.entrySet()) {
            out.add(new Violation(e.getKey(), step.index(), summary(e.getValue())));
        }
        return out;
    }

    /** The first findings, then how many more (the balance report lists them all). */
    private static String summary(List<String> findings) {
        int shown = Math.min(findings.size(), MAX_FINDINGS_SHOWN);
        String text = String.join("; ", findings.subList(0, shown));
        return findings.size() > shown ? text + "; and " + (findings.size() - shown) + " more" : text;
    }

    private void checkServer(Session.Step step, TruthSnapshot truth, Map<Invariant, List<String>> found) {
        Host host = session.host();
        AllocationServer current = host.server();
        if (current != server) {
            server = current;
            unknownBase = 0;
            duplicateBase = 0;
            logBase = 0;
            blind.addAll(reporterKeys(truth));
        }
        if (!host.isServerUp()) {
            duplicateKeys.clear();
            return;
        }
        if (step.op() instanceof Op.KillProcess kill && !version.hasSweep()) {
            int pid = session.process(kill.process()).pid();
            for (LiveEntry e : server.liveEntries().values()) {
                if (e.ownerPid() == pid) {
                    blind.add(key(e.deviceId(), e.bufferId()));
                }
            }
        }
        checkUnknownFrees(found);
        if (!version.refCounts()) {
            long duplicates = server.duplicateAllocCount();
            if (duplicates > duplicateBase) {
                List<String> unexcused = new ArrayList<>();
                for (long k : duplicateKeys) {
                    if (!blind.contains(k)) {
                        unexcused.add("duplicate ALLOC for (device " + (k >>> 32) + ", buffer " + (k & 0xFFFF_FFFFL)
                                + ") on the " + version + " server, which overwrites the entry"
                                + (version.duplicateAllocPolicy() == ServerVersion.DuplicateAllocPolicy.OVERWRITE_ADD_AGAIN
                                ? " and counts its bytes again" : " and forgets the first allocation"));
                    }
                }
                if (!unexcused.isEmpty()) {
                    found.computeIfAbsent(Invariant.NO_UNCOUNTED_DUPLICATE_ALLOC, x -> new ArrayList<>())
                            .addAll(unexcused);
                }
            }
            duplicateBase = duplicates;
        }
        duplicateKeys.clear();
        checkView(step, truth, found);
        if (!blind.isEmpty()) {
            Set<Long> stillHeld = reporterKeys(truth);
            server.forEachLiveEntry(e -> stillHeld.add(key(e.deviceId(), e.bufferId())));
            blind.retainAll(stillHeld);
        }
    }

    private void checkUnknownFrees(Map<Invariant, List<String>> found) {
        long unknown = server.unknownFreeCount();
        if (unknown > unknownBase) {
            List<LogEvent> events = server.log().eventsFrom(logBase);
            List<String> unexcused = new ArrayList<>();
            for (LogEvent e : events) {
                String text = null;
                if (e instanceof LogEvent.UnknownFree u && !blind.contains(key(u.device(), u.bufferId()))) {
                    text = "FREE from process " + u.pid() + " for unknown (device " + u.device() + ", buffer "
                            + Long.toUnsignedString(u.bufferId()) + ")";
                } else if (e instanceof LogEvent.UnknownFreeNeverTracked u
                        && !blind.contains(key(u.device(), u.bufferId()))) {
                    text = "FREE for never-tracked (device " + u.device() + ", buffer " + u.bufferId() + ")";
                } else if (e instanceof LogEvent.AlreadyFreed u && !blind.contains(key(u.device(), u.bufferId()))) {
                    text = "FREE for already-freed (device " + u.device() + ", buffer " + u.bufferId() + ")";
                } else if (e instanceof LogEvent.UnknownFreeLegacy u && !blindHasId(u.bufferId())) {
                    text = "FREE for unknown buffer " + Long.toUnsignedString(u.bufferId());
                }
                if (text != null) {
                    unexcused.add(text);
                }
            }
            if (!unexcused.isEmpty()) {
                found.computeIfAbsent(Invariant.NO_UNKNOWN_FREE, x -> new ArrayList<>()).addAll(unexcused);
            }
        }
        unknownBase = unknown;
        logBase = server.log().size();
    }

    private boolean blindHasId(long bufferId) {
        for (long k : blind) {
            if ((k & 0xFFFF_FFFFL) == (bufferId & 0xFFFF_FFFFL)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the server's registry equals the truth outside blind keys (no residual, missing, size mismatch or
     * under-count): a hash comparison without building a report, the common case after most steps.
     */
    private boolean viewMatches(TruthSnapshot truth) {
        List<TruthSnapshot.Allocation> allocations = truth.allocations();
        Map<Long, long[]> cells = new HashMap<>(2 * allocations.size());
        for (TruthSnapshot.Allocation a : allocations) {
            long k = key(a.chipId(), a.address());
            if (blind.contains(k)) {
                continue;
            }
            long[] cell = cells.get(k);
            if (cell == null) {
                cells.put(k, new long[] {1, 0, a.size()});
            } else {
                long[] grown = java.util.Arrays.copyOf(cell, cell.length + 1);
                grown[0]++;
                grown[grown.length - 1] = a.size();
                cells.put(k, grown);
            }
        }
        boolean[] ok = {true};
        int[] matched = {0};
        server.forEachLiveEntry(e -> {
            if (!ok[0]) {
                return;
            }
            long k = key(e.deviceId(), e.bufferId());
            if (blind.contains(k)) {
                return;
            }
            long[] cell = cells.get(k);
            if (cell == null || cell[1] != 0 || version.refCounts() && e.refCount() < cell[0]) {
                ok[0] = false;
                return;
            }
            boolean sizeSeen = false;
            for (int i = 2; i < cell.length; i++) {
                sizeSeen |= cell[i] == e.size();
            }
            ok[0] = sizeSeen;
            cell[1] = 1;
            matched[0]++;
        });
        return ok[0] && matched[0] == cells.size();
    }

    private void checkView(Session.Step step, TruthSnapshot truth, Map<Invariant, List<String>> found) {
        if (viewMatches(truth)) {
            return;
        }
        BalanceReport report = BalanceReport.compare(server, truth, BalanceReport.Provenance.NONE);
        List<String> lines = new ArrayList<>();
        boolean residual = false;
        for (BalanceReport.KeyDiscrepancy d : report.discrepancies()) {
            if (d.kind() == BalanceReport.Kind.OVER_COUNTED || blind.contains(key(d.deviceId(), d.bufferId()))) {
                continue;
            }
            residual |= d.kind() == BalanceReport.Kind.RESIDUAL;
            lines.add(d.describe());
        }
        if (lines.isEmpty()) {
            return;
        }
        boolean closing = step.op() instanceof Op.CloseMesh || step.op() instanceof Op.CloseChip
                || step.op() instanceof Op.EndProcess;
        Invariant inv = residual && closing ? Invariant.ZERO_RESIDUAL_AFTER_CLOSE : Invariant.SERVER_VIEW_EQUALS_TRUTH;
        found.computeIfAbsent(inv, x -> new ArrayList<>()).addAll(lines);
    }

    /**
     * Every key the server could hold legitimately now: the truth's, and those live objects could still report
     * (every per-chip buffer of a live mesh buffer, backing buffers and circular buffers as their mesh's id).
     */
    private Set<Long> reporterKeys(TruthSnapshot truth) {
        Set<Long> keys = new HashSet<>();
        for (TruthSnapshot.Allocation a : truth.allocations()) {
            keys.add(key(a.chipId(), a.address()));
        }
        for (DeviceMemory memory : session.liveMemories()) {
            if (memory.mesh().isEmpty()) {
                continue;
            }
            MeshDevice mesh = memory.mesh().get();
            for (MeshBuffer mb : mesh.liveMeshBuffers()) {
                for (Buffer b : mb.deviceBuffers().values()) {
                    if (!b.isDestroyed()) {
                        keys.add(key(b.device().id(), b.address()));
                    }
                }
                mb.getBackingBuffer().ifPresent(b -> keys.add(key(mesh.id(), b.address())));
            }
            if (mesh.isInitialized()) {
                for (Program program : mesh.programCache().programs()) {
                    for (long address : program.circularBufferAddresses()) {
                        keys.add(key(mesh.id(), address));
                    }
                }
            }
        }
        return keys;
    }
}
