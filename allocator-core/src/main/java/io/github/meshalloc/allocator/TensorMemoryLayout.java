package io.github.meshalloc.allocator;

/**
 * How a buffer's pages are spread over banks.
 *
 * <p>Models {@code tt::tt_metal::TensorMemoryLayout} ({@code buffer_types.hpp}); the values are the
 * C++ ones (1 is unused). {@link #isSharded()} models the free function {@code is_sharded(layout)},
 * which is true only for HEIGHT_, WIDTH_ and BLOCK_SHARDED (reference 2.1).
 */
public enum TensorMemoryLayout {
    INTERLEAVED(0),
    HEIGHT_SHARDED(2),
    WIDTH_SHARDED(3),
    BLOCK_SHARDED(4),
    ND_SHARDED(5);

    private final int code;

    TensorMemoryLayout(int code) {
        this.code = code;
    }

    /** The C++ enumerator value. */
    public int code() {
        return code;
    }

    /** Models {@code is_sharded(layout)}. */
    public boolean isSharded() {
        return this == HEIGHT_SHARDED || this == WIDTH_SHARDED || this == BLOCK_SHARDED;
    }
}
