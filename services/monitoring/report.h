#pragma once
// A month's figures from its aggregates. Pure: the aggregates are read from Redis elsewhere
// (report_reader.h), so the figures of a hand-built month can be worked out in a test.
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "relais/v1/monitoring.pb.h"
#include "services/monitoring/calendar.h"

namespace relais::monitoring {

// Occupancy as counted by lua/apply.lua: place-time per group and day up to `last_ms`, and the
// occupied places and places of each group since (groups: "all", "public|<code>", "commune|<code>").
struct OccupancyState {
  int64_t first_ms = 0;                    // first pool event ever counted (0: none)
  int64_t last_ms = 0;                     // last pool event counted
  std::map<std::string, int64_t> now;      // "<group>|occ", "<group>|cap"
  std::map<std::string, int64_t> days;     // "<day index>|<group>|occ", "...|cap", "...|peak", "<day>|covered"
};

struct MonthAggregates {
  Month month;
  std::map<std::string, int64_t> counters;                      // the month's hash
  std::map<std::string, std::map<std::string, int64_t>> days;   // "YYYY-MM-DD" -> the day's hash
  int64_t persons_requesting = 0;                               // HyperLogLog estimate
  OccupancyState occupancy;
  std::vector<std::pair<int64_t, std::string>> open_crises;     // opened at (ms), reason: still open
  bool workshop_seen = false;                                   // a workshop event was ever counted
  int64_t now_ms = 0;                                           // time of the report
};

// Every figure of the month, with the suppression rule applied (suppression.h).
relais::v1::MonthFigures BuildMonthFigures(const MonthAggregates& a);

// The report's fixed texts.
std::vector<std::string> ReportDefinitions();

}  // namespace relais::monitoring
