#pragma once
// Entries of the region's event stream as Redis answers them, read without trusting the reply's shape:
// parts of another shape are skipped, never read past. Used by every reader that follows the stream
// (the beds' WatchAvailability, the gateway's live feed); fuzzed in tests/fuzz/redis_replies_fuzz.cc.
#include <string>
#include <utility>
#include <vector>

#include "common/redis.h"

namespace relais {

struct StreamEntry {
  std::string id;                                           // "<ms>-<seq>"
  std::vector<std::pair<std::string, std::string>> fields;  // in the order they were written
};

// An XRANGE / XREVRANGE reply ([[id, [field, value, ...]], ...]), or with `xread` an XREAD reply for
// one stream ([[key, [[id, [...]], ...]]]). Entries without an id are skipped.
std::vector<StreamEntry> StreamEntries(const redisReply* reply, bool xread);

}  // namespace relais
