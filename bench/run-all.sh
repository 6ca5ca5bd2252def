#!/usr/bin/env bash
# Runs every benchmark in bench/ through Backstage's TypeScript transform. Each prints its
# measurements beside a baseline measured in the same run, and PASS/FAIL against its target.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
for bench in bench/*.bench.ts; do
  echo "== $bench"
  node --require @backstage/cli/config/nodeTransform.cjs "$bench" || status=1
done
exit $status
