/**
 * The balance explorer: seeded random scripts against a code state, invariants checked after every step, and a
 * shrunk counterexample when one breaks.
 *
 * <p>Entry point {@link io.github.meshalloc.tracking.explore.BalanceExplorer#check}; the invariants are
 * {@link io.github.meshalloc.tracking.explore.Invariant}, checked by
 * {@link io.github.meshalloc.tracking.explore.InvariantChecker}; {@link io.github.meshalloc.tracking.explore.ExplorerBench}
 * times it.
 */
package io.github.meshalloc.tracking.explore;
