package io.github.meshalloc.allocator.algorithms;

/**
 * Thrown by {@link FreeListOpt} where tt-metal's {@code FreeListOpt}, run on the same block table, would
 * never return or would return a range that Java cannot represent, because earlier calls left the
 * table corrupted.
 *
 * <p>A meshalloc tool with no C++ counterpart. tt-metal's release builds do not check their block
 * table. {@code FreeListOpt::shrink_size} takes the first free metablock (in index order) that contains
 * the new bottom. It does not look at allocated metablocks with a higher index, even when they lie below
 * the new bottom. Such a shrink is accepted in the C++ too, and the table is then corrupted:
 * <ul>
 *   <li>a shrunk block that did not start at the old bottom can shrink past zero, and its size wraps
 *       around 2^64. {@code available_addresses} then returns the pair {@code (start, end)} with
 *       {@code end < start}, which an {@link AddressRange} cannot hold;</li>
 *   <li>a block shrunk to size 0 is retired, but its lower neighbour still links to its slot. When
 *       the slot is reused, the links can form a cycle of free blocks. {@code deallocate} walks the
 *       next links to recompute the lowest occupied address and loops forever on such a cycle.</li>
 * </ul>
 * meshalloc reproduces every corrupted state exactly and throws this exception only at those two
 * points, with {@link #blockId()} naming the metablock where it found the corruption. The message
 * explains what it found.
 */
public final class CorruptedFreeListException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /** The metablock at which the corruption was detected. */
    private final int blockId;

    /**
     * @param message what was found, and what the C++ would do
     * @param blockId the metablock at which the corruption was detected
     */
    public CorruptedFreeListException(String message, int blockId) {
        super(message);
        this.blockId = blockId;
    }

    /** The metablock at which the corruption was detected (see the message for the rest of the state). */
    public int blockId() {
        return blockId;
    }
}
