package io.github.meshalloc.allocator.rules;

/**
 * What {@code Allocator.deallocateBuffers()} reports for each buffer still in its set before freeing
 * every bank.
 *
 * <p>Variation point at C++ {@code AllocatorImpl::deallocate_buffers()} ({@code allocator.cpp}).
 */
public enum DeallocateBuffersReport {
    /** Upstream: nothing (reference 7). */
    NOTHING,
    /**
     * Seed 000's fix as written: {@code AllocationClient::report_deallocation(buffer->address())} for each
     * buffer, with no device id (E0-form FREE), if the client is enabled.
     */
    ADDRESS_ONLY,
    /**
     * allocator.cpp at 83d21905 (allocation-server reference 6 item 5): a FREE through
     * {@code GraphTracker::track_deallocate} for each buffer still in the set, so with its device.
     */
    GRAPH_TRACKER
}
