#include "services/monitoring/apply_call.h"

#include <unordered_map>

#include "services/monitoring/counters.h"

namespace relais::monitoring {

ApplyCall BuildApplyCall(const std::vector<Event>& events, const Keys& keys, const std::string& consumer) {
  ApplyCall call;
  call.keys = {keys.Events(), keys.Meta(), keys.Lease()};
  std::unordered_map<std::string, size_t> index;  // key -> its 1-based position in KEYS
  auto key_index = [&](const std::string& key) {
    auto [it, added] = index.emplace(key, call.keys.size() + 1);
    if (added) call.keys.push_back(key);
    return std::to_string(it->second);
  };
  call.args = {keys.Group(), consumer, std::to_string(events.size())};
  for (const auto& e : events) {
    std::vector<Op> ops = e.fields.empty() ? std::vector<Op>{} : PlanEvent(e, keys);  // trimmed away: nothing to count
    call.args.push_back(e.id);
    call.args.push_back(std::to_string(e.At()));
    call.args.push_back(std::to_string(ops.size()));
    for (auto& op : ops) {
      call.args.push_back(std::string(1, static_cast<char>(op.kind)));
      for (const auto& k : op.keys) call.args.push_back(key_index(k));
      for (auto& a : op.args) call.args.push_back(std::move(a));
    }
  }
  return call;
}

}  // namespace relais::monitoring
