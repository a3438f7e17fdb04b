package io.github.meshalloc.tracking.wire;

/**
 * The {@code arch_type} word of a DEVICE_INFO_RESPONSE (S2+).
 *
 * <p>Models the comment "0=Invalid, 1=Grayskull, 2=Wormhole_B0, 3=Blackhole, 4=Quasar" of the 112/144-byte
 * {@code AllocMessage} and the {@code arch_to_string} helper of {@code MUM/allocation_server_poc.cpp} (which prints
 * "Unknown" for anything else) and the arch switch of {@code MUM/allocation_monitor_client.cpp} v2 (reference 2.4, 7).
 */
public enum ArchType {
    /** 0: no device / invalid; printed as "Unknown". */
    INVALID(0, "Unknown"),
    /** 1. */
    GRAYSKULL(1, "Grayskull"),
    /** 2. */
    WORMHOLE_B0(2, "Wormhole_B0"),
    /** 3. */
    BLACKHOLE(3, "Blackhole"),
    /** 4. */
    QUASAR(4, "Quasar");

    private final int code;
    private final String displayName;

    ArchType(int code, String displayName) {
        this.code = code;
        this.displayName = displayName;
    }

    /** The wire code. */
    public int code() {
        return code;
    }

    /** The name the server and monitor print. */
    public String displayName() {
        return displayName;
    }

    /** The printed name of any code: codes 1..4 have names, everything else prints "Unknown". */
    public static String displayName(long code) {
        for (ArchType a : values()) {
            if (a.code == code) {
                return a.displayName;
            }
        }
        return "Unknown";
    }
}
