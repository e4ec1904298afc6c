#!/usr/bin/env bash
# JWT verification cost per token on one core (JwtVerifyBenchmark): Nimbus's parse + RS256 check,
# and the data plane's whole security stage, a different token every call. Target: at most 30 µs.
# Extra arguments go to JMH, e.g. `bench/jwt.sh -wi 1 -i 1 -r 1s -w 1s` for a quick check.
set -euo pipefail

cd "$(dirname "$0")/.."

# package, not install: the reactor builds the modules the benchmark needs.
./mvnw -B -q -pl bench/jmh -am package -DskipTests

jar=bench/jmh/target/portico-benchmarks.jar
mkdir -p bench/results
results="bench/results/jwt-$(date -u +%Y-%m-%dT%H%M%SZ).json"

if command -v taskset >/dev/null; then
  pin=(taskset -c 0)
  jvm_pin=()
else
  pin=()
  jvm_pin=(-jvmArgsAppend -XX:ActiveProcessorCount=1)
fi

"${pin[@]}" java -jar "$jar" JwtVerifyBenchmark "${jvm_pin[@]}" -rf json -rff "$results" "$@"
echo "results: $results"
