/**
 * BalanceExplorer searches as the command line states them, and the counterexamples they reach.
 *
 * <p>{@link io.github.meshalloc.examples.repro.ExplorerRun} pins a search (preset, seed, tries, steps, mesh shapes);
 * {@link io.github.meshalloc.examples.repro.CounterexampleFile} is what {@code meshalloc check --save} writes: the
 * search plus the operations it reached, re-run and checked on reading.
 */
package io.github.meshalloc.examples.repro;
