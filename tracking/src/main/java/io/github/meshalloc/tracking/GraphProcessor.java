package io.github.meshalloc.tracking;

import io.github.meshalloc.allocator.Buffer;
import io.github.meshalloc.allocator.CoreRangeSet;
import io.github.meshalloc.allocator.IDevice;

/**
 * An observer pushed onto the GraphTracker's stack; every tracking call is forwarded to each one.
 *
 * <p>Models {@code tt::tt_metal::IGraphProcessor} ({@code tt_metal/api/tt-metalium/graph_tracking.hpp}).
 * All methods default to doing nothing.
 */
public interface GraphProcessor {
    /** Models {@code track_allocate(buffer)}. */
    default void trackAllocate(Buffer buffer) {
    }

    /** Models {@code track_deallocate(buffer)}. */
    default void trackDeallocate(Buffer buffer) {
    }

    /** Models {@code track_allocate_cb(core_range_set, addr, size, is_globally_allocated, device)}. */
    default void trackAllocateCb(CoreRangeSet coreRanges, long address, long size, boolean globallyAllocated,
                                 IDevice device) {
    }

    /** Models {@code track_deallocate_cb(device)}. */
    default void trackDeallocateCb(IDevice device) {
    }

    /** Models {@code track_program(program, device)}. */
    default void trackProgram(long programId, IDevice device) {
    }
}
