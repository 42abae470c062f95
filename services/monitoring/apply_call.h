#pragma once
// The arguments of one call of lua/apply.lua for a batch of events: the events' plans (counters.h)
// with every key they name listed once in KEYS.
#include <string>
#include <vector>

#include "services/monitoring/event.h"
#include "services/monitoring/keys.h"

namespace relais::monitoring {

struct ApplyCall {
  std::vector<std::string> keys;
  std::vector<std::string> args;
};

// `consumer`: the name that must hold the generation's lease for the call to count anything.
ApplyCall BuildApplyCall(const std::vector<Event>& events, const Keys& keys, const std::string& consumer);

}  // namespace relais::monitoring
