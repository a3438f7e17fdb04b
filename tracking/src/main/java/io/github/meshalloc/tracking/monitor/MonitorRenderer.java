package io.github.meshalloc.tracking.monitor;

import com.google.common.base.Preconditions;
import com.google.common.base.Strings;
import io.github.meshalloc.tracking.log.GFormat;
import io.github.meshalloc.tracking.wire.ArchType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Renders the screen of {@code MUM/allocation_monitor_client.cpp} v1 or v2 as text, deterministically.
 *
 * <p>Models {@code main}'s banner and refresh loop and {@code MonitorClient::display_stats}, {@code format_bytes},
 * {@code calculate_utilization}, {@code get_color} and {@code print_bar} (reference 7), without the clear-screen
 * escape and with the {@code HH:MM:SS} time passed in. Every line ends with {@code '\n'} ({@code std::endl}).
 * v1's rule is 70 bytes 0x80 (the truncated {@code '─'}); in the returned String each is the char U+0080, and
 * {@link #toBytes(String)} turns them back into raw 0x80 bytes (all other text is UTF-8).
 */
public final class MonitorRenderer {

    private static final String RESET = "\033[0m";
    private static final String BOLD = "\033[1m";
    private static final String GREEN = "\033[32m";
    private static final String YELLOW = "\033[33m";
    private static final String RED = "\033[31m";
    private static final String CYAN = "\033[36m";
    private static final String[] UNITS = {"B", "KB", "MB", "GB", "TB"};
    private static final int BAR_WIDTH = 25;
    private static final char TRUNCATED_RULE_CHAR = '\u0080';

    private final MonitorVersion version;
    private final MonitorStyle style;

    /** A renderer for one monitor version and style. */
    public MonitorRenderer(MonitorVersion version, MonitorStyle style) {
        this.version = Preconditions.checkNotNull(version, "version");
        this.style = Preconditions.checkNotNull(style, "style");
    }

    /**
     * v2's auto-detection line, printed before the banner when {@code -a} or no {@code -d} was given.
     *
     * @throws IllegalStateException for v1 (which has no auto-detection)
     */
    public String autoDetectLine(long serverNumDevices) {
        Preconditions.checkState(version == MonitorVersion.V2, "monitor v1 has no device auto-detection");
        Preconditions.checkArgument(serverNumDevices >= 0, "serverNumDevices is %s; must be >= 0", serverNumDevices);
        return serverNumDevices > 0 ? "🔍 Auto-detected " + serverNumDevices + " device(s)\n"
                : "⚠️  No devices detected, defaulting to device 0\n";
    }

    /** The start banner (a blank line first, a blank line after). */
    public String banner(List<Integer> deviceIds, int refreshMs) {
        Preconditions.checkNotNull(deviceIds, "deviceIds");
        Preconditions.checkArgument(!deviceIds.isEmpty(), "the monitor always watches at least one device");
        return "\n📊 Allocation Server Monitor\n"
                + "   Monitoring device(s): "
                + deviceIds.stream().map(String::valueOf).collect(Collectors.joining(", ")) + "\n"
                + "   Refresh: " + refreshMs + "ms\n"
                + "   Press Ctrl+C to exit\n\n";
    }

    /**
     * One refresh of the screen.
     *
     * @param devices          snapshots in display order (one QUERY each)
     * @param refreshMs        the {@code -r} value
     * @param time             {@code HH:MM:SS} local time
     * @param serverNumDevices v2: the device count the server reported (decides the single-device hint); ignored by v1
     * @throws IllegalArgumentException for an empty device list, a malformed time, or (v1) a snapshot whose totals are
     *                                  not v1's fixed 12 GiB / 75 MiB or that carries a device description
     */
    public String frame(List<DeviceMemorySnapshot> devices, int refreshMs, String time, long serverNumDevices) {
        Preconditions.checkNotNull(devices, "devices");
        Preconditions.checkArgument(!devices.isEmpty(), "the monitor always displays at least one device");
        checkTime(time);
        StringBuilder sb = new StringBuilder(2048);
        String doubleRule = Strings.repeat("═", 71);
        sb.append(doubleRule).append('\n');
        sb.append("  Cross-Process Memory Monitor (via Allocation Server)\n");
        sb.append(doubleRule).append('\n');
        sb.append("Time: ").append(time).append(" | Refresh: ").append(refreshMs).append("ms\n");
        sb.append('\n');
        for (DeviceMemorySnapshot d : devices) {
            device(sb, d);
        }
        sb.append("💡 TIP: This monitor sees allocations from ALL processes!\n");
        if (version == MonitorVersion.V1 && devices.size() == 1) {
            sb.append("   Add more devices with: -d 0 -d 1 -d 2  or use -a for all\n");
        } else if (version == MonitorVersion.V2 && devices.size() == 1 && serverNumDevices > 1) {
            sb.append("   Add more devices with: -d 0 -d 1 -d 2  or use -a to auto-detect all\n");
        }
        return sb.toString();
    }

    private static void checkTime(String time) {
        Preconditions.checkNotNull(time, "time");
        boolean ok = time.length() == 8 && time.charAt(2) == ':' && time.charAt(5) == ':';
        for (int i : new int[] {0, 1, 3, 4, 6, 7}) {
            ok = ok && Character.isDigit(time.charAt(i));
        }
        Preconditions.checkArgument(ok, "time '%s' is not HH:MM:SS (strftime %%H:%%M:%%S)", time);
    }

    private void device(StringBuilder sb, DeviceMemorySnapshot d) {
        DeviceDescription info = d.description();
        if (version == MonitorVersion.V1) {
            Preconditions.checkArgument(!info.available(),
                    "monitor v1 has no device info, but device %s's snapshot carries one", d.deviceId());
            Preconditions.checkArgument(d.dramTotal() == DeviceMemorySnapshot.DEFAULT_DRAM_TOTAL
                            && d.l1Total() == DeviceMemorySnapshot.DEFAULT_L1_TOTAL,
                    "monitor v1 always divides by 12 GiB DRAM and 75 MiB L1, but device %s's snapshot has %s / %s",
                    d.deviceId(), d.dramTotal(), d.l1Total());
        }
        sb.append(style(BOLD)).append(style(CYAN)).append("Device ").append(d.deviceId());
        if (version == MonitorVersion.V2 && info.available()) {
            sb.append(" (").append(ArchType.displayName(info.archType())).append(')');
        }
        sb.append(style(RESET)).append('\n');
        if (version == MonitorVersion.V1) {
            sb.append(Strings.repeat(String.valueOf(TRUNCATED_RULE_CHAR), 70)).append('\n');
        } else {
            sb.append(Strings.repeat("-", 70)).append('\n');
        }
        usageLine(sb, "  DRAM:   ", d.dramUsed(), d.dramTotal());
        usageLine(sb, "  L1:     ", d.l1Used(), d.l1Total());
        if (d.l1SmallUsed() != 0) {
            sb.append("  L1_SMALL: ").append(formatBytes(d.l1SmallUsed())).append('\n');
        }
        if (d.traceUsed() != 0) {
            sb.append("  TRACE:    ").append(formatBytes(d.traceUsed())).append('\n');
        }
        if (version == MonitorVersion.V2 && info.available()) {
            sb.append("  ").append(style(BOLD)).append("Device Info:").append(style(RESET)).append(' ')
                    .append(info.numDramChannels()).append(" DRAM channels, ")
                    .append(formatBytes(info.l1SizePerCore())).append(" L1/core\n");
        }
        sb.append('\n');
    }

    private void usageLine(StringBuilder sb, String label, long used, long total) {
        sb.append(label).append(Strings.padStart(formatBytes(used), 12, ' ')).append(" / ")
                .append(Strings.padStart(formatBytes(total), 12, ' ')).append("  ");
        bar(sb, utilization(used, total));
        sb.append('\n');
    }

    private void bar(StringBuilder sb, double percentage) {
        sb.append('[');
        int filled = x86Truncate((percentage / 100.0) * BAR_WIDTH);
        String color = color(percentage);
        for (int i = 0; i < BAR_WIDTH; i++) {
            if (i < filled) {
                sb.append(style(color)).append('█').append(style(RESET));
            } else {
                sb.append('░');
            }
        }
        sb.append("] ").append(style(color)).append(GFormat.fixed(percentage, 1)).append('%').append(style(RESET));
    }

    /**
     * C++ {@code static_cast<int>(double)} as x86-64 executes it ({@code cvttsd2si}): truncation toward zero, and the
     * "integer indefinite" value INT_MIN for NaN or out-of-range values (Java's cast would saturate instead). A wrapped
     * counter (~1.8e19 bytes) therefore draws an empty bar with a huge percentage, as the C++ does.
     */
    static int x86Truncate(double v) {
        if (Double.isNaN(v) || v >= 2147483648.0 || v <= -2147483649.0) {
            return Integer.MIN_VALUE;
        }
        return (int) v;
    }

    private String style(String code) {
        return style == MonitorStyle.ANSI ? code : "";
    }

    /** {@code calculate_utilization}: used / total × 100, or 0 when total is 0 (both unsigned). */
    public static double utilization(long used, long total) {
        if (total == 0) {
            return 0.0;
        }
        return (GFormat.unsignedToDouble(used) / GFormat.unsignedToDouble(total)) * 100.0;
    }

    /** {@code get_color}: red at 90 % and above, yellow at 75 %, else green (ANSI codes). */
    static String color(double percentage) {
        if (percentage >= 90.0) {
            return RED;
        }
        if (percentage >= 75.0) {
            return YELLOW;
        }
        return GREEN;
    }

    /** {@code format_bytes}: divide by 1024 while at least 1024, up to TB; two decimals (glibc rounding) + unit. */
    public static String formatBytes(long bytes) {
        int unit = 0;
        double size = GFormat.unsignedToDouble(bytes);
        while (size >= 1024.0 && unit < 4) {
            size /= 1024.0;
            unit++;
        }
        return GFormat.fixed(size, 2) + " " + UNITS[unit];
    }

    /** The bytes the C++ monitor writes for {@code text}: UTF-8, except U+0080 (v1's truncated rule) as byte 0x80. */
    public static byte[] toBytes(String text) {
        Preconditions.checkNotNull(text, "text");
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() * 2);
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == TRUNCATED_RULE_CHAR) {
                out.writeBytes(text.substring(start, i).getBytes(StandardCharsets.UTF_8));
                out.write(0x80);
                start = i + 1;
            }
        }
        out.writeBytes(text.substring(start).getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
