// Street reports and pass night through the dispatch API: routing by need and zone, the states from
// new to closed, a team seeing only its reports, reports of the same spot offered for merging, the
// reporter's number deleted at close (moved to the call-back list when they asked for the outcome),
// and the pass night quota.
#include "tests/support/beds_fixture.h"

namespace relais::testing {
namespace {

using namespace relais::v1;

class StreetTest : public BedsTest {
 protected:
  void SetUp() override {
    BedsTest::SetUp();
    dispatch::DispatchConfig config;
    config.service.routing = *dispatch::Routing::Parse(
        "maraude=maraude-1;street_work:ixelles,etterbeek=street-south;street_work=street-north");
    config.service.pass_night_quota = 2;
    harness_ = std::make_unique<Harness>(SharedRedis(), beds::BedsConfig{}, config);
  }

  Dispatch::Stub& d() { return h().dispatch(); }

  StreetReport Report(std::initializer_list<StreetNeed> needs, const std::string& commune, const std::string& address) {
    StreetReport r;
    r.set_reporter_kind(REPORTER_KIND_CITIZEN);
    r.set_commune(commune);
    r.set_address(address);
    r.add_seen(OBSERVATION_SLEEPING_OUTSIDE);
    for (auto n : needs) r.add_needs(n);
    return r;
  }

  CreateStreetReportResponse Create(const StreetReport& r) {
    CreateStreetReportRequest req;
    *req.mutable_report() = r;
    req.set_idempotency_key(Key());
    CreateStreetReportResponse resp;
    auto s = d().CreateStreetReport(Harness::As(Operator()).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp;
  }

  grpc::Status Advance(const std::string& id, StreetReportState state, const Caller& caller,
                       StreetOutcome outcome = STREET_OUTCOME_UNSPECIFIED, StreetReport* out = nullptr) {
    AdvanceStreetReportRequest req;
    req.set_report_id(id);
    req.set_state(state);
    req.set_outcome(outcome);
    req.set_idempotency_key(Key());
    AdvanceStreetReportResponse resp;
    auto s = d().AdvanceStreetReport(Harness::As(caller).get(), req, &resp);
    if (out) *out = resp.report();
    return s;
  }
};

TEST_F(StreetTest, RoutedByNeedAndZoneFollowedToClosedSeenOnlyByItsTeam) {
  auto care = Create(Report({STREET_NEED_CARE}, "ixelles", "Place Flagey 1")).report();
  EXPECT_EQ(care.route(), ROUTE_MARAUDE);
  EXPECT_EQ(care.team(), "maraude-1");
  auto info_south = Create(Report({STREET_NEED_INFORMATION}, "ixelles", "Rue du Trone 10")).report();
  EXPECT_EQ(info_south.route(), ROUTE_STREET_WORK);
  EXPECT_EQ(info_south.team(), "street-south");
  auto info_north = Create(Report({STREET_NEED_ACCOMPANIMENT}, "schaerbeek", "Gare du Nord")).report();
  EXPECT_EQ(info_north.team(), "street-north");
  EXPECT_EQ(care.state(), STREET_REPORT_STATE_NEW);

  // The maraude sees its report only, and moves it through every state.
  ListStreetReportsRequest list;
  ListStreetReportsResponse mine;
  ASSERT_TRUE(d().ListStreetReports(Harness::As(Team("maraude-1")).get(), list, &mine).ok());
  ASSERT_EQ(mine.reports_size(), 1);
  EXPECT_EQ(mine.reports(0).id(), care.id());
  EXPECT_EQ(Advance(info_south.id(), STREET_REPORT_STATE_ASSIGNED, Team("maraude-1")).error_code(),
            grpc::PERMISSION_DENIED);

  ASSERT_TRUE(Advance(care.id(), STREET_REPORT_STATE_ASSIGNED, Team("maraude-1")).ok());
  EXPECT_EQ(Advance(care.id(), STREET_REPORT_STATE_CLOSED, Team("maraude-1"), STREET_OUTCOME_CARE_GIVEN).error_code(),
            grpc::FAILED_PRECONDITION)
      << "not closed before the team went and found (or not) the person";
  ASSERT_TRUE(Advance(care.id(), STREET_REPORT_STATE_ON_THE_WAY, Team("maraude-1")).ok());
  h().clock().Advance(std::chrono::minutes(25));
  StreetReport found;
  ASSERT_TRUE(Advance(care.id(), STREET_REPORT_STATE_FOUND, Team("maraude-1"), STREET_OUTCOME_UNSPECIFIED, &found).ok());
  EXPECT_TRUE(found.has_first_contact_at());
  StreetReport closed;
  ASSERT_TRUE(Advance(care.id(), STREET_REPORT_STATE_CLOSED, Team("maraude-1"), STREET_OUTCOME_TRANSPORTED_TO_SHELTER,
                      &closed).ok());
  EXPECT_EQ(closed.state(), STREET_REPORT_STATE_CLOSED);
  EXPECT_EQ(closed.outcome(), STREET_OUTCOME_TRANSPORTED_TO_SHELTER);

  auto events = Events();
  std::vector<std::string> types;
  for (auto& e : events) types.push_back(e["type"]);
  EXPECT_EQ(std::count(types.begin(), types.end(), "report.created"), 3);
  for (const char* t : {"report.assigned", "report.on_the_way", "report.found", "report.closed"}) {
    EXPECT_EQ(std::count(types.begin(), types.end(), t), 1) << t;
  }
  for (auto& e : events) {
    if (e["type"] == "report.found") {
      EXPECT_EQ(e["to_contact_ms"], std::to_string(25 * 60 * 1000));
    }
    for (auto& [k, v] : e) EXPECT_EQ(v.find("Flagey"), std::string::npos) << "no address in events: " << k;
  }
}

TEST_F(StreetTest, TheSameSpotIsOfferedForMergingAndMergeClosesOne) {
  auto first = Create(Report({STREET_NEED_HELP}, "brussels", "Gare Centrale, entrée Putterie")).report();
  auto second = Create(Report({STREET_NEED_HELP}, "brussels", "gare centrale,  Entrée PUTTERIE"));
  ASSERT_EQ(second.possible_duplicates_size(), 1);
  EXPECT_EQ(second.possible_duplicates(0).id(), first.id());
  auto elsewhere = Create(Report({STREET_NEED_HELP}, "brussels", "Porte de Namur"));
  EXPECT_EQ(elsewhere.possible_duplicates_size(), 0);

  MergeStreetReportRequest merge;
  merge.set_report_id(second.report().id());
  merge.set_into_report_id(first.id());
  merge.set_idempotency_key(Key());
  MergeStreetReportResponse merged;
  ASSERT_TRUE(d().MergeStreetReport(Harness::As(Operator()).get(), merge, &merged).ok());
  EXPECT_EQ(merged.report().state(), STREET_REPORT_STATE_CLOSED);
  EXPECT_EQ(merged.report().outcome(), STREET_OUTCOME_MERGED);
  EXPECT_EQ(merged.report().merged_into(), first.id());
}

TEST_F(StreetTest, TheReportersNumberLeavesTheReportAtCloseForTheCallBackList) {
  auto r = Report({STREET_NEED_LISTENING}, "jette", "Parc Roi Baudouin");
  r.set_reporter_wants_outcome(true);
  r.set_reporter_contact("+32 470 99 88 77");
  auto created = Create(r).report();
  EXPECT_EQ(created.reporter_contact(), "+32 470 99 88 77") << "the hotline sees it";
  GetStreetReportRequest get;
  get.set_report_id(created.id());
  GetStreetReportResponse seen_by_team;
  ASSERT_TRUE(d().GetStreetReport(Harness::As(Team("maraude-1")).get(), get, &seen_by_team).ok());
  EXPECT_EQ(seen_by_team.report().reporter_contact(), "") << "a team does not need it";

  for (auto s : {STREET_REPORT_STATE_ASSIGNED, STREET_REPORT_STATE_ON_THE_WAY, STREET_REPORT_STATE_NOT_FOUND}) {
    ASSERT_TRUE(Advance(created.id(), s, Team("maraude-1")).ok());
  }
  ASSERT_TRUE(Advance(created.id(), STREET_REPORT_STATE_CLOSED, Team("maraude-1"), STREET_OUTCOME_NOT_FOUND).ok());
  GetStreetReportResponse after;
  ASSERT_TRUE(d().GetStreetReport(Harness::As(Operator()).get(), get, &after).ok());
  EXPECT_EQ(after.report().reporter_contact(), "");

  ListCallsRequest backs;
  backs.set_list(CALL_LIST_CALL_BACKS);
  ListCallsResponse list;
  ASSERT_TRUE(d().ListCalls(Harness::As(Operator()).get(), backs, &list).ok());
  ASSERT_EQ(list.calls_size(), 1) << "the reporter asked to be told: a call-back carries the number";
  EXPECT_EQ(list.calls(0).call_back_contact(), "+32 470 99 88 77");
  EXPECT_EQ(list.calls(0).caller_kind(), CALLER_KIND_CITIZEN);
  CompleteCallBackRequest done;
  done.set_call_id(list.calls(0).id());
  done.set_reached(true);
  done.set_idempotency_key(Key());
  CompleteCallBackResponse completed;
  ASSERT_TRUE(d().CompleteCallBack(Harness::As(Operator()).get(), done, &completed).ok());
  for (const auto& [key, value] : Snapshot()) EXPECT_EQ(value.find("99 88 77"), std::string::npos) << key;
}

TEST_F(StreetTest, PassNightHoldsInOneCallWithinTheTeamsQuota) {
  CreateShelter(MakeShelter("ilot", "ixelles"));
  CreateShelter(MakeShelter("samusocial", "anderlecht"));
  Declare("ilot", "single_men", 10, 0, 9);        // 1 free
  Declare("samusocial", "single_men", 10, 0, 5);  // 5 free
  auto hold = [&](const std::string& key, HoldPassNightResponse* out) {
    HoldPassNightRequest r;
    r.set_public_("single_men");
    r.add_preferred_communes("ixelles");
    r.set_idempotency_key(key);
    return d().HoldPassNight(Harness::As(Team("maraude-1")).get(), r, out);
  };
  HoldPassNightResponse first, retry, second, third;
  ASSERT_TRUE(hold("pass-night-key-1", &first).ok());
  EXPECT_EQ(first.pool_id(), "ilot:single_men") << "the preferred commune first";
  EXPECT_EQ(first.used(), 1);
  EXPECT_EQ(first.quota(), 2);
  ASSERT_TRUE(hold("pass-night-key-1", &retry).ok());
  EXPECT_EQ(retry.hold_id(), first.hold_id()) << "a retry holds nothing more";
  ASSERT_TRUE(hold("pass-night-key-2", &second).ok());
  EXPECT_EQ(second.pool_id(), "samusocial:single_men") << "Ilot has no place left";
  EXPECT_EQ(second.used(), 2);
  auto s = hold("pass-night-key-3", &third);
  EXPECT_EQ(s.error_code(), grpc::RESOURCE_EXHAUSTED) << s.error_message();

  GetPassNightQuotaResponse quota;
  ASSERT_TRUE(d().GetPassNightQuota(Harness::As(Team("maraude-1")).get(), {}, &quota).ok());
  EXPECT_EQ(quota.used(), 2);
  EXPECT_EQ(quota.quota(), 2);
  EXPECT_EQ(PoolNow("samusocial:single_men").live_holds(), 1);
  EXPECT_EQ(PoolNow("ilot:single_men").live_holds(), 1);
  HoldPassNightRequest r;
  r.set_public_("single_men");
  r.set_idempotency_key(Key());
  HoldPassNightResponse denied;
  EXPECT_EQ(d().HoldPassNight(Harness::As(Operator()).get(), r, &denied).error_code(), grpc::PERMISSION_DENIED);
}

}  // namespace
}  // namespace relais::testing
