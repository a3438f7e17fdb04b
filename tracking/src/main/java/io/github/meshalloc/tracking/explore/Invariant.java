package io.github.meshalloc.tracking.explore;

/**
 * The properties a code state is checked against after every step.
 *
 * <p>Server-side invariants hold only where the code state promises them: a rule set with the fork's allocation
 * client promises that the server's view equals the device's memory; upstream (no client) promises nothing but
 * device memory. Listed in the order a step's violations are reported when several break at once.
 */
public enum Invariant {
    /** No allocator range outlives its buffer (held by a DEALLOCATED or destroyed Buffer, or by none); a closed mesh holds nothing. */
    DEVICE_MEMORY_RETURNED("device memory returned"),
    /** Every live, ALLOCATED Buffer's range is held by its allocator (else it can be handed out twice). */
    ALLOCATOR_CONSISTENT("allocator books consistent"),
    /** The server never receives a FREE for a key it does not hold. */
    NO_UNKNOWN_FREE("no unknown FREE"),
    /** A server without reference counts never receives an ALLOC for a key it holds. */
    NO_UNCOUNTED_DUPLICATE_ALLOC("no duplicate ALLOC on a server without reference counts"),
    /** After a mesh is closed (or its process ends), the server holds nothing device memory does not. */
    ZERO_RESIDUAL_AFTER_CLOSE("zero residual after close"),
    /** After every step, the server's keys, sizes and reference counts match device memory. */
    SERVER_VIEW_EQUALS_TRUTH("server view equals device truth");

    private final String label;

    Invariant(String label) {
        this.label = label;
    }

    /** Human-readable name. */
    public String label() {
        return label;
    }
}
