package io.github.meshalloc.tracking.monitor;

import com.google.common.base.Preconditions;
import io.github.meshalloc.tracking.wire.AllocMessage;
import io.github.meshalloc.tracking.wire.MessageType;

/**
 * What monitor v2 caches about a device from its DEVICE_INFO_RESPONSE.
 *
 * <p>Models {@code struct DeviceInfo} of the monitor's {@code device_info_cache_} in
 * {@code MUM/allocation_monitor_client.cpp} 90698e2d (reference 7): filled only when the response says
 * {@code is_available}; otherwise the monitor uses its fallback totals and prints no arch or device-info line.
 *
 * @param available       {@code is_available != 0}
 * @param archType        {@code arch_type}
 * @param numDramChannels {@code num_dram_channels}
 * @param l1SizePerCore   {@code l1_size_per_core}
 * @param totalDramSize   {@code total_dram_size}
 * @param totalL1Size     {@code total_l1_size}
 */
public record DeviceDescription(boolean available, long archType, long numDramChannels, long l1SizePerCore,
                                long totalDramSize, long totalL1Size) {

    /** No information (v1, failed query, or a device beyond the server's count). */
    public static final DeviceDescription UNAVAILABLE = new DeviceDescription(false, 0, 0, 0, 0, 0);

    /**
     * The cache entry the monitor builds from a DEVICE_INFO_RESPONSE.
     *
     * @throws IllegalArgumentException if the message is not a DEVICE_INFO_RESPONSE
     */
    public static DeviceDescription fromResponse(AllocMessage response) {
        Preconditions.checkNotNull(response, "response");
        Preconditions.checkArgument(response.typeCode() == MessageType.DEVICE_INFO_RESPONSE.code(),
                "expected a DEVICE_INFO_RESPONSE (type 7) but got type %s", response.typeCode());
        if (response.isAvailable() == 0) {
            return UNAVAILABLE;
        }
        return new DeviceDescription(true, response.archType(), response.numDramChannels(),
                response.l1SizePerCore(), response.totalDramSize(), response.totalL1Size());
    }
}
