package io.github.meshalloc.allocator;

/** Models {@code tt::tt_metal::HalMemType} ({@code hal_types.hpp}): the memory kinds the HAL gives alignments and bases for. */
public enum HalMemType {
    L1,
    DRAM,
    HOST
}
