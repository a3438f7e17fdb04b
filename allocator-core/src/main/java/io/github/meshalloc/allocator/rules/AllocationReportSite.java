package io.github.meshalloc.allocator.rules;

/**
 * Which code reports an allocation to the tracking server.
 *
 * <p>Variation point of the seeds' fork (allocation-server reference 6, "Where messages come from").
 * Call sites: {@code Allocator.allocateBuffer} / {@code Allocator.deallocateBuffer} (C++
 * {@code AllocatorImpl::allocate_buffer} / {@code deallocate_buffer}) and the tracking module's
 * GraphTracker processor, which reports only under {@link #GRAPH_TRACKER}.
 */
public enum AllocationReportSite {
    /**
     * {@code GraphTracker::track_allocate} / {@code track_deallocate} report, with {@code buffer->size()}:
     * the fork from MUM/PATCH_GRAPHTRACKER_TRACKING.md on, the state every seed describes.
     */
    GRAPH_TRACKER,
    /**
     * The first integration: {@code Allocator::allocate_buffer} reports ALLOC with the buffer's aligned
     * size and {@code Allocator::deallocate_buffer} reports FREE by address; buffers that never reach
     * the allocator (pre-allocated, hooked, size 0) are never seen.
     */
    ALLOCATOR_HOOK
}
