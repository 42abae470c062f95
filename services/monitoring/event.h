#pragma once
// One entry of the region's event stream as the monitoring service reads it.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/redis.h"

namespace relais::monitoring {

struct Event {
  std::string id;                                             // stream id "<ms>-<seq>"
  std::vector<std::pair<std::string, std::string>> fields;    // in the order they were written

  std::string_view Get(std::string_view name) const;          // "" when absent
  int64_t GetInt(std::string_view name) const;                // 0 when absent or not a number
  std::string_view Type() const { return Get("type"); }
  // The event's time: its `at` field (the writer's clock), else the time in its stream id.
  int64_t At() const;
};

// Milliseconds of a stream id ("1700000000000-3" -> 1700000000000); 0 when malformed.
int64_t StreamIdMs(std::string_view id);
// Stream order of two ids ("" first).
bool StreamIdLess(std::string_view a, std::string_view b);

// Entries of an XRANGE / XREADGROUP / XAUTOCLAIM array ([[id, [field, value, ...]], ...]). An entry
// whose data is gone (trimmed from the stream) comes back with no fields.
std::vector<Event> EventsFromEntries(const redisReply* entries);

}  // namespace relais::monitoring
