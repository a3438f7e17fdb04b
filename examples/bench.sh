#!/usr/bin/env bash
# Runs the allocator benchmarks (FreeListOptBench, FreeListBench) and the fragmentation probe.
#
#   examples/bench.sh [--full] [--seeds N] [--no-probe] [JMH args...]
#
# Build first, from the repository root:  mvn -B -q package -DskipTests
# Default: short JMH settings (-f 1 -wi 2 -i 3 -w 1s -r 1s), about two minutes in all.
# --full:  -f 3 -wi 5 -i 10 -w 2s -r 2s.
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
seeds=20
probe=yes
jmh_args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --full) settings=(-f 3 -wi 5 -i 10 -w 2s -r 2s) ;;
    --seeds) seeds="${2:?--seeds needs a value}"; shift ;;
    --no-probe) probe=no ;;
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
echo "# java -jar $jar ${settings[*]} ${jmh_args[*]:-}"
java -jar "$jar" "${settings[@]}" "${jmh_args[@]}"

if [[ "$probe" == yes ]]; then
  echo
  java -cp "$jar" io.github.meshalloc.examples.bench.FragmentationProbe --seeds "$seeds"
fi
