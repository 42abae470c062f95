// Bad input to the workshop service: each invalid or refused request gets its expected status, a
// message naming the field, and changes nothing (every key of Redis, the event stream and the persons'
// audit trails included, is the same after).
#include <google/protobuf/util/time_util.h>

#include <functional>

#include "tests/support/workshop_fixture.h"

namespace relais::testing {
namespace {

using google::protobuf::util::TimeUtil;
using namespace relais::v1;

struct BadCase {
  std::string name;
  grpc::StatusCode code;
  std::string field;  // the message must start with it (empty: not checked)
  std::function<grpc::Status(Workshop::Stub&)> call;
};

template <typename Req, typename Resp>
std::function<grpc::Status(Workshop::Stub&)> Call(
    grpc::Status (Workshop::Stub::*method)(grpc::ClientContext*, const Req&, Resp*), Req req,
    Caller caller = WorkshopAccount()) {
  return [method, req, caller](Workshop::Stub& stub) {
    Resp resp;
    return (stub.*method)(Harness::As(caller).get(), req, &resp);
  };
}

class WorkshopBadInputTest : public WorkshopTest {};

TEST_F(WorkshopBadInputTest, EachBadRequestGetsItsStatusAndChangesNothing) {
  // State to refuse against: an approved plan holding mda-1's only priority place, a case on the
  // agenda of Tuesday's session (not started yet), a waiting one, a person without the workshop consent.
  DeclarePlaces("mda-1", 1, ShelterAccount("mda-1"));
  Case approved = ApprovedCase("mda-1");
  TakePriorityPlaceResponse taken;
  ASSERT_TRUE(TakePlace(approved.id(), &taken).ok());
  std::string scheduled_person = NewPerson();
  Case scheduled = Register(Referral(scheduled_person, "ilot", Facts(URGENCY_HIGH)), WorkshopAccount());
  Build();
  Case waiting = Register(Referral(NewPerson(), "ilot", Facts(URGENCY_LOW)), WorkshopAccount());
  std::string no_consent = NewPerson(CONSENT_SCOPE_DISPATCH);
  std::string fresh = NewPerson();
  ASSERT_EQ(GetCase(scheduled.id()).state(), CASE_STATE_SCHEDULED);
  const std::string session = "2025-03-04T10:00";
  int64_t now = h().clock().NowMs();

  std::vector<BadCase> cases;
  int n = 0;
  auto key = [&n] { return "bad-input-key-" + std::to_string(++n); };

  // ---- RegisterCase ----
  auto referral = [&](std::string name, grpc::StatusCode code, std::string field,
                      std::function<void(RegisterCaseRequest&)> spoil, Caller caller = WorkshopAccount()) {
    RegisterCaseRequest r = Referral(fresh, "ilot", Facts(URGENCY_MEDIUM));
    r.set_idempotency_key(key());
    spoil(r);
    cases.push_back({name, code, field, Call(&Workshop::Stub::RegisterCase, r, caller)});
  };
  using enum grpc::StatusCode;
  referral("no person", INVALID_ARGUMENT, "person_id", [](auto& r) { r.clear_person_id(); });
  referral("a name as person id", INVALID_ARGUMENT, "person_id", [](auto& r) { r.set_person_id("Jean Dupont"); });
  referral("unknown person", NOT_FOUND, "person_id", [](auto& r) { r.set_person_id("p000000000000000000000000"); });
  referral("no consent to share with the workshop", FAILED_PRECONDITION, "person_id",
           [&](auto& r) { r.set_person_id(no_consent); });
  referral("a second open case", ALREADY_EXISTS, "person_id", [&](auto& r) { r.set_person_id(scheduled_person); });
  referral("consent not given", INVALID_ARGUMENT, "consent.given", [](auto& r) { r.mutable_consent()->set_given(false); });
  referral("consent given tomorrow", INVALID_ARGUMENT, "consent.given_at", [&](auto& r) {
    *r.mutable_consent()->mutable_given_at() = TimeUtil::MillisecondsToTimestamp(now + 24 * 3600 * 1000LL);
  });
  referral("consent recorded by the caller", INVALID_ARGUMENT, "consent.recorded_by",
           [](auto& r) { r.mutable_consent()->set_recorded_by("someone"); });
  referral("no sending service", INVALID_ARGUMENT, "sending_service_id", [](auto& r) { r.clear_sending_service_id(); });
  referral("sending service not in the directory", NOT_FOUND, "sending_service_id",
           [](auto& r) { r.set_sending_service_id("nowhere"); });
  referral("direct with a sending service", INVALID_ARGUMENT, "sending_service_id", [](auto& r) { r.set_direct(true); });
  referral("direct with a referent", INVALID_ARGUMENT, "facts.referent", [](auto& r) {
    r.set_direct(true);
    r.clear_sending_service_id();
  });
  referral("a domain twice", INVALID_ARGUMENT, "facts.domains",
           [](auto& r) { r.mutable_facts()->add_domains(DOMAIN_MENTAL_HEALTH); });
  referral("an unknown domain", INVALID_ARGUMENT, "facts.domains",
           [](auto& r) { r.mutable_facts()->add_domains(static_cast<Domain>(99)); });
  referral("situation since tomorrow", INVALID_ARGUMENT, "facts.situation_since", [&](auto& r) {
    *r.mutable_facts()->mutable_situation_since() = TimeUtil::MillisecondsToTimestamp(now + 24 * 3600 * 1000LL);
  });
  referral("a name as referent", INVALID_ARGUMENT, "facts.referent",
           [](auto& r) { r.mutable_facts()->set_referent("Anna Janssens"); });
  referral("short idempotency key", INVALID_ARGUMENT, "idempotency_key", [](auto& r) { r.set_idempotency_key("k"); });
  referral("a shelter refers for another", PERMISSION_DENIED, "", [](auto&) {}, ShelterAccount("cpas-ixelles"));
  referral("a shelter registers directly", PERMISSION_DENIED, "", [](auto& r) {
    r.set_direct(true);
    r.clear_sending_service_id();
    r.mutable_facts()->clear_referent();
  }, ShelterAccount("ilot"));
  referral("monitoring refers", PERMISSION_DENIED, "", [](auto&) {}, Monitoring());
  referral("anonymous refers", PERMISSION_DENIED, "", [](auto&) {}, Anonymous());

  // ---- UpdateCase ----
  auto update = [&](std::string name, grpc::StatusCode code, std::string field,
                    std::function<void(UpdateCaseRequest&)> spoil, Caller caller = WorkshopAccount()) {
    UpdateCaseRequest r;
    r.set_case_id(waiting.id());
    *r.mutable_facts() = Facts(URGENCY_HIGH);
    r.set_expected_version(1);
    r.set_idempotency_key(key());
    spoil(r);
    cases.push_back({name, code, field, Call(&Workshop::Stub::UpdateCase, r, caller)});
  };
  update("malformed case id", INVALID_ARGUMENT, "case_id", [](auto& r) { r.set_case_id("w-1 OR 1=1"); });
  update("unknown case", NOT_FOUND, "case_id", [](auto& r) { r.set_case_id("w000000000000000000000000"); });
  update("no expected version", INVALID_ARGUMENT, "expected_version", [](auto& r) { r.clear_expected_version(); });
  update("a stale version", ABORTED, "expected_version", [](auto& r) { r.set_expected_version(7); });
  update("a case on an agenda", FAILED_PRECONDITION, "case_id", [&](auto& r) { r.set_case_id(scheduled.id()); });
  update("another shelter", PERMISSION_DENIED, "", [](auto&) {}, ShelterAccount("cpas-ixelles"));

  // ---- Sessions ----
  {
    BuildAgendaRequest r;
    r.set_idempotency_key(key());
    r.set_session_id("2025-03-05T10:00");
    cases.push_back({"a session not on the schedule", INVALID_ARGUMENT, "session_id", Call(&Workshop::Stub::BuildAgenda, r)});
    r.set_session_id("next tuesday");
    cases.push_back({"a malformed session", INVALID_ARGUMENT, "session_id", Call(&Workshop::Stub::BuildAgenda, r)});
    r.set_session_id("2025-02-30T10:00");
    cases.push_back({"a date that does not exist", INVALID_ARGUMENT, "session_id", Call(&Workshop::Stub::BuildAgenda, r)});
    r.set_session_id(session);
    cases.push_back({"the hotline builds an agenda", PERMISSION_DENIED, "", Call(&Workshop::Stub::BuildAgenda, r, Operator())});
  }
  {
    ReorderAgendaRequest r;
    r.set_session_id(session);
    r.set_case_id(scheduled.id());
    r.set_position(1);
    r.set_reason(REORDER_REASON_URGENCY);
    r.set_idempotency_key(key());
    auto spoiled = [&](std::function<void(ReorderAgendaRequest&)> spoil) {
      ReorderAgendaRequest copy = r;
      copy.set_idempotency_key(key());
      spoil(copy);
      return copy;
    };
    cases.push_back({"reorder to position 0", INVALID_ARGUMENT, "position",
                     Call(&Workshop::Stub::ReorderAgenda, spoiled([](auto& x) { x.set_position(0); }))});
    cases.push_back({"reorder past the end", INVALID_ARGUMENT, "position",
                     Call(&Workshop::Stub::ReorderAgenda, spoiled([](auto& x) { x.set_position(5); }))});
    cases.push_back({"reorder without a reason", INVALID_ARGUMENT, "reason",
                     Call(&Workshop::Stub::ReorderAgenda, spoiled([](auto& x) { x.clear_reason(); }))});
    cases.push_back({"reorder a case not on the agenda", NOT_FOUND, "case_id",
                     Call(&Workshop::Stub::ReorderAgenda, spoiled([&](auto& x) { x.set_case_id(waiting.id()); }))});
    cases.push_back({"reorder a session without agenda", NOT_FOUND, "session_id",
                     Call(&Workshop::Stub::ReorderAgenda, spoiled([](auto& x) { x.set_session_id("2025-03-07T14:00"); }))});
  }
  {
    SetSessionMembersRequest r;
    r.set_session_id(session);
    r.set_idempotency_key(key());
    cases.push_back({"no members", INVALID_ARGUMENT, "members", Call(&Workshop::Stub::SetSessionMembers, r)});
    SessionMember* m = r.add_members();
    m->set_service_id("smes-b");
    m->set_role(MEMBER_ROLE_EXPERT);
    r.set_idempotency_key(key());
    cases.push_back({"an expert without a domain", INVALID_ARGUMENT, "members.expertise",
                     Call(&Workshop::Stub::SetSessionMembers, r)});
    m->set_expertise(DOMAIN_ADDICTION);
    *r.add_members() = *m;
    r.set_idempotency_key(key());
    cases.push_back({"a member twice", INVALID_ARGUMENT, "members", Call(&Workshop::Stub::SetSessionMembers, r)});
  }
  {
    CloseSessionRequest r;
    r.set_idempotency_key(key());
    cases.push_back({"close without a session", INVALID_ARGUMENT, "session_id", Call(&Workshop::Stub::CloseSession, r)});
  }

  // ---- Preconise ----
  auto preconise = [&](std::string name, grpc::StatusCode code, std::string field,
                       std::function<void(PreconiseRequest&)> spoil, Caller caller = WorkshopAccount()) {
    PreconiseRequest r;
    r.set_case_id(scheduled.id());
    r.mutable_preconisation()->set_orientation(ORIENTATION_HOUSING_FIRST);
    r.mutable_preconisation()->set_receiving_service_id("hf-bxl");
    *r.mutable_plan() = MakePlan();
    r.set_expected_version(1);
    r.set_idempotency_key(key());
    spoil(r);
    cases.push_back({name, code, field, Call(&Workshop::Stub::Preconise, r, caller)});
  };
  preconise("before the session starts", FAILED_PRECONDITION, "case_id", [](auto&) {});
  preconise("a case not on an agenda", FAILED_PRECONDITION, "case_id", [&](auto& r) { r.set_case_id(waiting.id()); });
  preconise("no orientation", INVALID_ARGUMENT, "preconisation.orientation",
            [](auto& r) { r.mutable_preconisation()->clear_orientation(); });
  preconise("housing without a receiving service", INVALID_ARGUMENT, "preconisation.receiving_service_id",
            [](auto& r) { r.mutable_preconisation()->clear_receiving_service_id(); });
  preconise("session set by the caller", INVALID_ARGUMENT, "preconisation.session_id",
            [&](auto& r) { r.mutable_preconisation()->set_session_id(session); });
  preconise("a plan of 5 months", INVALID_ARGUMENT, "plan.duration_months", [](auto& r) { r.mutable_plan()->set_duration_months(5); });
  preconise("a plan of 10 months", INVALID_ARGUMENT, "plan.duration_months", [](auto& r) { r.mutable_plan()->set_duration_months(10); });
  preconise("no goals", INVALID_ARGUMENT, "plan.goals", [](auto& r) { r.mutable_plan()->clear_goals(); });
  preconise("a goal of 301 bytes", INVALID_ARGUMENT, "plan.goals.description",
            [](auto& r) { r.mutable_plan()->mutable_goals(0)->set_description(std::string(301, 'x')); });
  preconise("no reference operator", INVALID_ARGUMENT, "plan.reference_operator",
            [](auto& r) { r.mutable_plan()->clear_reference_operator(); });
  preconise("a review in the past", INVALID_ARGUMENT, "plan.review_dates", [&](auto& r) {
    *r.mutable_plan()->mutable_review_dates(0) = TimeUtil::MillisecondsToTimestamp(now - 1000);
  });
  preconise("a review after the plan", INVALID_ARGUMENT, "plan.review_dates", [&](auto& r) {
    *r.mutable_plan()->mutable_review_dates(0) = TimeUtil::MillisecondsToTimestamp(now + 300 * 24 * 3600 * 1000LL);
  });
  preconise("a plan number from the caller", INVALID_ARGUMENT, "plan.state", [](auto& r) { r.mutable_plan()->set_number(3); });
  preconise("no expected version", INVALID_ARGUMENT, "expected_version", [](auto& r) { r.clear_expected_version(); });
  preconise("a shelter préconises", PERMISSION_DENIED, "", [](auto&) {}, ShelterAccount("ilot"));

  // ---- RecordApproval ----
  auto answer = [&](std::string name, grpc::StatusCode code, std::string field,
                    std::function<void(RecordApprovalRequest&)> spoil, Caller caller = WorkshopAccount()) {
    RecordApprovalRequest r;
    r.set_case_id(scheduled.id());
    r.set_plan_number(1);
    r.set_party(PARTY_PERSON);
    r.set_approved(true);
    r.set_idempotency_key(key());
    spoil(r);
    cases.push_back({name, code, field, Call(&Workshop::Stub::RecordApproval, r, caller)});
  };
  answer("no plan awaits approvals", FAILED_PRECONDITION, "case_id", [](auto&) {});
  answer("an approved plan again", FAILED_PRECONDITION, "case_id", [&](auto& r) { r.set_case_id(approved.id()); });
  answer("no party", INVALID_ARGUMENT, "party", [](auto& r) { r.clear_party(); });
  answer("a refusal without reason", INVALID_ARGUMENT, "reason", [](auto& r) { r.set_approved(false); });
  answer("an approval with a reason", INVALID_ARGUMENT, "reason",
         [](auto& r) { r.set_reason(PLAN_REFUSAL_REASON_TOO_FAR); });
  answer("no plan number", INVALID_ARGUMENT, "plan_number", [](auto& r) { r.clear_plan_number(); });
  answer("a shelter answers for the person", PERMISSION_DENIED, "", [&](auto& r) { r.set_case_id(approved.id()); },
         ShelterAccount("ilot"));

  // ---- Priority places ----
  auto declare = [&](std::string name, grpc::StatusCode code, std::string field, std::string service, int places,
                     Caller caller = WorkshopAccount()) {
    DeclarePriorityPlacesRequest r;
    r.set_service_id(service);
    r.set_places(places);
    r.set_idempotency_key(key());
    cases.push_back({name, code, field, Call(&Workshop::Stub::DeclarePriorityPlaces, r, caller)});
  };
  declare("negative places", INVALID_ARGUMENT, "places", "mda-1", -1);
  declare("1001 places", INVALID_ARGUMENT, "places", "mda-1", 1001);
  declare("fewer places than plans hold", FAILED_PRECONDITION, "places", "mda-1", 0);
  declare("a service not in the directory", NOT_FOUND, "service_id", "nowhere", 2);
  declare("a malformed service", INVALID_ARGUMENT, "service_id", "MDA 1", 2);
  declare("a shelter declares for another", PERMISSION_DENIED, "", "mda-1", 2, ShelterAccount("ilot"));
  {
    TakePriorityPlaceRequest r;
    r.set_case_id(approved.id());
    r.set_idempotency_key(key());
    cases.push_back({"a second place for a plan", FAILED_PRECONDITION, "case_id", Call(&Workshop::Stub::TakePriorityPlace, r)});
    r.set_case_id(scheduled.id());
    r.set_idempotency_key(key());
    cases.push_back({"a place without a plan", FAILED_PRECONDITION, "case_id", Call(&Workshop::Stub::TakePriorityPlace, r)});
    r.set_idempotency_key(key());
    cases.push_back({"a shelter takes a place", PERMISSION_DENIED, "", Call(&Workshop::Stub::TakePriorityPlace, r, ShelterAccount("mda-1"))});
  }
  {
    ReleasePriorityPlaceRequest r;
    r.set_case_id(scheduled.id());
    r.set_idempotency_key(key());
    cases.push_back({"release a place never taken", FAILED_PRECONDITION, "case_id",
                     Call(&Workshop::Stub::ReleasePriorityPlace, r)});
    r.set_case_id(approved.id());
    r.set_idempotency_key(key());
    cases.push_back({"another shelter releases", PERMISSION_DENIED, "", Call(&Workshop::Stub::ReleasePriorityPlace, r, ShelterAccount("ilot"))});
  }

  // ---- Reads refused ----
  {
    GetCaseRequest r;
    r.set_case_id(approved.id());
    cases.push_back({"monitoring reads a case", PERMISSION_DENIED, "", Call(&Workshop::Stub::GetCase, r, Monitoring())});
    cases.push_back({"an unrelated shelter reads a case", PERMISSION_DENIED, "",
                     Call(&Workshop::Stub::GetCase, r, ShelterAccount("cpas-ixelles"))});
    cases.push_back({"a team lists cases", PERMISSION_DENIED, "", Call(&Workshop::Stub::ListCases, ListCasesRequest(), Team())});
    cases.push_back({"the hotline reads the summary", PERMISSION_DENIED, "",
                     Call(&Workshop::Stub::GetWorkshopSummary, GetWorkshopSummaryRequest(), Operator())});
  }

  for (const auto& c : cases) {
    auto before = Snapshot();
    auto s = c.call(w());
    EXPECT_EQ(s.error_code(), c.code) << c.name << ": " << s.error_message();
    if (!c.field.empty()) {
      EXPECT_EQ(s.error_message().rfind(c.field, 0), 0u) << c.name << ": " << s.error_message();
    }
    EXPECT_EQ(Snapshot(), before) << c.name << " changed the state";
  }
  EXPECT_GE(cases.size(), 70u);
}

}  // namespace
}  // namespace relais::testing
