#pragma once
// The one place that names the dispatch service's Redis keys (region prefix and hash tag:
// common/region_keys.h). Dispatch writes to the region's one event stream, like every service.
#include "common/region_keys.h"

namespace relais::dispatch {

class Keys : public RegionKeys {
 public:
  using RegionKeys::RegionKeys;

  std::string Call(std::string_view id) const { return Key("call:", id); }
  std::string WaitingCalls() const { return Key("calls:waiting"); }
  std::string CallBacks() const { return Key("calls:call_backs"); }
  std::string RecentCalls() const { return Key("calls:recent"); }
  std::string Person(std::string_view id) const { return Key("person:", id); }
  std::string PersonAudit(std::string_view id) const { return Key("person:", id, ":audit"); }
  std::string Persons() const { return Key("persons"); }
  std::string Audit() const { return Key("audit"); }
  std::string Grid() const { return Key("grid"); }
  std::string Request(std::string_view id) const { return Key("request:", id); }
  std::string Queue(std::string_view lane) const { return Key("queue:", lane); }
  std::string Proposal(std::string_view id) const { return Key("proposal:", id); }
  std::string Report(std::string_view id) const { return Key("report:", id); }
  std::string Night(std::string_view night) const { return Key("night:", night); }
  std::string RecentReports() const { return Key("reports:recent"); }
  std::string OpenReports() const { return Key("reports:open"); }
  std::string TeamReports(std::string_view team) const { return Key("team:", team, ":reports"); }
  std::string CommuneOpenReports(std::string_view commune) const { return Key("reports:open:", commune); }
  std::string Insertion(std::string_view id) const { return Key("insertion:", id); }
  std::string PersonInsertions(std::string_view person_id) const { return Key("person:", person_id, ":insertions"); }
  std::string PassNight(std::string_view team, std::string_view night) const {
    return Key("pass_night:", team, ":" + std::string(night));
  }
};

}  // namespace relais::dispatch
