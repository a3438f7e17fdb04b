package io.github.meshalloc.allocator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * tt-metal's {@code tests/tt_metal/tt_metal/api/allocator/test_l1_banking_allocator.cpp}, ported to the
 * presets.
 *
 * <p>The C++ runs on a single-card mesh fixture opened with default sizes (no L1_SMALL, no trace) and
 * allocates replicated MeshBuffers of one page each; on one chip such a MeshBuffer's backing buffer is
 * exactly an owning interleaved L1 Buffer, which is what these tests create. The allocation limit the C++
 * computes is {@code worker_l1_size - l1_unreserved_base}. Expected values are the C++ ones.
 */
class AllocatorPortedTest {

    private static Device openDefault(ArchPreset arch) {
        Device device = new Device(0, arch.config(), MetalContext.untracked());
        device.initialize();
        return device;
    }

    /** {@code get_alloc_limit}: the interleaved L1 bank size, worker L1 size minus the unreserved base. */
    private static long allocLimit(Device device) {
        return device.l1SizePerCore() - device.allocator().getBaseAllocatorAddr(HalMemType.L1);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ArchPreset.class)
    @DisplayName("MeshDeviceSingleCardBufferFixture.TestL1BuffersAllocatedTopDown")
    void testL1BuffersAllocatedTopDown(ArchPreset arch) {
        Device device = openDefault(arch);
        long[] sizes = {32 * 1024, 64 * 1024, 128 * 1024};
        long limit = allocLimit(device);
        List<Buffer> buffers = new ArrayList<>();
        long total = 0;
        int next = 0;
        while (true) {
            long size = sizes[next];
            next = (next + 1) % sizes.length;
            if (total + size >= limit) {
                break;
            }
            buffers.add(Buffer.create(device, size, size, BufferType.L1));
            total += size;
            // [T] 4.2: the first L1 allocation of per-bank size X lands at W - small - X (small = 0 here).
            assertEquals(device.l1SizePerCore() - total, buffers.get(buffers.size() - 1).address());
        }
        assertTrue(buffers.size() >= 10, "the loop should fill most of L1, made " + buffers.size());
        buffers.forEach(Buffer::release);
        assertTrue(device.allocator().isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ArchPreset.class)
    @DisplayName("MeshDeviceSingleCardBufferFixture.TestL1BuffersDoNotGrowBeyondBankSize")
    void testL1BuffersDoNotGrowBeyondBankSize(ArchPreset arch) {
        Device device = openDefault(arch);
        long size = allocLimit(device) + 64;
        assertThrows(OutOfMemoryException.class, () -> Buffer.create(device, size, size, BufferType.L1));
        assertEquals(0, device.allocator().getNumAllocatedBuffers());
    }

    @Test
    void wormholePresetMatchesTheL1BankingAllocatorMockOfTheOverlappedBankManagerTest() {
        // [T] reference 3: a Wormhole-like L1BankingAllocator with l1_unreserved_base 100416 and 1398720 allocatable.
        Device device = openDefault(ArchPreset.WORMHOLE_B0);
        assertEquals(100416, device.allocator().getBaseAllocatorAddr(HalMemType.L1));
        assertEquals(1398720, device.allocator().getBankSize(BufferType.L1));
        assertEquals(1398720, allocLimit(device));
        // NonzeroAllocOffset's first top-down 4 KiB allocation: allocatable - 4096 + base.
        assertEquals(1398720 - 4096 + 100416, Buffer.create(device, 64 * 4096, 4096, BufferType.L1).address());
    }

    @Test
    void wormholeOutOfMemoryMessageForTheOversizedBuffer() {
        Device device = openDefault(ArchPreset.WORMHOLE_B0);
        OutOfMemoryException e = assertThrows(OutOfMemoryException.class,
                () -> Buffer.create(device, 1398784, 1398784, BufferType.L1));
        assertEquals("Out of Memory: Not enough space to allocate 1398784 B L1 buffer across 64 banks, where each "
                + "bank needs to store 1398784 B, but bank size is 1398720 B (allocated: 0 B, free: 1398720 B, "
                + "largest free block: 1398720 B)", e.getMessage());
    }

    @Test
    void withL1SmallTheTopDownStackStartsBelowIt() {
        // The same loop with 64 KiB of L1_SMALL: every address moves down by the L1_SMALL size.
        long small = 64 * 1024;
        Device device = new Device(0, ArchPreset.WORMHOLE_B0.config(0, small), MetalContext.untracked());
        device.initialize();
        long total = 0;
        for (long size : new long[] {32 * 1024, 64 * 1024, 128 * 1024, 32 * 1024}) {
            total += size;
            assertEquals(device.l1SizePerCore() - small - total,
                    Buffer.create(device, size, size, BufferType.L1).address());
        }
    }
}
