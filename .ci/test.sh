#!/usr/bin/env bash
# Runs every test (the README's test command runs this too) and prints one summary line, then the line
# coverage of each package from the same run (a map of what no test runs; packages of the engine and the
# channels under 85 % of their lines are named).
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p .ci/out
rm -rf .ci/out/coverage
pnpm exec vitest run --reporter=default --reporter=json --outputFile.json=.ci/out/vitest.json --coverage
status=$?
node scripts/test-summary.mjs .ci/out/vitest.json || status=1
node scripts/coverage-summary.mjs .ci/out/coverage/coverage-summary.json || status=1
exit $status
