#include "services/dispatch/routing.h"

#include <algorithm>

#include "absl/strings/str_split.h"

namespace relais::dispatch {
namespace {

using namespace relais::v1;

bool IsTeamCode(std::string_view s) {
  return s.size() >= 2 && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
         });
}

std::vector<std::string> Split(std::string_view text, char sep) {
  // Debian's Abseil has its own string_view (built before C++17), hence the conversion.
  return absl::StrSplit(absl::string_view(text.data(), text.size()), sep, absl::SkipEmpty());
}

}  // namespace

absl::StatusOr<Routing> Routing::Parse(std::string_view text) {
  Routing routing;
  for (const auto& rule_text : Split(text, ';')) {
    size_t eq = rule_text.find('=');
    if (eq == std::string::npos) return absl::InvalidArgumentError("street routing: '" + rule_text + "' has no '=team'");
    std::string left = rule_text.substr(0, eq), team = rule_text.substr(eq + 1);
    Rule rule;
    size_t colon = left.find(':');
    std::string route = left.substr(0, colon);
    if (route == "maraude") rule.route = ROUTE_MARAUDE;
    else if (route == "street_work") rule.route = ROUTE_STREET_WORK;
    else return absl::InvalidArgumentError("street routing: route must be maraude or street_work, not '" + route + "'");
    if (colon != std::string::npos) {
      for (auto& c : Split(left.substr(colon + 1), ',')) rule.communes.insert(c);
    }
    if (!IsTeamCode(team)) return absl::InvalidArgumentError("street routing: '" + team + "' is not a team code");
    rule.team = team;
    routing.rules_.push_back(std::move(rule));
  }
  if (routing.rules_.empty()) return absl::InvalidArgumentError("street routing: no rule");
  return routing;
}

Route Routing::RouteFor(const StreetReport& report) {
  for (int n : report.needs()) {
    if (n == STREET_NEED_HELP || n == STREET_NEED_CARE || n == STREET_NEED_LISTENING ||
        n == STREET_NEED_TRANSPORT_TO_SHELTER) {
      return ROUTE_MARAUDE;
    }
  }
  return ROUTE_STREET_WORK;
}

std::string Routing::TeamFor(Route route, const std::string& commune) const {
  for (const auto& rule : rules_) {
    if (rule.route == route && (rule.communes.empty() || rule.communes.count(commune))) return rule.team;
  }
  return "";
}

}  // namespace relais::dispatch
