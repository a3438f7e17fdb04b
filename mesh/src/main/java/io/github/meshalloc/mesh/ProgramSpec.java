package io.github.meshalloc.mesh;

import com.google.common.base.Preconditions;
import java.util.List;

/**
 * What a cached program is made of, as data: a name (its program-cache key), the size of its kernel
 * binaries and its circular buffers.
 *
 * <p>Stands for what ttnn's program factories build for an op (e.g. {@code ttnn.add}, {@code ttnn.matmul}).
 * The kernel binary becomes a replicated DRAM MeshBuffer allocated top-down with
 * {@code kernelBinaryPageSize} pages (seed-arithmetic.md assumption 2).
 *
 * @param name                 cache key
 * @param kernelBinarySize     bytes of kernel binaries (0: none)
 * @param kernelBinaryPageSize page size of the binary buffer
 * @param circularBuffers      the CBs in creation order
 */
public record ProgramSpec(String name, long kernelBinarySize, long kernelBinaryPageSize,
                          List<CircularBufferSpec> circularBuffers) {
    /** The page size the seeds' binaries imply: 12 KiB and 24 KiB binaries take one 2,048-B page per DRAM bank [I]. */
    public static final long DEFAULT_BINARY_PAGE_SIZE = 2048;

    public ProgramSpec {
        Preconditions.checkNotNull(name, "name");
        Preconditions.checkArgument(kernelBinarySize >= 0, "kernel binary size %s must not be negative",
                kernelBinarySize);
        Preconditions.checkArgument(kernelBinarySize == 0
                        || (kernelBinaryPageSize > 0 && kernelBinarySize % kernelBinaryPageSize == 0),
                "kernel binary size %s must be a multiple of its page size %s", kernelBinarySize,
                kernelBinaryPageSize);
        circularBuffers = List.copyOf(circularBuffers);
    }
}
