#include "services/workshop/plan.h"

#include <algorithm>

namespace relais::workshop {

using namespace relais::v1;

std::vector<Party> PartiesFor(bool direct, const std::string& receiving_service_id) {
  std::vector<Party> parties = {PARTY_PERSON};
  if (!direct) parties.push_back(PARTY_SENDING_SERVICE);
  if (!receiving_service_id.empty()) parties.push_back(PARTY_RECEIVING_SERVICE);
  parties.push_back(PARTY_ORIENTATION_CELL);
  return parties;
}

int64_t QueueScore(int64_t deadline_ms, Urgency urgency) {
  constexpr int64_t kDay = 24 * 3600 * 1000LL;
  switch (urgency) {
    case URGENCY_HIGH: return deadline_ms - 2 * kDay;
    case URGENCY_MEDIUM: return deadline_ms - kDay;
    default: return deadline_ms;
  }
}

absl::StatusOr<PlanOutcome> ApplyApproval(Plan& plan, const Approval& approval) {
  if (plan.state() != PLAN_STATE_AWAITING_APPROVALS) {
    return absl::FailedPreconditionError("plan_number: the plan is no longer awaiting approvals");
  }
  if (std::find(plan.parties().begin(), plan.parties().end(), approval.party()) == plan.parties().end()) {
    return absl::FailedPreconditionError("party: not a party to this plan");
  }
  for (const auto& a : plan.approvals()) {
    if (a.party() == approval.party()) return absl::FailedPreconditionError("party: already answered this plan");
  }
  *plan.add_approvals() = approval;
  if (!approval.approved()) {
    plan.set_state(PLAN_STATE_REFUSED);
    *plan.mutable_decided_at() = approval.at();
    return PlanOutcome::kRefused;
  }
  for (int party : plan.parties()) {
    bool approved = std::any_of(plan.approvals().begin(), plan.approvals().end(),
                                [&](const Approval& a) { return a.party() == party && a.approved(); });
    if (!approved) return PlanOutcome::kAwaiting;
  }
  plan.set_state(PLAN_STATE_APPROVED);
  *plan.mutable_decided_at() = approval.at();
  return PlanOutcome::kApproved;
}

}  // namespace relais::workshop
