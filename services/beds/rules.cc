#include "services/beds/rules.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "common/random_id.h"

namespace relais::beds {
namespace {

using relais::v1::ServiceKind_IsValid;

bool Lower(char c) { return c >= 'a' && c <= 'z'; }
bool Digit(char c) { return c >= '0' && c <= '9'; }

absl::Status Invalid(std::string_view field, std::string_view why) {
  return absl::InvalidArgumentError(std::string(field) + ": " + std::string(why));
}

absl::Status CheckText(std::string_view field, const std::string& value, size_t max, bool required) {
  if (required && value.empty()) return Invalid(field, "required");
  if (value.size() > max) return Invalid(field, "at most " + std::to_string(max) + " bytes");
  for (unsigned char c : value) {
    if (c < 0x20 && c != '\n' && c != '\t') return Invalid(field, "control characters are not allowed");
  }
  return absl::OkStatus();
}

absl::Status Denied(std::string_view why) { return absl::PermissionDeniedError(std::string(why)); }

}  // namespace

bool IsShelterId(std::string_view id) {
  if (id.size() < 2 || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) { return Lower(c) || Digit(c) || c == '-'; });
}

bool IsOpaqueId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return Lower(c) || Digit(c) || (c >= 'A' && c <= 'Z') || c == '.' || c == '_' || c == ':' || c == '-';
  });
}

absl::StatusOr<PoolRef> ParsePoolId(std::string_view pool_id, const Catalog& catalog, std::string_view field) {
  if (pool_id.empty()) return Invalid(field, "required");
  size_t colon = pool_id.find(':');
  if (colon == std::string_view::npos) return Invalid(field, "must be <shelter_id>:<public>");
  PoolRef ref{std::string(pool_id.substr(0, colon)), std::string(pool_id.substr(colon + 1))};
  if (!IsShelterId(ref.shelter_id)) return Invalid(field, "the shelter part is not a valid shelter id");
  if (!catalog.HasPublic(ref.public_code)) return Invalid(field, "the public part is not a known public");
  return ref;
}

absl::Status ValidateShelter(const relais::v1::Shelter& s, const Catalog& catalog) {
  if (!IsShelterId(s.id())) return Invalid("shelter.id", "must be 2 to 64 characters of a-z, 0-9 and -");
  if (auto st = CheckText("shelter.name", s.name(), kMaxNameLength, true); !st.ok()) return st;
  if (auto st = CheckText("shelter.organisation", s.organisation(), kMaxNameLength, false); !st.ok()) return st;
  if (s.kind() == relais::v1::SERVICE_KIND_UNSPECIFIED || !ServiceKind_IsValid(s.kind())) {
    return Invalid("shelter.kind", "required");
  }
  if (!catalog.HasCommune(s.commune())) return Invalid("shelter.commune", "not a commune of the region");
  if (auto st = CheckText("shelter.address.street", s.address().street(), kMaxNameLength, false); !st.ok()) return st;
  if (auto st = CheckText("shelter.address.postcode", s.address().postcode(), 16, false); !st.ok()) return st;
  if (auto st = CheckText("shelter.address.city", s.address().city(), kMaxNameLength, false); !st.ok()) return st;
  const auto& loc = s.location();
  if (!std::isfinite(loc.latitude()) || std::abs(loc.latitude()) > 90) return Invalid("shelter.location.latitude", "out of range");
  if (!std::isfinite(loc.longitude()) || std::abs(loc.longitude()) > 180) return Invalid("shelter.location.longitude", "out of range");
  if (auto st = CheckText("shelter.phone", s.phone(), 40, false); !st.ok()) return st;
  if (auto st = CheckText("shelter.opening_hours", s.opening_hours(), kMaxNameLength, false); !st.ok()) return st;
  if (auto st = CheckText("shelter.description", s.description(), kMaxDescriptionLength, false); !st.ok()) return st;
  if (s.languages_size() > static_cast<int>(kMaxListItems)) return Invalid("shelter.languages", "too many");
  for (const auto& lang : s.languages()) {
    if (lang.size() != 2 || !Lower(lang[0]) || !Lower(lang[1])) return Invalid("shelter.languages", "use ISO 639-1 codes such as fr, nl, en");
  }
  if (s.publics_size() > static_cast<int>(kMaxListItems)) return Invalid("shelter.publics", "too many");
  std::set<std::string> seen;
  for (const auto& p : s.publics()) {
    if (!catalog.HasPublic(p)) return Invalid("shelter.publics", "not a known public");
    if (!seen.insert(p).second) return Invalid("shelter.publics", "listed twice");
  }
  if (s.address_hidden()) return Invalid("shelter.address_hidden", "is output only");
  return absl::OkStatus();
}

absl::Status ValidateFigures(const relais::v1::PoolFigures& f) {
  auto in_range = [](int v) { return v >= 0 && v <= kMaxPlaces; };
  if (!in_range(f.places_in_service())) return Invalid("figures.places_in_service", "must be 0 to 10000");
  if (!in_range(f.buffer_places())) return Invalid("figures.buffer_places", "must be 0 to 10000");
  if (!in_range(f.occupied())) return Invalid("figures.occupied", "must be 0 to 10000");
  if (f.occupied() > f.places_in_service() + f.buffer_places()) {
    return Invalid("figures.occupied", "more than the places in service and buffer places");
  }
  return absl::OkStatus();
}

std::string NewHoldId(const PoolRef& pool) { return pool.id() + ":" + RandomId("h"); }

absl::StatusOr<HoldRef> ParseHoldId(std::string_view hold_id, const Catalog& catalog) {
  if (hold_id.empty()) return Invalid("hold_id", "required");
  size_t colon = hold_id.rfind(':');
  if (hold_id.size() > 160 || colon == std::string_view::npos) return Invalid("hold_id", "not a hold id");
  std::string_view random = hold_id.substr(colon + 1);
  bool random_ok = random.size() == 25 && random[0] == 'h' &&
                   std::all_of(random.begin() + 1, random.end(), [](char c) { return Digit(c) || (c >= 'a' && c <= 'f'); });
  if (!random_ok) return Invalid("hold_id", "not a hold id");
  auto pool = ParsePoolId(hold_id.substr(0, colon), catalog, "hold_id");
  if (!pool.ok()) return Invalid("hold_id", "not a hold id");
  return HoldRef{std::string(hold_id), *pool};
}

absl::Status ValidateFilter(const relais::v1::AvailabilityFilter& f, const Catalog& catalog) {
  if (!f.public_().empty() && !catalog.HasPublic(f.public_())) return Invalid("filter.public", "not a known public");
  if (!f.commune().empty() && !catalog.HasCommune(f.commune())) return Invalid("filter.commune", "not a commune of the region");
  if (!f.shelter_id().empty() && !IsShelterId(f.shelter_id())) return Invalid("filter.shelter_id", "not a shelter id");
  return absl::OkStatus();
}

int DeriveFree(const relais::v1::PoolFigures& f, bool buffer_open, int live_holds) {
  // In 64 bits: the figures come from Redis as any int32, and their sum must not overflow.
  int64_t capacity = int64_t{f.places_in_service()} + (buffer_open ? f.buffer_places() : 0);
  int64_t free = capacity - f.occupied() - live_holds;
  return static_cast<int>(std::clamp<int64_t>(free, 0, std::numeric_limits<int32_t>::max()));
}

bool MatchesConditions(const relais::v1::Conditions& have, const relais::v1::Conditions& required) {
  return (!required.pets_allowed() || have.pets_allowed()) &&
         (!required.wheelchair_accessible() || have.wheelchair_accessible()) &&
         (!required.low_threshold() || have.low_threshold()) &&
         (!required.consumption_tolerated() || have.consumption_tolerated());
}

absl::Status MayEditDirectory(const Caller& caller, std::string_view shelter_id, bool creating) {
  if (caller.Is(Role::kAdmin)) return absl::OkStatus();
  if (!creating && caller.Is(Role::kShelter) && caller.ActsForShelter(shelter_id)) return absl::OkStatus();
  return Denied(creating ? "only admin may add a service to the directory"
                         : "only admin or the shelter itself may change its directory entry");
}

absl::Status MayChangePool(const Caller& caller, std::string_view shelter_id) {
  if (caller.Is(Role::kAdmin)) return absl::OkStatus();
  if (caller.Is(Role::kShelter) && caller.ActsForShelter(shelter_id)) return absl::OkStatus();
  return Denied("only the shelter itself (or admin) may change its places");
}

absl::Status MayTakeHold(const Caller& caller, std::string_view public_code) {
  if (public_code == "medical") {
    // Medicalised places go through the medical focal point.
    if (caller.Is(Role::kMedical) || caller.Is(Role::kAdmin)) return absl::OkStatus();
    return Denied("medicalised places are held by the medical focal point");
  }
  if (caller.Is(Role::kOperator) || caller.Is(Role::kMedical) || caller.Is(Role::kTeam) || caller.Is(Role::kAdmin)) {
    return absl::OkStatus();
  }
  return Denied("only operators, the medical focal point and mobile teams hold places");
}

absl::Status MayEndHold(const Caller& caller, std::string_view shelter_id, std::string_view outcome) {
  if (caller.Is(Role::kAdmin)) return absl::OkStatus();
  if (caller.Is(Role::kShelter) && caller.ActsForShelter(shelter_id)) return absl::OkStatus();
  if (outcome == "cancelled" && (caller.Is(Role::kOperator) || caller.Is(Role::kMedical) || caller.Is(Role::kTeam))) {
    return absl::OkStatus();
  }
  return Denied(outcome == "cancelled" ? "only operators, teams or the shelter may cancel a hold"
                                       : "only the shelter itself confirms arrivals and no-shows");
}

absl::Status MayReadHolds(const Caller& caller, std::string_view shelter_id) {
  if (caller.Is(Role::kOperator) || caller.Is(Role::kMedical) || caller.Is(Role::kTeam) || caller.Is(Role::kAdmin)) {
    return absl::OkStatus();
  }
  if (caller.Is(Role::kShelter) && caller.ActsForShelter(shelter_id)) return absl::OkStatus();
  return Denied("holds are seen by operators, teams and the shelter concerned");
}

absl::Status MayReadAvailability(const Caller& caller) {
  if (caller.Is(Role::kNone) || caller.Is(Role::kMonitoring)) {
    return Denied("availability by pool is for operators, shelters and teams; monitoring sees the summary");
  }
  return absl::OkStatus();
}

absl::Status MayReadSummary(const Caller& caller) {
  if (caller.Is(Role::kNone)) return Denied("sign in to see the region summary");
  return absl::OkStatus();
}

absl::Status MayManageCrisis(const Caller& caller, std::string_view shelter_id) {
  if (caller.Is(Role::kAdmin)) return absl::OkStatus();
  if (!shelter_id.empty() && caller.Is(Role::kShelter) && caller.ActsForShelter(shelter_id)) return absl::OkStatus();
  return Denied(shelter_id.empty() ? "only admin opens buffer places for the whole region"
                                   : "only admin or the shelter itself opens its buffer places");
}

bool MaySeeSecretAddress(const Caller& caller, std::string_view shelter_id) {
  if (caller.Is(Role::kOperator) || caller.Is(Role::kMedical) || caller.Is(Role::kAdmin)) return true;
  return caller.Is(Role::kShelter) && caller.ActsForShelter(shelter_id);
}

}  // namespace relais::beds
