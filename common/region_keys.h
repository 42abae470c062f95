#pragma once
// The Redis keys every service of a region shares.
//
// Every key of a region carries the region as its hash tag ("relais:{brussels}:..."), so each atomic
// step (a script touching several objects and the event stream) stays in one slot and runs unchanged
// on Redis Cluster; regions spread across a cluster. The event stream is one per region, written by
// every service: it is the complete, ordered record of that region.
#include <string>
#include <string_view>

namespace relais {

class RegionKeys {
 public:
  explicit RegionKeys(std::string_view region) : prefix_("relais:{" + std::string(region) + "}:") {}

  std::string Events() const { return prefix_ + "events"; }
  std::string Idempotency(std::string_view method, std::string_view key) const {
    return prefix_ + "idem:" + std::string(method) + ":" + std::string(key);
  }

 protected:
  std::string Key(std::string_view a) const { return prefix_ + std::string(a); }
  std::string Key(std::string_view a, std::string_view b) const { return prefix_ + std::string(a) + std::string(b); }
  std::string Key(std::string_view a, std::string_view b, std::string_view c) const {
    return prefix_ + std::string(a) + std::string(b) + std::string(c);
  }

 private:
  std::string prefix_;
};

}  // namespace relais
