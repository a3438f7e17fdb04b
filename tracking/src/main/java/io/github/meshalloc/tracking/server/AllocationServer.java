package io.github.meshalloc.tracking.server;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import io.github.meshalloc.tracking.log.ConstantLine;
import io.github.meshalloc.tracking.log.GFormat;
import io.github.meshalloc.tracking.log.IdFormat;
import io.github.meshalloc.tracking.log.LogEvent;
import io.github.meshalloc.tracking.log.LogEvent.HistoryKind;
import io.github.meshalloc.tracking.log.LogEvent.StatsLabel;
import io.github.meshalloc.tracking.log.LogEvent.SweepCategory;
import io.github.meshalloc.tracking.log.ServerLine;
import io.github.meshalloc.tracking.log.ServerLog;
import io.github.meshalloc.tracking.wire.AllocMessage;
import io.github.meshalloc.tracking.wire.ArchType;
import io.github.meshalloc.tracking.wire.BufferTypeCode;
import io.github.meshalloc.tracking.wire.KernelKind;
import io.github.meshalloc.tracking.wire.MessageType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * In-process model of the allocation server: registry, counters, sweep, dumps and every printed line.
 *
 * <p>Models {@code class AllocationServer} of {@code MUM/allocation_server_poc.cpp} (S1-S5) and of
 * {@code MUM/allocation_server_enhanced.cpp}, plus the inferred E0/E1 eras, selected by {@link ServerVersion}
 * (reference sections 2-5). One message is applied atomically under one lock, like {@code registry_mutex_}; the
 * socket, threads and timers are not modelled: the caller delivers messages ({@link #accept(AllocMessage)}), asks
 * for sweeps ({@link #sweep(LivenessOracle)}) and statistics prints ({@link #statisticsBlock()}) when its scenario
 * says time has passed. Every printed line goes to {@link #log()} as data; nothing reads a clock (the model uses the
 * messages' caller-filled timestamps). Iteration over registries is always in {@link BufferKey} order (the C++ hash
 * order is unspecified); sweep pids are ascending like the C++ {@code std::set}.
 *
 * <p>Modelling choices (see also {@link ServerAnomaly}): out-of-range devices before S5 keep their registry entries
 * but skip counter updates; S5 framing errors are counted per server (the model has no connections); QUERY reads the
 * counters under the lock (the C++ reads atomics without it, with the same values at message granularity).
 */
public final class AllocationServer {

    /** {@code MAX_DEVICES}: size of the per-device arrays. */
    public static final int MAX_DEVICES = 8;
    /** S5 ALLOC size limit: 100 GiB. */
    public static final long MAX_ALLOC_SIZE = 100L * 1024 * 1024 * 1024;
    /** S5 framing: consecutive bad type bytes before the connection is closed. */
    public static final int MAX_CONSECUTIVE_ERRORS = 10;

    private static final int DRAM = 0;
    private static final int L1 = 1;
    private static final int L1_SMALL = 2;
    private static final int TRACE = 3;
    private static final int NUM_BUFFERS = 4;
    private static final int CB = 5;
    private static final int KERNEL = 6;
    private static final int KERNEL_APPLICATION = 7;
    private static final int KERNEL_FABRIC = 8;
    private static final int KERNEL_DISPATCH = 9;
    private static final int COUNTERS = 10;

    private static final Comparator<Slot> BY_ID = (a, b) -> Long.compareUnsigned(a.bufferId, b.bufferId);
    /** {@link BufferKey} order of the entries' (stored device, buffer id). */
    private static final Comparator<Slot> BY_KEY = Comparator.<Slot>comparingInt(s -> s.device).thenComparing(BY_ID);

    /** Mutable registry entry ({@code BufferInfo}). */
    private static final class Slot {
        long bufferId;
        int device;
        long size;
        int type;
        int ownerPid;
        int refCount;
        long allocTimestamp;

        Slot(long bufferId, int device, long size, int type, int ownerPid, long allocTimestamp) {
            this.bufferId = bufferId;
            this.device = device;
            this.size = size;
            this.type = type;
            this.ownerPid = ownerPid;
            this.refCount = 1;
            this.allocTimestamp = allocTimestamp;
        }

        LiveEntry snapshot() {
            return new LiveEntry(device, bufferId, size, type, ownerPid, refCount, allocTimestamp);
        }
    }

    /** Mutable history ({@code BufferLifecycleHistory}). */
    private static final class History {
        final int device;
        final long bufferId;
        int totalAllocs;
        int totalFrees;
        final Deque<HistoryEvent> events = new ArrayDeque<>();

        History(int device, long bufferId) {
            this.device = device;
            this.bufferId = bufferId;
        }

        void add(HistoryEvent e) {
            if (e.kind() == HistoryKind.FREE) {
                totalFrees++;
            } else {
                totalAllocs++;
            }
            events.addLast(e);
            if (events.size() > KeyHistory.MAX_EVENTS) {
                events.removeFirst();
            }
        }

        KeyHistory snapshot() {
            return new KeyHistory(device, bufferId, totalAllocs, totalFrees, new ArrayList<>(events));
        }

        List<HistoryEvent> newestFirst(int max) {
            List<HistoryEvent> out = new ArrayList<>(max);
            Iterator<HistoryEvent> it = events.descendingIterator();
            while (it.hasNext() && out.size() < max) {
                out.add(it.next());
            }
            return out;
        }
    }

    private final Object lock = new Object();
    private final ServerVersion version;
    private final IdFormat idFormat;
    private final List<DeviceInfo> detectedDevices;
    private final long detectedCount;
    private final LivenessOracle defaultLiveness;
    private final ServerLog log = new ServerLog();

    private final KeyTable<Slot> registry = new KeyTable<>();
    private final Map<BufferKey, CbEntry> cbRegistry = new HashMap<>();
    private final Map<BufferKey, KernelEntry> kernelRegistry = new HashMap<>();
    private final Map<BufferKey, History> histories = new HashMap<>();
    private final long[][] counters = new long[MAX_DEVICES][COUNTERS];
    private final List<ServerAnomaly> anomalies = new ArrayList<>();
    private final int anomalyLimit;
    private long anomalyCount;
    private long unknownFrees;
    private long duplicateAllocs;
    private int consecutiveErrors;
    private boolean started;
    private boolean shutDown;
    private final boolean quiet;

    /** A server of {@code version} with no detected devices and every process alive. */
    public AllocationServer(ServerVersion version) {
        this(builder(version));
    }

    private AllocationServer(Builder b) {
        this.version = b.version;
        this.quiet = b.quiet;
        this.anomalyLimit = b.anomalyLimit;
        this.idFormat = b.version.idFormat();
        this.defaultLiveness = b.liveness;
        this.detectedCount = b.devices.size();
        this.detectedDevices = b.version.hasDeviceInfo()
                ? ImmutableList.copyOf(b.devices.subList(0, Math.min(b.devices.size(), MAX_DEVICES)))
                : ImmutableList.of();
    }

    /** A builder for a server of {@code version}. */
    public static Builder builder(ServerVersion version) {
        return new Builder(version);
    }

    /** Configuration of a server: detected devices (S2-S5) and the liveness used by DUMP_REMAINING messages. */
    public static final class Builder {
        private final ServerVersion version;
        private List<DeviceInfo> devices = List.of();
        private LivenessOracle liveness = LivenessOracle.allAlive();
        private boolean quiet;
        private int anomalyLimit = Integer.MAX_VALUE;

        private Builder(ServerVersion version) {
            this.version = Preconditions.checkNotNull(version, "version");
        }

        /**
         * The devices start-up detection finds, in detection order (index = device id). Versions without detection
         * (E0, E1, S1, history server) ignore them; S2-S5 keep the first 8 and print a limit warning if more.
         */
        public Builder devices(List<DeviceInfo> devices) {
            Preconditions.checkNotNull(devices, "devices");
            devices.forEach(d -> Preconditions.checkNotNull(d, "devices contains null"));
            this.devices = ImmutableList.copyOf(devices);
            return this;
        }

        /** The liveness a DUMP_REMAINING message's sweep uses (default: all alive). */
        public Builder liveness(LivenessOracle liveness) {
            this.liveness = Preconditions.checkNotNull(liveness, "liveness");
            return this;
        }

        /**
         * Keep no log: models S5's {@code -q/--quiet} (stdout and stderr to a null stream), offered for every
         * version so that replays and benchmarks that read only the server's state skip rendering lines.
         */
        public Builder quiet(boolean quiet) {
            this.quiet = quiet;
            return this;
        }

        /**
         * Keep only the first {@code limit} anomalies; later ones are counted ({@link #anomalyCount()}) but not kept.
         * Anomalies are meshalloc's notes, not C++ state; the default keeps all. Long runs that hit one anomaly per
         * message (a mesh of more than 8 chips on a server before S5) set a limit so that the notes do not grow
         * without bound.
         *
         * @throws IllegalArgumentException for a negative limit
         */
        public Builder anomalyLimit(int limit) {
            Preconditions.checkArgument(limit >= 0, "anomaly limit %s must not be negative", limit);
            this.anomalyLimit = limit;
            return this;
        }

        /** The server. */
        public AllocationServer build() {
            return new AllocationServer(this);
        }
    }

    /** The modelled version. */
    public ServerVersion version() {
        return version;
    }

    /** Everything the server has printed. */
    public ServerLog log() {
        return log;
    }

    // ------------------------------------------------------------------------------------------------ lifecycle

    /**
     * Prints the start-up lines: device detection (S2-S5), the banner, and (S1-S5) the cleanup-thread start line.
     * Models the constructor and {@code run()} prologue of the C++ server.
     *
     * @return the lines printed
     * @throws IllegalStateException if already started or shut down
     */
    public List<ServerLine> start() {
        synchronized (lock) {
            checkRunning();
            Preconditions.checkState(!started, "the %s server was already started", version);
            started = true;
            int from = log.size();
            if (version == ServerVersion.ENHANCED) {
                print(ConstantLine.ENHANCED_SERVER_STARTED);
                print(ConstantLine.LISTENING);
                return log.linesFrom(from);
            }
            if (version.hasDeviceInfo()) {
                printDetection();
            }
            print(ConstantLine.SERVER_STARTED);
            print(ConstantLine.LISTENING);
            print(ConstantLine.PRESS_CTRL_C);
            if (version.hasSweep()) {
                print(ConstantLine.CLEANUP_STARTED);
            }
            return log.linesFrom(from);
        }
    }

    private void printDetection() {
        boolean s5 = version == ServerVersion.S5;
        print(s5 ? ConstantLine.DETECTION_HEADER_UMD : ConstantLine.DETECTION_HEADER_METAL);
        if (detectedCount == 0) {
            print(version == ServerVersion.S2 ? ConstantLine.NO_PCIE_DEVICES : ConstantLine.NO_DEVICES);
            print(ConstantLine.TRACK_ANYWAY);
            return;
        }
        if (detectedCount > MAX_DEVICES) {
            print(new LogEvent.DetectionLimit(detectedCount));
        }
        for (int i = 0; i < detectedDevices.size(); i++) {
            DeviceInfo d = detectedDevices.get(i);
            if (!d.available()) {
                print(new LogEvent.DeviceQueryFailed(i, d.queryError()));
                continue;
            }
            String arch = ArchType.displayName(d.archType());
            if (s5) {
                print(new LogEvent.SocDetail(LogEvent.SocDetailLabel.DRAM_SIZE_PER_CHANNEL,
                        Long.toString(d.dramSizePerChannel())));
                print(new LogEvent.SocDetail(LogEvent.SocDetailLabel.NUM_DRAM_CHANNELS,
                        Long.toString(d.numDramChannels())));
                print(new LogEvent.SocDetail(LogEvent.SocDetailLabel.L1_SIZE_PER_CORE,
                        Long.toString(d.l1SizePerCore())));
                print(new LogEvent.SocDetail(LogEvent.SocDetailLabel.GRID_SIZE, d.gridX() + "x" + d.gridY()));
                print(new LogEvent.SocDetail(LogEvent.SocDetailLabel.ARCH, arch));
                print(new LogEvent.SocDetail(LogEvent.SocDetailLabel.IS_REMOTE, d.remote() ? "1" : "0"));
            }
            LogEvent.Locality locality = !s5 ? LogEvent.Locality.NONE
                    : d.remote() ? LogEvent.Locality.REMOTE : LogEvent.Locality.LOCAL;
            print(new LogEvent.DetectedDevice(i, arch, Long.divideUnsigned(d.totalDramSize(), 1L << 30),
                    Long.divideUnsigned(d.totalL1Size(), 1L << 20), locality));
        }
        print(new LogEvent.DetectionTotal(detectedDevices.size(), version == ServerVersion.S2));
    }

    /**
     * SIGINT/SIGTERM: the statistics block, the cleanup-thread stop line (S1-S5), a blank line and
     * {@code 🛑 Allocation Server stopped}; the history server then prints its double-free report. Afterwards the
     * server accepts nothing; accessors keep working.
     *
     * @return the lines printed
     * @throws IllegalStateException if already shut down
     */
    public List<ServerLine> shutdown() {
        synchronized (lock) {
            checkRunning();
            int from = log.size();
            printStatistics();
            if (version.hasSweep() && version != ServerVersion.ENHANCED) {
                print(ConstantLine.CLEANUP_STOPPED);
            }
            print(ConstantLine.BLANK);
            print(ConstantLine.SERVER_STOPPED);
            if (version.hasHistory()) {
                printDoubleFreeReport();
            }
            shutDown = true;
            return log.linesFrom(from);
        }
    }

    /** Whether {@link #shutdown()} has run. */
    public boolean isShutDown() {
        synchronized (lock) {
            return shutDown;
        }
    }

    private void checkRunning() {
        Preconditions.checkState(!shutDown, "the %s server has been shut down and accepts nothing more", version);
    }

    // ------------------------------------------------------------------------------------------------ messages

    /**
     * Applies one message atomically, as {@code handle_client} dispatches it.
     *
     * @return the reply for QUERY (RESPONSE) and DEVICE_INFO_QUERY (DEVICE_INFO_RESPONSE); empty otherwise
     * @throws IllegalStateException after {@link #shutdown()}
     */
    public Optional<AllocMessage> accept(AllocMessage message) {
        Preconditions.checkNotNull(message, "message");
        synchronized (lock) {
            checkRunning();
            int code = message.typeCode();
            if (version.validatesAlloc()) {
                if (code < 1 || code > 12) {
                    consecutiveErrors++;
                    if (noteAnomaly()) {
                        anomalies.add(new ServerAnomaly(ServerAnomaly.Kind.INVALID_TYPE_DISCARDED,
                                message.deviceId(), message.bufferId(), "type byte " + code
                                + " is outside 1..12; discarded (consecutive error " + consecutiveErrors + ")"));
                    }
                    if (consecutiveErrors >= MAX_CONSECUTIVE_ERRORS) {
                        print(new LogEvent.ResyncGiveUp(consecutiveErrors));
                        consecutiveErrors = 0;
                    }
                    return Optional.empty();
                }
                consecutiveErrors = 0;
            }
            Optional<MessageType> type = MessageType.fromCode(code);
            if (type.isEmpty() || !version.handles(type.get())) {
                print(new LogEvent.UnknownType(code));
                return Optional.empty();
            }
            switch (type.get()) {
                case ALLOC:
                    handleAlloc(message.deviceId(), message.size(), message.bufferType(), message.processId(),
                            message.bufferId(), message.timestamp());
                    return Optional.empty();
                case FREE:
                    handleFree(message.deviceId(), message.processId(), message.bufferId());
                    return Optional.empty();
                case QUERY:
                    return Optional.of(queryResponse(message.deviceId()));
                case DUMP_REMAINING:
                    handleDumpRemaining(defaultLiveness);
                    return Optional.empty();
                case DEVICE_INFO_QUERY:
                    return Optional.of(deviceInfoResponse(message.deviceId()));
                case CB_ALLOC:
                    handleCbAlloc(message);
                    return Optional.empty();
                case CB_FREE:
                    handleCbFree(message);
                    return Optional.empty();
                case KERNEL_LOAD:
                    handleKernelLoad(message);
                    return Optional.empty();
                case KERNEL_UNLOAD:
                    handleKernelUnload(message);
                    return Optional.empty();
                case DUMP_KERNELS:
                    printKernelDump(message.timestamp());
                    return Optional.empty();
                default:
                    throw new AssertionError(type.get());
            }
        }
    }

    /**
     * Exactly {@code accept(AllocMessage.alloc(deviceId, size, bufferType, processId, bufferId, timestamp))}, without
     * building the message: for log replay, which sends millions of them.
     *
     * @throws IllegalArgumentException if {@code bufferType} is not a u8 (0..255), as the message would
     * @throws IllegalStateException    after {@link #shutdown()}
     */
    public void acceptAlloc(int deviceId, long size, int bufferType, int processId, long bufferId, long timestamp) {
        Preconditions.checkArgument(bufferType >= 0 && bufferType <= 255,
                "bufferType (buffer_type) is %s; a u8 field allows 0..255", bufferType);
        synchronized (lock) {
            checkRunning();
            if (version.validatesAlloc()) {
                consecutiveErrors = 0; // the ALLOC type byte is valid
            }
            handleAlloc(deviceId, size, bufferType, processId, bufferId, timestamp);
        }
    }

    /**
     * Exactly {@code accept(AllocMessage.free(deviceId, processId, bufferId))}, without building the message.
     *
     * @throws IllegalStateException after {@link #shutdown()}
     */
    public void acceptFree(int deviceId, int processId, long bufferId) {
        synchronized (lock) {
            checkRunning();
            if (version.validatesAlloc()) {
                consecutiveErrors = 0; // the FREE type byte is valid
            }
            handleFree(deviceId, processId, bufferId);
        }
    }

    private BufferKey keyOf(int device, long bufferId) {
        return new BufferKey(keyDevice(device), bufferId);
    }

    /** E0 keys by buffer id alone; the device component of its internal keys is a constant 0. */
    private int keyDevice(int device) {
        return version.keyedByBufferIdOnly() ? 0 : device;
    }

    private void handleAlloc(int dev, long size, int type, int pid, long id, long timestamp) {
        if (version.validatesAlloc()) {
            if (dev < 0 || dev >= MAX_DEVICES) {
                print(new LogEvent.BadDevice(dev));
                return;
            }
            if (size == 0 || Long.compareUnsigned(size, MAX_ALLOC_SIZE) > 0) {
                print(new LogEvent.BadSize(size));
                return;
            }
        }
        if (type > 4) {
            if (version == ServerVersion.S5) {
                print(new LogEvent.BadTypeS5(type, id, dev));
            } else if (version == ServerVersion.ENHANCED) {
                print(new LogEvent.BadTypeShort(pid, type));
            } else {
                print(new LogEvent.BadType(pid, type, id, dev));
            }
            return;
        }
        Slot slot = registry.get(keyDevice(dev), id);
        if (slot == null) {
            slot = new Slot(id, dev, size, type, pid, timestamp);
            registry.put(keyDevice(dev), id, slot);
            adjust(dev, id, type, size, 1, "ALLOC");
            if (version.hasHistory()) {
                historyOf(dev, id).add(new HistoryEvent(HistoryKind.ALLOC, size, pid, 1));
            }
            if (!quiet) { // quiet: build no event at all (replays send millions of messages)
                print(new LogEvent.AllocNew(pid, size, type, dev, id, idFormat));
            }
            return;
        }
        duplicateAllocs++;
        switch (version.duplicateAllocPolicy()) {
            case REF_COUNT:
                if (version.hasHistory() && slot.size != size) {
                    print(new LogEvent.SizeChanged(pid, slot.size, size, id, dev));
                    slot.size = size; // counters are not adjusted: the drift of reference 3.13
                }
                slot.refCount++;
                if (version.hasHistory()) {
                    historyOf(dev, id).add(new HistoryEvent(HistoryKind.REUSE, size, pid, slot.refCount));
                }
                if (!quiet) { // quiet: build no event at all (replays send millions of messages)
                    print(new LogEvent.AllocDup(pid, size, type, dev, id, idFormat, slot.refCount));
                }
                return;
            case OVERWRITE_ADD_AGAIN:
                // Inferred (E0, E1a): allocations_[key] = info; num_buffers++; counter += size, unconditionally.
                overwrite(slot, dev, size, type, pid, timestamp);
                adjust(dev, id, type, size, 1, "duplicate ALLOC");
                if (!quiet) { // quiet: build no event at all (replays send millions of messages)
                    print(new LogEvent.AllocNew(pid, size, type, dev, id, idFormat));
                }
                return;
            case OVERWRITE_REPLACE:
                // Inferred (E1r): the old entry's bytes leave its counter, the new ones enter; count unchanged.
                adjust(slot.device, id, slot.type, -slot.size, 0, "duplicate ALLOC (old entry)");
                overwrite(slot, dev, size, type, pid, timestamp);
                adjust(dev, id, type, size, 0, "duplicate ALLOC");
                if (!quiet) { // quiet: build no event at all (replays send millions of messages)
                    print(new LogEvent.AllocNew(pid, size, type, dev, id, idFormat));
                }
                return;
            default:
                throw new AssertionError(version.duplicateAllocPolicy());
        }
    }

    private static void overwrite(Slot slot, int dev, long size, int type, int pid, long timestamp) {
        slot.device = dev;
        slot.size = size;
        slot.type = type;
        slot.ownerPid = pid;
        slot.refCount = 1;
        slot.allocTimestamp = timestamp;
    }

    private void handleFree(int dev, int pid, long id) {
        Slot slot = registry.get(keyDevice(dev), id);
        if (slot == null) {
            unknownFrees++;
            if (version.hasHistory()) {
                History h = histories.get(keyOf(dev, id));
                if (h != null) {
                    print(new LogEvent.AlreadyFreed(pid, id, dev, h.totalAllocs, h.totalFrees + 1));
                    print(ConstantLine.LAST_5_EVENTS);
                    for (HistoryEvent e : h.newestFirst(5)) {
                        print(historyLine(5, e));
                    }
                } else {
                    print(new LogEvent.UnknownFreeNeverTracked(pid, id, dev));
                }
                historyOf(dev, id).add(new HistoryEvent(HistoryKind.FREE, 0, pid, 0));
            } else if (version.isInferred()) {
                print(new LogEvent.UnknownFreeLegacy(id));
            } else {
                if (!quiet) { // quiet: build no event at all (replays send millions of messages)
                    print(new LogEvent.UnknownFree(pid, id, idFormat, dev));
                }
            }
            return;
        }
        if (!version.refCounts()) {
            adjust(slot.device, id, slot.type, -slot.size, -1, "FREE");
            registry.remove(keyDevice(dev), id);
            if (version.freeLineForm() == ServerVersion.FreeLineForm.E0) {
                if (!quiet) {
                    print(new LogEvent.FreeE0(slot.ownerPid, id, idFormat, slot.size));
                }
            } else {
                if (!quiet) {
                    print(new LogEvent.FreeE1(slot.ownerPid, id, idFormat, slot.device, slot.size));
                }
            }
            return;
        }
        slot.refCount--;
        if (version.hasHistory()) {
            historyOf(dev, id).add(new HistoryEvent(HistoryKind.FREE, slot.size, pid, slot.refCount));
        }
        if (slot.refCount > 0) {
            if (!quiet) { // quiet: build no event at all (replays send millions of messages)
                print(new LogEvent.FreePartial(slot.ownerPid, id, idFormat, slot.device, slot.size, slot.refCount));
            }
            return;
        }
        adjust(slot.device, id, slot.type, -slot.size, -1, "FREE");
        registry.remove(keyDevice(dev), id);
        if (!quiet) { // quiet: build no event at all (replays send millions of messages)
            print(new LogEvent.FreeFinal(slot.ownerPid, id, idFormat, slot.device, slot.size));
        }
    }

    /** Adds {@code bytes} to the type's counter and {@code count} to num_buffers of {@code dev}, if it exists. */
    private void adjust(int dev, long id, int type, long bytes, int count, String what) {
        if (dev < 0 || dev >= MAX_DEVICES) {
            if (noteAnomaly()) {
                anomalies.add(new ServerAnomaly(ServerAnomaly.Kind.DEVICE_OUT_OF_RANGE, dev, id, what + " on device "
                        + dev + " would index device_stats_ out of bounds (undefined behaviour in the C++); counters "
                        + "left untouched"));
            }
            return;
        }
        long[] c = counters[dev];
        c[NUM_BUFFERS] += count;
        c[counterIndex(type)] += bytes;
    }

    private static int counterIndex(int type) {
        switch (BufferTypeCode.ofCode(type).counter()) {
            case DRAM:
                return DRAM;
            case L1:
                return L1;
            case L1_SMALL:
                return L1_SMALL;
            case TRACE:
                return TRACE;
            default:
                throw new AssertionError(type);
        }
    }

    private History historyOf(int dev, long id) {
        return histories.computeIfAbsent(keyOf(dev, id), k -> new History(dev, id));
    }

    private static LogEvent.HistoryLine historyLine(int indent, HistoryEvent e) {
        return new LogEvent.HistoryLine(indent, e.kind(), e.size(), e.pid(), e.refCountAfter());
    }

    private AllocMessage queryResponse(int dev) {
        AllocMessage.Builder r = AllocMessage.builder(MessageType.RESPONSE).deviceId(dev);
        if (dev >= 0 && dev < MAX_DEVICES) {
            long[] c = counters[dev];
            r.dramAllocated(c[DRAM]).l1Allocated(c[L1]).l1SmallAllocated(c[L1_SMALL]).traceAllocated(c[TRACE]);
            if (version.hasCbKernelRegistries()) {
                r.cbAllocated(c[CB]).kernelAllocated(c[KERNEL]);
            }
        }
        return r.build();
    }

    private AllocMessage deviceInfoResponse(int dev) {
        AllocMessage.Builder r = AllocMessage.builder(MessageType.DEVICE_INFO_RESPONSE).deviceId(dev);
        if (dev == -1) {
            long n = detectedDevices.size();
            r.numDevices(n).isAvailable(n > 0 ? 1 : 0);
        } else if (dev >= 0 && dev < MAX_DEVICES && dev < detectedDevices.size()) {
            DeviceInfo d = detectedDevices.get(dev);
            if (d.available()) {
                r.isAvailable(1).archType(d.archType()).numDramChannels(d.numDramChannels())
                        .dramSizePerChannel(d.dramSizePerChannel()).l1SizePerCore(d.l1SizePerCore())
                        .totalDramSize(d.totalDramSize()).totalL1Size(d.totalL1Size());
            }
        }
        return r.build();
    }

    private void handleCbAlloc(AllocMessage m) {
        int dev = m.deviceId();
        if (dev < 0 || dev >= MAX_DEVICES) {
            return;
        }
        cbRegistry.put(new BufferKey(dev, m.bufferId()),
                new CbEntry(dev, m.bufferId(), m.size(), m.processId(), m.timestamp()));
        counters[dev][CB] += m.size();
        print(new LogEvent.CbAlloc(dev, GFormat.mbValue(m.size()), GFormat.mbValue(counters[dev][CB])));
    }

    private void handleCbFree(AllocMessage m) {
        int dev = m.deviceId();
        if (dev < 0 || dev >= MAX_DEVICES) {
            return;
        }
        cbRegistry.remove(new BufferKey(dev, m.bufferId()));
        counters[dev][CB] -= m.size(); // unsigned wrap when nothing matches: reference 3.4
        print(new LogEvent.CbFree(dev, GFormat.mbValue(m.size()), GFormat.mbValue(counters[dev][CB])));
    }

    private void handleKernelLoad(AllocMessage m) {
        int dev = m.deviceId();
        if (dev < 0 || dev >= MAX_DEVICES) {
            return;
        }
        kernelRegistry.put(new BufferKey(dev, m.bufferId()),
                new KernelEntry(dev, m.bufferId(), m.size(), m.processId(), m.bufferType(), m.timestamp()));
        long[] c = counters[dev];
        c[KERNEL] += m.size();
        KernelKind kind = KernelKind.ofCode(m.bufferType());
        adjustKind(c, kind, m.size());
        print(new LogEvent.KernelLoad(kind, dev, GFormat.mbValue(m.size()), GFormat.mbValue(c[KERNEL])));
    }

    private void handleKernelUnload(AllocMessage m) {
        int dev = m.deviceId();
        if (dev < 0 || dev >= MAX_DEVICES) {
            return;
        }
        KernelEntry e = kernelRegistry.remove(new BufferKey(dev, m.bufferId()));
        if (e == null) {
            return; // unknown kernel: silent no-op (reference 3.5)
        }
        long[] c = counters[dev];
        adjustKind(c, e.kind(), -m.size());
        c[KERNEL] -= m.size();
        print(new LogEvent.KernelUnload(e.kind(), dev, GFormat.mbValue(m.size()), GFormat.mbValue(c[KERNEL])));
    }

    private static void adjustKind(long[] c, KernelKind kind, long bytes) {
        switch (kind) {
            case APPLICATION:
                c[KERNEL_APPLICATION] += bytes;
                break;
            case FABRIC:
                c[KERNEL_FABRIC] += bytes;
                break;
            case DISPATCH:
                c[KERNEL_DISPATCH] += bytes;
                break;
            default:
                break;
        }
    }

    // ------------------------------------------------------------------------------------------------ sweep, dumps

    /**
     * The dead-process sweep ({@code cleanup_dead_processes}, reference 3.6): owner pids collected from the buffer
     * registry (S5: also CB and kernel registries), asked of {@code liveness} (pid 0 is always alive), and every
     * entry of each dead pid removed, ascending pid order, whatever its ref count. Prints the sweep block only when
     * some pid is dead. The oracle is consulted for all pids before anything changes.
     *
     * @throws UnsupportedOperationException for E0/E1, which had no sweep (inferred)
     * @throws IllegalStateException         after shutdown
     */
    public SweepResult sweep(LivenessOracle liveness) {
        Preconditions.checkNotNull(liveness, "liveness");
        checkHas(version.hasSweep(), "dead-process sweep");
        synchronized (lock) {
            checkRunning();
            return sweepLocked(liveness);
        }
    }

    private SweepResult sweepLocked(LivenessOracle liveness) {
        TreeSet<Integer> owners = new TreeSet<>();
        registry.forEach(s -> owners.add(s.ownerPid));
        if (version.hasCbKernelRegistries()) {
            cbRegistry.values().forEach(e -> owners.add(e.ownerPid()));
            kernelRegistry.values().forEach(e -> owners.add(e.ownerPid()));
        }
        List<Integer> dead = new ArrayList<>();
        for (int pid : owners) {
            if (pid != 0 && !liveness.isAlive(pid)) {
                dead.add(pid);
            }
        }
        if (dead.isEmpty()) {
            return SweepResult.NONE;
        }
        print(ConstantLine.BLANK);
        print(ConstantLine.SWEEP_HEADER);
        long buffers = 0;
        long bytesTotal = 0;
        long cbs = 0;
        long kernels = 0;
        List<Slot> slots = registry.values(); // a copy: removing below is safe
        slots.sort(BY_KEY); // key order, not the table's: an out-of-range entry's anomaly is noted in this order
        for (int pid : dead) {
            print(new LogEvent.SweepDeadPid(pid));
            long count = 0;
            long bytes = 0;
            for (Slot s : slots) {
                if (s.ownerPid == pid) {
                    adjust(s.device, s.bufferId, s.type, -s.size, -1, "sweep of PID " + pid);
                    bytes += s.size;
                    count++;
                    registry.remove(keyDevice(s.device), s.bufferId); // an entry's key device is its own (E0: 0)
                }
            }
            print(new LogEvent.SweepRemoved(SweepCategory.BUFFERS, count, GFormat.mbValue(bytes), pid));
            buffers += count;
            bytesTotal += bytes;
            if (version.hasCbKernelRegistries()) {
                long cbCount = 0;
                long cbBytes = 0;
                for (Iterator<CbEntry> it = cbRegistry.values().iterator(); it.hasNext(); ) {
                    CbEntry e = it.next();
                    if (e.ownerPid() == pid) {
                        counters[e.deviceId()][CB] -= e.size();
                        cbBytes += e.size();
                        cbCount++;
                        it.remove();
                    }
                }
                if (cbCount > 0) {
                    print(new LogEvent.SweepRemoved(SweepCategory.CBS, cbCount, GFormat.mbValue(cbBytes), pid));
                }
                long kCount = 0;
                long kBytes = 0;
                for (Iterator<KernelEntry> it = kernelRegistry.values().iterator(); it.hasNext(); ) {
                    KernelEntry e = it.next();
                    if (e.ownerPid() == pid) {
                        long[] c = counters[e.deviceId()];
                        adjustKind(c, e.kind(), -e.size());
                        c[KERNEL] -= e.size();
                        kBytes += e.size();
                        kCount++;
                        it.remove();
                    }
                }
                if (kCount > 0) {
                    print(new LogEvent.SweepRemoved(SweepCategory.KERNELS, kCount, GFormat.mbValue(kBytes), pid));
                }
                cbs += cbCount;
                kernels += kCount;
            }
        }
        print(ConstantLine.BLANK);
        return new SweepResult(dead, buffers, bytesTotal, cbs, kernels);
    }

    /**
     * DUMP_REMAINING with the given liveness (what a type-5 message does, which uses the builder's liveness):
     * S1-S5 print {@code 📋 Received DUMP_REMAINING request...}, sweep, print the registry dump (reference 3.7),
     * then {@code 📋 DUMP_REMAINING complete.}; the history server prints no received/complete lines and adds
     * history and double-free reports (reference 5). Buffers of a group are listed in ascending id order.
     *
     * @return the lines printed
     * @throws UnsupportedOperationException for E0/E1 (no DUMP_REMAINING)
     */
    public List<ServerLine> dumpRemaining(LivenessOracle liveness) {
        Preconditions.checkNotNull(liveness, "liveness");
        checkHas(version.hasSweep(), "DUMP_REMAINING");
        synchronized (lock) {
            checkRunning();
            int from = log.size();
            handleDumpRemaining(liveness);
            return log.linesFrom(from);
        }
    }

    private void handleDumpRemaining(LivenessOracle liveness) {
        boolean enhanced = version.hasHistory();
        if (!enhanced) {
            print(ConstantLine.DUMP_RECEIVED);
        }
        sweepLocked(liveness);
        print(ConstantLine.BLANK);
        print(ConstantLine.BOX_TOP);
        print(ConstantLine.REMAINING_TITLE);
        print(ConstantLine.BOX_BOTTOM);
        print(new LogEvent.TotalTracked(registry.size()));
        print(ConstantLine.BLANK);
        if (registry.isEmpty()) {
            print(ConstantLine.NO_BUFFERS_REMAINING);
            if (enhanced) {
                long doubleFreed = histories.values().stream().filter(h -> h.totalFrees > h.totalAllocs).count();
                if (doubleFreed > 0) {
                    print(ConstantLine.BLANK);
                    print(new LogEvent.DoubleFreedSummary(doubleFreed));
                    printDoubleFreeReport();
                }
            }
        } else {
            TreeMap<Integer, TreeMap<Integer, List<Slot>>> byDevice = new TreeMap<>();
            for (Slot s : registry.values()) {
                byDevice.computeIfAbsent(s.device, d -> new TreeMap<>())
                        .computeIfAbsent(s.type, t -> new ArrayList<>()).add(s);
            }
            for (Map.Entry<Integer, TreeMap<Integer, List<Slot>>> dev : byDevice.entrySet()) {
                print(new LogEvent.DumpDevice(dev.getKey()));
                for (Map.Entry<Integer, List<Slot>> group : dev.getValue().entrySet()) {
                    List<Slot> slots = group.getValue();
                    slots.sort(BY_ID);
                    long total = 0;
                    for (Slot s : slots) {
                        total += s.size;
                    }
                    print(new LogEvent.DumpTypeGroup(group.getKey(), slots.size(), GFormat.mbValue(total)));
                    if (slots.size() <= 10) {
                        for (Slot s : slots) {
                            print(new LogEvent.DumpBuffer(s.bufferId, GFormat.kbValue(s.size), s.ownerPid,
                                    s.refCount));
                            if (enhanced) {
                                History h = histories.get(keyOf(s.device, s.bufferId));
                                if (h != null) {
                                    print(new LogEvent.DumpHistoryHeader(h.totalAllocs, h.totalFrees));
                                    for (HistoryEvent e : h.newestFirst(5)) {
                                        print(historyLine(8, e));
                                    }
                                }
                            }
                        }
                    }
                }
                print(ConstantLine.BLANK);
            }
            print(new LogEvent.TotalRemaining(registry.size()));
            print(ConstantLine.BLANK);
        }
        if (!enhanced) {
            print(ConstantLine.DUMP_COMPLETE);
        }
    }

    private void printDoubleFreeReport() {
        print(ConstantLine.BLANK);
        print(ConstantLine.BOX_TOP);
        print(ConstantLine.DOUBLE_FREED_TITLE);
        print(ConstantLine.BOX_BOTTOM);
        print(ConstantLine.BLANK);
        TreeMap<BufferKey, History> sorted = new TreeMap<>();
        histories.values().forEach(h -> sorted.put(new BufferKey(h.device, h.bufferId), h));
        for (History h : sorted.values()) {
            if (h.totalFrees > h.totalAllocs) {
                print(new LogEvent.DoubleFreedBuffer(h.bufferId, h.device));
                print(new LogEvent.DoubleFreedTotals(h.totalAllocs, h.totalFrees));
                print(ConstantLine.HISTORY_LABEL);
                for (HistoryEvent e : h.events) {
                    print(historyLine(4, e));
                }
                print(ConstantLine.BLANK);
            }
        }
    }

    /**
     * DUMP_KERNELS (S5, reference 3.8) with {@code nowTimestamp} as the current time: kernels listed per device
     * 0..7 in ascending id order, ages = whole seconds since each KERNEL_LOAD's timestamp (truncated toward zero).
     *
     * @return the lines printed
     * @throws UnsupportedOperationException before S5
     */
    public List<ServerLine> dumpKernels(long nowTimestamp) {
        checkHas(version.hasCbKernelRegistries(), "DUMP_KERNELS");
        synchronized (lock) {
            checkRunning();
            int from = log.size();
            printKernelDump(nowTimestamp);
            return log.linesFrom(from);
        }
    }

    private void printKernelDump(long now) {
        print(ConstantLine.BLANK);
        print(ConstantLine.BOX_TOP);
        print(ConstantLine.KERNELS_TITLE);
        print(ConstantLine.BOX_BOTTOM);
        print(new LogEvent.KernelDumpTotal(kernelRegistry.size()));
        SortedMap<BufferKey, KernelEntry> sorted = new TreeMap<>(kernelRegistry);
        for (int dev = 0; dev < MAX_DEVICES; dev++) {
            List<KernelEntry> kernels = new ArrayList<>(
                    sorted.subMap(new BufferKey(dev, 0), new BufferKey(dev + 1, 0)).values());
            if (kernels.isEmpty()) {
                continue;
            }
            long total = 0;
            for (KernelEntry k : kernels) {
                total += k.size();
            }
            print(ConstantLine.BLANK);
            print(new LogEvent.KernelDeviceHeader(dev, GFormat.mbValue(total), kernels.size()));
            print(ConstantLine.KERNEL_TABLE_TOP);
            for (KernelEntry k : kernels) {
                print(new LogEvent.KernelIdLine(k.kernelId()));
                print(new LogEvent.KernelSizeLine(GFormat.kbValue(k.size())));
                print(new LogEvent.KernelOwnerLine(k.ownerPid()));
                print(new LogEvent.KernelAgeLine((now - k.allocTimestamp()) / 1_000_000_000L));
                print(ConstantLine.KERNEL_SPACER);
            }
            print(ConstantLine.KERNEL_TABLE_BOTTOM);
        }
        print(ConstantLine.BLANK);
        print(ConstantLine.DUMP_KERNELS_COMPLETE);
    }

    /**
     * The periodic statistics block ({@code print_stats}, reference 3.9): devices 0..7 whose buffer bytes or buffer
     * count are non-zero, then {@code   Active allocations: N} (registry size).
     *
     * @return the lines printed
     */
    public List<ServerLine> statisticsBlock() {
        synchronized (lock) {
            checkRunning();
            int from = log.size();
            printStatistics();
            return log.linesFrom(from);
        }
    }

    private void printStatistics() {
        print(ConstantLine.BLANK);
        print(ConstantLine.STATS_HEADER);
        for (int i = 0; i < MAX_DEVICES; i++) {
            long[] c = counters[i];
            long total = c[DRAM] + c[L1] + c[L1_SMALL] + c[TRACE];
            if (total == 0 && c[NUM_BUFFERS] == 0) {
                continue;
            }
            print(new LogEvent.StatsDevice(i));
            print(new LogEvent.StatsBuffers(c[NUM_BUFFERS]));
            switch (version.statisticsForm()) {
                case BYTES_AND_KB:
                    print(new LogEvent.StatsBytesKb(StatsLabel.DRAM, c[DRAM], GFormat.kbValue(c[DRAM])));
                    print(new LogEvent.StatsBytesKb(StatsLabel.L1, c[L1], GFormat.kbValue(c[L1])));
                    print(new LogEvent.StatsBytes(StatsLabel.TOTAL, total));
                    break;
                case BYTES_ONLY:
                    print(new LogEvent.StatsBytes(StatsLabel.DRAM, c[DRAM]));
                    print(new LogEvent.StatsBytes(StatsLabel.L1, c[L1]));
                    print(new LogEvent.StatsBytes(StatsLabel.TOTAL, total));
                    break;
                case KB_ONLY:
                    print(new LogEvent.StatsKb(StatsLabel.DRAM, GFormat.kbValue(c[DRAM])));
                    print(new LogEvent.StatsKb(StatsLabel.L1, GFormat.kbValue(c[L1])));
                    print(new LogEvent.StatsKb(StatsLabel.TOTAL, GFormat.kbValue(total)));
                    break;
                default:
                    throw new AssertionError(version.statisticsForm());
            }
        }
        print(new LogEvent.ActiveAllocations(registry.size()));
    }

    private void checkHas(boolean has, String what) {
        if (!has) {
            throw new UnsupportedOperationException(version + " has no " + what
                    + (version.isInferred() ? " (E0/E1 predate it; inferred, seed-arithmetic.md assumption 6)" : ""));
        }
    }

    private void print(ConstantLine line) {
        if (!quiet) {
            log.append(new LogEvent.Constant(line));
        }
    }

    private void print(LogEvent event) {
        if (!quiet) {
            log.append(event);
        }
    }

    // ------------------------------------------------------------------------------------------------ accessors

    /** Live buffer entries by key (E0: key device = the entry's stored device). */
    public SortedMap<BufferKey, LiveEntry> liveEntries() {
        synchronized (lock) {
            ImmutableSortedMap.Builder<BufferKey, LiveEntry> b = ImmutableSortedMap.naturalOrder();
            for (Slot s : registry.values()) {
                LiveEntry e = s.snapshot();
                b.put(e.key(), e);
            }
            return b.build();
        }
    }

    /**
     * Visits every live buffer entry without building a sorted copy, in unspecified order: for checks that compare
     * the registry with something else after every step. Anything printed must be sorted first ({@link #liveEntries}).
     */
    public void forEachLiveEntry(java.util.function.Consumer<LiveEntry> visitor) {
        Preconditions.checkNotNull(visitor, "visitor");
        synchronized (lock) {
            for (Slot s : registry.values()) {
                visitor.accept(s.snapshot());
            }
        }
    }

    /** The live entry for (device, buffer id); for E0 the id alone selects it and the device must match. */
    public Optional<LiveEntry> entry(int deviceId, long bufferId) {
        synchronized (lock) {
            Slot s = registry.get(keyDevice(deviceId), bufferId);
            return s == null || s.device != deviceId ? Optional.empty() : Optional.of(s.snapshot());
        }
    }

    /**
     * Counters of one device.
     *
     * @throws IllegalArgumentException if {@code deviceId} is not in 0..7
     */
    public DeviceCounters counters(int deviceId) {
        Preconditions.checkArgument(deviceId >= 0 && deviceId < MAX_DEVICES,
                "device %s has no counters; allowed 0..7", deviceId);
        synchronized (lock) {
            long[] c = counters[deviceId];
            return new DeviceCounters(c[DRAM], c[L1], c[L1_SMALL], c[TRACE], c[NUM_BUFFERS], c[CB], c[KERNEL],
                    c[KERNEL_APPLICATION], c[KERNEL_FABRIC], c[KERNEL_DISPATCH]);
        }
    }

    /** "Active allocations": number of live buffer keys. */
    public int activeAllocations() {
        synchronized (lock) {
            return registry.size();
        }
    }

    /** FREEs whose key was not live (every unknown/already-freed warning). */
    public long unknownFreeCount() {
        synchronized (lock) {
            return unknownFrees;
        }
    }

    /** Accepted ALLOCs whose key was already live (ref++ or overwrite). */
    public long duplicateAllocCount() {
        synchronized (lock) {
            return duplicateAllocs;
        }
    }

    /** History server: the history of one key, kept after erase; empty for other versions or unseen keys. */
    public Optional<KeyHistory> history(int deviceId, long bufferId) {
        synchronized (lock) {
            History h = histories.get(keyOf(deviceId, bufferId));
            return h == null ? Optional.empty() : Optional.of(h.snapshot());
        }
    }

    /** History server: every key's history. */
    public SortedMap<BufferKey, KeyHistory> histories() {
        synchronized (lock) {
            ImmutableSortedMap.Builder<BufferKey, KeyHistory> b = ImmutableSortedMap.naturalOrder();
            histories.values().forEach(h -> b.put(new BufferKey(h.device, h.bufferId), h.snapshot()));
            return b.build();
        }
    }

    /** S5 CB registry. */
    public SortedMap<BufferKey, CbEntry> cbEntries() {
        synchronized (lock) {
            return ImmutableSortedMap.copyOf(cbRegistry);
        }
    }

    /** S5 kernel registry. */
    public SortedMap<BufferKey, KernelEntry> kernelEntries() {
        synchronized (lock) {
            return ImmutableSortedMap.copyOf(kernelRegistry);
        }
    }

    /**
     * Anomalies recorded where the C++ has undefined or byte-level behaviour, in order: every one, or the first
     * {@link Builder#anomalyLimit(int)} of them.
     */
    public List<ServerAnomaly> anomalies() {
        synchronized (lock) {
            return ImmutableList.copyOf(anomalies);
        }
    }

    /** How many anomalies occurred, including those past the {@link Builder#anomalyLimit(int) limit}. */
    public long anomalyCount() {
        synchronized (lock) {
            return anomalyCount;
        }
    }

    /** Counts one anomaly; whether it is to be kept. Called under the lock. */
    private boolean noteAnomaly() {
        anomalyCount++;
        return anomalies.size() < anomalyLimit;
    }

    /** Devices as detected (S2-S5; at most 8), index = device id. */
    public List<DeviceInfo> detectedDevices() {
        return detectedDevices;
    }
}
