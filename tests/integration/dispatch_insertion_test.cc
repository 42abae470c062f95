// Insertion and prevention proposals recorded by dispatch: the `insertion.proposed` event the 7-day
// indicator reads, written with the proposal in one step; retries record nothing twice; refusals change
// nothing.
#include "tests/support/beds_fixture.h"

namespace relais::testing {
namespace {

using namespace relais::v1;

class InsertionTest : public BedsTest {
 protected:
  void SetUp() override {
    BedsTest::SetUp();
    Shelter housing = MakeShelter("housing-first-bxl", "saint-gilles");
    housing.set_kind(SERVICE_KIND_HOUSING);
    CreateShelter(housing);
    CreateShelter(MakeShelter("ilot"));  // an emergency shelter
    CreatePersonRequest create;
    create.mutable_person()->mutable_household()->set_adults(1);
    create.set_idempotency_key(Key());
    CreatePersonResponse created;
    ASSERT_TRUE(h().dispatch().CreatePerson(Harness::As(Operator()).get(), create, &created).ok());
    person_ = created.person().id();
  }

  grpc::Status Propose(const ProposeInsertionRequest& r, ProposeInsertionResponse* resp,
                       const Caller& caller = Operator()) {
    return h().dispatch().ProposeInsertion(Harness::As(caller).get(), r, resp);
  }

  ProposeInsertionRequest Request(const std::string& key) {
    ProposeInsertionRequest r;
    r.set_person_id(person_);
    r.set_service_id("housing-first-bxl");
    r.set_kind(SOLUTION_KIND_INSERTION);
    r.set_idempotency_key(key);
    return r;
  }

  std::string person_;
};

TEST_F(InsertionTest, RecordsTheProposalAndItsEventOnce) {
  auto request = Request("insert-1-key");
  ProposeInsertionResponse first, retry;
  ASSERT_TRUE(Propose(request, &first).ok());
  EXPECT_EQ(first.proposal().person_id(), person_);
  EXPECT_EQ(first.proposal().proposed_by(), "op-1");
  EXPECT_EQ(first.proposal().id().size(), 25u);
  h().clock().Advance(std::chrono::minutes(1));
  ASSERT_TRUE(Propose(request, &retry).ok());
  EXPECT_EQ(retry.proposal().id(), first.proposal().id());
  EXPECT_EQ(retry.proposal().proposed_at().seconds(), first.proposal().proposed_at().seconds());

  int seen = 0;
  for (const auto& e : Events()) {
    if (e.at("type") != "insertion.proposed") continue;
    ++seen;
    EXPECT_EQ(e.at("person"), person_);
    EXPECT_EQ(e.at("service"), "housing-first-bxl");
    EXPECT_EQ(e.at("service_kind"), "SERVICE_KIND_HOUSING");
    EXPECT_EQ(e.at("kind"), "SOLUTION_KIND_INSERTION");
    EXPECT_EQ(e.at("source"), "dispatch");
    EXPECT_EQ(e.at("proposal"), first.proposal().id());
  }
  EXPECT_EQ(seen, 1);

  request.set_kind(SOLUTION_KIND_PREVENTION);  // the same key, another payload
  EXPECT_EQ(Propose(request, &retry).error_code(), grpc::ALREADY_EXISTS);
}

TEST_F(InsertionTest, RefusalsChangeNothing) {
  auto before = Snapshot();
  ProposeInsertionResponse resp;
  auto r = Request("insert-bad-1");
  r.set_service_id("ilot");
  auto s = Propose(r, &resp);
  EXPECT_EQ(s.error_code(), grpc::FAILED_PRECONDITION) << "an emergency shelter is not an insertion solution";
  EXPECT_EQ(s.error_message().rfind("service_id", 0), 0u);
  r = Request("insert-bad-2");
  r.set_service_id("nowhere");
  EXPECT_EQ(Propose(r, &resp).error_code(), grpc::NOT_FOUND);
  r = Request("insert-bad-3");
  r.set_person_id("p000000000000000000000000");
  EXPECT_EQ(Propose(r, &resp).error_code(), grpc::NOT_FOUND);
  r = Request("insert-bad-4");
  r.clear_kind();
  EXPECT_EQ(Propose(r, &resp).error_code(), grpc::INVALID_ARGUMENT);
  r = Request("insert-bad-5");
  r.set_service_id("Housing First!");
  EXPECT_EQ(Propose(r, &resp).error_code(), grpc::INVALID_ARGUMENT);
  r = Request("insert-bad-6");
  EXPECT_EQ(Propose(r, &resp, ShelterAccount("ilot")).error_code(), grpc::PERMISSION_DENIED);
  EXPECT_EQ(Propose(r, &resp, Monitoring()).error_code(), grpc::PERMISSION_DENIED);
  EXPECT_EQ(Snapshot(), before);
  EXPECT_TRUE(Propose(Request("insert-ok-1"), &resp, Team()).ok()) << "mobile teams propose solutions too";
}

}  // namespace
}  // namespace relais::testing
