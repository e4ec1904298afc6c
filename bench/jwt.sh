#!/usr/bin/env bash
# JWT verification cost per token on one core (JwtVerifyBenchmark): Nimbus's parse + RS256 check,
# and the data plane's whole security stage, a different token every call. Target: at most 30 µs.
# Extra arguments go to JMH, e.g. `bench/jwt.sh -wi 1 -i 1 -r 1s -w 1s` for a quick check.
set -euo pipefail

cd "$(dirname "$0")/.."

source bench/lib/jmh.sh
jmh_setup

mkdir -p bench/results
results="bench/results/jwt-$(date -u +%Y-%m-%dT%H%M%SZ).json"

"${pin[@]}" java -jar "$jar" JwtVerifyBenchmark "${jvm_pin[@]}" -rf json -rff "$results" "$@"
echo "results: $results"
