package io.github.meshalloc.tracking.log;

import io.github.meshalloc.tracking.log.LogEvent.AllocDup;
import io.github.meshalloc.tracking.log.LogEvent.AllocNew;
import io.github.meshalloc.tracking.log.LogEvent.AlreadyFreed;
import io.github.meshalloc.tracking.log.LogEvent.BadDevice;
import io.github.meshalloc.tracking.log.LogEvent.BadSize;
import io.github.meshalloc.tracking.log.LogEvent.BadType;
import io.github.meshalloc.tracking.log.LogEvent.BadTypeS5;
import io.github.meshalloc.tracking.log.LogEvent.BadTypeShort;
import io.github.meshalloc.tracking.log.LogEvent.CbAlloc;
import io.github.meshalloc.tracking.log.LogEvent.CbFree;
import io.github.meshalloc.tracking.log.LogEvent.DetectedDevice;
import io.github.meshalloc.tracking.log.LogEvent.DetectionTotal;
import io.github.meshalloc.tracking.log.LogEvent.DeviceQueryFailed;
import io.github.meshalloc.tracking.log.LogEvent.DoubleFreedBuffer;
import io.github.meshalloc.tracking.log.LogEvent.DoubleFreedTotals;
import io.github.meshalloc.tracking.log.LogEvent.DumpBuffer;
import io.github.meshalloc.tracking.log.LogEvent.DumpHistoryHeader;
import io.github.meshalloc.tracking.log.LogEvent.DumpTypeGroup;
import io.github.meshalloc.tracking.log.LogEvent.FreeE0;
import io.github.meshalloc.tracking.log.LogEvent.FreeE1;
import io.github.meshalloc.tracking.log.LogEvent.FreeFinal;
import io.github.meshalloc.tracking.log.LogEvent.FreePartial;
import io.github.meshalloc.tracking.log.LogEvent.HistoryLine;
import io.github.meshalloc.tracking.log.LogEvent.KernelDeviceHeader;
import io.github.meshalloc.tracking.log.LogEvent.KernelLoad;
import io.github.meshalloc.tracking.log.LogEvent.KernelUnload;
import io.github.meshalloc.tracking.log.LogEvent.SizeChanged;
import io.github.meshalloc.tracking.log.LogEvent.SocDetail;
import io.github.meshalloc.tracking.log.LogEvent.StatsBytes;
import io.github.meshalloc.tracking.log.LogEvent.StatsBytesKb;
import io.github.meshalloc.tracking.log.LogEvent.StatsKb;
import io.github.meshalloc.tracking.log.LogEvent.SweepRemoved;
import io.github.meshalloc.tracking.log.LogEvent.UnknownFree;
import io.github.meshalloc.tracking.log.LogEvent.UnknownFreeNeverTracked;
import com.google.common.base.Preconditions;
import com.google.common.base.Strings;
import java.util.List;

/**
 * Renders {@link LogEvent}s to the exact text the C++ servers print (without the trailing newline).
 *
 * <p>Models the {@code std::cout << ...} / {@code std::cerr << ...} statements of
 * {@code MUM/allocation_server_poc.cpp} (S1-S5, and the inferred E0/E1 forms) and
 * {@code MUM/allocation_server_enhanced.cpp}, with the grammar of reference section 4: glyphs ✓ U+2713, ✗ U+2717,
 * bare ⚠ U+26A0 in per-event lines, {@code ⚠️} (U+26A0 U+FE0F) followed by two spaces in sweep and S5 validation
 * lines, unsigned decimal or {@code 0x}-hex ids, {@code %g} figures ({@link GFormat}). Stateless.
 */
public final class ServerLogWriter {

    private ServerLogWriter() {
    }

    /** The line as printed. */
    public static String render(LogEvent event) {
        Preconditions.checkNotNull(event, "event");
        StringBuilder sb = new StringBuilder(96);
        append(sb, event);
        return sb.toString();
    }

    /** The event as a {@link ServerLine} (stream, kind, text). */
    public static ServerLine line(LogEvent event) {
        return new ServerLine(event.stream(), event.kind(), render(event), event);
    }

    /** All events, one line each, every line terminated by {@code '\n'} (as {@code std::endl} does). */
    public static String renderAll(List<? extends LogEvent> events) {
        StringBuilder sb = new StringBuilder(events.size() * 64);
        for (LogEvent e : events) {
            append(sb, e);
            sb.append('\n');
        }
        return sb.toString();
    }

    private static void u64(StringBuilder sb, long v) {
        if (v >= 0) {
            sb.append(v);
        } else {
            sb.append(Long.toUnsignedString(v));
        }
    }

    private static void hex(StringBuilder sb, long v) {
        sb.append("0x").append(Long.toHexString(v));
    }

    private static void g(StringBuilder sb, double v) {
        sb.append(GFormat.g(v));
    }

    static void append(StringBuilder sb, LogEvent event) {
        switch (event.kind()) {
            case ALLOC_NEW: {
                AllocNew e = (AllocNew) event;
                allocHead(sb, e.pid(), e.size(), e.bufferType(), e.device());
                e.idFormat().appendTo(sb, e.bufferId());
                sb.append(')');
                return;
            }
            case ALLOC_DUP: {
                AllocDup e = (AllocDup) event;
                allocHead(sb, e.pid(), e.size(), e.bufferType(), e.device());
                e.idFormat().appendTo(sb, e.bufferId());
                sb.append(", ref_count=").append(e.refCount()).append(')');
                return;
            }
            case FREE_PARTIAL: {
                FreePartial e = (FreePartial) event;
                freeHead(sb, e.pid(), e.bufferId(), e.idFormat(), e.device(), e.size());
                sb.append(" bytes, ref_count=").append(e.refCount()).append(" remaining)");
                return;
            }
            case FREE_FINAL: {
                FreeFinal e = (FreeFinal) event;
                freeHead(sb, e.pid(), e.bufferId(), e.idFormat(), e.device(), e.size());
                sb.append(" bytes, FINAL)");
                return;
            }
            case FREE_E1: {
                FreeE1 e = (FreeE1) event;
                freeHead(sb, e.pid(), e.bufferId(), e.idFormat(), e.device(), e.size());
                sb.append(" bytes)");
                return;
            }
            case FREE_E0: {
                FreeE0 e = (FreeE0) event;
                sb.append("✗ [PID ").append(e.pid()).append("] Freed buffer ");
                e.idFormat().appendTo(sb, e.bufferId());
                sb.append(" (");
                u64(sb, e.size());
                sb.append(" bytes)");
                return;
            }
            case UNKNOWN_FREE: {
                UnknownFree e = (UnknownFree) event;
                sb.append("⚠ [PID ").append(e.pid()).append("] Deallocation for unknown buffer ");
                e.idFormat().appendTo(sb, e.bufferId());
                sb.append(" on device ").append(e.device()).append(" (allocated before tracking started)");
                return;
            }
            case UNKNOWN_FREE_LEGACY:
                sb.append("⚠ Warning: Deallocation for unknown buffer ");
                u64(sb, ((LogEvent.UnknownFreeLegacy) event).bufferId());
                return;
            case UNKNOWN_FREE_NEVER_TRACKED: {
                UnknownFreeNeverTracked e = (UnknownFreeNeverTracked) event;
                sb.append("⚠ [PID ").append(e.pid()).append("] Deallocation for unknown buffer ");
                hex(sb, e.bufferId());
                sb.append(" on device ").append(e.device())
                        .append(" (never tracked or allocated before server started)");
                return;
            }
            case ALREADY_FREED: {
                AlreadyFreed e = (AlreadyFreed) event;
                sb.append("⚠ [PID ").append(e.pid()).append("] Deallocation for ALREADY FREED buffer ");
                hex(sb, e.bufferId());
                sb.append(" on device ").append(e.device()).append(" (allocs=").append(e.allocs())
                        .append(" frees=").append(e.frees()).append(')');
                return;
            }
            case HISTORY_LINE: {
                HistoryLine e = (HistoryLine) event;
                sb.append(Strings.repeat(" ", e.indent())).append(e.event().name()).append(" size=");
                u64(sb, e.size());
                sb.append(" pid=").append(e.pid()).append(" ref=").append(e.refCount());
                return;
            }
            case SIZE_CHANGED: {
                SizeChanged e = (SizeChanged) event;
                sb.append("⚠ [PID ").append(e.pid()).append("] Buffer reused with DIFFERENT size: old=");
                u64(sb, e.oldSize());
                sb.append(" new=");
                u64(sb, e.newSize());
                sb.append(" (buffer_id=");
                u64(sb, e.bufferId());
                sb.append(", device=").append(e.device()).append(')');
                return;
            }
            case BAD_TYPE: {
                BadType e = (BadType) event;
                sb.append("⚠ [PID ").append(e.pid()).append("] Invalid buffer_type ").append(e.type())
                        .append(" for buffer ");
                u64(sb, e.bufferId());
                sb.append(" on device ").append(e.device());
                return;
            }
            case BAD_TYPE_S5: {
                BadTypeS5 e = (BadTypeS5) event;
                sb.append("⚠️  Invalid buffer_type ").append(e.type()).append(" for buffer ");
                u64(sb, e.bufferId());
                sb.append(" on device ").append(e.device());
                return;
            }
            case BAD_TYPE_SHORT: {
                BadTypeShort e = (BadTypeShort) event;
                sb.append("⚠ [PID ").append(e.pid()).append("] Invalid buffer_type ").append(e.type());
                return;
            }
            case BAD_DEVICE:
                sb.append("⚠️  Invalid device_id ").append(((BadDevice) event).device())
                        .append(" - ignoring message");
                return;
            case BAD_SIZE:
                sb.append("⚠️  Invalid size ");
                u64(sb, ((BadSize) event).size());
                sb.append(" - ignoring message");
                return;
            case UNKNOWN_TYPE:
                sb.append("Unknown message type: ").append(((LogEvent.UnknownType) event).type());
                return;
            case RESYNC_GIVE_UP:
                sb.append("⚠️  Too many consecutive errors (").append(((LogEvent.ResyncGiveUp) event).count())
                        .append(") - closing connection (likely protocol mismatch)");
                return;
            case CB_ALLOC: {
                CbAlloc e = (CbAlloc) event;
                sb.append("✓ [CB_ALLOC] Device ").append(e.device()).append(": +");
                mbTail(sb, e.mb(), e.totalMb());
                return;
            }
            case CB_FREE: {
                CbFree e = (CbFree) event;
                sb.append("✗ [CB_FREE] Device ").append(e.device()).append(": -");
                mbTail(sb, e.mb(), e.totalMb());
                return;
            }
            case KERNEL_LOAD: {
                KernelLoad e = (KernelLoad) event;
                sb.append("✓ [KERNEL_LOAD] ").append(e.kernelKind().logName()).append(" kernel on Device ")
                        .append(e.device()).append(": +");
                mbTail(sb, e.mb(), e.totalMb());
                return;
            }
            case KERNEL_UNLOAD: {
                KernelUnload e = (KernelUnload) event;
                sb.append("✗ [KERNEL_UNLOAD] ").append(e.kernelKind().logName()).append(" kernel on Device ")
                        .append(e.device()).append(": -");
                mbTail(sb, e.mb(), e.totalMb());
                return;
            }
            case CONSTANT:
                sb.append(((LogEvent.Constant) event).line().text());
                return;
            case TOTAL_TRACKED:
                sb.append("Total tracked allocations: ").append(((LogEvent.TotalTracked) event).count());
                return;
            case DUMP_DEVICE:
                sb.append("Device ").append(((LogEvent.DumpDevice) event).device()).append(':');
                return;
            case DUMP_TYPE_GROUP: {
                DumpTypeGroup e = (DumpTypeGroup) event;
                sb.append("  ").append(LogEvent.typeName(e.bufferType())).append(": ").append(e.count())
                        .append(" buffers, ");
                g(sb, e.mb());
                sb.append(" MB total");
                return;
            }
            case DUMP_BUFFER: {
                DumpBuffer e = (DumpBuffer) event;
                sb.append("    - Buffer ");
                hex(sb, e.bufferId());
                sb.append(": ");
                g(sb, e.kb());
                sb.append(" KB (PID ").append(e.pid()).append(", ref_count=").append(e.refCount()).append(')');
                return;
            }
            case DUMP_HISTORY_HEADER: {
                DumpHistoryHeader e = (DumpHistoryHeader) event;
                sb.append("      History (allocs=").append(e.allocs()).append(" frees=").append(e.frees())
                        .append("):");
                return;
            }
            case TOTAL_REMAINING:
                sb.append("Total remaining buffers: ").append(((LogEvent.TotalRemaining) event).count());
                return;
            case DOUBLE_FREED_SUMMARY:
                sb.append("⚠️  However, found ").append(((LogEvent.DoubleFreedSummary) event).count())
                        .append(" buffers that were DOUBLE-FREED during execution!");
                return;
            case DOUBLE_FREED_BUFFER: {
                DoubleFreedBuffer e = (DoubleFreedBuffer) event;
                sb.append("Buffer ");
                hex(sb, e.bufferId());
                sb.append(" on device ").append(e.device()).append(':');
                return;
            }
            case DOUBLE_FREED_TOTALS: {
                DoubleFreedTotals e = (DoubleFreedTotals) event;
                sb.append("  Total allocs: ").append(e.allocs()).append(", Total frees: ").append(e.frees());
                return;
            }
            case SWEEP_DEAD_PID:
                sb.append("   PID ").append(((LogEvent.SweepDeadPid) event).pid())
                        .append(" is dead, removing its buffers...");
                return;
            case SWEEP_REMOVED: {
                SweepRemoved e = (SweepRemoved) event;
                sb.append("   ✓ Removed ").append(e.count()).append(' ').append(e.category().word()).append(" (");
                g(sb, e.mb());
                sb.append(" MB) from PID ").append(e.pid());
                return;
            }
            case STATS_DEVICE:
                sb.append("  Device ").append(((LogEvent.StatsDevice) event).device()).append(':');
                return;
            case STATS_BUFFERS:
                sb.append("    Buffers: ");
                u64(sb, ((LogEvent.StatsBuffers) event).count());
                return;
            case STATS_BYTES_KB: {
                StatsBytesKb e = (StatsBytesKb) event;
                sb.append("    ").append(e.label().word()).append(": ");
                u64(sb, e.bytes());
                sb.append(" bytes (");
                g(sb, e.kb());
                sb.append(" KB)");
                return;
            }
            case STATS_BYTES: {
                StatsBytes e = (StatsBytes) event;
                sb.append("    ").append(e.label().word()).append(": ");
                u64(sb, e.bytes());
                sb.append(" bytes");
                return;
            }
            case STATS_KB: {
                StatsKb e = (StatsKb) event;
                sb.append("    ").append(e.label().word()).append(": ");
                g(sb, e.kb());
                sb.append(" KB");
                return;
            }
            case ACTIVE_ALLOCATIONS:
                sb.append("  Active allocations: ").append(((LogEvent.ActiveAllocations) event).count());
                return;
            case KERNEL_DUMP_TOTAL:
                sb.append("Total kernel allocations: ").append(((LogEvent.KernelDumpTotal) event).count());
                return;
            case KERNEL_DEVICE_HEADER: {
                KernelDeviceHeader e = (KernelDeviceHeader) event;
                sb.append("📊 Device ").append(e.device()).append(" - Total: ");
                g(sb, e.mb());
                sb.append(" MB (").append(e.count()).append(" kernels)");
                return;
            }
            case KERNEL_ID:
                sb.append("  │ Kernel ID: ");
                hex(sb, ((LogEvent.KernelIdLine) event).kernelId());
                return;
            case KERNEL_SIZE:
                sb.append("  │   Size:      ");
                g(sb, ((LogEvent.KernelSizeLine) event).kb());
                sb.append(" KB");
                return;
            case KERNEL_OWNER:
                sb.append("  │   Owner PID: ").append(((LogEvent.KernelOwnerLine) event).pid());
                return;
            case KERNEL_AGE:
                sb.append("  │   Age:       ").append(((LogEvent.KernelAgeLine) event).seconds()).append(" seconds");
                return;
            case DETECTED_DEVICE: {
                DetectedDevice e = (DetectedDevice) event;
                sb.append("   Device ").append(e.index()).append(": ").append(e.archName()).append(" (");
                u64(sb, e.gb());
                sb.append("GB DRAM, ");
                u64(sb, e.mb());
                sb.append("MB L1)");
                if (e.locality() == LogEvent.Locality.LOCAL) {
                    sb.append(" [Local]");
                } else if (e.locality() == LogEvent.Locality.REMOTE) {
                    sb.append(" [Remote]");
                }
                return;
            }
            case DETECTION_TOTAL: {
                DetectionTotal e = (DetectionTotal) event;
                sb.append("   Total: ").append(e.count()).append(e.pcie() ? " PCIe device(s) detected"
                        : " device(s) detected");
                return;
            }
            case DETECTION_LIMIT:
                sb.append("   Warning: Found ").append(((LogEvent.DetectionLimit) event).found())
                        .append(" devices, limiting to 8");
                return;
            case DEVICE_QUERY_FAILED: {
                DeviceQueryFailed e = (DeviceQueryFailed) event;
                sb.append("   Warning: Could not query device ").append(e.index()).append(": ").append(e.error());
                return;
            }
            case SOC_DETAIL: {
                SocDetail e = (SocDetail) event;
                sb.append(e.label().label()).append(": ").append(e.value());
                return;
            }
            case OTHER:
                sb.append(((LogEvent.Other) event).text());
                return;
            case MALFORMED:
                sb.append(((LogEvent.Malformed) event).text());
                return;
            default:
                throw new AssertionError(event.kind());
        }
    }

    private static void allocHead(StringBuilder sb, int pid, long size, int type, int device) {
        sb.append("✓ [PID ").append(pid).append("] Allocated ");
        u64(sb, size);
        sb.append(" bytes of ").append(LogEvent.typeName(type)).append(" on device ").append(device)
                .append(" (buffer_id=");
    }

    private static void freeHead(StringBuilder sb, int pid, long id, IdFormat format, int device, long size) {
        sb.append("✗ [PID ").append(pid).append("] Freed buffer ");
        format.appendTo(sb, id);
        sb.append(" on device ").append(device).append(" (");
        u64(sb, size);
    }

    private static void mbTail(StringBuilder sb, double mb, double totalMb) {
        g(sb, mb);
        sb.append(" MB (Total: ");
        g(sb, totalMb);
        sb.append(" MB)");
    }
}
