package io.github.meshalloc.tracking.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.tracking.log.ServerLine;
import io.github.meshalloc.tracking.log.ServerLogParser;
import io.github.meshalloc.tracking.wire.AllocMessage;
import io.github.meshalloc.tracking.wire.KernelKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/** Reference 3.11 invariants 1-8 over random message streams, per server version. */
class ServerInvariantsProperties {

    enum Kind { ALLOC, FREE, SWEEP, CB_ALLOC, CB_FREE, KERNEL_LOAD, KERNEL_UNLOAD, QUERY, STATS, DUMP }

    record Op(Kind kind, int device, long id, long size, int type, int pid, Set<Integer> dead) {
    }

    private static final int[] PIDS = {0, 100, 101, 102};

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Kind> kinds = Arbitraries.frequency(
                Tuple.of(30, Kind.ALLOC), Tuple.of(25, Kind.FREE),
                Tuple.of(4, Kind.SWEEP), Tuple.of(6, Kind.CB_ALLOC),
                Tuple.of(5, Kind.CB_FREE), Tuple.of(6, Kind.KERNEL_LOAD),
                Tuple.of(5, Kind.KERNEL_UNLOAD), Tuple.of(2, Kind.QUERY),
                Tuple.of(2, Kind.STATS), Tuple.of(2, Kind.DUMP));
        Arbitrary<Integer> devices = Arbitraries.frequency(
                Tuple.of(20, 0), Tuple.of(20, 1), Tuple.of(10, 7),
                Tuple.of(1, 8), Tuple.of(1, -1));
        Arbitrary<Long> ids = Arbitraries.longs().between(0, 4).map(i -> i == 4 ? -1L : i * 2048);
        Arbitrary<Long> sizes = Arbitraries.oneOf(Arbitraries.of(0L, 2048L, 12288L, 1048576L, 4194304L),
                Arbitraries.longs().between(1, 1L << 40));
        Arbitrary<Integer> types = Arbitraries.frequency(Tuple.of(30, 0), Tuple.of(20, 1),
                Tuple.of(5, 2), Tuple.of(5, 3), Tuple.of(5, 4),
                Tuple.of(1, 5));
        Arbitrary<Integer> pids = Arbitraries.of(0, 100, 101, 102);
        Arbitrary<Set<Integer>> dead = Arbitraries.of(100, 101, 102).set();
        Arbitrary<Op> op = Combinators.combine(kinds, devices, ids, sizes, types, pids, dead).as(Op::new);
        return op.list().ofMaxSize(60);
    }

    private static boolean validAlloc(ServerVersion v, Op op) {
        if (op.type() > 4) {
            return false;
        }
        if (v.validatesAlloc()) {
            return op.device() >= 0 && op.device() < 8 && op.size() != 0
                    && Long.compareUnsigned(op.size(), AllocationServer.MAX_ALLOC_SIZE) <= 0;
        }
        return true;
    }

    private static BufferKey shadowKey(ServerVersion v, int device, long id) {
        return new BufferKey(v.keyedByBufferIdOnly() ? 0 : device, id);
    }

    private static long[] allCounters(AllocationServer s) {
        long[] c = new long[80];
        for (int d = 0; d < 8; d++) {
            DeviceCounters k = s.counters(d);
            long[] v = {k.dram(), k.l1(), k.l1Small(), k.trace(), k.numBuffers(), k.cb(), k.kernel(),
                k.kernelApplication(), k.kernelFabric(), k.kernelDispatch()};
            System.arraycopy(v, 0, c, d * 10, 10);
        }
        return c;
    }

    @Property(tries = 200)
    void invariantsHoldAfterEveryMessage(@ForAll ServerVersion version, @ForAll("ops") List<Op> ops) {
        AllocationServer s = new AllocationServer(version);
        s.start();
        Map<BufferKey, Integer> shadowRef = new HashMap<>();
        Map<BufferKey, Integer> shadowOwner = new HashMap<>();
        long[] cbExpected = new long[8];
        long[] kernelExpected = new long[8];
        boolean onlyKnownKinds = true;
        for (Op op : ops) {
            long[] before = allCounters(s);
            BufferKey key = shadowKey(version, op.device(), op.id());
            boolean unknownFree = false;
            boolean dupAlloc = false;
            switch (op.kind()) {
                case ALLOC:
                    s.accept(AllocMessage.alloc(op.device(), op.size(), op.type(), op.pid(), op.id(), 0));
                    if (validAlloc(version, op)) {
                        dupAlloc = shadowRef.containsKey(key);
                        if (dupAlloc && version.refCounts()) {
                            shadowRef.merge(key, 1, Integer::sum);
                        } else {
                            shadowRef.put(key, 1);
                            shadowOwner.put(key, op.pid());
                        }
                    }
                    break;
                case FREE:
                    s.accept(AllocMessage.free(op.device(), op.pid(), op.id()));
                    unknownFree = !shadowRef.containsKey(key);
                    if (!unknownFree) {
                        int left = version.refCounts() ? shadowRef.get(key) - 1 : 0;
                        if (left == 0) {
                            shadowRef.remove(key);
                            shadowOwner.remove(key);
                        } else {
                            shadowRef.put(key, left);
                        }
                    }
                    break;
                case SWEEP:
                    if (version.hasSweep()) {
                        Map<BufferKey, CbEntry> cbBefore = s.cbEntries();
                        Map<BufferKey, KernelEntry> kBefore = s.kernelEntries();
                        s.sweep(LivenessOracle.deadPids(op.dead()));
                        shadowOwner.entrySet().removeIf(e -> {
                            boolean gone = op.dead().contains(e.getValue());
                            if (gone) {
                                shadowRef.remove(e.getKey());
                            }
                            return gone;
                        });
                        for (CbEntry e : cbBefore.values()) {
                            if (!s.cbEntries().containsKey(new BufferKey(e.deviceId(), e.cbId()))) {
                                cbExpected[e.deviceId()] -= e.size();
                            }
                        }
                        for (KernelEntry e : kBefore.values()) {
                            if (!s.kernelEntries().containsKey(new BufferKey(e.deviceId(), e.kernelId()))) {
                                kernelExpected[e.deviceId()] -= e.size();
                            }
                        }
                        // invariant 7: no live entry of any registry has a dead owner
                        for (LiveEntry e : s.liveEntries().values()) {
                            assertFalse(op.dead().contains(e.ownerPid()), "live entry of dead pid " + e);
                        }
                        s.cbEntries().values().forEach(e -> assertFalse(op.dead().contains(e.ownerPid())));
                        s.kernelEntries().values().forEach(e -> assertFalse(op.dead().contains(e.ownerPid())));
                    }
                    break;
                case CB_ALLOC:
                    s.accept(AllocMessage.cbAlloc(op.device(), op.size(), op.pid(), op.id(), 0));
                    if (version.hasCbKernelRegistries() && op.device() >= 0 && op.device() < 8) {
                        cbExpected[op.device()] += op.size();
                    }
                    break;
                case CB_FREE:
                    s.accept(AllocMessage.cbFree(op.device(), op.size(), op.pid(), op.id()));
                    if (version.hasCbKernelRegistries() && op.device() >= 0 && op.device() < 8) {
                        cbExpected[op.device()] -= op.size();
                    }
                    break;
                case KERNEL_LOAD:
                    s.accept(AllocMessage.kernelLoad(op.device(), op.size(), op.type(), op.pid(), op.id(), 0));
                    if (version.hasCbKernelRegistries() && op.device() >= 0 && op.device() < 8) {
                        kernelExpected[op.device()] += op.size();
                        onlyKnownKinds &= KernelKind.ofCode(op.type()) != KernelKind.UNKNOWN;
                    }
                    break;
                case KERNEL_UNLOAD:
                    boolean known = s.kernelEntries().containsKey(new BufferKey(op.device(), op.id()));
                    s.accept(AllocMessage.kernelUnload(op.device(), op.size(), op.pid(), op.id()));
                    if (version.hasCbKernelRegistries() && known) {
                        kernelExpected[op.device()] -= op.size();
                    }
                    break;
                case QUERY:
                    s.accept(AllocMessage.query(op.device()));
                    break;
                case STATS:
                    s.statisticsBlock();
                    break;
                case DUMP:
                    if (version.hasSweep()) {
                        s.dumpRemaining(LivenessOracle.allAlive());
                    }
                    break;
                default:
                    throw new AssertionError(op);
            }
            checkBufferInvariants(version, s, shadowRef);
            // invariant 4: an unknown FREE never changes a counter; nor does a ref-counted duplicate ALLOC
            if (unknownFree || (dupAlloc && version.refCounts())) {
                assertEquals(List.of(), diff(before, allCounters(s)), op.toString());
            }
            // invariant 8 (S5): CB and kernel counters are message sums minus swept stored sizes, mod 2^64
            for (int d = 0; d < 8; d++) {
                DeviceCounters c = s.counters(d);
                assertEquals(cbExpected[d], c.cb());
                assertEquals(kernelExpected[d], c.kernel());
                if (onlyKnownKinds) {
                    assertEquals(c.kernel(), c.kernelApplication() + c.kernelFabric() + c.kernelDispatch());
                }
            }
        }
        s.shutdown();
        // every printed line reads back as the event that printed it
        ServerLogParser parser = ServerLogParser.strict();
        int n = 0;
        for (ServerLine line : s.log().lines()) {
            assertEquals(line.event(), parser.parseLine(line.text(), ++n), line.text());
        }
    }

    private static List<Integer> diff(long[] a, long[] b) {
        List<Integer> d = new ArrayList<>();
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) {
                d.add(i);
            }
        }
        return d;
    }

    /** Invariants 1-3 (and their weaker forms for the add-again eras). */
    private static void checkBufferInvariants(ServerVersion v, AllocationServer s, Map<BufferKey, Integer> shadow) {
        Map<BufferKey, LiveEntry> live = s.liveEntries();
        assertEquals(live.size(), s.activeAllocations());
        // invariant 3: ref counts follow #ALLOC since absent - #matched FREE (1 for the eras without ref counts)
        Map<BufferKey, Integer> actual = new HashMap<>();
        live.values().forEach(e -> actual.put(shadowKey(v, e.deviceId(), e.bufferId()), e.refCount()));
        assertEquals(shadow, actual);
        live.values().forEach(e -> assertTrue(e.refCount() >= 1));
        boolean exactCounters = v != ServerVersion.E0 && v != ServerVersion.E1A;
        for (int d = 0; d < 8; d++) {
            long[] sum = new long[4];
            long keys = 0;
            for (LiveEntry e : live.values()) {
                if (e.deviceId() == d) {
                    keys++;
                    int counter = e.bufferType() == 0 ? 0 : e.bufferType() == 1 ? 1 : e.bufferType() == 4 ? 3 : 2;
                    sum[counter] += e.size();
                }
            }
            DeviceCounters c = s.counters(d);
            long[] got = {c.dram(), c.l1(), c.l1Small(), c.trace()};
            if (exactCounters) {
                // invariant 2: num_buffers = live keys of the device
                assertEquals(keys, c.numBuffers(), "num_buffers of device " + d);
                if (v != ServerVersion.ENHANCED) {
                    // invariant 1: counters = stored sizes of live keys (types 2 and 3 share l1_small)
                    for (int i = 0; i < 4; i++) {
                        assertEquals(sum[i], got[i], "counter " + i + " of device " + d);
                    }
                }
            } else {
                // E0/E1a add again on overwrite: the counters carry a never-negative residue
                assertTrue(c.numBuffers() >= keys);
                for (int i = 0; i < 4; i++) {
                    assertTrue(got[i] >= sum[i], "counter " + i + " of device " + d);
                }
            }
        }
    }

    @Provide
    Arbitrary<ServerVersion> refCounting() {
        return Arbitraries.of(ServerVersion.S1, ServerVersion.S2, ServerVersion.S3, ServerVersion.S4,
                ServerVersion.S5, ServerVersion.ENHANCED);
    }

    /**
     * Invariant 5: a trace balanced per key (every prefix has #ALLOC >= #FREE, totals equal) ends empty, all counters
     * 0, no unknown FREE, whatever sizes duplicate ALLOCs carry (the history server replaces the stored size on reuse,
     * so there duplicate sizes are kept equal).
     */
    @Property(tries = 200)
    void balancedTracesEndEmpty(@ForAll("refCounting") ServerVersion version, @ForAll Random random) {
        int keys = 1 + random.nextInt(6);
        List<BufferKey> tokens = new ArrayList<>();
        Map<BufferKey, Integer> multiplicity = new HashMap<>();
        Map<BufferKey, Long> fixedSize = new HashMap<>();
        Set<BufferKey> chosen = new HashSet<>();
        while (chosen.size() < keys) {
            chosen.add(new BufferKey(random.nextInt(8), random.nextInt(4) * 4096L));
        }
        for (BufferKey k : chosen) {
            int m = 1 + random.nextInt(3);
            multiplicity.put(k, m);
            fixedSize.put(k, 1 + (long) random.nextInt(1 << 20));
            for (int i = 0; i < 2 * m; i++) {
                tokens.add(k);
            }
        }
        Collections.shuffle(tokens, random);
        Map<BufferKey, int[]> state = new HashMap<>(); // {allocsLeft, freesLeft, open}
        multiplicity.forEach((k, m) -> state.put(k, new int[] {m, m, 0}));
        AllocationServer s = new AllocationServer(version);
        for (BufferKey k : tokens) {
            int[] st = state.get(k);
            boolean alloc = st[2] == 0 || (st[0] > 0 && random.nextBoolean());
            int pid = PIDS[1 + random.nextInt(3)];
            if (alloc) {
                long size = version.hasHistory() ? fixedSize.get(k) : 1 + (long) random.nextInt(1 << 20);
                s.accept(AllocMessage.alloc(k.deviceId(), size, random.nextInt(5), pid, k.bufferId(), 0));
                st[0]--;
                st[2]++;
            } else {
                s.accept(AllocMessage.free(k.deviceId(), pid, k.bufferId()));
                st[1]--;
                st[2]--;
            }
        }
        assertEquals(0, s.activeAllocations());
        assertEquals(0, s.unknownFreeCount());
        for (int d = 0; d < 8; d++) {
            assertEquals(DeviceCounters.ZERO, s.counters(d));
        }
    }
}
