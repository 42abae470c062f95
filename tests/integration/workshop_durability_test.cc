// Restarts lose nothing acknowledged: the workshop service is stopped and started again, then
// redis-server is killed with SIGKILL and restarted from its data folder; every case (state, deadline,
// plan and its approvals), the session's agenda, the priority places and the figures acknowledged
// before are there after.
#include <thread>

#include "tests/support/workshop_fixture.h"

namespace relais::testing {
namespace {

using namespace relais::v1;

class WorkshopDurabilityTest : public WorkshopTest {
 protected:
  // What the workshop would look at: every case, Tuesday's session, the priority places, the figures.
  std::string Picture() {
    std::string out;
    ListCasesResponse cases;
    EXPECT_TRUE(w().ListCases(Harness::As(WorkshopAccount()).get(), {}, &cases).ok());
    for (const auto& c : cases.cases()) out += c.DebugString() + "\n";
    GetWorkshopSessionRequest session;
    session.set_session_id("2025-03-04T10:00");
    GetWorkshopSessionResponse s;
    EXPECT_TRUE(w().GetWorkshopSession(Harness::As(WorkshopAccount()).get(), session, &s).ok());
    out += s.DebugString();
    ListPriorityPlacesResponse pools;
    EXPECT_TRUE(w().ListPriorityPlaces(Harness::As(WorkshopAccount()).get(), {}, &pools).ok());
    out += pools.DebugString();
    out += Summary().DebugString();
    return out;
  }
};

TEST_F(WorkshopDurabilityTest, NothingAcknowledgedIsLostAcrossRestarts) {
  DeclarePlaces("mda-1", 2, ShelterAccount("mda-1"));
  Case approved = ApprovedCase("mda-1");
  TakePriorityPlaceResponse taken;
  ASSERT_TRUE(TakePlace(approved.id(), &taken).ok());
  ApprovedCase("hf-bxl");
  Case half = Register(Referral(NewPerson(), "ilot", Facts(URGENCY_HIGH)), WorkshopAccount());
  Build();
  At("2025-03-04T10:05");
  Preconise(half.id(), ORIENTATION_TRANSIT_HOUSING, "transit-1", 7);
  Answer(half.id(), PARTY_PERSON, true);
  Answer(half.id(), PARTY_SENDING_SERVICE, true);
  Register(Referral(NewPerson(), "cpas-ixelles", Facts(URGENCY_LOW)), Operator());
  CaseFacts partial = Facts(URGENCY_MEDIUM);
  partial.clear_domains();
  Case incomplete = Register(Referral(NewPerson(), "ilot", partial), ShelterAccount("ilot"));
  ASSERT_EQ(incomplete.state(), CASE_STATE_INCOMPLETE);
  std::string before = Picture();
  EXPECT_NE(before.find("CASE_STATE_PRECONISED"), std::string::npos) << before;
  EXPECT_NE(before.find("priority_places_used: 1"), std::string::npos) << before;
  auto events_before = Events().size();

  RestartServices();  // the service process stops and starts again
  EXPECT_EQ(Picture(), before);

  SharedRedis().Kill();  // SIGKILL: no chance to save anything more
  SharedRedis().Start();
  for (int attempt = 0; attempt < 50; ++attempt) {  // the pool reconnects by itself
    GetWorkshopSummaryResponse probe;
    if (w().GetWorkshopSummary(Harness::As(WorkshopAccount()).get(), {}, &probe).ok()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(Picture(), before);
  EXPECT_EQ(Events().size(), events_before) << "every event acknowledged is still in the stream";

  // And the work goes on where it stopped: the last two parties approve the half-answered plan.
  Answer(half.id(), PARTY_RECEIVING_SERVICE, true);
  EXPECT_EQ(Answer(half.id(), PARTY_ORIENTATION_CELL, true).state(), CASE_STATE_APPROVED);
}

}  // namespace
}  // namespace relais::testing
