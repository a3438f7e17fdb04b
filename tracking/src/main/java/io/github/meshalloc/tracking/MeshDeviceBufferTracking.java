package io.github.meshalloc.tracking;

/**
 * Whether the fork's GraphTracker reports buffers whose device is a MeshDevice (MeshBuffer backing buffers).
 *
 * <p>Variation point at C++ {@code GraphTracker::track_allocate} / {@code track_deallocate}
 * ({@code tt_metal/graph/graph_tracking.cpp}).
 */
public enum MeshDeviceBufferTracking {
    /** Seeds 004, 002, 003: reported with the MeshDevice's id (device 0), sharing chip 0's keys. */
    REPORT,
    /** Seed 001's fix: skipped ({@code dynamic_cast<const MeshDevice*>} test). */
    SKIP
}
