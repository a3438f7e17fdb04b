package io.github.meshalloc.allocator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The small value types of allocator-core (core coordinates and ranges, enum codes, shard specs, the
 * per-process id counters, allocator dependencies): their tt-metal values and their argument checks.
 * Written while reviewing the PIT survivors of these classes.
 */
class CoreValueTypesTest {

    @Test
    void coreCoordsOrderRowMajorAndPrintLikeTtMetal() {
        CoreCoord a = new CoreCoord(5, 0);
        CoreCoord b = new CoreCoord(0, 1);
        CoreCoord c = new CoreCoord(1, 1);
        assertTrue(a.compareTo(b) < 0, "row 0 before row 1 whatever the column");
        assertTrue(c.compareTo(b) > 0, "same row: by column");
        assertEquals(0, b.compareTo(new CoreCoord(0, 1)));
        assertEquals("(x=5,y=0)", a.toString());
    }

    @Test
    void gridsNeedPositiveSides() {
        assertEquals(new CoreRange(new CoreCoord(0, 0), new CoreCoord(0, 0)), CoreRange.grid(1, 1));
        assertEquals("grid 0x1 must have positive sides",
                assertThrows(IllegalArgumentException.class, () -> CoreRange.grid(0, 1)).getMessage());
        assertEquals("grid 1x0 must have positive sides",
                assertThrows(IllegalArgumentException.class, () -> CoreRange.grid(1, 0)).getMessage());
        assertEquals("[(x=0,y=0) - (x=7,y=9)]", CoreRange.grid(8, 10).toString());
    }

    @Test
    void containsAndIntersectsIncludeTheBorders() {
        CoreRange r = new CoreRange(new CoreCoord(2, 3), new CoreCoord(4, 5));
        for (CoreCoord inside : List.of(new CoreCoord(2, 3), new CoreCoord(4, 5), new CoreCoord(2, 5),
                new CoreCoord(4, 3))) {
            assertTrue(r.contains(inside), inside.toString());
        }
        for (CoreCoord outside : List.of(new CoreCoord(1, 3), new CoreCoord(5, 3), new CoreCoord(3, 2),
                new CoreCoord(3, 6))) {
            assertFalse(r.contains(outside), outside.toString());
        }
        // Touching at one border core on each side still intersects; one core further does not.
        assertTrue(r.intersects(CoreRange.of(new CoreCoord(4, 5))));
        assertTrue(r.intersects(new CoreRange(new CoreCoord(0, 0), new CoreCoord(2, 3))));
        assertFalse(r.intersects(new CoreRange(new CoreCoord(5, 3), new CoreCoord(6, 5))));
        assertFalse(r.intersects(new CoreRange(new CoreCoord(0, 3), new CoreCoord(1, 5))));
        assertFalse(r.intersects(new CoreRange(new CoreCoord(2, 6), new CoreCoord(4, 7))));
        assertFalse(r.intersects(new CoreRange(new CoreCoord(2, 0), new CoreCoord(4, 2))));
    }

    /**
     * {@code CoreRange::contains(const CoreRange&)}: the facts of tt-metal's gtests TestCoreRangeContains and
     * TestCoreRangeNotContains (core_coord tests, fixture CoreCoordFixture), with the fixture's ranges.
     */
    @Test
    void aRangeContainsAnotherOnlyIfBothItsCornersLieInside() {
        CoreRange cr1 = new CoreRange(new CoreCoord(0, 0), new CoreCoord(1, 1));
        CoreRange cr2 = new CoreRange(new CoreCoord(3, 3), new CoreCoord(5, 4));
        CoreRange cr4 = new CoreRange(new CoreCoord(0, 0), new CoreCoord(5, 4));
        CoreRange cr7 = new CoreRange(new CoreCoord(2, 0), new CoreCoord(7, 4));
        CoreRange sc1 = CoreRange.of(new CoreCoord(1, 1));
        CoreRange sc2 = CoreRange.of(new CoreCoord(0, 1));
        // contains
        assertTrue(cr1.contains(sc1), "a range holds a single core at its end corner");
        assertTrue(cr1.contains(cr1), "a range holds itself");
        assertTrue(cr4.contains(cr2), "a range holds a range that shares its end corner");
        // does not contain
        assertFalse(sc1.contains(cr1), "a single core does not hold a larger range around it");
        assertFalse(sc1.contains(sc2), "nor another single core");
        assertFalse(cr1.contains(cr2), "disjoint ranges");
        assertFalse(cr7.contains(sc1), "a core left of the range");
        // Not in the gtests (read from the definition: both corners must be inside): one corner in, one out.
        CoreRange cr5 = new CoreRange(new CoreCoord(1, 0), new CoreCoord(6, 4));
        assertFalse(cr4.contains(cr5), "start inside, end beyond the right edge");
        assertFalse(cr7.contains(cr5), "end inside, start left of the range");
    }

    @Test
    void coreRangeSetCoresAreRowMajorAcrossRanges() {
        CoreRangeSet two = new CoreRangeSet(List.of(CoreRange.of(new CoreCoord(3, 1)),
                new CoreRange(new CoreCoord(0, 0), new CoreCoord(1, 1))));
        assertEquals(List.of(new CoreCoord(0, 0), new CoreCoord(1, 0), new CoreCoord(0, 1), new CoreCoord(1, 1),
                new CoreCoord(3, 1)), two.cores());
    }

    @Test
    void enumCodesAreTheCppEnumeratorValues() {
        assertEquals(0, BufferType.DRAM.code());
        assertEquals(4, BufferType.TRACE.code());
        for (BufferType type : BufferType.values()) {
            assertEquals(type, BufferType.fromCode(type.code()));
        }
        assertThrows(IllegalArgumentException.class, () -> BufferType.fromCode(5));
        assertEquals(0, TensorMemoryLayout.INTERLEAVED.code());
        assertEquals(2, TensorMemoryLayout.HEIGHT_SHARDED.code());
        assertEquals(4, TensorMemoryLayout.BLOCK_SHARDED.code());
    }

    @Test
    void pagesPerShardMultipliesRowsByColumnsOfPages() {
        // A 128x64 shard of 32x32 pages: 4 rows x 2 columns of pages.
        ShardSpecBuffer spec = new ShardSpecBuffer(TestChips.grid(2, 1), 128, 64, ShardOrientation.ROW_MAJOR, 32,
                32, 8, 4);
        assertEquals(8, spec.numPagesPerShard());
    }

    @Test
    void devicesHaveNonNegativeIdsAndPrintTheirState() {
        MetalContext context = MetalContext.untracked();
        assertEquals("device id -1 must not be negative", assertThrows(IllegalArgumentException.class,
                () -> new Device(-1, ArchPreset.WORMHOLE_B0.config(), context)).getMessage());
        Device device = new Device(3, ArchPreset.WORMHOLE_B0.config(), context);
        assertEquals(3, device.id());
        assertEquals("Device{3, closed}", device.toString());
        device.initialize();
        assertEquals("Device{3, open}", device.toString());
        assertFalse(device.isMeshDevice());
    }

    @Test
    void processCountersStartAtZeroAndAreIndependent() {
        MetalContext context = MetalContext.untracked();
        assertEquals(0, context.nextProgramId());
        assertEquals(1, context.nextProgramId());
        assertEquals(0, context.nextMeshTraceId());
        assertEquals(1, context.nextMeshTraceId());
        assertFalse(AllocationReporter.NOOP.isEnabled());
    }

    @Test
    void dependencyIdsMustNotBeNegative() {
        assertEquals("allocator id -1 must not be negative", assertThrows(IllegalArgumentException.class,
                () -> AllocatorDependencies.fromMap(Map.of(-1, List.of(0)))).getMessage());
        assertEquals("allocator id -2 must not be negative", assertThrows(IllegalArgumentException.class,
                () -> AllocatorDependencies.fromMap(Map.of(0, List.of(-2)))).getMessage());
    }
}
