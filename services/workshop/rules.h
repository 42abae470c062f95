#pragma once
// What the workshop service accepts, what a referral still misses, and who may do what. Pure
// functions, unit-tested.
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "common/identity.h"
#include "relais/v1/workshop.pb.h"

namespace relais::workshop {

// Limits on what callers may send.
inline constexpr int kMaxGoals = 10;
inline constexpr size_t kMaxGoalLength = 300;
inline constexpr int kMaxReviewDates = 12;
inline constexpr int kMaxMembers = 30;
inline constexpr int kMaxPriorityPlaces = 1000;
inline constexpr int kMinPlanMonths = 6;
inline constexpr int kMaxPlanMonths = 9;
inline constexpr size_t kMaxAccountLength = 64;

bool IsCaseId(std::string_view id);     // w<24 hex>
bool IsServiceId(std::string_view id);  // a directory id: [a-z0-9_-]{2,64}
bool IsAccount(std::string_view id);    // an account: [A-Za-z0-9._@:-]{1,64}

absl::Status ValidateCaseId(std::string_view id);
absl::Status ValidateServiceId(std::string_view field, std::string_view id);
// The facts present must be valid; missing ones are reported by Missing(), not refused.
absl::Status ValidateFacts(const relais::v1::CaseFacts& facts, int64_t now_ms);
// What the completeness check still misses before the case can go on an agenda (field names).
std::vector<std::string> Missing(const relais::v1::CaseFacts& facts, bool direct);
absl::Status ValidateRegisterCase(const relais::v1::RegisterCaseRequest& r, int64_t now_ms);
absl::Status ValidatePreconisation(const relais::v1::Preconisation& p);
// A plan as proposed in session: goals, 6-9 months, a reference operator, review dates within it.
absl::Status ValidatePlan(const relais::v1::Plan& plan, int64_t now_ms);
absl::Status ValidateApproval(const relais::v1::RecordApprovalRequest& r);
absl::Status ValidateMembers(const google::protobuf::RepeatedPtrField<relais::v1::SessionMember>& members);
absl::Status ValidateReorder(const relais::v1::ReorderAgendaRequest& r);
absl::Status ValidateDeclarePlaces(const relais::v1::DeclarePriorityPlacesRequest& r);

// Rights. Each answers OK or PERMISSION_DENIED with the reason.
// Partner services register referrals: the hotline, shelters (for themselves), mobile teams, the
// workshop, admin. Only the orientation cell (workshop) and admin register a case directly.
absl::Status MayRegisterCase(const Caller& caller, const relais::v1::RegisterCaseRequest& r);
// Completing a referral: the workshop, admin, the account that registered it, the sending shelter.
absl::Status MayUpdateCase(const Caller& caller, const relais::v1::Case& c);
// Reading a case: the workshop, admin, the sending or receiving shelter, the referent worker and the
// plan's reference operator.
absl::Status MayReadCase(const Caller& caller, const relais::v1::Case& c);
// Listing cases: the workshop and admin (every case), a shelter (the cases it sent).
absl::Status MayListCases(const Caller& caller);
// Running the workshop: sessions, agendas, préconisations, priority places taken for plans.
absl::Status MayRunWorkshop(const Caller& caller);
// Recording a party's answer to a plan: the workshop and admin for any party, a shelter for the party
// it is (sending or receiving service), the referent worker for the person or the sending service.
absl::Status MayRecordApproval(const Caller& caller, const relais::v1::Case& c, relais::v1::Party party);
// Declaring priority places: the receiving service itself, the workshop, admin.
absl::Status MayDeclarePlaces(const Caller& caller, std::string_view service_id);
// Giving a priority place back (the person left): the workshop, admin, the receiving service.
absl::Status MayReleasePlace(const Caller& caller, std::string_view service_id);
absl::Status MayListPlaces(const Caller& caller);
// Aggregate counts: monitoring, the workshop, admin.
absl::Status MayReadSummary(const Caller& caller);

}  // namespace relais::workshop
