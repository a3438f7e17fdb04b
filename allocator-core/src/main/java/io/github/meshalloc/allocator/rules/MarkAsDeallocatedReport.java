package io.github.meshalloc.allocator.rules;

/**
 * What {@code Buffer.markAsDeallocated()} reports before setting the status to DEALLOCATED.
 *
 * <p>Variation point at C++ {@code Buffer::mark_as_deallocated()} ({@code buffer.cpp}).
 */
public enum MarkAsDeallocatedReport {
    /** Upstream: nothing, only the status changes (reference 8.5). */
    NOTHING,
    /** Seeds 004, 002 and 001: {@code track_deallocate} if the buffer is ALLOCATED, owning or not. */
    TRACK_IF_ALLOCATED,
    /**
     * Seed 003's first attempt: {@code track_deallocate} only if ALLOCATED and {@code owns_data_}; MeshBuffer
     * per-chip buffers (non-owning) never report, hence 9 ALLOCs vs 1 FREE per 8-chip MeshBuffer.
     */
    TRACK_IF_ALLOCATED_AND_OWNS_DATA,
    /**
     * Seed 003's final fix: return at once if already DEALLOCATED, else {@code track_deallocate} if ALLOCATED.
     * Observably the same as {@link #TRACK_IF_ALLOCATED} (a DEALLOCATED buffer is not ALLOCATED); kept as
     * its own constant because it is the seed's own code state.
     */
    GUARDED_TRACK_IF_ALLOCATED;

    /** Whether a buffer in this state reports a deallocation when marked. */
    public boolean reports(boolean allocated, boolean ownsData) {
        return switch (this) {
            case NOTHING -> false;
            case TRACK_IF_ALLOCATED, GUARDED_TRACK_IF_ALLOCATED -> allocated;
            case TRACK_IF_ALLOCATED_AND_OWNS_DATA -> allocated && ownsData;
        };
    }
}
