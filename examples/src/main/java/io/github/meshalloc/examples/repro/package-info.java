/**
 * From a BalanceExplorer counterexample to a script a tt-metal engineer runs on hardware.
 *
 * <p>{@link io.github.meshalloc.examples.repro.ExplorerRun} pins a search (preset, seed, tries, steps, mesh shapes);
 * {@link io.github.meshalloc.examples.repro.CounterexampleFile} is what {@code meshalloc check --save} writes: the
 * search plus the operations it reached, re-run and checked on reading;
 * {@link io.github.meshalloc.examples.repro.ReproPlan} lays a counterexample out step by step;
 * {@link io.github.meshalloc.examples.repro.PythonRepro} and {@link io.github.meshalloc.examples.repro.GtestRepro}
 * write it as a ttnn Python script or a C++ gtest.
 */
package io.github.meshalloc.examples.repro;
