#include "services/beds/service.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <cctype>

#include "common/grpc_status.h"
#include "common/idempotency.h"
#include "common/status_macros.h"
#include "services/beds/watch.h"

namespace relais::beds {
namespace {

using google::protobuf::util::TimeUtil;

std::string Lowercase(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

bool Contains(const google::protobuf::RepeatedPtrField<std::string>& list, const std::string& x) {
  return std::find(list.begin(), list.end(), x) != list.end();
}

absl::Status ValidateShelterId(const std::string& id, const char* field) {
  if (id.empty()) return absl::InvalidArgumentError(std::string(field) + ": required");
  if (!IsShelterId(id)) return absl::InvalidArgumentError(std::string(field) + ": not a shelter id");
  return absl::OkStatus();
}

}  // namespace

BedsService::BedsService(Store& store, RedisPool& redis, ServiceOptions options)
    : store_(store), redis_(redis), options_(options), work_(options.workers, options.max_pending) {}

BedsService::~BedsService() {
  Stop();
  work_.Stop();  // the server has shut down: every call was answered
}

void BedsService::Stop() { stopping_ = true; }

void BedsService::RedactForCaller(const Caller& caller, v1::Shelter& shelter) const {
  if (shelter.secret_address() && !MaySeeSecretAddress(caller, shelter.id())) {
    shelter.clear_address();
    shelter.clear_location();
    shelter.set_address_hidden(true);
  }
}

// ---- Directory ----

BedsService::Reactor* BedsService::CreateShelter(Ctx* ctx, const v1::CreateShelterRequest* req,
                                                 v1::CreateShelterResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp]() -> absl::Status {
    RETURN_IF_ERROR(ValidateShelter(req->shelter(), store_.catalog()));
    RETURN_IF_ERROR(ValidateIdempotencyKey(req->idempotency_key()));
    RETURN_IF_ERROR(MayEditDirectory(caller, req->shelter().id(), true));
    auto shelter = store_.CreateShelter(req->shelter(), req->idempotency_key(), RequestFingerprint(*req));
    if (!shelter.ok()) return shelter.status();
    *resp->mutable_shelter() = std::move(*shelter);
    return absl::OkStatus();
  });
}

BedsService::Reactor* BedsService::UpdateShelter(Ctx* ctx, const v1::UpdateShelterRequest* req,
                                                 v1::UpdateShelterResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp]() -> absl::Status {
    RETURN_IF_ERROR(ValidateShelter(req->shelter(), store_.catalog()));
    if (req->expected_version() < 0) return absl::InvalidArgumentError("expected_version: must not be negative");
    RETURN_IF_ERROR(ValidateIdempotencyKey(req->idempotency_key()));
    RETURN_IF_ERROR(MayEditDirectory(caller, req->shelter().id(), false));
    auto shelter = store_.UpdateShelter(req->shelter(), req->expected_version(), req->idempotency_key(),
                                        RequestFingerprint(*req));
    if (!shelter.ok()) return shelter.status();
    *resp->mutable_shelter() = std::move(*shelter);
    return absl::OkStatus();
  });
}

BedsService::Reactor* BedsService::GetShelter(Ctx* ctx, const v1::GetShelterRequest* req, v1::GetShelterResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp]() -> absl::Status {
    RETURN_IF_ERROR(ValidateShelterId(req->shelter_id(), "shelter_id"));
    auto shelter = store_.GetShelter(req->shelter_id());
    if (!shelter.ok()) return shelter.status();
    RedactForCaller(caller, *shelter);
    *resp->mutable_shelter() = std::move(*shelter);
    return absl::OkStatus();
  });
}

BedsService::Reactor* BedsService::SearchShelters(Ctx* ctx, const v1::SearchSheltersRequest* req,
                                                  v1::SearchSheltersResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp]() -> absl::Status {
    const Catalog& catalog = store_.catalog();
    if (!req->commune().empty() && !catalog.HasCommune(req->commune())) {
      return absl::InvalidArgumentError("commune: not a commune of the region");
    }
    if (!req->public_().empty() && !catalog.HasPublic(req->public_())) {
      return absl::InvalidArgumentError("public: not a known public");
    }
    if (!v1::ServiceKind_IsValid(req->kind())) return absl::InvalidArgumentError("kind: unknown");
    if (req->text().size() > kMaxNameLength) return absl::InvalidArgumentError("text: at most 200 bytes");
    if (req->language().size() > 2) return absl::InvalidArgumentError("language: use an ISO 639-1 code");
    auto shelters = store_.AllShelters();
    if (!shelters.ok()) return shelters.status();
    std::string text = Lowercase(req->text());
    for (auto& s : *shelters) {
      if (!req->commune().empty() && s.commune() != req->commune()) continue;
      if (req->kind() != v1::SERVICE_KIND_UNSPECIFIED && s.kind() != req->kind()) continue;
      if (!req->public_().empty() && !Contains(s.publics(), req->public_())) continue;
      if (!req->language().empty() && !Contains(s.languages(), req->language())) continue;
      if (req->has_required_conditions() && !MatchesConditions(s.conditions(), req->required_conditions())) continue;
      if (!text.empty() && Lowercase(s.name()).find(text) == std::string::npos &&
          Lowercase(s.organisation()).find(text) == std::string::npos) {
        continue;
      }
      RedactForCaller(caller, s);
      *resp->add_shelters() = std::move(s);
    }
    return absl::OkStatus();
  });
}

// ---- Pools ----

BedsService::Reactor* BedsService::DeclarePool(Ctx* ctx, const v1::DeclarePoolRequest* req, v1::DeclarePoolResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp]() -> absl::Status {
    RETURN_IF_ERROR(ValidateShelterId(req->shelter_id(), "shelter_id"));
    if (!store_.catalog().HasPublic(req->public_())) return absl::InvalidArgumentError("public: not a known public");
    RETURN_IF_ERROR(ValidateFigures(req->figures()));
    if (req->expected_version() < 0) return absl::InvalidArgumentError("expected_version: must not be negative");
    RETURN_IF_ERROR(ValidateIdempotencyKey(req->idempotency_key()));
    RETURN_IF_ERROR(MayChangePool(caller, req->shelter_id()));
    auto pool = store_.DeclarePool(PoolRef{req->shelter_id(), req->public_()}, req->figures(), req->expected_version(),
                                   req->idempotency_key(), RequestFingerprint(*req));
    if (!pool.ok()) return pool.status();
    *resp->mutable_pool() = std::move(*pool);
    return absl::OkStatus();
  });
}

absl::Status BedsService::TouchPool(const Caller& caller, const std::string& pool_id, const std::string& idem_key,
                                    const google::protobuf::Message& request, const char* action, v1::Pool* pool) {
  auto ref = ParsePoolId(pool_id, store_.catalog());
  if (!ref.ok()) return ref.status();
  RETURN_IF_ERROR(ValidateIdempotencyKey(idem_key));
  RETURN_IF_ERROR(MayChangePool(caller, ref->shelter_id));
  auto touched = store_.TouchPool(*ref, action, idem_key, RequestFingerprint(request));
  if (!touched.ok()) return touched.status();
  *pool = std::move(*touched);
  return absl::OkStatus();
}

BedsService::Reactor* BedsService::ConfirmPool(Ctx* ctx, const v1::ConfirmPoolRequest* req, v1::ConfirmPoolResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp] {
    return TouchPool(caller, req->pool_id(), req->idempotency_key(), *req, "confirm", resp->mutable_pool());
  });
}

BedsService::Reactor* BedsService::RecordDeparture(Ctx* ctx, const v1::RecordDepartureRequest* req,
                                                   v1::RecordDepartureResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp] {
    return TouchPool(caller, req->pool_id(), req->idempotency_key(), *req, "departure", resp->mutable_pool());
  });
}

// ---- Holds ----

BedsService::Reactor* BedsService::TakeHold(Ctx* ctx, const v1::TakeHoldRequest* req, v1::TakeHoldResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp]() -> absl::Status {
    auto ref = ParsePoolId(req->pool_id(), store_.catalog());
    if (!ref.ok()) return ref.status();
    if (req->request_id().empty()) return absl::InvalidArgumentError("request_id: required");
    if (!IsOpaqueId(req->request_id())) {
      return absl::InvalidArgumentError("request_id: 1 to 64 characters of letters, digits and . _ : -");
    }
    if (!v1::HoldKind_IsValid(req->kind())) return absl::InvalidArgumentError("kind: unknown hold kind");
    RETURN_IF_ERROR(ValidateIdempotencyKey(req->idempotency_key()));
    RETURN_IF_ERROR(MayTakeHold(caller, ref->public_code));
    if (req->kind() == v1::HOLD_KIND_PASS_NIGHT && !caller.Is(Role::kTeam) && !caller.Is(Role::kAdmin)) {
      return absl::PermissionDeniedError("pass night holds are taken by mobile teams");
    }
    auto kind = req->kind() == v1::HOLD_KIND_UNSPECIFIED ? v1::HOLD_KIND_STANDARD : req->kind();
    auto taken = store_.TakeHold(*ref, req->request_id(), kind, req->idempotency_key(), RequestFingerprint(*req));
    if (!taken.ok()) return taken.status();
    *resp->mutable_hold() = std::move(taken->hold);
    *resp->mutable_pool() = std::move(taken->pool);
    return absl::OkStatus();
  });
}

absl::Status BedsService::EndHold(const Caller& caller, const std::string& hold_id, const std::string& idem_key,
                                  const google::protobuf::Message& request, const char* outcome, v1::Hold* hold,
                                  v1::Pool* pool) {
  auto ref = ParseHoldId(hold_id, store_.catalog());
  if (!ref.ok()) return ref.status();
  RETURN_IF_ERROR(ValidateIdempotencyKey(idem_key));
  RETURN_IF_ERROR(MayEndHold(caller, ref->pool.shelter_id, outcome));
  auto ended = store_.EndHold(*ref, outcome, idem_key, RequestFingerprint(request));
  if (!ended.ok()) return ended.status();
  *hold = std::move(ended->hold);
  *pool = std::move(ended->pool);
  return absl::OkStatus();
}

BedsService::Reactor* BedsService::ConfirmArrival(Ctx* ctx, const v1::ConfirmArrivalRequest* req,
                                                  v1::ConfirmArrivalResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp] {
    return EndHold(caller, req->hold_id(), req->idempotency_key(), *req, "arrived", resp->mutable_hold(),
                   resp->mutable_pool());
  });
}

BedsService::Reactor* BedsService::ReportNoShow(Ctx* ctx, const v1::ReportNoShowRequest* req,
                                                v1::ReportNoShowResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp] {
    return EndHold(caller, req->hold_id(), req->idempotency_key(), *req, "no_show", resp->mutable_hold(),
                   resp->mutable_pool());
  });
}

BedsService::Reactor* BedsService::CancelHold(Ctx* ctx, const v1::CancelHoldRequest* req, v1::CancelHoldResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp] {
    return EndHold(caller, req->hold_id(), req->idempotency_key(), *req, "cancelled", resp->mutable_hold(),
                   resp->mutable_pool());
  });
}

BedsService::Reactor* BedsService::GetHold(Ctx* ctx, const v1::GetHoldRequest* req, v1::GetHoldResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp]() -> absl::Status {
    auto ref = ParseHoldId(req->hold_id(), store_.catalog());
    if (!ref.ok()) return ref.status();
    auto hold = store_.GetHold(req->hold_id());
    if (!hold.ok()) return hold.status();
    RETURN_IF_ERROR(MayReadHolds(caller, hold->shelter_id()));
    *resp->mutable_hold() = std::move(*hold);
    return absl::OkStatus();
  });
}

BedsService::Reactor* BedsService::ListHolds(Ctx* ctx, const v1::ListHoldsRequest* req, v1::ListHoldsResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp]() -> absl::Status {
    RETURN_IF_ERROR(ValidateShelterId(req->shelter_id(), "shelter_id"));
    RETURN_IF_ERROR(MayReadHolds(caller, req->shelter_id()));
    auto holds = store_.ListHolds(req->shelter_id(), req->live_only());
    if (!holds.ok()) return holds.status();
    for (auto& h : *holds) *resp->add_holds() = std::move(h);
    return absl::OkStatus();
  });
}

// ---- Availability ----

BedsService::Reactor* BedsService::GetAvailability(Ctx* ctx, const v1::GetAvailabilityRequest* req,
                                                   v1::GetAvailabilityResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp]() -> absl::Status {
    RETURN_IF_ERROR(ValidateFilter(req->filter(), store_.catalog()));
    RETURN_IF_ERROR(MayReadAvailability(caller));
    auto pools = store_.Availability(req->filter());
    if (!pools.ok()) return pools.status();
    for (auto& p : *pools) *resp->add_pools() = std::move(p);
    *resp->mutable_as_of() = TimeUtil::GetCurrentTime();
    return absl::OkStatus();
  });
}

BedsService::Reactor* BedsService::GetRegionSummary(Ctx* ctx, const v1::GetRegionSummaryRequest*,
                                                    v1::GetRegionSummaryResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, resp]() -> absl::Status {
    RETURN_IF_ERROR(MayReadSummary(caller));
    auto summary = store_.RegionSummary();
    if (!summary.ok()) return summary.status();
    *resp = std::move(*summary);
    return absl::OkStatus();
  });
}

// ---- Crises ----

BedsService::Reactor* BedsService::OpenBuffer(Ctx* ctx, const v1::OpenBufferRequest* req, v1::OpenBufferResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp]() -> absl::Status {
    if (!req->shelter_id().empty()) RETURN_IF_ERROR(ValidateShelterId(req->shelter_id(), "shelter_id"));
    if (req->reason() == v1::CRISIS_REASON_UNSPECIFIED || !v1::CrisisReason_IsValid(req->reason())) {
      return absl::InvalidArgumentError("reason: required (cold, heat, storm, sanitary or humanitarian)");
    }
    if (req->mode() == v1::CRISIS_MODE_UNSPECIFIED || !v1::CrisisMode_IsValid(req->mode())) {
      return absl::InvalidArgumentError("mode: required (12h or 24h)");
    }
    RETURN_IF_ERROR(ValidateIdempotencyKey(req->idempotency_key()));
    RETURN_IF_ERROR(MayManageCrisis(caller, req->shelter_id()));
    auto crisis = store_.OpenBuffer(req->shelter_id(), req->reason(), req->mode(), req->idempotency_key(),
                                    RequestFingerprint(*req));
    if (!crisis.ok()) return crisis.status();
    *resp->mutable_crisis() = std::move(*crisis);
    return absl::OkStatus();
  });
}

BedsService::Reactor* BedsService::CloseBuffer(Ctx* ctx, const v1::CloseBufferRequest* req, v1::CloseBufferResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp]() -> absl::Status {
    if (req->crisis_id().empty()) return absl::InvalidArgumentError("crisis_id: required");
    if (!IsOpaqueId(req->crisis_id())) return absl::InvalidArgumentError("crisis_id: not a crisis id");
    RETURN_IF_ERROR(ValidateIdempotencyKey(req->idempotency_key()));
    // Rights depend on the crisis' scope: read it first.
    auto crises = store_.ListCrises(false);
    if (!crises.ok()) return crises.status();
    auto it = std::find_if(crises->begin(), crises->end(), [&](const v1::Crisis& c) { return c.id() == req->crisis_id(); });
    RETURN_IF_ERROR(MayManageCrisis(caller, it == crises->end() ? "" : it->shelter_id()));
    auto crisis = store_.CloseBuffer(req->crisis_id(), req->idempotency_key(), RequestFingerprint(*req));
    if (!crisis.ok()) return crisis.status();
    *resp->mutable_crisis() = std::move(*crisis);
    return absl::OkStatus();
  });
}

BedsService::Reactor* BedsService::ListCrises(Ctx* ctx, const v1::ListCrisesRequest* req, v1::ListCrisesResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp]() -> absl::Status {
    RETURN_IF_ERROR(MayReadSummary(caller));
    auto crises = store_.ListCrises(req->active_only());
    if (!crises.ok()) return crises.status();
    for (auto& c : *crises) *resp->add_crises() = std::move(c);
    return absl::OkStatus();
  });
}

// ---- Live feed ----

grpc::ServerWriteReactor<v1::AvailabilityChange>* BedsService::WatchAvailability(Ctx* ctx,
                                                                                 const v1::WatchAvailabilityRequest* req) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  absl::Status refused = ValidateFilter(req->filter(), store_.catalog());
  if (refused.ok() && !req->after_event_id().empty() && req->after_event_id().size() > 40) {
    refused = absl::InvalidArgumentError("after_event_id: not a stream id");
  }
  if (refused.ok()) refused = MayReadAvailability(caller);
  if (refused.ok() && watchers_.load() >= options_.max_watchers) {
    refused = absl::ResourceExhaustedError("too many live feeds open; retry later");
  }
  return new AvailabilityWatch(redis_, store_.keys().Events(), req->filter(), req->after_event_id(), stopping_,
                               watchers_, refused);
}

}  // namespace relais::beds
