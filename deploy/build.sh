#!/usr/bin/env bash
# Configures and builds Relais into build/ (ccache is used when present). Extra arguments are targets.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -- "$@"
