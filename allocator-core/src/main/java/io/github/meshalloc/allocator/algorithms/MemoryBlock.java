package io.github.meshalloc.allocator.algorithms;

/**
 * One row of a free list's memory block table: an absolute start address, a size and whether the
 * block is allocated.
 *
 * <p>Models a row of tt-metal's {@code MemoryBlockTable} as produced by
 * {@code AllocatorAlgorithm::get_memory_block_table()} and printed by {@code dump_blocks()}
 * (columns "Address", "Size", "Allocated").
 *
 * @param address   absolute start address
 * @param size      size in bytes
 * @param allocated whether the block is allocated
 */
public record MemoryBlock(long address, long size, boolean allocated) {
}
