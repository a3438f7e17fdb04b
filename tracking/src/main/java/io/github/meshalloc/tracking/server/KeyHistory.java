package io.github.meshalloc.tracking.server;

import java.util.List;

/**
 * The lifecycle history of one key, kept after the key is erased (history server).
 *
 * <p>Models {@code struct BufferLifecycleHistory} of {@code MUM/allocation_server_enhanced.cpp} (reference 5):
 * total ALLOC+REUSE count, total FREE count (matched and unmatched), and the last 50 events.
 *
 * @param deviceId    device id of the key
 * @param bufferId    buffer id of the key
 * @param totalAllocs ALLOC and REUSE events ever
 * @param totalFrees  FREE events ever, including unmatched ones
 * @param events      the last (up to) 50 events, oldest first
 */
public record KeyHistory(int deviceId, long bufferId, int totalAllocs, int totalFrees, List<HistoryEvent> events) {

    /** Maximum events kept per key ({@code MAX_HISTORY_PER_BUFFER}). */
    public static final int MAX_EVENTS = 50;

    /** Copies the event list. */
    public KeyHistory {
        events = List.copyOf(events);
    }

    /** {@code total_allocs > total_frees}. */
    public boolean isLeaked() {
        return totalAllocs > totalFrees;
    }

    /** {@code total_frees > total_allocs}: reported as DOUBLE-FREED. */
    public boolean isDoubleFreed() {
        return totalFrees > totalAllocs;
    }
}
