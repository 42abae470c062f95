#!/usr/bin/env bash
# Installs the Debian 12 packages Relais needs to build, run and test. Safe to run again: it does
# nothing when everything is already there.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config
  libboost-dev libboost-program-options-dev
  libgrpc++-dev libgrpc-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libhiredis-dev prometheus-cpp-dev
  libgtest-dev libgmock-dev
  libsodium-dev libssl-dev openssl wrk
  redis-server redis-tools curl
  python3-yaml   # tests/deploy/check_deploy.py reads the compose file and the Kubernetes manifests
  prometheus   # promtool: checks the Prometheus configuration, alert rules and every service's /metrics
  chromium     # the browser tests drive Debian's headless Chromium (tests/browser, playwright-core from npm)
  clang libclang-rt-14-dev   # the fuzz targets (tests/fuzz/): libFuzzer, AddressSanitizer, UBSan runtimes
)

missing=()
# node and npm run the OpenAPI validator of the tests; a node already installed (e.g. with its own npm) is kept.
command -v node >/dev/null && command -v npm >/dev/null || packages+=(nodejs npm)
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all packages present"
  exit 0
fi

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
