package io.github.meshalloc.tracking.log;

import com.google.common.base.Preconditions;
import io.github.meshalloc.tracking.wire.BufferTypeCode;
import io.github.meshalloc.tracking.wire.KernelKind;

/**
 * One server output line, as data.
 *
 * <p>Models each {@code std::cout}/{@code std::cerr} statement of {@code MUM/allocation_server_poc.cpp} (E0/E1
 * inferred, S1-S5 read) and {@code MUM/allocation_server_enhanced.cpp} (reference sections 4 and 5). The fields are
 * exactly what the line shows: a record renders to one line ({@link ServerLogWriter}) and that line parses back to
 * an equal record ({@link ServerLogParser}). Figures printed with {@code %g} (MB, KB) are held as doubles; the server
 * stores the canonical value ({@link GFormat#canonical(double)}), the one the printed text parses back to.
 * Unsigned 64-bit numbers (sizes, ids, counters) are held in longs with the same bit pattern.
 */
public sealed interface LogEvent {

    /** The line kind (one per record type). */
    LineKind kind();

    /** The stream the server writes this line to. */
    default LogStream stream() {
        return kind().stream();
    }

    /** History server event names ({@code BufferEvent::to_string}). */
    enum HistoryKind {
        /** First ALLOC of a key (ALLOC_EVENT). */
        ALLOC,
        /** Any FREE (FREE_EVENT), matched or not. */
        FREE,
        /** ALLOC of a key already live (REUSE_EVENT). */
        REUSE
    }

    /** What a sweep line reports removing. */
    enum SweepCategory {
        /** Buffer registry entries. */
        BUFFERS("buffers"),
        /** S5 CB registry entries. */
        CBS("CBs"),
        /** S5 kernel registry entries. */
        KERNELS("kernels");

        private final String word;

        SweepCategory(String word) {
            this.word = word;
        }

        /** The word printed after the count. */
        public String word() {
            return word;
        }
    }

    /** Labels of the statistics block counter lines. */
    enum StatsLabel {
        /** {@code DRAM:}. */
        DRAM("DRAM"),
        /** {@code L1:}. */
        L1("L1"),
        /** {@code Total:}. */
        TOTAL("Total");

        private final String word;

        StatsLabel(String word) {
            this.word = word;
        }

        /** The label as printed (before the colon). */
        public String word() {
            return word;
        }
    }

    /** The S5 {@code [Local]}/{@code [Remote]} suffix of a detected-device line; NONE before S5. */
    enum Locality {
        /** No suffix (S2-S4). */
        NONE,
        /** {@code  [Local]}. */
        LOCAL,
        /** {@code  [Remote]}. */
        REMOTE
    }

    /** The verbose per-chip lines S5 prints during detection. */
    enum SocDetailLabel {
        /** {@code DRAM size per channel: n}. */
        DRAM_SIZE_PER_CHANNEL("DRAM size per channel"),
        /** {@code Number of DRAM channels: n}. */
        NUM_DRAM_CHANNELS("Number of DRAM channels"),
        /** {@code L1 size per core: n}. */
        L1_SIZE_PER_CORE("L1 size per core"),
        /** {@code Grid size: XxY}. */
        GRID_SIZE("Grid size"),
        /** {@code Arch: NAME}. */
        ARCH("Arch"),
        /** {@code Is remote: 0|1}. */
        IS_REMOTE("Is remote");

        private final String label;

        SocDetailLabel(String label) {
            this.label = label;
        }

        /** The label as printed (before {@code ": "}). */
        public String label() {
            return label;
        }
    }

    private static void checkType(int bufferType) {
        Preconditions.checkArgument(bufferType >= 0 && bufferType <= 4,
                "bufferType is %s; a printed TYPE is one of codes 0..4", bufferType);
    }

    private static void checkCount(String what, long n) {
        Preconditions.checkArgument(n >= 0, "%s is %s; a count is never negative", what, n);
    }

    private static void checkFinite(String what, double v) {
        Preconditions.checkArgument(Double.isFinite(v), "%s is %s; a printed figure must be finite", what, v);
    }

    private static void checkSingleLine(String what, String text) {
        Preconditions.checkNotNull(text, what);
        Preconditions.checkArgument(text.indexOf('\n') < 0 && text.indexOf('\r') < 0,
                "%s must be a single line but contains a line break: %s", what, text);
    }

    /** ALLOC of a new key. PID = sender, size = message size. */
    record AllocNew(int pid, long size, int bufferType, int device, long bufferId, IdFormat idFormat)
            implements LogEvent {
        /** Validates the type code and id format. */
        public AllocNew {
            checkType(bufferType);
            Preconditions.checkNotNull(idFormat, "idFormat");
        }

        @Override
        public LineKind kind() {
            return LineKind.ALLOC_NEW;
        }
    }

    /** ALLOC of a live key (ref count incremented). PID, size and type are the message's. */
    record AllocDup(int pid, long size, int bufferType, int device, long bufferId, IdFormat idFormat, int refCount)
            implements LogEvent {
        /** Validates the type code and id format. */
        public AllocDup {
            checkType(bufferType);
            Preconditions.checkNotNull(idFormat, "idFormat");
        }

        @Override
        public LineKind kind() {
            return LineKind.ALLOC_DUP;
        }
    }

    /** FREE leaving references. PID = stored owner, size = stored size. */
    record FreePartial(int pid, long bufferId, IdFormat idFormat, int device, long size, int refCount)
            implements LogEvent {
        /** Validates the id format. */
        public FreePartial {
            Preconditions.checkNotNull(idFormat, "idFormat");
        }

        @Override
        public LineKind kind() {
            return LineKind.FREE_PARTIAL;
        }
    }

    /** FREE of the last reference. PID = stored owner, size = stored size. */
    record FreeFinal(int pid, long bufferId, IdFormat idFormat, int device, long size) implements LogEvent {
        /** Validates the id format. */
        public FreeFinal {
            Preconditions.checkNotNull(idFormat, "idFormat");
        }

        @Override
        public LineKind kind() {
            return LineKind.FREE_FINAL;
        }
    }

    /** E1 FREE (no reference count). */
    record FreeE1(int pid, long bufferId, IdFormat idFormat, int device, long size) implements LogEvent {
        /** Validates the id format. */
        public FreeE1 {
            Preconditions.checkNotNull(idFormat, "idFormat");
        }

        @Override
        public LineKind kind() {
            return LineKind.FREE_E1;
        }
    }

    /** E0 FREE (key = buffer id alone, no device printed). */
    record FreeE0(int pid, long bufferId, IdFormat idFormat, long size) implements LogEvent {
        /** Validates the id format. */
        public FreeE0 {
            Preconditions.checkNotNull(idFormat, "idFormat");
        }

        @Override
        public LineKind kind() {
            return LineKind.FREE_E0;
        }
    }

    /** FREE of an absent key (S1-S5). PID and device are the message's. */
    record UnknownFree(int pid, long bufferId, IdFormat idFormat, int device) implements LogEvent {
        /** Validates the id format. */
        public UnknownFree {
            Preconditions.checkNotNull(idFormat, "idFormat");
        }

        @Override
        public LineKind kind() {
            return LineKind.UNKNOWN_FREE;
        }
    }

    /** FREE of an absent key, E0/E1 form (decimal id only; inferred from the notes). */
    record UnknownFreeLegacy(long bufferId) implements LogEvent {
        @Override
        public LineKind kind() {
            return LineKind.UNKNOWN_FREE_LEGACY;
        }
    }

    /** History server: FREE of a key never seen (hex id). */
    record UnknownFreeNeverTracked(int pid, long bufferId, int device) implements LogEvent {
        @Override
        public LineKind kind() {
            return LineKind.UNKNOWN_FREE_NEVER_TRACKED;
        }
    }

    /** History server: FREE of a key with history but not live; {@code frees} includes this FREE. */
    record AlreadyFreed(int pid, long bufferId, int device, int allocs, int frees) implements LogEvent {
        @Override
        public LineKind kind() {
            return LineKind.ALREADY_FREED;
        }
    }

    /**
     * History server event line {@code <indent spaces>KIND size=s pid=p ref=r}; indent 5 after an ALREADY FREED
     * warning, 8 in the dump, 4 in the double-free report.
     */
    record HistoryLine(int indent, HistoryKind event, long size, int pid, int refCount) implements LogEvent {
        /** Validates the indent and event kind. */
        public HistoryLine {
            Preconditions.checkArgument(indent == 4 || indent == 5 || indent == 8,
                    "indent is %s; history lines are indented 4, 5 or 8 spaces", indent);
            Preconditions.checkNotNull(event, "event");
        }

        @Override
        public LineKind kind() {
            return LineKind.HISTORY_LINE;
        }
    }

    /** History server: duplicate ALLOC with a different size (decimal id). */
    record SizeChanged(int pid, long oldSize, long newSize, long bufferId, int device) implements LogEvent {
        @Override
        public LineKind kind() {
            return LineKind.SIZE_CHANGED;
        }
    }

    /** Rejected ALLOC type, S1-S4 form (decimal id). {@code type} is the raw byte. */
    record BadType(int pid, int type, long bufferId, int device) implements LogEvent {
        @Override
        public LineKind kind() {
            return LineKind.BAD_TYPE;
        }
    }

    /** Rejected ALLOC type, S5 form (decimal id). */
    record BadTypeS5(int type, long bufferId, int device) implements LogEvent {
        @Override
        public LineKind kind() {
            return LineKind.BAD_TYPE_S5;
        }
    }

    /** Rejected ALLOC type, history server form. */
    record BadTypeShort(int pid, int type) implements LogEvent {
        @Override
        public LineKind kind() {
            return LineKind.BAD_TYPE_SHORT;
        }
    }

    /** S5: ALLOC device outside [0,8). */
    record BadDevice(int device) implements LogEvent {
        @Override
        public LineKind kind() {
            return LineKind.BAD_DEVICE;
        }
    }

    /** S5: ALLOC size 0 or above 100 GiB. */
    record BadSize(long size) implements LogEvent {
        @Override
        public LineKind kind() {
            return LineKind.BAD_SIZE;
        }
    }

    /** {@code Unknown message type: N}. */
    record UnknownType(int type) implements LogEvent {
        @Override
        public LineKind kind() {
            return LineKind.UNKNOWN_TYPE;
        }
    }

    /** S5 framing: too many consecutive bad type bytes on one connection. */
    record ResyncGiveUp(long count) implements LogEvent {
        /** Validates the count. */
        public ResyncGiveUp {
            checkCount("count", count);
        }

        @Override
        public LineKind kind() {
            return LineKind.RESYNC_GIVE_UP;
        }
    }

    /** S5 CB_ALLOC: message size and device counter after the update, in MB. */
    record CbAlloc(int device, double mb, double totalMb) implements LogEvent {
        /** Validates the figures. */
        public CbAlloc {
            checkFinite("mb", mb);
            checkFinite("totalMb", totalMb);
        }

        @Override
        public LineKind kind() {
            return LineKind.CB_ALLOC;
        }
    }

    /** S5 CB_FREE: message size and device counter after the update, in MB. */
    record CbFree(int device, double mb, double totalMb) implements LogEvent {
        /** Validates the figures. */
        public CbFree {
            checkFinite("mb", mb);
            checkFinite("totalMb", totalMb);
        }

        @Override
        public LineKind kind() {
            return LineKind.CB_FREE;
        }
    }

    /** S5 KERNEL_LOAD. */
    record KernelLoad(KernelKind kernelKind, int device, double mb, double totalMb) implements LogEvent {
        /** Validates the kind and figures. */
        public KernelLoad {
            Preconditions.checkNotNull(kernelKind, "kernelKind");
            checkFinite("mb", mb);
            checkFinite("totalMb", totalMb);
        }

        @Override
        public LineKind kind() {
            return LineKind.KERNEL_LOAD;
        }
    }

    /** S5 KERNEL_UNLOAD (kind = stored kind, size = message size). */
    record KernelUnload(KernelKind kernelKind, int device, double mb, double totalMb) implements LogEvent {
        /** Validates the kind and figures. */
        public KernelUnload {
            Preconditions.checkNotNull(kernelKind, "kernelKind");
            checkFinite("mb", mb);
            checkFinite("totalMb", totalMb);
        }

        @Override
        public LineKind kind() {
            return LineKind.KERNEL_UNLOAD;
        }
    }

    /** A fixed line. */
    record Constant(ConstantLine line) implements LogEvent {
        /** Validates the line. */
        public Constant {
            Preconditions.checkNotNull(line, "line");
        }

        @Override
        public LineKind kind() {
            return LineKind.CONSTANT;
        }
    }

    /** Dump {@code Total tracked allocations: N}. */
    record TotalTracked(long count) implements LogEvent {
        /** Validates the count. */
        public TotalTracked {
            checkCount("count", count);
        }

        @Override
        public LineKind kind() {
            return LineKind.TOTAL_TRACKED;
        }
    }

    /** Dump {@code Device d:}. */
    record DumpDevice(int device) implements LogEvent {
        @Override
        public LineKind kind() {
            return LineKind.DUMP_DEVICE;
        }
    }

    /** Dump per-type group line. */
    record DumpTypeGroup(int bufferType, long count, double mb) implements LogEvent {
        /** Validates type, count and figure. */
        public DumpTypeGroup {
            checkType(bufferType);
            checkCount("count", count);
            checkFinite("mb", mb);
        }

        @Override
        public LineKind kind() {
            return LineKind.DUMP_TYPE_GROUP;
        }
    }

    /** Dump per-buffer line (hex id, stored size in KB, owner, ref count). */
    record DumpBuffer(long bufferId, double kb, int pid, int refCount) implements LogEvent {
        /** Validates the figure. */
        public DumpBuffer {
            checkFinite("kb", kb);
        }

        @Override
        public LineKind kind() {
            return LineKind.DUMP_BUFFER;
        }
    }

    /** History server dump {@code       History (allocs=A frees=F):}. */
    record DumpHistoryHeader(int allocs, int frees) implements LogEvent {
        @Override
        public LineKind kind() {
            return LineKind.DUMP_HISTORY_HEADER;
        }
    }

    /** Dump {@code Total remaining buffers: N}. */
    record TotalRemaining(long count) implements LogEvent {
        /** Validates the count. */
        public TotalRemaining {
            checkCount("count", count);
        }

        @Override
        public LineKind kind() {
            return LineKind.TOTAL_REMAINING;
        }
    }

    /** History server empty-registry double-free summary. */
    record DoubleFreedSummary(long count) implements LogEvent {
        /** Validates the count. */
        public DoubleFreedSummary {
            checkCount("count", count);
        }

        @Override
        public LineKind kind() {
            return LineKind.DOUBLE_FREED_SUMMARY;
        }
    }

    /** History server double-free report key line. */
    record DoubleFreedBuffer(long bufferId, int device) implements LogEvent {
        @Override
        public LineKind kind() {
            return LineKind.DOUBLE_FREED_BUFFER;
        }
    }

    /** History server double-free report totals line. */
    record DoubleFreedTotals(int allocs, int frees) implements LogEvent {
        @Override
        public LineKind kind() {
            return LineKind.DOUBLE_FREED_TOTALS;
        }
    }

    /** Sweep: one dead pid. */
    record SweepDeadPid(int pid) implements LogEvent {
        @Override
        public LineKind kind() {
            return LineKind.SWEEP_DEAD_PID;
        }
    }

    /** Sweep: what was removed for one dead pid. */
    record SweepRemoved(SweepCategory category, long count, double mb, int pid) implements LogEvent {
        /** Validates category, count and figure. */
        public SweepRemoved {
            Preconditions.checkNotNull(category, "category");
            checkCount("count", count);
            checkFinite("mb", mb);
        }

        @Override
        public LineKind kind() {
            return LineKind.SWEEP_REMOVED;
        }
    }

    /** Statistics {@code   Device i:}. */
    record StatsDevice(int device) implements LogEvent {
        @Override
        public LineKind kind() {
            return LineKind.STATS_DEVICE;
        }
    }

    /** Statistics {@code     Buffers: n} (n unsigned). */
    record StatsBuffers(long count) implements LogEvent {
        @Override
        public LineKind kind() {
            return LineKind.STATS_BUFFERS;
        }
    }

    /** Statistics {@code     DRAM: n bytes (G KB)} / {@code     L1: ...} (S1-S5, E1). */
    record StatsBytesKb(StatsLabel label, long bytes, double kb) implements LogEvent {
        /** Validates label and figure. */
        public StatsBytesKb {
            Preconditions.checkNotNull(label, "label");
            Preconditions.checkArgument(label != StatsLabel.TOTAL,
                    "the Total line has no KB figure; use StatsBytes for it");
            checkFinite("kb", kb);
        }

        @Override
        public LineKind kind() {
            return LineKind.STATS_BYTES_KB;
        }
    }

    /** Statistics {@code     Total: n bytes}, and E0's {@code     DRAM: n bytes} / {@code     L1: n bytes}. */
    record StatsBytes(StatsLabel label, long bytes) implements LogEvent {
        /** Validates the label. */
        public StatsBytes {
            Preconditions.checkNotNull(label, "label");
        }

        @Override
        public LineKind kind() {
            return LineKind.STATS_BYTES;
        }
    }

    /** History server statistics {@code     DRAM: G KB} etc. */
    record StatsKb(StatsLabel label, double kb) implements LogEvent {
        /** Validates label and figure. */
        public StatsKb {
            Preconditions.checkNotNull(label, "label");
            checkFinite("kb", kb);
        }

        @Override
        public LineKind kind() {
            return LineKind.STATS_KB;
        }
    }

    /** Statistics {@code   Active allocations: N}. */
    record ActiveAllocations(long count) implements LogEvent {
        /** Validates the count. */
        public ActiveAllocations {
            checkCount("count", count);
        }

        @Override
        public LineKind kind() {
            return LineKind.ACTIVE_ALLOCATIONS;
        }
    }

    /** DUMP_KERNELS {@code Total kernel allocations: N}. */
    record KernelDumpTotal(long count) implements LogEvent {
        /** Validates the count. */
        public KernelDumpTotal {
            checkCount("count", count);
        }

        @Override
        public LineKind kind() {
            return LineKind.KERNEL_DUMP_TOTAL;
        }
    }

    /** DUMP_KERNELS per-device header. */
    record KernelDeviceHeader(int device, double mb, long count) implements LogEvent {
        /** Validates figure and count. */
        public KernelDeviceHeader {
            checkFinite("mb", mb);
            checkCount("count", count);
        }

        @Override
        public LineKind kind() {
            return LineKind.KERNEL_DEVICE_HEADER;
        }
    }

    /** DUMP_KERNELS kernel id line (hex). */
    record KernelIdLine(long kernelId) implements LogEvent {
        @Override
        public LineKind kind() {
            return LineKind.KERNEL_ID;
        }
    }

    /** DUMP_KERNELS kernel size line. */
    record KernelSizeLine(double kb) implements LogEvent {
        /** Validates the figure. */
        public KernelSizeLine {
            checkFinite("kb", kb);
        }

        @Override
        public LineKind kind() {
            return LineKind.KERNEL_SIZE;
        }
    }

    /** DUMP_KERNELS owner line. */
    record KernelOwnerLine(int pid) implements LogEvent {
        @Override
        public LineKind kind() {
            return LineKind.KERNEL_OWNER;
        }
    }

    /** DUMP_KERNELS age line (whole seconds, signed). */
    record KernelAgeLine(long seconds) implements LogEvent {
        @Override
        public LineKind kind() {
            return LineKind.KERNEL_AGE;
        }
    }

    /** Start-up detected device line ({@code gb}, {@code mb}: integer divisions of the totals). */
    record DetectedDevice(int index, String archName, long gb, long mb, Locality locality) implements LogEvent {
        /** Validates the arch name and locality. */
        public DetectedDevice {
            checkSingleLine("archName", archName);
            Preconditions.checkArgument(!archName.isEmpty() && archName.indexOf(' ') < 0,
                    "archName '%s' must be one non-empty word", archName);
            Preconditions.checkNotNull(locality, "locality");
        }

        @Override
        public LineKind kind() {
            return LineKind.DETECTED_DEVICE;
        }
    }

    /** Start-up total line; {@code pcie} for the S2 wording. */
    record DetectionTotal(long count, boolean pcie) implements LogEvent {
        /** Validates the count. */
        public DetectionTotal {
            checkCount("count", count);
        }

        @Override
        public LineKind kind() {
            return LineKind.DETECTION_TOTAL;
        }
    }

    /** Start-up: more than 8 devices found. */
    record DetectionLimit(long found) implements LogEvent {
        /** Validates the count. */
        public DetectionLimit {
            checkCount("found", found);
        }

        @Override
        public LineKind kind() {
            return LineKind.DETECTION_LIMIT;
        }
    }

    /** Start-up: querying one device failed (stderr). */
    record DeviceQueryFailed(int index, String error) implements LogEvent {
        /** Validates the error text. */
        public DeviceQueryFailed {
            checkSingleLine("error", error);
        }

        @Override
        public LineKind kind() {
            return LineKind.DEVICE_QUERY_FAILED;
        }
    }

    /** S5 start-up verbose line {@code <label>: <value>}. */
    record SocDetail(SocDetailLabel label, String value) implements LogEvent {
        /** Validates label and value. */
        public SocDetail {
            Preconditions.checkNotNull(label, "label");
            checkSingleLine("value", value);
        }

        @Override
        public LineKind kind() {
            return LineKind.SOC_DETAIL;
        }
    }

    /** A line no server grammar recognises, kept verbatim (e.g. paraphrases quoted in notes). */
    record Other(String text) implements LogEvent {
        /** Validates the text. */
        public Other {
            checkSingleLine("text", text);
        }

        @Override
        public LineKind kind() {
            return LineKind.OTHER;
        }
    }

    /** Lenient parsing only: a line that starts like a per-event line but breaks its grammar. */
    record Malformed(String text, String reason) implements LogEvent {
        /** Validates text and reason. */
        public Malformed {
            checkSingleLine("text", text);
            Preconditions.checkNotNull(reason, "reason");
        }

        @Override
        public LineKind kind() {
            return LineKind.MALFORMED;
        }
    }

    /** The log name of a buffer type code 0..4. */
    static String typeName(int code) {
        return BufferTypeCode.ofCode(code).logName();
    }
}
