package io.github.meshalloc.allocator.rules;

import com.google.common.base.Preconditions;

/**
 * One choice per variation point whose call site lives in allocator-core: a state of the C++ code in
 * {@code buffer.cpp}, {@code allocator.cpp} and {@code sub_device_manager.cpp}.
 *
 * <p>The tracking module's rule sets bundle this with the mesh-level points and a server version.
 *
 * @param allocationReportSite     who reports ALLOC/FREE
 * @param preallocatedTracking     whether {@code Buffer::create(address)} reports ALLOC
 * @param nonOwningDeallocate      what {@code Buffer::deallocate} does for non-owning buffers
 * @param markAsDeallocatedReport  what {@code Buffer::mark_as_deallocated} reports
 * @param deallocateBuffersReport  what {@code Allocator::deallocate_buffers} reports
 * @param subDeviceManagerTeardown how {@code ~SubDeviceManager} releases allocators at close
 */
public record CoreRules(
        AllocationReportSite allocationReportSite,
        PreallocatedTracking preallocatedTracking,
        NonOwningDeallocate nonOwningDeallocate,
        MarkAsDeallocatedReport markAsDeallocatedReport,
        DeallocateBuffersReport deallocateBuffersReport,
        SubDeviceManagerTeardown subDeviceManagerTeardown) {

    /** tt-metal upstream, late 2025. */
    public static final CoreRules UPSTREAM = new CoreRules(AllocationReportSite.GRAPH_TRACKER,
            PreallocatedTracking.SILENT, NonOwningDeallocate.RETURN, MarkAsDeallocatedReport.NOTHING,
            DeallocateBuffersReport.NOTHING, SubDeviceManagerTeardown.CLEAR_THEN_DEALLOCATE_EACH);

    public CoreRules {
        Preconditions.checkNotNull(allocationReportSite, "allocationReportSite");
        Preconditions.checkNotNull(preallocatedTracking, "preallocatedTracking");
        Preconditions.checkNotNull(nonOwningDeallocate, "nonOwningDeallocate");
        Preconditions.checkNotNull(markAsDeallocatedReport, "markAsDeallocatedReport");
        Preconditions.checkNotNull(deallocateBuffersReport, "deallocateBuffersReport");
        Preconditions.checkNotNull(subDeviceManagerTeardown, "subDeviceManagerTeardown");
    }

    public CoreRules with(AllocationReportSite value) {
        return new CoreRules(value, preallocatedTracking, nonOwningDeallocate, markAsDeallocatedReport,
                deallocateBuffersReport, subDeviceManagerTeardown);
    }

    public CoreRules with(PreallocatedTracking value) {
        return new CoreRules(allocationReportSite, value, nonOwningDeallocate, markAsDeallocatedReport,
                deallocateBuffersReport, subDeviceManagerTeardown);
    }

    public CoreRules with(NonOwningDeallocate value) {
        return new CoreRules(allocationReportSite, preallocatedTracking, value, markAsDeallocatedReport,
                deallocateBuffersReport, subDeviceManagerTeardown);
    }

    public CoreRules with(MarkAsDeallocatedReport value) {
        return new CoreRules(allocationReportSite, preallocatedTracking, nonOwningDeallocate, value,
                deallocateBuffersReport, subDeviceManagerTeardown);
    }

    public CoreRules with(DeallocateBuffersReport value) {
        return new CoreRules(allocationReportSite, preallocatedTracking, nonOwningDeallocate,
                markAsDeallocatedReport, value, subDeviceManagerTeardown);
    }

    public CoreRules with(SubDeviceManagerTeardown value) {
        return new CoreRules(allocationReportSite, preallocatedTracking, nonOwningDeallocate,
                markAsDeallocatedReport, deallocateBuffersReport, value);
    }
}
