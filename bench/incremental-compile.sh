#!/usr/bin/env bash
# Incremental compile benchmark: time of a compile after one route edit, with the compiler that
# remembers its previous compile, at 1,000, 5,000 and 10,000 routes, on one core (as
# bench/compiler.sh, which measures a fresh compile). Extra arguments go to JMH.
set -euo pipefail

cd "$(dirname "$0")/.."
source bench/lib/jmh.sh
jmh_setup

cmd=("${pin[@]}" java -jar "$jar" IncrementalCompileBenchmark "${jvm_pin[@]}" -prof gc "$@")
echo "+ ${cmd[*]}"
"${cmd[@]}"
