package io.github.meshalloc.tracking.monitor;

/**
 * Whether the rendered monitor text keeps the ANSI SGR colour codes of {@code MUM/allocation_monitor_client.cpp}
 * ({@code \033[1m}, {@code \033[36m}, {@code \033[32m}/{@code \033[33m}/{@code \033[31m}, {@code \033[0m}) or drops
 * them. The clear-screen sequence is never rendered.
 */
public enum MonitorStyle {
    /** Byte-faithful: colour codes included. */
    ANSI,
    /** Colour codes removed (for reading). */
    PLAIN
}
