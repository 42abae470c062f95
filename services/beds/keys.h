#pragma once
// The one place that names the beds service's Redis keys.
//
// Every key of a region carries the region as its hash tag ("relais:{brussels}:..."), so each atomic
// step (a script touching a pool, its holds, its shelter and the event stream) stays in one slot and
// runs unchanged on Redis Cluster; regions spread across a cluster. The event stream is one per
// region: it is the complete, ordered record of that region.
#include <string>
#include <string_view>

namespace relais::beds {

class Keys {
 public:
  explicit Keys(std::string_view region) : prefix_("relais:{" + std::string(region) + "}:") {}

  std::string Shelters() const { return prefix_ + "shelters"; }
  std::string Shelter(std::string_view id) const { return prefix_ + "shelter:" + std::string(id); }
  std::string Region() const { return prefix_ + "region"; }
  std::string Pools() const { return prefix_ + "pools"; }
  std::string Pool(std::string_view pool_id) const { return prefix_ + "pool:" + std::string(pool_id); }
  std::string PoolHolds(std::string_view pool_id) const { return prefix_ + "pool:" + std::string(pool_id) + ":holds"; }
  std::string Hold(std::string_view hold_id) const { return prefix_ + "hold:" + std::string(hold_id); }
  std::string ShelterHolds(std::string_view id) const { return prefix_ + "shelter:" + std::string(id) + ":holds"; }
  std::string Deadlines() const { return prefix_ + "deadlines"; }
  std::string Crises() const { return prefix_ + "crises"; }
  std::string Crisis(std::string_view id) const { return prefix_ + "crisis:" + std::string(id); }
  std::string Events() const { return prefix_ + "events"; }
  std::string Idempotency(std::string_view method, std::string_view key) const {
    return prefix_ + "idem:" + std::string(method) + ":" + std::string(key);
  }

 private:
  std::string prefix_;
};

}  // namespace relais::beds
