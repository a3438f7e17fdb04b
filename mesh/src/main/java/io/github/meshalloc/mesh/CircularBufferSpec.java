package io.github.meshalloc.mesh;

import com.google.common.base.Preconditions;
import io.github.meshalloc.allocator.CoreRangeSet;
import java.util.OptionalLong;

/**
 * One circular buffer of a program: where it lives, how big it is, and whether a Buffer backs it.
 *
 * <p>Models the memory-relevant part of {@code CircularBufferConfig} / {@code CircularBufferImpl}
 * ({@code tt_metal/impl/buffers/circular_buffer*.cpp}, reference 11).
 *
 * @param coreRanges    cores that hold the CB
 * @param size          total size in bytes
 * @param globalAddress present for a globally allocated CB (backed by a Buffer at that address; skipped
 *                      by the program's CB allocation)
 */
public record CircularBufferSpec(CoreRangeSet coreRanges, long size, OptionalLong globalAddress) {
    public CircularBufferSpec {
        Preconditions.checkNotNull(coreRanges, "coreRanges");
        Preconditions.checkNotNull(globalAddress, "globalAddress");
        Preconditions.checkArgument(coreRanges.numCores() > 0, "a circular buffer needs at least one core");
        Preconditions.checkArgument(size > 0, "circular buffer size %s must be positive", size);
    }

    /** A locally allocated CB. */
    public static CircularBufferSpec local(CoreRangeSet coreRanges, long size) {
        return new CircularBufferSpec(coreRanges, size, OptionalLong.empty());
    }
}
