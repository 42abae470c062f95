#include "services/dispatch/rules.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

#include "common/timestamps.h"

namespace relais::dispatch {
namespace {

using namespace relais::v1;

absl::Status Invalid(std::string_view field, std::string_view why) {
  return absl::InvalidArgumentError(std::string(field) + ": " + std::string(why));
}
absl::Status Denied(std::string_view why) { return absl::PermissionDeniedError(std::string(why)); }

bool IsHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

bool IsRandomId(std::string_view id, char prefix) {
  return id.size() == 25 && id[0] == prefix && std::all_of(id.begin() + 1, id.end(), IsHex);
}

bool AnyOf(const Caller& c, std::initializer_list<Role> roles) {
  return std::any_of(roles.begin(), roles.end(), [&](Role r) { return c.Is(r); });
}

}  // namespace

bool IsCallId(std::string_view id) { return IsRandomId(id, 'c'); }
bool IsPersonId(std::string_view id) { return IsRandomId(id, 'p'); }

bool IsLanguage(std::string_view code) {
  return (code.size() == 2 || code.size() == 3) && std::all_of(code.begin(), code.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

absl::Status ValidateOpenCall(const OpenCallRequest& r) {
  if (r.caller_kind() == CALLER_KIND_UNSPECIFIED || !CallerKind_IsValid(r.caller_kind())) {
    return Invalid("caller_kind", "required");
  }
  if (!IsLanguage(r.language())) return Invalid("language", "a language code such as fr, nl or en");
  return absl::OkStatus();
}

absl::Status ValidateCallId(std::string_view id) {
  if (id.empty()) return Invalid("call_id", "required");
  if (!IsCallId(id)) return Invalid("call_id", "not a call id");
  return absl::OkStatus();
}

absl::Status ValidateContact(std::string_view field, std::string_view contact, bool required) {
  if (contact.empty()) return required ? Invalid(field, "required") : absl::OkStatus();
  if (contact.size() > kMaxContactLength) return Invalid(field, "at most 40 characters");
  bool phone_like = std::all_of(contact.begin(), contact.end(), [](char c) {
    return (c >= '0' && c <= '9') || c == '+' || c == ' ' || c == '(' || c == ')' || c == '-' || c == '.' || c == '/';
  });
  if (!phone_like) return Invalid(field, "a phone number: digits, spaces and + ( ) - . /");
  return absl::OkStatus();
}

bool ConsentInForce(const Consent& c, int64_t now_ms) {
  return c.scope() != CONSENT_SCOPE_UNSPECIFIED && !c.withdrawn() &&
         MsFromTimestamp(c.expires_at()) > now_ms;
}

absl::Status ValidatePerson(const Person& p, int64_t now_ms) {
  if (!AgeBand_IsValid(p.age_band())) return Invalid("person.age_band", "unknown age band");
  if (!Gender_IsValid(p.gender())) return Invalid("person.gender", "unknown gender");
  if (p.household().adults() < 0 || p.household().adults() > kMaxAdults) return Invalid("person.household.adults", "0 to 10");
  if (p.household().children() < 0 || p.household().children() > kMaxChildren) {
    return Invalid("person.household.children", "0 to 15");
  }
  if (p.languages_size() > kMaxLanguages) return Invalid("person.languages", "at most 10");
  for (const auto& l : p.languages()) {
    if (!IsLanguage(l)) return Invalid("person.languages", "language codes such as fr, nl or en");
  }
  std::set<int> needs;
  for (int n : p.needs()) {
    if (n == NEED_UNSPECIFIED || !Need_IsValid(n)) return Invalid("person.needs", "unknown need");
    if (!needs.insert(n).second) return Invalid("person.needs", "a need is listed twice");
  }
  const Consent& c = p.consent();
  if (!ConsentScope_IsValid(c.scope())) return Invalid("person.consent.scope", "unknown scope");
  if (!IsValidTimestamp(c.expires_at())) return Invalid("person.consent.expires_at", "not a valid time");
  if (c.scope() != CONSENT_SCOPE_UNSPECIFIED && MsFromTimestamp(c.expires_at()) <= now_ms) {
    return Invalid("person.consent.expires_at", "a consent needs an expiry in the future");
  }
  if (!p.alias().empty()) {
    if (p.alias().size() > kMaxAliasLength) return Invalid("person.alias", "at most 60 bytes");
    for (unsigned char ch : p.alias()) {
      if (ch < 0x20) return Invalid("person.alias", "control characters are not allowed");
    }
    if (!ConsentInForce(c, now_ms)) return Invalid("person.alias", "kept only with the person's consent in force");
  }
  return absl::OkStatus();
}

absl::Status ValidatePersonId(std::string_view id) {
  if (id.empty()) return Invalid("person_id", "required");
  if (!IsPersonId(id)) return Invalid("person_id", "not a person id");
  return absl::OkStatus();
}

absl::Status ValidateConsentChange(const SetConsentRequest& r, int64_t now_ms) {
  if (auto s = ValidatePersonId(r.person_id()); !s.ok()) return s;
  if (r.withdraw()) {
    if (r.scope() != CONSENT_SCOPE_UNSPECIFIED) return Invalid("scope", "leave empty when withdrawing");
    return absl::OkStatus();
  }
  if (r.scope() == CONSENT_SCOPE_UNSPECIFIED || !ConsentScope_IsValid(r.scope())) return Invalid("scope", "required");
  if (!IsValidTimestamp(r.expires_at())) return Invalid("expires_at", "not a valid time");
  if (MsFromTimestamp(r.expires_at()) <= now_ms) return Invalid("expires_at", "must be in the future");
  return absl::OkStatus();
}

absl::Status ValidateGrid(const VulnerabilityGrid& g) {
  if (g.criteria_size() == 0) return Invalid("grid.criteria", "required");
  if (g.criteria_size() > kMaxGridCriteria) return Invalid("grid.criteria", "at most 50");
  std::set<std::string> seen;
  for (const auto& c : g.criteria()) {
    if (c.weight() < 0 || c.weight() > kMaxGridWeight) return Invalid("grid.criteria.weight", "0 to 100");
    switch (c.what_case()) {
      case GridCriterion::kNeed:
        if (c.need() == NEED_UNSPECIFIED || !Need_IsValid(c.need())) return Invalid("grid.criteria.need", "unknown need");
        break;
      case GridCriterion::kAgeBand:
        if (c.age_band() == AGE_BAND_UNSPECIFIED || !AgeBand_IsValid(c.age_band())) {
          return Invalid("grid.criteria.age_band", "unknown age band");
        }
        break;
      case GridCriterion::kWithChildren:
        if (!c.with_children()) return Invalid("grid.criteria.with_children", "must be true when set");
        break;
      default:
        return Invalid("grid.criteria", "each criterion names a need, an age band or with_children");
    }
    std::string key = std::to_string(c.what_case()) + ":" + std::to_string(static_cast<int>(c.need())) + ":" + std::to_string(static_cast<int>(c.age_band()));
    if (!seen.insert(key).second) return Invalid("grid.criteria", "a criterion is listed twice");
  }
  if (g.priority_threshold() < 1 || g.priority_threshold() > kMaxGridWeight * kMaxGridCriteria) {
    return Invalid("grid.priority_threshold", "1 to 5000");
  }
  return absl::OkStatus();
}

bool IsRequestId(std::string_view id) { return IsRandomId(id, 'r'); }
bool IsProposalId(std::string_view id) { return IsRandomId(id, 'x'); }

absl::Status ValidateRequestId(std::string_view id) {
  if (id.empty()) return Invalid("request_id", "required");
  if (!IsRequestId(id)) return Invalid("request_id", "not a request id");
  return absl::OkStatus();
}

absl::Status ValidateProposalId(std::string_view id) {
  if (id.empty()) return Invalid("proposal_id", "required");
  if (!IsProposalId(id)) return Invalid("proposal_id", "not a proposal id");
  return absl::OkStatus();
}

namespace {
bool IsCode(std::string_view s) {  // shelter ids, public and commune codes: [a-z0-9_-]{2,64}
  return s.size() >= 2 && s.size() <= 64 &&
         std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'; });
}
}  // namespace

absl::Status ValidatePlaceRequest(const CreatePlaceRequestRequest& r) {
  if (auto s = ValidatePersonId(r.person_id()); !s.ok()) return s;
  if (r.preferred_communes_size() > kMaxPreferredCommunes) return Invalid("preferred_communes", "at most 5");
  for (const auto& c : r.preferred_communes()) {
    if (!IsCode(c)) return Invalid("preferred_communes", "commune codes such as ixelles");
  }
  if (!r.preferred_shelter_id().empty() && !IsCode(r.preferred_shelter_id())) {
    return Invalid("preferred_shelter_id", "not a shelter id");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::pair<std::string, std::string>> SplitPoolId(std::string_view pool_id) {
  if (pool_id.empty()) return Invalid("pool_id", "required");
  size_t colon = pool_id.find(':');
  if (colon == std::string_view::npos) return Invalid("pool_id", "must be <shelter_id>:<public>");
  std::string shelter(pool_id.substr(0, colon)), public_code(pool_id.substr(colon + 1));
  if (!IsCode(shelter) || !IsCode(public_code)) return Invalid("pool_id", "must be <shelter_id>:<public>");
  return std::make_pair(shelter, public_code);
}

bool IsReportId(std::string_view id) { return IsRandomId(id, 's'); }

absl::Status ValidateReportId(std::string_view id, std::string_view field) {
  if (id.empty()) return Invalid(field, "required");
  if (!IsReportId(id)) return Invalid(field, "not a report id");
  return absl::OkStatus();
}

namespace {
absl::Status CheckText(std::string_view field, const std::string& value, size_t max) {
  if (value.size() > max) return Invalid(field, "at most " + std::to_string(max) + " bytes");
  for (unsigned char c : value) {
    if (c < 0x20 && c != '\n') return Invalid(field, "control characters are not allowed");
  }
  return absl::OkStatus();
}

std::string Normalized(const std::string& address) {
  std::string out;
  for (unsigned char c : address) {
    if (std::isalnum(c)) out += static_cast<char>(std::tolower(c));
  }
  return out;
}

double MetresBetween(const GeoPoint& a, const GeoPoint& b) {
  constexpr double kEarth = 6371000.0, kRad = M_PI / 180.0;
  double dlat = (b.latitude() - a.latitude()) * kRad, dlon = (b.longitude() - a.longitude()) * kRad;
  double h = std::sin(dlat / 2) * std::sin(dlat / 2) +
             std::cos(a.latitude() * kRad) * std::cos(b.latitude() * kRad) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * kEarth * std::asin(std::sqrt(h));
}

bool HasLocation(const StreetReport& r) { return r.has_location() && (r.location().latitude() != 0 || r.location().longitude() != 0); }
}  // namespace

absl::Status ValidateStreetReport(const StreetReport& r) {
  if (r.reporter_kind() == REPORTER_KIND_UNSPECIFIED || !ReporterKind_IsValid(r.reporter_kind())) {
    return Invalid("report.reporter_kind", "required");
  }
  if (!IsCode(r.commune())) return Invalid("report.commune", "a commune code such as ixelles");
  if (auto s = CheckText("report.address", r.address(), kMaxAddressLength); !s.ok()) return s;
  if (auto s = CheckText("report.spot_description", r.spot_description(), kMaxSpotDescriptionLength); !s.ok()) return s;
  if (r.address().empty() && !HasLocation(r) && r.spot_description().empty()) {
    return Invalid("report.address", "an address, coordinates or a description of the spot is required");
  }
  if (HasLocation(r)) {
    const auto& l = r.location();
    if (!std::isfinite(l.latitude()) || std::abs(l.latitude()) > 90) return Invalid("report.location.latitude", "out of range");
    if (!std::isfinite(l.longitude()) || std::abs(l.longitude()) > 180) return Invalid("report.location.longitude", "out of range");
  }
  std::set<int> seen, needs;
  for (int o : r.seen()) {
    if (o == OBSERVATION_UNSPECIFIED || !Observation_IsValid(o) || !seen.insert(o).second) {
      return Invalid("report.seen", "known observations, each once");
    }
  }
  if (r.needs_size() == 0) return Invalid("report.needs", "at least one need");
  for (int n : r.needs()) {
    if (n == STREET_NEED_UNSPECIFIED || !StreetNeed_IsValid(n) || !needs.insert(n).second) {
      return Invalid("report.needs", "known needs, each once");
    }
  }
  if (r.reporter_wants_outcome()) return ValidateContact("report.reporter_contact", r.reporter_contact(), true);
  if (!r.reporter_contact().empty()) return Invalid("report.reporter_contact", "kept only when the reporter wants the outcome");
  return absl::OkStatus();
}

bool SameSpot(const StreetReport& a, const StreetReport& b) {
  if (HasLocation(a) && HasLocation(b) && MetresBetween(a.location(), b.location()) <= 150) return true;
  return !a.address().empty() && Normalized(a.address()) == Normalized(b.address());
}

absl::Status MayTakeReports(const Caller& c) {
  if (AnyOf(c, {Role::kOperator, Role::kMedical, Role::kAdmin})) return absl::OkStatus();
  return Denied("street reports are taken by the hotline");
}

absl::Status MayFollowReport(const Caller& c, const StreetReport& report) {
  if (AnyOf(c, {Role::kOperator, Role::kMedical, Role::kAdmin})) return absl::OkStatus();
  if (c.Is(Role::kTeam) && !c.team.empty() && c.team == report.team()) return absl::OkStatus();
  return Denied("a team sees only the reports routed to it");
}

absl::Status MayDispatch(const Caller& c) {
  if (AnyOf(c, {Role::kOperator, Role::kMedical, Role::kAdmin})) return absl::OkStatus();
  return Denied("requests for a place are handled by hotline operators and the medical focal point");
}

absl::Status MayHandleCalls(const Caller& c) {
  if (AnyOf(c, {Role::kOperator, Role::kMedical, Role::kAdmin})) return absl::OkStatus();
  return Denied("calls are handled by hotline operators");
}

absl::Status MayWritePerson(const Caller& c) {
  if (AnyOf(c, {Role::kOperator, Role::kMedical, Role::kTeam, Role::kAdmin})) return absl::OkStatus();
  return Denied("persons are recorded by operators and mobile teams");
}

absl::Status ValidateProposeInsertion(const ProposeInsertionRequest& r) {
  if (auto s = ValidatePersonId(r.person_id()); !s.ok()) return s;
  if (r.service_id().empty()) return Invalid("service_id", "required");
  if (!IsCode(r.service_id())) return Invalid("service_id", "not a directory id");
  if (r.kind() == SOLUTION_KIND_UNSPECIFIED || !SolutionKind_IsValid(r.kind())) {
    return Invalid("kind", "required (insertion or prevention)");
  }
  return absl::OkStatus();
}

absl::Status MayProposeInsertion(const Caller& c) {
  if (AnyOf(c, {Role::kOperator, Role::kMedical, Role::kTeam, Role::kAdmin})) return absl::OkStatus();
  return Denied("insertion solutions are proposed by the hotline and mobile teams");
}

absl::StatusOr<ConsentScope> ScopeNeededToRead(const Caller& c, ReadPurpose purpose) {
  if (purpose == READ_PURPOSE_UNSPECIFIED || !ReadPurpose_IsValid(purpose)) {
    return Invalid("purpose", "required: it goes to the audit trail");
  }
  // The central point's own staff work under professional secrecy: no consent needed to help.
  if (AnyOf(c, {Role::kOperator, Role::kMedical, Role::kAdmin})) return CONSENT_SCOPE_UNSPECIFIED;
  // Partners outside it see a person only as far as the person agreed to share.
  if (c.Is(Role::kTeam) || c.Is(Role::kShelter)) return CONSENT_SCOPE_DISPATCH;
  if (c.Is(Role::kWorkshop)) return CONSENT_SCOPE_ORIENTATION;
  return Denied("this role never reads a person's record");
}

absl::Status MayReadAudit(const Caller& c) {
  if (c.Is(Role::kAdmin)) return absl::OkStatus();
  return Denied("the audit trail is read by administrators");
}

absl::Status MaySetGrid(const Caller& c) {
  if (c.Is(Role::kAdmin)) return absl::OkStatus();
  return Denied("the vulnerability grid is set by administrators");
}

absl::Status MayReadGrid(const Caller& c) {
  if (AnyOf(c, {Role::kOperator, Role::kMedical, Role::kWorkshop, Role::kAdmin})) return absl::OkStatus();
  return Denied("the vulnerability grid is read by the central point's staff");
}

}  // namespace relais::dispatch
