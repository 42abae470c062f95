// ProposeInsertion: an operator or a mobile team records that a prevention or insertion solution of the
// directory was proposed to a person. Its `insertion.proposed` event counts for the 7-day insertion
// indicator (common/insertion_indicator.h).
#include "common/grpc_status.h"
#include "common/idempotency.h"
#include "common/status_macros.h"
#include "services/dispatch/rank.h"
#include "services/dispatch/rules.h"
#include "services/dispatch/service.h"

namespace relais::dispatch {

using namespace relais::v1;

DispatchService::Reactor* DispatchService::ProposeInsertion(Ctx* ctx, const ProposeInsertionRequest* req,
                                                            ProposeInsertionResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp]() -> absl::Status {
    RETURN_IF_ERROR(MayProposeInsertion(caller));
    RETURN_IF_ERROR(ValidateProposeInsertion(*req));
    RETURN_IF_ERROR(ValidateIdempotencyKey(req->idempotency_key()));
    auto service = beds_.Shelter(caller, req->service_id());
    if (absl::IsNotFound(service.status())) return absl::NotFoundError("service_id: not in the directory");
    if (!service.ok()) return service.status();
    if (!IsInsertionService(service->kind())) {
      return absl::FailedPreconditionError("service_id: not a housing, maison d'accueil or CPAS service");
    }
    InsertionProposal proposal;
    proposal.set_person_id(req->person_id());
    proposal.set_service_id(req->service_id());
    proposal.set_kind(req->kind());
    proposal.set_proposed_by(caller.subject);
    auto recorded = store_.ProposeInsertion(std::move(proposal), ServiceKind_Name(service->kind()),
                                            req->idempotency_key(), RequestFingerprint(*req));
    if (!recorded.ok()) return recorded.status();
    *resp->mutable_proposal() = std::move(*recorded);
    return absl::OkStatus();
  });
}

}  // namespace relais::dispatch
