package io.github.meshalloc.mesh.ttnn;

/**
 * A tensor's element type.
 *
 * <p>Models {@code tt::tt_metal::DataType} ({@code ttnn/cpp/ttnn/tensor/types.hpp}); {@link #code()} is the C++ value.
 * Two sizes matter for buffers:
 * <ul>
 *   <li>{@link #tileSizeBytes()}: bytes of one 32x32 tile, which is the page size of a TILE-layout tensor
 *       ({@code TilePageConfig::get_page_size_bytes} via {@code Tile::get_tile_size(datatype_to_dataformat_converter(dtype))}).
 *       The block-float types store one mantissa byte (BFLOAT8_B) or half byte (BFLOAT4_B) per element plus a 64-byte
 *       exponent section (4 x 16 B, {@code tt::constants::BFLOAT8_B_TILE_HW}/{@code BFLOAT4_B_TILE_HW}):
 *       1,024 + 64 = 1,088 B and 512 + 64 = 576 B.</li>
 *   <li>{@link #rowMajorElementSizeBytes()}: bytes per element in a ROW_MAJOR page ({@code rm_element_size_bytes} in
 *       {@code page_config.cpp}). Block floats have no row-major encoding; ttnn falls back to 4-byte floats for them.</li>
 * </ul>
 */
public enum DataType {
    BFLOAT16(0, 2, 2 * Layout.TILE_HW),
    FLOAT32(1, 4, 4 * Layout.TILE_HW),
    UINT32(2, 4, 4 * Layout.TILE_HW),
    BFLOAT8_B(3, 4, Layout.TILE_HW + 64),
    BFLOAT4_B(4, 4, Layout.TILE_HW / 2 + 64),
    UINT8(5, 1, Layout.TILE_HW),
    UINT16(6, 2, 2 * Layout.TILE_HW),
    INT32(7, 4, 4 * Layout.TILE_HW);

    private final int code;
    private final int rowMajorElementSizeBytes;
    private final int tileSizeBytes;

    DataType(int code, int rowMajorElementSizeBytes, int tileSizeBytes) {
        this.code = code;
        this.rowMajorElementSizeBytes = rowMajorElementSizeBytes;
        this.tileSizeBytes = tileSizeBytes;
    }

    /** The C++ enumerator value. */
    public int code() {
        return code;
    }

    /** Bytes per element in a ROW_MAJOR page (4 for the block floats, which row-major stores as float32). */
    public int rowMajorElementSizeBytes() {
        return rowMajorElementSizeBytes;
    }

    /** Bytes of one 32x32 tile: the page size of a TILE-layout tensor of this type. */
    public int tileSizeBytes() {
        return tileSizeBytes;
    }

    /** True for BFLOAT8_B and BFLOAT4_B, whose tiles share exponents and which can live on device only as TILE. */
    public boolean isBlockFloat() {
        return this == BFLOAT8_B || this == BFLOAT4_B;
    }

    /**
     * Bytes per element as {@code tensor_impl::element_size_bytes} counts them: the row-major size, except 1 for the
     * block floats. ttnn uses it to check a ROW_MAJOR shard width ({@code validate_sharded_buffer_allocation}).
     */
    int deviceElementSizeBytes() {
        return isBlockFloat() ? 1 : rowMajorElementSizeBytes;
    }
}
