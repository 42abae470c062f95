#pragma once
// Early return of a failed absl::Status, for the validation chains of the service handlers.
#include "absl/status/status.h"

#define RETURN_IF_ERROR(expr)                                  \
  do {                                                         \
    if (absl::Status _s = (expr); !_s.ok()) return _s;         \
  } while (0)
