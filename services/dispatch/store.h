#pragma once
// The dispatch service's state in Redis. Every change is one Lua script that checks, changes and
// appends its event atomically; a read of a person and its audit entry are one script too.
// Inputs are validated by the caller (service.cc).
#include <chrono>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "common/redis.h"
#include "relais/v1/dispatch.pb.h"
#include "services/dispatch/keys.h"

namespace relais::dispatch {

struct StoreOptions {
  std::string region = "brussels";
  std::chrono::minutes call_target{10};  // a call should be answered within this
};

// Who reads a person's record and why: what the audit trail keeps.
struct Reader {
  std::string subject;
  std::string role;
  relais::v1::ReadPurpose purpose = relais::v1::READ_PURPOSE_UNSPECIFIED;
  relais::v1::ConsentScope scope_needed = relais::v1::CONSENT_SCOPE_UNSPECIFIED;
};

class Store {
 public:
  Store(RedisPool& redis, const Clock& clock, StoreOptions options);

  // Calls. `request` is the caller's request in deterministic bytes (idempotency fingerprint).
  absl::StatusOr<relais::v1::Call> OpenCall(relais::v1::CallerKind kind, const std::string& language,
                                            const std::string& idem_key, const std::string& request);
  // step: "answer", "end", "miss" or "call_back" (see lua/call_step.lua).
  struct CallStep {
    std::string step;
    std::string operator_subject;
    relais::v1::CallOutcome outcome = relais::v1::CALL_OUTCOME_UNSPECIFIED;
    std::string contact;
    std::string call_back_result;  // "done" or "unreachable"
  };
  absl::StatusOr<relais::v1::Call> StepCall(const std::string& call_id, const CallStep& step,
                                            const std::string& idem_key, const std::string& request);
  absl::StatusOr<relais::v1::ListCallsResponse> ListCalls(relais::v1::CallList list, int limit);

  // Persons.
  absl::StatusOr<relais::v1::Person> CreatePerson(relais::v1::Person person, const std::string& idem_key,
                                                  const std::string& request);
  // Replaces the record if its version is still `expected_version`; ABORTED otherwise.
  absl::StatusOr<relais::v1::Person> ReplacePerson(relais::v1::Person person, int64_t expected_version,
                                                   const std::string& event_type, const std::string& idem_key,
                                                   const std::string& request);
  // The record for the service's own use while changing it (consent, version): never handed to a
  // caller as a read, so not audited.
  absl::StatusOr<relais::v1::Person> LoadPerson(const std::string& person_id);
  // Reads the record and audits the read, in one step.
  absl::StatusOr<relais::v1::Person> ReadPerson(const std::string& person_id, const Reader& reader);
  absl::StatusOr<std::vector<relais::v1::AuditEntry>> PersonAudit(const std::string& person_id, int limit);

  // Requests and proposals. `request` carries publics, preferences and lane; `facts` is the person's
  // record without alias, kept with the request for ranking.
  absl::StatusOr<std::string> CreateRequest(const relais::v1::PlaceRequest& request, relais::v1::Person facts,
                                            const std::string& idem_key, const std::string& fingerprint);
  absl::StatusOr<relais::v1::PlaceRequest> GetRequest(const std::string& request_id);
  absl::StatusOr<relais::v1::Person> RequestFacts(const std::string& request_id);
  absl::StatusOr<std::string> Propose(const std::string& request_id, const std::string& pool_id,
                                      const std::string& public_code, const std::string& idem_key,
                                      const std::string& fingerprint);
  absl::StatusOr<relais::v1::Proposal> GetProposal(const std::string& proposal_id);
  // decision: "accepted" (with the hold id), "refused" (with the reason) or "place_gone".
  absl::Status Decide(const relais::v1::Proposal& proposal, relais::v1::Lane lane, const std::string& decision,
                      const std::string& hold_id, relais::v1::RefusalReason reason, const std::string& public_code,
                      const std::string& idem_key, const std::string& fingerprint);
  absl::StatusOr<relais::v1::ListQueueResponse> ListQueue(relais::v1::Lane lane, int limit);
  // Records the requests still waiting as unmet for the night now ending.
  absl::StatusOr<relais::v1::CloseNightResponse> CloseNight(const std::string& idem_key, const std::string& fingerprint);

  // Street reports. `report` is validated, with route and team set.
  absl::StatusOr<std::string> CreateReport(const relais::v1::StreetReport& report, const std::string& idem_key,
                                           const std::string& fingerprint);
  absl::StatusOr<relais::v1::StreetReport> GetReport(const std::string& report_id);
  struct ReportStep {
    relais::v1::StreetReportState next = relais::v1::STREET_REPORT_STATE_UNSPECIFIED;
    relais::v1::StreetOutcome outcome = relais::v1::STREET_OUTCOME_UNSPECIFIED;
    std::string new_team;      // the team after the step (the same unless an operator re-routes)
    std::string acting_team;   // the team of a `team` caller; empty for the hotline
    std::string merged_into;
  };
  absl::Status AdvanceReport(const relais::v1::StreetReport& current, const ReportStep& step,
                             const std::string& idem_key, const std::string& fingerprint);
  // Newest first; a team's own reports, or every report when `team` is empty.
  absl::StatusOr<std::vector<relais::v1::StreetReport>> ListReports(const std::string& team, bool open_only, int limit);
  // Open reports of a commune taken since `since_ms`: candidates for merging.
  absl::StatusOr<std::vector<relais::v1::StreetReport>> OpenReportsIn(const std::string& commune, int64_t since_ms);

  // Pass night. The night of a moment is the date of the evening it began (noon to noon, UTC).
  static std::string NightOf(int64_t ms);
  struct Reservation {
    int used = 0;          // this night, this one included
    std::string pool_id;   // the pool chosen by the first call with this key
  };
  absl::StatusOr<Reservation> ReservePassNight(const std::string& team, int quota, const std::string& pool_id,
                                               const std::string& idem_key, const std::string& fingerprint);
  absl::Status ReleasePassNight(const std::string& team, const std::string& idem_key);
  absl::StatusOr<int> PassNightUsed(const std::string& team);

  // The vulnerability grid in force (the default one, version 0, until one is set).
  absl::StatusOr<relais::v1::VulnerabilityGrid> Grid();
  absl::StatusOr<relais::v1::VulnerabilityGrid> SetGrid(relais::v1::VulnerabilityGrid grid, const std::string& idem_key,
                                                        const std::string& request);

  // An insertion or prevention solution proposed to a person (the person must exist).
  absl::StatusOr<relais::v1::InsertionProposal> ProposeInsertion(relais::v1::InsertionProposal proposal,
                                                                 const std::string& service_kind,
                                                                 const std::string& idem_key,
                                                                 const std::string& fingerprint);

  const StoreOptions& options() const { return options_; }
  int64_t NowMs() const { return clock_.NowMs(); }

 private:
  std::string RetentionMs() const;
  relais::v1::Call CallFromFields(std::string id, const redisReply* r, size_t first) const;

  RedisPool& redis_;
  const Clock& clock_;
  StoreOptions options_;
  Keys keys_;
  LuaScript open_call_, call_step_, create_person_, update_person_, read_person_, set_grid_, create_request_, propose_,
      decide_proposal_, create_report_, advance_report_, pass_night_, close_night_, propose_insertion_;
};

// The categorical facts of a person that events carry: never the alias. Enums go to Redis and to
// events by name (CALLER_KIND_POLICE, ...), so both read without a lookup table.
std::vector<std::string> PersonEventFields(const relais::v1::Person& person);

}  // namespace relais::dispatch
