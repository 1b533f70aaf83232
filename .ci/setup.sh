#!/usr/bin/env bash
# Installs everything the project needs on a fresh machine (Debian 12, Node 20.19+, root): pnpm,
# the locked dependencies, Debian packages the tests use, the build, a Docker engine and the sandbox
# image. Idempotent: steps with nothing to do are quick.
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1
started=$(date +%s)
step() { printf '\n== %s (%ss)\n' "$1" "$(( $(date +%s) - started ))"; }

step "pnpm"
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version | cut -d. -f1)" != "10" ]; then
  # corepack fails its signature check on these machines; npm installs pnpm fine.
  npm install -g pnpm@10 >/dev/null
fi
pnpm --version

step "dependencies (frozen lockfile)"
pnpm install --frozen-lockfile

step "system packages"
bash .ci/system.sh

step "build"
pnpm build --output-logs=errors-only

step "docker engine and sandbox image"
bash .ci/docker.sh
