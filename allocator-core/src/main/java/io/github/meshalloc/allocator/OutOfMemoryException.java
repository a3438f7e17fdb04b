package io.github.meshalloc.allocator;

/**
 * An allocation that cannot be satisfied.
 *
 * <p>Models the C++ exception raised by {@code TT_FATAL}/{@code TT_THROW} with an
 * "Out of Memory: ..." message (BankManager, FreeListOpt). In tt-metal out-of-memory is an
 * exception, not a status (reference 5.5).
 */
public class OutOfMemoryException extends TtFatalException {
    public OutOfMemoryException(String message) {
        super(message);
    }
}
