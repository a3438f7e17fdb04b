package io.github.meshalloc.allocator;

import com.google.common.base.Preconditions;

/**
 * A partition of a chip's Tensix cores that runs programs independently.
 *
 * <p>Models {@code tt::tt_metal::SubDevice} ({@code tt_metal/api/tt-metalium/sub_device.hpp}) restricted
 * to its Tensix cores; Ethernet cores play no part in memory allocation and are not modelled.
 *
 * @param tensixCores the sub-device's Tensix cores (may be empty)
 */
public record SubDevice(CoreRangeSet tensixCores) {
    public SubDevice {
        Preconditions.checkNotNull(tensixCores, "tensixCores");
    }
}
