package io.github.meshalloc.allocator.rules;

/**
 * How a sub-device manager's destructor releases its allocators at device close.
 *
 * <p>Variation point at C++ {@code SubDeviceManager::~SubDeviceManager()}
 * ({@code tt_metal/impl/sub_device/sub_device_manager.cpp}, reference 12.1), run when
 * {@code Device::close} / {@code MeshDevice::close} reset the sub-device manager tracker.
 */
public enum SubDeviceManagerTeardown {
    /**
     * Late-2025 upstream: {@code allocator->clear()}, then {@code DeallocateBuffer} on every buffer of
     * {@code get_allocated_buffers()} (each becomes DEALLOCATED and reports through the tracker while the
     * device still reports initialised; the allocator calls are no-ops on the cleared free lists).
     */
    CLEAR_THEN_DEALLOCATE_EACH,
    /**
     * The older path seed 000 describes: {@code allocator->deallocate_buffers()}, which frees every bank
     * but leaves every Buffer object ALLOCATED and in the allocator's set (reference 7).
     */
    DEALLOCATE_BUFFERS
}
