package io.github.meshalloc.allocator;

import com.google.common.base.Preconditions;
import io.github.meshalloc.allocator.rules.CoreRules;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The per-process state that tt-metal keeps in singletons, as an object you pass in.
 *
 * <p>Models what allocator-core code reaches through {@code MetalContext::instance()},
 * {@code GraphTracker::instance()}, {@code AllocationClient} and the global atomic counters
 * ({@code Buffer::next_unique_id}, program ids, sub-device manager ids, {@code MeshTrace::next_id}): one simulated process has one context; two processes (or
 * two tests) never share one. Holds the {@link CoreRules} that decide what the fork's code reports.
 */
public final class MetalContext {
    private final CoreRules rules;
    private final GraphTracking graphTracker;
    private final AllocationReporter allocationReporter;
    private final AtomicLong nextBufferUniqueId = new AtomicLong();
    private final AtomicLong nextSubDeviceManagerId = new AtomicLong();
    private final AtomicLong nextProgramId = new AtomicLong();
    private final AtomicLong nextMeshTraceId = new AtomicLong();

    /** A context with the given rules, tracker and direct reporter. */
    public MetalContext(CoreRules rules, GraphTracking graphTracker, AllocationReporter allocationReporter) {
        this.rules = Preconditions.checkNotNull(rules, "rules");
        this.graphTracker = Preconditions.checkNotNull(graphTracker, "graphTracker");
        this.allocationReporter = Preconditions.checkNotNull(allocationReporter, "allocationReporter");
    }

    /** Upstream rules, nothing observing. */
    public static MetalContext untracked() {
        return new MetalContext(CoreRules.UPSTREAM, GraphTracking.NOOP, AllocationReporter.NOOP);
    }

    /** The code state this process runs. */
    public CoreRules rules() {
        return rules;
    }

    /** The process's {@code GraphTracker::instance()}. */
    public GraphTracking graphTracker() {
        return graphTracker;
    }

    /** The process's {@code AllocationClient} as called directly by allocator code. */
    public AllocationReporter allocationReporter() {
        return allocationReporter;
    }

    /** Models {@code Buffer::next_unique_id++}: every constructed Buffer takes one, from 0. */
    long nextBufferUniqueId() {
        return nextBufferUniqueId.getAndIncrement();
    }

    /** Models {@code Program}'s global atomic id counter: every program takes one, from 0. */
    public long nextProgramId() {
        return nextProgramId.getAndIncrement();
    }

    /**
     * Models {@code MeshTrace::next_id()} ({@code tt_metal/distributed/mesh_trace.cpp}): a function-local
     * static atomic, so one counter per process shared by every mesh, from 0.
     */
    public long nextMeshTraceId() {
        return nextMeshTraceId.getAndIncrement();
    }

    /** Models the global atomic counter that numbers sub-device managers. */
    public long nextSubDeviceManagerId() {
        return nextSubDeviceManagerId.getAndIncrement();
    }
}
