#!/usr/bin/env bash
# Propagation benchmark: with 1,000 and 5,000 existing routes served by a cluster-mode data-plane
# process (operator in the benchmark JVM, real API server from the e2e control plane), the time from
# applying one new GatewayRoute to its first 200 (50 times) and from marking an endpoint not ready
# to the last request reaching it (20 times), while a client calls an existing route at a constant
# rate and counts non-200s. Extra arguments go to Maven, e.g. -Dportico.bench.loadRate=0 (the client
# spins instead of 200 requests/s), -Dportico.bench.warmupRoutes=20 (default 200),
# -Dportico.bench.warmupRequests=0 (default 20000) or -Dportico.bench.sizes=5000 (default 1000,5000).
set -euo pipefail

cd "$(dirname "$0")/.."

./mvnw -B -q -ntp install -DskipTests -DskipE2E=true -pl e2e -am
echo "$(nproc) CPUs; load average before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
./mvnw -B -ntp test -pl e2e -Dtest=PropagationBench -De2e.excludedGroups= \
  -Dsurefire.failIfNoSpecifiedTests=false "$@" 2>&1 | tee /tmp/portico-propagation-bench.log |
  grep -E '^\[bench\]|Tests run:|FAIL' || true
grep -q "^\[bench\] existing_routes=" /tmp/portico-propagation-bench.log
