// The beds service's requests: each method's validation and rights, as services/beds/service.cc runs
// them before Redis (frame: service_fuzz.h). Also: a hold id made for a valid pool parses back to it.
#include "common/catalog.h"
#include "common/idempotency.h"
#include "relais/v1/beds.grpc.pb.h"
#include "services/beds/rules.h"
#include "tests/fuzz/service_fuzz.h"

namespace relais::fuzz {
namespace {

using namespace relais::v1;
using namespace relais::beds;

const Catalog& TheCatalog() {
  static const Catalog catalog = Catalog::Brussels();
  return catalog;
}

absl::Status ShelterId(const std::string& id, const char* field) {
  if (id.empty()) return absl::InvalidArgumentError(std::string(field) + ": required");
  if (!IsShelterId(id)) return absl::InvalidArgumentError(std::string(field) + ": not a shelter id");
  return absl::OkStatus();
}

absl::Status Pool(const std::string& pool_id, const std::string& key, const Caller& caller) {
  auto ref = ParsePoolId(pool_id, TheCatalog());
  if (!ref.ok()) return ref.status();
  // A hold id drawn for a valid pool names that pool again.
  auto hold = ParseHoldId(NewHoldId(*ref), TheCatalog());
  if (!hold.ok() || hold->pool.id() != ref->id()) abort();
  RETURN_IF_ERROR(ValidateIdempotencyKey(key));
  return MayChangePool(caller, ref->shelter_id);
}

absl::Status EndHold(const std::string& hold_id, const std::string& key, const char* outcome, const Caller& caller) {
  auto ref = ParseHoldId(hold_id, TheCatalog());
  if (!ref.ok()) return ref.status();
  if (ref->hold_id != hold_id) abort();
  RETURN_IF_ERROR(ValidateIdempotencyKey(key));
  return MayEndHold(caller, ref->pool.shelter_id, outcome);
}

ServiceChecks Checks() {
  static const Catalog& catalog = TheCatalog();
  ServiceChecks c(ServiceOf<TakeHoldRequest>("Beds"));
  c.On<CreateShelterRequest>([&](const CreateShelterRequest& r, const Caller& caller) -> absl::Status {
    RETURN_IF_ERROR(ValidateShelter(r.shelter(), catalog));
    RETURN_IF_ERROR(ValidateIdempotencyKey(r.idempotency_key()));
    return MayEditDirectory(caller, r.shelter().id(), true);
  });
  c.On<UpdateShelterRequest>([&](const UpdateShelterRequest& r, const Caller& caller) -> absl::Status {
    RETURN_IF_ERROR(ValidateShelter(r.shelter(), catalog));
    if (r.expected_version() < 0) return absl::InvalidArgumentError("expected_version: must not be negative");
    RETURN_IF_ERROR(ValidateIdempotencyKey(r.idempotency_key()));
    return MayEditDirectory(caller, r.shelter().id(), false);
  });
  c.On<GetShelterRequest>([](const GetShelterRequest& r, const Caller& caller) -> absl::Status {
    RETURN_IF_ERROR(ShelterId(r.shelter_id(), "shelter_id"));
    (void)MaySeeSecretAddress(caller, r.shelter_id());
    return absl::OkStatus();
  });
  c.On<SearchSheltersRequest>([&](const SearchSheltersRequest& r, const Caller&) -> absl::Status {
    if (!r.commune().empty() && !catalog.HasCommune(r.commune())) {
      return absl::InvalidArgumentError("commune: not a commune of the region");
    }
    if (!r.public_().empty() && !catalog.HasPublic(r.public_())) return absl::InvalidArgumentError("public: not a known public");
    if (!ServiceKind_IsValid(r.kind())) return absl::InvalidArgumentError("kind: unknown");
    if (r.text().size() > kMaxNameLength) return absl::InvalidArgumentError("text: at most 200 bytes");
    if (r.language().size() > 2) return absl::InvalidArgumentError("language: use an ISO 639-1 code");
    (void)MatchesConditions(Conditions(), r.required_conditions());
    return absl::OkStatus();
  });
  c.On<DeclarePoolRequest>([&](const DeclarePoolRequest& r, const Caller& caller) -> absl::Status {
    RETURN_IF_ERROR(ShelterId(r.shelter_id(), "shelter_id"));
    if (!catalog.HasPublic(r.public_())) return absl::InvalidArgumentError("public: not a known public");
    RETURN_IF_ERROR(ValidateFigures(r.figures()));
    // Valid figures never derive a negative free count, open buffer or not.
    if (DeriveFree(r.figures(), true, 0) < 0 || DeriveFree(r.figures(), false, 0) < 0) abort();
    if (r.expected_version() < 0) return absl::InvalidArgumentError("expected_version: must not be negative");
    RETURN_IF_ERROR(ValidateIdempotencyKey(r.idempotency_key()));
    return MayChangePool(caller, r.shelter_id());
  });
  c.On<ConfirmPoolRequest>([](const ConfirmPoolRequest& r, const Caller& caller) {
    return Pool(r.pool_id(), r.idempotency_key(), caller);
  });
  c.On<RecordDepartureRequest>([](const RecordDepartureRequest& r, const Caller& caller) {
    return Pool(r.pool_id(), r.idempotency_key(), caller);
  });
  c.On<TakeHoldRequest>([&](const TakeHoldRequest& r, const Caller& caller) -> absl::Status {
    auto ref = ParsePoolId(r.pool_id(), catalog);
    if (!ref.ok()) return ref.status();
    if (r.request_id().empty()) return absl::InvalidArgumentError("request_id: required");
    if (!IsOpaqueId(r.request_id())) {
      return absl::InvalidArgumentError("request_id: 1 to 64 characters of letters, digits and . _ : -");
    }
    if (!HoldKind_IsValid(r.kind())) return absl::InvalidArgumentError("kind: unknown hold kind");
    RETURN_IF_ERROR(ValidateIdempotencyKey(r.idempotency_key()));
    RETURN_IF_ERROR(MayTakeHold(caller, ref->public_code));
    if (r.kind() == HOLD_KIND_PASS_NIGHT && !caller.Is(Role::kTeam) && !caller.Is(Role::kAdmin)) {
      return absl::PermissionDeniedError("pass night holds are taken by mobile teams");
    }
    return absl::OkStatus();
  });
  c.On<ConfirmArrivalRequest>([](const ConfirmArrivalRequest& r, const Caller& caller) {
    return EndHold(r.hold_id(), r.idempotency_key(), "arrived", caller);
  });
  c.On<ReportNoShowRequest>([](const ReportNoShowRequest& r, const Caller& caller) {
    return EndHold(r.hold_id(), r.idempotency_key(), "no_show", caller);
  });
  c.On<CancelHoldRequest>([](const CancelHoldRequest& r, const Caller& caller) {
    return EndHold(r.hold_id(), r.idempotency_key(), "cancelled", caller);
  });
  c.On<GetHoldRequest>([&](const GetHoldRequest& r, const Caller& caller) -> absl::Status {
    auto ref = ParseHoldId(r.hold_id(), catalog);
    if (!ref.ok()) return ref.status();
    return MayReadHolds(caller, ref->pool.shelter_id);
  });
  c.On<ListHoldsRequest>([](const ListHoldsRequest& r, const Caller& caller) -> absl::Status {
    RETURN_IF_ERROR(ShelterId(r.shelter_id(), "shelter_id"));
    return MayReadHolds(caller, r.shelter_id());
  });
  c.On<GetAvailabilityRequest>([&](const GetAvailabilityRequest& r, const Caller& caller) -> absl::Status {
    RETURN_IF_ERROR(ValidateFilter(r.filter(), catalog));
    return MayReadAvailability(caller);
  });
  c.On<GetRegionSummaryRequest>([](const GetRegionSummaryRequest&, const Caller& caller) { return MayReadSummary(caller); });
  c.On<OpenBufferRequest>([](const OpenBufferRequest& r, const Caller& caller) -> absl::Status {
    if (!r.shelter_id().empty()) RETURN_IF_ERROR(ShelterId(r.shelter_id(), "shelter_id"));
    if (r.reason() == CRISIS_REASON_UNSPECIFIED || !CrisisReason_IsValid(r.reason())) {
      return absl::InvalidArgumentError("reason: required (cold, heat, storm, sanitary or humanitarian)");
    }
    if (r.mode() == CRISIS_MODE_UNSPECIFIED || !CrisisMode_IsValid(r.mode())) {
      return absl::InvalidArgumentError("mode: required (12h or 24h)");
    }
    RETURN_IF_ERROR(ValidateIdempotencyKey(r.idempotency_key()));
    return MayManageCrisis(caller, r.shelter_id());
  });
  c.On<CloseBufferRequest>([](const CloseBufferRequest& r, const Caller& caller) -> absl::Status {
    if (r.crisis_id().empty()) return absl::InvalidArgumentError("crisis_id: required");
    if (!IsOpaqueId(r.crisis_id())) return absl::InvalidArgumentError("crisis_id: not a crisis id");
    RETURN_IF_ERROR(ValidateIdempotencyKey(r.idempotency_key()));
    return MayManageCrisis(caller, "");
  });
  c.On<ListCrisesRequest>([](const ListCrisesRequest&, const Caller& caller) { return MayReadSummary(caller); });
  c.On<WatchAvailabilityRequest>([&](const WatchAvailabilityRequest& r, const Caller& caller) -> absl::Status {
    RETURN_IF_ERROR(ValidateFilter(r.filter(), catalog));
    if (r.after_event_id().size() > 40) return absl::InvalidArgumentError("after_event_id: not a stream id");
    return MayReadAvailability(caller);
  });
  c.RequireAll();
  return c;
}

}  // namespace
}  // namespace relais::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const relais::fuzz::ServiceChecks checks = relais::fuzz::Checks();
  return checks.Run(data, size);
}
