package io.github.meshalloc.mesh.rules;

/**
 * Whether {@code MeshDevice.close()} clears the program cache before tearing the allocators down.
 *
 * <p>Variation point at C++ {@code MeshDeviceImpl::close_impl} ({@code tt_metal/distributed/mesh_device.cpp}).
 */
public enum MeshCloseProgramCache {
    /**
     * Late-2025 upstream: {@code close_impl} leaves the program cache alone; cached programs' kernel binaries
     * are destroyed only with the MeshDevice object, after the chips are closed, so their per-chip buffers can
     * no longer report a FREE (the "36 KiB per chip until the cache is cleared" of the seeds).
     */
    KEEP,
    /**
     * meshalloc's proposal: {@code close_impl} calls {@code disable_and_clear_program_cache()} first, as the
     * single-chip {@code Device::close} does, so every cached program is destroyed while the mesh is open.
     */
    CLEAR_FIRST
}
