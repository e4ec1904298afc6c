#!/usr/bin/env bash
# Composition benchmark: wrk on loopback against Portico in standalone mode, pinned like
# bench/proxy.sh, with fast nginx backends. Two targets on the same Portico process:
#   compose  GET /composed/1: one client request, three parts (catalog, inventory, reviews) merged
#   proxied  the same three backend calls proxied one by one (a wrk script cycles the three paths)
# Prints req/s and p50/p99 side by side, "calls/s" (backend calls per second: 3 per composed
# request, 1 per proxied one), and the merge overhead per composed request: the proxy's CPU time per
# composed request minus three times its CPU time per proxied call. See bench/README.md.
#
# Environment (defaults in brackets), as in bench/proxy.sh:
#   DURATION [10s]  measured wrk run per target     WARMUP [30s]   wrk warm-up before each one
#   CONNECTIONS [100] wrk connections (max 500)     THREADS [1]    wrk threads
#   ROUNDS [1]      repeat both targets; the table shows the median of each figure
#   CLIENT_CPUS [0] wrk + backend                   PROXY_CPUS [1] Portico
#   WORKERS [CPUs in PROXY_CPUS] Portico's CPUs     BASE_PORT [18180] first of 3 ports
#   PORTICO_JAVA_OPTS [-Xms1g -Xmx1g -XX:+AlwaysPreTouch]   SKIP_BUILD [0] use the built jar
#   KEEP_TMP [0]    1 keeps the temp dir
set -euo pipefail

cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/sbin:/sbin"

DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-30s}
CONNECTIONS=${CONNECTIONS:-100}
THREADS=${THREADS:-1}
ROUNDS=${ROUNDS:-1}
CLIENT_CPUS=${CLIENT_CPUS:-0}
PROXY_CPUS=${PROXY_CPUS:-1}
BASE_PORT=${BASE_PORT:-18180}
PORTICO_JAVA_OPTS=${PORTICO_JAVA_OPTS:--Xms1g -Xmx1g -XX:+AlwaysPreTouch}
SKIP_BUILD=${SKIP_BUILD:-0}
KEEP_TMP=${KEEP_TMP:-0}
JAR=dataplane/target/portico-dataplane.jar

die() { echo "compose.sh: $*" >&2; exit 1; }
[[ $CONNECTIONS =~ ^[0-9]+$ && $CONNECTIONS -ge 1 && $CONNECTIONS -le 500 ]] \
  || die "CONNECTIONS must be 1..500 (got ${CONNECTIONS})"
[[ $THREADS =~ ^[0-9]+$ && $THREADS -ge 1 && $THREADS -le $CONNECTIONS ]] \
  || die "THREADS must be 1..CONNECTIONS"
[[ $DURATION =~ ^[0-9]+[sm]$ && $WARMUP =~ ^[0-9]+[sm]$ ]] || die "DURATION and WARMUP look like 10s or 1m"
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive number"
for tool in nginx wrk curl java; do
  command -v "$tool" >/dev/null || die "missing ${tool}; bench/proxy.sh installs nginx and wrk"
done

# --- CPU split, as bench/proxy.sh ----------------------------------------------------------------
cpu_count() {
  echo "$1" | awk -F, '{ n = 0; for (i = 1; i <= NF; i++) { split($i, r, "-");
    n += (r[2] == "" ? 1 : r[2] - r[1] + 1) } print n }'
}
if command -v taskset >/dev/null && (($(nproc) >= 2)); then
  client_pin=(taskset -c "$CLIENT_CPUS")
  proxy_pin=(taskset -c "$PROXY_CPUS")
  WORKERS=${WORKERS:-$(cpu_count "$PROXY_CPUS")}
  pinning="wrk + backend on CPU ${CLIENT_CPUS}, Portico on CPU ${PROXY_CPUS}"
else
  client_pin=()
  proxy_pin=()
  WORKERS=${WORKERS:-1}
  pinning="not pinned ($(nproc) CPU(s) or no taskset): figures mix client and proxy CPU"
fi

port_backend=$BASE_PORT
port_portico=$((BASE_PORT + 1))
port_admin=$((BASE_PORT + 2))
for p in $port_backend $port_portico $port_admin; do
  if (echo >"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then die "port $p on 127.0.0.1 is in use; set BASE_PORT"; fi
done

# --- Workspace, processes, cleanup --------------------------------------------------------------
stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
results="bench/results/compose-${stamp}"
mkdir -p "$results"
work=$(mktemp -d -t portico-compose-bench.XXXXXX)
pids=()
wrk_pid=""
cleanup() {
  local p
  [[ -z $wrk_pid ]] || kill -TERM "$wrk_pid" 2>/dev/null || true
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    local alive=0
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    ((alive)) || break
    sleep 0.5
  done
  for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
  (cd "$work" && find . -type f \( -name '*.conf' -o -name '*.yaml' -o -name '*.lua' \
    -o -name 'error.log' -o -name 'stderr.log' \) -size -4M \
    -exec cp --parents {} "$OLDPWD/$results/" \;) 2>/dev/null || true
  if [[ $KEEP_TMP == 1 ]]; then echo "temp dir kept: ${work}"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

wait_http() {  # url seconds [pid]
  local url=$1 deadline=$((SECONDS + $2)) pid=${3:-}
  until [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" || true) == 200 ]]; do
    if [[ -n $pid ]] && ! kill -0 "$pid" 2>/dev/null; then return 1; fi
    ((SECONDS < deadline)) || return 1
    sleep 0.3
  done
}

# --- Backends: one nginx, one worker, on the client CPU: three small JSON documents -------------
mkdir -p "$work/backend"
cat >"$work/backend/nginx.conf" <<EOF
worker_processes 1;
pid $work/backend/nginx.pid;
error_log $work/backend/error.log warn;
events { worker_connections 4096; }
http {
$(for t in client_body proxy fastcgi uwsgi scgi; do echo "  ${t}_temp_path $work/backend/${t}_temp;"; done)
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 75s;
  default_type application/json;
  server {
    listen 127.0.0.1:${port_backend} backlog=4096;
    location = /catalog/products/1 { return 200 '{"id":"1","name":"Espresso machine","price":249.0,"sellerId":"s-7"}'; }
    location = /v1/inventory/1 { return 200 '{"productId":"1","inStock":true,"quantity":10,"warehouse":"east-1"}'; }
    location = /v1/reviews/1 { return 200 '{"productId":"1","reviews":[{"reviewer":"ana","rating":5},{"reviewer":"ben","rating":4}]}'; }
  }
}
EOF
"${client_pin[@]}" nginx -p "$work/backend" -e "$work/backend/error.log" -c "$work/backend/nginx.conf" \
  -g 'daemon off;' >"$work/backend/stdout.log" 2>&1 &
pids+=($!)
pid_backend=$!

# --- Portico: one process, a composed rule and the three proxied paths --------------------------
mkdir -p "$work/config"
cat >"$work/config/bench.yaml" <<EOF
apiVersion: portico.dev/v1alpha1
kind: DataPlane
metadata: {name: bench, namespace: bench}
spec:
  replicas: 1
  listeners: [{name: http, port: ${port_portico}}]
  allowedRoutes: {from: Same}
---
apiVersion: v1
kind: Service
metadata: {name: backend, namespace: bench}
spec:
  ports: [{name: http, port: 80, targetPort: ${port_backend}}]
---
apiVersion: portico.dev/v1alpha1
kind: GatewayRoute
metadata: {name: bench, namespace: bench}
spec:
  parentRefs: [{name: bench}]
  rules:
    - name: composed
      matches: [{path: {type: RegularExpression, value: "/composed/(?P<id>[0-9]+)"}}]
      compose:
        parts:
          - {name: product, backend: {name: backend, port: 80}, path: "/catalog/products/{id}", select: [/name, /price]}
          - {name: stock, backend: {name: backend, port: 80}, path: "/v1/inventory/{id}", placement: Root, omit: [/warehouse]}
          - {name: reviews, backend: {name: backend, port: 80}, path: "/v1/reviews/{id}", required: false}
    - name: proxied
      matches:
        - path: {type: PathPrefix, value: /catalog}
        - path: {type: PathPrefix, value: /v1}
      backends: [{name: backend, port: 80}]
EOF
cat >"$work/proxied.lua" <<'EOF'
-- The composition's three backend calls, proxied one by one, in turn.
local paths = {"/catalog/products/1", "/v1/inventory/1", "/v1/reviews/1"}
local i = 0
request = function()
  i = i % 3 + 1
  return wrk.format("GET", paths[i])
end
EOF

if [[ $SKIP_BUILD != 1 ]]; then
  echo "building the data plane (./mvnw -pl dataplane -am install -DskipTests)"
  ./mvnw -B -q -pl dataplane -am install -DskipTests -DskipE2E=true >"$results/build.log" 2>&1 \
    || die "build failed; see ${results}/build.log"
fi
[[ -f $JAR ]] || die "${JAR} not found"
cp "$JAR" "$work/portico-dataplane.jar"
# shellcheck disable=SC2086  # PORTICO_JAVA_OPTS is a list of options
"${proxy_pin[@]}" java $PORTICO_JAVA_OPTS -XX:ActiveProcessorCount="$WORKERS" \
  -jar "$work/portico-dataplane.jar" standalone --config "$work/config" --dataplane bench/bench \
  --bind 127.0.0.1 --admin-port "$port_admin" --drain-timeout 1s \
  >"$work/access.log" 2>"$work/stderr.log" &
pids+=($!)
pid_portico=$!

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "pinning: ${pinning}; workers: ${WORKERS}; $(nproc) CPUs online; load average: ${load_before}"
echo "wrk: ${THREADS} thread(s), ${CONNECTIONS} connections, warm-up ${WARMUP}, measured ${DURATION}, ${ROUNDS} round(s)"
wait_http "http://127.0.0.1:${port_backend}/v1/inventory/1" 10 "$pid_backend" \
  || die "backend nginx did not start: $(cat "$work/backend/error.log")"
wait_http "http://127.0.0.1:${port_admin}/readyz" 180 "$pid_portico" \
  || die "Portico did not become ready: $(tail -5 "$work/stderr.log")"

base="http://127.0.0.1:${port_portico}"
got=$(curl -s --max-time 5 "${base}/composed/1")
expected='{"product":{"name":"Espresso machine","price":249.0},"productId":"1","inStock":true,"quantity":10,"reviews":{"productId":"1","reviews":[{"reviewer":"ana","rating":5},{"reviewer":"ben","rating":4}]}}'
[[ $got == "$expected" ]] || die "compose answers '${got}', not the merged document"
for p in /catalog/products/1 /v1/inventory/1 /v1/reviews/1; do
  [[ $(curl -s -o /dev/null -w '%{http_code}' "${base}${p}") == 200 ]] || die "proxied ${p} does not answer 200"
done

# --- Measuring ----------------------------------------------------------------------------------
proc_ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }
to_us() {
  awk -v v="$1" 'BEGIN { n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    f = (u == "us") ? 1 : (u == "ms") ? 1000 : (u == "s") ? 1e6 : (u == "m") ? 6e7 : -1
    printf "%.0f", (f < 0 ? -1 : n * f) }'
}
clk=$(getconf CLK_TCK)
tsv="$results/runs.tsv"
printf 'round\ttarget\trps\tp50_us\tp99_us\trequests\tnon2xx\tcpu_seconds\n' >"$tsv"
run_wrk() {  # out args...
  local out=$1
  shift
  "${client_pin[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" --timeout 5s "$@" >"$out" 2>&1 &
  wrk_pid=$!
  wait "$wrk_pid" || true
  wrk_pid=""
}
declare -A args
args[compose]="${base}/composed/1"
args[proxied]="-s $work/proxied.lua ${base}/"
measure() {  # round target
  local round=$1 t=$2 out="$results/wrk-$2-round$1.txt"
  # shellcheck disable=SC2086  # args are a list
  run_wrk "$results/wrk-$t-round$round-warmup.txt" -d"$WARMUP" ${args[$t]}
  sleep 1
  local ticks0 ticks1
  ticks0=$(proc_ticks "$pid_portico")
  # shellcheck disable=SC2086
  run_wrk "$out" -d"$DURATION" --latency ${args[$t]}
  ticks1=$(proc_ticks "$pid_portico")
  local rps p50 p99 reqs non2xx cpu
  rps=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
  p50=$(to_us "$(awk '$1 == "50%" { print $2 }' "$out")")
  p99=$(to_us "$(awk '$1 == "99%" { print $2 }' "$out")")
  reqs=$(awk '/requests in/ { print $1 }' "$out")
  non2xx=$(awk -F: '/Non-2xx or 3xx responses/ { gsub(/ /, "", $2); print $2 }' "$out")
  cpu=$(awk -v a="$ticks0" -v b="$ticks1" -v c="$clk" 'BEGIN { printf "%.2f", (b - a) / c }')
  [[ -n $rps ]] || { echo "wrk failed for ${t}:"; cat "$out"; rps=0; }
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$t" "$rps" "$p50" "$p99" "${reqs:-0}" \
    "${non2xx:-0}" "$cpu" >>"$tsv"
  printf '  %-8s %10.0f req/s  p50 %7s us  p99 %7s us  Portico CPU %6s s  non-2xx %s\n' \
    "$t" "$rps" "$p50" "$p99" "$cpu" "${non2xx:-0}"
}
for ((round = 1; round <= ROUNDS; round++)); do
  echo "round ${round}/${ROUNDS}"
  measure "$round" compose
  measure "$round" proxied
done
curl -s --max-time 10 "http://127.0.0.1:${port_admin}/metrics" >"$results/metrics.txt" || true

# --- Summary ------------------------------------------------------------------------------------
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print ""; else if (NR % 2) print v[(NR + 1) / 2];
  else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
col() { awk -F'\t' -v t="$1" -v c="$2" 'NR > 1 && $2 == t { print $c }' "$tsv" | median; }
# CPU microseconds per request: summed over rounds, so short rounds still average out.
us_per_req() { awk -F'\t' -v t="$1" 'NR > 1 && $2 == t { c += $8; r += $6 } END { printf "%.1f", (r ? 1e6 * c / r : 0) }' "$tsv"; }
summary="$results/summary.txt"
{
  echo
  echo "== Composition benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "   ${pinning}; Portico on ${WORKERS} CPU(s); wrk -t${THREADS} -c${CONNECTIONS} -d${DURATION} after a ${WARMUP} warm-up; ${ROUNDS} round(s), medians shown"
  echo "   load average before ${load_before}, after $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  {
    printf 'target\treq/s\tbackend calls/s\tp50 ms\tp99 ms\tPortico CPU us/request\tnon-2xx\n'
    for t in compose proxied; do
      calls=$([[ $t == compose ]] && echo 3 || echo 1)
      awk -v t="$t" -v r="$(col "$t" 3)" -v a="$(col "$t" 4)" -v b="$(col "$t" 5)" -v k="$calls" \
        -v u="$(us_per_req "$t")" -v n="$(awk -F'\t' -v t="$t" 'NR > 1 && $2 == t { s += $7 } END { print s + 0 }' "$tsv")" \
        'BEGIN { printf "%s\t%.0f\t%.0f\t%.2f\t%.2f\t%s\t%d\n", t, r, r * k, a / 1000, b / 1000, u, n }'
    done
  } | column -t -s $'\t'
  echo
  awk -v c="$(us_per_req compose)" -v p="$(us_per_req proxied)" \
    -v cr="$(col compose 3)" -v pr="$(col proxied 3)" -v cp="$(col compose 5)" -v pp="$(col proxied 5)" 'BEGIN {
    printf "composed request vs its three calls proxied: %.2fx the backend calls per second, p99 %.2fx one proxied call\n",
      (3 * cr) / pr, cp / pp
    printf "merge overhead per composed request: %.1f us of Portico CPU (%.1f us per composed request - 3 x %.1f us per proxied call)\n",
      c - 3 * p, c, p }'
  n=$(grep -cE ' (WARN|ERROR) ' "$work/stderr.log" || true)
  ((n == 0)) || echo "portico: ${n} WARN/ERROR lines in its log, e.g. $(grep -m1 -E ' (WARN|ERROR) ' "$work/stderr.log")"
  echo "Portico CPU us/request = the whole JVM's CPU time during the measured run / requests answered."
  echo "raw results: ${results}/"
} | tee "$summary"
