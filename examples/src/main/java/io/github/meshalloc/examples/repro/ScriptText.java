package io.github.meshalloc.examples.repro;

/** The text of a generated script, one indented line at a time (four spaces per level). */
final class ScriptText {

    private static final String INDENT = "    ";

    private final StringBuilder text = new StringBuilder();

    /** Appends {@code line} at {@code depth}; an empty line gets no indent. */
    void add(int depth, String line) {
        if (!line.isEmpty()) {
            text.append(INDENT.repeat(depth)).append(line);
        }
        text.append('\n');
    }

    /** Appends another script's text as it is. */
    void add(ScriptText other) {
        text.append(other.text);
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
