package io.github.meshalloc.allocator;

/**
 * Where a Buffer is in its life.
 *
 * <p>Models the private {@code Buffer::AllocationStatus} ({@code tt_metal/api/tt-metalium/buffer.hpp},
 * late-2025): ALLOCATION_REQUESTED = 0, ALLOCATED = 1, DEALLOCATED = 2 (reference 2.1, 8.5).
 */
public enum AllocationStatus {
    ALLOCATION_REQUESTED,
    ALLOCATED,
    DEALLOCATED
}
