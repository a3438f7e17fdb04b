package io.github.meshalloc.mesh.ttnn;

/**
 * How a tensor's elements are arranged in pages.
 *
 * <p>Models {@code tt::tt_metal::Layout} ({@code ttnn/cpp/ttnn/tensor/types.hpp}); {@link #code()} is the C++ value
 * ({@code ROW_MAJOR = 0}, {@code TILE = 1}). With {@link #TILE} a page is one 32x32 tile and the last two dimensions
 * are padded up to multiples of 32 ({@code TilePageConfig}); with {@link #ROW_MAJOR} a page is one row of the
 * innermost dimension and nothing is padded ({@code RowMajorPageConfig}).
 */
public enum Layout {
    ROW_MAJOR(0),
    TILE(1);

    /** Height of the default tile, {@code tt::constants::TILE_HEIGHT}. */
    public static final int TILE_HEIGHT = 32;

    /** Width of the default tile, {@code tt::constants::TILE_WIDTH}. */
    public static final int TILE_WIDTH = 32;

    /** Elements in one default tile, {@code tt::constants::TILE_HW}. */
    public static final int TILE_HW = TILE_HEIGHT * TILE_WIDTH;

    private final int code;

    Layout(int code) {
        this.code = code;
    }

    /** The C++ enumerator value. */
    public int code() {
        return code;
    }
}
