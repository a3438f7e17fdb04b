package io.github.meshalloc.tracking.wire;

import com.google.common.base.Preconditions;
import java.util.Optional;

/**
 * The {@code buffer_type} byte of an ALLOC message: tt-metal's {@code BufferType} codes.
 *
 * <p>Models the server's {@code type_name[] = {"DRAM", "L1", "SYSTEM_MEMORY", "L1_SMALL", "TRACE"}} table and its
 * counter switch in {@code AllocationServer::handle_allocation} of {@code MUM/allocation_server_poc.cpp}
 * (reference section 2.3): codes 2 and 3 both feed the {@code l1_small_allocated} counter; codes above 4 are
 * rejected. (The client header's comment "2=L1_SMALL, 3=TRACE" is wrong; {@code MUM/allocation_client.py} uses
 * those wrong codes, so a Python "TRACE" lands in L1_SMALL.)
 */
public enum BufferTypeCode {
    /** 0: DRAM, counter dram_allocated. */
    DRAM(0, "DRAM", Counter.DRAM),
    /** 1: L1, counter l1_allocated. */
    L1(1, "L1", Counter.L1),
    /** 2: SYSTEM_MEMORY, counted as l1_small_allocated by the server. */
    SYSTEM_MEMORY(2, "SYSTEM_MEMORY", Counter.L1_SMALL),
    /** 3: L1_SMALL, counter l1_small_allocated. */
    L1_SMALL(3, "L1_SMALL", Counter.L1_SMALL),
    /** 4: TRACE, counter trace_allocated. */
    TRACE(4, "TRACE", Counter.TRACE);

    /** The four per-device byte counters a buffer type can feed ({@code DeviceStats} in the server). */
    public enum Counter {
        /** dram_allocated. */
        DRAM,
        /** l1_allocated. */
        L1,
        /** l1_small_allocated (types 2 and 3). */
        L1_SMALL,
        /** trace_allocated. */
        TRACE
    }

    private static final BufferTypeCode[] BY_CODE = values();

    private final int code;
    private final String logName;
    private final Counter counter;

    BufferTypeCode(int code, String logName, Counter counter) {
        this.code = code;
        this.logName = logName;
        this.counter = counter;
    }

    /** The wire code 0..4. */
    public int code() {
        return code;
    }

    /** The name the server prints ({@code TYPE} in the log grammar). */
    public String logName() {
        return logName;
    }

    /** The per-device counter this type is added to. */
    public Counter counter() {
        return counter;
    }

    /** The type with this code, or empty for codes the server rejects (above 4, or negative). */
    public static Optional<BufferTypeCode> fromCode(int code) {
        return code >= 0 && code <= 4 ? Optional.of(BY_CODE[code]) : Optional.empty();
    }

    /**
     * The type with this code.
     *
     * @throws IllegalArgumentException if {@code code} is not in 0..4
     */
    public static BufferTypeCode ofCode(int code) {
        Preconditions.checkArgument(code >= 0 && code <= 4,
                "buffer type code %s is not one the server accepts; allowed codes are 0..4", code);
        return BY_CODE[code];
    }

    /**
     * The type whose log name is {@code name}.
     *
     * @throws IllegalArgumentException for any other text
     */
    public static BufferTypeCode ofLogName(String name) {
        for (BufferTypeCode t : BY_CODE) {
            if (t.logName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("'" + name
                + "' is not a buffer type name; allowed names are DRAM, L1, SYSTEM_MEMORY, L1_SMALL, TRACE");
    }
}
