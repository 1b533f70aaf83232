#!/usr/bin/env bash
# Runs every test (the README's test command runs this too) and prints one summary line.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p .ci/out
pnpm exec vitest run --reporter=default --reporter=json --outputFile.json=.ci/out/vitest.json
status=$?
node scripts/test-summary.mjs .ci/out/vitest.json || status=1
exit $status
