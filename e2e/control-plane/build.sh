#!/usr/bin/env bash
# Builds real Kubernetes control-plane binaries (kube-apiserver,
# kube-controller-manager, kubectl, etcd) from the official Go modules with the
# local Go toolchain, for Portico's end-to-end tests.
#
#   BIN=$(e2e/control-plane/build.sh | tail -1)
#
# The LAST line of stdout is the absolute bin directory; progress goes to stderr.
# Output: ${PORTICO_CACHE:-$HOME/.cache/portico}/k8s/<K8S_VERSION>/bin/
# A cached, complete build is reused (no Go needed then). The first build needs
# the Go module proxy; later builds work offline from the Go module cache.
#
# Options:
#   --force    rebuild even if the cache is complete
#   --update   regenerate gomod/*/go.mod + go.sum from versions.env (needs the
#              Go module proxy), then build. Commit the regenerated files.
#
# Environment:
#   PORTICO_CACHE          cache root (default $HOME/.cache/portico)
#   GO                     go binary to use (default: `go` on PATH, then /usr/local/go/bin/go)
#   PORTICO_GOTOOLCHAIN    value for GOTOOLCHAIN (default: local, i.e. never switch toolchains)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$HERE/versions.env"
: "${K8S_VERSION:?versions.env must set K8S_VERSION}" "${ETCD_VERSION:?versions.env must set ETCD_VERSION}"
: "${GO_MIN_VERSION:=1.26.0}"

log() { printf '[control-plane] %s\n' "$*" >&2; }
die() { printf '[control-plane] ERROR: %s\n' "$*" >&2; exit 1; }

FORCE=0 UPDATE=0
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=1 ;;
    --update) UPDATE=1; FORCE=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2; exit 0 ;;
    *) die "unknown argument: $arg (try --help)" ;;
  esac
done

KUBE_MOD="$HERE/gomod/kube"
ETCD_MOD="$HERE/gomod/etcd"
CACHE_ROOT="${PORTICO_CACHE:-$HOME/.cache/portico}"
mkdir -p "$CACHE_ROOT/k8s"
CACHE_ROOT="$(cd "$CACHE_ROOT" && pwd)"
DEST="$CACHE_ROOT/k8s/$K8S_VERSION"
BIN="$DEST/bin"
MARKER="$DEST/.complete"
BINARIES=(kube-apiserver kube-controller-manager kubectl etcd)
KUBE_CMDS=(k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kubectl)
ETCD_CMD=go.etcd.io/etcd/server/v3   # etcd's own `package main` (calls etcdmain.Main(os.Args))

input_hash() {
  (cd "$HERE" && cat build.sh versions.env \
      gomod/kube/go.mod gomod/kube/go.sum gomod/etcd/go.mod gomod/etcd/go.sum 2>/dev/null) \
    | sha256sum | cut -d' ' -f1
}

is_complete() {
  [[ -f "$MARKER" && "$(cat "$MARKER")" == "$(input_hash)" ]] || return 1
  local b; for b in "${BINARIES[@]}"; do [[ -x "$BIN/$b" ]] || return 1; done
}

# ---- fast path: cached build, no Go toolchain needed ------------------------
if (( ! FORCE )) && is_complete; then
  log "using cached Kubernetes $K8S_VERSION / etcd $ETCD_VERSION binaries"
  echo "$BIN"
  exit 0
fi

# ---- Go toolchain ------------------------------------------------------------
GO="${GO:-$(command -v go || true)}"
[[ -z "$GO" && -x /usr/local/go/bin/go ]] && GO=/usr/local/go/bin/go
export GOTOOLCHAIN="${PORTICO_GOTOOLCHAIN:-local}"
go_help="Install Go >= $GO_MIN_VERSION (required by Kubernetes $K8S_VERSION's go.mod): e.g. the official
  tarball extracted to /usr/local/go with /usr/local/go/bin on PATH. Debian's 'apt-get install golang'
  is far too old (Debian 12 ships Go 1.19). Any Go >= 1.21 can instead fetch the right toolchain through
  the Go module proxy: PORTICO_GOTOOLCHAIN=go$GO_MIN_VERSION $0"
[[ -n "$GO" && -x "$GO" ]] || die "Go toolchain not found (GO=${GO:-<unset>}, no 'go' on PATH, no /usr/local/go/bin/go).
  $go_help"

# Required version = max(GO_MIN_VERSION, `go` directives of the wrapper modules).
required="$GO_MIN_VERSION"
for m in "$KUBE_MOD/go.mod" "$ETCD_MOD/go.mod"; do
  [[ -f "$m" ]] || continue
  v="$(awk '$1=="go"{print $2; exit}' "$m")"
  [[ -n "$v" ]] && required="$(printf '%s\n%s\n' "$required" "$v" | sort -V | tail -1)"
done
have="$("$GO" env GOVERSION 2>/dev/null || true)"   # e.g. go1.26.8
have="${have#go}"; have="${have%%[!0-9.]*}"
[[ -n "$have" ]] || die "could not determine the version of $GO.
  $go_help"
printf '%s\n%s\n' "$required" "$have" | sort -V -C ||
  die "Go $have at $GO is too old: Go >= $required is required.
  $go_help"
log "using $GO (go$have, GOTOOLCHAIN=$GOTOOLCHAIN)"

export CGO_ENABLED=0
export GOFLAGS="-mod=readonly -buildvcs=false"

# ---- --update: regenerate the wrapper modules from versions.env -------------
generate_modules() {
  local kmod minor staging m
  log "resolving k8s.io/kubernetes@$K8S_VERSION via the Go module proxy"
  kmod="$(cd /tmp && GOFLAGS=-mod=mod "$GO" mod download -json "k8s.io/kubernetes@$K8S_VERSION" |
          sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')"
  [[ -f "$kmod" ]] || die "could not download k8s.io/kubernetes@$K8S_VERSION"
  minor="${K8S_VERSION#v1.}"   # 37.2 -> staging modules are published as v0.37.2
  # Staging modules: required at v0.0.0 (resolved upstream by ./staging replaces).
  staging="$(awk '$1 ~ /^k8s\.io\// && $2 == "v0.0.0" {print $1}' "$kmod" | sort -u)"
  mkdir -p "$KUBE_MOD" "$ETCD_MOD"
  {
    echo "// Generated by e2e/control-plane/build.sh --update from versions.env. Do not edit."
    echo "module dev.portico/e2e/control-plane/kube"
    echo
    echo "go $GO_MIN_VERSION"
    echo
    echo "tool ("; printf '\t%s\n' "${KUBE_CMDS[@]}"; echo ")"
    echo
    echo "require k8s.io/kubernetes $K8S_VERSION"
    echo
    echo "// k8s.io/kubernetes requires its staging modules at v0.0.0; map them to the"
    echo "// published tags that match $K8S_VERSION."
    echo "replace ("
    for m in $staging; do printf '\t%s => %s v0.%s\n' "$m" "$m" "$minor"; done
    echo ")"
  } > "$KUBE_MOD/go.mod"
  {
    echo "// Generated by e2e/control-plane/build.sh --update from versions.env. Do not edit."
    echo "module dev.portico/e2e/control-plane/etcd"
    echo
    echo "go $GO_MIN_VERSION"
    echo
    echo "tool $ETCD_CMD"
    echo
    echo "require $ETCD_CMD $ETCD_VERSION"
  } > "$ETCD_MOD/go.mod"
  rm -f "$KUBE_MOD/go.sum" "$ETCD_MOD/go.sum"
  log "go mod tidy (kube)"; (cd "$KUBE_MOD" && GOFLAGS=-mod=mod "$GO" mod tidy >&2)
  log "go mod tidy (etcd)"; (cd "$ETCD_MOD" && GOFLAGS=-mod=mod "$GO" mod tidy >&2)
}
(( UPDATE )) && generate_modules

requires() { grep -qE "^[[:space:]]*(require[[:space:]]+)?$2 $3( |\$)" "$1" 2>/dev/null; }
requires "$KUBE_MOD/go.mod" k8s.io/kubernetes "$K8S_VERSION" &&
requires "$ETCD_MOD/go.mod" "$ETCD_CMD" "$ETCD_VERSION" &&
[[ -f "$KUBE_MOD/go.sum" && -f "$ETCD_MOD/go.sum" ]] ||
  die "gomod/*/go.mod do not match versions.env (K8S_VERSION=$K8S_VERSION ETCD_VERSION=$ETCD_VERSION); run $0 --update"

# ---- lock, then build into a temp dir and move it into place ---------------
exec 9>"$CACHE_ROOT/k8s/.lock-$K8S_VERSION"
if ! flock -n 9; then
  log "another build of $K8S_VERSION is running; waiting for its lock"
  flock 9
fi
if (( ! FORCE )) && is_complete; then   # built by whoever held the lock
  log "using cached Kubernetes $K8S_VERSION / etcd $ETCD_VERSION binaries"
  echo "$BIN"
  exit 0
fi

rm -rf "$CACHE_ROOT/k8s/.build-$K8S_VERSION".*   # leftovers of a killed build (we hold the lock)
STAGE="$(mktemp -d "$CACHE_ROOT/k8s/.build-$K8S_VERSION.XXXXXX")"
CHILD=
trap '[[ -n "$CHILD" ]] && kill "$CHILD" 2>/dev/null; rm -rf "$STAGE" "$STAGE.old"' EXIT
trap 'exit 130' INT TERM HUP   # run the EXIT trap on signals too
# Run go in the background and `wait` so a signal to this script acts at once.
run() { "$@" >&2 & CHILD=$!; wait "$CHILD"; CHILD=; }
chmod 755 "$STAGE"
mkdir -p "$STAGE/bin"
start=$SECONDS

# Version stamping, as hack/lib/version.sh does, so --version / `kubectl version`
# report the pinned release instead of v0.0.0-master. buildDate = release tag time.
build_date="$(cd "$KUBE_MOD" && "$GO" list -m -f '{{.Time.UTC.Format "2006-01-02T15:04:05Z"}}' k8s.io/kubernetes 2>/dev/null || true)"
[[ "$build_date" == 20* ]] || build_date="1970-01-01T00:00:00Z"
ver="${K8S_VERSION#v}"; major="${ver%%.*}"; rest="${ver#*.}"; minor="${rest%%.*}"
ldflags="-s -w"
for pkg in k8s.io/client-go/pkg/version k8s.io/component-base/version; do
  ldflags+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor"
  ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=$build_date"
done

log "building kube-apiserver, kube-controller-manager, kubectl $K8S_VERSION (first build: ~10-20 min on 2 cores)"
run "$GO" -C "$KUBE_MOD" build -trimpath -ldflags "$ldflags" -o "$STAGE/bin/" "${KUBE_CMDS[@]}"
log "building etcd $ETCD_VERSION"
run "$GO" -C "$ETCD_MOD" build -trimpath -ldflags "-s -w" -o "$STAGE/bin/etcd" "$ETCD_CMD"

# Sanity checks before publishing (capture first: `cmd | grep -q` + pipefail
# fails at random when grep exits early and cmd gets SIGPIPE).
check_version() {  # check_version PATTERN CMD...
  local out; out="$("$@" 2>&1)" || true
  [[ "$out" == *"$1"* ]] || die "${2##*/} does not report $1: $out"
}
check_version "Kubernetes $K8S_VERSION" "$STAGE/bin/kube-apiserver" --version
check_version "Kubernetes $K8S_VERSION" "$STAGE/bin/kube-controller-manager" --version
check_version "Client Version: $K8S_VERSION" "$STAGE/bin/kubectl" version --client
check_version "etcd Version: ${ETCD_VERSION#v}" "$STAGE/bin/etcd" --version

input_hash > "$STAGE/.complete"
if [[ -e "$DEST" ]]; then mv "$DEST" "$STAGE.old"; fi
mv "$STAGE" "$DEST"
log "built Kubernetes $K8S_VERSION + etcd $ETCD_VERSION in $((SECONDS - start))s -> $BIN"
echo "$BIN"
