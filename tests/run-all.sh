#!/usr/bin/env bash
# One command for every test: installs what is needed, builds, and runs the whole suite with ctest
# (unit, integration against private redis-servers, end to end), then a short run of every fuzz target
# (tests/fuzz/run.sh: FUZZ_SECONDS per target, 0 to skip). CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/install-deps.sh
bash deploy/build.sh
npm ci --prefix tests --no-audit --no-fund --loglevel=error   # the OpenAPI validator the gateway tests run
ctest --test-dir build --output-on-failure --timeout 300 -j2
if [ "${FUZZ_SECONDS:-20}" != "0" ]; then
  bash tests/fuzz/run.sh "${FUZZ_SECONDS:-20}"
fi
