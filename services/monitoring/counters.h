#pragma once
// What each event adds to the aggregates: one table (counters.cc, `Rules()`), from event type to its
// counters. Pure: the plan of an event is a list of operations that lua/apply.lua carries out in the
// same atomic step that acknowledges the event.
//
// Counters of a month live in one hash, one field per figure: "calls.total", or
// "calls.by_kind|CALLER_KIND_POLICE" for a breakdown by an event field, or "calls.waiting|le_5m" for
// a band of a duration. A field value taken from an event must look like a category code
// ([A-Za-z0-9_.-], at most 64 characters), else it is counted as "invalid": free text has no way in.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "services/monitoring/event.h"
#include "services/monitoring/keys.h"

namespace relais::monitoring {

// One change to the aggregates (see lua/apply.lua for each kind's keys and arguments).
struct Op {
  enum Kind : char {
    kIncr = 'i',          // HINCRBY key field by
    kDistinct = 'p',      // PFADD key member
    kSet = 's',           // HSET key field value
    kDel = 'd',           // HDEL key field
    kPoolFigures = 'o',   // a pool's new figures: occupancy per public, commune and region over time
    kBufferPlaces = 'b',  // HINCRBY key field by the buffer places of a shelter (or the region)
  };
  Kind kind;
  std::vector<std::string> keys;
  std::vector<std::string> args;
};

// A duration band: the first band whose upper bound (included) holds the duration.
struct Band {
  const char* name;
  int64_t up_to_ms;
};
extern const std::vector<Band> kWaitingBands;  // calls: 1, 2, 5, 10, 20, 30 minutes, more
extern const std::vector<Band> kContactBands;  // street reports: 15, 30 min, 1, 2, 4, 8 hours, more
const char* BandOf(const std::vector<Band>& bands, int64_t ms);

// The value of an event field as a category code, or "invalid" (empty: "none").
std::string Category(std::string_view value);

// Every operation one event makes (may be empty: an event no figure needs still counts as read).
std::vector<Op> PlanEvent(const Event& event, const Keys& keys);

// Event types that change figures (the others are only counted by type).
std::vector<std::string> CountedTypes();

}  // namespace relais::monitoring
