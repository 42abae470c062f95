// A hand-built month (tests/support/monitoring_events.cc: March 2026, with February 2026 and March
// 2025) counted by the real consumer into a real Redis, and its report: every figure is worked out
// here by hand, withheld cells included (primary: 1 to 4; secondary: worked out line by line below).
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <atomic>
#include <regex>
#include <thread>

#include "services/monitoring/consumer.h"
#include "services/monitoring/export.h"
#include "services/monitoring/indicator.h"
#include "services/monitoring/report_reader.h"
#include "tests/support/beds_fixture.h"
#include "tests/support/monitoring_events.h"

namespace relais::testing {
namespace {

using namespace relais::v1;
using monitoring::Month;

constexpr int64_t kDay = 24 * 3600 * 1000LL;
constexpr int64_t kApril5 = kMarch2026 + 35 * kDay;  // the report is made on 2026-04-05, 00:00 UTC

class MonitoringMonthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SharedRedis().FlushAll();
    redis_ = std::make_unique<RedisPool>(SharedRedis().options(4));
    EventLog log(*redis_, "relais:{brussels}:events");
    WriteHandBuiltMonth(log);
    events_ = log.count();
    monitoring::ConsumerOptions options;
    options.name = "month-test";
    monitoring::Consumer consumer(*redis_, options);
    int64_t counted = 0;
    for (;;) {
      auto step = consumer.Step();
      ASSERT_TRUE(step.ok()) << step.status();
      if (step->read == 0) break;
      counted += step->counted;
    }
    ASSERT_EQ(counted, events_);
    auto report = monitoring::BuildMonthlyReport(*redis_, "brussels", *Month::Parse("2026-03"), kApril5);
    ASSERT_TRUE(report.ok()) << report.status();
    report_ = *report;
  }

  std::unique_ptr<RedisPool> redis_;
  int64_t events_ = 0;
  MonthlyReport report_;
};

Count CellOf(const CountTable& t, const std::string& key) {
  for (const auto& c : t.cells()) {
    if (c.key() == key) return c.count();
  }
  ADD_FAILURE() << "no cell " << key << " in " << t.name();
  return {};
}

// Every cell of a table, in order: a number shown, or -1 for withheld.
std::vector<int64_t> Cells(const CountTable& t) {
  std::vector<int64_t> out;
  for (const auto& c : t.cells()) out.push_back(c.count().suppressed() ? -1 : c.count().value());
  return out;
}
int64_t Shown(const Count& c) { return c.suppressed() ? -1 : c.value(); }
constexpr int64_t W = -1;  // withheld

std::vector<std::string> Keys(const CountTable& t) {
  std::vector<std::string> out;
  for (const auto& c : t.cells()) out.push_back(c.key());
  return out;
}

TEST_F(MonitoringMonthTest, Calls) {
  const CallFigures& c = report_.current().calls();
  EXPECT_EQ(Shown(c.total()), 12);
  EXPECT_EQ(Shown(c.answered()), 10);
  EXPECT_EQ(Shown(c.missed()), W) << "2 missed calls";
  // Person 7, citizen 2, police 3: the two small cells are withheld; together they are 5, not two ones.
  EXPECT_EQ(Keys(c.by_caller_kind()),
            (std::vector<std::string>{"CALLER_KIND_PERSON", "CALLER_KIND_CITIZEN", "CALLER_KIND_POLICE",
                                      "CALLER_KIND_PUBLIC_TRANSPORT", "CALLER_KIND_HOSPITAL", "CALLER_KIND_PROFESSIONAL",
                                      "CALLER_KIND_OTHER"}));
  EXPECT_EQ(Cells(c.by_caller_kind()), (std::vector<int64_t>{7, W, W, 0, 0, 0, 0}));
  EXPECT_EQ(Shown(c.by_caller_kind().total()), 12);
  // French 8, Dutch 4: Dutch is withheld, so French is too (else 12 - 8 gives it away).
  EXPECT_EQ(Keys(c.by_language()), (std::vector<std::string>{"fr", "nl"}));
  EXPECT_EQ(Cells(c.by_language()), (std::vector<int64_t>{W, W}));
  EXPECT_EQ(Shown(c.by_language().total()), 12);
  // Answered calls by waiting band: 5 within a minute, 2 within 5, 1 within 10, 1 within 20, 1 over 30.
  EXPECT_EQ(Cells(c.waiting_time()), (std::vector<int64_t>{5, 0, W, W, W, 0, W}));
  EXPECT_EQ(Shown(c.waiting_time().total()), 10);
  // (5 x 30 + 2 x 180 + 540 + 900 + 2400) / 10 seconds.
  EXPECT_DOUBLE_EQ(c.mean_waiting_seconds(), 435.0);
  // 8 of 12 within 10 minutes, but the bands and the missed calls behind it are withheld.
  EXPECT_TRUE(c.answered_within_target().suppressed());
  EXPECT_EQ(c.answered_within_target().percent(), 0.0);
  // Outcomes: information 6, place dispatched 3, call-back needed 1.
  EXPECT_EQ(Cells(c.by_outcome()), (std::vector<int64_t>{6, 0, W, 0, W, 0, 0}));
  EXPECT_EQ(Shown(c.by_outcome().total()), 10);
  // Call-backs: a missed call with a number, a call-back outcome, a reporter who wants the outcome.
  EXPECT_EQ(Shown(c.call_backs_requested()), W);
  EXPECT_EQ(Cells(c.call_backs_completed()), (std::vector<int64_t>{W, W}));
  EXPECT_EQ(Shown(c.call_backs_completed().total()), W);
  // Per day: 5 on the 2nd, 7 on the 3rd.
  ASSERT_EQ(c.per_day().cells_size(), 31);
  EXPECT_EQ(Shown(CellOf(c.per_day(), "2026-03-02")), 5);
  EXPECT_EQ(Shown(CellOf(c.per_day(), "2026-03-03")), 7);
  EXPECT_EQ(Shown(CellOf(c.per_day(), "2026-03-04")), 0);
  EXPECT_EQ(Shown(c.per_day().total()), 12);
}

TEST_F(MonitoringMonthTest, StreetReports) {
  const StreetReportFigures& r = report_.current().street_reports();
  EXPECT_EQ(Shown(r.total()), 6);
  // Citizens 5, police 1: the police's one is withheld, so the citizens' five too.
  EXPECT_EQ(Cells(r.by_reporter_kind()), (std::vector<int64_t>{W, W, 0, 0, 0, 0, 0}));
  EXPECT_EQ(Keys(r.by_commune()), (std::vector<std::string>{"anderlecht", "ixelles"}));
  EXPECT_EQ(Cells(r.by_commune()), (std::vector<int64_t>{W, W}));
  EXPECT_EQ(Shown(r.by_commune().total()), 6);
  EXPECT_EQ(Keys(r.by_route()), (std::vector<std::string>{"ROUTE_STREET_WORK", "ROUTE_MARAUDE"}));
  EXPECT_EQ(Cells(r.by_route()), (std::vector<int64_t>{0, 6}));
  // Accompanied 5, not found 1.
  EXPECT_EQ(Cells(r.by_outcome()), (std::vector<int64_t>{W, 0, 0, 0, 0, W, 0, 0}));
  EXPECT_EQ(Shown(r.by_outcome().total()), 6);
  // First contact: 3 within 15 minutes, 2 within the hour, 1 (not found) after 3 hours.
  EXPECT_EQ(Cells(r.time_to_first_contact()), (std::vector<int64_t>{W, 0, W, 0, W, 0, 0}));
  EXPECT_EQ(Shown(r.time_to_first_contact().total()), 6);
  EXPECT_EQ(Cells(r.contact()), (std::vector<int64_t>{W, W}));
  EXPECT_EQ(Shown(r.contact().total()), 6);
  EXPECT_TRUE(r.found().suppressed());
}

TEST_F(MonitoringMonthTest, Dispatching) {
  const DispatchFigures& d = report_.current().dispatching();
  EXPECT_EQ(Shown(d.requests()), 15);
  EXPECT_EQ(Shown(d.persons()), 14) << "p1 asked twice";
  // Priority 2, medical 1, standard 12: two withheld cells summing to 3 cannot both be ones.
  EXPECT_EQ(Cells(d.requests_by_lane()), (std::vector<int64_t>{W, W, 12}));
  EXPECT_EQ(Shown(d.requests_by_lane().total()), 15);
  EXPECT_EQ(Shown(d.proposals()), 12);
  EXPECT_EQ(Keys(d.dispatched_by_public()), (std::vector<std::string>{"families", "single_men"}));
  EXPECT_EQ(Cells(d.dispatched_by_public()), (std::vector<int64_t>{W, W}));
  EXPECT_EQ(Shown(d.dispatched_by_public().total()), 7);
  // Too far 3, safety 1: all small, total 4 withheld too.
  EXPECT_EQ(Cells(d.refused_by_reason()), (std::vector<int64_t>{W, 0, W, 0, 0, 0, 0}));
  EXPECT_EQ(Shown(d.refused_by_reason().total()), W);
  EXPECT_EQ(Shown(d.place_gone()), W);
  EXPECT_EQ(Shown(d.holds_taken()), 14);
  // Arrived 12, no-show 1, cancelled 0, expired 1: the two withheld ones could only be 1 and 1
  // (14 - 12 = 2), so the arrivals are withheld too.
  EXPECT_EQ(Cells(d.hold_endings()), (std::vector<int64_t>{W, W, 0, W}));
  EXPECT_EQ(Shown(d.hold_endings().total()), 14);
  // Solutions proposed by the hotline: insertion 6, prevention 1.
  EXPECT_EQ(Keys(d.insertion_proposals()), (std::vector<std::string>{"SOLUTION_KIND_INSERTION", "SOLUTION_KIND_PREVENTION"}));
  EXPECT_EQ(Cells(d.insertion_proposals()), (std::vector<int64_t>{W, W}));
  EXPECT_EQ(Shown(d.insertion_proposals().total()), 7);
  EXPECT_EQ(Shown(d.pass_night().places_used()), W) << "2 places used";
  EXPECT_EQ(d.pass_night().nights_used(), 2);
}

// Unmet requests per night by lane (priority, medical, standard):
//   03-02: 0 1 6 | 7      primary: the 1, the 2 and their column totals 1 and 2;
//   03-03: 0 0 7 | 7      secondary: a row with one withheld cell takes its smallest other non-zero
//   03-04: 2 0 5 | 7      cell: the 6 of 03-02 and the 5 of 03-04. Then 1 + 2 = 3 across the rows, and
//          2 1 18 | 21    the medical and priority cells could be 1 and 2 or 2 and 1: nothing pinned.
TEST_F(MonitoringMonthTest, UnmetPerNightWithSecondarySuppression) {
  const CrossTable& x = report_.current().dispatching().unmet_per_night();
  ASSERT_EQ(x.rows_size(), 3);
  EXPECT_EQ(x.columns(0), "LANE_PRIORITY");
  auto row = [&](int r) {
    std::vector<int64_t> out;
    for (const auto& c : x.rows(r).cells()) out.push_back(Shown(c));
    out.push_back(Shown(x.rows(r).total()));
    return out;
  };
  EXPECT_EQ(x.rows(0).key(), "2026-03-02");
  EXPECT_EQ(row(0), (std::vector<int64_t>{0, W, W, 7}));
  EXPECT_EQ(row(1), (std::vector<int64_t>{0, 0, 7, 7}));
  EXPECT_EQ(row(2), (std::vector<int64_t>{W, 0, W, 7}));
  EXPECT_EQ(Shown(x.column_totals(0)), W);
  EXPECT_EQ(Shown(x.column_totals(1)), W);
  EXPECT_EQ(Shown(x.column_totals(2)), 18);
  EXPECT_EQ(Shown(x.total()), 21);
}

TEST_F(MonitoringMonthTest, OccupancyByPublicAndCommune) {
  const OccupancyFigures& o = report_.current().occupancy();
  // Single men 6 for 12 days then 8 for 19 (224 place-days); families 2 for 20 days then 4 for 11 (84);
  // single women (the hub) 10 all month plus 6 for two hours on the 5th and on the 8th (311).
  // Places: 10, 4, 20.
  ASSERT_EQ(o.by_public_size(), 3);
  EXPECT_EQ(o.by_public(0).key(), "families");
  EXPECT_NEAR(o.by_public(0).average_occupied(), 84.0 / 31, 1e-9);
  EXPECT_EQ(o.by_public(0).peak_occupied(), 4);
  EXPECT_NEAR(o.by_public(0).average_places(), 4, 1e-9);
  EXPECT_EQ(o.by_public(1).key(), "single_men");
  EXPECT_NEAR(o.by_public(1).average_occupied(), 224.0 / 31, 1e-9);
  EXPECT_EQ(o.by_public(1).peak_occupied(), 8);
  EXPECT_NEAR(o.by_public(1).occupancy_percent(), 100.0 * 224 / 310, 1e-9);
  EXPECT_EQ(o.by_public(2).key(), "single_women");
  EXPECT_NEAR(o.by_public(2).average_occupied(), 311.0 / 31, 1e-9);
  EXPECT_EQ(o.by_public(2).peak_occupied(), 16);
  EXPECT_NEAR(o.by_public(2).average_places(), 20, 1e-9);
  ASSERT_EQ(o.by_commune_size(), 3);
  EXPECT_EQ(o.by_commune(0).key(), "anderlecht");
  EXPECT_EQ(o.by_commune(1).key(), "brussels");
  EXPECT_EQ(o.by_commune(2).key(), "ixelles");
  EXPECT_NEAR(o.by_commune(2).average_occupied(), 224.0 / 31, 1e-9);
  // The region: 619 place-days over 31 days, 34 places; the peak is 6 + 2 + 16 at 22:00 on the 5th and 8th.
  EXPECT_NEAR(o.region().average_occupied(), 619.0 / 31, 1e-9);
  EXPECT_EQ(o.region().peak_occupied(), 24);
  EXPECT_NEAR(o.region().average_places(), 34, 1e-9);
  EXPECT_NEAR(o.region().occupancy_percent(), 100.0 * 619 / (34 * 31), 1e-9);
  ASSERT_EQ(o.daily_size(), 31);
  EXPECT_NEAR(o.daily(0).average_occupied(), 18, 1e-9);
  EXPECT_EQ(o.daily(4).day(), "2026-03-05");
  EXPECT_NEAR(o.daily(4).average_occupied(), 18.5, 1e-9);  // 18 for 22 hours, 24 for 2
  EXPECT_EQ(o.daily(4).peak_occupied(), 24);
  EXPECT_NEAR(o.daily(7).average_occupied(), 18.5, 1e-9);
  EXPECT_EQ(o.daily(7).peak_occupied(), 24);
  EXPECT_NEAR(o.daily(12).average_occupied(), 20, 1e-9);
  EXPECT_NEAR(o.daily(30).average_occupied(), 22, 1e-9);
  EXPECT_EQ(o.daily(30).peak_occupied(), 22);
}

TEST_F(MonitoringMonthTest, BufferActivations) {
  const BufferFigures& b = report_.current().buffers();
  ASSERT_GE(b.by_reason_size(), 5);
  EXPECT_EQ(b.by_reason(0).reason(), "CRISIS_REASON_COLD");
  EXPECT_EQ(b.by_reason(0).activations(), 1);
  EXPECT_EQ(b.by_reason(0).places(), 8) << "the region's buffer places: 5 + 0 + 3";
  EXPECT_EQ(b.by_reason(0).nights(), 2) << "the 10th 18:00 to the 12th 09:00: nights of the 10th and 11th";
  EXPECT_EQ(b.by_reason(2).reason(), "CRISIS_REASON_STORM");
  EXPECT_EQ(b.by_reason(2).activations(), 1);
  EXPECT_EQ(b.by_reason(2).places(), 5);
  EXPECT_EQ(b.by_reason(2).nights(), 7) << "still open: the nights of the 25th to the 31st";
  EXPECT_EQ(b.activations(), 2);
  EXPECT_EQ(b.places(), 13);
  EXPECT_EQ(b.nights(), 9);
}

TEST_F(MonitoringMonthTest, PreviousMonthAndAYearBefore) {
  EXPECT_EQ(report_.previous().month(), "2026-02");
  EXPECT_EQ(Shown(report_.previous().calls().total()), W) << "3 calls";
  EXPECT_EQ(Cells(report_.previous().calls().by_caller_kind())[0], W);
  EXPECT_FALSE(report_.previous().occupancy().has_region()) << "no shelter figures before March";
  EXPECT_EQ(report_.year_before().month(), "2025-03");
  EXPECT_EQ(Shown(report_.year_before().calls().total()), 20);
  EXPECT_EQ(Cells(report_.year_before().calls().by_caller_kind())[0], 20);
  EXPECT_EQ(Shown(report_.year_before().dispatching().requests()), 0);
}

TEST_F(MonitoringMonthTest, ReportFrame) {
  EXPECT_EQ(report_.region(), "brussels");
  EXPECT_EQ(report_.month(), "2026-03");
  EXPECT_TRUE(report_.month_complete());
  EXPECT_EQ(report_.figures_through().seconds() * 1000, kMarch2026 + 24 * kDay + 20 * 3600 * 1000LL)
      << "the last event: the storm crisis, the 25th at 20:00";
  EXPECT_NE(report_.suppression_rule().find("from 1 to 4"), std::string::npos);
}

TEST_F(MonitoringMonthTest, Workshop) {
  const WorkshopFigures& w = report_.current().workshop();
  EXPECT_TRUE(w.available());
  EXPECT_EQ(Shown(w.referrals()), 6);
  EXPECT_EQ(w.sessions(), 2);
  // Préconisations: Housing First 5 (p2, p6, three others), transit housing 6.
  ASSERT_EQ(w.cases_by_outcome().cells_size(), 17) << "every orientation, every month";
  EXPECT_EQ(w.cases_by_outcome().cells(0).key(), "ORIENTATION_FAMILY");
  EXPECT_EQ(Shown(CellOf(w.cases_by_outcome(), "ORIENTATION_HOUSING_FIRST")), 5);
  EXPECT_EQ(Shown(CellOf(w.cases_by_outcome(), "ORIENTATION_TRANSIT_HOUSING")), 6);
  EXPECT_EQ(Shown(CellOf(w.cases_by_outcome(), "ORIENTATION_HOTEL")), 0);
  EXPECT_EQ(Shown(w.cases_by_outcome().total()), 11);
  EXPECT_EQ(Cells(w.deadlines()), (std::vector<int64_t>{8, 5}));
  EXPECT_NEAR(w.deadlines_met().percent(), 100.0 * 8 / 13, 1e-9);
  EXPECT_EQ(Shown(w.plans_approved()), 6);
  EXPECT_EQ(Shown(w.plans_refused()), W) << "1 refused";
  EXPECT_EQ(Shown(w.priority_places_used()), 5);
  EXPECT_TRUE(report_.previous().workshop().available()) << "the workshop runs: its months show zeros";
  EXPECT_EQ(Shown(report_.previous().workshop().referrals()), 0);
}

// The Masterplan indicator (common/insertion_indicator.h): entries on the 5th and the 8th, proposals
// from dispatch and the workshop (see tests/support/monitoring_events.cc): 7 met of 12, none pending.
TEST_F(MonitoringMonthTest, InsertionIndicatorAfterTheMonth) {
  const relais::v1::InsertionIndicator& ind = report_.current().insertion_indicator();
  ASSERT_TRUE(ind.available());
  EXPECT_EQ(Shown(ind.within_seven_days().numerator()), 7);
  EXPECT_EQ(Shown(ind.within_seven_days().denominator()), 12);
  EXPECT_NEAR(ind.within_seven_days().percent(), 100.0 * 7 / 12, 1e-9);
  EXPECT_EQ(Shown(ind.pending()), 0);
  EXPECT_FALSE(ind.meets_80());
  EXPECT_FALSE(ind.meets_95());
  // Nobody entered shelter in February or a year before.
  EXPECT_EQ(Shown(report_.previous().insertion_indicator().within_seven_days().denominator()), 0);
  EXPECT_EQ(Shown(report_.year_before().insertion_indicator().within_seven_days().denominator()), 0);
  // Once the month is over its counts are kept, counts only: no person id anywhere in the aggregates.
  auto kept = redis_->Command({"HGETALL", "relais:{brussels}:mon:g:1:indicator:2026-03"});
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ((*kept)->elements, 8u) << "met, missed, pending, and until: 0 for a month over";
  std::string all;
  for (const auto& [key, content] : GenerationSnapshot(*redis_, "brussels", "1")) all += key + "\n" + content + "\n";
  EXPECT_FALSE(std::regex_search(all, std::regex("(^|[^a-z_])(p|q)[0-9]+([^0-9]|$)"))) << "a person or request id";
}

// On the 10th, inside the month: everyone who entered is still within their 7 days. p1, p3 and p6
// already had a proposal (3 met, withheld with the total), the nine others are pending.
TEST_F(MonitoringMonthTest, InsertionIndicatorDuringTheMonth) {
  auto report = monitoring::BuildMonthlyReport(*redis_, "brussels", *Month::Parse("2026-03"), kMarch2026 + 9 * kDay);
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->month_complete());
  const relais::v1::InsertionIndicator& ind = report->current().insertion_indicator();
  EXPECT_EQ(Shown(ind.within_seven_days().numerator()), W);
  EXPECT_EQ(Shown(ind.within_seven_days().denominator()), W);
  EXPECT_TRUE(ind.within_seven_days().suppressed());
  EXPECT_EQ(Shown(ind.pending()), 9);
  EXPECT_FALSE(ind.meets_80());
}

// A month in progress: counts made less than a minute ago are reused (each one reads the whole stream);
// a month over keeps its counts for good, and a report of an earlier moment never replaces them.
TEST_F(MonitoringMonthTest, IndicatorCountsAreKept) {
  const std::string kept = "relais:{brussels}:mon:g:1:indicator:2026-03";
  auto report_at = [&](int64_t now) {
    auto r = monitoring::BuildMonthlyReport(*redis_, "brussels", *Month::Parse("2026-03"), now);
    EXPECT_TRUE(r.ok());
    return r->current().insertion_indicator().pending().value();
  };
  int64_t tenth = kMarch2026 + 9 * kDay;
  EXPECT_EQ(report_at(tenth), 9);
  auto until = redis_->Command({"HGET", kept, "until"});
  EXPECT_EQ(ReplyStr(until->get()), "0") << "the final counts stay";

  ASSERT_TRUE(redis_->Command({"DEL", kept}).ok());
  EXPECT_EQ(report_at(tenth), 9);
  ASSERT_TRUE(redis_->Command({"HSET", kept, "pending", "42"}).ok());  // marks the kept counts
  EXPECT_EQ(report_at(tenth + 30'000), 42) << "reused within the minute";
  EXPECT_EQ(report_at(tenth + 61'000), 9) << "read again after it";
  EXPECT_EQ(report_at(kApril5), 0) << "the month over: computed and kept for good";
  ASSERT_TRUE(redis_->Command({"HSET", kept, "pending", "43"}).ok());
  EXPECT_EQ(report_at(kApril5 + kDay), 43);
}

// Pages open together when the kept counts of a month in progress are a minute old: one of them reads
// the stream, the others wait and reuse its counts.
TEST_F(MonitoringMonthTest, ReportsAskedTogetherReadTheStreamOnce) {
  int64_t tenth = kMarch2026 + 9 * kDay;
  monitoring::IndicatorFollower follower;  // as the service holds it
  // XRANGE calls made by eight reports asked at once (each also reads one entry for its status).
  auto eight_pages = [&] {
    EXPECT_TRUE(redis_->Command({"CONFIG", "RESETSTAT"}).ok());
    std::vector<std::thread> pages;
    std::atomic<int> nine{0};
    for (int i = 0; i < 8; ++i) {
      pages.emplace_back([&] {
        auto r = monitoring::BuildMonthlyReport(*redis_, "brussels", *Month::Parse("2026-03"), tenth, "", &follower);
        if (r.ok() && r->current().insertion_indicator().pending().value() == 9) ++nine;
      });
    }
    for (auto& t : pages) t.join();
    EXPECT_EQ(nine.load(), 8) << "every report has the counts";
    auto stats = redis_->Command({"INFO", "commandstats"});
    std::smatch m;
    std::string text(ReplyStr(stats->get()));
    return std::regex_search(text, m, std::regex("cmdstat_xrange:calls=([0-9]+)")) ? std::stoi(m[1]) : 0;
  };
  ASSERT_TRUE(redis_->Command({"DEL", "relais:{brussels}:mon:g:1:indicator:2026-03"}).ok());
  int with_scan = eight_pages();
  int kept = eight_pages();  // the counts kept a moment ago: no scan at all
  EXPECT_EQ(with_scan - kept, 1) << "the month's stream (" << events_
                                 << " events, one page) read once, not once per page open";
}

// The service follows the stream: after the first report, each one reads only the entries that are new,
// and its counts are those of a whole read. A stream that is not the one it followed (restored from an
// older copy, or another Redis) is read again from its beginning.
TEST_F(MonitoringMonthTest, AFollowedStreamReadsOnlyWhatIsNewAndCountsAsAWholeRead) {
  const std::string stream = "relais:{brussels}:events";
  auto whole_read = [&](int64_t start, int64_t end) {
    monitoring::IndicatorFollower fresh;
    EXPECT_TRUE(fresh.CatchUp(*redis_, stream).ok());
    return fresh.indicator().ForPeriod(start, end);
  };
  auto same = [](const InsertionShare& a, const InsertionShare& b) {
    return a.cohort == b.cohort && a.met == b.met && a.missed == b.missed && a.pending == b.pending;
  };
  int64_t tenth = kMarch2026 + 9 * kDay;
  monitoring::IndicatorFollower follower;
  ASSERT_TRUE(follower.CatchUp(*redis_, stream).ok());
  EXPECT_EQ(follower.entries_read(), events_);
  size_t held = follower.requests_held();
  EXPECT_EQ(held, follower.indicator().requests());
  EXPECT_EQ(follower.indicator().ForPeriod(kMarch2026, tenth).pending, 9);
  EXPECT_TRUE(same(follower.indicator().ForPeriod(kMarch2026, tenth), whole_read(kMarch2026, tenth)));

  // Two persons enter shelter in April; one gets an insertion proposal the next day.
  int64_t april = kApril5 + 2 * kDay, may = april + 30 * kDay;
  {
    EventLog log(*redis_, stream);
    for (const char* n : {"1", "2"}) {
      log.Add(april, "request.created", {{"request", std::string("qa") + n}, {"person", std::string("pa") + n}});
      log.Add(april + 3600'000, "hold.arrived", {{"request", std::string("qa") + n}, {"hold", std::string("ha") + n}});
    }
    log.Add(april + kDay, "insertion.proposed", {{"proposal", "ia1"}, {"person", "pa1"}, {"kind", "housing"}});
  }
  ASSERT_TRUE(follower.CatchUp(*redis_, stream).ok());
  EXPECT_EQ(follower.entries_read(), events_ + 5) << "the five new entries, and only them, read";
  EXPECT_EQ(follower.requests_held(), held + 2);
  InsertionShare april_share = follower.indicator().ForPeriod(april - 5 * kDay, april + 3 * kDay);
  EXPECT_EQ(april_share.cohort, 2);
  EXPECT_EQ(april_share.met, 1);
  EXPECT_EQ(april_share.pending, 1);
  EXPECT_TRUE(same(april_share, whole_read(april - 5 * kDay, april + 3 * kDay)));
  EXPECT_TRUE(same(follower.indicator().ForPeriod(kMarch2026, may), whole_read(kMarch2026, may)));
  ASSERT_TRUE(follower.CatchUp(*redis_, stream).ok());
  EXPECT_EQ(follower.entries_read(), events_ + 5) << "nothing new, nothing read twice";

  // The stream as it was before April (a restore from an older copy): the follower starts again.
  ASSERT_TRUE(redis_->Command({"DEL", stream}).ok());
  {
    EventLog log(*redis_, stream);
    WriteHandBuiltMonth(log);
  }
  ASSERT_TRUE(follower.CatchUp(*redis_, stream).ok());
  EXPECT_EQ(follower.entries_read(), events_);
  EXPECT_EQ(follower.indicator().ForPeriod(april - 5 * kDay, april + 3 * kDay).cohort, 0) << "April's persons are gone";
  EXPECT_EQ(follower.requests_held(), held);
  EXPECT_TRUE(same(follower.indicator().ForPeriod(kMarch2026, may), whole_read(kMarch2026, may)));
}

TEST_F(MonitoringMonthTest, ExportsCarryTheSameFiguresAndNoWithheldValue) {
  auto csv = monitoring::ExportReport(report_, REPORT_FORMAT_CSV);
  ASSERT_TRUE(csv.ok());
  EXPECT_EQ(csv->content_type, "text/csv; charset=utf-8");
  EXPECT_EQ(csv->filename, "relais-brussels-2026-03.csv");
  EXPECT_NE(csv->content.find("current,2026-03,calls,calls,total,,12,ok\n"), std::string::npos);
  EXPECT_NE(csv->content.find("current,2026-03,calls,calls_by_language,nl,,,withheld\n"), std::string::npos);
  EXPECT_NE(csv->content.find("current,2026-03,dispatching,unmet_requests_per_night_by_lane,2026-03-02,LANE_MEDICAL,,withheld\n"),
            std::string::npos);
  EXPECT_NE(csv->content.find("year_before,2025-03,calls,calls,total,,20,ok\n"), std::string::npos);
  EXPECT_NE(csv->content.find("current,2026-03,occupancy,region,all,peak_occupied,24,ok\n"), std::string::npos);

  auto json = monitoring::ExportReport(report_, REPORT_FORMAT_JSON);
  ASSERT_TRUE(json.ok());
  MonthlyReport parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json->content, &parsed).ok());
  EXPECT_EQ(parsed.SerializeAsString(), report_.SerializeAsString()) << "JSON round-trips to the same report";

  auto html = monitoring::ExportReport(report_, REPORT_FORMAT_HTML);
  ASSERT_TRUE(html.ok());
  EXPECT_EQ(html->content_type, "text/html; charset=utf-8");
  EXPECT_NE(html->content.find("<svg"), std::string::npos);
  EXPECT_EQ(html->content.find("<script"), std::string::npos);
  EXPECT_NE(html->content.find("from 1 to 4"), std::string::npos) << "the rule is stated";
  EXPECT_NE(html->content.find("class=\"withheld\">withheld</td>"), std::string::npos);

  EXPECT_FALSE(monitoring::ExportReport(report_, REPORT_FORMAT_UNSPECIFIED).ok());
}

}  // namespace
}  // namespace relais::testing
