#include "common/timestamps.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <limits>

namespace relais {

using google::protobuf::util::TimeUtil;

google::protobuf::Timestamp TimestampFromMs(int64_t ms) {
  constexpr int64_t kMin = TimeUtil::kTimestampMinSeconds * 1000;
  constexpr int64_t kMax = TimeUtil::kTimestampMaxSeconds * 1000 + 999;
  return TimeUtil::MillisecondsToTimestamp(std::clamp(ms, kMin, kMax));
}

bool IsValidTimestamp(const google::protobuf::Timestamp& t) {
  return t.seconds() >= TimeUtil::kTimestampMinSeconds && t.seconds() <= TimeUtil::kTimestampMaxSeconds &&
         t.nanos() >= 0 && t.nanos() < 1000000000;
}

int64_t MsFromTimestamp(const google::protobuf::Timestamp& t) {
  constexpr int64_t kLimit = std::numeric_limits<int64_t>::max() / 1000 - 1;
  if (t.seconds() > kLimit) return std::numeric_limits<int64_t>::max();
  if (t.seconds() < -kLimit) return std::numeric_limits<int64_t>::min();
  int32_t nanos = t.nanos() >= 0 && t.nanos() < 1000000000 ? t.nanos() : 0;
  return t.seconds() * 1000 + nanos / 1000000;
}

}  // namespace relais
