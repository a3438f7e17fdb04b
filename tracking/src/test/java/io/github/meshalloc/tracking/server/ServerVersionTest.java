package io.github.meshalloc.tracking.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.meshalloc.tracking.wire.MessageType;
import io.github.meshalloc.tracking.wire.RecordFormat;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    @Test
    void handledTypesGrowFromAllocFreeQueryToDumpInS1DeviceInfoInS2AndCbKernelMessagesInS5() {
        // reference 2.1 and the version table of section 0: S1 handles 1,2,3,5; S2-S4 add 6; S5 adds 8-12
        Set<MessageType> early = EnumSet.of(MessageType.ALLOC, MessageType.FREE, MessageType.QUERY);
        Set<MessageType> s1 = EnumSet.of(MessageType.ALLOC, MessageType.FREE, MessageType.QUERY,
                MessageType.DUMP_REMAINING);
        Set<MessageType> s2 = EnumSet.copyOf(s1);
        s2.add(MessageType.DEVICE_INFO_QUERY);
        Set<MessageType> s5 = EnumSet.copyOf(s2);
        s5.addAll(EnumSet.range(MessageType.CB_ALLOC, MessageType.DUMP_KERNELS));
        Map<ServerVersion, Set<MessageType>> expected = new EnumMap<>(ServerVersion.class);
        for (ServerVersion v : List.of(ServerVersion.E0, ServerVersion.E1A, ServerVersion.E1R)) {
            expected.put(v, early);
        }
        expected.put(ServerVersion.S1, s1);
        expected.put(ServerVersion.ENHANCED, s1);
        for (ServerVersion v : List.of(ServerVersion.S2, ServerVersion.S3, ServerVersion.S4)) {
            expected.put(v, s2);
        }
        expected.put(ServerVersion.S5, s5);
        for (ServerVersion v : ServerVersion.values()) {
            assertEquals(expected.get(v), v.handledTypes(), v.name());
            for (MessageType t : MessageType.values()) {
                assertEquals(expected.get(v).contains(t), v.handles(t), v + " " + t);
            }
        }
        assertEquals(10, ServerVersion.S5.handledTypes().size());
    }
}
