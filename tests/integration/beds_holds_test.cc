// Holds: take, arrival, no-show, cancel, departure, expiry, idempotent retries, rights.
#include <google/protobuf/util/message_differencer.h>
#include <google/protobuf/util/time_util.h>

#include <thread>

#include "tests/support/beds_fixture.h"

namespace relais::testing {
namespace {

using namespace relais::v1;
using google::protobuf::util::MessageDifferencer;
using google::protobuf::util::TimeUtil;

class HoldsTest : public BedsTest {
 protected:
  void SetUp() override {
    BedsTest::SetUp();
    CreateShelter(MakeShelter("ilot"));
    Declare("ilot", "single_men", 10, 0, 8);  // 2 free
  }
  static constexpr const char* kPool = "ilot:single_men";

  grpc::Status End(const std::string& what, const std::string& hold_id, const Caller& caller, std::string key = "",
                   Pool* pool_after = nullptr) {
    if (key.empty()) key = Key();
    Pool pool;
    grpc::Status s;
    if (what == "arrival") {
      ConfirmArrivalRequest req;
      req.set_hold_id(hold_id);
      req.set_idempotency_key(key);
      ConfirmArrivalResponse resp;
      s = beds().ConfirmArrival(Harness::As(caller).get(), req, &resp);
      pool = resp.pool();
    } else if (what == "no_show") {
      ReportNoShowRequest req;
      req.set_hold_id(hold_id);
      req.set_idempotency_key(key);
      ReportNoShowResponse resp;
      s = beds().ReportNoShow(Harness::As(caller).get(), req, &resp);
      pool = resp.pool();
    } else {
      CancelHoldRequest req;
      req.set_hold_id(hold_id);
      req.set_idempotency_key(key);
      CancelHoldResponse resp;
      s = beds().CancelHold(Harness::As(caller).get(), req, &resp);
      pool = resp.pool();
    }
    if (pool_after) *pool_after = pool;
    return s;
  }
};

TEST_F(HoldsTest, AHoldTakesOnePlaceUntilItsDeadline) {
  auto taken = Hold(kPool);
  EXPECT_EQ(taken.hold().state(), HOLD_STATE_HELD);
  EXPECT_EQ(taken.hold().kind(), HOLD_KIND_STANDARD);
  EXPECT_EQ(taken.pool().free(), 1);
  EXPECT_EQ(taken.pool().live_holds(), 1);
  // Default deadline: 90 minutes.
  EXPECT_EQ(TimeUtil::TimestampToMilliseconds(taken.hold().deadline()) -
                TimeUtil::TimestampToMilliseconds(taken.hold().created_at()),
            90 * 60 * 1000);
  EXPECT_EQ(PoolNow(kPool).free(), 1);
}

TEST_F(HoldsTest, ArrivalMakesThePlaceOccupied) {
  auto taken = Hold(kPool);
  Pool after;
  ASSERT_TRUE(End("arrival", taken.hold().id(), ShelterAccount("ilot"), "", &after).ok());
  EXPECT_EQ(after.figures().occupied(), 9);
  EXPECT_EQ(after.live_holds(), 0);
  EXPECT_EQ(after.free(), 1);
  GetHoldRequest get;
  get.set_hold_id(taken.hold().id());
  GetHoldResponse got;
  ASSERT_TRUE(beds().GetHold(Harness::As(Operator()).get(), get, &got).ok());
  EXPECT_EQ(got.hold().state(), HOLD_STATE_ARRIVED);
  EXPECT_TRUE(got.hold().has_ended_at());
}

TEST_F(HoldsTest, NoShowAndCancelGiveThePlaceBack) {
  auto a = Hold(kPool);
  auto b = Hold(kPool);
  EXPECT_EQ(PoolNow(kPool).free(), 0);
  Pool after;
  ASSERT_TRUE(End("no_show", a.hold().id(), ShelterAccount("ilot"), "", &after).ok());
  EXPECT_EQ(after.free(), 1);
  ASSERT_TRUE(End("cancel", b.hold().id(), Operator(), "", &after).ok());
  EXPECT_EQ(after.free(), 2);
  EXPECT_EQ(after.figures().occupied(), 8);
}

TEST_F(HoldsTest, AHoldEndsOnce) {
  auto taken = Hold(kPool);
  ASSERT_TRUE(End("arrival", taken.hold().id(), ShelterAccount("ilot")).ok());
  EXPECT_EQ(End("no_show", taken.hold().id(), ShelterAccount("ilot")).error_code(), grpc::FAILED_PRECONDITION);
  EXPECT_EQ(End("cancel", taken.hold().id(), Operator()).error_code(), grpc::FAILED_PRECONDITION);
  EXPECT_EQ(PoolNow(kPool).figures().occupied(), 9);
}

TEST_F(HoldsTest, NoPlaceLeftIsFailedPrecondition) {
  Hold(kPool);
  Hold(kPool);
  TakeHoldRequest req;
  req.set_pool_id(kPool);
  req.set_request_id("req-late");
  req.set_idempotency_key(Key());
  TakeHoldResponse resp;
  auto s = beds().TakeHold(Harness::As(Operator()).get(), req, &resp);
  EXPECT_EQ(s.error_code(), grpc::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find("no free place"), std::string::npos);
}

TEST_F(HoldsTest, DepartureFreesAnOccupiedPlace) {
  RecordDepartureRequest req;
  req.set_pool_id(kPool);
  req.set_idempotency_key(Key());
  RecordDepartureResponse resp;
  ASSERT_TRUE(beds().RecordDeparture(Harness::As(ShelterAccount("ilot")).get(), req, &resp).ok());
  EXPECT_EQ(resp.pool().figures().occupied(), 7);
  EXPECT_EQ(resp.pool().free(), 3);
}

TEST_F(HoldsTest, ARetryWithTheSameKeyReturnsTheFirstAnswer) {
  TakeHoldRequest req;
  req.set_pool_id(kPool);
  req.set_request_id("req-42");
  req.set_idempotency_key("retry-key-0001");
  TakeHoldResponse first, second;
  ASSERT_TRUE(beds().TakeHold(Harness::As(Operator()).get(), req, &first).ok());
  ASSERT_TRUE(beds().TakeHold(Harness::As(Operator()).get(), req, &second).ok());
  EXPECT_TRUE(MessageDifferencer::Equals(first, second)) << first.DebugString() << second.DebugString();
  EXPECT_EQ(PoolNow(kPool).live_holds(), 1);  // one effect
}

TEST_F(HoldsTest, TheSameKeyWithAnotherPayloadIsRefused) {
  TakeHoldRequest req;
  req.set_pool_id(kPool);
  req.set_request_id("req-42");
  req.set_idempotency_key("retry-key-0002");
  TakeHoldResponse resp;
  ASSERT_TRUE(beds().TakeHold(Harness::As(Operator()).get(), req, &resp).ok());
  auto before = Snapshot();
  req.set_request_id("req-43");
  auto s = beds().TakeHold(Harness::As(Operator()).get(), req, &resp);
  EXPECT_EQ(s.error_code(), grpc::ALREADY_EXISTS);
  EXPECT_NE(s.error_message().find("idempotency_key"), std::string::npos);
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(HoldsTest, ArrivalRetriedAfterALostAnswerHasOneEffect) {
  auto taken = Hold(kPool);
  ASSERT_TRUE(End("arrival", taken.hold().id(), ShelterAccount("ilot"), "arrival-key-1").ok());
  ASSERT_TRUE(End("arrival", taken.hold().id(), ShelterAccount("ilot"), "arrival-key-1").ok());
  EXPECT_EQ(PoolNow(kPool).figures().occupied(), 9);
}

TEST_F(HoldsTest, AnExpiredHoldFreesItsPlaceAtOnceAndTheSweeperRecordsIt) {
  beds::BedsConfig config;
  config.store.hold_standard = std::chrono::minutes(1);  // a short deadline
  harness_.reset();
  harness_ = std::make_unique<Harness>(SharedRedis(), config);
  auto taken = Hold(kPool);
  EXPECT_EQ(PoolNow(kPool).free(), 1);
  h().clock().Advance(std::chrono::seconds(61));
  // Free for every reader at once, whether or not the sweeper ran.
  EXPECT_EQ(PoolNow(kPool).free(), 2);
  // The sweeper (every 50 ms in tests) records the expiry as an event.
  GetHoldResponse got;
  for (int i = 0; i < 100; ++i) {
    GetHoldRequest get;
    get.set_hold_id(taken.hold().id());
    ASSERT_TRUE(beds().GetHold(Harness::As(Operator()).get(), get, &got).ok());
    if (got.hold().state() == HOLD_STATE_EXPIRED) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(got.hold().state(), HOLD_STATE_EXPIRED);
  auto events = Events();
  EXPECT_EQ(events.back()["type"], "hold.expired");
  EXPECT_EQ(events.back()["free"], "2");
  EXPECT_EQ(PoolNow(kPool).free(), 2);
}

TEST_F(HoldsTest, ALateArrivalIsWelcomeWhileAPlaceIsFree) {
  auto taken = Hold(kPool);
  h().clock().Advance(std::chrono::minutes(91));
  Pool after;
  ASSERT_TRUE(End("arrival", taken.hold().id(), ShelterAccount("ilot"), "", &after).ok());
  EXPECT_EQ(after.figures().occupied(), 9);
}

TEST_F(HoldsTest, ALateArrivalCannotTakeAPlaceGivenToSomeoneElse) {
  auto late = Hold(kPool);
  h().clock().Advance(std::chrono::minutes(91));
  Hold(kPool);
  Hold(kPool);  // both places given again after the expiry
  EXPECT_EQ(End("arrival", late.hold().id(), ShelterAccount("ilot")).error_code(), grpc::FAILED_PRECONDITION);
  EXPECT_EQ(PoolNow(kPool).figures().occupied(), 8);
}

TEST_F(HoldsTest, HoldKindsHaveTheirOwnDeadlines) {
  Declare("ilot", "medical", 3, 0, 0);
  TakeHoldRequest req;
  req.set_pool_id("ilot:medical");
  req.set_request_id("req-m");
  req.set_kind(HOLD_KIND_MEDICAL);
  req.set_idempotency_key(Key());
  TakeHoldResponse resp;
  // Medicalised places go through the medical focal point.
  EXPECT_EQ(beds().TakeHold(Harness::As(Operator()).get(), req, &resp).error_code(), grpc::PERMISSION_DENIED);
  ASSERT_TRUE(beds().TakeHold(Harness::As(Medical()).get(), req, &resp).ok());
  EXPECT_EQ(TimeUtil::TimestampToMilliseconds(resp.hold().deadline()) -
                TimeUtil::TimestampToMilliseconds(resp.hold().created_at()),
            120 * 60 * 1000);

  TakeHoldRequest pass;
  pass.set_pool_id(kPool);
  pass.set_request_id("req-p");
  pass.set_kind(HOLD_KIND_PASS_NIGHT);
  pass.set_idempotency_key(Key());
  EXPECT_EQ(beds().TakeHold(Harness::As(Operator()).get(), pass, &resp).error_code(), grpc::PERMISSION_DENIED);
  ASSERT_TRUE(beds().TakeHold(Harness::As(Team()).get(), pass, &resp).ok());
  EXPECT_EQ(resp.hold().kind(), HOLD_KIND_PASS_NIGHT);
  EXPECT_EQ(TimeUtil::TimestampToMilliseconds(resp.hold().deadline()) -
                TimeUtil::TimestampToMilliseconds(resp.hold().created_at()),
            180 * 60 * 1000);
}

TEST_F(HoldsTest, OnlyTheShelterConcernedConfirmsArrivals) {
  CreateShelter(MakeShelter("other"));
  auto taken = Hold(kPool);
  for (const Caller& c : {ShelterAccount("other"), Operator(), Team(), Monitoring(), Anonymous()}) {
    EXPECT_EQ(End("arrival", taken.hold().id(), c).error_code(), grpc::PERMISSION_DENIED);
  }
  EXPECT_EQ(End("cancel", taken.hold().id(), ShelterAccount("other")).error_code(), grpc::PERMISSION_DENIED);
  EXPECT_EQ(PoolNow(kPool).live_holds(), 1);
}

TEST_F(HoldsTest, ListHoldsOfAShelter) {
  auto a = Hold(kPool);
  auto b = Hold(kPool);
  ASSERT_TRUE(End("arrival", a.hold().id(), ShelterAccount("ilot")).ok());
  ListHoldsRequest req;
  req.set_shelter_id("ilot");
  ListHoldsResponse all, live;
  ASSERT_TRUE(beds().ListHolds(Harness::As(ShelterAccount("ilot")).get(), req, &all).ok());
  EXPECT_EQ(all.holds_size(), 2);
  req.set_live_only(true);
  ASSERT_TRUE(beds().ListHolds(Harness::As(ShelterAccount("ilot")).get(), req, &live).ok());
  ASSERT_EQ(live.holds_size(), 1);
  EXPECT_EQ(live.holds(0).id(), b.hold().id());
  EXPECT_EQ(beds().ListHolds(Harness::As(ShelterAccount("other")).get(), req, &live).error_code(),
            grpc::PERMISSION_DENIED);
}

TEST_F(HoldsTest, EveryHoldStepIsOneEventWithFiguresAndNoPersonalData) {
  long long before = EventCount();
  auto a = Hold(kPool);
  ASSERT_TRUE(End("arrival", a.hold().id(), ShelterAccount("ilot")).ok());
  auto b = Hold(kPool);
  ASSERT_TRUE(End("no_show", b.hold().id(), ShelterAccount("ilot")).ok());
  EXPECT_EQ(EventCount(), before + 4);
  auto events = Events();
  std::vector<std::string> types;
  for (size_t i = static_cast<size_t>(before); i < events.size(); ++i) types.push_back(events[i]["type"]);
  EXPECT_EQ(types, (std::vector<std::string>{"hold.taken", "hold.arrived", "hold.taken", "hold.no_show"}));
  const auto& arrived = events[static_cast<size_t>(before) + 1];
  EXPECT_EQ(arrived.at("occupied"), "9");
  EXPECT_EQ(arrived.at("hold"), a.hold().id());
  for (const auto& e : events) {
    for (const auto& [field, value] : e) {
      EXPECT_TRUE(field != "name" && field != "alias" && field != "description") << field;
    }
  }
}

}  // namespace
}  // namespace relais::testing
