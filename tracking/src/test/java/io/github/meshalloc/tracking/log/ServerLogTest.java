package io.github.meshalloc.tracking.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The slices of a {@link ServerLog}: a start from 0 to the current size, anything else refused by name. */
class ServerLogTest {

    private static ServerLog threeLines() {
        ServerLog log = new ServerLog();
        log.append(new LogEvent.UnknownType(4));
        log.append(new LogEvent.Constant(ConstantLine.BLANK));
        log.append(new LogEvent.ActiveAllocations(0));
        return log;
    }

    @Test
    void aSliceFromTheCurrentSizeIsEmptyAndFromZeroIsEverything() {
        ServerLog log = threeLines();
        assertEquals(List.of(), log.eventsFrom(3));
        assertEquals(List.of(), log.linesFrom(3));
        assertEquals(log.events(), log.eventsFrom(0));
        assertEquals(log.lines(), log.linesFrom(0));
        assertEquals(List.of(new LogEvent.ActiveAllocations(0)), log.eventsFrom(2));
        assertEquals(List.of("  Active allocations: 0"), log.linesFrom(2).stream().map(ServerLine::text).toList());
    }

    @Test
    void aStartBeforeZeroOrBeyondTheSizeIsRefusedNamingItAndTheAllowedRange() {
        ServerLog log = threeLines();
        for (int from : new int[] {-1, 4}) {
            IllegalArgumentException events = assertThrows(IllegalArgumentException.class, () -> log.eventsFrom(from));
            assertEquals("from is " + from + "; allowed 0..3 (the current size)", events.getMessage());
            IllegalArgumentException lines = assertThrows(IllegalArgumentException.class, () -> log.linesFrom(from));
            assertEquals("from is " + from + "; allowed 0..3 (the current size)", lines.getMessage());
        }
        assertEquals(3, log.size());
    }
}
