#pragma once
// The beds service's rules that need no Redis: input validation (INVALID_ARGUMENT naming the field),
// pool ids, the derivation of free places, and who may do what.
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/identity.h"
#include "relais/v1/beds.pb.h"
#include "common/catalog.h"

namespace relais::beds {

// Limits on what callers may send.
inline constexpr int kMaxPlaces = 10000;          // per figure of one pool
inline constexpr size_t kMaxNameLength = 200;
inline constexpr size_t kMaxDescriptionLength = 2000;
inline constexpr size_t kMaxListItems = 20;       // languages, publics

struct PoolRef {
  std::string shelter_id;
  std::string public_code;
  std::string id() const { return shelter_id + ":" + public_code; }
};

bool IsShelterId(std::string_view id);   // [a-z0-9-]{2,64}
bool IsOpaqueId(std::string_view id);    // [A-Za-z0-9._:-]{1,64}: request ids

absl::StatusOr<PoolRef> ParsePoolId(std::string_view pool_id, const Catalog& catalog, std::string_view field = "pool_id");

// A hold id names its pool: <shelter_id>:<public>:h<24 hex digits>. Ending or reading a hold then needs
// no lookup before the script, and rights are checked on the shelter the id names. A forged prefix finds
// nothing: the hold is stored under its whole id.
struct HoldRef {
  std::string hold_id;
  PoolRef pool;
};
std::string NewHoldId(const PoolRef& pool);
absl::StatusOr<HoldRef> ParseHoldId(std::string_view hold_id, const Catalog& catalog);
absl::Status ValidateShelter(const relais::v1::Shelter& shelter, const Catalog& catalog);
absl::Status ValidateFigures(const relais::v1::PoolFigures& figures);
absl::Status ValidateFilter(const relais::v1::AvailabilityFilter& filter, const Catalog& catalog);

// free = places in service + (buffer places if open) - occupied - live holds, never below 0.
int DeriveFree(const relais::v1::PoolFigures& figures, bool buffer_open, int live_holds);

bool MatchesConditions(const relais::v1::Conditions& have, const relais::v1::Conditions& required);

// Rights. Each answers OK or PERMISSION_DENIED with the reason.
absl::Status MayEditDirectory(const Caller& caller, std::string_view shelter_id, bool creating);
absl::Status MayChangePool(const Caller& caller, std::string_view shelter_id);
absl::Status MayTakeHold(const Caller& caller, std::string_view public_code);
absl::Status MayEndHold(const Caller& caller, std::string_view shelter_id, std::string_view outcome);
absl::Status MayReadHolds(const Caller& caller, std::string_view shelter_id);
absl::Status MayReadAvailability(const Caller& caller);
absl::Status MayReadSummary(const Caller& caller);
absl::Status MayManageCrisis(const Caller& caller, std::string_view shelter_id);
bool MaySeeSecretAddress(const Caller& caller, std::string_view shelter_id);

}  // namespace relais::beds
