package io.github.meshalloc.tracking.log;

/**
 * The kind of a server output line: one constant per {@link LogEvent} record type.
 *
 * <p>Models the distinct {@code std::cout}/{@code std::cerr} statements of {@code MUM/allocation_server_poc.cpp}
 * and {@code MUM/allocation_server_enhanced.cpp} (reference section 4). {@link #isPerEvent()} marks the per-event
 * lines of the section 4 table: a line that starts like one of them but does not match its grammar is malformed;
 * every other kind is structural (statistics, dump, sweep, start-up) or free text.
 */
public enum LineKind {
    /** {@code ✓ [PID p] Allocated n bytes of TYPE on device d (buffer_id=ID)}. */
    ALLOC_NEW(LogStream.STDOUT, true),
    /** {@code ✓ [PID p] Allocated n bytes of TYPE on device d (buffer_id=ID, ref_count=r)}. */
    ALLOC_DUP(LogStream.STDOUT, true),
    /** {@code ✗ [PID p] Freed buffer ID on device d (n bytes, ref_count=r remaining)}. */
    FREE_PARTIAL(LogStream.STDOUT, true),
    /** {@code ✗ [PID p] Freed buffer ID on device d (n bytes, FINAL)}. */
    FREE_FINAL(LogStream.STDOUT, true),
    /** {@code ✗ [PID p] Freed buffer ID on device d (n bytes)} (E1). */
    FREE_E1(LogStream.STDOUT, true),
    /** {@code ✗ [PID p] Freed buffer ID (n bytes)} (E0). */
    FREE_E0(LogStream.STDOUT, true),
    /** {@code ⚠ [PID p] Deallocation for unknown buffer ID on device d (allocated before tracking started)}. */
    UNKNOWN_FREE(LogStream.STDOUT, true),
    /** {@code ⚠ Warning: Deallocation for unknown buffer ID} (E0/E1). */
    UNKNOWN_FREE_LEGACY(LogStream.STDOUT, true),
    /** History server: unknown key without history. */
    UNKNOWN_FREE_NEVER_TRACKED(LogStream.STDOUT, true),
    /** History server: unknown key with history. */
    ALREADY_FREED(LogStream.STDOUT, true),
    /** History server: one event of a key's history. */
    HISTORY_LINE(LogStream.STDOUT, false),
    /** History server: duplicate ALLOC with a different size. */
    SIZE_CHANGED(LogStream.STDOUT, true),
    /** S1-S4 (and the inferred E0/E1) rejected buffer type. */
    BAD_TYPE(LogStream.STDERR, true),
    /** S5 rejected buffer type. */
    BAD_TYPE_S5(LogStream.STDERR, true),
    /** History server rejected buffer type. */
    BAD_TYPE_SHORT(LogStream.STDERR, true),
    /** S5 rejected device id. */
    BAD_DEVICE(LogStream.STDERR, true),
    /** S5 rejected size. */
    BAD_SIZE(LogStream.STDERR, true),
    /** Unhandled type byte. */
    UNKNOWN_TYPE(LogStream.STDERR, true),
    /** S5 framing gave up on a connection. */
    RESYNC_GIVE_UP(LogStream.STDERR, true),
    /** S5 CB allocation. */
    CB_ALLOC(LogStream.STDOUT, true),
    /** S5 CB free. */
    CB_FREE(LogStream.STDOUT, true),
    /** S5 kernel load. */
    KERNEL_LOAD(LogStream.STDOUT, true),
    /** S5 kernel unload. */
    KERNEL_UNLOAD(LogStream.STDOUT, true),
    /** A fixed line ({@link ConstantLine}). */
    CONSTANT(LogStream.STDOUT, false),
    /** {@code Total tracked allocations: N}. */
    TOTAL_TRACKED(LogStream.STDOUT, false),
    /** Dump {@code Device d:}. */
    DUMP_DEVICE(LogStream.STDOUT, false),
    /** Dump {@code   TYPE: N buffers, G MB total}. */
    DUMP_TYPE_GROUP(LogStream.STDOUT, false),
    /** Dump {@code     - Buffer 0xHEX: G KB (PID p, ref_count=r)}. */
    DUMP_BUFFER(LogStream.STDOUT, false),
    /** History server dump {@code       History (allocs=A frees=F):}. */
    DUMP_HISTORY_HEADER(LogStream.STDOUT, false),
    /** {@code Total remaining buffers: N}. */
    TOTAL_REMAINING(LogStream.STDOUT, false),
    /** History server {@code ⚠️  However, found N buffers that were DOUBLE-FREED during execution!}. */
    DOUBLE_FREED_SUMMARY(LogStream.STDOUT, false),
    /** History server {@code Buffer 0xHEX on device d:}. */
    DOUBLE_FREED_BUFFER(LogStream.STDOUT, false),
    /** History server {@code   Total allocs: A, Total frees: F}. */
    DOUBLE_FREED_TOTALS(LogStream.STDOUT, false),
    /** Sweep {@code    PID p is dead, removing its buffers...}. */
    SWEEP_DEAD_PID(LogStream.STDOUT, false),
    /** Sweep {@code    ✓ Removed N buffers|CBs|kernels (G MB) from PID p}. */
    SWEEP_REMOVED(LogStream.STDOUT, false),
    /** Statistics {@code   Device i:}. */
    STATS_DEVICE(LogStream.STDOUT, false),
    /** Statistics {@code     Buffers: n}. */
    STATS_BUFFERS(LogStream.STDOUT, false),
    /** Statistics {@code     DRAM|L1: n bytes (G KB)}. */
    STATS_BYTES_KB(LogStream.STDOUT, false),
    /** Statistics {@code     DRAM|L1|Total: n bytes}. */
    STATS_BYTES(LogStream.STDOUT, false),
    /** History server statistics {@code     DRAM|L1|Total: G KB}. */
    STATS_KB(LogStream.STDOUT, false),
    /** Statistics {@code   Active allocations: N}. */
    ACTIVE_ALLOCATIONS(LogStream.STDOUT, false),
    /** DUMP_KERNELS {@code Total kernel allocations: N}. */
    KERNEL_DUMP_TOTAL(LogStream.STDOUT, false),
    /** DUMP_KERNELS {@code 📊 Device d - Total: G MB (n kernels)}. */
    KERNEL_DEVICE_HEADER(LogStream.STDOUT, false),
    /** DUMP_KERNELS {@code   │ Kernel ID: 0xHEX}. */
    KERNEL_ID(LogStream.STDOUT, false),
    /** DUMP_KERNELS {@code   │   Size:      G KB}. */
    KERNEL_SIZE(LogStream.STDOUT, false),
    /** DUMP_KERNELS {@code   │   Owner PID: p}. */
    KERNEL_OWNER(LogStream.STDOUT, false),
    /** DUMP_KERNELS {@code   │   Age:       n seconds}. */
    KERNEL_AGE(LogStream.STDOUT, false),
    /** Start-up {@code    Device i: ARCH (nGB DRAM, nMB L1)} (S5: plus {@code  [Local]}/{@code  [Remote]}). */
    DETECTED_DEVICE(LogStream.STDOUT, false),
    /** Start-up {@code    Total: N [PCIe ]device(s) detected}. */
    DETECTION_TOTAL(LogStream.STDOUT, false),
    /** Start-up {@code    Warning: Found N devices, limiting to 8}. */
    DETECTION_LIMIT(LogStream.STDOUT, false),
    /** Start-up {@code    Warning: Could not query device i: error} (stderr). */
    DEVICE_QUERY_FAILED(LogStream.STDERR, false),
    /** S5 start-up verbose per-chip lines ({@code Arch: ...}, {@code Grid size: XxY}, ...). */
    SOC_DETAIL(LogStream.STDOUT, false),
    /** A line no server grammar recognises (parser only). */
    OTHER(LogStream.STDOUT, false),
    /** A line that starts like a per-event line but is malformed (lenient parser only). */
    MALFORMED(LogStream.STDOUT, false);

    private final LogStream stream;
    private final boolean perEvent;

    LineKind(LogStream stream, boolean perEvent) {
        this.stream = stream;
        this.perEvent = perEvent;
    }

    /** The stream the server writes this kind of line to. */
    public LogStream stream() {
        return stream;
    }

    /** Whether this is a per-event line of the reference section 4 table (malformed variants are errors). */
    public boolean isPerEvent() {
        return perEvent;
    }
}
