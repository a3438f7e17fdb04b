package io.github.meshalloc.mesh.ttnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DataTypeTest {

    @Test
    void tileSizesOfA32x32Tile() {
        assertEquals(2_048, DataType.BFLOAT16.tileSizeBytes());
        assertEquals(4_096, DataType.FLOAT32.tileSizeBytes());
        assertEquals(4_096, DataType.UINT32.tileSizeBytes());
        assertEquals(4_096, DataType.INT32.tileSizeBytes());
        assertEquals(2_048, DataType.UINT16.tileSizeBytes());
        assertEquals(1_024, DataType.UINT8.tileSizeBytes());
    }

    @Test
    void blockFloatTilesAreMantissasPlusA64ByteExponentSection() {
        assertEquals(1_024 + 64, DataType.BFLOAT8_B.tileSizeBytes());
        assertEquals(1_088, DataType.BFLOAT8_B.tileSizeBytes());
        assertEquals(512 + 64, DataType.BFLOAT4_B.tileSizeBytes());
        assertTrue(DataType.BFLOAT8_B.isBlockFloat());
        assertTrue(DataType.BFLOAT4_B.isBlockFloat());
        assertFalse(DataType.BFLOAT16.isBlockFloat());
    }

    @Test
    void rowMajorElementSizesWithFloatFallbackForBlockFloats() {
        assertEquals(2, DataType.BFLOAT16.rowMajorElementSizeBytes());
        assertEquals(4, DataType.FLOAT32.rowMajorElementSizeBytes());
        assertEquals(4, DataType.UINT32.rowMajorElementSizeBytes());
        assertEquals(4, DataType.INT32.rowMajorElementSizeBytes());
        assertEquals(2, DataType.UINT16.rowMajorElementSizeBytes());
        assertEquals(1, DataType.UINT8.rowMajorElementSizeBytes());
        assertEquals(4, DataType.BFLOAT8_B.rowMajorElementSizeBytes());
        assertEquals(4, DataType.BFLOAT4_B.rowMajorElementSizeBytes());
    }

    @Test
    void cppEnumeratorValues() {
        assertEquals(0, DataType.BFLOAT16.code());
        assertEquals(1, DataType.FLOAT32.code());
        assertEquals(2, DataType.UINT32.code());
        assertEquals(3, DataType.BFLOAT8_B.code());
        assertEquals(4, DataType.BFLOAT4_B.code());
        assertEquals(5, DataType.UINT8.code());
        assertEquals(6, DataType.UINT16.code());
        assertEquals(7, DataType.INT32.code());
        assertEquals(0, Layout.ROW_MAJOR.code());
        assertEquals(1, Layout.TILE.code());
    }
}
