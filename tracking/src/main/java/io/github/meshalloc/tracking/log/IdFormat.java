package io.github.meshalloc.tracking.log;

/**
 * How a server version prints {@code buffer_id} in per-event lines.
 *
 * <p>Models the two output styles of {@code MUM/allocation_server_poc.cpp}: {@code << msg.buffer_id} (unsigned
 * decimal, S1-S3 and the E0/E1 eras) and {@code << "0x" << std::hex << msg.buffer_id << std::dec} (lowercase hex
 * without padding, S4, S5 and the enhanced server), reference section 4 ({@code ID}).
 */
public enum IdFormat {
    /** Unsigned decimal, e.g. {@code 2560032}. */
    DECIMAL,
    /** {@code 0x} + lowercase hex, e.g. {@code 0x271020}. */
    HEX;

    /** The id as this format prints it (the id is an unsigned 64-bit value held in a long). */
    public String render(long id) {
        return this == DECIMAL ? Long.toUnsignedString(id) : "0x" + Long.toHexString(id);
    }

    /** Appends the id as this format prints it. */
    void appendTo(StringBuilder sb, long id) {
        if (this == HEX) {
            sb.append("0x").append(Long.toHexString(id));
        } else if (id >= 0) {
            sb.append(id);
        } else {
            sb.append(Long.toUnsignedString(id));
        }
    }
}
