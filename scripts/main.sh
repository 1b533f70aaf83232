#!/usr/bin/env bash
# Sets everything up (.ci/setup.sh), then runs the main job: `ngb serve` with the dashboard and the web
# chat on 127.0.0.1 (it prints the address to open; Ctrl-C stops it cleanly). Every tool call runs in a
# real Docker sandbox. With ANTHROPIC_API_KEY, OPENAI_API_KEY or OPENAI_BASE_URL set it talks to that
# model; without, it starts the bundled scripted model server (`ngb-fake-llm`) on loopback, which
# answers `run: <command>` with a bash tool call. The project lives in ./playground (created by
# `ngb init`, kept between runs). NGB_PROMPT="..." runs that one prompt with `ngb run` instead.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bash "$root/.ci/setup.sh"

ngb() { node "$root/apps/cli/dist/bin.js" "$@"; }
mkdir -p "$root/playground"
cd "$root/playground"
ngb init >/dev/null

if [ -z "${ANTHROPIC_API_KEY:-}${OPENAI_API_KEY:-}${OPENAI_BASE_URL:-}" ]; then
  url_file="$(mktemp)"
  node "$root/packages/testing/dist/fake-llm-cli.js" --port 0 --quiet --any-model >"$url_file" &
  fake_pid=$!
  trap 'kill "$fake_pid" 2>/dev/null || true; rm -f "$url_file"' EXIT
  for _ in $(seq 1 50); do grep -q http "$url_file" && break; sleep 0.1; done
  export OPENAI_BASE_URL="$(grep -o 'http://[^ ]*' "$url_file" | head -n 1)/v1"
  printf '\n== no model key set: using the scripted model server at %s\n' "$OPENAI_BASE_URL"
fi

if [ -n "${NGB_PROMPT:-}" ]; then
  printf "\n== ngb run -p '%s'\n" "$NGB_PROMPT"
  ngb run --stream -p "$NGB_PROMPT"
  exit 0
fi

printf '\n== ngb serve (open the address below; in the chat, try: run: uname -a)\n'
ngb serve
