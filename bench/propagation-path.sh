#!/usr/bin/env bash
# The CPU path of one new route, without the API server and the network (bench/propagation.sh
# measures it end to end): the operator's compile and the replica's delta apply (decode, patch,
# hash check, prepared snapshot) at 1,000 and 5,000 routes on one virtual host, on one pinned core.
# Extra arguments go to JMH.
set -euo pipefail

cd "$(dirname "$0")/.."

./mvnw -B -q -pl bench/jmh -am install -DskipTests

pin=()
if command -v taskset >/dev/null; then
  pin=(taskset -c 0)
fi
echo "$(nproc) CPUs online; load average before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
cmd=("${pin[@]}" java -jar bench/jmh/target/portico-benchmarks.jar PropagationPathBenchmark
  -prof gc "$@")
echo "+ ${cmd[*]}"
"${cmd[@]}"
