#!/usr/bin/env bash
# Debian packages the tests use: tmux (terminal tests), debootstrap (offline sandbox base image),
# chromium (the dashboard's browser tests drive Debian's build through playwright-core; never a downloaded one).
# iproute2 (the egress tests make a network namespace with `ip netns`).
# sqlite3 (the documented backup in docs/operations.md; the fault tests hold locks on a live database).
# ripgrep (the sandbox's grep runs it when the image has it; its tests run both engines).
# docker-compose (the deployment test starts the gateway image from deploy/compose.yaml).
# Idempotent: installs only what is missing.
set -euo pipefail
missing=()
command -v tmux >/dev/null 2>&1 || missing+=(tmux)
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
command -v sqlite3 >/dev/null 2>&1 || missing+=(sqlite3)
command -v rg >/dev/null 2>&1 || missing+=(ripgrep)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "system packages ready"
