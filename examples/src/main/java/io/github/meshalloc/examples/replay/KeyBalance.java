package io.github.meshalloc.examples.replay;

/**
 * One key's ALLOC and FREE lines in a log, classified as {@code MUM/analyze_buffer_log.py} does: leaked (more
 * ALLOCs), double-freed (more FREEs; an unknown-FREE warning counts as a FREE), balanced; and whether a later ALLOC
 * of the key carried a different size than the first.
 *
 * @param device      device id ({@code -1} for E0 logs, keyed by buffer id alone)
 * @param bufferId    buffer id
 * @param allocs      ALLOC lines
 * @param frees       FREE lines and unknown-FREE warnings
 * @param firstSize   size of the first ALLOC (0 if none)
 * @param sizeChanged whether some ALLOC of the key had another size
 */
public record KeyBalance(int device, long bufferId, long allocs, long frees, long firstSize, boolean sizeChanged) {

    /** The class of a key. */
    public enum Kind {
        /** More ALLOCs than FREEs. */
        LEAKED,
        /** More FREEs than ALLOCs. */
        DOUBLE_FREED,
        /** As many of each. */
        BALANCED
    }

    /** This key's class. */
    public Kind kind() {
        if (allocs > frees) {
            return Kind.LEAKED;
        }
        return frees > allocs ? Kind.DOUBLE_FREED : Kind.BALANCED;
    }
}
