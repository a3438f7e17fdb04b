package io.github.meshalloc.examples.cli;

/** The exit codes of {@code meshalloc}. */
public final class ExitCodes {
    /** Everything ran and nothing is wrong. */
    public static final int OK = 0;
    /**
     * The subcommand found a problem (an unbalanced log, a counterexample, a story that no longer holds), or, for
     * {@code export-repro}, has no counterexample to export.
     */
    public static final int PROBLEM = 1;
    /** Bad usage: unknown option, preset, scenario or server version, or malformed input. */
    public static final int USAGE = 2;
    /** A defect in meshalloc itself (an unexpected exception). */
    public static final int INTERNAL = 3;

    private ExitCodes() {
    }
}
