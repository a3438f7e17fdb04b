package io.github.meshalloc.allocator;

/**
 * Anything a Buffer can live on: one chip ({@link Device}) or a mesh of chips (the mesh module's
 * {@code MeshDevice}).
 *
 * <p>Models the part of {@code tt::tt_metal::IDevice} ({@code tt_metal/api/tt-metalium/device.hpp})
 * that memory allocation uses. {@link #isMeshDevice()} answers what the fork's GraphTracker asked with
 * {@code dynamic_cast<const distributed::MeshDevice*>(buffer->device())}.
 */
public interface IDevice {

    /** Models {@code id()}. */
    int id();

    /** The process this device was opened by. */
    MetalContext context();

    /** Models {@code is_initialized()}: true between open and close. */
    boolean isInitialized();

    /**
     * The device's {@code sub_device_manager_tracker_}, through which every allocator lookup goes.
     *
     * @throws IllegalStateException if the device is not open
     */
    SubDeviceManagerTracker subDeviceManagerTracker();

    /** Models {@code allocator()}: the default sub-device manager's allocator for sub-device 0 (the "global" allocator). */
    default Allocator allocator() {
        return subDeviceManagerTracker().defaultSubDeviceManager().allocator(0);
    }

    /** Models {@code allocator(sub_device_id)}: the active sub-device manager's allocator for that sub-device. */
    default Allocator allocator(int subDeviceId) {
        return subDeviceManagerTracker().activeSubDeviceManager().allocator(subDeviceId);
    }

    /** Id of the active sub-device manager ({@code get_active_sub_device_manager_id()}). */
    default long activeSubDeviceManagerId() {
        return subDeviceManagerTracker().activeSubDeviceManager().id();
    }

    /**
     * Tensix cores of sub-device {@code subDeviceId} in the active manager.
     *
     * @throws IllegalArgumentException for an id outside the active manager
     */
    default CoreRangeSet subDeviceCores(int subDeviceId) {
        java.util.List<SubDevice> subDevices = subDeviceManagerTracker().activeSubDeviceManager().subDevices();
        com.google.common.base.Preconditions.checkArgument(subDeviceId >= 0 && subDeviceId < subDevices.size(),
                "sub device id %s is outside 0..%s", subDeviceId, subDevices.size() - 1);
        return subDevices.get(subDeviceId).tensixCores();
    }

    /** Models {@code l1_size_per_core()} (= worker L1 size). */
    long l1SizePerCore();

    /** Whether this is a MeshDevice (the C++ {@code dynamic_cast} test). */
    default boolean isMeshDevice() {
        return false;
    }
}
