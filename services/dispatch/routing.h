#pragma once
// Where a street report goes: by need to a street-work team (accompaniment, information) or to a
// maraude (help, care, listening, transport to a shelter), and by zone to the team covering the
// commune. The rules are configuration (--street-routing), e.g.
//   "maraude=maraude-samusocial;street_work:brussels,saint-gilles=diogenes;street_work=street-work"
// Rules are tried in order; a rule without communes covers every commune.
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "relais/v1/dispatch.pb.h"

namespace relais::dispatch {

inline constexpr char kDefaultStreetRouting[] = "maraude=maraude-samusocial;street_work=street-work-diogenes";

class Routing {
 public:
  static absl::StatusOr<Routing> Parse(std::string_view text);

  // A report needing help, care, listening or transport goes to a maraude; otherwise to street work.
  static relais::v1::Route RouteFor(const relais::v1::StreetReport& report);
  // The team for a route in a commune; empty when no rule covers it.
  std::string TeamFor(relais::v1::Route route, const std::string& commune) const;

 private:
  struct Rule {
    relais::v1::Route route;
    std::set<std::string> communes;  // empty: every commune
    std::string team;
  };
  std::vector<Rule> rules_;
};

}  // namespace relais::dispatch
