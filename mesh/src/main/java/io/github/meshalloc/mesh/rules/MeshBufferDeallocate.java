package io.github.meshalloc.mesh.rules;

/**
 * What {@code MeshBuffer.deallocate()} does while its MeshDevice is alive.
 *
 * <p>Variation point at C++ {@code MeshBuffer::deallocate()} ({@code tt_metal/distributed/mesh_buffer.cpp}).
 * In every alternative the state then becomes DEALLOCATED, which drops the MeshBuffer's reference to
 * the backing Buffer; if that was the last one, {@code ~Buffer} frees the range in the mesh allocator
 * unless the backing buffer was already marked DEALLOCATED.
 */
public enum MeshBufferDeallocate {
    /** Upstream (and seed 002's "before"): set DEALLOCATED and return; per-chip buffers untouched. */
    UPSTREAM,
    /**
     * Seeds 002 and 001: {@code mark_as_deallocated()} on every local per-chip buffer first, so that each
     * reports its FREE (when {@code mark_as_deallocated} reports).
     */
    MARK_DEVICE_BUFFERS,
    /**
     * Seed 003's final fix: {@code mark_as_deallocated()} on the backing buffer first, then on every
     * per-chip buffer. Messages balance, but the backing buffer's destructor then skips the allocator:
     * the mesh allocator never gets the range back (seed-arithmetic.md).
     */
    BACKING_FIRST_THEN_DEVICE_BUFFERS,
    /**
     * meshalloc's proposal: mark every per-chip buffer deallocated (each reports its FREE), then
     * deallocate the backing buffer through {@code Buffer::deallocate()} (it reports and returns its
     * range to the mesh allocator) instead of marking it.
     */
    DEVICE_BUFFERS_THEN_DEALLOCATE_BACKING
}
