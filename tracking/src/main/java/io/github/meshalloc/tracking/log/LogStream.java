package io.github.meshalloc.tracking.log;

/**
 * The stream a server line is written to.
 *
 * <p>Models {@code std::cout} and {@code std::cerr} of {@code MUM/allocation_server_poc.cpp}: per-event lines and
 * blocks go to stdout, rejections (bad type, bad device, bad size, unknown message type, resync give-up, device query
 * failures) to stderr (reference section 4). Both are unbuffered in the C++ ({@code setbuf(stdout, NULL)}).
 */
public enum LogStream {
    /** {@code std::cout}. */
    STDOUT,
    /** {@code std::cerr}. */
    STDERR
}
