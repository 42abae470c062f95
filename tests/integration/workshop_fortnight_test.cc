// A scripted fortnight of the préconisation workshop, through the real workshop, dispatch and beds
// services: referrals (one incomplete then completed, two refused), three sessions with their agendas
// (one reordered, cases carried over), préconisations, a plan refused by the person then approved,
// priority places consumed to the last and one given back, deadlines met and missed, the live gauges,
// and the 7-day insertion indicator computed from the same event stream. Every figure is asserted.
#include <google/protobuf/util/time_util.h>

#include "common/insertion_indicator.h"
#include "tests/support/workshop_fixture.h"

namespace relais::testing {
namespace {

using google::protobuf::util::TimeUtil;
using namespace relais::v1;

class FortnightTest : public WorkshopTest {
 protected:
  // The value of the deadline gauge with this label, read from the process' registry.
  double Gauge(const std::string& deadline) {
    for (const auto& family : h().registry().Collect()) {
      if (family.name != "relais_workshop_deadline_cases") continue;
      for (const auto& metric : family.metric) {
        for (const auto& label : metric.label) {
          if (label.name == "deadline" && label.value == deadline) return metric.gauge.value;
        }
      }
    }
    ADD_FAILURE() << "no gauge " << deadline;
    return -1;
  }

  void Sweep() { ASSERT_TRUE(h().workshop_runtime().sweeper().RunOnce().ok()); }

  std::vector<std::string> AgendaOf(const Session& s) {
    std::vector<std::string> ids;
    for (const auto& item : s.agenda()) ids.push_back(item.case_id());
    return ids;
  }
};

TEST_F(FortnightTest, TwoWeeksOfTheWorkshop) {
  // Persons recorded by the hotline. p1, p2, p3 enter emergency shelter on Saturday evening, p5 on Sunday.
  std::string p1 = NewPerson(), p2 = NewPerson(), p3 = NewPerson(), p4 = NewPerson(), p5 = NewPerson(),
              p6 = NewPerson();
  std::string p_dispatch_only = NewPerson(CONSENT_SCOPE_DISPATCH);
  At("2025-03-01T20:00");
  EntersShelter(p1);
  EntersShelter(p2);
  EntersShelter(p3);
  At("2025-03-02T20:00");
  EntersShelter(p5);

  // ---- Monday 3 March: referrals ----
  At("2025-03-03T09:00");
  Case a = Register(Referral(p1, "ilot", Facts(URGENCY_HIGH, "sw-anna")), ShelterAccount("ilot"));
  EXPECT_EQ(a.state(), CASE_STATE_WAITING);
  EXPECT_EQ(a.consent().recorded_by(), "shelter-desk");
  EXPECT_EQ(TimeUtil::TimestampToMilliseconds(a.deadline()), MsOf("2025-03-10T09:00"));
  h().clock().Advance(std::chrono::minutes(10));
  Case b = Register(Referral(p2, "cpas-ixelles", Facts(URGENCY_MEDIUM, "sw-bert")), Operator());
  h().clock().Advance(std::chrono::minutes(10));
  Case c = Register(Referral(p3, "ilot", Facts(URGENCY_LOW, "sw-carla")), ShelterAccount("ilot"));
  h().clock().Advance(std::chrono::minutes(10));
  CaseFacts partial = Facts(URGENCY_HIGH, "");
  partial.clear_situation_since();
  Case d = Register(Referral(p4, "street-work-diogenes", partial), Team("street-work-diogenes"));
  EXPECT_EQ(d.state(), CASE_STATE_INCOMPLETE);
  ASSERT_EQ(d.missing_size(), 2);
  EXPECT_EQ(d.missing(0), "facts.situation_since");
  EXPECT_EQ(d.missing(1), "facts.referent");
  h().clock().Advance(std::chrono::minutes(10));
  Case e = Register(Referral(p5, "", Facts(URGENCY_LOW, "")), WorkshopAccount());  // no referent: direct
  EXPECT_TRUE(e.direct());
  EXPECT_EQ(e.state(), CASE_STATE_WAITING);

  // Refused referrals: no consent to share with the workshop, a second open case for p1.
  RegisterCaseResponse refused;
  auto s = w().RegisterCase(Harness::As(Operator()).get(), Referral(p_dispatch_only, "ilot", Facts(URGENCY_LOW)), &refused);
  EXPECT_EQ(s.error_code(), grpc::FAILED_PRECONDITION);
  EXPECT_EQ(s.error_message().rfind("person_id", 0), 0u);
  s = w().RegisterCase(Harness::As(Operator()).get(), Referral(p1, "ilot", Facts(URGENCY_LOW)), &refused);
  EXPECT_EQ(s.error_code(), grpc::ALREADY_EXISTS);

  // The workshop read the person's record through dispatch, on behalf of the account that sent the
  // referral, and the person's audit trail says so; the refused second referral read nothing.
  ListPersonAuditRequest audit;
  audit.set_person_id(p1);
  ListPersonAuditResponse trail;
  ASSERT_TRUE(h().dispatch().ListPersonAudit(Harness::As(Admin()).get(), audit, &trail).ok());
  ASSERT_EQ(trail.entries_size(), 1);
  EXPECT_EQ(trail.entries(0).role(), "workshop");
  EXPECT_EQ(trail.entries(0).subject(), "shelter-desk");
  EXPECT_EQ(trail.entries(0).purpose(), READ_PURPOSE_ORIENTATION);

  // Receiving services reserve places for the workshop; the hotline proposes housing to p3.
  At("2025-03-03T15:00");
  EXPECT_EQ(DeclarePlaces("mda-1", 2, ShelterAccount("mda-1")).free(), 2);
  EXPECT_EQ(DeclarePlaces("hf-bxl", 1, WorkshopAccount()).free(), 1);
  At("2025-03-03T16:00");
  ProposeInsertionRequest insertion;
  insertion.set_person_id(p3);
  insertion.set_service_id("hf-bxl");
  insertion.set_kind(SOLUTION_KIND_INSERTION);
  insertion.set_idempotency_key(Key());
  ProposeInsertionResponse proposed;
  ASSERT_TRUE(h().dispatch().ProposeInsertion(Harness::As(Operator()).get(), insertion, &proposed).ok());

  // ---- Tuesday 4 March, session 1 (capacity 3) ----
  At("2025-03-04T09:00");
  SetSessionMembersRequest members;
  for (auto [service, role] : std::vector<std::pair<std::string, MemberRole>>{
           {"ilot", MEMBER_ROLE_SENDING_SERVICE}, {"cpas-ixelles", MEMBER_ROLE_SENDING_SERVICE},
           {"mda-1", MEMBER_ROLE_RECEIVING_SERVICE}, {"hf-bxl", MEMBER_ROLE_RECEIVING_SERVICE},
           {"orientation-cell", MEMBER_ROLE_ORIENTATION_CELL}}) {
    SessionMember* m = members.add_members();
    m->set_service_id(service);
    m->set_role(role);
  }
  SessionMember* expert = members.add_members();
  expert->set_service_id("smes-b");
  expert->set_role(MEMBER_ROLE_EXPERT);
  expert->set_expertise(DOMAIN_MENTAL_HEALTH);
  members.set_idempotency_key(Key());
  SetSessionMembersResponse with_members;
  ASSERT_TRUE(w().SetSessionMembers(Harness::As(WorkshopAccount()).get(), members, &with_members).ok());
  EXPECT_EQ(with_members.session().id(), "2025-03-04T10:00");  // the next session
  EXPECT_EQ(with_members.session().members_size(), 6);

  auto built = Build();  // by deadline and urgency: a (high), b (medium), c (low); e waits, d is incomplete
  EXPECT_EQ(built.added(), 3);
  EXPECT_EQ(built.waiting(), 1);
  EXPECT_EQ(AgendaOf(built.session()), (std::vector<std::string>{a.id(), b.id(), c.id()}));
  EXPECT_TRUE(built.session().agenda(0).person_invited());
  EXPECT_TRUE(built.session().agenda(0).referent_invited());
  EXPECT_EQ(built.session().agenda(0).referent(), "sw-anna");

  ReorderAgendaRequest reorder;  // c's person can only come first thing
  reorder.set_session_id("2025-03-04T10:00");
  reorder.set_case_id(c.id());
  reorder.set_position(1);
  reorder.set_reason(REORDER_REASON_PERSON_AVAILABILITY);
  reorder.set_idempotency_key(Key());
  ReorderAgendaResponse reordered;
  ASSERT_TRUE(w().ReorderAgenda(Harness::As(WorkshopAccount()).get(), reorder, &reordered).ok());
  EXPECT_EQ(AgendaOf(reordered.session()), (std::vector<std::string>{c.id(), a.id(), b.id()}));

  At("2025-03-04T10:30");
  c = Preconise(c.id(), ORIENTATION_HOUSING_FIRST, "hf-bxl", 9);
  EXPECT_EQ(c.state(), CASE_STATE_PRECONISED);
  EXPECT_EQ(c.deadline_outcome(), DEADLINE_OUTCOME_MET);
  EXPECT_EQ(c.plan().number(), 1);
  EXPECT_EQ(c.plan().parties_size(), 4);  // person, sending service, receiving service, orientation cell
  a = Preconise(a.id(), ORIENTATION_MAISON_ACCUEIL, "mda-1");
  EXPECT_EQ(a.deadline_outcome(), DEADLINE_OUTCOME_MET);
  At("2025-03-04T12:00");
  Session closed = CloseSession("2025-03-04T10:00");  // b was not reached
  EXPECT_EQ(closed.state(), SESSION_STATE_CLOSED);
  EXPECT_EQ(closed.examined(), 2);
  EXPECT_EQ(closed.carried_over(), 1);
  EXPECT_EQ(GetCase(b.id()).state(), CASE_STATE_WAITING);

  // Approvals: a's plan approved by every party (each for itself where it can), c's refused by the person.
  At("2025-03-04T14:00");
  a = Answer(a.id(), PARTY_PERSON, true);
  RecordApprovalRequest sending;
  sending.set_case_id(a.id());
  sending.set_plan_number(1);
  sending.set_party(PARTY_SENDING_SERVICE);
  sending.set_approved(true);
  sending.set_idempotency_key(Key());
  RecordApprovalResponse answered;
  ASSERT_TRUE(w().RecordApproval(Harness::As(ShelterAccount("ilot")).get(), sending, &answered).ok());
  sending.set_party(PARTY_RECEIVING_SERVICE);
  sending.set_idempotency_key(Key());
  EXPECT_EQ(w().RecordApproval(Harness::As(ShelterAccount("ilot")).get(), sending, &answered).error_code(),
            grpc::PERMISSION_DENIED) << "ilot does not answer for mda-1";
  ASSERT_TRUE(w().RecordApproval(Harness::As(ShelterAccount("mda-1")).get(), sending, &answered).ok());
  a = Answer(a.id(), PARTY_ORIENTATION_CELL, true);
  EXPECT_EQ(a.state(), CASE_STATE_APPROVED);
  EXPECT_EQ(a.plan().state(), PLAN_STATE_APPROVED);
  TakePriorityPlaceResponse taken;
  ASSERT_TRUE(TakePlace(a.id(), &taken).ok());
  EXPECT_EQ(taken.pool().used(), 1);
  EXPECT_EQ(taken.case_().priority_place_service_id(), "mda-1");

  c = Answer(c.id(), PARTY_PERSON, false, PLAN_REFUSAL_REASON_ORIENTATION_NOT_WANTED);
  EXPECT_EQ(c.state(), CASE_STATE_WAITING);  // back to the agenda
  EXPECT_EQ(c.plan().state(), PLAN_STATE_REFUSED);
  EXPECT_EQ(c.refusals(), 1);

  // ---- Wednesday: d is completed (now urgent, it goes first) ----
  At("2025-03-05T10:00");
  UpdateCaseRequest complete;
  complete.set_case_id(d.id());
  *complete.mutable_facts() = Facts(URGENCY_HIGH, "sw-dario");
  complete.set_expected_version(d.version());
  complete.set_idempotency_key(Key());
  UpdateCaseResponse completed;
  ASSERT_TRUE(w().UpdateCase(Harness::As(Team("street-work-diogenes")).get(), complete, &completed).ok());
  EXPECT_EQ(completed.case_().state(), CASE_STATE_WAITING);
  EXPECT_EQ(completed.case_().missing_size(), 0);

  // ---- Friday 7 March, session 2 ----
  At("2025-03-07T12:00");
  built = Build("2025-03-07T14:00");  // d (high: Mar 8), b (medium: Mar 9), c (low: Mar 10 09:20); e waits
  EXPECT_EQ(AgendaOf(built.session()), (std::vector<std::string>{d.id(), b.id(), c.id()}));
  EXPECT_EQ(built.waiting(), 1);
  At("2025-03-07T14:30");
  b = Preconise(b.id(), ORIENTATION_MAISON_ACCUEIL, "mda-1");
  EXPECT_EQ(b.deadline_outcome(), DEADLINE_OUTCOME_MET);
  c = Preconise(c.id(), ORIENTATION_MAISON_ACCUEIL, "mda-1");
  EXPECT_EQ(c.plan().number(), 2);
  d = Preconise(d.id(), ORIENTATION_HOUSING_FIRST, "hf-bxl", 8);
  c = ApproveAll(c.id());
  d = ApproveAll(d.id());
  b = ApproveAll(b.id());
  EXPECT_EQ(c.state(), CASE_STATE_APPROVED);
  EXPECT_EQ(d.state(), CASE_STATE_APPROVED);
  EXPECT_EQ(b.state(), CASE_STATE_APPROVED);
  ASSERT_TRUE(TakePlace(c.id(), &taken).ok());
  EXPECT_EQ(taken.pool().free(), 0);  // mda-1's last place
  ASSERT_TRUE(TakePlace(d.id(), &taken).ok());
  EXPECT_EQ(taken.pool().service_id(), "hf-bxl");
  EXPECT_EQ(taken.pool().free(), 0);
  s = TakePlace(b.id(), &taken);
  EXPECT_EQ(s.error_code(), grpc::FAILED_PRECONDITION) << "no priority place left at mda-1";
  s = TakePlace(d.id(), &taken);
  EXPECT_EQ(s.error_code(), grpc::FAILED_PRECONDITION) << "a plan never holds two places";
  // a's person left the maison d'accueil: the service gives the place back, and b's plan takes it.
  ReleasePriorityPlaceRequest release;
  release.set_case_id(a.id());
  release.set_idempotency_key(Key());
  ReleasePriorityPlaceResponse released;
  ASSERT_TRUE(w().ReleasePriorityPlace(Harness::As(ShelterAccount("mda-1")).get(), release, &released).ok());
  EXPECT_EQ(released.pool().free(), 1);
  ASSERT_TRUE(TakePlace(b.id(), &taken).ok());
  EXPECT_EQ(taken.pool().free(), 0);
  closed = CloseSession("2025-03-07T14:00");
  EXPECT_EQ(closed.examined(), 3);
  EXPECT_EQ(closed.carried_over(), 0);

  // ---- Monday 10 March: e (registered Mar 3 09:40) passes its deadline ----
  At("2025-03-10T08:00");
  std::string p7 = NewPerson();
  Case g = Register(Referral(p7, "cpas-ixelles", Facts(URGENCY_MEDIUM, "sw-gina")), Operator());
  Sweep();
  EXPECT_EQ(Gauge("overdue"), 0);
  EXPECT_EQ(Gauge("near"), 1);  // e, due at 09:40
  ListCasesRequest near;
  ListCasesResponse listed;
  ASSERT_TRUE(w().ListCases(Harness::As(WorkshopAccount()).get(), near, &listed).ok());
  EXPECT_EQ(listed.cases_size(), 6);
  EXPECT_EQ(listed.near_deadline(), 1);
  At("2025-03-10T10:00");
  Sweep();
  EXPECT_EQ(Gauge("overdue"), 1);
  EXPECT_EQ(Gauge("near"), 0);
  EXPECT_EQ(GetCase(e.id()).deadline_outcome(), DEADLINE_OUTCOME_MISSED);
  EXPECT_TRUE(GetCase(e.id()).overdue());
  Sweep();  // a second pass records nothing more

  // ---- Tuesday 11 March, session 3: e (late) and g ----
  At("2025-03-11T09:00");
  built = Build();
  EXPECT_EQ(built.session().id(), "2025-03-11T10:00");
  EXPECT_EQ(AgendaOf(built.session()), (std::vector<std::string>{e.id(), g.id()}));
  EXPECT_FALSE(built.session().agenda(0).referent_invited()) << "e has no referent worker";
  At("2025-03-11T10:15");
  e = Preconise(e.id(), ORIENTATION_FAMILY, "");  // back to the family: no receiving service
  EXPECT_EQ(e.plan().parties_size(), 2);           // the person and the orientation cell
  e = ApproveAll(e.id());
  EXPECT_EQ(e.state(), CASE_STATE_APPROVED);
  EXPECT_EQ(e.deadline_outcome(), DEADLINE_OUTCOME_MISSED);
  closed = CloseSession("2025-03-11T10:00");
  EXPECT_EQ(closed.examined(), 1);
  EXPECT_EQ(closed.carried_over(), 1);  // g

  // ---- Thursday 13: p6 enters shelter; Saturday 15: g is near its deadline; Monday 17: missed ----
  At("2025-03-13T21:00");
  EntersShelter(p6);
  At("2025-03-15T10:00");
  Sweep();
  EXPECT_EQ(Gauge("overdue"), 0);
  EXPECT_EQ(Gauge("near"), 1);
  At("2025-03-17T09:00");
  Sweep();
  EXPECT_EQ(Gauge("overdue"), 1);
  EXPECT_EQ(Gauge("near"), 0);

  // ---- The fortnight's figures ----
  auto summary = Summary();
  EXPECT_EQ(summary.incomplete(), 0);
  EXPECT_EQ(summary.waiting(), 1);  // g
  EXPECT_EQ(summary.scheduled(), 0);
  EXPECT_EQ(summary.preconised(), 0);
  EXPECT_EQ(summary.approved(), 5);  // a b c d e
  EXPECT_EQ(summary.overdue(), 1);
  EXPECT_EQ(summary.near_deadline(), 0);
  EXPECT_EQ(summary.deadlines_met(), 4);    // a b c d
  EXPECT_EQ(summary.deadlines_missed(), 2);  // e g
  EXPECT_EQ(summary.plans_refused(), 1);
  EXPECT_EQ(summary.priority_places(), 3);
  EXPECT_EQ(summary.priority_places_used(), 3);  // mda-1: c and b; hf-bxl: d

  auto events = EventCounts();
  EXPECT_EQ(events["case.registered"], 6);
  EXPECT_EQ(events["case.updated"], 1);
  EXPECT_EQ(events["session.members_set"], 1);
  EXPECT_EQ(events["session.agenda_built"], 3);
  EXPECT_EQ(events["case.scheduled"], 8);
  EXPECT_EQ(events["session.agenda_reordered"], 1);
  EXPECT_EQ(events["case.carried_over"], 2);
  EXPECT_EQ(events["session.closed"], 3);
  EXPECT_EQ(events["case.preconised"], 6);
  EXPECT_EQ(events["case.deadline_met"], 4);
  EXPECT_EQ(events["case.deadline_missed"], 2);
  EXPECT_EQ(events["plan.answered"], 4 + 1 + 4 + 4 + 4 + 2);
  EXPECT_EQ(events["plan.approved"], 5);
  EXPECT_EQ(events["plan.refused"], 1);
  EXPECT_EQ(events["priority_place.declared"], 2);
  EXPECT_EQ(events["priority_place.taken"], 4);
  EXPECT_EQ(events["priority_place.released"], 1);
  EXPECT_EQ(events["insertion.proposed"], 1);

  // Events carry ids and categories only: the plan's goal never leaves the plan.
  int first_preconisations = 0;
  std::map<std::string, int> orientations;
  for (const auto& ev : Events()) {
    for (const auto& [field, value] : ev) EXPECT_EQ(value.find("Zebulon"), std::string::npos) << field;
    if (ev.at("type") == "case.preconised") {
      EXPECT_EQ(ev.at("source"), "workshop");
      EXPECT_FALSE(ev.at("person").empty());
      first_preconisations += ev.at("first") == "1";
      orientations[ev.at("orientation")]++;
    }
  }
  EXPECT_EQ(first_preconisations, 5);
  EXPECT_EQ(orientations["ORIENTATION_MAISON_ACCUEIL"], 3);
  EXPECT_EQ(orientations["ORIENTATION_HOUSING_FIRST"], 2);
  EXPECT_EQ(orientations["ORIENTATION_FAMILY"], 1);

  // The 7-day insertion indicator from the same stream, for 1-15 March. Entered: p1 p2 p3 (Mar 1 20:00),
  // p5 (Mar 2 20:00), p6 (Mar 13 21:00). p1: préconisation Mar 4 (met). p2: Mar 7 (met, 5.8 days).
  // p3: dispatch's housing proposal Mar 3 (met). p5 (case e): Mar 11, 8.6 days (missed). p6: no
  // proposal, still inside 7 days on Mar 15 (pending). Share: 3 met / (3 + 1) = 75 %.
  relais::InsertionIndicator indicator;
  for (const auto& ev : Events()) indicator.Add(IndicatorEvent::FromStreamEntry(ev));
  auto share = indicator.ForPeriod(MsOf("2025-03-01T00:00"), MsOf("2025-03-15T00:00"));
  EXPECT_EQ(share.cohort, 5);
  EXPECT_EQ(share.met, 3);
  EXPECT_EQ(share.missed, 1);
  EXPECT_EQ(share.pending, 1);
  EXPECT_DOUBLE_EQ(share.share(), 0.75);
  for (const auto& person : share.persons) {
    if (person.person == p3) {
      EXPECT_EQ(person.first_proposal_source, "dispatch");
    }
    if (person.person == p1) {
      EXPECT_EQ(person.first_proposal_source, "workshop");
    }
  }
}

}  // namespace
}  // namespace relais::testing
