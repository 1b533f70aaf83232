#!/usr/bin/env bash
# Makes sure a Docker engine answers and the ngb sandbox image is built. Idempotent: run it as
# often as you like. Called by .ci/run after `pnpm install` and `pnpm build`.
#
#   - no engine answering: install Debian's docker.io (when `dockerd` is missing) and start
#     `dockerd` in the background, logging to $NGB_DOCKERD_LOG (default /var/log/dockerd.log);
#   - then build the sandbox image and the gateway image (offline bases when no registry answers);
#     each is a no-op when nothing changed.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
log_file="${NGB_DOCKERD_LOG:-/var/log/dockerd.log}"
wait_seconds="${NGB_DOCKERD_WAIT_SECONDS:-60}"

say() { printf '[ci docker] %s\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if docker info >/dev/null 2>&1; then
  say "the Docker engine answers"
else
  if ! command -v dockerd >/dev/null 2>&1; then
    say "installing Debian's docker.io"
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends docker.io
  fi
  if pgrep -x dockerd >/dev/null 2>&1; then
    say "dockerd is running but does not answer yet; waiting"
  else
    say "starting dockerd in the background (log: $log_file)"
    as_root bash -c "nohup dockerd >>'$log_file' 2>&1 &"
  fi
  for ((second = 0; second < wait_seconds; second++)); do
    if docker info >/dev/null 2>&1; then break; fi
    sleep 1
  done
  if ! docker info >/dev/null 2>&1; then
    say "error: the Docker engine did not answer within ${wait_seconds} s; last lines of $log_file:" >&2
    tail -n 20 "$log_file" >&2 || true
    exit 1
  fi
  say "the Docker engine answers ($(docker info --format '{{.ServerVersion}}'))"
fi

if [ ! -f "$repo_root/packages/sandbox/dist/bin.js" ]; then
  say "building @ngb/sandbox (its dist is missing)"
  (cd "$repo_root/packages/sandbox" && pnpm exec tsup)
fi
node "$repo_root/container-images/agent/build.mjs"
node "$repo_root/container-images/gateway/build.mjs"
