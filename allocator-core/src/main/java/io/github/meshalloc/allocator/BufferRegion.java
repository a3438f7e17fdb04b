package io.github.meshalloc.allocator;

import com.google.common.base.Preconditions;

/**
 * A byte range of a buffer, the argument of {@code Buffer.view}.
 *
 * <p>Models {@code BufferRegion{offset, size}} ({@code buffer.hpp}).
 *
 * @param offset first byte of the region inside the buffer
 * @param size   bytes in the region
 */
public record BufferRegion(long offset, long size) {
    public BufferRegion {
        Preconditions.checkArgument(offset >= 0, "region offset %s must not be negative", offset);
        Preconditions.checkArgument(size >= 0, "region size %s must not be negative", size);
    }
}
