#pragma once
// Who may read the monitoring figures, and what a valid report request is. Pure.
#include <cstdint>

#include "absl/status/statusor.h"
#include "common/identity.h"
#include "services/monitoring/calendar.h"

namespace relais::monitoring {

// The monitoring cell and admin read reports; nobody else (not even the hotline: they see persons).
absl::Status MayReadReports(const Caller& caller);

// "YYYY-MM", not after the month of `now_ms`.
absl::StatusOr<Month> ValidateMonth(const std::string& month, int64_t now_ms);

}  // namespace relais::monitoring
