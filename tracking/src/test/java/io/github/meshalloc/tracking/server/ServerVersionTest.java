package io.github.meshalloc.tracking.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.meshalloc.tracking.wire.RecordFormat;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link ServerVersion}: the per-version facts of reference sections 0, 3.6 and 4. */
class ServerVersionTest {

    @Test
    void recordSizesAre72ForS1TheEarlyErasAndTheHistoryServer112ForS2ToS4And144ForS5() {
        Map<ServerVersion, RecordFormat> expected = new EnumMap<>(ServerVersion.class);
        for (ServerVersion v : ServerVersion.values()) {
            expected.put(v, RecordFormat.BYTES_72);
        }
        expected.put(ServerVersion.S2, RecordFormat.BYTES_112);
        expected.put(ServerVersion.S3, RecordFormat.BYTES_112);
        expected.put(ServerVersion.S4, RecordFormat.BYTES_112);
        expected.put(ServerVersion.S5, RecordFormat.BYTES_144);
        for (ServerVersion v : ServerVersion.values()) {
            assertEquals(expected.get(v), v.recordFormat(), v.name());
        }
    }

    @Test
    void freeLinesHaveNoDeviceInE0NoRefCountInE1AndTheRefCountedFormElsewhere() {
        for (ServerVersion v : ServerVersion.values()) {
            ServerVersion.FreeLineForm want = v == ServerVersion.E0 ? ServerVersion.FreeLineForm.E0
                    : v == ServerVersion.E1A || v == ServerVersion.E1R ? ServerVersion.FreeLineForm.E1
                    : ServerVersion.FreeLineForm.REF_COUNTED;
            assertEquals(want, v.freeLineForm(), v.name());
        }
    }

    @Test
    void theSweepRunsEveryFiveSecondsUpToS4EveryThreeInS5AndNeverBeforeS1() {
        for (ServerVersion v : ServerVersion.values()) {
            int want = !v.hasSweep() ? 0 : v == ServerVersion.S5 ? 3 : 5;
            assertEquals(want, v.sweepPeriodSeconds(), v.name());
        }
        assertEquals(0, ServerVersion.E0.sweepPeriodSeconds());
        assertEquals(0, ServerVersion.E1A.sweepPeriodSeconds());
        assertEquals(5, ServerVersion.S1.sweepPeriodSeconds());
        assertEquals(5, ServerVersion.ENHANCED.sweepPeriodSeconds());
        assertEquals(3, ServerVersion.S5.sweepPeriodSeconds());
    }
}
