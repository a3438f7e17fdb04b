package io.github.meshalloc.examples.cli;

/** Input the user gave that meshalloc cannot use (exit code {@link ExitCodes#USAGE}); the message says why. */
public final class BadInputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** With a message naming the input and what is wrong with it. */
    public BadInputException(String message) {
        super(message);
    }

    /** With a message and the underlying cause. */
    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
