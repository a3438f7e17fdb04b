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
    AS_L1_ALLOCATIONS,
    /**
     * meshalloc's proposal: as {@link #AS_L1_ALLOCATIONS}, but a CB allocated through a MeshDevice is reported once
     * per chip of the mesh (device = the chip's id), and {@code track_deallocate_cb} frees it on every chip. The CBs
     * of a mesh program occupy L1 on every chip, so one report as device 0 leaves chips 1..n-1 under-reported (the
     * "L1 only on device 0" of reference 10 item 5). C++: in the fork's {@code GraphTracker::track_allocate_cb} /
     * {@code track_deallocate_cb}, {@code if (auto* mesh = dynamic_cast<const MeshDevice*>(device))} loop over
     * {@code mesh->get_devices()} and report with each {@code d->id()}.
     */
    AS_L1_ALLOCATIONS_PER_CHIP
}
