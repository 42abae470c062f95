#include "common/random_id.h"

#include <cstdio>
#include <random>

namespace relais {

std::string RandomId(std::string_view prefix) {
  thread_local std::mt19937_64 engine{[] {
    std::random_device device;  // getrandom() on Linux
    std::seed_seq seq{device(), device(), device(), device(), device(), device(), device(), device()};
    return std::mt19937_64(seq);
  }()};
  uint64_t hi = engine(), lo = engine();
  char buf[32];
  std::snprintf(buf, sizeof buf, "%08x%016llx", static_cast<unsigned>(hi >> 32), static_cast<unsigned long long>(lo));
  return std::string(prefix) + buf;
}

}  // namespace relais
