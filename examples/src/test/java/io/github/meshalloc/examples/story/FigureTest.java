package io.github.meshalloc.examples.story;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Figures compute their match; tables and per-device groups render deterministically. */
class FigureTest {

    @Test
    void exactBecomesDiffersWhenTheModelMoves() {
        assertEquals(Figure.Match.EXACT, Figure.exact("004", "c", 10, 10, "m", "u").match());
        Figure moved = Figure.exactAll("004", "c", new long[] {10, 20}, new long[] {10, 21}, "m", "u");
        assertEquals(Figure.Match.DIFFERS, moved.match());
        assertTrue(moved.label().contains("value 2: expected 20, model gives 21"), moved.label());
        assertEquals(Figure.Match.DIFFERS, Figure.refuted("003", "c", "m", false, "w", "u").match());
        assertEquals(Figure.Match.APPROXIMATE, Figure.approximate("000", "c", "m", true, "rounded", "u").match());
    }

    @Test
    void perDeviceGroupsEqualValues() {
        assertEquals("0: 5; 1-3,5: 7; 4: 9", Fmt.perDevice(List.of(0, 1, 2, 3, 4, 5),
                d -> d == 0 ? 5 : d == 4 ? 9 : 7));
        assertEquals("0-7: 0", Fmt.perDevice(List.of(0, 1, 2, 3, 4, 5, 6, 7), d -> 0));
    }

    @Test
    void tableRightAlignsNumbersAndRejectsRaggedRows() {
        TextTable t = new TextTable(List.of("name", "bytes"), List.of(List.of("a", "1,024"), List.of("bb", "7")));
        assertEquals("name  bytes\n-----------\na     1,024\nbb        7\n", t.render());
        assertThrows(IllegalArgumentException.class, () -> new TextTable(List.of("x"), List.of(List.of("1", "2"))));
    }
}
