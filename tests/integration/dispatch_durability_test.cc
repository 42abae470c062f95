// Restarts lose nothing acknowledged: the dispatch service is stopped and started again, then
// redis-server is killed with SIGKILL and restarted from its data folder; every call, person, request
// and accepted proposal acknowledged before is there after, and the queue is the same.
#include <thread>

#include "tests/support/beds_fixture.h"

namespace relais::testing {
namespace {

using namespace relais::v1;

class DispatchDurabilityTest : public BedsTest {
 protected:
  Dispatch::Stub& d() { return h().dispatch(); }

  // What an operator would look at: the waiting calls, the queue, each request and the pool.
  std::string Picture(const std::vector<std::string>& request_ids) {
    std::string out;
    ListCallsRequest calls;
    calls.set_list(CALL_LIST_RECENT);
    ListCallsResponse listed;
    EXPECT_TRUE(d().ListCalls(Harness::As(Operator()).get(), calls, &listed).ok());
    for (const auto& c : listed.calls()) out += c.id() + ":" + CallState_Name(c.state()) + "\n";
    ListQueueResponse queue;
    EXPECT_TRUE(d().ListQueue(Harness::As(Operator()).get(), {}, &queue).ok());
    for (const auto& r : queue.requests()) out += "queued " + r.id() + "\n";
    for (const auto& id : request_ids) {
      GetPlaceRequestRequest g;
      g.set_request_id(id);
      GetPlaceRequestResponse r;
      EXPECT_TRUE(d().GetPlaceRequest(Harness::As(Operator()).get(), g, &r).ok());
      out += r.request().id() + ":" + PlaceRequestState_Name(r.request().state()) + ":" + r.request().hold_id() + "\n";
    }
    auto pool = PoolNow("ilot:single_men");
    out += "free " + std::to_string(pool.free()) + " holds " + std::to_string(pool.live_holds()) + "\n";
    return out;
  }
};

TEST_F(DispatchDurabilityTest, NothingAcknowledgedIsLostAcrossRestarts) {
  CreateShelter(MakeShelter("ilot"));
  Declare("ilot", "single_men", 10, 0, 5);
  std::vector<std::string> requests;
  for (int i = 0; i < 6; ++i) {
    OpenCallRequest call;
    call.set_caller_kind(CALLER_KIND_PERSON);
    call.set_language("fr");
    call.set_idempotency_key(Key());
    OpenCallResponse opened;
    ASSERT_TRUE(d().OpenCall(Harness::As(Operator()).get(), call, &opened).ok());
    CreatePersonRequest person;
    person.mutable_person()->set_gender(GENDER_MAN);
    person.mutable_person()->mutable_household()->set_adults(1);
    person.set_idempotency_key(Key());
    CreatePersonResponse created;
    ASSERT_TRUE(d().CreatePerson(Harness::As(Operator()).get(), person, &created).ok());
    CreatePlaceRequestRequest request;
    request.set_person_id(created.person().id());
    request.set_idempotency_key(Key());
    CreatePlaceRequestResponse made;
    ASSERT_TRUE(d().CreatePlaceRequest(Harness::As(Operator()).get(), request, &made).ok());
    requests.push_back(made.request().id());
    if (i % 2 == 0) {  // half of them get a place
      ProposeRequest propose;
      propose.set_request_id(made.request().id());
      propose.set_pool_id("ilot:single_men");
      propose.set_idempotency_key(Key());
      ProposeResponse proposed;
      ASSERT_TRUE(d().Propose(Harness::As(Operator()).get(), propose, &proposed).ok());
      AcceptProposalRequest accept;
      accept.set_proposal_id(proposed.proposal().id());
      accept.set_idempotency_key(Key());
      AcceptProposalResponse accepted;
      ASSERT_TRUE(d().AcceptProposal(Harness::As(Operator()).get(), accept, &accepted).ok());
      ASSERT_EQ(accepted.proposal().state(), PROPOSAL_STATE_ACCEPTED);
    }
  }
  std::string before = Picture(requests);
  EXPECT_NE(before.find("holds 3"), std::string::npos) << before;

  harness_.reset();  // the service process stops ...
  harness_ = std::make_unique<Harness>(SharedRedis());  // ... and starts again
  EXPECT_EQ(Picture(requests), before);

  SharedRedis().Kill();  // SIGKILL: no chance to save anything more
  SharedRedis().Start();
  for (int attempt = 0; attempt < 50; ++attempt) {  // the pool reconnects by itself
    ListQueueResponse probe;
    if (d().ListQueue(Harness::As(Operator()).get(), {}, &probe).ok()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(Picture(requests), before);
}

}  // namespace
}  // namespace relais::testing
