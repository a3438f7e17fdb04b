package io.github.meshalloc.tracking;

import com.google.common.base.Preconditions;
import io.github.meshalloc.allocator.rules.AllocationReportSite;
import io.github.meshalloc.allocator.rules.CoreRules;
import io.github.meshalloc.allocator.rules.DeallocateBuffersReport;
import io.github.meshalloc.allocator.rules.MarkAsDeallocatedReport;
import io.github.meshalloc.allocator.rules.NonOwningDeallocate;
import io.github.meshalloc.allocator.rules.PreallocatedTracking;
import io.github.meshalloc.allocator.rules.SubDeviceManagerTeardown;
import io.github.meshalloc.mesh.rules.MeshBufferDeallocate;
import io.github.meshalloc.mesh.rules.MeshCloseProgramCache;
import io.github.meshalloc.mesh.rules.MeshRules;
import io.github.meshalloc.mesh.rules.ProgramBufferPoolRelease;
import io.github.meshalloc.tracking.server.ServerVersion;
import java.util.List;

/**
 * A state of the C++ code plus the server it talks to: one choice per variation point.
 *
 * <p>Bundles the allocator-core points ({@link CoreRules}: {@code buffer.cpp}, {@code allocator.cpp},
 * {@code sub_device_manager.cpp}), the mesh points ({@link MeshRules}: {@code mesh_buffer.cpp},
 * {@code program.cpp}), the tracker points ({@code graph_tracking.cpp}) and the server version. Presets
 * name the code states the seeds describe; {@code with(...)} derives a new set from one.
 *
 * <table>
 *   <caption>Presets</caption>
 *   <tr><th>preset</th><th>seed</th><th>C++ files</th><th>what changes</th></tr>
 *   <tr><td>UPSTREAM</td><td>-</td><td>-</td><td>tt-metal late 2025: nothing reports to a server</td></tr>
 *   <tr><td>SEED_004</td><td>004</td><td>graph_tracking.cpp, buffer.cpp</td><td>GraphTracker reports, pre-allocated
 *       buffers report ALLOC, mark_as_deallocated fix written but not compiled; backing buffer as device 0; CBs as L1; E1a</td></tr>
 *   <tr><td>SEED_002_BEFORE</td><td>002</td><td>buffer.cpp</td><td>004 compiled (mark_as_deallocated reports);
 *       MeshBuffer::deallocate still returns early; S4</td></tr>
 *   <tr><td>SEED_002_AFTER</td><td>002</td><td>mesh_buffer.cpp</td><td>MeshBuffer::deallocate marks per-chip buffers; S4</td></tr>
 *   <tr><td>SEED_001_BEFORE</td><td>001</td><td>-</td><td>002 after, on the E1 server (no ref counts)</td></tr>
 *   <tr><td>SEED_001_AFTER</td><td>001</td><td>graph_tracking.cpp, buffer.cpp</td><td>MeshDevice buffers skipped;
 *       non-owning deallocate reports; E1a</td></tr>
 *   <tr><td>SEED_003_FIRST_ATTEMPT</td><td>003</td><td>buffer.cpp</td><td>mark_as_deallocated reports only owning buffers</td></tr>
 *   <tr><td>SEED_003_FINAL</td><td>003</td><td>program.cpp, mesh_buffer.cpp, buffer.cpp</td><td>pool released; backing
 *       marked first; guard; S4</td></tr>
 *   <tr><td>SEED_000</td><td>000</td><td>allocator.cpp</td><td>deallocate_buffers reports by address at close
 *       (older close path); E1a</td></tr>
 *   <tr><td>MESHALLOC_FIX</td><td>-</td><td>graph_tracking.cpp, mesh_device.cpp</td><td>upstream code; the
 *       GraphTracker reports owning buffers only, mesh buffers and mesh CBs once per chip; close_impl clears the
 *       program cache first; S4</td></tr>
 * </table>
 *
 * @param name              preset or user name
 * @param description       what the seeds claimed of this code state
 * @param core              allocator-core points
 * @param mesh              mesh points
 * @param meshDeviceBuffers whether MeshDevice (backing) buffers are reported
 * @param circularBuffers   how CBs are reported
 * @param serverVersion     the tracking server
 * @param allocationClient  whether the code has the fork's AllocationClient at all (false upstream)
 */
public record RuleSet(String name, String description, CoreRules core, MeshRules mesh,
                      MeshDeviceBufferTracking meshDeviceBuffers, CircularBufferReporting circularBuffers,
                      ServerVersion serverVersion, boolean allocationClient) {

    public RuleSet {
        Preconditions.checkNotNull(name, "name");
        Preconditions.checkNotNull(description, "description");
        Preconditions.checkNotNull(core, "core");
        Preconditions.checkNotNull(mesh, "mesh");
        Preconditions.checkNotNull(meshDeviceBuffers, "meshDeviceBuffers");
        Preconditions.checkNotNull(circularBuffers, "circularBuffers");
        Preconditions.checkNotNull(serverVersion, "serverVersion");
    }

    private static final CoreRules FORK_004 = CoreRules.UPSTREAM
            .with(AllocationReportSite.GRAPH_TRACKER)
            .with(PreallocatedTracking.TRACK_ALLOCATE);

    /** tt-metal late 2025: no allocation client, nothing reported. */
    public static final RuleSet UPSTREAM = new RuleSet("upstream",
            "tt-metal late 2025: no allocation client; the server sees nothing", CoreRules.UPSTREAM,
            MeshRules.UPSTREAM, MeshDeviceBufferTracking.REPORT, CircularBufferReporting.NONE, ServerVersion.S4, false);

    /** Seed 004's running state. */
    public static final RuleSet SEED_004 = new RuleSet("seed-004",
            "seed 004: 'deallocations only on device 0', ~14 MB per chip called persistent system buffers",
            FORK_004, MeshRules.UPSTREAM, MeshDeviceBufferTracking.REPORT, CircularBufferReporting.AS_L1_ALLOCATIONS,
            ServerVersion.E1A, true);

    /** Seed 002 before its fix. */
    public static final RuleSet SEED_002_BEFORE = SEED_004.named("seed-002-before",
                    "seed 002 before: MeshBuffer::deallocate returns early, 16 active allocations never freed")
            .with(FORK_004.with(MarkAsDeallocatedReport.TRACK_IF_ALLOCATED)).with(ServerVersion.S4);

    /** Seed 002 after its fix. */
    public static final RuleSet SEED_002_AFTER = SEED_002_BEFORE.named("seed-002-after",
                    "seed 002 after: MeshBuffer::deallocate marks per-chip buffers; claimed 0 active, fully balanced")
            .with(MeshRules.UPSTREAM.with(MeshBufferDeallocate.MARK_DEVICE_BUFFERS));

    /** Seed 001 before: seed 002's code on the E1 server. */
    public static final RuleSet SEED_001_BEFORE = SEED_002_AFTER.named("seed-001-before",
                    "seed 001 before: backing buffer and chip 0 share a key; 8 good FREEs + 1 'unknown buffer'")
            .with(ServerVersion.E1A);

    /** Seed 001 after its fix. */
    public static final RuleSet SEED_001_AFTER = SEED_001_BEFORE.named("seed-001-after",
                    "seed 001 after: MeshDevice buffers skipped; claimed 36 KB per chip left, 3 active, no warnings")
            .with(SEED_001_BEFORE.core().with(NonOwningDeallocate.TRACK_AND_MARK))
            .with(MeshDeviceBufferTracking.SKIP);

    /** Seed 003's first attempt. */
    public static final RuleSet SEED_003_FIRST_ATTEMPT = SEED_002_AFTER.named("seed-003-first-attempt",
                    "seed 003 first attempt: FREE only for owns_data_ buffers; 9 ALLOCs vs 1 FREE per 8-chip MeshBuffer")
            .with(SEED_002_AFTER.core().with(MarkAsDeallocatedReport.TRACK_IF_ALLOCATED_AND_OWNS_DATA));

    /** Seed 003's final fix. */
    public static final RuleSet SEED_003_FINAL = SEED_002_AFTER.named("seed-003-final",
                    "seed 003 final: pool released, backing marked first, guard; claimed 'complete and correct'")
            .with(SEED_002_AFTER.core().with(MarkAsDeallocatedReport.GUARDED_TRACK_IF_ALLOCATED))
            .with(new MeshRules(MeshBufferDeallocate.BACKING_FIRST_THEN_DEVICE_BUFFERS,
                    ProgramBufferPoolRelease.AT_DESTRUCTION));

    /** Seed 000's fix on the seed 004 code state. */
    public static final RuleSet SEED_000 = SEED_004.named("seed-000",
                    "seed 000: system buffers reported freed in deallocate_buffers at close; claimed ~0 MB after close")
            .with(FORK_004.with(DeallocateBuffersReport.ADDRESS_ONLY)
                    .with(SubDeviceManagerTeardown.DEALLOCATE_BUFFERS));

    /**
     * meshalloc's proposal: upstream {@code buffer.cpp}, {@code mesh_buffer.cpp} and {@code program.cpp}, and a fork
     * GraphTracker that reports what allocators own: an owning buffer's ALLOC when it is allocated and its FREE when
     * its range is returned, a MeshDevice (backing) buffer once per chip of its mesh, a mesh program's CBs on every
     * chip, to a reference-counting server. Non-owning buffers (MeshBuffer per-chip buffers, views, pre-allocated
     * buffers, kernel-binary writes) never reach the tracker upstream, so their lifetimes cannot unbalance the view.
     *
     * <p>Found by the BalanceExplorer, replacing the first proposal (seed 001's tracker with seed 003's guard and the
     * backing buffer deallocated instead of marked): its reporters were the per-chip buffers, which no close path
     * reaches, so a tensor alive at {@code close_mesh_device} left one entry per chip behind
     * ({@code [open_mesh_device(1x1), tensor, end of script]}); and CBs reported as device 0 left chips 1..n-1
     * under-reported ({@code [open_mesh_device(1x2), run a program]}). Once the mesh's close followed the late-2025
     * {@code close_impl} (which, unlike {@code Device::close}, keeps the program cache), the explorer broke it a third
     * time: {@code [open_mesh_device(1x1), run cb-only, close]} left the cached program's CB reported after close, until
     * the MeshDevice object died. So {@code close_impl} also clears the program cache first. C++: {@code
     * graph_tracking.cpp} and one call in {@code MeshDeviceImpl::close_impl}.
     */
    public static final RuleSet MESHALLOC_FIX = new RuleSet("meshalloc-fix",
            "meshalloc: upstream buffer.cpp and mesh_buffer.cpp; the fork's GraphTracker reports owning buffers, "
                    + "a mesh buffer and a mesh program's CBs once per chip; close clears the program cache; "
                    + "ref-counting server",
            CoreRules.UPSTREAM, MeshRules.UPSTREAM.with(MeshCloseProgramCache.CLEAR_FIRST),
            MeshDeviceBufferTracking.PER_CHIP,
            CircularBufferReporting.AS_L1_ALLOCATIONS_PER_CHIP, ServerVersion.S4, true);

    /** Every preset, in story order. */
    public static final List<RuleSet> PRESETS = List.of(UPSTREAM, SEED_004, SEED_002_BEFORE, SEED_002_AFTER,
            SEED_001_BEFORE, SEED_001_AFTER, SEED_003_FIRST_ATTEMPT, SEED_003_FINAL, SEED_000, MESHALLOC_FIX);

    /**
     * The preset with this name.
     *
     * @throws IllegalArgumentException naming the known presets
     */
    public static RuleSet preset(String name) {
        for (RuleSet preset : PRESETS) {
            if (preset.name.equals(name)) {
                return preset;
            }
        }
        throw new IllegalArgumentException("Unknown rule-set preset '" + name + "'; known presets: "
                + PRESETS.stream().map(RuleSet::name).toList());
    }

    /** A copy with a new name and description (for presets and user-composed sets). */
    public RuleSet named(String newName, String newDescription) {
        return new RuleSet(newName, newDescription, core, mesh, meshDeviceBuffers, circularBuffers, serverVersion, allocationClient);
    }

    public RuleSet with(CoreRules value) {
        return new RuleSet(name, description, value, mesh, meshDeviceBuffers, circularBuffers, serverVersion, allocationClient);
    }

    public RuleSet with(MeshRules value) {
        return new RuleSet(name, description, core, value, meshDeviceBuffers, circularBuffers, serverVersion, allocationClient);
    }

    public RuleSet with(MeshDeviceBufferTracking value) {
        return new RuleSet(name, description, core, mesh, value, circularBuffers, serverVersion, allocationClient);
    }

    public RuleSet with(CircularBufferReporting value) {
        return new RuleSet(name, description, core, mesh, meshDeviceBuffers, value, serverVersion, allocationClient);
    }

    public RuleSet with(ServerVersion value) {
        return new RuleSet(name, description, core, mesh, meshDeviceBuffers, circularBuffers, value, allocationClient);
    }

    /** A copy with or without the fork's AllocationClient. */
    public RuleSet withAllocationClient(boolean value) {
        return new RuleSet(name, description, core, mesh, meshDeviceBuffers, circularBuffers, serverVersion, value);
    }
}
