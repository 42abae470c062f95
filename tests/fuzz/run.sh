#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, AddressSanitizer, UndefinedBehaviorSanitizer) into build-fuzz/
# and runs each for a bounded time on its seed corpus (corpus/<target>, read only; what a run finds
# goes to build-fuzz/corpus/<target>). Fails on any crash, leak, timeout or out-of-memory, leaving the
# input in build-fuzz/artifacts/<target>/ (replay: build-fuzz/tests/fuzz/<target> <file>).
#
#   bash tests/fuzz/run.sh [seconds per target, default 20; 0: build only] [target ...]
#
# CI runs it from tests/run-all.sh with the default: 8 targets, two at a time on two cores.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-20}"
shift || true
jobs="${FUZZ_JOBS:-2}"

export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}" CCACHE_NOHASHDIR=1
cmake -S . -B build-fuzz -G Ninja -DRELAIS_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-fuzz --target fuzzers
[ "$seconds" = "0" ] && exit 0

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(gateway_routes_fuzz gateway_json_fuzz live_message_fuzz beds_requests_fuzz dispatch_requests_fuzz
           workshop_requests_fuzz monitoring_requests_fuzz redis_replies_fuzz)
fi

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:symbolize=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
logs=build-fuzz/logs
mkdir -p "$logs"

run_one() {
  local t="$1"
  local seeds="tests/fuzz/corpus/$t" work="build-fuzz/corpus/$t" artifacts="build-fuzz/artifacts/$t/"
  mkdir -p "$work" "$artifacts"
  local dict=()
  [ -f "tests/fuzz/dict/$t.dict" ] && dict=(-dict="tests/fuzz/dict/$t.dict")
  # -timeout: one input taking over 10 s is a hang; -rss_limit_mb: an input that balloons memory fails.
  if "build-fuzz/tests/fuzz/$t" "$work" "$seeds" "${dict[@]}" -max_total_time="$seconds" -timeout=10 \
       -rss_limit_mb=2048 -detect_leaks=1 -print_final_stats=1 -artifact_prefix="$artifacts" \
       >"$logs/$t.log" 2>&1; then
    echo "fuzz: $t ok: $(grep -E '^stat::number_of_executed_units' "$logs/$t.log" | awk '{print $2}') runs in ${seconds}s," \
         "corpus $(ls "$seeds" | wc -l) seeds + $(ls "$work" | wc -l) found"
  else
    echo "fuzz: $t FAILED (log: $logs/$t.log, input: $(ls "$artifacts" | head -1))"
    tail -40 "$logs/$t.log"
    return 1
  fi
}

failed=0
running=0
pids=()
names=()
for t in "${targets[@]}"; do
  run_one "$t" &
  pids+=($!)
  names+=("$t")
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    wait "${pids[0]}" || failed=1
    pids=("${pids[@]:1}")
    names=("${names[@]:1}")
    running=$((running - 1))
  fi
done
for p in "${pids[@]}"; do wait "$p" || failed=1; done
if [ "$failed" -ne 0 ]; then
  echo "fuzz: FAILED"
  exit 1
fi
echo "fuzz: ${#targets[@]} targets, ${seconds}s each: no crash, leak or timeout"
