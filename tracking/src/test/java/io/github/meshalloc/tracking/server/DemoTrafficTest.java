package io.github.meshalloc.tracking.server;

import static io.github.meshalloc.tracking.server.ServerTestSupport.accept;
import static io.github.meshalloc.tracking.server.ServerTestSupport.alloc;
import static io.github.meshalloc.tracking.server.ServerTestSupport.free;
import static io.github.meshalloc.tracking.server.ServerTestSupport.printed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.tracking.wire.AllocMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The synthetic traffic of reference section 8 (MUM/allocation_client_demo.cpp, MUM/allocation_client.py). */
class DemoTrafficTest {

    private static final long MIB = 1048576;

    /** The C++ demo's allocations: ids 1-4 L1 1 MiB, 5-8 DRAM 25 MiB, 9-16 L1 1 MiB, all on device 0. */
    private static List<AllocMessage> cppDemoAllocs(int pid) {
        List<AllocMessage> m = new ArrayList<>();
        for (long id = 1; id <= 16; id++) {
            boolean dram = id >= 5 && id <= 8;
            m.add(alloc(0, dram ? 25 * MIB : MIB, dram ? 0 : 1, pid, id));
        }
        return m;
    }

    /** Its frees: first ids 1-8, then 9-16; device 0 and pid 0 (the demo leaves process_id unset). */
    private static List<AllocMessage> cppDemoFrees() {
        List<AllocMessage> m = new ArrayList<>();
        for (long id = 1; id <= 16; id++) {
            m.add(free(0, 0, id));
        }
        return m;
    }

    @Test
    void cppDemoPeaksAt100MiBDramAnd12MiBL1AndEndsEmptyOnEveryServer() {
        for (ServerVersion v : ServerVersion.values()) {
            AllocationServer s = new AllocationServer(v);
            List<AllocMessage> all = new ArrayList<>(cppDemoAllocs(4321));
            all.addAll(cppDemoFrees());
            long peakDram = 0;
            long peakL1 = 0;
            for (AllocMessage m : all) {
                s.accept(m);
                peakDram = Math.max(peakDram, s.counters(0).dram());
                peakL1 = Math.max(peakL1, s.counters(0).l1());
            }
            assertEquals(104857600, peakDram, v.toString());
            assertEquals(12582912, peakL1, v.toString());
            assertEquals(0, s.activeAllocations(), v.toString());
            assertEquals(DeviceCounters.ZERO, s.counters(0), v.toString());
            assertEquals(0, s.unknownFreeCount(), v.toString());
            assertTrue(s.anomalies().isEmpty(), v.toString());
        }
    }

    @Test
    void demoFreesPrintTheOwnerPidNotTheZeroTheyCarry() {
        AllocationServer s1 = new AllocationServer(ServerVersion.S1);
        accept(s1, cppDemoAllocs(4321).toArray(new AllocMessage[0]));
        assertEquals(List.of("✗ [PID 4321] Freed buffer 5 on device 0 (26214400 bytes, FINAL)"),
                accept(s1, free(0, 0, 5)));
        AllocationServer e0 = new AllocationServer(ServerVersion.E0);
        accept(e0, cppDemoAllocs(4321).toArray(new AllocMessage[0]));
        assertEquals(List.of("✗ [PID 4321] Freed buffer 1 (1048576 bytes)"), accept(e0, free(0, 0, 1)));
    }

    @Test
    void twoDemoProcessesCollideOnIdsOneToSixteen() {
        AllocationServer s = new AllocationServer(ServerVersion.S3);
        accept(s, cppDemoAllocs(1000).toArray(new AllocMessage[0]));
        List<String> second = accept(s, cppDemoAllocs(2000).toArray(new AllocMessage[0]));
        assertEquals("✓ [PID 2000] Allocated 1048576 bytes of L1 on device 0 (buffer_id=1, ref_count=2)",
                second.get(0));
        assertEquals(16, s.activeAllocations());
        for (LiveEntry e : s.liveEntries().values()) {
            assertEquals(2, e.refCount());
            assertEquals(1000, e.ownerPid());
        }
        assertEquals(104857600, s.counters(0).dram());
        assertEquals(12582912, s.counters(0).l1());
        List<String> firstFrees = accept(s, cppDemoFrees().toArray(new AllocMessage[0]));
        assertEquals("✗ [PID 1000] Freed buffer 1 on device 0 (1048576 bytes, ref_count=1 remaining)",
                firstFrees.get(0));
        assertEquals(104857600, s.counters(0).dram());
        List<String> secondFrees = accept(s, cppDemoFrees().toArray(new AllocMessage[0]));
        assertEquals("✗ [PID 1000] Freed buffer 16 on device 0 (1048576 bytes, FINAL)", secondFrees.get(15));
        assertEquals(0, s.activeAllocations());
        assertEquals(DeviceCounters.ZERO, s.counters(0));
    }

    @Test
    void whenTheFirstOwnerDiesTheSweepTakesSharedKeysAndTheSurvivorsFreesAreUnknown() {
        AllocationServer s = new AllocationServer(ServerVersion.S1);
        accept(s, cppDemoAllocs(1000).toArray(new AllocMessage[0]));
        accept(s, cppDemoAllocs(2000).toArray(new AllocMessage[0]));
        List<String> sweep = printed(s, () -> s.sweep(LivenessOracle.deadPids(Set.of(1000))));
        assertEquals("   ✓ Removed 16 buffers (112 MB) from PID 1000", sweep.get(3));
        accept(s, cppDemoFrees().toArray(new AllocMessage[0]));
        assertEquals(16, s.unknownFreeCount());
        assertEquals(DeviceCounters.ZERO, s.counters(0));
    }

    @Test
    void pythonDemoQueryAfterAllocationsAndTwoFreePhases() {
        AllocationServer s2 = new AllocationServer(ServerVersion.S2);
        int pid = 5555;
        for (long id = 1; id <= 4; id++) {
            s2.accept(alloc(0, MIB, 1, pid, id));
        }
        for (long id = 5; id <= 8; id++) {
            s2.accept(alloc(0, 25 * MIB, 0, pid, id));
        }
        AllocMessage r = s2.accept(AllocMessage.query(0)).orElseThrow();
        assertEquals(104857600, r.dramAllocated());
        assertEquals(4194304, r.l1Allocated());
        for (long id = 1; id <= 4; id++) {
            s2.accept(free(0, pid, id));
        }
        assertEquals(4, s2.activeAllocations());
        for (long id = 5; id <= 8; id++) {
            s2.accept(free(0, pid, id));
        }
        assertEquals(0, s2.activeAllocations());
        assertEquals(0, s2.accept(AllocMessage.query(0)).orElseThrow().dramAllocated());
    }
}
