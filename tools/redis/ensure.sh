#!/usr/bin/env bash
# Makes sure a redis-server binary exists and prints its path on the last line: the global rate-limit
# tests start their own servers on free ports with it. Idempotent: an installed redis-server is
# reused; otherwise it comes from the OS packages (Debian/Ubuntu apt, cached by apt), which needs
# root. Nothing is started here and no system service is touched.
set -euo pipefail
export PATH="$PATH:/usr/sbin:/sbin:/usr/local/bin"

if ! command -v redis-server >/dev/null; then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    echo "installing redis-server from the OS packages" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq --no-install-recommends redis-server >/dev/null 2>&1 \
      || { apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends redis-server >/dev/null; }
  else
    echo "redis-server is missing: install it (apt-get install redis-server, brew install redis)" >&2
    exit 1
  fi
fi
command -v redis-server
