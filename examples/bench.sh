#!/usr/bin/env bash
# Runs the allocator benchmarks (FreeListOptBench, FreeListBench, LiveBlocksBench: allocate + free against
# 1e3..1e6 live blocks), the fragmentation probe and the whole-simulator benches (MeshWorkloadBench: a 4x8
# mesh workload with tracking on, in a JVM with -Xmx512m; HeapPerAllocationBench: heap bytes per live
# tracked allocation; ExplorerBench: BalanceExplorer operations per second on 2x4 meshes; ReplayBench:
# server-log replay lines per second on a 1,000,000-line log).
#
#   examples/bench.sh [--full] [--seeds N] [--no-jmh] [--no-probe] [--no-sim] [JMH args...]
#
# Build first, from the repository root:  mvn -B -q package -DskipTests
# Default: short JMH settings (-f 1 -wi 2 -i 3 -w 1s -r 1s), a 200,000-op mesh workload, heap figures for
# N = 10,000 / 50,000 / 100,000: about four minutes in all.
# --full:  -f 3 -wi 5 -i 10 -w 2s -r 2s, the 1,000,000-op mesh workload (the issue's target: under 2 s and
#          512 MiB), heap figures for N = 25,000 .. 200,000.
# --no-jmh skips the JMH benchmarks, --no-probe the fragmentation probe, --no-sim the whole-simulator benches.
# Any other arguments go to JMH: a filter, output options, or one of -f -wi -i -w -r, which then
# replaces the default of that option, e.g.
#   examples/bench.sh '.*FreeListOptBench.WorstCase'
#   examples/bench.sh --no-probe -i 5 -rf json -rff /tmp/bench.json
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
jar="$here/target/benchmarks.jar"
if [[ ! -f "$jar" ]]; then
  echo "bench.sh: $jar not found; build it from the repository root with: mvn -B -q package -DskipTests" >&2
  exit 1
fi

settings=(-f 1 -wi 2 -i 3 -w 1s -r 1s)
mesh_ops=200000
heap_sizes=(10000 50000 100000)
explorer_tries=2000
replay_runs=3
seeds=20
jmh=yes
probe=yes
sim=yes
jmh_args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --full)
      settings=(-f 3 -wi 5 -i 10 -w 2s -r 2s)
      mesh_ops=1000000
      heap_sizes=(25000 50000 100000 200000)
      explorer_tries=12000
      replay_runs=5
      ;;
    --no-jmh) jmh=no ;;
    --seeds) seeds="${2:?--seeds needs a value}"; shift ;;
    --no-probe) probe=no ;;
    --no-sim) sim=no ;;
    *) jmh_args+=("$1") ;;
  esac
  shift
done

# JMH rejects a repeated option: keep only the defaults the caller did not give.
chosen=()
for ((k = 0; k < ${#settings[@]}; k += 2)); do
  keep=yes
  for arg in "${jmh_args[@]}"; do
    [[ "$arg" == "${settings[k]}" ]] && keep=no
  done
  [[ "$keep" == yes ]] && chosen+=("${settings[k]}" "${settings[k + 1]}")
done
settings=("${chosen[@]}")

echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ)  nproc=$(nproc)  $(java -version 2>&1 | head -n 1)"
if [[ "$jmh" == yes ]]; then
  echo "# java -jar $jar ${settings[*]} ${jmh_args[*]:-}"
  java -jar "$jar" "${settings[@]}" "${jmh_args[@]}"
fi

if [[ "$probe" == yes ]]; then
  echo
  java -cp "$jar" io.github.meshalloc.examples.bench.FragmentationProbe --seeds "$seeds"
fi

if [[ "$sim" == yes ]]; then
  echo
  echo "# java -Xmx512m -cp $jar io.github.meshalloc.examples.bench.MeshWorkloadBench --ops $mesh_ops"
  java -Xmx512m -cp "$jar" io.github.meshalloc.examples.bench.MeshWorkloadBench --ops "$mesh_ops"
  echo
  echo "# java -Xmx512m -cp $jar io.github.meshalloc.examples.bench.HeapPerAllocationBench ${heap_sizes[*]}"
  java -Xmx512m -cp "$jar" io.github.meshalloc.examples.bench.HeapPerAllocationBench "${heap_sizes[@]}"
  echo
  echo "# java -cp $jar io.github.meshalloc.tracking.explore.ExplorerBench $explorer_tries"
  java -cp "$jar" io.github.meshalloc.tracking.explore.ExplorerBench "$explorer_tries"
  echo
  echo "# java -cp $jar io.github.meshalloc.examples.replay.ReplayBench 1000000 $replay_runs"
  java -cp "$jar" io.github.meshalloc.examples.replay.ReplayBench 1000000 "$replay_runs"
fi
