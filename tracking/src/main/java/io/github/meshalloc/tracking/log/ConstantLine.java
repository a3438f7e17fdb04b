package io.github.meshalloc.tracking.log;

import com.google.common.base.Strings;
import com.google.common.collect.ImmutableMap;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Server output lines that never vary (banners, headers, box art, blank lines).
 *
 * <p>Models the fixed {@code std::cout} strings of {@code MUM/allocation_server_poc.cpp} (S1-S5) and
 * {@code MUM/allocation_server_enhanced.cpp}; a leading {@code "\n"} in the C++ is a separate {@link #BLANK} line
 * here. Box widths are those of the source: a 62-cell {@code ═} run between corners, and title rows one cell
 * shorter than the box (reference section 4, dump block).
 */
public enum ConstantLine {
    /** Empty line (from {@code std::endl} after {@code "\n"}, or {@code std::cout << std::endl}). */
    BLANK(""),
    /** Start banner of the POC server (all eras). */
    SERVER_STARTED("🚀 Allocation Server started"),
    /** Start banner of the history server. */
    ENHANCED_SERVER_STARTED("🚀 Enhanced Allocation Server started (with history tracking)"),
    /** Socket path line. */
    LISTENING("   Listening on: /tmp/tt_allocation_server.sock"),
    /** Banner tail (POC server). */
    PRESS_CTRL_C("   Press Ctrl+C to stop"),
    /** Sweep thread start (S1-S5; the text says 10 s whatever the real period). */
    CLEANUP_STARTED("🔄 Background cleanup thread started (checking every 10s)"),
    /** Sweep thread stop, at shutdown (S1-S5). */
    CLEANUP_STOPPED("🔄 Background cleanup thread stopped"),
    /** Shutdown line (preceded by a blank line). */
    SERVER_STOPPED("🛑 Allocation Server stopped"),
    /** S2-S4 device detection header. */
    DETECTION_HEADER_METAL("🔍 Device detection (using TT-Metal APIs):"),
    /** S5 device detection header. */
    DETECTION_HEADER_UMD("🔍 Device detection (using UMD Cluster for accurate specs):"),
    /** S2: nothing detected. */
    NO_PCIE_DEVICES("   No PCIe devices detected"),
    /** S3-S5: nothing detected. */
    NO_DEVICES("   No devices detected"),
    /** After "no devices". */
    TRACK_ANYWAY("   Server will track allocations anyway"),
    /** Statistics block header (preceded by a blank line). */
    STATS_HEADER("📊 Current Statistics:"),
    /** Sweep block header (preceded by a blank line). */
    SWEEP_HEADER("⚠️  Detected dead processes, cleaning up orphaned buffers..."),
    /** DUMP_REMAINING received (S1-S5). */
    DUMP_RECEIVED("📋 Received DUMP_REMAINING request..."),
    /** DUMP_REMAINING done (S1-S5). */
    DUMP_COMPLETE("📋 DUMP_REMAINING complete."),
    /** Box top. */
    BOX_TOP("╔" + Strings.repeat("═", 62) + "╗"),
    /** Box bottom. */
    BOX_BOTTOM("╚" + Strings.repeat("═", 62) + "╝"),
    /** Dump box title. */
    REMAINING_TITLE(title("REMAINING ALLOCATED BUFFERS")),
    /** DUMP_KERNELS box title. */
    KERNELS_TITLE(title("DETAILED KERNEL ALLOCATIONS")),
    /** History server double-free report title. */
    DOUBLE_FREED_TITLE(title("DOUBLE-FREED BUFFERS")),
    /** Empty registry at DUMP_REMAINING. */
    NO_BUFFERS_REMAINING("✓ No buffers remaining - perfect cleanup!"),
    /** History server, after an ALREADY FREED warning. */
    LAST_5_EVENTS("   Last 5 events for this buffer:"),
    /** History server double-free report, before the event list. */
    HISTORY_LABEL("  History:"),
    /** DUMP_KERNELS per-device table top. */
    KERNEL_TABLE_TOP("  ┌" + Strings.repeat("─", 57) + "┐"),
    /** DUMP_KERNELS per-device table bottom. */
    KERNEL_TABLE_BOTTOM("  └" + Strings.repeat("─", 57) + "┘"),
    /** DUMP_KERNELS spacer after each kernel. */
    KERNEL_SPACER("  │"),
    /** DUMP_KERNELS done (preceded by a blank line). */
    DUMP_KERNELS_COMPLETE("📋 DUMP_KERNELS complete.");

    private static final Map<String, ConstantLine> BY_TEXT = Arrays.stream(values())
            .collect(ImmutableMap.toImmutableMap(ConstantLine::text, Function.identity()));

    private final String text;

    ConstantLine(String text) {
        this.text = text;
    }

    private static String title(String title) {
        return "║           " + title + Strings.repeat(" ", 50 - title.length()) + "║";
    }

    /** The exact line text (without the newline). */
    public String text() {
        return text;
    }

    /** The constant whose text is exactly {@code line}. */
    public static Optional<ConstantLine> ofText(String line) {
        return Optional.ofNullable(BY_TEXT.get(line));
    }

    static ConstantLine lookup(String line) {
        return BY_TEXT.get(line);
    }
}
