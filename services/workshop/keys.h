#pragma once
// The one place that names the workshop service's Redis keys (region prefix and hash tag:
// common/region_keys.h), all under "workshop:". The workshop writes to the region's one event stream.
#include "common/region_keys.h"

namespace relais::workshop {

class Keys : public RegionKeys {
 public:
  using RegionKeys::RegionKeys;

  std::string Case(std::string_view id) const { return Key("workshop:case:", id); }
  std::string Cases() const { return Key("workshop:cases"); }                  // every case, by registration
  std::string PersonCase(std::string_view person_id) const { return Key("workshop:person:", person_id); }
  std::string Queue() const { return Key("workshop:queue"); }                  // waiting, by QueueScore
  std::string Open() const { return Key("workshop:open"); }                    // awaiting a préconisation, by deadline
  std::string DeadlineWatch() const { return Key("workshop:deadline_watch"); }  // deadline not yet recorded
  std::string Session(std::string_view id) const { return Key("workshop:session:", id); }
  std::string Agenda(std::string_view id) const { return Key("workshop:session:", id, ":agenda"); }
  std::string PriorityPool(std::string_view service_id) const { return Key("workshop:priority:", service_id); }
  std::string PriorityPools() const { return Key("workshop:priority_pools"); }
};

}  // namespace relais::workshop
