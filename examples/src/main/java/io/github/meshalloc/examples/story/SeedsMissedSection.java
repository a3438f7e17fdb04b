package io.github.meshalloc.examples.story;

import io.github.meshalloc.allocator.Buffer;
import io.github.meshalloc.allocator.Device;
import io.github.meshalloc.tracking.RuleSet;
import io.github.meshalloc.tracking.log.LogEvent;
import io.github.meshalloc.tracking.log.ServerLine;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the seeds missed: the decomposition of the "14 MB of system buffers", and the device memory seed 003's
 * final fix leaks.
 */
public final class SeedsMissedSection {

    /**
     * One key's share of a device's byte counter, rebuilt from the server's log: an ALLOC line of a new key (or,
     * on E0/E1a, of an overwritten one) adds its size; a final FREE subtracts the stored size.
     *
     * @param bufferId address
     * @param allocs   ALLOC lines
     * @param frees    FREE lines (matched or not)
     * @param bytes    bytes this key leaves in the counter
     * @param live     whether the key is still live in the server
     */
    public record KeyShare(long bufferId, int allocs, int frees, long bytes, boolean live) {
    }

    private SeedsMissedSection() {
    }

    /** Every key of {@code device} that touched the server, in address order. */
    public static List<KeyShare> shares(MeshTestRun run, int device) {
        Map<Long, long[]> acc = new TreeMap<>(Long::compareUnsigned);
        for (ServerLine line : run.server().log().lines()) {
            LogEvent e = line.event();
            if (e instanceof LogEvent.AllocNew a && a.device() == device) {
                long[] v = acc.computeIfAbsent(a.bufferId(), k -> new long[3]);
                v[0]++;
                v[2] += a.size();
            } else if (e instanceof LogEvent.AllocDup a && a.device() == device) {
                acc.computeIfAbsent(a.bufferId(), k -> new long[3])[0]++;
            } else if (e instanceof LogEvent.FreeFinal f && f.device() == device) {
                long[] v = acc.computeIfAbsent(f.bufferId(), k -> new long[3]);
                v[1]++;
                v[2] -= f.size();
            } else if (e instanceof LogEvent.FreeE1 f && f.device() == device) {
                long[] v = acc.computeIfAbsent(f.bufferId(), k -> new long[3]);
                v[1]++;
                v[2] -= f.size();
            } else if (e instanceof LogEvent.FreePartial f && f.device() == device) {
                acc.computeIfAbsent(f.bufferId(), k -> new long[3])[1]++;
            } else if (e instanceof LogEvent.UnknownFree f && f.device() == device) {
                acc.computeIfAbsent(f.bufferId(), k -> new long[3])[1]++;
            }
        }
        List<KeyShare> out = new ArrayList<>();
        for (Map.Entry<Long, long[]> en : acc.entrySet()) {
            long[] v = en.getValue();
            out.add(new KeyShare(en.getKey(), (int) v[0], (int) v[1], v[2],
                    run.server().entry(device, en.getKey()).isPresent()));
        }
        return out;
    }

    /** The 14 MB decomposition: chip 1 after step 6 under seed-004 on E1a. */
    public static Section fourteenMegabytes() {
        MeshTestRun run = MeshTestRun.run(RuleSet.SEED_004, 6);
        int chip = 1;
        long counter = run.at(6).device(chip).dram();
        List<KeyShare> shares = shares(run, chip);
        List<List<String>> cells = new ArrayList<>();
        long tensors = 0;
        long binaries = 0;
        long sum = 0;
        for (KeyShare s : shares) {
            if (s.bytes() == 0 && !s.live()) {
                continue;
            }
            boolean binary = run.isKernelBinary(s.bufferId());
            if (binary) {
                binaries += s.bytes();
            } else {
                tensors += s.bytes();
            }
            sum += s.bytes();
            cells.add(List.of(String.format(java.util.Locale.ROOT, "0x%x", s.bufferId()), run.nameOf(s.bufferId())
                    + (binary ? "" : " (per-chip copy)"), Integer.toString(s.allocs()), Integer.toString(s.frees()),
                    Fmt.bytes(s.bytes()), s.live() ? "yes" : "no"));
        }
        TextTable table = new TextTable(List.of("buffer_id", "what", "ALLOCs", "FREEs", "bytes in counter",
                "live key"), cells);
        Device device = run.mesh().devices().stream().filter(d -> d.id() == chip).findFirst().orElseThrow();
        long chipAllocator = 0;
        for (Buffer b : device.allocator().getAllocatedBuffers()) {
            chipAllocator += b.size();
        }
        List<String> notes = List.of(
                "sum " + Fmt.bytes(sum) + " B " + (sum == counter ? "=" : "!=") + " the server's DRAM counter for chip "
                        + chip + " (" + Fmt.bytes(counter) + " B)",
                "  = per-chip tensor copies " + Fmt.bytes(tensors) + " B + kernel binaries " + Fmt.bytes(binaries)
                        + " B (persistent copy and write view, each ALLOC added on E1a)",
                "truth at this moment: chip " + chip + "'s allocator holds " + Fmt.bytes(chipAllocator)
                        + " B; the mesh allocator holds " + run.at(6).meshBuffers() + " buffers, "
                        + Fmt.bytes(run.at(6).meshDram()) + " B per chip (the two cached kernel binaries).",
                "The per-chip copies were reported at creation (Buffer::create with an address) and never reported",
                "freed (mark_as_deallocated did not report in the running build). No system buffer is needed to",
                "explain a single byte: the model allocates none at open, and the figure still comes out exactly.");
        List<Figure> figures = List.of(Figure.refuted("004/000", "'~14-15 MB per device ... system buffers (command "
                        + "queues, dispatch infrastructure)', 'intentionally persistent'", Fmt.bytes(counter) + " B = "
                        + Fmt.bytes(tensors) + " B of leaked tensor copies + " + Fmt.bytes(binaries)
                        + " B of kernel binaries counted twice",
                sum == counter && tensors > 0 && chipAllocator == 0,
                "the bytes are exactly six per-chip tensor copies whose FREE was never sent, plus the binaries; "
                        + "the chip's allocator is empty",
                "seed-004 rules, E1a server, assumptions 1, 2, 5"));
        return new Section("What the seeds missed (1): the '14 MB of system buffers'", "Chip " + chip + "'s DRAM "
                + "counter after step 6 under seed-004 / E1a, key by key, rebuilt from the server's own log.", table,
                notes, figures);
    }

    /** Seed 003's final fix: what the mesh allocator still holds after step 7. */
    public static Section seed003Leak() {
        MeshTestRun run = MeshTestRun.run(RuleSet.SEED_003_FINAL, 7);
        List<List<String>> cells = new ArrayList<>();
        long held = 0;
        for (Buffer b : run.mesh().allocator().getAllocatedBuffers()) {
            held += b.size();
            cells.add(List.of(String.format(java.util.Locale.ROOT, "0x%x", b.address()), run.nameOf(b.address()),
                    b.bufferType().name(), Fmt.bytes(b.size()), b.allocationStatus().name()));
        }
        TextTable table = new TextTable(List.of("address", "what", "type", "bytes per chip", "Buffer status"), cells);
        MeshTestRun.Checkpoint s7 = run.at(7);
        List<String> notes = List.of(
                "held: " + Fmt.bytes(held) + " B on every chip (" + Fmt.mib(held) + "), after every tensor was "
                        + "deallocated and the program cache cleared;",
                "the server meanwhile saw " + s7.tally().allocs() + " ALLOCs and " + s7.tally().frees() + " FREEs, "
                        + s7.tally().unknown() + " unknown, chip 1 DRAM counter " + Fmt.bytes(s7.device(1).dram())
                        + " B.",
                "A balance check that counts messages passes; one that compares the server with the allocators'",
                "truth does not. Under meshalloc-fix the backing buffer is deallocated (range returned) rather than",
                "marked, and this table is empty.");
        List<Figure> figures = List.of(Figure.refuted("003", "'The buffer deallocation fixes are complete and "
                        + "correct!'", Fmt.bytes(held) + " B per chip never returned to the mesh allocator", held > 0,
                "mark_as_deallocated() on the backing buffer flips its status first; when the last reference drops, "
                        + "~Buffer sees DEALLOCATED and skips the allocator", "seed-003-final rules, S4 server"));
        return new Section("What the seeds missed (2): seed 003's final fix leaks device memory", "The mesh test "
                + "through step 7 under seed-003-final / S4: the buffers the mesh allocator still holds.", table,
                notes, figures);
    }
}
