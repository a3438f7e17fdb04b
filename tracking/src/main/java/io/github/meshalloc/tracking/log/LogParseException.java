package io.github.meshalloc.tracking.log;

/**
 * A line started like a per-event server line but does not match its grammar.
 *
 * <p>Models the failure of the reference log analysers' regexes ({@code MUM/analyze_buffer_log.py}) on a corrupt
 * line, made loud: the message names the line number, the reason and the text.
 */
public final class LogParseException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int lineNumber;
    private final String line;
    private final String reason;

    /**
     * @param lineNumber 1-based line number
     * @param line       the offending line
     * @param reason     what did not match
     */
    public LogParseException(int lineNumber, String line, String reason) {
        super("line " + lineNumber + ": " + reason + ": " + line);
        this.lineNumber = lineNumber;
        this.line = line;
        this.reason = reason;
    }

    /** 1-based line number. */
    public int lineNumber() {
        return lineNumber;
    }

    /** The offending line. */
    public String line() {
        return line;
    }

    /** What did not match. */
    public String reason() {
        return reason;
    }
}
