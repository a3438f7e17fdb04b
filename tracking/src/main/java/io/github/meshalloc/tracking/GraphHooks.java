package io.github.meshalloc.tracking;

import io.github.meshalloc.allocator.Buffer;

/**
 * The one hook a GraphTracker may hold: it can take over allocations and deallocations.
 *
 * <p>Models {@code tt::tt_metal::IGraphHooks} ({@code graph_tracking.hpp}); ttnn's graph capture in
 * NO_DISPATCH mode answers true to everything (reference 10).
 */
public interface GraphHooks {
    /** Models {@code hook_allocate(buffer)}: true blocks the allocation (address 0). */
    boolean hookAllocate(Buffer buffer);

    /** Models {@code hook_deallocate(buffer)}: true blocks the allocator call. */
    boolean hookDeallocate(Buffer buffer);
}
