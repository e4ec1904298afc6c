#!/usr/bin/env bash
# The CPU path of one new route, without the API server and the network (bench/propagation.sh
# measures it end to end): the operator's compile and the replica's delta apply (decode, patch,
# hash check, prepared snapshot) at 1,000 and 5,000 routes on one virtual host, on one pinned core.
# Extra arguments go to JMH.
set -euo pipefail

cd "$(dirname "$0")/.."
source bench/lib/jmh.sh
jmh_setup

cmd=("${pin[@]}" java -jar "$jar" PropagationPathBenchmark "${jvm_pin[@]}" -prof gc "$@")
echo "+ ${cmd[*]}"
"${cmd[@]}"
