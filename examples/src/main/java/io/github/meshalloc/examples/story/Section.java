package io.github.meshalloc.examples.story;

import com.google.common.base.Preconditions;
import java.util.List;

/**
 * One part of the seeds story: a title, what was run, a table, notes and the seed figures it re-enacts.
 *
 * @param title   heading
 * @param intro   what was simulated (one or more lines)
 * @param table   one row per code state
 * @param notes   lines printed after the table
 * @param figures seed figures and how the model relates to them
 */
public record Section(String title, String intro, TextTable table, List<String> notes, List<Figure> figures) {

    /** Copies the lists. */
    public Section {
        Preconditions.checkNotNull(title, "title");
        Preconditions.checkNotNull(intro, "intro");
        Preconditions.checkNotNull(table, "table");
        notes = List.copyOf(notes);
        figures = List.copyOf(figures);
    }

    /** Heading, intro, table, notes, figures. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append(title).append('\n').append("=".repeat(title.length())).append('\n');
        sb.append(intro).append('\n').append('\n');
        sb.append(table.render());
        if (!notes.isEmpty()) {
            sb.append('\n');
            for (String note : notes) {
                sb.append(note).append('\n');
            }
        }
        if (!figures.isEmpty()) {
            sb.append('\n').append("Seed figures:").append('\n');
            for (Figure f : figures) {
                sb.append(f.render());
            }
        }
        return sb.toString();
    }
}
