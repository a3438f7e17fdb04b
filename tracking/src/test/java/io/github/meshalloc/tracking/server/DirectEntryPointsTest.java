package io.github.meshalloc.tracking.server;

import static io.github.meshalloc.tracking.server.ServerTestSupport.printed;
import static io.github.meshalloc.tracking.server.ServerTestSupport.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.tracking.wire.AllocMessage;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link AllocationServer#acceptAlloc} and {@link AllocationServer#acceptFree}, the entry points log replay uses,
 * are documented as exactly {@code accept(AllocMessage.alloc(...))} and {@code accept(AllocMessage.free(...))}: on
 * every server version they leave the same registry, counters, counts, anomalies and histories and print the same
 * lines as the messages, refuse what the message would refuse, and (S5) a valid ALLOC or FREE type byte ends a run of
 * framing errors as any valid message does.
 */
class DirectEntryPointsTest {

    private static final long MIB = 1 << 20;

    /** One ALLOC ({@code free == false}) or FREE of the traffic below. */
    private record Op(boolean free, int device, long size, int type, int pid, long id) {

        AllocMessage message() {
            return free ? AllocMessage.free(device, pid, id) : AllocMessage.alloc(device, size, type, pid, id, 7 + id);
        }

        void applyDirectly(AllocationServer s) {
            if (free) {
                s.acceptFree(device, pid, id);
            } else {
                s.acceptAlloc(device, size, type, pid, id, 7 + id);
            }
        }
    }

    private static Op alloc(int device, long size, int type, int pid, long id) {
        return new Op(false, device, size, type, pid, id);
    }

    private static Op free(int device, int pid, long id) {
        return new Op(true, device, 0, 0, pid, id);
    }

    /**
     * New keys of every counter, a duplicate ALLOC with another size, type and pid, partial and final FREEs, the same
     * address on two devices, a FREE on the wrong device, a FREE of a never-allocated key, a second FREE of a freed
     * key, rejected types 5 and 255, device 9 (out of range), size 0, a size over 100 GiB and a negative device.
     */
    private static final List<Op> TRAFFIC = List.of(
            alloc(0, 4 * MIB, 0, 100, 0x4000_0000L), alloc(0, 2 * MIB, 1, 200, 0x4000_0000L),
            alloc(1, 3 * MIB, 0, 100, 0x4000_0000L), alloc(2, 4096, 1, 100, 0x1000), alloc(3, 2048, 2, 101, 0x2000),
            alloc(3, 1024, 3, 101, 0x3000), alloc(7, 8192, 4, 102, 0x4000), free(0, 300, 0x4000_0000L),
            free(4, 300, 0x1000), free(2, 0, 0x1000), free(2, 0, 0x1000), free(5, 9, 0xdead), alloc(0, 64, 5, 1, 0x50),
            alloc(0, 64, 255, 1, 0x51), alloc(9, 512, 0, 103, 0x60), free(9, 103, 0x60), alloc(0, 0, 0, 1, 0x70),
            alloc(0, AllocationServer.MAX_ALLOC_SIZE + 1, 0, 1, 0x71), alloc(-1, 64, 1, 1, 0x72),
            free(0, 300, 0x4000_0000L), free(7, 102, 0x4000), alloc(6, 12288, 0, 104, 0x3ffff800L));

    @ParameterizedTest
    @EnumSource(ServerVersion.class)
    void directCallsLeaveTheServerAsTheMessagesDo(ServerVersion version) {
        AllocationServer viaMessages = new AllocationServer(version);
        AllocationServer direct = new AllocationServer(version);
        for (Op op : TRAFFIC) {
            List<String> expected = printed(viaMessages, () -> viaMessages.accept(op.message()));
            assertEquals(expected, printed(direct, () -> op.applyDirectly(direct)), op.toString());
        }
        assertEquals(viaMessages.liveEntries(), direct.liveEntries());
        for (int d = 0; d < AllocationServer.MAX_DEVICES; d++) {
            assertEquals(viaMessages.counters(d), direct.counters(d), "device " + d);
        }
        assertEquals(viaMessages.unknownFreeCount(), direct.unknownFreeCount());
        assertEquals(viaMessages.duplicateAllocCount(), direct.duplicateAllocCount());
        assertEquals(viaMessages.anomalies(), direct.anomalies());
        assertEquals(viaMessages.histories(), direct.histories());
        assertEquals(texts(viaMessages.statisticsBlock()), texts(direct.statisticsBlock()));
        // the traffic does reach the registry, the counters and the log on every version
        assertTrue(direct.activeAllocations() > 0, version.toString());
        assertEquals(12288, direct.counters(6).dram(), version.toString());
        assertTrue(direct.unknownFreeCount() > 0, version.toString());
        assertTrue(direct.log().size() > TRAFFIC.size(), version.toString());
    }

    @Test
    void onS1TheDirectCallsPrintTheRefCountedLinesAndCountDown() {
        AllocationServer s1 = new AllocationServer(ServerVersion.S1);
        assertEquals(List.of("✓ [PID 100] Allocated 4096 bytes of DRAM on device 2 (buffer_id=64)",
                        "✓ [PID 200] Allocated 99 bytes of L1 on device 2 (buffer_id=64, ref_count=2)",
                        "✗ [PID 100] Freed buffer 64 on device 2 (4096 bytes, ref_count=1 remaining)"),
                printed(s1, () -> {
                    s1.acceptAlloc(2, 4096, 0, 100, 64, 5);
                    s1.acceptAlloc(2, 99, 1, 200, 64, 6);
                    s1.acceptFree(2, 300, 64);
                }));
        assertEquals(new LiveEntry(2, 64, 4096, 0, 100, 1, 5), s1.entry(2, 64).orElseThrow());
        assertEquals(4096, s1.counters(2).dram());
        assertEquals(1, s1.counters(2).numBuffers());
        assertEquals(List.of("✗ [PID 100] Freed buffer 64 on device 2 (4096 bytes, FINAL)",
                        "⚠ [PID 7] Deallocation for unknown buffer 64 on device 2 (allocated before tracking started)"),
                printed(s1, () -> {
                    s1.acceptFree(2, 0, 64);
                    s1.acceptFree(2, 7, 64);
                }));
        assertEquals(DeviceCounters.ZERO, s1.counters(2));
        assertEquals(0, s1.activeAllocations());
        assertEquals(1, s1.unknownFreeCount());
        assertEquals(1, s1.duplicateAllocCount());
    }

    @Test
    void onS5TheDirectAllocValidatesDeviceAndSizeAndPrintsHexIds() {
        AllocationServer s5 = new AllocationServer(ServerVersion.S5);
        assertEquals(List.of("⚠️  Invalid device_id 8 - ignoring message", "⚠️  Invalid size 0 - ignoring message",
                        "✓ [PID 9] Allocated 1048576 bytes of L1 on device 7 (buffer_id=0x100)",
                        "✗ [PID 9] Freed buffer 0x100 on device 7 (1048576 bytes, FINAL)"),
                printed(s5, () -> {
                    s5.acceptAlloc(8, MIB, 1, 9, 0x100, 1);
                    s5.acceptAlloc(7, 0, 1, 9, 0x100, 1);
                    s5.acceptAlloc(7, MIB, 1, 9, 0x100, 1);
                    s5.acceptFree(7, 9, 0x100);
                }));
        assertEquals(DeviceCounters.ZERO, s5.counters(7));
        assertEquals(0, s5.activeAllocations());
    }

    @Test
    void aBufferTypeOutsideAU8IsRefusedLikeTheMessageAndChangesNothing() {
        AllocationServer s1 = new AllocationServer(ServerVersion.S1);
        for (int type : new int[] {-1, 256}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> s1.acceptAlloc(0, 64, type, 1, 0x10, 0));
            assertEquals("bufferType (buffer_type) is " + type + "; a u8 field allows 0..255", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> AllocMessage.alloc(0, 64, type, 1, 0x10, 0));
        }
        assertEquals(0, s1.log().size());
        assertEquals(0, s1.activeAllocations());
        // the edges of the u8 range are accepted: 0 is DRAM, 255 is a rejected buffer type (reference 3.2 step 2)
        AllocationServer viaMessage = new AllocationServer(ServerVersion.S1);
        viaMessage.accept(AllocMessage.alloc(0, 64, 255, 1, 0x11, 0));
        assertEquals(texts(viaMessage.log().lines()), printed(s1, () -> s1.acceptAlloc(0, 64, 255, 1, 0x11, 0)));
        assertEquals(List.of("✓ [PID 1] Allocated 64 bytes of DRAM on device 0 (buffer_id=16)"),
                printed(s1, () -> s1.acceptAlloc(0, 64, 0, 1, 0x10, 0)));
        assertEquals(1, s1.activeAllocations());
    }

    @ParameterizedTest
    @EnumSource(ServerVersion.class)
    void aShutDownServerRefusesTheDirectCallsAndPrintsNothing(ServerVersion version) {
        AllocationServer s = new AllocationServer(version);
        s.acceptAlloc(0, 64, 0, 1, 0x10, 0);
        s.shutdown();
        int lines = s.log().size();
        List<Executable> calls = List.of(() -> s.acceptAlloc(0, 64, 0, 1, 0x20, 0), () -> s.acceptFree(0, 1, 0x10));
        for (Executable call : calls) {
            IllegalStateException e = assertThrows(IllegalStateException.class, call);
            assertEquals("the " + version + " server has been shut down and accepts nothing more", e.getMessage());
        }
        assertEquals(lines, s.log().size());
        assertEquals(1, s.activeAllocations());
        assertEquals(0, s.unknownFreeCount());
    }

    @Test
    void onS5ADirectAllocOrFreeEndsARunOfFramingErrorsAsAnyValidMessageDoes() {
        String giveUp = "⚠️  Too many consecutive errors (10) - closing connection (likely protocol mismatch)";
        for (int k = 0; k < 2; k++) {
            AllocationServer s5 = new AllocationServer(ServerVersion.S5);
            for (int i = 0; i < 9; i++) {
                s5.accept(AllocMessage.ofTypeCode(0));
            }
            if (k == 0) {
                s5.acceptAlloc(0, 64, 0, 1, 0x10, 0);
            } else {
                s5.acceptFree(0, 1, 0x10);
            }
            List<String> after = printed(s5, () -> s5.accept(AllocMessage.ofTypeCode(200)));
            assertEquals(List.of(), after, k == 0 ? "after acceptAlloc" : "after acceptFree");
            // nine more bad bytes complete a new run of ten
            assertEquals(List.of(giveUp), printed(s5, () -> {
                for (int i = 0; i < 9; i++) {
                    s5.accept(AllocMessage.ofTypeCode(0));
                }
            }));
        }
    }
}
