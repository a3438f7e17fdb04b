package io.github.meshalloc.examples.cli;

import com.google.common.base.Preconditions;
import com.google.common.base.Strings;
import io.github.meshalloc.tracking.explore.Progress;
import java.io.PrintWriter;

/**
 * A one-line progress bar for the explorer, redrawn in place with {@code \r} and erased when the search is done.
 *
 * <p>Meant for a terminal's error stream: {@code check} and {@code export-repro} use it only when
 * {@code System.console()} is not null, so tests, pipes and CI never see it.
 */
final class ProgressBar implements Progress.Listener {

    /** Width of the bar in characters. */
    static final int WIDTH = 30;

    private final PrintWriter err;
    private String shown = "";

    ProgressBar(PrintWriter err) {
        this.err = Preconditions.checkNotNull(err, "err");
    }

    /** The line for one report; empty once the search is done. */
    static String line(Progress p) {
        return switch (p.phase()) {
            case SEARCHING -> {
                int filled = (int) ((long) WIDTH * p.tryIndex() / p.tries());
                yield "[" + Strings.repeat("#", filled) + Strings.repeat(".", WIDTH - filled) + "] try " + p.tryIndex()
                        + "/" + p.tries() + ", " + p.opsRun() + " operations";
            }
            case SHRINKING -> "counterexample at try " + p.tryIndex() + ": shrinking, " + p.counterexampleLength()
                    + " operations" + (p.shrinkReplays() > 0 ? " after " + p.shrinkReplays() + " replays" : "");
            case DONE -> "";
        };
    }

    @Override
    public void onProgress(Progress progress) {
        String next = line(progress);
        if (next.equals(shown)) {
            return;
        }
        // pad over the previous line's tail, then park the cursor at the start (or clear the line when done)
        err.print("\r" + Strings.padEnd(next, shown.length(), ' ') + (next.isEmpty() ? "\r" : ""));
        err.flush();
        shown = next;
    }
}
