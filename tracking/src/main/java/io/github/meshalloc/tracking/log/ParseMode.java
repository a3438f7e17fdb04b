package io.github.meshalloc.tracking.log;

/**
 * What {@link ServerLogParser} does with a line that starts like a per-event line but breaks its grammar.
 *
 * <p>Models the two uses of the reference analysers {@code MUM/analyze_buffer_log.py} and
 * {@code MUM/correlate_leaked_buffers.py} (which silently skip lines their regexes miss): replaying a real server log,
 * where a malformed event line means corruption ({@link #STRICT}), versus reading lines quoted in notes, which include
 * paraphrases such as {@code ✓ [PID 1044345] Allocated 16 buffers on Device 0} that no server version prints
 * ({@link #LENIENT}).
 */
public enum ParseMode {
    /** Throw {@link LogParseException} naming the line number and text. */
    STRICT,
    /** Return a {@link LogEvent.Malformed} event carrying the text and the reason. */
    LENIENT
}
