#pragma once
// Time as Relais sees it. Services read time only through a Clock so that tests can move it
// (hold expiry, freshness, deadlines) without sleeping.
#include <atomic>
#include <chrono>
#include <cstdint>

namespace relais {

using TimePoint = std::chrono::system_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
  // Milliseconds since the Unix epoch: the unit stored in Redis and in events.
  int64_t NowMs() const;
};

class SystemClock final : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::system_clock::now(); }
};

// A clock that stands still until a test moves it. Safe to use from many threads.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start) : ms_(ToMs(start)) {}
  ManualClock() : ManualClock(std::chrono::system_clock::now()) {}
  TimePoint Now() const override;
  void Advance(std::chrono::milliseconds by) { ms_ += by.count(); }
  void Set(TimePoint at) { ms_ = ToMs(at); }
  static int64_t ToMs(TimePoint t);

 private:
  std::atomic<int64_t> ms_;
};

}  // namespace relais
