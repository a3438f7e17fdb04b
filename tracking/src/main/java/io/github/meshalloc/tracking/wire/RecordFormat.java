package io.github.meshalloc.tracking.wire;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The compile-time size of the packed {@code AllocMessage} struct of one side of the socket.
 *
 * <p>Models the three {@code sizeof(AllocMessage)} values found in the C++ (reference section 2.2): 72 bytes
 * ({@code MUM/allocation_server_poc.cpp} 83d21905 = S1, the enhanced server, the 72-byte runtime client
 * {@code tt_metal/impl/allocator/allocation_client.cpp} 83d21905, monitor v1, C++ demo), 112 bytes (S2-S4,
 * monitor v2, {@code MUM/allocation_client.py}) and 144 bytes (S5 and the CB-capable runtime client; its source
 * comment wrongly says 128). There is no length prefix or version field on the wire: each side assumes its own size.
 */
public enum RecordFormat {
    /** Common head plus dram/l1/l1_small/trace counters. */
    BYTES_72(72),
    /** 72-byte record plus device-information words. */
    BYTES_112(112),
    /** Head, six counters (cb and kernel added), device information, ring-buffer words and pad. */
    BYTES_144(144);

    private final int size;

    RecordFormat(int size) {
        this.size = size;
    }

    /** Size of one record in bytes. */
    public int size() {
        return size;
    }

    /**
     * The format whose records are exactly {@code length} bytes.
     *
     * @throws IllegalArgumentException naming the length and the allowed sizes
     */
    public static RecordFormat ofSize(int length) {
        for (RecordFormat f : values()) {
            if (f.size == length) {
                return f;
            }
        }
        throw new IllegalArgumentException("no AllocMessage record is " + length + " bytes long; allowed sizes are "
                + allowedSizes());
    }

    /** "72, 112, 144": the sizes for error messages. */
    static String allowedSizes() {
        return Arrays.stream(values()).map(f -> Integer.toString(f.size)).collect(Collectors.joining(", "));
    }
}
