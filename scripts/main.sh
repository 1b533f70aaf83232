#!/usr/bin/env bash
# Sets everything up (.ci/setup.sh), then runs the main job: one `ngb run` turn whose tool call runs in
# a real Docker sandbox. With ANTHROPIC_API_KEY, OPENAI_API_KEY or OPENAI_BASE_URL set it talks to
# that model; without, it starts the bundled scripted model server (`ngb-fake-llm`) on loopback.
# The project it uses lives in ./playground (created by `ngb init`, kept between runs).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bash "$root/.ci/setup.sh"

ngb() { node "$root/apps/cli/dist/bin.js" "$@"; }
mkdir -p "$root/playground"
cd "$root/playground"
ngb init >/dev/null

prompt="${NGB_PROMPT:-run: echo \"hello from \$(id -un) (uid \$(id -u)) in \$(pwd)\"; uname -sr}"
if [ -z "${ANTHROPIC_API_KEY:-}${OPENAI_API_KEY:-}${OPENAI_BASE_URL:-}" ]; then
  url_file="$(mktemp)"
  node "$root/packages/testing/dist/fake-llm-cli.js" --port 0 --quiet --any-model >"$url_file" &
  fake_pid=$!
  trap 'kill "$fake_pid" 2>/dev/null || true; rm -f "$url_file"' EXIT
  for _ in $(seq 1 50); do grep -q http "$url_file" && break; sleep 0.1; done
  export OPENAI_BASE_URL="$(grep -o 'http://[^ ]*' "$url_file" | head -n 1)/v1"
  printf '\n== no model key set: using the scripted model server at %s\n' "$OPENAI_BASE_URL"
fi

printf "\n== ngb run -p '%s'\n" "$prompt"
ngb run --stream -p "$prompt"
