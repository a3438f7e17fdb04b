package io.github.meshalloc.allocator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.allocator.algorithms.AddressLimitViolationException;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * tt-metal's {@code tests/tt_metal/tt_metal/api/allocator/test_overlapped_bank_manager.cpp} (2025), ported.
 *
 * <p>One Java test per C++ {@code TEST}/{@code TEST_P} (display name = C++ suite.name), with the C++ expected
 * values; the code is rewritten. The C++ builds its managers through a helper that takes a single DRAM bank
 * at offset 0 and lets the HAL supply the free-list alignment; here the HAL DRAM alignment is Wormhole's 32.
 * A few extra tests at the end cover the remaining [T] statements of reference section 5 and the
 * per-allocator range cache; each names the statement it covers.
 */
class BankManagerPortedTest {

    private static final long KIB = 1024;
    private static final long MIB = 1024 * KIB;
    private static final long HAL_DRAM_ALIGNMENT = 32;
    private static final CoreRangeSet NO_CORES = new CoreRangeSet(List.of());

    /** Allocators 0 and 1 independent; allocator 2 overlaps both. */
    private static final Map<Integer, List<Integer>> TWO_INDEPENDENT_ONE_OVERLAPPING =
            Map.of(0, List.of(2), 1, List.of(2));

    /** The C++ helper: one DRAM bank at offset 0, free list from 0. */
    private static BankManager managerWithDependencies(long size, long alignment, AllocatorDependencies deps) {
        return new BankManager(BufferType.DRAM, List.of(0L), size, alignment, 0, false, deps, HAL_DRAM_ALIGNMENT);
    }

    private static BankManager managerWithDependencies(long size, long alignment, Map<Integer, List<Integer>> map) {
        return managerWithDependencies(size, alignment, AllocatorDependencies.fromMap(map));
    }

    /** Two allocators with no dependencies between them. */
    private static AllocatorDependencies twoIndependent() {
        return AllocatorDependencies.fromMap(Map.of(0, List.of(), 1, List.of()));
    }

    /** {@code allocate_buffer(size, size, bottom_up, empty grid, nullopt, id)}: one page per request. */
    private static long alloc(BankManager manager, long size, boolean bottomUp, int allocatorId) {
        return manager.allocateBuffer(size, size, bottomUp, NO_CORES, OptionalInt.empty(), allocatorId);
    }

    // ---------------------------------------------------------------------------------------------
    // AllocatorDependencies
    // ---------------------------------------------------------------------------------------------

    @Test
    @DisplayName("AllocatorDependencies.DefaultAllocatorDependencies")
    void defaultAllocatorDependencies() {
        // [T] 5.6: an empty map means one allocator.
        assertEquals(List.of(List.of()), AllocatorDependencies.SINGLE.dependencies());
        assertEquals(AllocatorDependencies.SINGLE, AllocatorDependencies.fromMap(Map.of()));
    }

    @Test
    @DisplayName("AllocatorDependencies.DuplicateDependencies")
    void duplicateDependencies() {
        // [T] 5.6: a duplicate value in one input list is fatal.
        TtFatalException e = assertThrows(TtFatalException.class,
                () -> AllocatorDependencies.fromMap(Map.of(0, List.of(1, 1))));
        assertTrue(e.getMessage().contains("Duplicate dependency for allocator 0: 1 appears more than once!"),
                e.getMessage());
    }

    @Test
    @DisplayName("AllocatorDependencies.EquivalentDependenciesMaps")
    void equivalentDependenciesMaps() {
        // [T] 5.6: the relation is made symmetric; equality compares the symmetric sorted lists.
        AllocatorDependencies both = AllocatorDependencies.fromMap(Map.of(0, List.of(1), 1, List.of(0)));
        AllocatorDependencies forward = AllocatorDependencies.fromMap(Map.of(0, List.of(1)));
        AllocatorDependencies backward = AllocatorDependencies.fromMap(Map.of(1, List.of(0)));
        assertEquals(both, forward);
        assertEquals(both, backward);
    }

    static Stream<Arguments> validateDependenciesCases() {
        return Stream.of(
                Arguments.of("Empty input", Map.of(), List.of(List.of())),
                Arguments.of("Single allocator default behavior (explicit input)", Map.of(0, List.of()),
                        List.of(List.of())),
                Arguments.of("Two-way dependency", Map.of(0, List.of(1), 1, List.of(0)),
                        List.of(List.of(1), List.of(0))),
                Arguments.of("Sparse keys with one dependency specified", Map.of(3, List.of(0, 1)),
                        List.of(List.of(3), List.of(3), List.of(), List.of(0, 1))),
                Arguments.of("Sparse keys, values imply more allocators", Map.of(1, List.of(3)),
                        List.of(List.of(), List.of(3), List.of(), List.of(1))),
                Arguments.of("Fan-in: 1,2,3 depend on 0", Map.of(1, List.of(0), 2, List.of(0), 3, List.of(0)),
                        List.of(List.of(1, 2, 3), List.of(0), List.of(0), List.of(0))),
                Arguments.of("Fan-out: 0 depends on 1,2,3", Map.of(0, List.of(1, 2, 3)),
                        List.of(List.of(1, 2, 3), List.of(0), List.of(0), List.of(0))),
                Arguments.of("Chain: 0->1->2->3", Map.of(0, List.of(1), 1, List.of(2), 2, List.of(3)),
                        List.of(List.of(1), List.of(0, 2), List.of(1, 3), List.of(2))),
                Arguments.of("Cycle: 0->1->2->0", Map.of(0, List.of(1), 1, List.of(2), 2, List.of(0)),
                        List.of(List.of(1, 2), List.of(0, 2), List.of(0, 1))),
                // Not a C++ case: input lists in descending order come out sorted ascending.
                Arguments.of("Unsorted input list", Map.of(2, List.of(1, 0)),
                        List.of(List.of(2), List.of(2), List.of(0, 1))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validateDependenciesCases")
    @DisplayName("AllocatorDependencies/AllocatorDependenciesParamTest.ValidateDependencies")
    void validateDependencies(String name, Map<Integer, List<Integer>> input, List<List<Integer>> expected) {
        // [T] 5.6: number of allocators = 1 + largest id mentioned anywhere; symmetric; sorted ascending.
        AllocatorDependencies deps = AllocatorDependencies.fromMap(input);
        assertEquals(expected, deps.dependencies());
        assertEquals(expected.size(), deps.numAllocators());
    }

    // ---------------------------------------------------------------------------------------------
    // Overlapped BankManager
    // ---------------------------------------------------------------------------------------------

    @Test
    @DisplayName("OverlappedAllocators.InvalidAllocator")
    void invalidAllocator() {
        BankManager manager = managerWithDependencies(MIB, KIB, twoIndependent());
        TtFatalException allocate = assertThrows(TtFatalException.class, () -> alloc(manager, KIB, true, 2));
        assertTrue(allocate.getMessage().contains("Invalid allocator ID 2 (num_allocators=2)"), allocate.getMessage());
        TtFatalException lowest = assertThrows(TtFatalException.class, () -> manager.lowestOccupiedAddress(0, 2));
        assertTrue(lowest.getMessage().contains("Invalid allocator ID 2 (num_allocators=2)"), lowest.getMessage());
    }

    @Test
    @DisplayName("OverlappedAllocators.InvalidAPIsForOverlappedAllocators")
    void invalidApisForOverlappedAllocators() {
        BankManager manager = managerWithDependencies(MIB, KIB, twoIndependent());
        for (int id = 0; id < 2; id++) {
            final int allocatorId = id;
            assertTrue(assertThrows(TtFatalException.class, () -> manager.resetSize(allocatorId)).getMessage()
                    .contains("Expected single allocator!"));
            assertTrue(assertThrows(TtFatalException.class, () -> manager.shrinkSize(KIB, true, allocatorId))
                    .getMessage().contains("Expected single allocator!"));
        }
    }

    @Test
    @DisplayName("OverlappedAllocators.DeallocateAllAndClear")
    void deallocateAllAndClear() {
        BankManager manager = managerWithDependencies(MIB, KIB, TWO_INDEPENDENT_ONE_OVERLAPPING);
        int bank = 0;
        for (int id = 0; id < 3; id++) {
            assertEquals(OptionalLong.empty(), manager.lowestOccupiedAddress(bank, id));
        }
        alloc(manager, KIB, true, 0);
        long addr1 = alloc(manager, 2 * KIB, true, 1);
        alloc(manager, KIB, true, 2);

        assertEquals(OptionalLong.of(0), manager.lowestOccupiedAddress(bank, 0));
        assertEquals(OptionalLong.of(0), manager.lowestOccupiedAddress(bank, 1));
        assertEquals(OptionalLong.of(addr1 + 2 * KIB), manager.lowestOccupiedAddress(bank, 2));

        manager.deallocateAll();
        manager.clear();
        for (int id = 0; id < 3; id++) {
            assertEquals(OptionalLong.empty(), manager.lowestOccupiedAddress(bank, id));
        }

        long newAddr0 = alloc(manager, KIB, true, 0);
        long newAddr1 = alloc(manager, 2 * KIB, true, 1);
        long newAddr2 = alloc(manager, KIB, true, 2);
        assertEquals(0, newAddr0);
        assertEquals(0, newAddr1);
        assertEquals(newAddr1 + 2 * KIB, newAddr2);
    }

    @Test
    @DisplayName("OverlappedAllocators.IndependentAllocAndDeallocBottomUp")
    void independentAllocAndDeallocBottomUp() {
        BankManager manager = managerWithDependencies(MIB, KIB, twoIndependent());
        long a0First = alloc(manager, KIB, true, 0);
        assertEquals(0, a0First);
        long a1First = alloc(manager, 2 * KIB, true, 1);
        assertEquals(0, a1First);
        long a0Second = alloc(manager, KIB, true, 0);
        assertEquals(a0First + KIB, a0Second);
        long a1Second = alloc(manager, 2 * KIB, true, 1);
        assertEquals(a1First + 2 * KIB, a1Second);

        manager.deallocateBuffer(a1First, 1);
        assertEquals(OptionalLong.of(a1Second), manager.lowestOccupiedAddress(0, 1));
        assertEquals(0, alloc(manager, KIB, true, 1));

        manager.deallocateBuffer(a0First, 0);
        assertEquals(OptionalLong.of(a0Second), manager.lowestOccupiedAddress(0, 0));
    }

    @Test
    @DisplayName("OverlappedAllocators.IndependentAllocAndDeallocTopDown")
    void independentAllocAndDeallocTopDown() {
        long total = MIB;
        BankManager manager = managerWithDependencies(total, KIB, twoIndependent());
        long a0First = alloc(manager, KIB, false, 0);
        assertEquals(total - KIB, a0First);
        long a1First = alloc(manager, 2 * KIB, false, 1);
        assertEquals(total - 2 * KIB, a1First);
        long a0Second = alloc(manager, KIB, false, 0);
        assertEquals(a0First - KIB, a0Second);
        long a1Second = alloc(manager, 2 * KIB, false, 1);
        assertEquals(a1First - 2 * KIB, a1Second);

        manager.deallocateBuffer(a1First, 1);
        assertEquals(OptionalLong.of(a1Second), manager.lowestOccupiedAddress(0, 1));
        assertEquals(total - KIB, alloc(manager, KIB, false, 1));

        manager.deallocateBuffer(a0First, 0);
        assertEquals(OptionalLong.of(a0Second), manager.lowestOccupiedAddress(0, 0));
    }

    @Test
    @DisplayName("OverlappedAllocators.OverlappedAllocAndDeallocBottomUp")
    void overlappedAllocAndDeallocBottomUp() {
        BankManager manager = managerWithDependencies(MIB, KIB, TWO_INDEPENDENT_ONE_OVERLAPPING);
        long a0First = alloc(manager, KIB, true, 0);
        assertEquals(0, a0First);
        long a1First = alloc(manager, 2 * KIB, true, 1);
        assertEquals(0, a1First);
        long a1Second = alloc(manager, KIB, true, 1);
        assertEquals(a1First + 2 * KIB, a1Second);
        // Allocator 2 must clear both 0 and 1: after allocator 1's second block.
        long a2First = alloc(manager, KIB, true, 2);
        assertEquals(a1Second + KIB, a2First);
        long a0Second = alloc(manager, KIB, true, 0);
        assertEquals(a0First + KIB, a0Second);
        long a1Third = alloc(manager, KIB, true, 1);
        assertEquals(a2First + KIB, a1Third);

        manager.deallocateBuffer(a2First, 2);
        // [T] 5.6: a dependent allocator's lowest occupied address ignores other allocators.
        assertEquals(OptionalLong.empty(), manager.lowestOccupiedAddress(0, 2));
        long a0Third = alloc(manager, 2 * KIB, true, 0);
        assertEquals(a0Second + KIB, a0Third);
        long a1Fourth = alloc(manager, KIB, true, 1);
        assertEquals(a2First, a1Fourth);

        manager.deallocateBuffer(a0Second, 0);
        manager.deallocateBuffer(a1First, 1);
        long a2Second = alloc(manager, KIB, true, 2);
        assertEquals(a0Second, a2Second);
    }

    @Test
    @DisplayName("OverlappedAllocators.OverlappedAllocAndDeallocTopDown")
    void overlappedAllocAndDeallocTopDown() {
        long total = MIB;
        BankManager manager = managerWithDependencies(total, KIB, TWO_INDEPENDENT_ONE_OVERLAPPING);
        long a0First = alloc(manager, KIB, false, 0);
        assertEquals(total - KIB, a0First);
        long a1First = alloc(manager, 2 * KIB, false, 1);
        assertEquals(total - 2 * KIB, a1First);
        long a1Second = alloc(manager, KIB, false, 1);
        assertEquals(a1First - KIB, a1Second);
        long a2First = alloc(manager, KIB, false, 2);
        assertEquals(a1Second - KIB, a2First);
        long a0Second = alloc(manager, KIB, false, 0);
        assertEquals(a0First - KIB, a0Second);
        long a1Third = alloc(manager, KIB, false, 1);
        assertEquals(a2First - KIB, a1Third);

        manager.deallocateBuffer(a2First, 2);
        // [T] 5.6: a dependent allocator's lowest occupied address ignores other allocators.
        assertEquals(OptionalLong.empty(), manager.lowestOccupiedAddress(0, 2));
        long a0Third = alloc(manager, 2 * KIB, false, 0);
        assertEquals(a0Second - 2 * KIB, a0Third);
        long a1Fourth = alloc(manager, KIB, false, 1);
        assertEquals(a2First, a1Fourth);

        manager.deallocateBuffer(a0Second, 0);
        manager.deallocateBuffer(a1First, 1);
        long a2Second = alloc(manager, KIB, false, 2);
        assertEquals(a0Second, a2Second);
    }

    @Test
    @DisplayName("OverlappedAllocators.OverlappedAllocationsWithUnalignedSizesBottomUp")
    void overlappedAllocationsWithUnalignedSizesBottomUp() {
        long alignment = 1024;
        BankManager manager = managerWithDependencies(MIB, alignment, TWO_INDEPENDENT_ONE_OVERLAPPING);
        long unaligned = 512;
        long aligned = (unaligned + alignment - 1) / alignment * alignment;
        assertEquals(1024, aligned);

        long a0First = alloc(manager, unaligned, true, 0);
        assertEquals(0, a0First);
        long a2First = alloc(manager, unaligned, true, 2);
        assertEquals(a0First + aligned, a2First);
        long a1First = alloc(manager, unaligned, true, 1);
        assertEquals(0, a1First);
        long a1Second = alloc(manager, unaligned, true, 1);
        assertEquals(a2First + aligned, a1Second);
        long a0Second = alloc(manager, 2 * KIB, true, 0);
        assertEquals(a2First + aligned, a0Second);
    }

    @Test
    @DisplayName("OverlappedAllocators.OverlappedAllocationsWithUnalignedSizesTopDown")
    void overlappedAllocationsWithUnalignedSizesTopDown() {
        long total = MIB;
        long alignment = 1024;
        BankManager manager = managerWithDependencies(total, alignment, TWO_INDEPENDENT_ONE_OVERLAPPING);
        long unaligned = 512;
        long aligned = (unaligned + alignment - 1) / alignment * alignment;
        assertEquals(1024, aligned);

        long a0First = alloc(manager, unaligned, false, 0);
        assertEquals(total - aligned, a0First);
        long a2First = alloc(manager, unaligned, false, 2);
        assertEquals(a0First - aligned, a2First);
        long a1First = alloc(manager, unaligned, false, 1);
        assertEquals(total - aligned, a1First);
        long a1Second = alloc(manager, unaligned, false, 1);
        assertEquals(a2First - aligned, a1Second);
        long a0Second = alloc(manager, 2 * KIB, false, 0);
        assertEquals(a2First - 2 * KIB, a0Second);
    }

    @Test
    @DisplayName("OverlappedAllocators.OverlappedAllocationsFromBothSides")
    void overlappedAllocationsFromBothSides() {
        long total = MIB;
        BankManager manager = managerWithDependencies(total, KIB, TWO_INDEPENDENT_ONE_OVERLAPPING);
        long half = total / 2;
        long quarter = total / 4;

        long a0Half = alloc(manager, half, true, 0);
        long a0Small = alloc(manager, KIB, true, 0);
        long a1Small = alloc(manager, 2 * KIB, false, 1);
        long a1Half = alloc(manager, half, false, 1);

        OutOfMemoryException e = assertThrows(OutOfMemoryException.class, () -> alloc(manager, KIB, true, 2));
        assertTrue(e.getMessage().contains("Out of Memory: Not enough space after considering dependencies to "
                + "allocate 1024 B DRAM across 1 banks (1024 B per bank)"), e.getMessage());

        manager.deallocateBuffer(a1Half, 1);
        long a2Bottom = alloc(manager, KIB, true, 2);
        assertEquals(a0Small + KIB, a2Bottom);
        long a2Top = alloc(manager, KIB, false, 2);
        assertEquals(a1Small - KIB, a2Top);

        manager.deallocateBuffer(a0Half, 0);
        long a2Half = alloc(manager, half, false, 2);
        assertEquals(a0Small - half, a2Half);
        assertEquals(0, a2Half);
        long a2Quarter = alloc(manager, quarter, true, 2);
        assertEquals(a2Bottom + KIB, a2Quarter);
    }

    @Test
    @DisplayName("OverlappedAllocators.NonzeroAddressLimit")
    void nonzeroAddressLimit() {
        long total = MIB;
        long alignment = 1024;
        long limit = 256 * KIB;
        BankManager manager = new BankManager(BufferType.L1, Map.of(0, 0L), total, limit, alignment, 0, false,
                AllocatorDependencies.fromMap(TWO_INDEPENDENT_ONE_OVERLAPPING), HAL_DRAM_ALIGNMENT);
        long slightlyMoreThanHalf = total / 2 + KIB;

        assertEquals(limit, alloc(manager, KIB, true, 0));
        assertEquals(limit, alloc(manager, slightlyMoreThanHalf, true, 1));

        OutOfMemoryException e = assertThrows(OutOfMemoryException.class, () -> alloc(manager, limit, false, 2));
        assertTrue(e.getMessage().contains("Out of Memory: Not enough space after considering dependencies to "
                + "allocate 262144 B L1 across 1 banks (262144 B per bank)"), e.getMessage());

        assertEquals(limit + slightlyMoreThanHalf, alloc(manager, KIB, true, 2));

        // [T] 5.4: the destructor is the default one; deallocate_all alone must leave a usable manager.
        manager.deallocateAll();
        assertEquals(limit, alloc(manager, KIB, true, 0));
    }

    @Test
    @DisplayName("OverlappedAllocators.NonzeroAllocOffset")
    void nonzeroAllocOffset() {
        // The C++ mock of an L1BankingAllocator: offset 100416, limit 100432, 1398720 allocatable, L1 alignment 16.
        long allocatable = 1398720;
        long limit = 100432;
        long base = 100416;
        BankManager manager = new BankManager(BufferType.L1, Map.of(0, 0L), allocatable, limit, 16, base, false,
                AllocatorDependencies.fromMap(TWO_INDEPENDENT_ONE_OVERLAPPING), HAL_DRAM_ALIGNMENT);
        long size = 4096;

        long top0 = alloc(manager, size, false, 0);
        assertEquals(allocatable - size + base, top0);
        long top1 = alloc(manager, size, false, 0);
        assertEquals(top0 - size, top1);

        // [T] 5.6 NonzeroAllocOffset: the dependency path places bottom-up requests at the limit.
        long bottom0 = alloc(manager, size, true, 0);
        assertEquals(limit, bottom0);
        long bottom1 = alloc(manager, size, true, 0);
        assertEquals(bottom0 + size, bottom1);
    }

    // ---------------------------------------------------------------------------------------------
    // Reference section 5 [T] statements not asserted by a C++ test above, and the range cache
    // ---------------------------------------------------------------------------------------------

    @Test
    void singleAllocatorPathThrowsWhereTheDependencyPathUsesTheLimit() {
        // [T] 5.6 NonzeroAllocOffset: "...whereas the single-allocator path would throw".
        BankManager manager = new BankManager(BufferType.L1, Map.of(0, 0L), 1398720, 100432, 16, 100416, false,
                AllocatorDependencies.SINGLE, HAL_DRAM_ALIGNMENT);
        AddressLimitViolationException e = assertThrows(AddressLimitViolationException.class,
                () -> alloc(manager, 4096, true, 0));
        assertEquals(100432, e.addressLimit());
        assertEquals(100416, e.address());
    }

    @Test
    void constructorTakesTheDramAlignmentExplicitly() {
        // [T] 5.1 (test_per_core_bank_manager.cpp, 2026): the free list's alignment is the DRAM alignment
        // given to the constructor, whatever the type's own alignment.
        BankManager wh = new BankManager(BufferType.L1, Map.of(0, 0L), MIB, 0, 16, 0, true,
                AllocatorDependencies.SINGLE, 32);
        BankManager bh = new BankManager(BufferType.L1, Map.of(0, 0L), MIB, 0, 16, 0, true,
                AllocatorDependencies.SINGLE, 64);
        for (BankManager manager : List.of(wh, bh)) {
            manager.allocateBuffer(16, 16, true, CoreRangeSet.of(CoreRange.grid(1, 1)), OptionalInt.of(1), 0);
        }
        assertEquals(32, wh.getStatistics().totalAllocatedBytes());
        assertEquals(64, bh.getStatistics().totalAllocatedBytes());
    }

    @Test
    void rangeCacheIsInvalidatedWhenADependentAllocatesOrFrees() {
        // Reference 5.6 step 4: allocator 2's view of 0's and 1's ranges is cached until one of them changes.
        BankManager manager = managerWithDependencies(MIB, KIB, TWO_INDEPENDENT_ONE_OVERLAPPING);
        long a0 = alloc(manager, 4 * KIB, true, 0);             // 0: [0, 4K)
        assertEquals(0, a0);
        assertEquals(4 * KIB, alloc(manager, KIB, true, 2));    // 2: [4K, 5K); caches {[0, 4K)}
        long a1 = alloc(manager, 8 * KIB, true, 1);             // 1 avoids 2: [5K, 13K)
        assertEquals(5 * KIB, a1);
        assertEquals(13 * KIB, alloc(manager, KIB, true, 2), "2 sees 1's new block");
        manager.deallocateBuffer(a1, 1);
        assertEquals(5 * KIB, alloc(manager, KIB, true, 2), "2 sees 1's free");
        manager.deallocateBuffer(a0, 0);
        assertEquals(0, alloc(manager, KIB, true, 2), "2 sees 0's free");
    }

    @Test
    void dependencyPathAvoidsTheUnionOfAllDependents() {
        // Reference 5.6 steps 4-6: overlapping and touching ranges of 0 and 1 form one occupied range [0, 4K).
        BankManager manager = managerWithDependencies(8 * KIB, KIB, TWO_INDEPENDENT_ONE_OVERLAPPING);
        alloc(manager, 2 * KIB, true, 0);                       // 0: [0, 2K)
        alloc(manager, 2 * KIB, true, 1);                       // 1: [0, 2K)
        alloc(manager, 2 * KIB, true, 1);                       // 1: [2K, 4K)
        assertEquals(4 * KIB, alloc(manager, KIB, true, 2));
        assertEquals(8 * KIB - KIB, alloc(manager, KIB, false, 2));
        assertEquals(List.of(0L, 2 * KIB), manager.allocatedAddresses(1));
    }

    @Test
    void dependencyPathOutOfMemoryLeavesEveryAllocatorUntouched() {
        BankManager manager = managerWithDependencies(4 * KIB, KIB, TWO_INDEPENDENT_ONE_OVERLAPPING);
        alloc(manager, 3 * KIB, true, 0);
        var before = List.of(manager.getMemoryBlockTable(0), manager.getMemoryBlockTable(1),
                manager.getMemoryBlockTable(2));
        OutOfMemoryException e = assertThrows(OutOfMemoryException.class, () -> alloc(manager, 2 * KIB, true, 2));
        assertEquals("Out of Memory: Not enough space after considering dependencies to allocate 2048 B DRAM across "
                + "1 banks (2048 B per bank), bank size is 4096 B (allocated: 0 B, free: 4096 B, largest free "
                + "block: 4096 B)", e.getMessage());
        assertEquals(before, List.of(manager.getMemoryBlockTable(0), manager.getMemoryBlockTable(1),
                manager.getMemoryBlockTable(2)));
        assertEquals(List.of(), manager.allocatedAddresses(2));
    }
}
