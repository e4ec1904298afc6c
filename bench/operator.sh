#!/usr/bin/env bash
# Operator scale benchmark: 1,000 and 5,000 GatewayRoutes across 50 namespaces applied to the real
# API server (the e2e control plane, built and cached by e2e/control-plane/build.sh), with the
# operator jar as its own process. Prints, per size: apply time, time from the last apply until
# every route is Accepted, operator heap after a full GC, compile count and time, status writes.
set -euo pipefail

cd "$(dirname "$0")/.."

./mvnw -B -q -ntp install -DskipTests -DskipE2E=true -pl e2e -am
load_before=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
echo "$(nproc) CPUs; load average before: ${load_before}"
./mvnw -B -ntp test -pl e2e -Dtest=OperatorScaleBench -De2e.excludedGroups= \
  -Dsurefire.failIfNoSpecifiedTests=false 2>&1 | tee /tmp/portico-operator-bench.log |
  grep -E '^\[bench\]|Tests run:|FAIL' || true
grep -q '^\[bench\] routes=5000' /tmp/portico-operator-bench.log
