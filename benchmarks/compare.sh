#!/usr/bin/env bash
# Runs Keyline and real etcd 3.4 side by side and prints Keyline/etcd ratios (see benchmarks/README.md).
#   benchmarks/compare.sh [--quick] [--rounds N] [--members 1,3] [--only TEXT]
# Builds the benchmark and node jars first if either is missing.
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$home/benchmarks/target/keyline-benchmark.jar"
if [ ! -f "$jar" ] || [ ! -f "$home/gateway/target/keyline.jar" ]; then
  echo "compare: building (first run) ..." >&2
  (cd "$home" && mvn -B -q -DskipTests install && mvn -B -q -DskipTests -f benchmarks/pom.xml install) >&2
fi
exec java ${KEYLINE_BENCHMARK_JAVA_OPTS:-} -cp "$jar" io.keyline.benchmark.compare.CompareMain "$@"
