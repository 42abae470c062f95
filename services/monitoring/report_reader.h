#pragma once
// Reads a month's aggregates from Redis and assembles the monthly report: the month, the month before
// and the same month a year before, from the generation of aggregates in use.
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "common/redis.h"
#include "relais/v1/monitoring.pb.h"
#include "services/monitoring/keys.h"
#include "services/monitoring/report.h"

namespace relais::monitoring {

absl::StatusOr<MonthAggregates> ReadMonth(RedisPool& redis, const Keys& keys, const Month& month, int64_t now_ms);

// From the generation in use, or from `generation` when given (to compare a rebuild with it).
absl::StatusOr<relais::v1::MonthlyReport> BuildMonthlyReport(RedisPool& redis, const std::string& region,
                                                             const Month& month, int64_t now_ms,
                                                             const std::string& generation = "");

}  // namespace relais::monitoring
