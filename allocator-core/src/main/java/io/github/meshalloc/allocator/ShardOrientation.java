package io.github.meshalloc.allocator;

/** Models {@code tt::tt_metal::ShardOrientation} ({@code buffer_types.hpp}): ROW_MAJOR = 0, COL_MAJOR = 1. */
public enum ShardOrientation {
    ROW_MAJOR,
    COL_MAJOR
}
