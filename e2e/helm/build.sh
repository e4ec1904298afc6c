#!/usr/bin/env bash
# Builds a pinned Helm v3 release from its official Go module with the local Go
# toolchain, so Portico's e2e tests can render charts/portico without a Helm
# install or a release-binary download.
#
#   HELM=$(e2e/helm/build.sh | tail -1)
#
# The LAST line of stdout is the absolute path of the helm binary; progress goes
# to stderr. Output: ${PORTICO_CACHE:-$HOME/.cache/portico}/helm/<HELM_VERSION>/bin/helm
# A cached, complete build is reused (no Go needed then). The first build needs
# the Go module proxy; later builds work offline from the Go module cache.
#
# Options:
#   --force    rebuild even if the cache is complete
#
# Environment (as e2e/control-plane/build.sh):
#   PORTICO_CACHE          cache root (default $HOME/.cache/portico)
#   GO                     go binary to use (default: `go` on PATH, then /usr/local/go/bin/go)
#   PORTICO_GOTOOLCHAIN    value for GOTOOLCHAIN (default: local, i.e. never switch toolchains)
set -euo pipefail

# Newest v3 release on the Go module proxy; its client-go (v0.37) matches the
# Kubernetes minor of e2e/control-plane/versions.env, so `helm template` assumes
# the same API server the tests run against.
HELM_VERSION=v3.22.0
HELM_MODULE=helm.sh/helm/v3
GO_MIN_VERSION=1.26.0   # the `go` directive of helm v3.22.0's go.mod

log() { printf '[helm] %s\n' "$*" >&2; }
die() { printf '[helm] ERROR: %s\n' "$*" >&2; exit 1; }

FORCE=0
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2; exit 0 ;;
    *) die "unknown argument: $arg (try --help)" ;;
  esac
done

CACHE_ROOT="${PORTICO_CACHE:-$HOME/.cache/portico}"
mkdir -p "$CACHE_ROOT/helm"
CACHE_ROOT="$(cd "$CACHE_ROOT" && pwd)"
DEST="$CACHE_ROOT/helm/$HELM_VERSION"
BIN="$DEST/bin"
MARKER="$DEST/.complete"

input_hash() { sha256sum "${BASH_SOURCE[0]}" | cut -d' ' -f1; }

is_complete() {
  [[ -f "$MARKER" && "$(cat "$MARKER")" == "$(input_hash)" && -x "$BIN/helm" ]]
}

# ---- fast path: cached build, no Go toolchain needed ------------------------
if (( ! FORCE )) && is_complete; then
  log "using cached helm $HELM_VERSION"
  echo "$BIN/helm"
  exit 0
fi

# ---- Go toolchain ------------------------------------------------------------
GO="${GO:-$(command -v go || true)}"
[[ -z "$GO" && -x /usr/local/go/bin/go ]] && GO=/usr/local/go/bin/go
export GOTOOLCHAIN="${PORTICO_GOTOOLCHAIN:-local}"
go_help="Install Go >= $GO_MIN_VERSION (required by helm $HELM_VERSION's go.mod), e.g. the official
  tarball in /usr/local/go; or let any Go >= 1.21 fetch it: PORTICO_GOTOOLCHAIN=go$GO_MIN_VERSION $0"
[[ -n "$GO" && -x "$GO" ]] || die "Go toolchain not found (GO=${GO:-<unset>}, no 'go' on PATH, no /usr/local/go/bin/go).
  $go_help"
have="$("$GO" env GOVERSION 2>/dev/null || true)"
have="${have#go}"; have="${have%%[!0-9.]*}"
[[ -n "$have" ]] || die "could not determine the version of $GO.
  $go_help"
printf '%s\n%s\n' "$GO_MIN_VERSION" "$have" | sort -V -C ||
  die "Go $have at $GO is too old: Go >= $GO_MIN_VERSION is required.
  $go_help"
log "using $GO (go$have, GOTOOLCHAIN=$GOTOOLCHAIN)"

export CGO_ENABLED=0
export GOFLAGS="-mod=readonly -buildvcs=false"
export GOWORK=off   # a go.work around the caller must not change what is built

# ---- lock, then build into a temp dir and move it into place ---------------
exec 9>"$CACHE_ROOT/helm/.lock-$HELM_VERSION"
if ! flock -n 9; then
  log "another build of helm $HELM_VERSION is running; waiting for its lock"
  flock 9
fi
if (( ! FORCE )) && is_complete; then   # built by whoever held the lock
  log "using cached helm $HELM_VERSION"
  echo "$BIN/helm"
  exit 0
fi

rm -rf "$CACHE_ROOT/helm/.build-$HELM_VERSION".*   # leftovers of a killed build (we hold the lock)
STAGE="$(mktemp -d "$CACHE_ROOT/helm/.build-$HELM_VERSION.XXXXXX")"
CHILD=
# `|| true`: under set -e a failing kill (go already exited) would end the trap before the rm.
trap '[[ -z "$CHILD" ]] || kill "$CHILD" 2>/dev/null || true; rm -rf "$STAGE" "$STAGE.old"' EXIT
trap 'exit 130' INT TERM HUP   # run the EXIT trap on signals too
run() { "$@" >&2 & CHILD=$!; wait "$CHILD"; CHILD=; }
chmod 755 "$STAGE"
mkdir -p "$STAGE/bin"
start=$SECONDS

# Helm's Makefile stamps the version, and the Kubernetes version that `helm
# template` reports as .Capabilities.KubeVersion (client-go v0.X -> 1.X);
# without the stamps it claims v1.20.
log "resolving $HELM_MODULE@$HELM_VERSION"
download="$("$GO" -C "$STAGE" mod download -json "$HELM_MODULE@$HELM_VERSION")" ||
  die "could not download $HELM_MODULE@$HELM_VERSION (is the Go module proxy reachable?)"
field() { sed -n "s/^[[:space:]]*\"$1\": \"\(.*\)\",\{0,1\}\$/\1/p" <<<"$download"; }
src="$(field Dir)"; gomod="$(field GoMod)"
[[ -d "$src" && -f "$gomod" ]] || die "unexpected 'go mod download' output: $download"
client_go="$(awk '$1 == "k8s.io/client-go" {print $2; exit}' "$gomod")"   # e.g. v0.37.0
[[ "$client_go" == v0.* ]] || die "cannot find k8s.io/client-go in $gomod"
k8s_minor="$(echo "$client_go" | cut -d. -f2)"
ldflags="-s -w"
ldflags+=" -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION"
ldflags+=" -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
for pkg in helm.sh/helm/v3/pkg/lint/rules helm.sh/helm/v3/pkg/chartutil; do
  ldflags+=" -X $pkg.k8sVersionMajor=1 -X $pkg.k8sVersionMinor=$k8s_minor"
done

# Built as its own main module, in the (read-only) module cache: helm's go.mod and go.sum,
# checked against the checksum database on download, pick every dependency, exactly as upstream
# released it. (`go install helm.sh/helm/v3/cmd/helm@version` would do the same, but it asks the
# proxy about deprecations on every build, so it cannot rebuild offline.)
log "building helm $HELM_VERSION (first build: 2-4 minutes on 2 cores)"
run "$GO" -C "$src" build -trimpath -ldflags "$ldflags" -o "$STAGE/bin/helm" ./cmd/helm

out="$("$STAGE/bin/helm" version --short 2>&1)" || true
[[ "$out" == "$HELM_VERSION"* ]] || die "helm does not report $HELM_VERSION: $out"

input_hash > "$STAGE/.complete"
if [[ -e "$DEST" ]]; then mv "$DEST" "$STAGE.old"; fi
mv "$STAGE" "$DEST"
log "built helm $HELM_VERSION in $((SECONDS - start))s -> $BIN/helm"
echo "$BIN/helm"
