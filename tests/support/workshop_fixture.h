#pragma once
// GoogleTest fixture for workshop integration tests: the BedsTest fixture (a private Redis, the
// services in-process) with a directory of sending and receiving services, a schedule of small
// sessions, and helpers that go through the real gRPC APIs.
#include <map>
#include <string>

#include "tests/support/beds_fixture.h"

namespace relais::testing {

class WorkshopTest : public BedsTest {
 protected:
  // The schedule: Tuesday 10:00 and Friday 14:00 (UTC), three cases each.
  static constexpr char kSchedule[] = "tue@10:00=3,fri@14:00=3";

  void SetUp() override;
  virtual std::string ScheduleSpec() const { return kSchedule; }
  // Stops the services and starts them again on the same Redis (the clock keeps its time).
  void RestartServices();
  relais::v1::Workshop::Stub& w() { return h().workshop(); }

  // Moves the clock to a UTC date and time, e.g. At("2025-03-03T09:00").
  void At(const std::string& when);
  static int64_t MsOf(const std::string& when);

  // A person recorded by dispatch, with a consent of this scope for 60 days.
  std::string NewPerson(relais::v1::ConsentScope scope = relais::v1::CONSENT_SCOPE_ORIENTATION);
  // The person enters emergency shelter now: request, proposal accepted, arrival confirmed at "ilot".
  void EntersShelter(const std::string& person_id);

  // Facts with nothing missing.
  relais::v1::CaseFacts Facts(relais::v1::Urgency urgency, const std::string& referent = "sw-anna");
  relais::v1::RegisterCaseRequest Referral(const std::string& person_id, const std::string& sending_service,
                                           relais::v1::CaseFacts facts);
  // Helpers that must succeed (they fail the test otherwise).
  relais::v1::Case Register(const relais::v1::RegisterCaseRequest& r, const Caller& caller);
  relais::v1::Case GetCase(const std::string& case_id);
  relais::v1::BuildAgendaResponse Build(const std::string& session_id = "");
  relais::v1::Session CloseSession(const std::string& session_id);
  // A plan for 6 months with one goal and one review date; the description is `kGoalText`.
  relais::v1::Plan MakePlan(int months = 6, const std::string& reference = "ref-op-1");
  relais::v1::Case Preconise(const std::string& case_id, relais::v1::Orientation orientation,
                             const std::string& service, int months = 6);
  relais::v1::Case Answer(const std::string& case_id, relais::v1::Party party, bool approved,
                          relais::v1::PlanRefusalReason reason = relais::v1::PLAN_REFUSAL_REASON_UNSPECIFIED);
  // Every party of the current plan approves, each through the workshop account.
  relais::v1::Case ApproveAll(const std::string& case_id);
  relais::v1::PriorityPool DeclarePlaces(const std::string& service_id, int places, const Caller& caller);
  grpc::Status TakePlace(const std::string& case_id, relais::v1::TakePriorityPlaceResponse* resp);
  relais::v1::GetWorkshopSummaryResponse Summary();
  // A case registered from `sending`, put on the next session's agenda, préconised towards `receiving`
  // (empty: the family) and approved by every party. The clock must be before the next session.
  relais::v1::Case ApprovedCase(const std::string& receiving, const std::string& sending = "ilot");

  // Events of the stream by type.
  std::map<std::string, int> EventCounts();

  static constexpr char kGoalText[] = "Zebulon Quaxwright wants to find work near his sister";  // never in events
};

}  // namespace relais::testing
