package io.github.meshalloc.allocator.algorithms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.allocator.TtFatalException;
import io.github.meshalloc.allocator.algorithms.FreeListOpt.SearchPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * tt-metal's {@code tests/tt_metal/tt_metal/api/allocator/test_free_list_opt_allocator.cpp}, ported.
 *
 * <p>One Java test per C++ {@code TEST(FreeListOptTest, ...)} of the newest stored version of the file
 * (whose names carry the {@code CPU_} prefix; the display name is the C++ name), with the C++ expected
 * values. The code is rewritten, not translated. {@link #coalescingAfterResetShrinkWithAllocationWhileShrunk()}
 * is the 2025 variant of {@code CoalescingAfterResetShrink}, which also allocated while shrunk.
 */
class FreeListOptPortedTest {

    private static final long KIB = 1024;
    private static final long MIB = 1024 * KIB;
    private static final long GIB = 1024 * MIB;

    /** The allocator most C++ tests build: 1 GiB at offset 0, 1 KiB minimum and alignment, default (BEST) policy. */
    private static FreeListOpt gibAllocator() {
        return new FreeListOpt(GIB, 0, KIB, KIB);
    }

    private static FreeListOpt gibAllocator(SearchPolicy policy) {
        return new FreeListOpt(GIB, 0, KIB, KIB, policy);
    }

    @Test
    @DisplayName("CPU_Allocation")
    void cpuAllocation() {
        FreeListOpt allocator = gibAllocator();
        assertEquals(OptionalLong.of(0), allocator.allocate(KIB));
        assertEquals(OptionalLong.of(KIB), allocator.allocate(KIB));
    }

    @Test
    @DisplayName("CPU_Alignment")
    void cpuAlignment() {
        FreeListOpt allocator = new FreeListOpt(GIB, 0, 1, KIB);
        assertEquals(OptionalLong.of(0), allocator.allocate(64));
        assertEquals(OptionalLong.of(KIB), allocator.allocate(64));
    }

    @Test
    @DisplayName("CPU_MinAllocationSize")
    void cpuMinAllocationSize() {
        FreeListOpt allocator = new FreeListOpt(GIB, 0, KIB, 1);
        assertEquals(OptionalLong.of(0), allocator.allocate(1));
        assertEquals(OptionalLong.of(KIB), allocator.allocate(1));
    }

    @Test
    @DisplayName("CPU_Clear")
    void cpuClear() {
        FreeListOpt allocator = gibAllocator();
        assertTrue(allocator.allocate(KIB).isPresent());
        assertTrue(allocator.allocate(KIB).isPresent());
        allocator.clear();
        assertEquals(OptionalLong.of(0), allocator.allocate(KIB));
    }

    @Test
    @DisplayName("CPU_AllocationAndDeallocation")
    void cpuAllocationAndDeallocation() {
        FreeListOpt allocator = gibAllocator();
        List<Long> addresses = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            OptionalLong address = allocator.allocate(KIB);
            assertTrue(address.isPresent());
            addresses.add(address.getAsLong());
        }
        for (int i = addresses.size() - 1; i >= 0; i--) {
            allocator.deallocate(addresses.get(i));
        }

        addresses.clear();
        for (int i = 0; i < 10; i++) {
            OptionalLong address = allocator.allocate(KIB);
            assertTrue(address.isPresent());
            addresses.add(address.getAsLong());
        }
        for (long address : addresses) {
            allocator.deallocate(address);
        }
        // Not asserted by the C++; everything is back to one free block.
        assertEquals(List.of(new AddressRange(0, GIB)), allocator.availableAddresses(KIB));
    }

    @Test
    @DisplayName("CPU_AllocateAtAddress")
    void cpuAllocateAtAddress() {
        FreeListOpt allocator = gibAllocator();
        OptionalLong a = allocator.allocate(KIB);
        assertEquals(OptionalLong.of(0), a);
        assertEquals(OptionalLong.of(KIB), allocator.allocateAtAddress(KIB, KIB));
        // Already allocated.
        assertEquals(OptionalLong.empty(), allocator.allocateAtAddress(KIB, KIB));
        assertEquals(OptionalLong.of(2 * KIB), allocator.allocateAtAddress(2 * KIB, KIB));

        allocator.deallocate(a.getAsLong());
        assertEquals(OptionalLong.of(0), allocator.allocateAtAddress(0, KIB));
    }

    @Test
    @DisplayName("CPU_AllocateAtAddressInteractions")
    void cpuAllocateAtAddressInteractions() {
        // Reference 6.3 [T]: BEST is "segregated first fit", the first fitting block of the lowest
        // class with a fit, not the smallest block overall nor the highest one for top-down.
        FreeListOpt allocator = gibAllocator();
        allocator.allocateAtAddress(32 * KIB, KIB);

        assertEquals(OptionalLong.of(0), allocator.allocate(KIB));
        // The C++ comment calls this counterintuitive: the small block below the wedge wins top-down.
        assertEquals(OptionalLong.of(32 * KIB - KIB), allocator.allocate(KIB, false));
        assertEquals(OptionalLong.of(KIB), allocator.allocate(KIB));
    }

    @Test
    @DisplayName("CPU_ShrinkAndReset")
    void cpuShrinkAndReset() {
        FreeListOpt allocator = gibAllocator();
        OptionalLong a = allocator.allocate(KIB);
        OptionalLong b = allocator.allocate(KIB);
        assertTrue(a.isPresent());
        assertTrue(b.isPresent());
        allocator.deallocate(a.getAsLong());

        allocator.shrinkSize(KIB, true);
        assertEquals(OptionalLong.empty(), allocator.allocateAtAddress(0, KIB));
        assertEquals(OptionalLong.empty(), allocator.allocateAtAddress(KIB, KIB));

        allocator.resetSize();
        allocator.deallocate(b.getAsLong());
        assertTrue(allocator.allocate(2 * KIB).isPresent());
    }

    @Test
    @DisplayName("CPU_RejectFullCapacityShrink")
    void cpuRejectFullCapacityShrink() {
        // Reference 6.10 [T]: shrinking by exactly the max size is rejected (strict check) and changes nothing.
        FreeListOpt allocator = gibAllocator();
        Statistics before = allocator.getStatistics();
        List<MemoryBlock> blocksBefore = allocator.getMemoryBlockTable();

        TtFatalException error = assertThrows(TtFatalException.class, () -> allocator.shrinkSize(GIB, true));
        assertTrue(error.getMessage().contains("must be smaller than max size"), error.getMessage());

        Statistics after = allocator.getStatistics();
        assertEquals(before.totalAllocatableSizeBytes(), after.totalAllocatableSizeBytes());
        assertEquals(before.totalAllocatedBytes(), after.totalAllocatedBytes());
        assertEquals(before.totalFreeBytes(), after.totalFreeBytes());
        assertEquals(before.largestFreeBlockBytes(), after.largestFreeBlockBytes());
        assertEquals(blocksBefore, allocator.getMemoryBlockTable());
    }

    @Test
    @DisplayName("CPU_ShrinkEntireLeadingFreeBlockAndReset")
    void cpuShrinkEntireLeadingFreeBlockAndReset() {
        // Consumes the whole leading free block: the size-becomes-0 unlink path (reference 6.10 step 6).
        FreeListOpt allocator = gibAllocator();
        assertEquals(OptionalLong.of(GIB - KIB), allocator.allocate(KIB, false));

        allocator.shrinkSize(GIB - KIB, true);
        assertEquals(OptionalLong.empty(), allocator.allocate(KIB));

        allocator.resetSize();
        assertEquals(OptionalLong.of(0), allocator.allocate(GIB - KIB));
    }

    @Test
    @DisplayName("CPU_Statistics")
    void cpuStatistics() {
        FreeListOpt allocator = gibAllocator();
        OptionalLong a = allocator.allocate(KIB);
        assertTrue(a.isPresent());
        assertTrue(allocator.allocate(KIB).isPresent());
        allocator.deallocate(a.getAsLong());
        assertEquals(KIB, allocator.getStatistics().totalAllocatedBytes());
    }

    @Test
    @DisplayName("CPU_AllocateFromTop")
    void cpuAllocateFromTop() {
        FreeListOpt allocator = gibAllocator();
        assertEquals(OptionalLong.of(GIB - KIB), allocator.allocate(KIB, false));
        assertEquals(OptionalLong.of(GIB - 2 * KIB), allocator.allocate(KIB, false));
        assertEquals(OptionalLong.of(0), allocator.allocate(KIB));
    }

    @Test
    @DisplayName("CPU_Coalescing")
    void cpuCoalescing() {
        FreeListOpt allocator = gibAllocator();
        OptionalLong a = allocator.allocate(KIB);
        OptionalLong b = allocator.allocate(KIB);
        assertTrue(allocator.allocate(KIB).isPresent());
        allocator.deallocate(b.getAsLong());
        allocator.deallocate(a.getAsLong());
        assertEquals(OptionalLong.of(0), allocator.allocate(2 * KIB));
    }

    @Test
    @DisplayName("CPU_CoalescingAfterResetShrink")
    void cpuCoalescingAfterResetShrink() {
        FreeListOpt allocator = gibAllocator();
        OptionalLong a = allocator.allocate(KIB);
        OptionalLong b = allocator.allocate(KIB);
        assertTrue(allocator.allocate(KIB).isPresent());
        allocator.deallocate(b.getAsLong());
        allocator.deallocate(a.getAsLong());

        allocator.shrinkSize(KIB, true);
        allocator.resetSize();
        assertEquals(OptionalLong.of(0), allocator.allocate(2 * KIB));
    }

    @Test
    @DisplayName("CoalescingAfterResetShrink (2025 variant, allocates while shrunk)")
    void coalescingAfterResetShrinkWithAllocationWhileShrunk() {
        FreeListOpt allocator = gibAllocator();
        OptionalLong a = allocator.allocate(KIB);
        OptionalLong b = allocator.allocate(KIB);
        assertTrue(allocator.allocate(KIB).isPresent());
        allocator.deallocate(b.getAsLong());
        allocator.deallocate(a.getAsLong());

        allocator.shrinkSize(KIB, true);
        allocator.allocate(2 * KIB); // the C++ ignores this result
        allocator.resetSize();
        assertEquals(OptionalLong.of(0), allocator.allocate(2 * KIB));
    }

    @Test
    @DisplayName("CPU_OutOfMemory")
    void cpuOutOfMemory() {
        FreeListOpt allocator = gibAllocator();
        assertTrue(allocator.allocate(GIB).isPresent());
        assertFalse(allocator.allocate(KIB).isPresent());

        allocator.clear();
        assertTrue(allocator.allocate(GIB - KIB).isPresent());
        assertFalse(allocator.allocate(2 * KIB).isPresent());
    }

    @Test
    @DisplayName("CPU_AvailableAddresses")
    void cpuAvailableAddresses() {
        FreeListOpt allocator = gibAllocator();
        allocator.allocate(KIB);
        assertEquals(List.of(new AddressRange(KIB, GIB)), allocator.availableAddresses(KIB));
        allocator.clear();

        assertEquals(OptionalLong.of(0), allocator.allocate(KIB));
        OptionalLong b = allocator.allocate(KIB);
        assertEquals(OptionalLong.of(KIB), b);
        assertEquals(OptionalLong.of(2 * KIB), allocator.allocate(KIB));
        allocator.deallocate(b.getAsLong());
        assertEquals(List.of(new AddressRange(KIB, 2 * KIB), new AddressRange(3 * KIB, GIB)),
                allocator.availableAddresses(KIB));

        allocator.clear();
        assertEquals(OptionalLong.of(0), allocator.allocate(KIB));
        b = allocator.allocate(KIB);
        assertEquals(OptionalLong.of(KIB), b);
        assertEquals(OptionalLong.of(2 * KIB), allocator.allocate(KIB));
        allocator.deallocate(b.getAsLong());
        assertEquals(List.of(new AddressRange(3 * KIB, GIB)), allocator.availableAddresses(10 * KIB));
    }

    @Test
    @DisplayName("CPU_LowestOccupiedAddress")
    void cpuLowestOccupiedAddress() {
        FreeListOpt allocator = gibAllocator();
        OptionalLong a = allocator.allocate(KIB);
        OptionalLong b = allocator.allocate(KIB);
        OptionalLong c = allocator.allocate(KIB);
        assertEquals(OptionalLong.of(0), a);
        assertEquals(OptionalLong.of(KIB), b);
        assertEquals(OptionalLong.of(2 * KIB), c);
        assertEquals(OptionalLong.of(0), allocator.lowestOccupiedAddress());
        allocator.deallocate(a.getAsLong());
        assertEquals(OptionalLong.of(KIB), allocator.lowestOccupiedAddress());
        allocator.deallocate(b.getAsLong());
        assertEquals(OptionalLong.of(2 * KIB), allocator.lowestOccupiedAddress());
        allocator.deallocate(c.getAsLong());
        assertEquals(OptionalLong.empty(), allocator.lowestOccupiedAddress());
    }

    @Test
    @DisplayName("CPU_LowestOccupiedAddressWithAllocateAt")
    void cpuLowestOccupiedAddressWithAllocateAt() {
        FreeListOpt allocator = gibAllocator();
        OptionalLong a = allocator.allocateAtAddress(KIB, KIB);
        assertEquals(OptionalLong.of(KIB), a);
        assertEquals(OptionalLong.of(KIB), allocator.lowestOccupiedAddress());
        allocator.deallocate(a.getAsLong());
        assertEquals(OptionalLong.empty(), allocator.lowestOccupiedAddress());
    }

    @Test
    @DisplayName("CPU_FirstFit")
    void cpuFirstFit() {
        FreeListOpt allocator = gibAllocator(SearchPolicy.FIRST);
        OptionalLong a = allocator.allocate(KIB);
        OptionalLong b = allocator.allocate(3 * KIB);
        OptionalLong c = allocator.allocate(KIB);
        OptionalLong d = allocator.allocate(KIB);
        OptionalLong e = allocator.allocate(KIB);
        assertEquals(OptionalLong.of(0), a);
        assertEquals(OptionalLong.of(KIB), b);
        assertEquals(OptionalLong.of(4 * KIB), c);
        assertEquals(OptionalLong.of(5 * KIB), d);
        assertEquals(OptionalLong.of(6 * KIB), e);

        allocator.deallocate(b.getAsLong());
        allocator.deallocate(d.getAsLong());
        // The 3 KiB hole (class 1) is lower than the 1 KiB hole (class 0): FIRST takes it.
        assertEquals(OptionalLong.of(KIB), allocator.allocate(KIB));
    }

    @Test
    @DisplayName("CPU_FirstFitAllocateAtAddressInteractions")
    void cpuFirstFitAllocateAtAddressInteractions() {
        FreeListOpt allocator = gibAllocator(SearchPolicy.FIRST);
        allocator.allocateAtAddress(32 * KIB, KIB);

        assertEquals(OptionalLong.of(0), allocator.allocate(KIB));
        assertEquals(OptionalLong.of(GIB - KIB), allocator.allocate(KIB, false));
        assertEquals(OptionalLong.of(KIB), allocator.allocate(KIB));
    }

    @Test
    @DisplayName("CPU_ReallocateAtSameAddressWithAllocateAtAddress")
    void cpuReallocateAtSameAddressWithAllocateAtAddress() {
        // Reference 6.5: the newest allocate_at_address skips dead metablocks. After the free below, slot 0
        // is dead but still records [1 KiB, 2 KiB); the merged free block lives in another slot.
        FreeListOpt allocator = gibAllocator();
        long address = KIB;
        OptionalLong a = allocator.allocateAtAddress(address, KIB);
        assertEquals(OptionalLong.of(address), a);
        allocator.deallocate(a.getAsLong());
        assertEquals(OptionalLong.of(address), allocator.allocateAtAddress(address, KIB));
    }

    @Test
    @DisplayName("CPU_AllocatedAddresses")
    void cpuAllocatedAddresses() {
        // Reference 6.7 [T]: allocated_addresses is in metablock index order, absolute, not sorted by address.
        FreeListOpt allocator = gibAllocator();
        assertTrue(allocator.allocatedAddresses().isEmpty());

        assertEquals(OptionalLong.of(GIB - 512 * KIB), allocator.allocate(512 * KIB, false));
        assertEquals(OptionalLong.of(0), allocator.allocate(2 * KIB));
        // 500 B rounds up to 1 KiB.
        assertEquals(OptionalLong.of(2 * KIB), allocator.allocate(500));

        assertEquals(List.of(
                        new AddressRange(GIB - 512 * KIB, GIB),
                        new AddressRange(0, 2 * KIB),
                        new AddressRange(2 * KIB, 3 * KIB)),
                allocator.allocatedAddresses());

        allocator.deallocate(GIB - 512 * KIB);
        assertEquals(List.of(new AddressRange(0, 2 * KIB), new AddressRange(2 * KIB, 3 * KIB)),
                allocator.allocatedAddresses());

        allocator.clear();
        assertTrue(allocator.allocatedAddresses().isEmpty());

        allocator.allocate(KIB, false);
        List<AddressRange> afterTop = allocator.allocatedAddresses();
        assertEquals(List.of(new AddressRange(GIB - KIB, GIB)), afterTop);

        allocator.shrinkSize(KIB, true);
        assertEquals(afterTop, allocator.allocatedAddresses());

        allocator.resetSize();
        assertEquals(afterTop, allocator.allocatedAddresses());
    }

    @Test
    @DisplayName("CPU_AddressesAPIWithNonzeroOffset")
    void cpuAddressesApiWithNonzeroOffset() {
        // Reference 6.7 [T]: late-2025 available_addresses and allocated_addresses are absolute (offset added).
        long offset = 2 * KIB;
        long size = GIB;
        FreeListOpt allocator = new FreeListOpt(size, offset, KIB, KIB);

        assertEquals(List.of(new AddressRange(offset, size + offset)), allocator.availableAddresses(KIB));

        assertEquals(OptionalLong.of(offset), allocator.allocateAtAddress(offset, 3 * KIB));
        assertEquals(List.of(new AddressRange(offset, 3 * KIB + offset)), allocator.allocatedAddresses());
        assertEquals(List.of(new AddressRange(3 * KIB + offset, size + offset)), allocator.availableAddresses(KIB));

        assertEquals(OptionalLong.of(size - 2 * KIB + offset), allocator.allocate(2 * KIB, false));
        assertEquals(List.of(
                        new AddressRange(offset, 3 * KIB + offset),
                        new AddressRange(size - 2 * KIB + offset, size + offset)),
                allocator.allocatedAddresses());
        assertEquals(List.of(new AddressRange(3 * KIB + offset, size - 2 * KIB + offset)),
                allocator.availableAddresses(KIB));
    }
}
