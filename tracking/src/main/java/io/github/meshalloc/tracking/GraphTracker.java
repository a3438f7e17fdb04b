package io.github.meshalloc.tracking;

import com.google.common.base.Preconditions;
import io.github.meshalloc.allocator.Buffer;
import io.github.meshalloc.allocator.CoreRangeSet;
import io.github.meshalloc.allocator.GraphTracking;
import io.github.meshalloc.allocator.IDevice;
import io.github.meshalloc.allocator.TtFatalException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A process's GraphTracker: a stack of processors and at most one hook.
 *
 * <p>Models {@code tt::tt_metal::GraphTracker} ({@code tt_metal/graph/graph_tracking.cpp}, reference 10,
 * 2025 form: process-wide, one lock). Every {@code track_*} call goes to each processor in push order;
 * {@code hook_*} calls ask the hook and keep the set of hooked buffers, with the late-2025 fatal for a
 * deallocation whose allocation was not hooked. The seeds' fork reported to the allocation server from
 * inside these calls; meshalloc pushes that as a processor ({@link ForkReportingProcessor}).
 */
public final class GraphTracker implements GraphTracking {
    private final List<GraphProcessor> processors = new ArrayList<>();
    private final Set<Buffer> hookedBuffers = Collections.newSetFromMap(new IdentityHashMap<>());
    private GraphHooks hook;

    /** Models {@code is_enabled()}: at least one processor. */
    public synchronized boolean isEnabled() {
        return !processors.isEmpty();
    }

    /** Models {@code push_processor}. */
    public synchronized void pushProcessor(GraphProcessor processor) {
        processors.add(Preconditions.checkNotNull(processor, "processor"));
    }

    /**
     * Models {@code pop_processor}.
     *
     * @throws IllegalStateException if the stack is empty
     */
    public synchronized GraphProcessor popProcessor() {
        Preconditions.checkState(!processors.isEmpty(), "pop_processor on an empty processor stack");
        return processors.remove(processors.size() - 1);
    }

    /** The processors in push order. */
    public synchronized List<GraphProcessor> processors() {
        return List.copyOf(processors);
    }

    /** Models {@code add_hook}: false if a hook is already installed. */
    public synchronized boolean addHook(GraphHooks newHook) {
        Preconditions.checkNotNull(newHook, "hook");
        if (hook != null) {
            return false;
        }
        hook = newHook;
        return true;
    }

    /** Models {@code clear_hook()}: removes the hook and forgets the hooked buffers. */
    public synchronized void clearHook() {
        hook = null;
        hookedBuffers.clear();
    }

    /** Models {@code clear()}: processors and hook removed. */
    public synchronized void clear() {
        processors.clear();
        clearHook();
    }

    /** The installed hook. */
    public synchronized Optional<GraphHooks> hook() {
        return Optional.ofNullable(hook);
    }

    @Override
    public synchronized void trackAllocate(Buffer buffer) {
        for (GraphProcessor p : processors) {
            p.trackAllocate(buffer);
        }
    }

    @Override
    public synchronized void trackDeallocate(Buffer buffer) {
        for (GraphProcessor p : processors) {
            p.trackDeallocate(buffer);
        }
    }

    @Override
    public synchronized void trackAllocateCb(CoreRangeSet coreRanges, long address, long size,
                                             boolean globallyAllocated, IDevice device) {
        for (GraphProcessor p : processors) {
            p.trackAllocateCb(coreRanges, address, size, globallyAllocated, device);
        }
    }

    @Override
    public synchronized void trackDeallocateCb(IDevice device) {
        for (GraphProcessor p : processors) {
            p.trackDeallocateCb(device);
        }
    }

    @Override
    public synchronized void trackProgram(long programId, IDevice device) {
        for (GraphProcessor p : processors) {
            p.trackProgram(programId, device);
        }
    }

    /**
     * Models {@code hook_allocate}: false without a hook; a buffer the hook takes is remembered.
     *
     * @throws TtFatalException if the same buffer is hooked twice
     */
    @Override
    public synchronized boolean hookAllocate(Buffer buffer) {
        if (hook == null) {
            return false;
        }
        boolean hooked = hook.hookAllocate(buffer);
        if (hooked && !hookedBuffers.add(buffer)) {
            throw new TtFatalException("Can't hook allocation of a buffer which allocation was already hooked");
        }
        return hooked;
    }

    /**
     * Models {@code hook_deallocate} (late-2025): false without a hook; a buffer the hook takes must have
     * had its allocation hooked.
     *
     * @throws TtFatalException "Can't hook deallocation of a buffer which allocation wasn't hooked"
     */
    @Override
    public synchronized boolean hookDeallocate(Buffer buffer) {
        if (hook == null) {
            return false;
        }
        boolean hooked = hook.hookDeallocate(buffer);
        if (hooked && !hookedBuffers.remove(buffer)) {
            throw new TtFatalException("Can't hook deallocation of a buffer which allocation wasn't hooked");
        }
        return hooked;
    }
}
