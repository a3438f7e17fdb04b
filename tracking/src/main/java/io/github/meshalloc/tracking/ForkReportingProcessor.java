package io.github.meshalloc.tracking;

import com.google.common.base.Preconditions;
import io.github.meshalloc.allocator.Buffer;
import io.github.meshalloc.allocator.BufferType;
import io.github.meshalloc.allocator.CoreRangeSet;
import io.github.meshalloc.allocator.Device;
import io.github.meshalloc.allocator.IDevice;
import io.github.meshalloc.allocator.rules.AllocationReportSite;
import io.github.meshalloc.mesh.MeshDevice;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reporting the seeds' fork added inside GraphTracker, as a processor.
 *
 * <p>Models the {@code AllocationClient::report_*} calls in the fork's {@code GraphTracker::track_allocate},
 * {@code track_deallocate}, {@code track_allocate_cb} and {@code track_deallocate_cb}
 * (allocation-server reference 6 item 3): ALLOC with {@code buffer->size()} and the buffer's device id,
 * FREE with device id and address; MeshDevice buffers reported as the mesh, skipped, or once per chip; CBs reported as L1 buffers (as the
 * program's device, or once per chip of its mesh) or not.
 * Reports nothing when the rule set puts reporting in the allocator instead.
 */
public final class ForkReportingProcessor implements GraphProcessor {
    private final AllocationClient client;
    private final RuleSet rules;
    private final Map<Integer, List<long[]>> circularBuffers = new LinkedHashMap<>();

    public ForkReportingProcessor(AllocationClient client, RuleSet rules) {
        this.client = Preconditions.checkNotNull(client, "client");
        this.rules = Preconditions.checkNotNull(rules, "rules");
    }

    private boolean reports(Buffer buffer) {
        if (rules.core().allocationReportSite() != AllocationReportSite.GRAPH_TRACKER || !client.isEnabled()) {
            return false;
        }
        return !(buffer.device().isMeshDevice() && rules.meshDeviceBuffers() == MeshDeviceBufferTracking.SKIP);
    }

    private static List<Integer> chipIds(MeshDevice mesh) {
        List<Integer> ids = new ArrayList<>(mesh.numDevices());
        for (Device chip : mesh.devices()) {
            ids.add(chip.id());
        }
        return ids;
    }

    /** The mesh whose every chip a buffer is reported on (the per-chip rule), or null: report its own device. */
    private MeshDevice perChipMesh(Buffer buffer) {
        return rules.meshDeviceBuffers() == MeshDeviceBufferTracking.PER_CHIP
                && buffer.device() instanceof MeshDevice mesh ? mesh : null;
    }

    // trackAllocate and trackDeallocate loop over the chips themselves rather than building a list of boxed ids: they
    // run for every buffer, and that list was a tenth of a 4x8 mesh workload's time.
    @Override
    public void trackAllocate(Buffer buffer) {
        if (reports(buffer)) {
            MeshDevice mesh = perChipMesh(buffer);
            if (mesh == null) {
                client.reportAllocation(buffer.device().id(), buffer.size(), buffer.bufferType(), buffer.address());
                return;
            }
            for (Device chip : mesh.devices()) {
                client.reportAllocation(chip.id(), buffer.size(), buffer.bufferType(), buffer.address());
            }
        }
    }

    @Override
    public void trackDeallocate(Buffer buffer) {
        if (reports(buffer)) {
            MeshDevice mesh = perChipMesh(buffer);
            if (mesh == null) {
                client.reportDeallocation(buffer.device().id(), buffer.address());
                return;
            }
            for (Device chip : mesh.devices()) {
                client.reportDeallocation(chip.id(), buffer.address());
            }
        }
    }

    private boolean reportsCircularBuffers() {
        return rules.circularBuffers() != CircularBufferReporting.NONE && client.isEnabled();
    }

    /** The device ids a CB on {@code device} is reported with: each chip of a mesh under the per-chip rule. */
    private List<Integer> cbDeviceIds(IDevice device) {
        if (rules.circularBuffers() == CircularBufferReporting.AS_L1_ALLOCATIONS_PER_CHIP
                && device instanceof MeshDevice mesh) {
            return chipIds(mesh);
        }
        return List.of(device.id());
    }

    @Override
    public void trackAllocateCb(CoreRangeSet coreRanges, long address, long size, boolean globallyAllocated,
                                IDevice device) {
        if (!reportsCircularBuffers()) {
            return;
        }
        circularBuffers.computeIfAbsent(device.id(), d -> new ArrayList<>()).add(new long[] {address, size});
        for (int id : cbDeviceIds(device)) {
            client.reportAllocation(id, size, BufferType.L1, address);
        }
    }

    @Override
    public void trackDeallocateCb(IDevice device) {
        if (!reportsCircularBuffers()) {
            return;
        }
        List<long[]> remembered = circularBuffers.remove(device.id());
        if (remembered == null) {
            return;
        }
        List<Integer> ids = cbDeviceIds(device);
        for (long[] cb : remembered) {
            for (int id : ids) {
                client.reportDeallocation(id, cb[0]);
            }
        }
    }
}
