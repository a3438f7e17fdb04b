package io.github.meshalloc.mesh;

import com.google.common.base.Preconditions;
import io.github.meshalloc.allocator.BufferType;
import java.util.List;

/**
 * The buffers each chip allocates through its own allocator when a mesh is opened.
 *
 * <p>Models, as data, the allocations {@code Device::initialize} and dispatch set-up make in a chip's
 * allocator. The references do not give them: late-2025 command queues live in host hugepages and
 * device-side dispatch memory is carved out of the unreserved base, not allocated [I]. So the default
 * profile, {@link #NONE}, allocates nothing; tests and users can supply one. The seeds' "14 MB of
 * system buffers per chip" is deliberately NOT a profile: seed-arithmetic.md shows those bytes are
 * leaked per-chip tensor copies and kernel binaries, and they emerge from the workload.
 *
 * @param buffers the buffers each chip allocates, in order
 */
public record SystemBufferProfile(List<SystemBuffer> buffers) {

    /** Nothing allocated at open. */
    public static final SystemBufferProfile NONE = new SystemBufferProfile(List.of());

    public SystemBufferProfile {
        buffers = List.copyOf(buffers);
    }

    /**
     * One system buffer: interleaved, default direction for its type.
     *
     * @param name       what it stands for
     * @param bufferType where it lives
     * @param size       bytes
     * @param pageSize   page size
     */
    public record SystemBuffer(String name, BufferType bufferType, long size, long pageSize) {
        public SystemBuffer {
            Preconditions.checkNotNull(name, "name");
            Preconditions.checkNotNull(bufferType, "bufferType");
            Preconditions.checkArgument(size > 0 && pageSize > 0 && size % pageSize == 0,
                    "system buffer %s: size %s must be a positive multiple of the page size %s", name, size, pageSize);
        }
    }
}
