package io.github.meshalloc.tracking.explore;

/**
 * Where a search stands, for a progress bar.
 *
 * @param phase               searching, shrinking or done
 * @param tryIndex            tries finished
 * @param tries               tries planned
 * @param opsRun              operations run while searching
 * @param shrinkReplays       replays spent shrinking
 * @param counterexampleLength length of the current counterexample (0 while none)
 */
public record Progress(Phase phase, int tryIndex, int tries, long opsRun, int shrinkReplays,
                       int counterexampleLength) {

    /** Phases of a search. */
    public enum Phase {
        /** Running random scripts. */
        SEARCHING,
        /** Shrinking a counterexample. */
        SHRINKING,
        /** Finished. */
        DONE
    }

    /** Receives progress reports; called on the explorer's thread. */
    @FunctionalInterface
    public interface Listener {
        /** Ignores every report. */
        Listener NONE = p -> {
        };

        /** One report. */
        void onProgress(Progress progress);
    }
}
