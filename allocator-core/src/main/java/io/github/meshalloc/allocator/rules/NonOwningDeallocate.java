package io.github.meshalloc.allocator.rules;

/**
 * What {@code Buffer.deallocate()} does for a buffer that does not own its memory.
 *
 * <p>Variation point at C++ {@code Buffer::deallocate()} ({@code buffer.cpp}).
 */
public enum NonOwningDeallocate {
    /** Upstream: return at once; the status stays as it is (reference 8.5). */
    RETURN,
    /**
     * buffer.cpp at 83d21905 (allocation-server reference 6 item 4): if still ALLOCATED and the device
     * is initialised, {@code track_deallocate}, then mark DEALLOCATED. Under this rule destroying a
     * view reports a FREE (the "36 KiB until the cache is cleared" figure).
     */
    TRACK_AND_MARK
}
