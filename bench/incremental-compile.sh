#!/usr/bin/env bash
# Incremental compile benchmark: time of a compile after one route edit, with the compiler that
# remembers its previous compile, at 1,000, 5,000 and 10,000 routes, on one core (as
# bench/compiler.sh, which measures a fresh compile). Extra arguments go to JMH.
set -euo pipefail

cd "$(dirname "$0")/.."

./mvnw -B -q -pl bench/jmh -am install -DskipTests

pin=()
if command -v taskset >/dev/null; then
  pin=(taskset -c 0)
fi
echo "$(nproc) CPUs online; load average before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
cmd=("${pin[@]}" java -jar bench/jmh/target/portico-benchmarks.jar IncrementalCompileBenchmark
  -prof gc "$@")
echo "+ ${cmd[*]}"
"${cmd[@]}"
