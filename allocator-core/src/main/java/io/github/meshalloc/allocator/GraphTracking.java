package io.github.meshalloc.allocator;

/**
 * The seam through which buffers, allocators and programs tell observers what happened.
 *
 * <p>Models the calls tt-metal makes on {@code GraphTracker::instance()}
 * ({@code tt_metal/api/tt-metalium/graph_tracking.hpp}, reference 10), made from exactly the places and
 * in the order the C++ makes them: {@link Buffer} calls {@code hookAllocate} before the allocator,
 * {@code trackAllocate} after the status becomes ALLOCATED, {@code trackDeallocate} then
 * {@code hookDeallocate} before freeing. The tracking module's {@code GraphTracker} implements it;
 * {@link #NOOP} is a tracker with no processors and no hook (what tt-metal has when nothing observes).
 */
public interface GraphTracking {

    /** A tracker with no processor and no hook: every call is a no-op, every hook answers false. */
    GraphTracking NOOP = new GraphTracking() {
    };

    /** Models {@code track_allocate(buffer)}: forwarded to every processor. */
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

    /** Models {@code track_program(program, device)}; programs are identified by their id. */
    default void trackProgram(long programId, IDevice device) {
    }

    /** Models {@code hook_allocate(buffer)}: true means "do not allocate", the buffer gets address 0. */
    default boolean hookAllocate(Buffer buffer) {
        return false;
    }

    /** Models {@code hook_deallocate(buffer)}: true means "do not free through the allocator". */
    default boolean hookDeallocate(Buffer buffer) {
        return false;
    }
}
