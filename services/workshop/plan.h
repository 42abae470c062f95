#pragma once
// The life of a case's outcome, without Redis: whose approval a plan needs, how an approval changes
// the plan, and the order of the queue the agendas are built from. Pure functions, unit-tested.
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "relais/v1/workshop.pb.h"

namespace relais::workshop {

inline constexpr int64_t kDeadlineMs = 7LL * 24 * 3600 * 1000;  // from registration

// The person and the orientation cell always; the sending service unless the cell registered the case
// directly; the receiving service when the orientation names one.
std::vector<relais::v1::Party> PartiesFor(bool direct, const std::string& receiving_service_id);

// The queue's order: by deadline, an urgent case moved ahead (high: 2 days, medium: 1 day), then by
// registration (the score ties are broken by case id in Redis; registration is in the deadline).
int64_t QueueScore(int64_t deadline_ms, relais::v1::Urgency urgency);

enum class PlanOutcome { kAwaiting, kApproved, kRefused };

// Adds a party's answer to the plan (which must await approvals). FAILED_PRECONDITION when the party
// is not one of the plan's or already answered. A refusal refuses the plan; the last approval
// approves it.
absl::StatusOr<PlanOutcome> ApplyApproval(relais::v1::Plan& plan, const relais::v1::Approval& approval);

}  // namespace relais::workshop
