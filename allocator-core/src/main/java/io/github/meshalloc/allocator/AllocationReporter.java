package io.github.meshalloc.allocator;

/**
 * Direct reports to a tracking server, bypassing GraphTracker.
 *
 * <p>Models the static {@code AllocationClient::report_*} calls of the seeds' fork
 * ({@code tt_metal/impl/allocator/allocation_client.hpp}; allocation-server reference 6) as far as
 * allocator-core code calls them directly: the allocator-hook era (ALLOC with the aligned size from
 * {@code Allocator::allocate_buffer}, FREE by address from {@code Allocator::deallocate_buffer}) and
 * seed 000's {@code Allocator::deallocate_buffers} fix, which reports by address only.
 * {@link #NOOP} is a disabled client.
 */
public interface AllocationReporter {

    /** A client with tracking disabled. */
    AllocationReporter NOOP = new AllocationReporter() {
    };

    /** Models {@code AllocationClient::is_enabled()}. */
    default boolean isEnabled() {
        return false;
    }

    /** Models {@code report_allocation(device_id, size, buffer_type, buffer_id)}. */
    default void reportAllocation(int deviceId, long size, BufferType type, long bufferId) {
    }

    /** Models {@code report_deallocation(device_id, buffer_id)}. */
    default void reportDeallocation(int deviceId, long bufferId) {
    }

    /** Models the E0-era {@code report_deallocation(buffer_id)} seed 000 calls: no device id (the record carries 0). */
    default void reportDeallocationAddressOnly(long bufferId) {
    }
}
