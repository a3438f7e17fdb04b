package io.github.meshalloc.tracking;

import com.google.common.base.Preconditions;
import io.github.meshalloc.allocator.Buffer;
import io.github.meshalloc.allocator.BufferType;
import io.github.meshalloc.allocator.CoreRangeSet;
import io.github.meshalloc.allocator.IDevice;
import io.github.meshalloc.allocator.rules.AllocationReportSite;
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
 * FREE with device id and address; MeshDevice buffers skipped or not; CBs reported as L1 buffers or not.
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

    @Override
    public void trackAllocate(Buffer buffer) {
        if (reports(buffer)) {
            client.reportAllocation(buffer.device().id(), buffer.size(), buffer.bufferType(), buffer.address());
        }
    }

    @Override
    public void trackDeallocate(Buffer buffer) {
        if (reports(buffer)) {
            client.reportDeallocation(buffer.device().id(), buffer.address());
        }
    }

    @Override
    public void trackAllocateCb(CoreRangeSet coreRanges, long address, long size, boolean globallyAllocated,
                                IDevice device) {
        if (rules.circularBuffers() != CircularBufferReporting.AS_L1_ALLOCATIONS || !client.isEnabled()) {
            return;
        }
        circularBuffers.computeIfAbsent(device.id(), d -> new ArrayList<>()).add(new long[] {address, size});
        client.reportAllocation(device.id(), size, BufferType.L1, address);
    }

    @Override
    public void trackDeallocateCb(IDevice device) {
        if (rules.circularBuffers() != CircularBufferReporting.AS_L1_ALLOCATIONS || !client.isEnabled()) {
            return;
        }
        List<long[]> remembered = circularBuffers.remove(device.id());
        if (remembered == null) {
            return;
        }
        for (long[] cb : remembered) {
            client.reportDeallocation(device.id(), cb[0]);
        }
    }
}
