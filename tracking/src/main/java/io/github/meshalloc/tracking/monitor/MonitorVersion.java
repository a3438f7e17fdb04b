package io.github.meshalloc.tracking.monitor;

/**
 * Which {@code MUM/allocation_monitor_client.cpp} is rendered.
 *
 * <p>Models the two stored versions (reference 7): v1 (83d21905, 72-byte records, fixed totals, a rule built from the
 * multi-character constant {@code '─'} that the compiler truncates to the single byte 0x80) and v2 (90698e2d,
 * 112-byte records, device info, arch in the header, a rule of {@code -}).
 */
public enum MonitorVersion {
    /** 83d21905. */
    V1,
    /** 90698e2d. */
    V2
}
