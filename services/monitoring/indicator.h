#pragma once
// The Masterplan indicator in the monthly report: the share of people who entered emergency shelter
// in a month and got an insertion proposal within 7 days, computed by the shared pure function
// (common/insertion_indicator.h) from the events it needs, read from the region's stream.
//
// The indicator joins arrivals to persons through requests, so it needs pseudonymous ids: they are
// read from the stream (where they already are) into this process's memory for the time of the
// computation and never stored by monitoring. What is kept, once a month is over, is its counts only.
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "common/insertion_indicator.h"
#include "common/redis.h"
#include "relais/v1/monitoring.pb.h"

namespace relais::monitoring {

// Events a writer stamps this late after the stream time are still taken into account.
inline constexpr int64_t kIndicatorClockSlackMs = 10 * 60 * 1000;

// Every event the indicator reads (request.created, hold.arrived, insertion.proposed,
// case.preconised) written up to `until_ms` (stream time, plus the slack above).
absl::StatusOr<InsertionIndicator> ReadIndicatorEvents(RedisPool& redis, const std::string& stream, int64_t until_ms);

// The report's figures for one period's result, the suppression rule applied: met and missed are a
// table whose total is the denominator; pending is a count of its own.
relais::v1::InsertionIndicator IndicatorFigures(int met, int missed, int pending);

}  // namespace relais::monitoring
