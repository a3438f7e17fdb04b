package io.github.meshalloc.tracking;

/**
 * How the fork's GraphTracker reports circular buffers.
 *
 * <p>Variation point at C++ {@code GraphTracker::track_allocate_cb} / {@code track_deallocate_cb}.
 */
public enum CircularBufferReporting {
    /** Not reported. */
    NONE,
    /**
     * graph_tracking.cpp at 83d21905: an L1 ALLOC per CB (device = the program's device, buffer id = CB
     * address) remembered per device; {@code track_deallocate_cb(device)} sends a FREE for each and forgets them.
     */
    AS_L1_ALLOCATIONS
}
