package io.github.meshalloc.allocator.algorithms;

import io.github.meshalloc.allocator.OutOfMemoryException;

/**
 * Thrown when an allocation lands below the requested address limit.
 *
 * <p>Models the {@code TT_THROW("Out of Memory: Cannot allocate at an address below ...")} in
 * {@code FreeListOpt::allocate} and {@code FreeList::allocate}. As in the C++, the block has
 * already been carved when this is thrown: the space leaks until {@code clear()} (reference 6.3 step 8).
 */
public final class AddressLimitViolationException extends OutOfMemoryException {
    private final long addressLimit;
    private final long address;

    public AddressLimitViolationException(String message, long addressLimit, long address) {
        super(message);
        this.addressLimit = addressLimit;
        this.address = address;
    }

    public long addressLimit() {
        return addressLimit;
    }

    public long address() {
        return address;
    }
}
