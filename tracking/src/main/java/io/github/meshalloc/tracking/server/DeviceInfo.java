package io.github.meshalloc.tracking.server;

import com.google.common.base.Preconditions;
import io.github.meshalloc.tracking.wire.AllocMessage;

/**
 * What start-up device detection learned about one device, supplied to the server as data.
 *
 * <p>Models {@code struct DeviceInfo} of {@code MUM/allocation_server_poc.cpp} S2-S5 and the values
 * {@code detect_devices()} reads from {@code CreateDeviceMinimal} (S2-S4) or the UMD SocDescriptor (S5): arch,
 * DRAM channels, DRAM per channel, L1 per core, worker grid, and (S5) whether the chip is remote. A device whose query
 * threw is {@link #failed(String)}: it prints a stderr warning and answers {@code is_available = 0}.
 *
 * @param archType           arch code (1 Grayskull, 2 Wormhole_B0, 3 Blackhole, 4 Quasar)
 * @param numDramChannels    DRAM channels (u32)
 * @param dramSizePerChannel bytes per channel (u32)
 * @param l1SizePerCore      worker L1 bytes (u32)
 * @param gridX              worker grid width (u32)
 * @param gridY              worker grid height (u32)
 * @param remote             S5 {@code is_chip_remote}
 * @param queryError         empty when the query succeeded, else the exception text
 */
public record DeviceInfo(long archType, long numDramChannels, long dramSizePerChannel, long l1SizePerCore,
                         long gridX, long gridY, boolean remote, String queryError) {

    /** Validates the 32-bit fields and the error text. */
    public DeviceInfo {
        checkU32("archType", archType);
        checkU32("numDramChannels", numDramChannels);
        checkU32("dramSizePerChannel", dramSizePerChannel);
        checkU32("l1SizePerCore", l1SizePerCore);
        checkU32("gridX", gridX);
        checkU32("gridY", gridY);
        Preconditions.checkNotNull(queryError, "queryError");
        Preconditions.checkArgument(queryError.indexOf('\n') < 0, "queryError must be one line: %s", queryError);
    }

    private static void checkU32(String name, long v) {
        Preconditions.checkArgument(v >= 0 && v <= AllocMessage.U32_MAX, "%s is %s; allowed 0..4294967295", name, v);
    }

    /** A successfully queried device. */
    public static DeviceInfo of(long archType, long numDramChannels, long dramSizePerChannel, long l1SizePerCore,
                                long gridX, long gridY, boolean remote) {
        return new DeviceInfo(archType, numDramChannels, dramSizePerChannel, l1SizePerCore, gridX, gridY, remote, "");
    }

    /**
     * A device whose query failed with {@code error}.
     *
     * @throws IllegalArgumentException if {@code error} is empty
     */
    public static DeviceInfo failed(String error) {
        Preconditions.checkArgument(error != null && !error.isEmpty(), "a failed query needs its error text");
        return new DeviceInfo(0, 0, 0, 0, 0, 0, false, error);
    }

    /** Whether the query succeeded ({@code is_available}). */
    public boolean available() {
        return queryError.isEmpty();
    }

    /** channels × per-channel (u64), as the server computes {@code total_dram_size}. */
    public long totalDramSize() {
        return numDramChannels * dramSizePerChannel;
    }

    /** L1 per core × grid x × grid y (u64, wrapping), as the server computes {@code total_l1_size}. */
    public long totalL1Size() {
        return l1SizePerCore * gridX * gridY;
    }
}
