package io.github.meshalloc.tracking.server;

import io.github.meshalloc.tracking.wire.KernelKind;

/**
 * A live kernel registry entry (S5), read-only.
 *
 * <p>Models {@code struct KernelInfo} of {@code MUM/allocation_server_poc.cpp} a81ea34f (reference 3.1, 3.5): last
 * writer wins per (device, kernel id).
 *
 * @param deviceId       device 0..7
 * @param kernelId       kernel/program id (u64)
 * @param size           size of the last KERNEL_LOAD for this key (u64)
 * @param ownerPid       pid of that KERNEL_LOAD
 * @param kindCode       raw kind byte (0 Application, 1 Fabric, 2 Dispatch, anything else Unknown)
 * @param allocTimestamp timestamp of that message (stand-in for the C++ receipt time, used for DUMP_KERNELS ages)
 */
public record KernelEntry(int deviceId, long kernelId, long size, int ownerPid, int kindCode, long allocTimestamp) {

    /** The kind as the server names it. */
    public KernelKind kind() {
        return KernelKind.ofCode(kindCode);
    }
}
