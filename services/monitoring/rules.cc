#include "services/monitoring/rules.h"

namespace relais::monitoring {

absl::Status MayReadReports(const Caller& caller) {
  if (caller.Is(Role::kMonitoring) || caller.Is(Role::kAdmin)) return absl::OkStatus();
  return absl::PermissionDeniedError("monitoring reports are for the monitoring cell and admin");
}

absl::StatusOr<Month> ValidateMonth(const std::string& month, int64_t now_ms) {
  auto m = Month::Parse(month);
  if (!m) return absl::InvalidArgumentError("month: YYYY-MM, e.g. 2026-11");
  if (m->StartMs() > now_ms) return absl::InvalidArgumentError("month: not yet begun");
  return *m;
}

}  // namespace relais::monitoring
