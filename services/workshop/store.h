#pragma once
// The workshop service's state in Redis. Every change is one Lua script (services/workshop/lua/) that
// checks, changes, appends its events and stores the idempotent answer atomically. Inputs are validated
// by the caller (service.cc); the case's content is computed there, the scripts check the state it
// depends on (version, state, session, places left).
#include <chrono>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "common/redis.h"
#include "relais/v1/workshop.pb.h"
#include "services/workshop/keys.h"
#include "services/workshop/schedule.h"

namespace relais::workshop {

struct StoreOptions {
  std::string region = "brussels";
  std::chrono::hours near_deadline{48};  // a case awaiting a préconisation this close to its deadline is flagged
};

// Cases awaiting a préconisation past their deadline, and within the warning window of it.
struct DeadlineCounts {
  int overdue = 0;
  int near = 0;
};

class Store {
 public:
  Store(RedisPool& redis, const Clock& clock, StoreOptions options);

  // Cases. `c` carries what the service computed (facts, consent, sending service, registered_by);
  // answers the new case's id (a retry: the first call's).
  absl::StatusOr<std::string> RegisterCase(const relais::v1::Case& c, const std::string& idem_key,
                                           const std::string& fingerprint);
  absl::StatusOr<relais::v1::Case> GetCase(const std::string& case_id);
  // The person's open case (until its plan is approved), or an empty string.
  absl::StatusOr<std::string> OpenCaseOf(const std::string& person_id);
  // Replaces the facts of a waiting case read at `expected_version` (ABORTED when it changed).
  absl::Status UpdateCase(const relais::v1::Case& c, int64_t expected_version, const std::string& idem_key,
                          const std::string& fingerprint);
  // By deadline; `state` UNSPECIFIED: every state; `sending_services` non-empty: only theirs.
  absl::StatusOr<std::vector<relais::v1::Case>> ListCases(relais::v1::CaseState state, bool overdue_only,
                                                          const std::vector<std::string>& sending_services, int limit);

  // Sessions.
  absl::StatusOr<relais::v1::Session> GetSession(const SessionSlot& slot);
  absl::StatusOr<int> BuildAgenda(const SessionSlot& slot, const std::string& idem_key, const std::string& fingerprint);
  absl::Status ReorderAgenda(const SessionSlot& slot, const std::string& case_id, int position,
                             relais::v1::ReorderReason reason, const std::string& idem_key,
                             const std::string& fingerprint);
  absl::Status SetMembers(const SessionSlot& slot, const google::protobuf::RepeatedPtrField<relais::v1::SessionMember>& members,
                          const std::string& idem_key, const std::string& fingerprint);
  absl::Status CloseSession(const SessionSlot& slot, const std::string& idem_key, const std::string& fingerprint);
  int64_t QueueLength();

  // Préconisation and plan: `c` is the case with its new préconisation and plan.
  absl::Status Preconise(const relais::v1::Case& c, int64_t expected_version, const std::string& idem_key,
                         const std::string& fingerprint);
  // `c` is the case with the party's answer added to its plan; `outcome` is "awaiting", "approved" or
  // "refused" (the plan's state after it).
  absl::Status DecidePlan(const relais::v1::Case& c, int64_t expected_version, const relais::v1::Approval& answer,
                          const std::string& outcome, const std::string& idem_key, const std::string& fingerprint);

  // Whether the call `method` with this key was already answered (a retry), before the service
  // computes a change that a retry would find already made. ALREADY_EXISTS for another request.
  absl::StatusOr<bool> AlreadyAnswered(const std::string& method, const std::string& idem_key,
                                       const std::string& fingerprint);

  // Priority places.
  absl::StatusOr<relais::v1::PriorityPool> DeclarePlaces(const std::string& service_id, int places,
                                                         const std::string& idem_key, const std::string& fingerprint);
  // op: "take" or "release" of the case's priority place at `service_id`.
  absl::StatusOr<relais::v1::PriorityPool> PriorityPlace(const std::string& op, const std::string& case_id,
                                                         const std::string& service_id, const std::string& idem_key,
                                                         const std::string& fingerprint);
  absl::StatusOr<std::vector<relais::v1::PriorityPool>> ListPlaces();

  // Deadlines.
  // Records the missed deadlines due now (at most `max`); answers how many were recorded.
  absl::StatusOr<int> SweepDeadlines(int max);
  absl::StatusOr<DeadlineCounts> CountDeadlines();
  absl::StatusOr<relais::v1::GetWorkshopSummaryResponse> Summary();

  int64_t NowMs() const { return clock_.NowMs(); }
  const Keys& keys() const { return keys_; }

 private:
  std::string RetentionMs() const;
  absl::StatusOr<relais::v1::Case> CaseFromFields(const std::string& id, const redisReply* fields) const;
  void Flag(relais::v1::Case& c) const;  // overdue, near deadline, missing

  RedisPool& redis_;
  const Clock& clock_;
  StoreOptions options_;
  Keys keys_;
  LuaScript register_case_, update_case_, build_agenda_, reorder_agenda_, set_members_, close_session_, preconise_,
      decide_plan_, declare_priority_, priority_place_, record_missed_, idem_check_;
};

// Enum codes stored in Redis and events: the enum's own names (URGENCY_HIGH, ...).
std::string StateCode(relais::v1::CaseState state);
relais::v1::CaseState StateFromCode(std::string_view code);

// A case from its stored fields (HMGET of the case hash, the store's field order), with the flags
// judged at `now_ms`: overdue, near its deadline (within `near_window_ms`), what it misses. NOT_FOUND
// when the reply holds no case; a reply of another shape reads as empty values, never past its end.
absl::StatusOr<relais::v1::Case> CaseFromFields(const std::string& id, const redisReply* fields, int64_t now_ms,
                                                int64_t near_window_ms);
void FlagCase(relais::v1::Case& c, int64_t now_ms, int64_t near_window_ms);

}  // namespace relais::workshop
