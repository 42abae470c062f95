#pragma once
// A closed-loop load driver shared by the benchmarks: N client threads, each issuing its next
// operation when the previous one answered, for a fixed time; latencies per operation and per call
// type, reported as percentiles.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace relais::bench {

using Clock = std::chrono::steady_clock;

inline double Percentile(std::vector<double>& sorted, double p) {
  return sorted.empty() ? 0.0 : sorted[static_cast<size_t>(p * (sorted.size() - 1))];
}

struct Result {
  std::string name;
  int inflight = 0;
  double ops_per_second = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  long errors = 0;
};

// Latencies of individual calls by call type, from many threads.
class CallTimings {
 public:
  // Times `call` (returning grpc::Status or bool-like .ok()) under `name`.
  template <typename Call>
  auto Time(const std::string& name, Call call) {
    auto begin = Clock::now();
    auto result = call();
    double ms = std::chrono::duration<double, std::milli>(Clock::now() - begin).count();
    std::lock_guard lock(mu_);
    by_name_[name].push_back(ms);
    return result;
  }
  // name -> {count, p50, p99}
  std::map<std::string, std::vector<double>> Sorted() {
    std::lock_guard lock(mu_);
    auto out = by_name_;
    for (auto& [_, v] : out) std::sort(v.begin(), v.end());
    return out;
  }
  void Clear() {
    std::lock_guard lock(mu_);
    by_name_.clear();
  }

 private:
  std::mutex mu_;
  std::map<std::string, std::vector<double>> by_name_;
};

// Runs `op` from `inflight` threads for `seconds`; op(thread, sequence) returns false on error.
// Each thread first runs one operation outside the measurement (warm-up: channels, scripts, pools).
template <typename Op>
Result Drive(const std::string& name, int inflight, double seconds, Op op, CallTimings* timings = nullptr) {
  std::vector<std::vector<double>> latencies(inflight);
  std::atomic<long> errors{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < inflight; ++t) op(t, -1 - t);
  if (timings) timings->Clear();
  auto start = Clock::now();
  for (int t = 0; t < inflight; ++t) {
    threads.emplace_back([&, t] {
      for (long seq = 0; !stop.load(std::memory_order_relaxed); ++seq) {
        auto begin = Clock::now();
        bool ok = op(t, seq);
        latencies[t].push_back(std::chrono::duration<double, std::milli>(Clock::now() - begin).count());
        if (!ok) errors.fetch_add(1);
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& th : threads) th.join();
  double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<double> all;
  for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  return Result{name, inflight, all.size() / elapsed, Percentile(all, 0.50), Percentile(all, 0.99), errors.load()};
}

}  // namespace relais::bench
