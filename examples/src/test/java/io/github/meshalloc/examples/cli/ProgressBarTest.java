package io.github.meshalloc.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.meshalloc.tracking.explore.Progress;
import io.github.meshalloc.tracking.explore.Progress.Phase;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The progress bar's text, drawn in place and erased at the end (exercised without a terminal). */
class ProgressBarTest {

    @Test
    void eachPhaseHasItsLine() {
        assertEquals("[###############...............] try 100/200, 2500 operations",
                ProgressBar.line(new Progress(Phase.SEARCHING, 100, 200, 2500, 0, 0)));
        assertEquals("counterexample at try 3: shrinking, 7 operations after 50 replays",
                ProgressBar.line(new Progress(Phase.SHRINKING, 3, 200, 60, 50, 7)));
        assertEquals("", ProgressBar.line(new Progress(Phase.DONE, 200, 200, 5000, 0, 0)));
    }

    @Test
    void theBarIsRedrawnInPlaceOnlyWhenItChangesAndErasedWhenDone() {
        StringWriter err = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(err));
        bar.onProgress(new Progress(Phase.SHRINKING, 1, 5, 15, 0, 15));
        bar.onProgress(new Progress(Phase.SHRINKING, 1, 5, 15, 0, 15));
        bar.onProgress(new Progress(Phase.SHRINKING, 1, 5, 15, 25, 3));
        bar.onProgress(new Progress(Phase.DONE, 1, 5, 15, 26, 3));
        String first = "counterexample at try 1: shrinking, 15 operations";
        String second = "counterexample at try 1: shrinking, 3 operations after 25 replays";
        assertEquals("\r" + first + "\r" + second + "\r" + " ".repeat(second.length()) + "\r", err.toString());
    }
}
