// Availability: filters, freshness, crises opening buffer places, the region summary.
#include "tests/support/beds_fixture.h"

namespace relais::testing {
namespace {

using namespace relais::v1;

class AvailabilityTest : public BedsTest {
 protected:
  void SetUp() override {
    BedsTest::SetUp();
    auto a = MakeShelter("samusocial-poincare", "brussels");
    a.mutable_conditions()->set_pets_allowed(true);
    CreateShelter(a);
    CreateShelter(MakeShelter("pierre-d-angle", "brussels"));
    auto buffer = MakeShelter("centre-tampon", "evere");
    buffer.set_kind(SERVICE_KIND_BUFFER_CENTRE);
    CreateShelter(buffer);
    Declare("samusocial-poincare", "single_men", 100, 20, 95);  // 5 free, 20 buffer
    Declare("samusocial-poincare", "families", 40, 0, 40);      // full
    Declare("pierre-d-angle", "single_men", 48, 0, 46);         // 2 free
    Declare("centre-tampon", "single_men", 0, 50, 0);           // buffer only
  }

  GetAvailabilityResponse Read(const AvailabilityFilter& filter, const Caller& caller = Operator()) {
    GetAvailabilityRequest req;
    *req.mutable_filter() = filter;
    GetAvailabilityResponse resp;
    auto s = beds().GetAvailability(Harness::As(caller).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp;
  }

  Crisis Open(const std::string& shelter_id, const Caller& caller = Admin()) {
    OpenBufferRequest req;
    req.set_shelter_id(shelter_id);
    req.set_reason(CRISIS_REASON_COLD);
    req.set_mode(CRISIS_MODE_24H);
    req.set_idempotency_key(Key());
    OpenBufferResponse resp;
    auto s = beds().OpenBuffer(Harness::As(caller).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.crisis();
  }

  int FreeFor(const std::string& public_code) {
    GetRegionSummaryResponse summary;
    EXPECT_TRUE(beds().GetRegionSummary(Harness::As(Monitoring()).get(), {}, &summary).ok());
    for (const auto& p : summary.publics()) {
      if (p.public_() == public_code) return p.free();
    }
    return -1;
  }
};

TEST_F(AvailabilityTest, FreeIsDerivedPerPool) {
  auto all = Read({});
  ASSERT_EQ(all.pools_size(), 4);
  std::map<std::string, int> free;
  for (const auto& p : all.pools()) free[p.id()] = p.free();
  EXPECT_EQ(free["samusocial-poincare:single_men"], 5);
  EXPECT_EQ(free["samusocial-poincare:families"], 0);
  EXPECT_EQ(free["pierre-d-angle:single_men"], 2);
  EXPECT_EQ(free["centre-tampon:single_men"], 0);  // buffer closed
  EXPECT_EQ(all.pools(0).commune(), "evere");
  EXPECT_EQ(all.pools(0).shelter_name(), "Shelter centre-tampon");
}

TEST_F(AvailabilityTest, Filters) {
  AvailabilityFilter f;
  f.set_public_("single_men");
  f.set_only_with_free(true);
  auto r = Read(f);
  ASSERT_EQ(r.pools_size(), 2);
  f.mutable_required_conditions()->set_pets_allowed(true);
  r = Read(f);
  ASSERT_EQ(r.pools_size(), 1);
  EXPECT_EQ(r.pools(0).id(), "samusocial-poincare:single_men");
  AvailabilityFilter by_commune;
  by_commune.set_commune("evere");
  EXPECT_EQ(Read(by_commune).pools_size(), 1);
}

TEST_F(AvailabilityTest, PoolsNotConfirmedInTimeAreMarkedUnconfirmed) {
  EXPECT_FALSE(PoolNow("pierre-d-angle:single_men").unconfirmed());
  h().clock().Advance(std::chrono::minutes(361));  // default freshness window: 6 h
  EXPECT_TRUE(PoolNow("pierre-d-angle:single_men").unconfirmed());
  ConfirmPoolRequest req;
  req.set_pool_id("pierre-d-angle:single_men");
  req.set_idempotency_key(Key());
  ConfirmPoolResponse resp;
  ASSERT_TRUE(beds().ConfirmPool(Harness::As(ShelterAccount("pierre-d-angle")).get(), req, &resp).ok());
  EXPECT_FALSE(resp.pool().unconfirmed());
  EXPECT_FALSE(PoolNow("pierre-d-angle:single_men").unconfirmed());
  EXPECT_TRUE(PoolNow("samusocial-poincare:single_men").unconfirmed());
  GetRegionSummaryResponse summary;
  ASSERT_TRUE(beds().GetRegionSummary(Harness::As(Operator()).get(), {}, &summary).ok());
  for (const auto& p : summary.publics()) {
    if (p.public_() == "single_men") {
      EXPECT_EQ(p.pools(), 3);
      EXPECT_EQ(p.pools_unconfirmed(), 2);
    }
  }
}

TEST_F(AvailabilityTest, ARegionCrisisOpensEveryBufferPlace) {
  EXPECT_EQ(FreeFor("single_men"), 7);
  auto crisis = Open("");
  EXPECT_EQ(FreeFor("single_men"), 7 + 20 + 50);
  EXPECT_TRUE(PoolNow("centre-tampon:single_men").buffer_open());
  // A place in a buffer centre can now be held.
  auto taken = Hold("centre-tampon:single_men");
  EXPECT_EQ(taken.pool().free(), 49);

  CloseBufferRequest close;
  close.set_crisis_id(crisis.id());
  close.set_idempotency_key(Key());
  CloseBufferResponse closed;
  ASSERT_TRUE(beds().CloseBuffer(Harness::As(Admin()).get(), close, &closed).ok());
  EXPECT_TRUE(closed.crisis().has_closed_at());
  EXPECT_EQ(FreeFor("single_men"), 7);
  ListCrisesRequest list;
  list.set_active_only(true);
  ListCrisesResponse active;
  ASSERT_TRUE(beds().ListCrises(Harness::As(Operator()).get(), list, &active).ok());
  EXPECT_EQ(active.crises_size(), 0);
}

TEST_F(AvailabilityTest, OpeningOneBufferCentre) {
  Open("centre-tampon", ShelterAccount("centre-tampon"));
  EXPECT_EQ(PoolNow("centre-tampon:single_men").free(), 50);
  EXPECT_EQ(PoolNow("samusocial-poincare:single_men").free(), 5);  // other shelters' buffers stay closed
  auto events = Events();
  EXPECT_EQ(events.back()["type"], "buffer.opened");
  EXPECT_EQ(events.back()["reason"], "CRISIS_REASON_COLD");
  EXPECT_EQ(events.back()["mode"], "CRISIS_MODE_24H");
}

TEST_F(AvailabilityTest, OnlyAdminOpensTheRegionsBuffer) {
  OpenBufferRequest req;
  req.set_reason(CRISIS_REASON_HEAT);
  req.set_mode(CRISIS_MODE_12H);
  req.set_idempotency_key(Key());
  OpenBufferResponse resp;
  for (const Caller& c : {Operator(), ShelterAccount("centre-tampon"), Monitoring()}) {
    EXPECT_EQ(beds().OpenBuffer(Harness::As(c).get(), req, &resp).error_code(), grpc::PERMISSION_DENIED);
  }
  EXPECT_EQ(FreeFor("single_men"), 7);
}

TEST_F(AvailabilityTest, MonitoringSeesOnlyTheSummary) {
  GetAvailabilityRequest req;
  GetAvailabilityResponse resp;
  EXPECT_EQ(beds().GetAvailability(Harness::As(Monitoring()).get(), req, &resp).error_code(),
            grpc::PERMISSION_DENIED);
  EXPECT_EQ(beds().GetAvailability(Harness::As(Anonymous()).get(), req, &resp).error_code(),
            grpc::PERMISSION_DENIED);
  EXPECT_EQ(FreeFor("families"), 0);
}

TEST_F(AvailabilityTest, ShrinkingPlacesBelowLiveHoldsIsRefused) {
  Hold("pierre-d-angle:single_men");
  Hold("pierre-d-angle:single_men");
  auto before = Snapshot();
  DeclarePoolRequest req;
  req.set_shelter_id("pierre-d-angle");
  req.set_public_("single_men");
  req.mutable_figures()->set_places_in_service(47);
  req.mutable_figures()->set_occupied(46);
  req.set_idempotency_key(Key());
  DeclarePoolResponse resp;
  auto s = beds().DeclarePool(Harness::As(ShelterAccount("pierre-d-angle")).get(), req, &resp);
  EXPECT_EQ(s.error_code(), grpc::FAILED_PRECONDITION);
  EXPECT_EQ(Snapshot(), before);
}

}  // namespace
}  // namespace relais::testing
