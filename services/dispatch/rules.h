#pragma once
// What the dispatch service accepts and who may do what. Pure functions, unit-tested.
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/identity.h"
#include "relais/v1/dispatch.pb.h"

namespace relais::dispatch {

// Limits on what callers may send.
inline constexpr size_t kMaxAliasLength = 60;
inline constexpr size_t kMaxContactLength = 40;
inline constexpr int kMaxLanguages = 10;
inline constexpr int kMaxAdults = 10;
inline constexpr int kMaxChildren = 15;
inline constexpr int kMaxGridCriteria = 50;
inline constexpr int kMaxGridWeight = 100;
inline constexpr int kMaxPreferredCommunes = 5;
inline constexpr size_t kMaxAddressLength = 200;
inline constexpr size_t kMaxSpotDescriptionLength = 500;

bool IsCallId(std::string_view id);     // c<24 hex>, as made by NewCallId
bool IsPersonId(std::string_view id);   // p<24 hex>, as made by NewPersonId
bool IsLanguage(std::string_view code); // 2-3 lowercase letters (ISO 639)

absl::Status ValidateOpenCall(const relais::v1::OpenCallRequest& r);
absl::Status ValidateCallId(std::string_view id);
absl::Status ValidateContact(std::string_view field, std::string_view contact, bool required);
// A person as sent by a caller; `now_ms` to check a consent's expiry.
absl::Status ValidatePerson(const relais::v1::Person& p, int64_t now_ms);
absl::Status ValidatePersonId(std::string_view id);
absl::Status ValidateConsentChange(const relais::v1::SetConsentRequest& r, int64_t now_ms);
absl::Status ValidateGrid(const relais::v1::VulnerabilityGrid& g);
bool IsRequestId(std::string_view id);   // r<24 hex>
bool IsProposalId(std::string_view id);  // x<24 hex>
absl::Status ValidateRequestId(std::string_view id);
absl::Status ValidateProposalId(std::string_view id);
absl::Status ValidatePlaceRequest(const relais::v1::CreatePlaceRequestRequest& r);
bool IsReportId(std::string_view id);    // s<24 hex>
absl::Status ValidateReportId(std::string_view id, std::string_view field = "report_id");
absl::Status ValidateStreetReport(const relais::v1::StreetReport& r);
// Two reports of the same spot: the same address (ignoring case and spaces) or within 150 m.
bool SameSpot(const relais::v1::StreetReport& a, const relais::v1::StreetReport& b);
// "<shelter_id>:<public>" split in two, each part well-formed (the beds service checks the rest).
absl::StatusOr<std::pair<std::string, std::string>> SplitPoolId(std::string_view pool_id);

// A consent in force: a scope, not withdrawn, not expired.
bool ConsentInForce(const relais::v1::Consent& c, int64_t now_ms);

// Rights. Each answers OK or PERMISSION_DENIED with the reason.
absl::Status MayHandleCalls(const Caller& caller);
absl::Status MayDispatch(const Caller& caller);  // requests, proposals, queue
absl::Status MayTakeReports(const Caller& caller);  // the hotline takes street reports
// Reading or moving a report on: the hotline, or the team it is routed to.
absl::Status MayFollowReport(const Caller& caller, const relais::v1::StreetReport& report);
absl::Status MayWritePerson(const Caller& caller);
absl::Status MayProposeInsertion(const Caller& caller);  // the hotline and mobile teams
absl::Status ValidateProposeInsertion(const relais::v1::ProposeInsertionRequest& r);
// Reading a person: the role decides whether and which consent scope the read needs
// (CONSENT_SCOPE_UNSPECIFIED: none). Returns the scope needed, or PERMISSION_DENIED.
absl::StatusOr<relais::v1::ConsentScope> ScopeNeededToRead(const Caller& caller, relais::v1::ReadPurpose purpose);
absl::Status MayReadAudit(const Caller& caller);
absl::Status MaySetGrid(const Caller& caller);
absl::Status MayReadGrid(const Caller& caller);

}  // namespace relais::dispatch
