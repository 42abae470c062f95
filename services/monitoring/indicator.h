#pragma once
// The Masterplan indicator in the monthly report: the share of people who entered emergency shelter
// in a month and got an insertion proposal within 7 days, computed by the shared pure function
// (common/insertion_indicator.h) from the events it needs, read from the region's stream.
//
// The indicator joins arrivals to persons through requests, so it needs pseudonymous ids: they are
// read from the stream (where they already are) into this process's memory and never written anywhere
// by monitoring. What is kept in Redis, once a month is over, is its counts only.
#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>

#include "absl/status/statusor.h"
#include "common/insertion_indicator.h"
#include "common/redis.h"
#include "relais/v1/monitoring.pb.h"

namespace relais::monitoring {

// A month's counts are final this long after its end: events a writer stamps this late after the
// stream time are still taken into account.
inline constexpr int64_t kIndicatorClockSlackMs = 10 * 60 * 1000;

// The indicator's events of one region's stream, read once and then followed: each CatchUp reads only
// the entries added since the one before, so a report of the month in progress costs what happened
// since the last report, not the whole history again (whose pages, re-read every minute, made the
// process's memory grow with the history). Memory held: the region's requests and persons (ids and
// times), not its events. If the stream no longer holds the last entry read (a restore from an older
// copy, a trim, another Redis), the follower starts again from the beginning.
class IndicatorFollower {
 public:
  // Callers hold it around CatchUp and their use of indicator(): one reader at a time.
  std::mutex& mutex() { return mu_; }

  // Reads the entries of `stream` added since the last call (all of them the first time).
  absl::Status CatchUp(RedisPool& redis, const std::string& stream);
  const InsertionIndicator& indicator() const { return indicator_; }
  int64_t entries_read() const { return entries_read_; }
  // The requests held after the last CatchUp, readable without the mutex (for the metrics).
  size_t requests_held() const { return requests_held_.load(std::memory_order_relaxed); }

 private:
  void Reset(const std::string& stream);

  std::mutex mu_;
  std::string stream_;
  std::string last_id_;  // the last entry read; empty: nothing read yet
  int64_t entries_read_ = 0;
  InsertionIndicator indicator_;
  std::atomic<size_t> requests_held_{0};
};

// The report's figures for one period's result, the suppression rule applied: met and missed are a
// table whose total is the denominator; pending is a count of its own.
relais::v1::InsertionIndicator IndicatorFigures(int met, int missed, int pending);

}  // namespace relais::monitoring
