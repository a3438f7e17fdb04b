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
    SKIP,
    /**
     * meshalloc's proposal: reported once per chip of the mesh (device = the chip's id, same address), since the
     * backing buffer's range is the memory every chip of the mesh holds (reference 9.3). With the upstream
     * {@code buffer.cpp}, which makes no tracker call for non-owning buffers, this makes the reports follow
     * allocator ownership exactly: per-chip copies, views and pre-allocated buffers are never reported, so their
     * lifetimes cannot unbalance anything. C++: in the fork's {@code GraphTracker::track_allocate} /
     * {@code track_deallocate}, {@code if (auto* mesh = dynamic_cast<const MeshDevice*>(buffer->device()))} loop
     * over {@code mesh->get_devices()} and report with each {@code d->id()}.
     */
    PER_CHIP
}
