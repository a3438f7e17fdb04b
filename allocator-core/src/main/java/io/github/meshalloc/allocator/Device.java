package io.github.meshalloc.allocator;

import com.google.common.base.Preconditions;
import java.util.List;
import java.util.OptionalLong;

/**
 * One chip: its allocator (through its sub-device manager tracker) and whether it is open.
 *
 * <p>Models {@code tt::tt_metal::Device} ({@code tt_metal/impl/device/device.cpp}, late-2025) as far as
 * memory goes. {@link #initialize()} builds the global {@code L1BankingAllocator} from the chip's
 * config; {@link #close()} follows reference 12.3: the sub-device manager tracker is destroyed while the
 * device still reports initialised (so remaining buffers go through the allocator path), then the
 * device is marked not initialised. Clearing the program cache, the first close step, belongs to the
 * mesh module's program model, which calls it before this.
 */
public final class Device implements IDevice {
    private final int id;
    private final AllocatorConfig config;
    private final MetalContext context;
    private SubDeviceManagerTracker subDeviceManagerTracker;
    private boolean initialized;

    /** A closed chip with the given id and config, belonging to process {@code context}. */
    public Device(int id, AllocatorConfig config, MetalContext context) {
        Preconditions.checkArgument(id >= 0, "device id %s must not be negative", id);
        this.id = id;
        this.config = Preconditions.checkNotNull(config, "config");
        this.context = Preconditions.checkNotNull(context, "context");
    }

    /**
     * Models {@code Device::initialize}: builds the allocator and the sub-device manager tracker.
     *
     * @throws IllegalStateException if the device is already open
     */
    public void initialize() {
        Preconditions.checkState(!initialized, "device %s is already initialized", id);
        subDeviceManagerTracker = new SubDeviceManagerTracker(context, new Allocator(config, context, id));
        initialized = true;
    }

    /**
     * Models {@code Device::close} (late-2025): destroys the sub-device manager tracker with the process's
     * teardown rule, then marks the device not initialised.
     *
     * @throws TtFatalException if the device is not initialised
     */
    public void close() {
        if (!initialized) {
            throw new TtFatalException("Cannot close device " + id + " that has not been initialized!");
        }
        subDeviceManagerTracker.destroy(context.rules().subDeviceManagerTeardown());
        initialized = false;
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public MetalContext context() {
        return context;
    }

    @Override
    public boolean isInitialized() {
        return initialized;
    }

    /** The chip's allocator config. */
    public AllocatorConfig config() {
        return config;
    }

    private SubDeviceManagerTracker tracker() {
        Preconditions.checkState(initialized && subDeviceManagerTracker != null,
                "device %s is not initialized; open it first", id);
        return subDeviceManagerTracker;
    }

    /** The sub-device manager tracker (for sub-device management). */
    @Override
    public SubDeviceManagerTracker subDeviceManagerTracker() {
        return tracker();
    }





    @Override
    public long l1SizePerCore() {
        return config.workerL1Size();
    }

    /** Models {@code lowest_occupied_compute_l1_address(sub_device_ids)}. */
    public OptionalLong lowestOccupiedComputeL1Address(List<Integer> subDeviceIds) {
        return tracker().lowestOccupiedComputeL1Address(subDeviceIds);
    }

    @Override
    public String toString() {
        return "Device{" + id + (initialized ? ", open" : ", closed") + "}";
    }
}
