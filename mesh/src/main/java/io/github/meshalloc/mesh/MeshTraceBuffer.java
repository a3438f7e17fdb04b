package io.github.meshalloc.mesh;

import io.github.meshalloc.allocator.BufferShardingArgs;
import io.github.meshalloc.allocator.BufferType;
import io.github.meshalloc.allocator.SubDeviceManager;
import io.github.meshalloc.allocator.TtFatalException;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A captured trace and the replicated TRACE MeshBuffer that holds its commands on every chip.
 *
 * <p>Models {@code tt::tt_metal::distributed::MeshTraceBuffer} and {@code MeshTrace::populate_mesh_buffer}
 * ({@code tt_metal/distributed/mesh_trace.cpp}, 2025; reference 9.5). {@code begin_mesh_trace} puts an empty one
 * into the active sub-device manager's trace pool; {@code end_mesh_trace} populates it; the pool dropping it
 * ({@code release_mesh_trace}, removal of the manager, or device close) runs {@code ~MeshTraceBuffer}.
 *
 * <p>The commands themselves are not modelled: the caller of {@link MeshDevice#endMeshTrace} gives the captured
 * size ({@code desc->total_trace_size}) [I].
 */
public final class MeshTraceBuffer implements SubDeviceManager.PooledTrace {
    private final MeshDevice device;
    private final MeshTraceId traceId;
    private long totalTraceSize;
    private MeshBuffer meshBuffer;
    private boolean destroyed;

    MeshTraceBuffer(MeshDevice device, MeshTraceId traceId) {
        this.device = device;
        this.traceId = traceId;
    }

    /**
     * Models {@code MeshTrace::populate_mesh_buffer}: page size from
     * {@link TraceDispatch#computeInterleavedTraceBufPageSize} over the mesh allocator's DRAM banks, padded size =
     * the trace size rounded up to that page; the mesh's trace-buffer total grows by the padded size <em>before</em>
     * the region check, as in the C++, so a refused trace leaves the total raised; then a replicated TRACE MeshBuffer
     * of the padded size, default direction (bottom-up, {@code is_dram()}).
     *
     * @throws TtFatalException "Creating trace buffers of size {total}B on MeshDevice {id}, but only {region}B is
     *                          allocated for trace region." when the new total exceeds {@code trace_region_size}
     */
    void populate(long unpaddedSize) {
        totalTraceSize = unpaddedSize;
        long pageSize = TraceDispatch.computeInterleavedTraceBufPageSize(unpaddedSize,
                device.allocator().getNumBanks(BufferType.DRAM));
        long paddedSize = (unpaddedSize + pageSize - 1) / pageSize * pageSize;
        device.setTraceBuffersSize(device.traceBuffersSize() + paddedSize);
        long traceRegionSize = device.allocator().getConfig().traceRegionSize();
        if (device.traceBuffersSize() > traceRegionSize) {
            throw new TtFatalException("Creating trace buffers of size " + device.traceBuffersSize()
                    + "B on MeshDevice " + device.id() + ", but only " + traceRegionSize
                    + "B is allocated for trace region.");
        }
        meshBuffer = MeshBuffer.create(new MeshBufferConfig.Replicated(paddedSize),
                new DeviceLocalBufferConfig(pageSize, BufferType.TRACE, BufferShardingArgs.INTERLEAVED,
                        Optional.empty(), OptionalInt.empty()), device);
    }

    /**
     * Models {@code ~MeshTraceBuffer} (the pool's last {@code shared_ptr} dropped): if the MeshBuffer is still
     * allocated (not DEALLOCATED and the mesh not expired), its size is subtracted from the mesh's trace-buffer
     * total; then the MeshBuffer reference is dropped ({@code ~MeshBuffer} if it was the last).
     */
    @Override
    public void drop() {
        if (destroyed) {
            return;
        }
        destroyed = true;
        if (meshBuffer != null) {
            if (meshBuffer.isAllocated()) {
                device.setTraceBuffersSize(device.traceBuffersSize() - meshBuffer.size());
            }
            MeshBuffer buffer = meshBuffer;
            meshBuffer = null;
            buffer.release();
        }
    }

    /** The trace id. */
    public MeshTraceId traceId() {
        return traceId;
    }

    /** Models {@code desc->total_trace_size}: 0 until the capture ends. */
    public long totalTraceSize() {
        return totalTraceSize;
    }

    /** Models {@code mesh_buffer}: empty until populated, and after destruction. */
    public Optional<MeshBuffer> meshBuffer() {
        return Optional.ofNullable(meshBuffer);
    }

    /** Whether {@code ~MeshTraceBuffer} has run. */
    public boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        return "MeshTraceBuffer{tid=" + traceId + ", size=" + totalTraceSize + ", " + meshBuffer + "}";
    }
}
