package io.github.meshalloc.examples.timeline;

import io.github.meshalloc.allocator.AllocationStatus;
import io.github.meshalloc.allocator.Allocator;
import io.github.meshalloc.allocator.Buffer;
import io.github.meshalloc.allocator.BufferType;
import io.github.meshalloc.allocator.HalMemType;
import io.github.meshalloc.allocator.algorithms.MemoryBlock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * One bank of one chip at one step, as the simulated allocators' block tables have it: the mesh allocator's blocks
 * (every mesh buffer sits at the same bank offset on every chip) and the chip allocator's own.
 *
 * @param device   chip id
 * @param type     bank type
 * @param step     scenario step
 * @param base     lowest allocatable bank address
 * @param size     allocatable bytes per bank
 * @param blocks   blocks in address order
 */
public record MemoryMap(int device, BufferType type, int step, long base, long size, List<Block> blocks) {

    /**
     * A block of the bank.
     *
     * @param address   bank address
     * @param size      bytes in the bank
     * @param allocated whether it is taken
     * @param owner     "mesh" or "chip"
     * @param name      what it holds, when known
     * @param leaked    taken by a Buffer already marked DEALLOCATED (its range was never returned)
     */
    public record Block(long address, long size, boolean allocated, String owner, String name, boolean leaked) {
    }

    /** Copies the blocks. */
    public MemoryMap {
        blocks = List.copyOf(blocks);
    }

    /** The map of {@code type} on {@code chip} built from the mesh allocator and the chip's allocator. */
    public static MemoryMap of(int device, BufferType type, int step, Allocator mesh, Allocator chip,
                               LongFunction<String> names) {
        List<Block> blocks = new ArrayList<>();
        add(blocks, mesh, type, "mesh", names);
        List<Block> chipBlocks = new ArrayList<>();
        add(chipBlocks, chip, type, "chip", names);
        for (Block b : chipBlocks) {
            if (b.allocated()) {
                blocks.add(b);
            }
        }
        blocks.sort(Comparator.comparingLong(Block::address).thenComparing(Block::owner));
        HalMemType mem = type == BufferType.DRAM ? HalMemType.DRAM : HalMemType.L1;
        return new MemoryMap(device, type, step, mesh.getBaseAllocatorAddr(mem), mesh.getBankSize(type), blocks);
    }

    private static void add(List<Block> out, Allocator allocator, BufferType type, String owner,
                            LongFunction<String> names) {
        Map<Long, Buffer> byAddress = new HashMap<>();
        for (Buffer b : allocator.getAllocatedBuffers()) {
            if (b.bufferType() == type) {
                byAddress.put(b.address(), b);
            }
        }
        for (MemoryBlock m : allocator.getMemoryBlockTable(type)) {
            Buffer b = byAddress.get(m.address());
            String name = m.allocated() ? names.apply(m.address()) : "free";
            out.add(new Block(m.address(), m.size(), m.allocated(), owner, name == null ? "" : name,
                    m.allocated() && b != null && b.allocationStatus() == AllocationStatus.DEALLOCATED));
        }
    }
}
