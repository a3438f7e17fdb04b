package io.github.meshalloc.mesh.ttnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShapeTest {

    @Test
    void rankVolumeAndNegativeIndices() {
        Shape shape = Shape.of(8, 8, 512, 512);
        assertEquals(4, shape.rank());
        assertEquals(16_777_216L, shape.volume());
        assertEquals(512, shape.get(-1));
        assertEquals(8, shape.get(-4));
        assertEquals(8, shape.get(0));
        assertEquals(List.of(8, 8, 512, 512), shape.dims());
        assertEquals("Shape([8, 8, 512, 512])", shape.toString());
    }

    @Test
    void scalarHasVolumeOneAndZeroExtentsAreLegal() {
        assertEquals(0, Shape.of().rank());
        assertEquals(1L, Shape.of().volume());
        assertEquals(0L, Shape.of(4, 0, 32).volume());
    }

    @Test
    void withDimReplacesOneExtent() {
        assertEquals(Shape.of(4, 8, 512, 512), Shape.of(8, 8, 512, 512).withDim(0, 4));
        assertEquals(Shape.of(8, 8, 512, 128), Shape.of(8, 8, 512, 512).withDim(-1, 128));
    }

    @Test
    void dimsAreCopiedAndImmutable() {
        List<Integer> source = new java.util.ArrayList<>(List.of(1, 2));
        Shape shape = new Shape(source);
        source.set(0, 99);
        assertEquals(1, shape.get(0));
        assertThrows(UnsupportedOperationException.class, () -> shape.dims().set(0, 5));
    }

    @Test
    void rejectsNegativeExtent() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Shape.of(2, -3));
        assertTrue(e.getMessage().contains("extent -3 of dimension 1 is negative"), e.getMessage());
        assertTrue(e.getMessage().contains("must be >= 0"), e.getMessage());
    }

    @Test
    void rejectsIndexOutOfRange() {
        Shape shape = Shape.of(1, 2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> shape.get(3));
        assertTrue(e.getMessage().contains("dimension index 3 is out of range for rank-3"), e.getMessage());
        assertTrue(e.getMessage().contains("allowed: -3..2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> shape.get(-4));
    }
}
