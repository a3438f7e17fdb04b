package io.github.meshalloc.tracking.ops;

import io.github.meshalloc.allocator.Buffer;
import io.github.meshalloc.allocator.CoreRangeSet;
import io.github.meshalloc.allocator.Device;
import io.github.meshalloc.allocator.IDevice;
import io.github.meshalloc.mesh.MeshDevice;
import io.github.meshalloc.tracking.BalanceReport;
import io.github.meshalloc.tracking.GraphProcessor;
import io.github.meshalloc.tracking.TruthSnapshot;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which step made each GraphTracker call, so that a report can name the step and buffer behind a discrepancy.
 *
 * <p>An observer pushed on every process's GraphTracker after the fork's reporting processor: it sees every
 * {@code track_allocate}, {@code track_deallocate} and {@code track_allocate_cb} the C++ would make, whether or not
 * the code state reports it. It is attribution only: truth is never derived from it.
 *
 * <p>Calls are keyed like the server keys its registry, by device id and address: a buffer's call under its device
 * (a chip, or the mesh for a backing buffer, whose id the E-era servers report it with); a mesh program's CB, tracked
 * once for the whole mesh, under the mesh and under each of its chips, since the truth holds it once per chip.
 */
final class SessionRecorder implements BalanceReport.Provenance {

    /** One tracker call. */
    private record Event(int step, String op, String what) {
    }

    private int step;
    private String op = "";
    private final Map<Long, Event> byKey = new HashMap<>();
    private final Map<String, Event> allocatedBy = new HashMap<>();
    private final Map<String, Event> deallocatedBy = new HashMap<>();

    void beginStep(int index, Op current) {
        step = index;
        op = current.toString();
    }

    /** A distinct key for each device id and bank-local address (addresses stay below 2^32). */
    private static long key(int device, long address) {
        return ((long) device << 32) ^ address;
    }

    private static String bufferKey(int pid, long uniqueId) {
        return pid + "/" + uniqueId;
    }

    private static String describe(Buffer buffer) {
        String where = buffer.device().isMeshDevice() ? "mesh " + buffer.device().id() + " (backing)"
                : "chip " + buffer.device().id();
        return "buffer #" + buffer.uniqueId() + " on " + where + (buffer.ownsData() ? "" : ", non-owning")
                + ", " + buffer.bufferType() + " " + buffer.size() + " B at " + buffer.address();
    }

    GraphProcessor processorFor(int pid) {
        return new GraphProcessor() {
            @Override
            public void trackAllocate(Buffer buffer) {
                Event e = new Event(step, op, "track_allocate(" + describe(buffer) + ")");
                byKey.put(key(buffer.device().id(), buffer.address()), e);
                allocatedBy.put(bufferKey(pid, buffer.uniqueId()), e);
            }

            @Override
            public void trackDeallocate(Buffer buffer) {
                Event e = new Event(step, op, "track_deallocate(" + describe(buffer) + ")");
                byKey.put(key(buffer.device().id(), buffer.address()), e);
                deallocatedBy.put(bufferKey(pid, buffer.uniqueId()), e);
            }

            @Override
            public void trackAllocateCb(CoreRangeSet coreRanges, long address, long size, boolean globallyAllocated,
                                        IDevice device) {
                Event e = new Event(step, op, "track_allocate_cb(" + size + " B at " + address + " on "
                        + (device.isMeshDevice() ? "mesh " : "chip ") + device.id() + ")");
                byKey.put(key(device.id(), address), e);
                if (device instanceof MeshDevice mesh) {
                    // One call for the whole mesh; the truth holds the CB once per chip at this address.
                    for (Device chip : mesh.devices()) {
                        byKey.put(key(chip.id(), address), e);
                    }
                }
            }

            @Override
            public void trackDeallocateCb(IDevice device) {
                // One call frees every CB of the device; the key map keeps the allocation that put each there.
            }
        };
    }

    @Override
    public Optional<BalanceReport.Cause> causeOf(BalanceReport.KeyDiscrepancy d) {
        if (d.kind() == BalanceReport.Kind.MISSING && !d.truth().isEmpty()) {
            TruthSnapshot.Allocation a = d.truth().get(0);
            if (a.bufferUniqueId() >= 0) {
                Event e = allocatedBy.get(bufferKey(a.pid(), a.bufferUniqueId()));
                if (e != null) {
                    return Optional.of(new BalanceReport.Cause(e.step(), e.op(), e.what() + " was not reported"));
                }
            }
        }
        Event e = byKey.get(key(d.deviceId(), d.bufferId()));
        return e == null ? Optional.empty()
                : Optional.of(new BalanceReport.Cause(e.step(), e.op(), "last tracker call at this key: " + e.what()));
    }

    @Override
    public Optional<BalanceReport.Cause> causeOf(TruthSnapshot.AllocatorFinding f) {
        if (f.bufferUniqueId() < 0) {
            return Optional.empty();
        }
        String k = bufferKey(f.pid(), f.bufferUniqueId());
        Event e = deallocatedBy.get(k);
        if (e != null) {
            return Optional.of(new BalanceReport.Cause(e.step(), e.op(), e.what()
                    + " reported it freed, but its range stayed in the allocator"));
        }
        e = allocatedBy.get(k);
        return e == null ? Optional.empty()
                : Optional.of(new BalanceReport.Cause(e.step(), e.op(), "allocated by " + e.what()));
    }
}
