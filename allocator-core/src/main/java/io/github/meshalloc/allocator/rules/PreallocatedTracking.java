package io.github.meshalloc.allocator.rules;

/**
 * Whether creating a non-owning buffer at a given address reports an allocation.
 *
 * <p>Variation point at {@code Buffer.create(device, address, ...)} (C++ {@code Buffer::create}
 * overload with an address, {@code tt_metal/impl/buffers/buffer.cpp}): MeshBuffer's per-chip buffers
 * and {@code Buffer::view} sub-buffers are created this way.
 */
public enum PreallocatedTracking {
    /** Upstream late-2025: no hook, no allocator, no tracker call. */
    SILENT,
    /**
     * The seeds' fork (MUM/PATCH_GRAPHTRACKER_TRACKING.md, buffer.cpp at 83d21905): the pre-allocated
     * buffer calls {@code GraphTracker::track_allocate}, so each MeshBuffer reports one ALLOC per chip
     * and each view an ALLOC at its parent's address. Size-0 buffers still report nothing [I].
     */
    TRACK_ALLOCATE
}
