// The live feed: changes reach a watcher, filtered, in order; resuming after an event id.
#include <thread>

#include "tests/support/beds_fixture.h"

namespace relais::testing {
namespace {

using namespace relais::v1;

class WatchTest : public BedsTest {
 protected:
  void SetUp() override {
    BedsTest::SetUp();
    CreateShelter(MakeShelter("ilot", "brussels"));
    CreateShelter(MakeShelter("ariane", "ixelles"));
    Declare("ilot", "single_men", 10, 0, 0);
    Declare("ariane", "single_women", 10, 0, 0);
  }
};

TEST_F(WatchTest, ChangesArriveFilteredAndInOrder) {
  WatchAvailabilityRequest req;
  req.mutable_filter()->set_commune("brussels");
  auto ctx = Harness::As(Operator(), std::chrono::seconds(20));
  auto reader = beds().WatchAvailability(ctx.get(), req);
  // The stream starts "from now": wait until the server is reading before changing anything.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto in_ixelles = Hold("ariane:single_women");
  auto in_brussels = Hold("ilot:single_men");
  AvailabilityChange change;
  ASSERT_TRUE(reader->Read(&change));
  EXPECT_EQ(change.event_type(), "hold.taken");
  EXPECT_EQ(change.pool().id(), "ilot:single_men");
  EXPECT_EQ(change.pool().free(), 9);
  EXPECT_EQ(change.pool().live_holds(), 1);
  ctx->TryCancel();
  while (reader->Read(&change)) {
  }
  EXPECT_EQ(reader->Finish().error_code(), grpc::CANCELLED);
}

TEST_F(WatchTest, ResumesAfterAnEventId) {
  auto first = Hold("ilot:single_men");
  auto events_before = EventCount();
  auto second = Hold("ilot:single_men");
  // The id of the event before the second hold.
  auto r = h().redis().Command({"XRANGE", h().store().keys().Events(), "-", "+"});
  ASSERT_TRUE(r.ok());
  std::string resume_after(ReplyStr((*r)->element[events_before - 1]->element[0]));
  WatchAvailabilityRequest req;
  req.set_after_event_id(resume_after);
  auto ctx = Harness::As(Operator(), std::chrono::seconds(20));
  auto reader = beds().WatchAvailability(ctx.get(), req);
  AvailabilityChange change;
  ASSERT_TRUE(reader->Read(&change));
  EXPECT_EQ(change.pool().live_holds(), 2);
  EXPECT_EQ(change.pool().free(), 8);
  ctx->TryCancel();
  while (reader->Read(&change)) {
  }
  reader->Finish();
}

TEST_F(WatchTest, MonitoringMayNotWatchPools) {
  WatchAvailabilityRequest req;
  auto ctx = Harness::As(Monitoring());
  auto reader = beds().WatchAvailability(ctx.get(), req);
  AvailabilityChange change;
  EXPECT_FALSE(reader->Read(&change));
  EXPECT_EQ(reader->Finish().error_code(), grpc::PERMISSION_DENIED);
}

}  // namespace
}  // namespace relais::testing
