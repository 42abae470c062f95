#pragma once
// Reads a month's aggregates from Redis and assembles the monthly report: the month, the month before
// and the same month a year before, from the generation of aggregates in use.
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "common/redis.h"
#include "relais/v1/monitoring.pb.h"
#include "services/monitoring/indicator.h"
#include "services/monitoring/keys.h"
#include "services/monitoring/report.h"

namespace relais::monitoring {

absl::StatusOr<MonthAggregates> ReadMonth(RedisPool& redis, const Keys& keys, const Month& month, int64_t now_ms);

// From the generation in use, or from `generation` when given (to compare a rebuild with it). The
// 7-day indicator of a month in progress comes from `follower` (a service keeps one for its lifetime,
// so each report reads only the events that are new); without one, the stream is read for this report.
absl::StatusOr<relais::v1::MonthlyReport> BuildMonthlyReport(RedisPool& redis, const std::string& region,
                                                             const Month& month, int64_t now_ms,
                                                             const std::string& generation = "",
                                                             IndicatorFollower* follower = nullptr);

}  // namespace relais::monitoring
