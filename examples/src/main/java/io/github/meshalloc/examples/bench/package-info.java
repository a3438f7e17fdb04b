/**
 * Allocator benchmarks: the seven workloads of the public C++ harness for tt-metal's FreeListOpt
 * ({@link io.github.meshalloc.examples.bench.Workloads}), their JMH drivers for
 * {@code FreeListOpt} ({@link io.github.meshalloc.examples.bench.FreeListOptBench}) and the legacy
 * {@code FreeList} ({@link io.github.meshalloc.examples.bench.FreeListBench}), and the fragmentation
 * probe ({@link io.github.meshalloc.examples.bench.FragmentationProbe}).
 *
 * <p>Run them with {@code examples/bench.sh} after {@code mvn -B -q package -DskipTests}.
 */
package io.github.meshalloc.examples.bench;
