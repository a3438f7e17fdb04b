package io.github.meshalloc.mesh;

import com.google.common.base.Preconditions;

/**
 * The id of a captured mesh trace.
 *
 * <p>Models {@code tt::tt_metal::distributed::MeshTraceId} ({@code mesh_trace_id.hpp}), a strong
 * {@code uint32_t}; {@code MeshTrace::next_id()} hands them out per process from 0
 * ({@link io.github.meshalloc.allocator.MetalContext#nextMeshTraceId()}).
 *
 * @param value the id, 0..2^32-1
 */
public record MeshTraceId(long value) {
    public MeshTraceId {
        Preconditions.checkArgument(value >= 0 && value <= 0xFFFF_FFFFL,
                "mesh trace id %s must fit in 32 bits (0..4294967295)", value);
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
