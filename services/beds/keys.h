#pragma once
// The one place that names the beds service's Redis keys (region prefix and hash tag: common/region_keys.h).
#include "common/region_keys.h"

namespace relais::beds {

class Keys : public RegionKeys {
 public:
  using RegionKeys::RegionKeys;

  std::string Shelters() const { return Key("shelters"); }
  std::string Shelter(std::string_view id) const { return Key("shelter:", id); }
  std::string Region() const { return Key("region"); }
  std::string Pools() const { return Key("pools"); }
  std::string Pool(std::string_view pool_id) const { return Key("pool:", pool_id); }
  std::string PoolHolds(std::string_view pool_id) const { return Key("pool:", pool_id, ":holds"); }
  std::string Hold(std::string_view hold_id) const { return Key("hold:", hold_id); }
  std::string ShelterHolds(std::string_view id) const { return Key("shelter:", id, ":holds"); }
  std::string Deadlines() const { return Key("deadlines"); }
  std::string Crises() const { return Key("crises"); }
  std::string Crisis(std::string_view id) const { return Key("crisis:", id); }
};

}  // namespace relais::beds
