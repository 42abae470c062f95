#pragma once
// Open-loop load: requests start at a fixed arrival rate whatever the server does, and each one is
// timed from the moment it was *meant* to start, so a slow answer delays nobody's clock and hides
// nothing (no coordinated omission: a server that stalls for a second shows a second of latency on every
// request that should have started meanwhile, not one slow sample).
//
// Arrivals: the intended start times of independent operations, Poisson (exponential gaps, as calls
// from independent people arrive) or evenly spaced. Recorder: latencies and outcomes by class and by
// route, with counts of errors, shed requests and conflicts.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "loadtests/driver.h"

namespace relais::load {

using Clock = bench::Clock;

class Arrivals {
 public:
  Arrivals(double per_second, bool poisson, uint64_t seed)
      : gap_s_(1.0 / per_second), poisson_(poisson), rng_(seed), exp_(per_second) {}
  // The next intended start, as an offset from the start of the run.
  Clock::duration Next() {
    at_s_ += poisson_ ? exp_(rng_) : gap_s_;
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(at_s_));
  }

 private:
  double gap_s_;
  bool poisson_;
  std::mt19937_64 rng_;
  std::exponential_distribution<double> exp_;
  double at_s_ = 0;
};

// What an answer means for the load run (HTTP statuses of the gateway; gRPC answers are mapped first).
// Shed requests are counted apart by how they were refused: 503 (overloaded or Redis away), 429 (a
// limit of the gateway), or a timeout (504 from the gateway, or no answer within the driver's timeout).
enum class Outcome { kOk, kConflict, kShed503, kShed429, kTimeout, kError };

// `status` 0 is no answer at all; `timed_out` says the driver gave up waiting for it.
inline Outcome Classify(int status, bool timed_out = false) {
  if (status >= 200 && status < 300) return Outcome::kOk;
  if (status == 409) return Outcome::kConflict;  // the state refused it (e.g. the place went meanwhile): an answer
  if (status == 503) return Outcome::kShed503;
  if (status == 429) return Outcome::kShed429;
  if (status == 504 || (status == 0 && timed_out)) return Outcome::kTimeout;
  return Outcome::kError;  // a broken connection, a 5xx, or a 4xx the mix never means to cause
}

struct Tally {
  std::vector<double> ms;  // latency from the intended start
  long ok = 0, conflict = 0, shed503 = 0, shed429 = 0, timeout = 0, error = 0;
  long intended_in_window = 0;  // requests meant to start within the run's window
  long answered_in_window = 0;  // answers that came within the run's window

  long shed() const { return shed503 + shed429 + timeout; }
  long total() const { return ok + conflict + shed() + error; }
  void Merge(const Tally& o) {
    ms.insert(ms.end(), o.ms.begin(), o.ms.end());
    ok += o.ok, conflict += o.conflict, shed503 += o.shed503, shed429 += o.shed429, timeout += o.timeout, error += o.error;
    intended_in_window += o.intended_in_window;
    answered_in_window += o.answered_in_window;
  }
};

struct Summary {
  long n = 0;
  double p50 = 0, p95 = 0, p99 = 0, max = 0;
  long ok = 0, conflict = 0, shed503 = 0, shed429 = 0, timeout = 0, error = 0;
  long shed() const { return shed503 + shed429 + timeout; }
  double offered_per_s = 0;   // requests meant to start within the window, per second of the window
  double achieved_per_s = 0;  // answers that came within the window, per second of the window
};

inline Summary Summarize(Tally t, double window_s) {
  std::sort(t.ms.begin(), t.ms.end());
  Summary s;
  s.n = static_cast<long>(t.ms.size());
  s.p50 = bench::Percentile(t.ms, 0.50);
  s.p95 = bench::Percentile(t.ms, 0.95);
  s.p99 = bench::Percentile(t.ms, 0.99);
  s.max = t.ms.empty() ? 0 : t.ms.back();
  s.ok = t.ok, s.conflict = t.conflict, s.shed503 = t.shed503, s.shed429 = t.shed429, s.timeout = t.timeout;
  s.error = t.error;
  s.offered_per_s = window_s > 0 ? static_cast<double>(t.intended_in_window) / window_s : 0;
  s.achieved_per_s = window_s > 0 ? static_cast<double>(t.answered_in_window) / window_s : 0;
  return s;
}

// Used from the driver's one thread only.
class Recorder {
 public:
  void SetWindow(Clock::time_point start, Clock::time_point end) { start_ = start, end_ = end; }

  void Add(const std::string& cls, const std::string& route, Clock::time_point intended, Clock::time_point answered,
           int status, const std::string& error, bool timed_out = false) {
    double ms = std::chrono::duration<double, std::milli>(answered - intended).count();
    bool in_window = intended >= start_ && intended < end_;
    bool answered_in_window = answered >= start_ && answered < end_;
    for (Tally* t : {&by_class_[cls], &by_route_[cls + "|" + route], &window_[cls]}) {
      t->ms.push_back(ms);
      switch (Classify(status, timed_out)) {
        case Outcome::kOk: ++t->ok; break;
        case Outcome::kConflict: ++t->conflict; break;
        case Outcome::kShed503: ++t->shed503; break;
        case Outcome::kShed429: ++t->shed429; break;
        case Outcome::kTimeout: ++t->timeout; break;
        case Outcome::kError: ++t->error; break;
      }
      t->intended_in_window += in_window;
      t->answered_in_window += answered_in_window;
    }
    if (Classify(status, timed_out) == Outcome::kError && errors_.size() < 8) {
      errors_[route + " -> " + std::to_string(status) + " " + error.substr(0, 160)]++;
    }
  }
  // How late the driver started an operation after its intended time: the driver's own health.
  void AddLag(Clock::duration lag) { lag_ms_.push_back(std::chrono::duration<double, std::milli>(lag).count()); }
  void Count(const std::string& what) { ++counts_[what]; }

  const std::map<std::string, Tally>& by_class() const { return by_class_; }
  const std::map<std::string, Tally>& by_route() const { return by_route_; }
  const std::map<std::string, long>& counts() const { return counts_; }
  const std::map<std::string, int>& error_examples() const { return errors_; }
  std::vector<double> lag_ms() const { return lag_ms_; }
  // The window's tallies since the last call (the soak's per-sample latencies), then a fresh window.
  std::map<std::string, Tally> TakeWindow() { return std::exchange(window_, {}); }

 private:
  Clock::time_point start_{}, end_{Clock::time_point::max()};
  std::map<std::string, Tally> by_class_, by_route_, window_;
  std::map<std::string, long> counts_;
  std::map<std::string, int> errors_;
  std::vector<double> lag_ms_;
};

}  // namespace relais::load
