package io.github.meshalloc.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.allocator.BufferType;
import io.github.meshalloc.tracking.wire.AllocMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** AllocationClient: enabled once, lazy connect, silent drops while the server is down. */
class AllocationClientTest {

    /** A socket that records what it delivers and can be taken down. */
    private static final class RecordingLink implements ServerLink {
        final List<AllocMessage> delivered = new ArrayList<>();
        boolean up = true;

        @Override
        public boolean isUp() {
            return up;
        }

        @Override
        public void deliver(AllocMessage message) {
            delivered.add(message);
        }
    }

    @Test
    void theEnvironmentIsReadOnceAtFirstUse() {
        Map<String, String> env = new HashMap<>();
        RecordingLink link = new RecordingLink();
        AllocationClient client = new AllocationClient(7, env, link, () -> 1);
        assertFalse(client.isEnabled());
        env.put(AllocationClient.ENABLE_VARIABLE, "1");
        client.reportAllocation(0, 4096, BufferType.DRAM, 64);
        assertFalse(client.isEnabled(), "setting the variable later has no effect");
        assertTrue(link.delivered.isEmpty());
    }

    @Test
    void onlyTheValueOneEnables() {
        RecordingLink link = new RecordingLink();
        assertFalse(new AllocationClient(7, Map.of(AllocationClient.ENABLE_VARIABLE, "true"), link, () -> 1)
                .isEnabled());
        assertTrue(new AllocationClient(7, Map.of(AllocationClient.ENABLE_VARIABLE, "1"), link, () -> 1)
                .isEnabled());
    }

    @Test
    void recordsCarryPidDeviceSizeTypeAddressAndStepTimestamps() {
        RecordingLink link = new RecordingLink();
        long[] step = {41};
        AllocationClient client = new AllocationClient(1234, Map.of(AllocationClient.ENABLE_VARIABLE, "1"), link,
                () -> ++step[0]);
        client.reportAllocation(3, 4096, BufferType.L1_SMALL, 0x1000);
        client.reportDeallocation(3, 0x1000);
        client.reportDeallocationAddressOnly(0x2000);
        assertEquals(List.of(
                AllocMessage.alloc(3, 4096, 3, 1234, 0x1000, 42),
                AllocMessage.free(3, 1234, 0x1000),
                AllocMessage.free(0, 1234, 0x2000)), link.delivered);
        assertEquals(3, client.sent());
    }

    @Test
    void messagesAreDroppedSilentlyWhileTheServerIsDownWithOneWarning() {
        RecordingLink link = new RecordingLink();
        link.up = false;
        AllocationClient client = new AllocationClient(5, Map.of(AllocationClient.ENABLE_VARIABLE, "1"), link,
                () -> 1);
        client.reportAllocation(0, 64, BufferType.DRAM, 1);
        client.reportDeallocation(0, 1);
        assertEquals(2, client.dropped());
        assertEquals(List.of(AllocationClient.SERVER_UNAVAILABLE_WARNING), client.warnings());
        link.up = true;
        client.reportDeallocation(0, 1);
        assertEquals(1, link.delivered.size());
        assertEquals(1, client.warnings().size());
    }

    @Test
    void cbRecordsCarryTheSizeBothWaysAndATimestampOnlyOnAlloc() {
        RecordingLink link = new RecordingLink();
        long[] step = {9};
        AllocationClient client = new AllocationClient(77, Map.of(AllocationClient.ENABLE_VARIABLE, "1"), link,
                () -> ++step[0]);
        assertEquals(77, client.pid());
        client.reportCbAllocation(2, 22528, 0x19000);
        client.reportCbDeallocation(2, 22528, 0x19000);
        assertEquals(List.of(AllocMessage.cbAlloc(2, 22528, 77, 0x19000, 10),
                AllocMessage.cbFree(2, 22528, 77, 0x19000)), link.delivered);
        assertEquals(0, link.delivered.get(1).timestamp());
        assertEquals(22528, link.delivered.get(1).size());
        assertEquals(2, client.sent());
    }
}
