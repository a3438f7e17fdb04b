package io.github.meshalloc.tracking.server;

import com.google.common.base.Preconditions;

/**
 * Something the C++ server would do that the model does not reproduce literally, recorded instead.
 *
 * <p>Models two places where {@code MUM/allocation_server_poc.cpp} leaves defined behaviour (reference 1 and 3.2):
 * <ul>
 *   <li>{@link Kind#DEVICE_OUT_OF_RANGE}: servers before S5 (and the history server) index
 *       {@code device_stats_[device_id]} without a bounds check, which is undefined behaviour for ids outside 0..7
 *       (observed ids 14, 32, 33, 50-77, 68). Model choice: the registry entry is created, updated and erased, and
 *       the log line printed, exactly as for a valid device; only the per-device counter update is skipped (there is
 *       no such device), and this anomaly is recorded. No other state is touched.</li>
 *   <li>{@link Kind#INVALID_TYPE_DISCARDED}: S5 framing peeks a record whose type byte is outside 1..12, discards
 *       one byte and counts a consecutive error; the model, whose messages are atomic, discards the whole message
 *       and counts one error (inferred approximation of the byte-wise resync).</li>
 * </ul>
 *
 * @param kind     what happened
 * @param deviceId device id of the message or entry
 * @param bufferId buffer id of the message or entry
 * @param detail   human-readable description
 */
public record ServerAnomaly(Kind kind, int deviceId, long bufferId, String detail) {

    /** Anomaly kinds. */
    public enum Kind {
        /** A counter update for a device outside 0..7 was skipped (C++: undefined behaviour). */
        DEVICE_OUT_OF_RANGE,
        /** S5 discarded a message whose type byte is outside 1..12. */
        INVALID_TYPE_DISCARDED
    }

    /** Validates kind and detail. */
    public ServerAnomaly {
        Preconditions.checkNotNull(kind, "kind");
        Preconditions.checkNotNull(detail, "detail");
    }
}
