// A scripted night at the hotline, through the real dispatch and beds services: calls (one past the
// 10-minute target, one missed and called back), four persons in their lanes, proposals refused and
// accepted, a family placed from an offer, a woman placed when a place frees up, a medical request left
// waiting, a pass night, street reports through every state and a merge, and the night's close-out.
// Every figure of the resulting state is asserted.
#include <map>

#include "tests/support/beds_fixture.h"

namespace relais::testing {
namespace {

using namespace relais::v1;

class NightTest : public BedsTest {
 protected:
  Dispatch::Stub& d() { return h().dispatch(); }

  template <typename Req, typename Resp>
  Resp Must(grpc::Status (Dispatch::Stub::*method)(grpc::ClientContext*, const Req&, Resp*), Req req,
            const Caller& caller = Operator()) {
    Resp resp;
    auto s = (d().*method)(Harness::As(caller).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp;
  }

  Call OpenCall(CallerKind kind) {
    OpenCallRequest r;
    r.set_caller_kind(kind);
    r.set_language("fr");
    r.set_idempotency_key(Key());
    return Must(&Dispatch::Stub::OpenCall, r).call();
  }
  void Answer(const std::string& id) {
    AnswerCallRequest r;
    r.set_call_id(id);
    r.set_idempotency_key(Key());
    Must(&Dispatch::Stub::AnswerCall, r);
  }
  void End(const std::string& id, CallOutcome outcome) {
    EndCallRequest r;
    r.set_call_id(id);
    r.set_outcome(outcome);
    r.set_idempotency_key(Key());
    Must(&Dispatch::Stub::EndCall, r);
  }
  PlaceRequest RequestFor(Person p) {
    CreatePersonRequest c;
    p.mutable_household()->set_adults(std::max(1, p.household().adults()));
    p.add_languages("fr");
    *c.mutable_person() = p;
    c.set_idempotency_key(Key());
    auto person = Must(&Dispatch::Stub::CreatePerson, c).person();
    CreatePlaceRequestRequest r;
    r.set_person_id(person.id());
    r.set_idempotency_key(Key());
    return Must(&Dispatch::Stub::CreatePlaceRequest, r).request();
  }
  Proposal ProposeTo(const std::string& request, const std::string& pool) {
    ProposeRequest r;
    r.set_request_id(request);
    r.set_pool_id(pool);
    r.set_idempotency_key(Key());
    return Must(&Dispatch::Stub::Propose, r).proposal();
  }
  AcceptProposalResponse Accept(const std::string& proposal) {
    AcceptProposalRequest r;
    r.set_proposal_id(proposal);
    r.set_idempotency_key(Key());
    return Must(&Dispatch::Stub::AcceptProposal, r);
  }
  std::map<std::string, int> EventTypes() {
    std::map<std::string, int> out;
    for (auto& e : Events()) ++out[e["type"]];
    return out;
  }
};

TEST_F(NightTest, AScriptedNight) {
  CreateShelter(MakeShelter("ilot", "ixelles"));
  CreateShelter(MakeShelter("samusocial", "anderlecht"));
  Declare("ilot", "single_men", 10, 0, 8);     // 2 free
  Declare("ilot", "single_women", 4, 0, 4);    // full
  Declare("samusocial", "families", 3, 0, 2);  // 1 free
  Declare("ilot", "medical", 2, 0, 2);         // full
  auto base_events = EventTypes();

  // 20:00 — calls. One waits 12 minutes, one caller hangs up and leaves a number, one still waits.
  Call slow = OpenCall(CALLER_KIND_PERSON);
  h().clock().Advance(std::chrono::minutes(12));
  Answer(slow.id());
  Call quick = OpenCall(CALLER_KIND_POLICE);
  Answer(quick.id());
  End(quick.id(), CALL_OUTCOME_STREET_REPORT_TAKEN);
  Call hung_up = OpenCall(CALLER_KIND_CITIZEN);
  MissCallRequest miss;
  miss.set_call_id(hung_up.id());
  miss.set_call_back_contact("+32 2 111 22 33");
  miss.set_idempotency_key(Key());
  Must(&Dispatch::Stub::MissCall, miss);
  Call waiting = OpenCall(CALLER_KIND_HOSPITAL);

  // Four persons, four requests.
  Person man;
  man.set_gender(GENDER_MAN);
  Person woman;
  woman.set_gender(GENDER_WOMAN);
  woman.add_needs(NEED_VICTIM_OF_VIOLENCE);
  Person family;
  family.set_gender(GENDER_WOMAN);
  family.mutable_household()->set_adults(1);
  family.mutable_household()->set_children(2);
  Person ill;
  ill.set_gender(GENDER_MAN);
  ill.add_needs(NEED_MEDICAL);
  PlaceRequest a = RequestFor(man);
  h().clock().Advance(std::chrono::minutes(1));
  PlaceRequest b = RequestFor(woman);
  h().clock().Advance(std::chrono::minutes(1));
  PlaceRequest c = RequestFor(family);
  h().clock().Advance(std::chrono::minutes(1));
  PlaceRequest dd = RequestFor(ill);
  EXPECT_EQ(a.lane(), LANE_STANDARD);
  EXPECT_EQ(b.lane(), LANE_PRIORITY);
  EXPECT_EQ(c.lane(), LANE_PRIORITY);
  EXPECT_EQ(dd.lane(), LANE_MEDICAL);

  // The man refuses the first proposal, then accepts the second.
  RefuseProposalRequest refuse;
  refuse.set_proposal_id(ProposeTo(a.id(), "ilot:single_men").id());
  refuse.set_reason(REFUSAL_REASON_TOO_FAR);
  refuse.set_idempotency_key(Key());
  auto refused = Must(&Dispatch::Stub::RefuseProposal, refuse);
  EXPECT_EQ(refused.request().lane(), LANE_STANDARD);
  EXPECT_EQ(refused.request().queue_position(), 1);
  EXPECT_EQ(Accept(ProposeTo(a.id(), "ilot:single_men").id()).proposal().state(), PROPOSAL_STATE_ACCEPTED);

  // Offers: the family gets the family place; the woman nothing yet (no single women's place free).
  auto offers = Must(&Dispatch::Stub::ListOffers, ListOffersRequest());
  ASSERT_EQ(offers.offers_size(), 1);
  EXPECT_EQ(offers.offers(0).request().id(), c.id());
  EXPECT_EQ(offers.offers(0).candidate().pool_id(), "samusocial:families");
  EXPECT_EQ(Accept(ProposeTo(c.id(), "samusocial:families").id()).proposal().state(), PROPOSAL_STATE_ACCEPTED);

  // 23:10 — a woman leaves Ilot: the place is offered to the waiting woman first.
  RecordDepartureRequest departure;
  departure.set_pool_id("ilot:single_women");
  departure.set_idempotency_key(Key());
  RecordDepartureResponse departed;
  ASSERT_TRUE(beds().RecordDeparture(Harness::As(ShelterAccount("ilot")).get(), departure, &departed).ok());
  offers = Must(&Dispatch::Stub::ListOffers, ListOffersRequest());
  ASSERT_EQ(offers.offers_size(), 1);
  EXPECT_EQ(offers.offers(0).request().id(), b.id());
  EXPECT_EQ(offers.offers(0).candidate().pool_id(), "ilot:single_women");
  auto placed_b = Accept(ProposeTo(b.id(), "ilot:single_women").id());
  EXPECT_EQ(placed_b.proposal().state(), PROPOSAL_STATE_ACCEPTED);

  // A maraude holds the last single men's place from the street.
  HoldPassNightRequest pass;
  pass.set_public_("single_men");
  pass.set_idempotency_key(Key());
  auto passed = Must(&Dispatch::Stub::HoldPassNight, pass, Team("maraude-samusocial"));
  EXPECT_EQ(passed.pool_id(), "ilot:single_men");
  EXPECT_EQ(passed.used(), 1);

  // Street reports: one followed to the end, one merged into it.
  StreetReport report;
  report.set_reporter_kind(REPORTER_KIND_PUBLIC_TRANSPORT);
  report.set_commune("brussels");
  report.set_address("Gare Centrale");
  report.add_needs(STREET_NEED_HELP);
  CreateStreetReportRequest take;
  *take.mutable_report() = report;
  take.set_idempotency_key(Key());
  auto first = Must(&Dispatch::Stub::CreateStreetReport, take).report();
  take.set_idempotency_key(Key());
  auto second = Must(&Dispatch::Stub::CreateStreetReport, take);
  ASSERT_EQ(second.possible_duplicates_size(), 1);
  MergeStreetReportRequest merge;
  merge.set_report_id(second.report().id());
  merge.set_into_report_id(first.id());
  merge.set_idempotency_key(Key());
  Must(&Dispatch::Stub::MergeStreetReport, merge);
  for (auto state : {STREET_REPORT_STATE_ASSIGNED, STREET_REPORT_STATE_ON_THE_WAY, STREET_REPORT_STATE_FOUND,
                     STREET_REPORT_STATE_CLOSED}) {
    AdvanceStreetReportRequest step;
    step.set_report_id(first.id());
    step.set_state(state);
    if (state == STREET_REPORT_STATE_CLOSED) step.set_outcome(STREET_OUTCOME_ACCOMPANIED);
    step.set_idempotency_key(Key());
    Must(&Dispatch::Stub::AdvanceStreetReport, step, Team("maraude-samusocial"));
  }

  // 08:00 — the night closes with the medical request unmet (the medicalised places are full).
  CloseNightRequest close;
  close.set_idempotency_key(Key());
  auto night = Must(&Dispatch::Stub::CloseNight, close);
  EXPECT_EQ(night.unmet(), 1);
  EXPECT_EQ(night.unmet_medical(), 1);
  EXPECT_EQ(night.unmet_priority(), 0);
  EXPECT_EQ(night.unmet_standard(), 0);
  close.set_idempotency_key(Key());
  CloseNightResponse again;
  EXPECT_EQ(d().CloseNight(Harness::As(Operator()).get(), close, &again).error_code(), grpc::FAILED_PRECONDITION);

  // The state the night left.
  ListCallsRequest list;
  list.set_list(CALL_LIST_WAITING);
  auto calls = Must(&Dispatch::Stub::ListCalls, list);
  ASSERT_EQ(calls.calls_size(), 1);
  EXPECT_EQ(calls.calls(0).id(), waiting.id());
  list.set_list(CALL_LIST_RECENT);
  auto recent = Must(&Dispatch::Stub::ListCalls, list);
  EXPECT_EQ(recent.calls_size(), 4);
  EXPECT_EQ(recent.breaching(), 1) << "the call answered after 12 minutes";
  list.set_list(CALL_LIST_CALL_BACKS);
  EXPECT_EQ(Must(&Dispatch::Stub::ListCalls, list).calls_size(), 1);

  auto queue = Must(&Dispatch::Stub::ListQueue, ListQueueRequest());
  ASSERT_EQ(queue.requests_size(), 1);
  EXPECT_EQ(queue.requests(0).id(), dd.id());
  EXPECT_EQ(queue.priority(), 0);
  EXPECT_EQ(queue.medical(), 1);
  EXPECT_EQ(queue.standard(), 0);

  EXPECT_EQ(PoolNow("ilot:single_men").free(), 0);
  EXPECT_EQ(PoolNow("ilot:single_men").live_holds(), 2);  // the man's and the pass night's
  EXPECT_EQ(PoolNow("ilot:single_women").free(), 0);
  EXPECT_EQ(PoolNow("samusocial:families").free(), 0);
  EXPECT_EQ(PoolNow("ilot:medical").free(), 0);

  auto types = EventTypes();
  auto added = [&](const std::string& t) { return types[t] - base_events[t]; };
  EXPECT_EQ(added("call.queued"), 4);
  EXPECT_EQ(added("call.answered"), 2);
  EXPECT_EQ(added("call.ended"), 1);
  EXPECT_EQ(added("call.missed"), 1);
  EXPECT_EQ(added("person.created"), 4);
  EXPECT_EQ(added("request.created"), 4);
  EXPECT_EQ(added("proposal.made"), 4);
  EXPECT_EQ(added("proposal.refused"), 1);
  EXPECT_EQ(added("proposal.accepted"), 3);
  EXPECT_EQ(added("hold.taken"), 4);  // three accepted proposals and the pass night
  EXPECT_EQ(added("pass_night.reserved"), 1);
  EXPECT_EQ(added("report.created"), 2);
  EXPECT_EQ(added("report.closed"), 2);  // one merged, one accompanied
  EXPECT_EQ(added("request.unmet"), 1);
  EXPECT_EQ(added("night.closed"), 1);
}

}  // namespace
}  // namespace relais::testing
