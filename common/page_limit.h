#pragma once
// The `limit` of a list request: 0 means the default page (100, or less when the list is shorter by
// design), anything else must lie in 1..max. Shared by every list method and their fuzz targets.
#include <algorithm>
#include <string>

#include "absl/status/statusor.h"

namespace relais {

inline absl::StatusOr<int> PageLimit(int requested, int max) {
  if (requested == 0) return std::min(100, max);
  if (requested < 0 || requested > max) return absl::InvalidArgumentError("limit: 1 to " + std::to_string(max));
  return requested;
}

}  // namespace relais
