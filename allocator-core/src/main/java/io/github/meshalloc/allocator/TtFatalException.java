package io.github.meshalloc.allocator;

/**
 * A condition on which tt-metal raises {@code TT_FATAL} or {@code TT_THROW}.
 *
 * <p>Models the {@code std::runtime_error} those macros throw in the C++ runtime. The message
 * carries the same facts as the C++ message. Subclasses name the common cases.
 */
public class TtFatalException extends RuntimeException {
    public TtFatalException(String message) {
        super(message);
    }
}
