package io.github.meshalloc.tracking.wire;

/**
 * The kernel kind carried in the {@code buffer_type} byte of a KERNEL_LOAD message (S5).
 *
 * <p>Models the {@code switch (msg.buffer_type)} of the KERNEL_LOAD / KERNEL_UNLOAD cases in
 * {@code AllocationServer::handle_client} of {@code MUM/allocation_server_poc.cpp} a81ea34f (reference 2.3 and
 * 3.5): 0 Application, 1 Fabric, 2 Dispatch; any other code is logged as "Unknown" and counted only in the kernel
 * total. The runtime always sent 0.
 */
public enum KernelKind {
    /** 0: application kernel, counter kernel_application. */
    APPLICATION("Application"),
    /** 1: fabric kernel, counter kernel_fabric. */
    FABRIC("Fabric"),
    /** 2: dispatch kernel, counter kernel_dispatch. */
    DISPATCH("Dispatch"),
    /** Any other code: no per-kind counter. */
    UNKNOWN("Unknown");

    private final String logName;

    KernelKind(String logName) {
        this.logName = logName;
    }

    /** The name the server prints ({@code KIND} in the log grammar). */
    public String logName() {
        return logName;
    }

    /** The kind for a wire code: 0, 1, 2 map to their kinds, everything else to {@link #UNKNOWN}. */
    public static KernelKind ofCode(int code) {
        switch (code) {
            case 0:
                return APPLICATION;
            case 1:
                return FABRIC;
            case 2:
                return DISPATCH;
            default:
                return UNKNOWN;
        }
    }

    /**
     * The kind whose log name is {@code name}.
     *
     * @throws IllegalArgumentException for any other text
     */
    public static KernelKind ofLogName(String name) {
        for (KernelKind k : values()) {
            if (k.logName.equals(name)) {
                return k;
            }
        }
        throw new IllegalArgumentException("'" + name
                + "' is not a kernel kind name; allowed names are Application, Fabric, Dispatch, Unknown");
    }
}
