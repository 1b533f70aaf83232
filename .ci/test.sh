#!/usr/bin/env bash
# Runs every test (the README's test command runs this too) and prints one summary line, then the line
# coverage of each package from the same run (a map of what no test runs). It fails when a package of
# the engine or a channel is under 85 % of its lines.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p .ci/out
rm -rf .ci/out/coverage
pnpm exec vitest run --reporter=default --reporter=json --outputFile.json=.ci/out/vitest.json --coverage
status=$?
node scripts/test-summary.mjs .ci/out/vitest.json || status=1
node scripts/coverage-summary.mjs .ci/out/coverage/coverage-summary.json --enforce || status=1
exit $status
