#include "common/clock.h"

namespace relais {

int64_t Clock::NowMs() const { return ManualClock::ToMs(Now()); }

int64_t ManualClock::ToMs(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

TimePoint ManualClock::Now() const { return TimePoint(std::chrono::milliseconds(ms_.load())); }

}  // namespace relais
