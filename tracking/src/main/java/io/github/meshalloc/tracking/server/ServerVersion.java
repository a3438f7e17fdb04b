package io.github.meshalloc.tracking.server;

import io.github.meshalloc.tracking.log.IdFormat;
import io.github.meshalloc.tracking.wire.MessageType;
import io.github.meshalloc.tracking.wire.RecordFormat;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which allocation server is being modelled.
 *
 * <p>Models the stored versions of {@code MUM/allocation_server_poc.cpp} (S1 83d21905, S2 02f8b0c4, S3 d6d33ec9,
 * S4 45039855, S5 a81ea34f), the history server {@code MUM/allocation_server_enhanced.cpp} (83d21905), and the two
 * earlier eras known only from notes (reference sections 0, 5, 10; E0/E1 behaviour is inferred):
 * <ul>
 *   <li>{@link #E0}: registry keyed by buffer id alone; FREE uses the stored device; no reference count. Inferred: a
 *       duplicate ALLOC overwrites the entry and adds buffer count and bytes again (the naive
 *       {@code allocations_[id] = info; stats += size} reading, and the counts of the MUM/BUILD_ALLOCATION_SERVER.md
 *       sample); statistics lines print bytes only (that note's sample).</li>
 *   <li>{@link #E1A} / {@link #E1R}: key (device, buffer id), no reference count; a duplicate ALLOC overwrites the
 *       entry. E1a adds count and bytes again, E1r replaces them (old stored size out, new in, count unchanged);
 *       FREE erases the entry and subtracts its stored size once (seed-arithmetic.md assumption 1; E1a reproduces
 *       seed 004).</li>
 *   <li>{@link #S1}..{@link #S5}: key (device, buffer id) with reference counting (reference section 3).</li>
 *   <li>{@link #ENHANCED}: S1 semantics plus per-key history, replaced sizes on reuse, double-free reports.</li>
 * </ul>
 * Inferred for E0/E1 (no code in the index): the buffer-type rejection line has the S1 form; there is no
 * dead-process sweep and no DUMP_REMAINING (seed-arithmetic.md assumption 6; type 5 first seen in S1); the
 * unknown-FREE line is {@code ⚠ Warning: Deallocation for unknown buffer <id>} (ALLOCATION_TRACKING_LIMITATIONS-era
 * notes); the FREE line prints the stored owner pid like S1.
 */
public enum ServerVersion {
    /** First POC: key = buffer id, no ref count (inferred from notes). */
    E0,
    /** Key (device, id), no ref count, duplicate ALLOC adds counters again (inferred). */
    E1A,
    /** Key (device, id), no ref count, duplicate ALLOC replaces counters (inferred). */
    E1R,
    /** 83d21905: 72-byte records, decimal ids, ref counting, sweep every 5 s. */
    S1,
    /** 02f8b0c4: 112-byte records, device info via GetNumPCIeDevices. */
    S2,
    /** d6d33ec9: as S2 with GetNumAvailableDevices. */
    S3,
    /** 45039855: as S3 with 0x-hex ids. */
    S4,
    /** a81ea34f: 144-byte records, ALLOC validation, CB/kernel registries, resync framing, sweep every 3 s. */
    S5,
    /** allocation_server_enhanced.cpp 83d21905: S1 plus history. */
    ENHANCED;

    /** What a duplicate ALLOC (key already live) does. */
    public enum DuplicateAllocPolicy {
        /** ref_count += 1, nothing else (S1-S5; the history server also replaces the stored size). */
        REF_COUNT,
        /** Entry overwritten; buffer count and bytes added again (E0, E1a). */
        OVERWRITE_ADD_AGAIN,
        /** Entry overwritten; old stored size subtracted, new size added, count unchanged (E1r). */
        OVERWRITE_REPLACE
    }

    /** The form of the FREE line. */
    public enum FreeLineForm {
        /** {@code ✗ [PID p] Freed buffer ID (n bytes)}. */
        E0,
        /** {@code ✗ [PID p] Freed buffer ID on device d (n bytes)}. */
        E1,
        /** {@code ... (n bytes, ref_count=r remaining)} / {@code ... (n bytes, FINAL)}. */
        REF_COUNTED
    }

    /** The form of the per-device lines of the statistics block. */
    public enum StatisticsForm {
        /** {@code     DRAM: n bytes} (E0, inferred from notes). */
        BYTES_ONLY,
        /** {@code     DRAM: n bytes (G KB)} (S1-S5, E1). */
        BYTES_AND_KB,
        /** {@code     DRAM: G KB} (history server). */
        KB_ONLY
    }

    /** The record size this version's struct has. */
    public RecordFormat recordFormat() {
        switch (this) {
            case S2:
            case S3:
            case S4:
                return RecordFormat.BYTES_112;
            case S5:
                return RecordFormat.BYTES_144;
            default:
                return RecordFormat.BYTES_72;
        }
    }

    /** How buffer ids are printed in per-event lines. */
    public IdFormat idFormat() {
        return this == S4 || this == S5 || this == ENHANCED ? IdFormat.HEX : IdFormat.DECIMAL;
    }

    /** Whether the registry is keyed by buffer id alone (E0) rather than (device, buffer id). */
    public boolean keyedByBufferIdOnly() {
        return this == E0;
    }

    /** Whether a duplicate ALLOC increments a reference count. */
    public boolean refCounts() {
        return duplicateAllocPolicy() == DuplicateAllocPolicy.REF_COUNT;
    }

    /** What a duplicate ALLOC does. */
    public DuplicateAllocPolicy duplicateAllocPolicy() {
        switch (this) {
            case E0:
            case E1A:
                return DuplicateAllocPolicy.OVERWRITE_ADD_AGAIN;
            case E1R:
                return DuplicateAllocPolicy.OVERWRITE_REPLACE;
            default:
                return DuplicateAllocPolicy.REF_COUNT;
        }
    }

    /** The FREE line form. */
    public FreeLineForm freeLineForm() {
        switch (this) {
            case E0:
                return FreeLineForm.E0;
            case E1A:
            case E1R:
                return FreeLineForm.E1;
            default:
                return FreeLineForm.REF_COUNTED;
        }
    }

    /** Message types this version handles; any other type byte gets {@code Unknown message type: N}. */
    public Set<MessageType> handledTypes() {
        EnumSet<MessageType> s = EnumSet.of(MessageType.ALLOC, MessageType.FREE, MessageType.QUERY);
        if (hasSweep()) {
            s.add(MessageType.DUMP_REMAINING);
        }
        if (hasDeviceInfo()) {
            s.add(MessageType.DEVICE_INFO_QUERY);
        }
        if (hasCbKernelRegistries()) {
            s.addAll(EnumSet.of(MessageType.CB_ALLOC, MessageType.CB_FREE, MessageType.KERNEL_LOAD,
                    MessageType.KERNEL_UNLOAD, MessageType.DUMP_KERNELS));
        }
        return Collections.unmodifiableSet(s);
    }

    /** Whether this version handles {@code type}. */
    public boolean handles(MessageType type) {
        // Same answer as handledTypes().contains(type), without building the set on every message.
        if (type == null) {
            return false;
        }
        switch (type) {
            case ALLOC:
            case FREE:
            case QUERY:
                return true;
            case DUMP_REMAINING:
                return hasSweep();
            case DEVICE_INFO_QUERY:
                return hasDeviceInfo();
            case CB_ALLOC:
            case CB_FREE:
            case KERNEL_LOAD:
            case KERNEL_UNLOAD:
            case DUMP_KERNELS:
                return hasCbKernelRegistries();
            default:
                return false;
        }
    }

    /** S5: ALLOC validates device_id in [0,8) and 0 < size <= 100 GiB; type bytes outside 1..12 are resynced. */
    public boolean validatesAlloc() {
        return this == S5;
    }

    /** Whether a dead-process sweep exists (S1-S5, history server; not E0/E1). */
    public boolean hasSweep() {
        return this != E0 && this != E1A && this != E1R;
    }

    /** Background sweep period in seconds (informational; the model sweeps when asked); 0 = no sweep. */
    public int sweepPeriodSeconds() {
        if (!hasSweep()) {
            return 0;
        }
        return this == S5 ? 3 : 5;
    }

    /** Whether CB and kernel registries and messages exist (S5). */
    public boolean hasCbKernelRegistries() {
        return this == S5;
    }

    /** Whether the server detects devices and answers DEVICE_INFO_QUERY (S2-S5). */
    public boolean hasDeviceInfo() {
        return this == S2 || this == S3 || this == S4 || this == S5;
    }

    /** Whether per-key history is kept (history server). */
    public boolean hasHistory() {
        return this == ENHANCED;
    }

    /** The statistics block form. */
    public StatisticsForm statisticsForm() {
        if (this == E0) {
            return StatisticsForm.BYTES_ONLY;
        }
        return this == ENHANCED ? StatisticsForm.KB_ONLY : StatisticsForm.BYTES_AND_KB;
    }

    /** Whether this version's behaviour is inferred from notes rather than read from code (E0, E1a, E1r). */
    public boolean isInferred() {
        return !hasSweep();
    }
}
