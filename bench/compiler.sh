#!/usr/bin/env bash
# Compiler benchmark: time and allocation of one compile at 100, 1,000 and 10,000 routes, on one
# core. Extra arguments go to JMH, e.g. `bench/compiler.sh -p routes=10000` or `-prof stack`.
set -euo pipefail

cd "$(dirname "$0")/.."

if ! command -v jq >/dev/null; then  # the summary needs jq; install it where we can
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    apt-get install -y -qq jq >/dev/null || { apt-get update -qq && apt-get install -y -qq jq >/dev/null; }
  fi
  command -v jq >/dev/null || { echo "compiler.sh: jq is needed for the summary" >&2; exit 1; }
fi

source bench/lib/jmh.sh
jmh_setup
load_before=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")

mkdir -p bench/results
results="bench/results/compiler-$(date -u +%Y-%m-%dT%H%M%SZ).json"

cmd=("${pin[@]}" java -jar "$jar" CompilerBenchmark -prof gc "${jvm_pin[@]}"
  -rf json -rff "$results" "$@")
echo "+ ${cmd[*]}"
"${cmd[@]}"

load_after=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")

echo
echo "== Compiler summary (${pinning}; load average before ${load_before}, after ${load_after})"
rows='
  map({
    routes: (.params.routes | tonumber),
    ms: .primaryMetric.score,
    err: .primaryMetric.scoreError,
    cpu: (.secondaryMetrics.cpuNanos.score / .secondaryMetrics.compiles.score / 1e6),
    gc: ((.secondaryMetrics["gc.time"].score // 0) / .secondaryMetrics.compiles.score),
    bytes: .secondaryMetrics["gc.alloc.rate.norm"].score
  })
  | sort_by(.routes)'
jq -r "def r1: . * 10 | round / 10; ${rows}"'
  | (["routes", "wall ms/compile", "±(99.9%)", "CPU ms/compile", "GC ms/compile",
      "MB alloc/compile", "KB alloc/route"] | @tsv),
    (.[] | [ .routes, (.ms | r1),
             (if (.err | type) == "number" then (.err | r1) else "n/a" end),
             (.cpu | r1), (.gc | r1), (.bytes / 1e6 | r1), (.bytes / .routes / 1e3 | r1) ]
         | @tsv)
' "$results" | column -t -s $'\t'
echo
jq -r "def r2: . * 100 | round / 100; ${rows}"'
  | (map({key: (.routes | tostring), value: .}) | from_entries) as $by
  | (if $by["1000"] and $by["10000"] then
       "10000/1000 ratio (10 = linear): wall x\($by["10000"].ms / $by["1000"].ms | r2),"
       + " CPU x\($by["10000"].cpu / $by["1000"].cpu | r2),"
       + " allocation x\($by["10000"].bytes / $by["1000"].bytes | r2)"
     else "10000/1000 ratio: n/a (needs both sizes)" end),
    (if $by["10000"] then
       "target 10,000 routes < 1000 ms on one core: "
       + (if $by["10000"].ms < 1000 then "met" else "MISSED" end)
       + " (wall \($by["10000"].ms | round) ms; CPU + GC"
       + " \($by["10000"].cpu + $by["10000"].gc | round) ms)"
     else empty end)
' "$results"
echo "wall = JMH average time; CPU = the compiling thread's CPU time (what other load on the core"
echo "cannot inflate); GC = stop-the-world GC time per compile; MB = 10^6 bytes (gc.alloc.rate.norm)."
echo "raw JMH results: ${results}"
