#pragma once
// The one place that names the monitoring service's Redis keys (region prefix and hash tag:
// common/region_keys.h).
//
// Aggregates live under a generation ("mon:g:<generation>:..."): a rebuild counts the whole event
// stream again into a new generation, with a consumer group of its own, then makes it the one in use
// (`Generation()`); the old one stays until it is dropped, so both can be compared. Nothing under
// these keys names a person: distinct persons are HyperLogLog registers only.
#include <string>
#include <string_view>

#include "common/region_keys.h"

namespace relais::monitoring {

class Keys : public RegionKeys {
 public:
  Keys(std::string_view region, std::string_view generation) : RegionKeys(region), generation_(generation) {}

  const std::string& generation() const { return generation_; }
  // The consumer group of this generation on the region's event stream.
  std::string Group() const { return "monitoring:" + generation_; }

  // The generation in use (a string key), shared by every generation.
  std::string Current() const { return Key("mon:generation"); }

  std::string Month(std::string_view month) const { return G("month:", month); }   // counters of a month
  std::string Day(std::string_view day) const { return G("day:", day); }           // counters of a day
  std::string Distinct(std::string_view month, std::string_view name) const {      // HyperLogLog
    return G("hll:", std::string(month) + ":" + std::string(name));
  }
  std::string Totals() const { return G("totals", ""); }             // events counted, by type, all time
  std::string Pools() const { return G("pools", ""); }               // each pool's last figures
  std::string Occupancy() const { return G("occupancy", ""); }       // occupied places now, per group
  std::string OccupancyDays() const { return G("occupancy:days", ""); }  // per day: place-time and peaks
  std::string Crises() const { return G("crises", ""); }             // crises open now
  std::string Meta() const { return G("meta", ""); }                 // events counted, last event
  std::string Lease() const { return G("lease", ""); }               // the one consumer counting now
  std::string Indicator(std::string_view month) const { return G("indicator:", month); }  // final figures
  // Every key of this generation matches this pattern (for dropping a generation).
  std::string Pattern() const { return G("*", ""); }

 private:
  std::string G(std::string_view a, std::string_view b) const {
    return Key("mon:g:", generation_, ":" + std::string(a) + std::string(b));
  }
  std::string generation_;
};

}  // namespace relais::monitoring
