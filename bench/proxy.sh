#!/usr/bin/env bash
# Data-plane proxy benchmark: wrk on loopback against a fast nginx backend, in one run: direct to
# the backend, through nginx as a reverse proxy, through HAProxy, and through Portico with 10 and
# with 10,000 routes loaded, and through a bare Vert.x proxy (bench/vertx-bare, the framework's
# ceiling on the same JVM). Prints req/s and p50/p99 latency per target, the ratios against
# nginx, the targets' verdicts and Portico's heap per route. See bench/README.md, "Data plane proxy".
#
# Environment (defaults in brackets):
#   DURATION [10s]  measured wrk run per target     WARMUP [30s]   wrk warm-up before each one
#   CONNECTIONS [100] wrk connections (max 500)     THREADS [1]    wrk threads
#   ROUNDS [1]      repeat all targets; the table shows the median of each figure
#   CLIENT_CPUS [0] wrk + backend                   PROXY_CPUS [1] the proxy under test
#   WORKERS [CPUs in PROXY_CPUS] nginx worker_processes = haproxy nbthread = Portico's CPUs
#   ACCESS_LOG [on] access logs of nginx-proxy and HAProxy to a file, like Portico's (always on)
#   SMALL_ROUTES [10] LARGE_ROUTES [10000]          BASE_PORT [18080] first of 10 ports
#   PORTICO_JAVA_OPTS [-Xms1g -Xmx1g -XX:+AlwaysPreTouch]   SKIP_BUILD [0] use the built jar
#   PORTICO [1]     0 measures the peers only       KEEP_TMP [0]   1 keeps the temp dir
#   RATE_LIMIT [0]  1 adds portico-local-limit: SMALL_ROUTES routes plus a DataPlane-wide Local
#                   rate limit that never triggers (1e9/s), against portico-SMALL_ROUTES (target >= 0.90x),
#                   and portico-global-limit: the same limit with scope Global, counted in a
#                   redis-server (tools/redis/ensure.sh) on the client CPUs (target >= 0.70x); prints
#                   the Redis round trip p50/p99 the data plane measured
#   AUTH [0]        1 adds portico-jwt (SMALL_ROUTES routes, every one protected by a DataPlane-wide
#                   default: RS256 JWT from a JWK Set Secret; wrk sends a different pre-signed token
#                   per request, bench/auth/tokens.lua, TOKENS [20000] of them: no verified-token
#                   cache exists or could help; target >= 0.80x of portico-SMALL_ROUTES) and
#                   portico-apikey (the same with an API key header; target >= 0.95x)
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
ACCESS_LOG=${ACCESS_LOG:-on}
SMALL_ROUTES=${SMALL_ROUTES:-10}
LARGE_ROUTES=${LARGE_ROUTES:-10000}
BASE_PORT=${BASE_PORT:-18080}
PORTICO_JAVA_OPTS=${PORTICO_JAVA_OPTS:--Xms1g -Xmx1g -XX:+AlwaysPreTouch}
SKIP_BUILD=${SKIP_BUILD:-0}
PORTICO=${PORTICO:-1}
KEEP_TMP=${KEEP_TMP:-0}
RATE_LIMIT=${RATE_LIMIT:-0}
AUTH=${AUTH:-0}
TOKENS=${TOKENS:-20000}
BENCH_API_KEY=bench-api-key-0123456789abcdef
JAR=dataplane/target/portico-dataplane.jar
PATH_UNDER_TEST=/bench/item

die() { echo "proxy.sh: $*" >&2; exit 1; }
[[ $CONNECTIONS =~ ^[0-9]+$ && $CONNECTIONS -ge 1 && $CONNECTIONS -le 500 ]] \
  || die "CONNECTIONS must be 1..500 (got ${CONNECTIONS})"
[[ $THREADS =~ ^[0-9]+$ && $THREADS -ge 1 && $THREADS -le $CONNECTIONS ]] \
  || die "THREADS must be 1..CONNECTIONS"
[[ $DURATION =~ ^[0-9]+[sm]$ && $WARMUP =~ ^[0-9]+[sm]$ ]] || die "DURATION and WARMUP look like 10s or 1m"
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive number"

# Tools: installed when missing. Only plain processes with our own configs are used; a distro
# service that the package may start is left alone (we never touch port 80 or /etc).
missing=()
for tool in nginx haproxy wrk curl; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if ((${#missing[@]})); then
  [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null \
    || die "missing ${missing[*]}; install them (apt-get install -y ${missing[*]})"
  echo "installing ${missing[*]}"
  apt-get install -y -qq "${missing[@]}" >/dev/null \
    || { apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null; }
fi

# --- CPU split -------------------------------------------------------------------------------
cpu_count() {  # "1" -> 1, "0,2" -> 2, "1-3" -> 3
  echo "$1" | awk -F, '{ n = 0; for (i = 1; i <= NF; i++) { split($i, r, "-");
    n += (r[2] == "" ? 1 : r[2] - r[1] + 1) } print n }'
}
if command -v taskset >/dev/null && (($(nproc) >= 2)); then
  client_pin=(taskset -c "$CLIENT_CPUS")
  proxy_pin=(taskset -c "$PROXY_CPUS")
  WORKERS=${WORKERS:-$(cpu_count "$PROXY_CPUS")}
  pinning="wrk + backend on CPU ${CLIENT_CPUS}, proxy under test on CPU ${PROXY_CPUS}"
else
  client_pin=()
  proxy_pin=()
  WORKERS=${WORKERS:-1}
  pinning="not pinned ($(nproc) CPU(s) or no taskset): figures mix client and proxy CPU"
fi

port_backend=$BASE_PORT
port_nginx=$((BASE_PORT + 1))
port_haproxy=$((BASE_PORT + 2))
port_small=$((BASE_PORT + 3))
port_large=$((BASE_PORT + 4))
port_admin_small=$((BASE_PORT + 5))
port_admin_large=$((BASE_PORT + 6))
port_bare=$((BASE_PORT + 7))
port_limit=$((BASE_PORT + 8))
port_admin_limit=$((BASE_PORT + 9))
port_redis=$((BASE_PORT + 10))
port_global=$((BASE_PORT + 11))
port_admin_global=$((BASE_PORT + 12))
port_jwt=$((BASE_PORT + 13))
port_admin_jwt=$((BASE_PORT + 14))
port_apikey=$((BASE_PORT + 15))
port_admin_apikey=$((BASE_PORT + 16))

for p in $port_backend $port_nginx $port_haproxy $port_small $port_large $port_admin_small $port_admin_large $port_bare; do
  if (echo >"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then die "port $p on 127.0.0.1 is in use; set BASE_PORT"; fi
done

# --- Workspace, processes, cleanup --------------------------------------------------------------
stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
results="bench/results/proxy-${stamp}"
mkdir -p "$results"
work=$(mktemp -d -t portico-proxy-bench.XXXXXX)
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
  # Configs and logs (not the access logs) go with the results.
  (cd "$work" && find . -type f \( -name '*.conf' -o -name '*.cfg' -o -name '*.yaml' \
    -o -name 'error.log' -o -name 'stderr.log' -o -name 'stdout.log' \) -size -4M \
    -exec cp --parents {} "$OLDPWD/$results/" \;) 2>/dev/null || true
  if [[ $KEEP_TMP == 1 ]]; then echo "temp dir kept: ${work}"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# 64 bytes, the same for every request.
BODY='portico proxy benchmark: a small fixed body of sixty-four bytes.'
((${#BODY} == 64)) || die "body is ${#BODY} bytes, not 64"

wait_http() {  # url seconds [pid]: until the URL answers 200
  local url=$1 deadline=$((SECONDS + $2)) pid=${3:-}
  until [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" || true) == 200 ]]; do
    if [[ -n $pid ]] && ! kill -0 "$pid" 2>/dev/null; then return 1; fi
    ((SECONDS < deadline)) || return 1
    sleep 0.3
  done
}

nginx_common() {  # dir
  cat <<EOF
pid $1/nginx.pid;
error_log $1/error.log warn;
events { worker_connections 4096; }
EOF
}
nginx_temp_paths() {  # dir: Debian's compiled-in temp paths are under /var/lib/nginx
  local t
  for t in client_body proxy fastcgi uwsgi scgi; do echo "  ${t}_temp_path $1/${t}_temp;"; done
}

start_nginx() {  # name dir pin...
  local name=$1 dir=$2
  shift 2
  "$@" nginx -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf" -g 'daemon off;' \
    >"$dir/stdout.log" 2>&1 &
  pids+=($!)
  eval "pid_${name}=$!"
}

# --- Backend: nginx, one worker, on the client CPU ----------------------------------------------
mkdir -p "$work/backend"
cat >"$work/backend/nginx.conf" <<EOF
worker_processes 1;
$(nginx_common "$work/backend")
http {
$(nginx_temp_paths "$work/backend")
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 75s;
  server {
    listen 127.0.0.1:${port_backend} backlog=4096;
    location / {
      default_type text/plain;
      return 200 "${BODY}";
    }
  }
}
EOF
start_nginx backend "$work/backend" "${client_pin[@]}"

# --- nginx as reverse proxy ---------------------------------------------------------------------
mkdir -p "$work/nginx-proxy"
if [[ $ACCESS_LOG == on ]]; then
  nginx_log="access_log $work/nginx-proxy/access.log combined buffer=64k flush=1s;"
else
  nginx_log="access_log off;"
fi
cat >"$work/nginx-proxy/nginx.conf" <<EOF
worker_processes ${WORKERS};
$(nginx_common "$work/nginx-proxy")
http {
$(nginx_temp_paths "$work/nginx-proxy")
  ${nginx_log}
  keepalive_requests 1000000;
  keepalive_timeout 75s;
  upstream backend {
    server 127.0.0.1:${port_backend};
    keepalive 256;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:${port_nginx} backlog=4096;
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_set_header X-Request-Id \$request_id;
    }
  }
}
EOF
start_nginx nginx "$work/nginx-proxy" "${proxy_pin[@]}"

# --- HAProxy ------------------------------------------------------------------------------------
mkdir -p "$work/haproxy"
if [[ $ACCESS_LOG == on ]]; then
  haproxy_log=$'  log stdout format raw local0\n'
  haproxy_log_defaults=$'  log global\n  option httplog\n'
else
  haproxy_log=""
  haproxy_log_defaults=""
fi
cat >"$work/haproxy/haproxy.cfg" <<EOF
global
  nbthread ${WORKERS}
  maxconn 4000
${haproxy_log}
defaults
  mode http
${haproxy_log_defaults}  option http-keep-alive
  http-reuse always
  timeout connect 5s
  timeout client 30s
  timeout server 30s
  timeout http-keep-alive 75s

frontend fe
  bind 127.0.0.1:${port_haproxy}
  option forwardfor
  unique-id-format %{+X}o\ %ci:%cp_%fi:%fp_%Ts_%rt:%pid
  http-request set-header X-Request-Id %[unique-id]
  http-request set-header X-Forwarded-Proto http
  default_backend be

backend be
  server backend 127.0.0.1:${port_backend} maxconn 256
EOF
"${proxy_pin[@]}" haproxy -db -f "$work/haproxy/haproxy.cfg" \
  >"$work/haproxy/access.log" 2>"$work/haproxy/stderr.log" &
pids+=($!)
pid_haproxy=$!

# --- Portico: build, config folders, two instances ----------------------------------------------
gen_portico_config() {  # dir routes port [Local|Global|Jwt|ApiKey]
  local dir=$1 routes=$2 port=$3 limit=${4:-} auth=""
  if [[ $limit == Jwt || $limit == ApiKey ]]; then
    auth=$limit
    limit=""
  fi
  mkdir -p "$dir"
  cat >"$dir/dataplane.yaml" <<EOF
apiVersion: portico.dev/v1alpha1
kind: DataPlane
metadata:
  name: bench
  namespace: bench
spec:
  replicas: 1
  listeners:
    - name: http
      port: ${port}
  allowedRoutes:
    from: Same
EOF
  if [[ $limit == Global ]]; then
    printf '  redis:\n    address: "127.0.0.1:%s"\n' "$port_redis" >>"$dir/dataplane.yaml"
  fi
  if [[ $auth == Jwt ]]; then
    # Every route of the DataPlane checks an RS256 token against a JWK Set from a Secret.
    cat >>"$dir/dataplane.yaml" <<EOF
  security:
    jwt:
      issuers:
        - {issuer: "https://idp.bench/", audiences: [bench], jwksSecretRef: {name: bench-jwks}}
EOF
    cat >"$dir/secret.yaml" <<EOF
apiVersion: v1
kind: Secret
metadata: {name: bench-jwks, namespace: bench, labels: {portico.dev/credential: ""}}
stringData:
  jwks.json: '$(cat "$work/auth/jwks.json")'
EOF
  elif [[ $auth == ApiKey ]]; then
    cat >>"$dir/dataplane.yaml" <<EOF
  security:
    apiKey: {secretRefs: [{name: bench-keys}]}
EOF
    cat >"$dir/secret.yaml" <<EOF
apiVersion: v1
kind: Secret
metadata: {name: bench-keys, namespace: bench, labels: {portico.dev/credential: ""}}
stringData:
  bench: ${BENCH_API_KEY}
EOF
  fi
  if [[ -n $limit ]]; then
    # One shared counter (key None) that every request takes a token from: the most contended case.
    cat >"$dir/ratelimit.yaml" <<EOF
apiVersion: portico.dev/v1alpha1
kind: RateLimitPolicy
metadata:
  name: bench-cap
  namespace: bench
spec:
  targetRef: {kind: DataPlane, name: bench}
  limits:
    - {name: never, requests: 1000000000, window: Second, scope: ${limit}}
EOF
  fi
  # No EndpointSlice: standalone mode serves a numeric targetPort at 127.0.0.1:<targetPort>.
  cat >"$dir/services.yaml" <<EOF
apiVersion: v1
kind: Service
metadata:
  name: backend
  namespace: bench
spec:
  ports:
    - name: http
      port: 80
      targetPort: ${port_backend}
EOF
  # The benchmarked route plus routes-1 others: even ones on their own hostname, odd ones on
  # every host (like the benchmarked one) with distinct prefixes, so the host that wrk hits
  # holds about half of all routes.
  awk -v n="$routes" 'BEGIN {
    print "apiVersion: portico.dev/v1alpha1\nkind: GatewayRoute\nmetadata:\n  name: bench\n  namespace: bench"
    print "spec:\n  parentRefs:\n    - name: bench\n  rules:\n    - name: bench\n      matches:"
    print "        - path: {type: PathPrefix, value: /bench}\n      backends:\n        - {name: backend, port: 80}"
    for (i = 1; i < n; i++) {
      print "---\napiVersion: portico.dev/v1alpha1\nkind: GatewayRoute\nmetadata:"
      printf "  name: r-%05d\n  namespace: bench\nspec:\n  parentRefs:\n    - name: bench\n", i
      if (i % 2 == 0) {
        printf "  hostnames: [svc-%05d.bench.example.com]\n", i
        path = "/"
      } else {
        path = sprintf("/svc-%05d", i)
      }
      print "  rules:\n    - matches:"
      printf "        - path: {type: PathPrefix, value: %s}\n", path
      print "      backends:\n        - {name: backend, port: 80}"
    }
  }' >"$dir/routes.yaml"
}

portico_ok=0
portico_problem=""
[[ $PORTICO == 1 ]] || portico_problem="skipped (PORTICO=${PORTICO})"
if [[ $PORTICO == 1 ]]; then
  if [[ $SKIP_BUILD != 1 ]]; then
    echo "building the data plane (./mvnw -pl api,compiler,dataplane install -DskipTests)"
    if ! ./mvnw -B -q -pl api,compiler,dataplane install -DskipTests >"$results/build.log" 2>&1; then
      portico_problem="build failed; see ${results}/build.log"
    fi
  fi
  [[ -n $portico_problem || -f $JAR ]] || portico_problem="${JAR} not found"
fi

start_portico() {  # name routes port admin_port [Local|Global]
  local name=$1 routes=$2 port=$3 admin=$4 dir="$work/portico-$1"
  gen_portico_config "$dir/config" "$routes" "$port" "${5:-}"
  # A private copy of the jar: a rebuild in the tree must not pull classes from under a running JVM.
  [[ -f $work/portico-dataplane.jar ]] || cp "$JAR" "$work/portico-dataplane.jar"
  # shellcheck disable=SC2086  # PORTICO_JAVA_OPTS is a list of options
  "${proxy_pin[@]}" java $PORTICO_JAVA_OPTS -XX:ActiveProcessorCount="$WORKERS" \
    -jar "$work/portico-dataplane.jar" \
    standalone --config "$dir/config" --dataplane bench/bench --bind 127.0.0.1 \
    --admin-port "$admin" --drain-timeout 1s >"$dir/access.log" 2>"$dir/stderr.log" &
  pids+=($!)
  eval "pid_${name}=$!"
  local started=$SECONDS
  if ! wait_http "http://127.0.0.1:${admin}/readyz" 180 "$!"; then
    portico_problem="Portico with ${routes} routes did not become ready: $(tail -5 "$dir/stderr.log")"
    return 1
  fi
  echo "portico-${routes}: ready after $((SECONDS - started)) s;" \
    "$(grep -o 'serving snapshot .*' "$dir/stderr.log" | tail -1)"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "pinning: ${pinning}; workers: ${WORKERS}; $(nproc) CPUs online; load average: ${load_before}"
echo "wrk: ${THREADS} thread(s), ${CONNECTIONS} connections, warm-up ${WARMUP}, measured ${DURATION}, ${ROUNDS} round(s)"

wait_http "http://127.0.0.1:${port_backend}/" 10 "$pid_backend" \
  || die "backend nginx did not start: $(cat "$work/backend/error.log" "$work/backend/stdout.log")"
wait_http "http://127.0.0.1:${port_nginx}/" 10 "$pid_nginx" \
  || die "nginx proxy did not start: $(cat "$work/nginx-proxy/error.log" "$work/nginx-proxy/stdout.log")"
wait_http "http://127.0.0.1:${port_haproxy}/" 10 "$pid_haproxy" \
  || die "haproxy did not start: $(cat "$work/haproxy/stderr.log")"

# The framework's ceiling: a bare Vert.x proxy (bench/vertx-bare) on Portico's jar, JVM and CPU.
bare_ok=0
if [[ $PORTICO == 1 && -z $portico_problem ]]; then
  cp "$JAR" "$work/portico-dataplane.jar"
  mkdir -p "$work/vertx-bare"
  # shellcheck disable=SC2086  # PORTICO_JAVA_OPTS is a list of options
  "${proxy_pin[@]}" java $PORTICO_JAVA_OPTS -XX:ActiveProcessorCount="$WORKERS" \
    -cp "$work/portico-dataplane.jar" bench/vertx-bare/BareVertxProxy.java "$port_bare" "$port_backend" \
    >"$work/vertx-bare/stdout.log" 2>"$work/vertx-bare/stderr.log" &
  pids+=($!)
  pid_bare=$!
  if wait_http "http://127.0.0.1:${port_bare}${PATH_UNDER_TEST}" 60 "$pid_bare"; then
    bare_ok=1
  else
    echo "vertx-bare did not start (not measured): $(tail -3 "$work/vertx-bare/stderr.log")" >&2
  fi
fi

if [[ $PORTICO == 1 && -z $portico_problem ]]; then
  if start_portico small "$SMALL_ROUTES" "$port_small" "$port_admin_small" \
    && start_portico large "$LARGE_ROUTES" "$port_large" "$port_admin_large"; then
    portico_ok=1
  fi
fi
[[ -z $portico_problem || $PORTICO != 1 ]] || echo "PORTICO NOT MEASURED: ${portico_problem}" >&2
limit_ok=0
if ((portico_ok)) && [[ $RATE_LIMIT == 1 ]]; then
  if start_portico limit "$SMALL_ROUTES" "$port_limit" "$port_admin_limit" Local; then
    limit_ok=1
  else
    echo "portico-local-limit not measured: ${portico_problem}" >&2
  fi
fi
global_ok=0
if ((portico_ok)) && [[ $RATE_LIMIT == 1 ]]; then
  # Redis is another service in production: it runs on the client CPUs, not the proxy's.
  redis_bin=$(bash tools/redis/ensure.sh | tail -1)
  mkdir -p "$work/redis"
  "${client_pin[@]}" "$redis_bin" --port "$port_redis" --bind 127.0.0.1 --save "" \
    --appendonly no >"$work/redis/stdout.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 50); do
    (echo >"/dev/tcp/127.0.0.1/$port_redis") 2>/dev/null && break
    sleep 0.1
  done
  if start_portico global "$SMALL_ROUTES" "$port_global" "$port_admin_global" Global; then
    global_ok=1
  else
    echo "portico-global-limit not measured: ${portico_problem}" >&2
  fi
fi

jwt_ok=0
apikey_ok=0
if ((portico_ok)) && [[ $AUTH == 1 ]]; then
  # Pre-signed tokens (each with its own jti) and their key, made with the data plane's own jar.
  java -cp "$work/portico-dataplane.jar" bench/auth/SignTokens.java "$work/auth" "$TOKENS"
  if start_portico jwt "$SMALL_ROUTES" "$port_jwt" "$port_admin_jwt" Jwt; then
    jwt_ok=1
  else
    echo "portico-jwt not measured: ${portico_problem}" >&2
  fi
  if start_portico apikey "$SMALL_ROUTES" "$port_apikey" "$port_admin_apikey" ApiKey; then
    apikey_ok=1
  else
    echo "portico-apikey not measured: ${portico_problem}" >&2
  fi
fi

targets=(direct nginx-proxy haproxy)
declare -A url pidsof wrk_pre wrk_post curl_header
url[direct]="http://127.0.0.1:${port_backend}${PATH_UNDER_TEST}"
url[nginx-proxy]="http://127.0.0.1:${port_nginx}${PATH_UNDER_TEST}"
url[haproxy]="http://127.0.0.1:${port_haproxy}${PATH_UNDER_TEST}"
pidsof[direct]=$pid_backend
pidsof[nginx-proxy]=$pid_nginx
pidsof[haproxy]=$pid_haproxy
if ((bare_ok)); then
  targets+=(vertx-bare)
  url[vertx-bare]="http://127.0.0.1:${port_bare}${PATH_UNDER_TEST}"
  pidsof[vertx-bare]=$pid_bare
fi
if ((portico_ok)); then
  targets+=("portico-${SMALL_ROUTES}" "portico-${LARGE_ROUTES}")
  url[portico-${SMALL_ROUTES}]="http://127.0.0.1:${port_small}${PATH_UNDER_TEST}"
  url[portico-${LARGE_ROUTES}]="http://127.0.0.1:${port_large}${PATH_UNDER_TEST}"
  pidsof[portico-${SMALL_ROUTES}]=$pid_small
  pidsof[portico-${LARGE_ROUTES}]=$pid_large
fi
if ((limit_ok)); then
  targets+=(portico-local-limit)
  url[portico-local-limit]="http://127.0.0.1:${port_limit}${PATH_UNDER_TEST}"
  pidsof[portico-local-limit]=$pid_limit
fi
if ((global_ok)); then
  targets+=(portico-global-limit)
  url[portico-global-limit]="http://127.0.0.1:${port_global}${PATH_UNDER_TEST}"
  pidsof[portico-global-limit]=$pid_global
fi

if ((jwt_ok)); then
  targets+=(portico-jwt)
  url[portico-jwt]="http://127.0.0.1:${port_jwt}${PATH_UNDER_TEST}"
  pidsof[portico-jwt]=$pid_jwt
  wrk_pre[portico-jwt]="-s bench/auth/tokens.lua"
  wrk_post[portico-jwt]="-- $work/auth/tokens.txt"
  curl_header[portico-jwt]="Authorization: Bearer $(head -1 "$work/auth/tokens.txt")"
fi
if ((apikey_ok)); then
  targets+=(portico-apikey)
  url[portico-apikey]="http://127.0.0.1:${port_apikey}${PATH_UNDER_TEST}"
  pidsof[portico-apikey]=$pid_apikey
  wrk_pre[portico-apikey]="-s bench/auth/apikey.lua"
  wrk_post[portico-apikey]="-- ${BENCH_API_KEY}"
  curl_header[portico-apikey]="X-API-Key: ${BENCH_API_KEY}"
fi

# Every target must answer the benchmarked path with the backend's body before it is measured.
for t in "${targets[@]}"; do
  got=$(curl -s --max-time 5 -w ' %{http_code}' -H "${curl_header[$t]:-X-Bench: 1}" "${url[$t]}" || true)
  [[ $got == "${BODY} 200" ]] || die "${t} answers '${got}' on ${url[$t]}, not the backend's 200"
done

# Heap per route, measured twice: now, after the one request above, the routes' own cost; after
# the runs, what traffic added (connection pools, buffers, the benchmarked route's meters).
# GC.class_histogram runs a full GC first and counts live objects only.
histograms() {  # suffix
  local name pid_var
  command -v jcmd >/dev/null || return 0
  for name in small large; do
    pid_var="pid_${name}"
    jcmd "${!pid_var}" GC.class_histogram >"$results/histogram-${name}-$1.txt" 2>&1 || true
  done
}
((portico_ok)) && histograms idle

# --- Measuring ----------------------------------------------------------------------------------
proc_ticks() {  # CPU ticks of a process and its children (nginx workers)
  local total=0 p
  for p in "$1" $(pgrep -P "$1" || true); do
    [[ -r /proc/$p/stat ]] && total=$((total + $(sed 's/.*) //' "/proc/$p/stat" | awk '{print $12 + $13}')))
  done
  echo "$total"
}
thread_ticks() {  # "thread-name ticks" per thread of a process, names without their numbers
  local t
  for t in /proc/"$1"/task/*; do
    echo "$(tr -d ' ' <"$t/comm" | sed 's/[-#]*[0-9]*$//') $(sed 's/.*) //' "$t/stat" | awk '{print $12 + $13}')"
  done 2>/dev/null | awk '{ s[$1] += $2 } END { for (k in s) print k, s[k] }' | sort
}
cpu_busy() {  # "cpuN busy total" for every CPU
  awk '/^cpu[0-9]/ { t = 0; for (i = 2; i <= NF; i++) t += $i; print $1, t - $5 - $6, t }' /proc/stat
}
to_us() {  # wrk duration (512.00us, 1.02ms, 1.00s, 2.00m) -> microseconds
  awk -v v="$1" 'BEGIN { n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    f = (u == "us") ? 1 : (u == "ms") ? 1000 : (u == "s") ? 1e6 : (u == "m") ? 6e7 : -1
    printf "%.0f", (f < 0 ? -1 : n * f) }'
}
clk=$(getconf CLK_TCK)
tsv="$results/runs.tsv"
printf 'round\ttarget\trps\tp50_us\tp99_us\trequests\tnon2xx\tsocket_errors\tproxy_cpu_pct\tcpu_busy_pct\tload1\n' >"$tsv"

run_wrk() {  # out args...: in the background, so that a signal's trap runs at once, not after wrk
  local out=$1
  shift
  "${client_pin[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" --timeout 5s "$@" >"$out" 2>&1 &
  wrk_pid=$!
  wait "$wrk_pid" || true
  wrk_pid=""
}

measure() {  # round target
  local round=$1 t=$2 out="$results/wrk-$2-round$1.txt" pre post
  read -ra pre <<<"${wrk_pre[$t]:-}"
  read -ra post <<<"${wrk_post[$t]:-}"
  run_wrk "$results/wrk-$t-round$round-warmup.txt" -d"$WARMUP" "${pre[@]}" "${url[$t]}" "${post[@]}"
  sleep 1
  local pid=${pidsof[$t]} busy0 ticks0 t0 t1
  busy0=$(cpu_busy)
  ticks0=$(proc_ticks "$pid")
  local threads0
  threads0=$(thread_ticks "$pid")
  t0=$(date +%s.%N)
  run_wrk "$out" -d"$DURATION" --latency "${pre[@]}" "${url[$t]}" "${post[@]}"
  t1=$(date +%s.%N)
  local ticks1 busy rps p50 p99 reqs non2xx sockerr cpu
  ticks1=$(proc_ticks "$pid")
  if [[ $t == portico-* || $t == vertx-bare ]]; then  # where the JVM's CPU went: event loop, access log, JIT, GC
    join <(echo "$threads0") <(thread_ticks "$pid") | awk -v c="$clk" -v s="$t0" -v e="$t1" \
      '$3 > $2 { printf "%6.1f%%  %s\n", 100 * ($3 - $2) / c / (e - s), $1 }' | sort -rn \
      >"$results/threads-$t-round$round.txt"
  fi
  busy=$(join <(echo "$busy0") <(cpu_busy) \
    | awk '{ printf "%s%s=%.0f%%", (NR > 1 ? " " : ""), $1, 100 * ($4 - $2) / ($5 - $3) }')
  rps=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
  p50=$(to_us "$(awk '$1 == "50%" { print $2 }' "$out")")
  p99=$(to_us "$(awk '$1 == "99%" { print $2 }' "$out")")
  reqs=$(awk '/requests in/ { print $1 }' "$out")
  non2xx=$(awk -F: '/Non-2xx or 3xx responses/ { gsub(/ /, "", $2); print $2 }' "$out")
  sockerr=$(awk -F'Socket errors: ' '/Socket errors/ { print $2 }' "$out" | tr -d ' ')
  cpu=$(awk -v a="$ticks0" -v b="$ticks1" -v c="$clk" -v s="$t0" -v e="$t1" \
    'BEGIN { printf "%.0f", 100 * (b - a) / c / (e - s) }')
  [[ -n $rps ]] || { echo "wrk failed for ${t}:"; cat "$out"; rps=0; }
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$t" "$rps" "$p50" "$p99" \
    "${reqs:-0}" "${non2xx:-0}" "${sockerr:-none}" "$cpu" "$busy" "$(cut -d' ' -f1 /proc/loadavg)" >>"$tsv"
  printf '  %-14s %10.0f req/s  p50 %7s us  p99 %7s us  proxy CPU %3s%%  %s  non-2xx %s  socket errors %s\n' \
    "$t" "$rps" "$p50" "$p99" "$cpu" "$busy" "${non2xx:-0}" "${sockerr:-none}"
}

for ((round = 1; round <= ROUNDS; round++)); do
  echo "round ${round}/${ROUNDS}"
  for t in "${targets[@]}"; do measure "$round" "$t"; done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# --- Heap per route -----------------------------------------------------------------------------
heap_lines=()
if ((portico_ok)); then
  histograms after
  for name in small large; do
    pid_var="pid_${name}"
    jcmd "${!pid_var}" GC.heap_info >"$results/heap-info-${name}.txt" 2>&1 || true
    admin_var="port_admin_${name}"
    curl -s --max-time 10 "http://127.0.0.1:${!admin_var}/metrics" >"$results/metrics-${name}.txt" || true
  done
  for when in idle after; do
    live_small=$(awk '$1 == "Total" { print $3 }' "$results/histogram-small-${when}.txt" 2>/dev/null)
    live_large=$(awk '$1 == "Total" { print $3 }' "$results/histogram-large-${when}.txt" 2>/dev/null)
    [[ -n $live_small && -n $live_large ]] || continue
    heap_lines+=("$(awk -v s="$live_small" -v l="$live_large" -v ns="$SMALL_ROUTES" -v nl="$LARGE_ROUTES" \
      -v w="$when" 'BEGIN { printf "%s: %.2f KB per route (live heap after full GC %.1f MB with %d routes," \
        " %.1f MB with %d routes)", (w == "idle" ? "before the runs" : "after the runs "),
        (l - s) / (nl - ns) / 1e3, s / 1e6, ns, l / 1e6, nl }')")
    # Where the difference sits: the classes that grew most.
    awk 'FNR == 1 { f++ } $1 ~ /^[0-9]+:$/ { b[f, $4] = $3; k[$4] = 1 }
      END { for (c in k) { d = b[2, c] - b[1, c]; if (d > 0) printf "%12d  %s\n", d, c } }' \
      "$results/histogram-small-${when}.txt" "$results/histogram-large-${when}.txt" \
      | sort -rn | awk 'NR <= 15' >"$results/heap-growth-by-class-${when}.txt"
  done
fi

# --- Summary ------------------------------------------------------------------------------------
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print ""; else if (NR % 2) print v[(NR + 1) / 2];
  else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
col() { awk -F'\t' -v t="$1" -v c="$2" 'NR > 1 && $2 == t { print $c }' "$tsv" | median; }
sum_col() { awk -F'\t' -v t="$1" -v c="$2" 'NR > 1 && $2 == t { s += $c } END { print s + 0 }' "$tsv"; }

summary="$results/summary.txt"
{
  echo
  echo "== Data-plane proxy benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "   ${pinning}; ${WORKERS} worker(s) each (nginx worker_processes, haproxy nbthread, Portico CPUs)"
  echo "   wrk -t${THREADS} -c${CONNECTIONS} -d${DURATION} --latency after a ${WARMUP} warm-up; ${ROUNDS} round(s), medians shown"
  echo "   load average before ${load_before}, after ${load_after}; access logs ${ACCESS_LOG} (Portico: always)"
  echo
  nginx_rps=$(col nginx-proxy 3)
  nginx_p99=$(col nginx-proxy 5)
  {
    printf 'target\treq/s\tp50 ms\tp99 ms\treq/s vs nginx\tp99 vs nginx\tproxy CPU %%\treq/s per proxy core\tnon-2xx\tsocket errors\n'
    for t in "${targets[@]}"; do
      rps=$(col "$t" 3); p50=$(col "$t" 4); p99=$(col "$t" 5); cpu=$(col "$t" 9)
      errs=$(awk -F'\t' -v t="$t" 'NR > 1 && $2 == t && $8 != "none" { printf "%s%s", (n++ ? ";" : ""), $8 }' "$tsv")
      awk -v t="$t" -v r="$rps" -v a="$p50" -v b="$p99" -v nr="$nginx_rps" -v np="$nginx_p99" \
        -v cpu="$cpu" -v n2="$(sum_col "$t" 7)" -v e="${errs:-none}" 'BEGIN {
        printf "%s\t%.0f\t%.2f\t%.2f\t%.2fx\t%.2fx\t%s\t%s\t%d\t%s\n", t, r, a / 1000, b / 1000,
          r / nr, b / np, (t == "direct" ? "(backend) " : "") sprintf("%.0f", cpu),
          (t == "direct" || cpu <= 0 ? "-" : sprintf("%.0f", r / (cpu / 100))), n2, e }'
    done
  } | column -t -s $'\t'
  echo
  if ((portico_ok)); then
    small="portico-${SMALL_ROUTES}"
    large="portico-${LARGE_ROUTES}"
    awk -v pr="$(col "$small" 3)" -v pp="$(col "$small" 5)" -v lr="$(col "$large" 3)" \
      -v nr="$nginx_rps" -v np="$nginx_p99" -v ns="$SMALL_ROUTES" -v nl="$LARGE_ROUTES" 'BEGIN {
      printf "target throughput >= 1.0x nginx-proxy: %s (%.2fx)\n", (pr >= nr ? "met" : "MISSED"), pr / nr
      printf "target p99 <= 1.2x nginx-proxy: %s (%.2fx)\n", (pp <= 1.2 * np ? "met" : "MISSED"), pp / np
      printf "target <= 5%% throughput drop from %d to %d routes: %s (%+.1f%%)\n", ns, nl,
        (lr >= 0.95 * pr ? "met" : "MISSED"), 100 * (lr - pr) / pr }'
    if ((limit_ok)); then
      awk -v pr="$(col "$small" 3)" -v lr="$(col portico-local-limit 3)" -v ns="$SMALL_ROUTES" 'BEGIN {
        printf "target local rate limit >= 0.90x portico-%d: %s (%.2fx)\n", ns,
          (lr >= 0.9 * pr ? "met" : "MISSED"), lr / pr }'
    fi
    if ((global_ok)); then
      awk -v pr="$(col "$small" 3)" -v gr="$(col portico-global-limit 3)" -v ns="$SMALL_ROUTES" \
        -v pp="$(col "$small" 5)" -v gp="$(col portico-global-limit 5)" 'BEGIN {
        printf "target global rate limit >= 0.70x portico-%d: %s (%.2fx; p99 %+.2f ms)\n", ns,
          (gr >= 0.7 * pr ? "met" : "MISSED"), gr / pr, (gp - pp) / 1000 }'
      # The data plane's own histogram of Redis round trips, over every measured round.
      curl -s "http://127.0.0.1:${port_admin_global}/metrics" \
        | grep '^portico_ratelimit_redis_duration_seconds_bucket' \
        | sed -E 's/.*le="([^"]+)".* ([0-9.eE+-]+)$/\1 \2/' | sort -g \
        | awk '{ le[NR] = $1; c[NR] = $2 } END {
            n = c[NR]; if (n == 0) { print "redis round trip: no samples"; exit }
            for (i = 1; i <= NR; i++) { if (!p50 && c[i] >= 0.5 * n) p50 = le[i]; if (!p99 && c[i] >= 0.99 * n) p99 = le[i] }
            printf "redis round trip (data plane histogram, %d steps): p50 <= %.2f ms, p99 <= %.2f ms\n", n, p50 * 1000, p99 * 1000 }'
    fi
    if ((bare_ok)); then
      awk -v pr="$(col "$small" 3)" -v br="$(col vertx-bare 3)" -v nr="$nginx_rps" 'BEGIN {
        printf "vertx-bare (the Vert.x ceiling) = %.2fx nginx-proxy; Portico = %.2fx vertx-bare\n", br / nr, pr / br }'
    fi
    for line in "${heap_lines[@]}"; do echo "heap per route ${line}"; done
    for t in "$small" "$large"; do
      f="$results/threads-$t-round${ROUNDS}.txt"
      [[ -s $f ]] || continue
      echo "${t} CPU by thread (last round): $(awk 'NR <= 4' "$f" | tr -s ' ' | tr '\n' ',' | sed 's/,$//; s/^ //')"
      awk -v t="$t" '$2 ~ /^C2Compiler/ && $1 + 0 > 5 { printf "note: %s was still JIT-compiling (C2 %s of the JVM'"'"'s" \
        " CPU): its figures are not steady state; use a longer WARMUP or more ROUNDS.\n", t, $1 }' "$f"
    done
    for name in small large; do
      n=$(grep -cE ' (WARN|ERROR) ' "$work/portico-${name}/stderr.log" || true)
      ((n == 0)) || echo "portico-${name}: ${n} WARN/ERROR lines in its log, e.g. $(grep -m1 -E ' (WARN|ERROR) ' "$work/portico-${name}/stderr.log")"
    done
    for name in small large; do
      f="$results/metrics-${name}.txt"
      [[ -s $f ]] && echo "portico-${name}: $(grep -E '^portico_(accesslog_dropped|snapshot_rules|snapshot_rejected)' "$f" | tr '\n' ' ')"
    done
  else
    echo "Portico: not measured. ${portico_problem}"
  fi
  awk -v d="$(col direct 3)" -v n="$nginx_rps" -v c="$(col nginx-proxy 9)" 'BEGIN {
    if (n >= 0.85 * d || c < 85)
      printf "note: nginx-proxy reached %.0f%% of direct with its core %s%% busy: the client core (wrk +" \
        " backend) may be the limit, so compare \"req/s per proxy core\" too.\n", 100 * n / d, c }'
  echo "proxy CPU % = the proxy's own processes (Portico: the whole JVM) per second of wall time, on its core."
  echo "raw results: ${results}/"
} | tee "$summary"

[[ $PORTICO != 1 ]] || ((portico_ok)) || exit 3
