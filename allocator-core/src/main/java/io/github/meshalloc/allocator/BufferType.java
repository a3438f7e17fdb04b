package io.github.meshalloc.allocator;

/**
 * The kind of device memory a buffer lives in.
 *
 * <p>Models {@code tt::tt_metal::BufferType} ({@code tt_metal/api/tt-metalium/buffer_types.hpp});
 * {@link #code()} is the C++ enumerator value, which is also the {@code buffer_type} byte of the
 * tracking server's messages (reference 2.1; allocation-server 2.3).
 */
public enum BufferType {
    DRAM(0),
    L1(1),
    SYSTEM_MEMORY(2),
    L1_SMALL(3),
    TRACE(4);

    private final int code;

    BufferType(int code) {
        this.code = code;
    }

    /** The C++ enumerator value. */
    public int code() {
        return code;
    }

    /** Models {@code Buffer::is_dram()}: true for DRAM and TRACE, whose buffers default to bottom-up placement. */
    public boolean isDram() {
        return this == DRAM || this == TRACE;
    }

    /** Models {@code Buffer::is_l1()}: true for L1 and L1_SMALL. */
    public boolean isL1() {
        return this == L1 || this == L1_SMALL;
    }

    /**
     * The type with C++ value {@code code}.
     *
     * @throws IllegalArgumentException if {@code code} is not 0..4
     */
    public static BufferType fromCode(int code) {
        for (BufferType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        throw new IllegalArgumentException("Unknown buffer type code " + code + "; allowed: 0 (DRAM), 1 (L1), "
                + "2 (SYSTEM_MEMORY), 3 (L1_SMALL), 4 (TRACE)");
    }
}
