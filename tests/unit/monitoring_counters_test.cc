// The monitoring service's pure parts: its calendar (UTC months, days, noon-to-noon nights), the
// table from event types to counters, and the batch call of the apply script.
#include <gtest/gtest.h>

#include <algorithm>

#include "services/monitoring/apply_call.h"
#include "services/monitoring/calendar.h"
#include "services/monitoring/counters.h"

namespace relais::monitoring {
namespace {

constexpr int64_t kNov1 = 1793491200000;  // 2026-11-01T00:00:00Z

Event Make(std::vector<std::pair<std::string, std::string>> fields, std::string id = "1793491200000-0") {
  return Event{std::move(id), std::move(fields)};
}

std::vector<std::string> Fields(const std::vector<Op>& ops, Op::Kind kind) {
  std::vector<std::string> out;
  for (const auto& op : ops) {
    if (op.kind == kind) out.push_back(op.keys[0] + " " + (op.args.empty() ? "" : op.args[0]));
  }
  return out;
}

TEST(MonitoringCalendar, MonthsDaysAndNightsAreUtc) {
  auto m = Month::Parse("2026-11");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->StartMs(), kNov1);
  EXPECT_EQ(m->Days(), 30);
  EXPECT_EQ(m->EndMs(), kNov1 + 30 * kDayMs);
  EXPECT_EQ(m->Previous().Name(), "2026-10");
  EXPECT_EQ(m->YearBefore().Name(), "2025-11");
  EXPECT_EQ((Month{2026, 12}.Next().Name()), "2027-01");
  EXPECT_EQ((Month{2027, 1}.Previous().Name()), "2026-12");
  EXPECT_EQ(Month::Parse("2028-02")->Days(), 29);
  EXPECT_EQ(Month::Of(kNov1 - 1).Name(), "2026-10");
  EXPECT_EQ(DayName(DayIndex(kNov1 + 5 * kDayMs + 3600000)), "2026-11-06");
  // A night runs noon to noon and is named by its first noon.
  EXPECT_EQ(DayName(NightIndex(kNov1 + 11 * 3600000)), "2026-10-31");
  EXPECT_EQ(DayName(NightIndex(kNov1 + 12 * 3600000)), "2026-11-01");
  for (const char* bad : {"", "2026-13", "2026-00", "1999-01", "2026-1", "2026/11", "20a6-11", "2026-11-01"}) {
    EXPECT_FALSE(Month::Parse(bad)) << bad;
  }
}

TEST(MonitoringCounters, ACallAnsweredCountsItsWaitInItsMonth) {
  Keys keys("brussels", "1");
  auto ops = PlanEvent(Make({{"type", "call.answered"}, {"at", std::to_string(kNov1 + 1000)}, {"waited_ms", "420000"},
                             {"call", "c123"}, {"caller_kind", "CALLER_KIND_POLICE"}, {"language", "fr"}}),
                       keys);
  auto incr = Fields(ops, Op::kIncr);
  std::string month = keys.Month("2026-11");
  EXPECT_NE(std::find(incr.begin(), incr.end(), month + " calls.answered"), incr.end());
  EXPECT_NE(std::find(incr.begin(), incr.end(), month + " calls.waiting|le_10m"), incr.end());
  EXPECT_NE(std::find(incr.begin(), incr.end(), month + " calls.waited_ms"), incr.end());
  EXPECT_NE(std::find(incr.begin(), incr.end(), keys.Totals() + " type|call.answered"), incr.end());
  for (const auto& op : ops) {
    for (const auto& a : op.args) EXPECT_EQ(a.find("c123"), std::string::npos) << "a call id is no figure";
  }
}

TEST(MonitoringCounters, FreeTextNeverBecomesACategory) {
  EXPECT_EQ(Category("CALLER_KIND_POLICE"), "CALLER_KIND_POLICE");
  EXPECT_EQ(Category("sint-jans-molenbeek"), "sint-jans-molenbeek");
  EXPECT_EQ(Category(""), "none");
  EXPECT_EQ(Category("Jean Dupont"), "invalid");
  EXPECT_EQ(Category("dort sous le pont, rue Haute"), "invalid");
  EXPECT_EQ(Category(std::string(65, 'a')), "invalid");
  Keys keys("brussels", "1");
  auto ops = PlanEvent(Make({{"type", "call.queued"}, {"at", std::to_string(kNov1)}, {"caller_kind", "Mme Zoé Canari"},
                             {"language", "fr"}}),
                       keys);
  for (const auto& op : ops) {
    for (const auto& a : op.args) EXPECT_EQ(a.find("Canari"), std::string::npos);
  }
}

TEST(MonitoringCounters, PersonsAreCountedOnlyInARegister) {
  Keys keys("brussels", "1");
  auto ops = PlanEvent(Make({{"type", "request.created"}, {"at", std::to_string(kNov1)}, {"request", "r1"},
                             {"person", "p-42"}, {"lane", "LANE_STANDARD"}}),
                       keys);
  auto distinct = Fields(ops, Op::kDistinct);
  ASSERT_EQ(distinct.size(), 1u);
  EXPECT_EQ(distinct[0], keys.Distinct("2026-11", "persons.requesting") + " p-42");
  for (const auto& op : ops) {
    if (op.kind == Op::kDistinct) continue;
    for (const auto& a : op.args) EXPECT_EQ(a.find("p-42"), std::string::npos) << "the pseudonym is kept nowhere else";
  }
}

TEST(MonitoringCounters, ACrisisCountsEveryNightItWasOpen) {
  Keys keys("brussels", "1");
  // Opened 2026-10-30 18:00, closed 2026-11-02 09:00: the nights of Oct 30, Oct 31 and Nov 1.
  int64_t opened = kNov1 - 30 * 3600000LL, closed = kNov1 + kDayMs + 9 * 3600000LL;
  auto ops = PlanEvent(Make({{"type", "buffer.closed"}, {"at", std::to_string(closed)}, {"crisis", "x1"},
                             {"shelter", ""}, {"reason", "CRISIS_REASON_COLD"}, {"mode", "CRISIS_MODE_24H"},
                             {"open_ms", std::to_string(closed - opened)}}),
                       keys);
  auto set = Fields(ops, Op::kSet);
  EXPECT_EQ(set, (std::vector<std::string>{keys.Month("2026-10") + " buffers.night|CRISIS_REASON_COLD|2026-10-30",
                                           keys.Month("2026-10") + " buffers.night|CRISIS_REASON_COLD|2026-10-31",
                                           keys.Month("2026-11") + " buffers.night|CRISIS_REASON_COLD|2026-11-01"}));
  EXPECT_EQ(Fields(ops, Op::kDel), (std::vector<std::string>{keys.Crises() + " x1"}));
}

TEST(MonitoringCounters, AnUnknownEventIsOnlyCountedByType) {
  Keys keys("brussels", "1");
  auto ops = PlanEvent(Make({{"type", "something.new"}, {"at", std::to_string(kNov1)}}), keys);
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_EQ(ops[0].keys[0], keys.Totals());
  EXPECT_EQ(ops[0].args[0], "type|something.new");
}

TEST(MonitoringCounters, EveryCountedTypeIsPlanned) {
  Keys keys("brussels", "1");
  for (const auto& type : CountedTypes()) {
    auto ops = PlanEvent(Make({{"type", type}, {"at", std::to_string(kNov1)}, {"night", "2026-11-01"}}), keys);
    EXPECT_GE(ops.size(), 2u) << type;
  }
}

TEST(MonitoringCounters, ABatchNamesEachKeyOnce) {
  Keys keys("brussels", "1");
  std::vector<Event> events = {
      Make({{"type", "call.queued"}, {"at", std::to_string(kNov1)}, {"caller_kind", "CALLER_KIND_PERSON"}}, "1-0"),
      Make({{"type", "call.queued"}, {"at", std::to_string(kNov1 + 1)}, {"caller_kind", "CALLER_KIND_POLICE"}}, "1-1"),
      Make({}, "1-2"),  // trimmed from the stream meanwhile: nothing to count, still acknowledged
  };
  auto call = BuildApplyCall(events, keys, "monitoring-a");
  EXPECT_EQ(call.keys[0], keys.Events());
  EXPECT_EQ(call.keys[1], keys.Meta());
  EXPECT_EQ(call.keys[2], keys.Lease());
  std::vector<std::string> sorted = call.keys;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(std::adjacent_find(sorted.begin(), sorted.end()), sorted.end());
  EXPECT_EQ(call.args[0], keys.Group());
  EXPECT_EQ(call.args[1], "monitoring-a");
  EXPECT_EQ(call.args[2], "3");
  // The trimmed entry: id, time, no operation.
  EXPECT_EQ(call.args[call.args.size() - 3], "1-2");
  EXPECT_EQ(call.args.back(), "0");
}

}  // namespace
}  // namespace relais::monitoring
