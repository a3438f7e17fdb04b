package io.github.meshalloc.tracking.wire;

import com.google.common.base.Preconditions;
import java.util.Optional;

/**
 * The {@code type} byte of an allocation-server message.
 *
 * <p>Models the {@code AllocMessage::Type} enum of
 * {@code MUM/allocation_server_poc.cpp} (codes 1..5 in S1, 6..7 added in S2, 8..12 in S5) and of
 * {@code tt_metal/impl/allocator/allocation_client.hpp} (reference section 2.1). Which codes a given server
 * version handles is a property of the server version, not of this enum.
 */
public enum MessageType {
    /** Buffer allocation, client to server. */
    ALLOC(1),
    /** Buffer deallocation, client to server. */
    FREE(2),
    /** Per-device counter query, monitor to server. */
    QUERY(3),
    /** Reply to {@link #QUERY}, server to monitor. */
    RESPONSE(4),
    /** Dead-process sweep followed by a registry dump (S1+). */
    DUMP_REMAINING(5),
    /** Device-information query (S2+). */
    DEVICE_INFO_QUERY(6),
    /** Reply to {@link #DEVICE_INFO_QUERY}. */
    DEVICE_INFO_RESPONSE(7),
    /** Circular-buffer allocation (S5). */
    CB_ALLOC(8),
    /** Circular-buffer free (S5). */
    CB_FREE(9),
    /** Kernel binary loaded (S5). */
    KERNEL_LOAD(10),
    /** Kernel binary unloaded (S5). */
    KERNEL_UNLOAD(11),
    /** Kernel registry dump (S5). */
    DUMP_KERNELS(12);

    private static final MessageType[] BY_CODE = new MessageType[13];

    static {
        for (MessageType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;

    MessageType(int code) {
        this.code = code;
    }

    /** The wire code (1..12). */
    public int code() {
        return code;
    }

    /** The type with this code, or empty for codes outside 1..12 (a server prints "Unknown message type"). */
    public static Optional<MessageType> fromCode(int code) {
        return code >= 1 && code <= 12 ? Optional.of(BY_CODE[code]) : Optional.empty();
    }

    /**
     * The type with this code.
     *
     * @throws IllegalArgumentException if {@code code} is not in 1..12
     */
    public static MessageType ofCode(int code) {
        Preconditions.checkArgument(code >= 1 && code <= 12,
                "message type code %s is not defined; allowed codes are 1..12", code);
        return BY_CODE[code];
    }
}
