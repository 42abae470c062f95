// Requests for a place through the dispatch API, with the real beds service behind it: ranking with
// explanations, proposals accepted (a hold taken in beds, once, whatever the retries) or refused
// (the request keeps its lane and place in the queue), the queue's order, and many operators
// accepting the last place at once: one gets it, every other gets a clear answer and the next place.
#include <google/protobuf/util/time_util.h>

#include <atomic>
#include <thread>

#include "tests/support/beds_fixture.h"

namespace relais::testing {
namespace {

using google::protobuf::util::TimeUtil;
using namespace relais::v1;

class RequestsTest : public BedsTest {
 protected:
  void SetUp() override {
    BedsTest::SetUp();
    auto ixelles = MakeShelter("ilot", "ixelles");
    ixelles.clear_languages();
    ixelles.add_languages("fr");
    CreateShelter(ixelles);
    auto anderlecht = MakeShelter("samusocial", "anderlecht");
    anderlecht.clear_languages();
    anderlecht.add_languages("nl");
    CreateShelter(anderlecht);
    auto housing = MakeShelter("housing-first", "ixelles");
    housing.set_kind(SERVICE_KIND_HOUSING);
    CreateShelter(housing);
    Declare("ilot", "single_men", 10, 0, 8);         // 2 free
    Declare("samusocial", "single_men", 20, 0, 19);  // 1 free
    Declare("ilot", "single_women", 5, 0, 0);
    Declare("ilot", "medical", 4, 0, 1);
  }

  Dispatch::Stub& d() { return h().dispatch(); }

  std::string NewPerson(Gender gender, std::initializer_list<Need> needs = {}) {
    CreatePersonRequest r;
    r.mutable_person()->set_gender(gender);
    r.mutable_person()->set_age_band(AGE_BAND_26_45);
    r.mutable_person()->mutable_household()->set_adults(1);
    r.mutable_person()->add_languages("fr");
    for (Need n : needs) r.mutable_person()->add_needs(n);
    r.set_idempotency_key(Key());
    CreatePersonResponse resp;
    auto s = d().CreatePerson(Harness::As(Operator()).get(), r, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.person().id();
  }

  PlaceRequest NewRequest(const std::string& person, std::vector<std::string> communes = {}) {
    CreatePlaceRequestRequest r;
    r.set_person_id(person);
    for (auto& c : communes) r.add_preferred_communes(c);
    r.set_idempotency_key(Key());
    CreatePlaceRequestResponse resp;
    auto s = d().CreatePlaceRequest(Harness::As(Operator()).get(), r, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.request();
  }

  RankCandidatesResponse RankFor(const std::string& request_id) {
    RankCandidatesRequest r;
    r.set_request_id(request_id);
    RankCandidatesResponse resp;
    auto s = d().RankCandidates(Harness::As(Operator()).get(), r, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp;
  }

  Proposal ProposeTo(const std::string& request_id, const std::string& pool_id, const Caller& caller = Operator()) {
    ProposeRequest r;
    r.set_request_id(request_id);
    r.set_pool_id(pool_id);
    r.set_idempotency_key(Key());
    ProposeResponse resp;
    auto s = d().Propose(Harness::As(caller).get(), r, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.proposal();
  }

  grpc::Status Accept(const std::string& proposal_id, AcceptProposalResponse* out, const std::string& key,
                      const Caller& caller = Operator()) {
    AcceptProposalRequest r;
    r.set_proposal_id(proposal_id);
    r.set_idempotency_key(key);
    return d().AcceptProposal(Harness::As(caller, std::chrono::seconds(10)).get(), r, out);
  }
};

TEST_F(RequestsTest, CandidatesFitThePersonAndSayWhyTheyRankWhereTheyDo) {
  PlaceRequest request = NewRequest(NewPerson(GENDER_MAN), {"anderlecht"});
  EXPECT_EQ(request.lane(), LANE_STANDARD);
  ASSERT_EQ(request.publics_size(), 1);
  EXPECT_EQ(request.publics(0), "single_men");
  EXPECT_EQ(request.queue_position(), 1);

  auto ranked = RankFor(request.id());
  ASSERT_EQ(ranked.candidates_size(), 2) << "only the single men's pools with free places";
  // samusocial: 100 + 10 (preferred commune) + 1 (free) = 111; ilot: 100 + 5 (speaks fr) + 2 (free) = 107.
  EXPECT_EQ(ranked.candidates(0).pool_id(), "samusocial:single_men");
  EXPECT_EQ(ranked.candidates(0).score(), 111);
  EXPECT_EQ(ranked.candidates(1).pool_id(), "ilot:single_men");
  EXPECT_EQ(ranked.candidates(1).score(), 107);
  const auto& why = ranked.candidates(0).explanation();
  EXPECT_NE(std::find(why.begin(), why.end(), "in a commune the person prefers: +10"), why.end());
  ASSERT_EQ(ranked.alternatives_size(), 1) << "insertion first, when the situation allows";
  EXPECT_EQ(ranked.alternatives(0).shelter_id(), "housing-first");
}

TEST_F(RequestsTest, ARefusalIsRecordedAndChangesNothingAboutThePlaceInTheQueue) {
  PlaceRequest first = NewRequest(NewPerson(GENDER_MAN));
  h().clock().Advance(std::chrono::minutes(1));
  PlaceRequest second = NewRequest(NewPerson(GENDER_MAN));
  Proposal p = ProposeTo(first.id(), "ilot:single_men");
  RefuseProposalRequest r;
  r.set_proposal_id(p.id());
  r.set_reason(REFUSAL_REASON_SAFETY);
  r.set_idempotency_key(Key());
  RefuseProposalResponse refused;
  ASSERT_TRUE(d().RefuseProposal(Harness::As(Operator()).get(), r, &refused).ok());
  EXPECT_EQ(refused.proposal().state(), PROPOSAL_STATE_REFUSED);
  EXPECT_EQ(refused.request().refusals(), 1);
  EXPECT_EQ(refused.request().lane(), first.lane());
  EXPECT_EQ(refused.request().queue_position(), 1) << "still first in its lane";

  ListQueueRequest q;
  ListQueueResponse queue;
  ASSERT_TRUE(d().ListQueue(Harness::As(Operator()).get(), q, &queue).ok());
  ASSERT_EQ(queue.requests_size(), 2);
  EXPECT_EQ(queue.requests(0).id(), first.id());
  EXPECT_EQ(queue.requests(1).id(), second.id());
  EXPECT_EQ(PoolNow("ilot:single_men").live_holds(), 0) << "a refusal holds nothing";
  auto events = Events();
  EXPECT_EQ(events.back()["type"], "proposal.refused");
  EXPECT_EQ(events.back()["reason"], "REFUSAL_REASON_SAFETY");
}

TEST_F(RequestsTest, AnAcceptedProposalHoldsThePlaceOnceWhateverTheRetries) {
  PlaceRequest request = NewRequest(NewPerson(GENDER_MAN));
  Proposal p = ProposeTo(request.id(), "ilot:single_men");
  AcceptProposalResponse accepted, retried;
  ASSERT_TRUE(Accept(p.id(), &accepted, "accept-key-0001").ok());
  EXPECT_EQ(accepted.proposal().state(), PROPOSAL_STATE_ACCEPTED);
  EXPECT_EQ(accepted.request().state(), PLACE_REQUEST_STATE_DISPATCHED);
  EXPECT_EQ(accepted.request().hold_id(), accepted.proposal().hold_id());
  EXPECT_EQ(accepted.request().queue_position(), 0);
  ASSERT_TRUE(Accept(p.id(), &retried, "accept-key-0001").ok());
  EXPECT_EQ(retried.proposal().hold_id(), accepted.proposal().hold_id());
  EXPECT_EQ(PoolNow("ilot:single_men").live_holds(), 1);
  EXPECT_EQ(PoolNow("ilot:single_men").free(), 1);

  // The shelter sees the hold and confirms the arrival through the beds service.
  ConfirmArrivalRequest arrive;
  arrive.set_hold_id(accepted.proposal().hold_id());
  arrive.set_idempotency_key(Key());
  ConfirmArrivalResponse arrived;
  ASSERT_TRUE(beds().ConfirmArrival(Harness::As(ShelterAccount("ilot")).get(), arrive, &arrived).ok());
  EXPECT_EQ(arrived.pool().figures().occupied(), 9);
}

TEST_F(RequestsTest, PriorityLaneFirstThenMedicalThenStandardEachByAge) {
  PlaceRequest standard = NewRequest(NewPerson(GENDER_MAN));
  h().clock().Advance(std::chrono::minutes(1));
  PlaceRequest medical = NewRequest(NewPerson(GENDER_MAN, {NEED_MEDICAL}));
  h().clock().Advance(std::chrono::minutes(1));
  PlaceRequest priority = NewRequest(NewPerson(GENDER_WOMAN, {NEED_VICTIM_OF_VIOLENCE}));
  EXPECT_EQ(medical.lane(), LANE_MEDICAL);
  EXPECT_EQ(priority.lane(), LANE_PRIORITY);
  ListQueueResponse queue;
  ASSERT_TRUE(d().ListQueue(Harness::As(Operator()).get(), {}, &queue).ok());
  ASSERT_EQ(queue.requests_size(), 3);
  EXPECT_EQ(queue.requests(0).id(), priority.id());
  EXPECT_EQ(queue.requests(1).id(), medical.id());
  EXPECT_EQ(queue.requests(2).id(), standard.id());
  EXPECT_EQ(queue.priority(), 1);
  EXPECT_EQ(queue.medical(), 1);
  EXPECT_EQ(queue.standard(), 1);

  // A medicalised place goes through the medical focal point: the beds service says so to an operator.
  Proposal p = ProposeTo(medical.id(), "ilot:medical");
  AcceptProposalResponse out;
  EXPECT_EQ(Accept(p.id(), &out, "accept-medical-1", Operator()).error_code(), grpc::PERMISSION_DENIED);
  ASSERT_TRUE(Accept(p.id(), &out, "accept-medical-2", Medical()).ok());
  EXPECT_EQ(out.proposal().state(), PROPOSAL_STATE_ACCEPTED);
}

TEST_F(RequestsTest, ManyOperatorsAcceptTheLastPlaceAtOnceOneGetsItEveryOneIsAnswered) {
  constexpr int kOperators = 24;
  std::vector<std::string> proposals;
  for (int i = 0; i < kOperators; ++i) {
    proposals.push_back(ProposeTo(NewRequest(NewPerson(GENDER_MAN)).id(), "samusocial:single_men").id());
  }
  std::atomic<int> accepted{0}, gone{0}, with_next{0}, failed{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kOperators; ++i) {
    threads.emplace_back([&, i] {
      AcceptProposalResponse out;
      auto s = Accept(proposals[i], &out, "race-accept-" + std::to_string(i), Operator("op-" + std::to_string(i)));
      if (!s.ok()) {
        ++failed;
        return;
      }
      if (out.proposal().state() == PROPOSAL_STATE_ACCEPTED) ++accepted;
      if (out.proposal().state() == PROPOSAL_STATE_PLACE_GONE) {
        ++gone;
        if (out.next_candidate().pool_id() == "ilot:single_men") ++with_next;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed.load(), 0) << "every operator gets an answer";
  EXPECT_EQ(accepted.load(), 1) << "one place, one person";
  EXPECT_EQ(gone.load(), kOperators - 1);
  EXPECT_EQ(with_next.load(), kOperators - 1) << "each is offered the next place that fits";
  EXPECT_EQ(PoolNow("samusocial:single_men").live_holds(), 1);
  EXPECT_EQ(PoolNow("samusocial:single_men").free(), 0);
}

}  // namespace
}  // namespace relais::testing
