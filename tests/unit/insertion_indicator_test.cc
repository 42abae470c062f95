// The 7-day insertion indicator on a hand-built month of events, whose expected figures are worked out
// person by person below.
#include "common/insertion_indicator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace relais {
namespace {

constexpr int64_t kHour = 3600 * 1000LL;
constexpr int64_t kDay = 24 * kHour;
constexpr int64_t kMarch1 = 1740787200000LL;  // 2025-03-01T00:00:00Z
constexpr int64_t kApril1 = 1743465600000LL;  // 2025-04-01T00:00:00Z

// Day 1 is March 1st; day 0 is February 28th, day 32 April 1st.
int64_t At(int day, int hour = 0) { return kMarch1 + (day - 1) * kDay + hour * kHour; }

class Scenario {
 public:
  // A dispatch request for a person, and the person's arrival at the shelter through it.
  void Request(const std::string& request, const std::string& person, int64_t at) {
    events_.push_back({kEventRequestCreated, at, {{"request", request}, {"person", person}, {"lane", "LANE_STANDARD"}}});
  }
  void Arrived(const std::string& request, int64_t at) {
    events_.push_back({kEventHoldArrived, at, {{"request", request}, {"pool", "ilot:single_men"}, {"hold", "h-" + request}}});
  }
  void Enters(const std::string& person, int64_t at) {
    Request("r-" + person, person, at - 2 * kHour);
    Arrived("r-" + person, at);
  }
  void DispatchProposal(const std::string& person, int64_t at) {
    events_.push_back({kEventInsertionProposed, at,
                       {{"person", person}, {"service", "housing-first-bxl"}, {"kind", "SOLUTION_KIND_INSERTION"},
                        {"source", "dispatch"}}});
  }
  void Preconisation(const std::string& person, int64_t at) {
    events_.push_back({kEventCasePreconised, at,
                       {{"case", "w-" + person}, {"person", person}, {"orientation", "ORIENTATION_HOUSING_FIRST"}}});
  }
  void Other(const std::string& type, int64_t at, std::map<std::string, std::string> fields) {
    events_.push_back({type, at, std::move(fields)});
  }
  const std::vector<IndicatorEvent>& events() const { return events_; }

 private:
  std::vector<IndicatorEvent> events_;
};

// March 2025. Expected, person by person:
//   a  entered Feb 21                                  -> not in March's cohort
//   b  entered Mar 2, dispatch proposal Mar 5          -> met (3 days)
//   c  entered Mar 3 10:00, préconisation Mar 10 10:00 -> met (exactly 7 days: at most 7 days counts)
//   d  entered Mar 4, proposal 7 days + 1 hour later   -> missed
//   e  entered Mar 6, never a proposal                 -> missed
//   f  proposal Feb 25, entered Mar 8                  -> met (a proposal before entry counts at entry)
//   g  entered Mar 28, nothing by the end of March     -> pending (still inside 7 days on Apr 1)
//   h  entered Mar 27, proposal Apr 2                  -> pending (April's events are not looked at)
//   i  entered Mar 12 (request 1) and Mar 20 (request 2), proposal Mar 25
//                                                      -> missed: entry is the FIRST arrival, 13 days
//   j  entered Mar 20, préconisation Mar 26            -> met
//   l  entered Mar 24 23:00, nothing                   -> missed (7 days ended Mar 31 23:00, before Apr 1)
//   m  entered Mar 30, dispatch proposal Mar 31        -> met (decided inside the period)
//   n  request created, hold taken, no-show            -> never entered: not in the cohort
//   a pass-night arrival (no request.created)          -> names no person: not counted
//   o  a proposal but never entered                    -> not in the cohort
// Cohort: b c d e f g h i j l m = 11. Pending: g h = 2, so the denominator is 11 - 2 = 9.
// Met: b c f j m = 5. Missed: d e i l = 4. Share: 5 / 9 = 55.6 %.
Scenario March() {
  Scenario s;
  s.Enters("a", At(-7));
  s.Enters("b", At(2, 9));
  s.DispatchProposal("b", At(5, 14));
  s.Enters("c", At(3, 10));
  s.Preconisation("c", At(10, 10));
  s.Enters("d", At(4));
  s.DispatchProposal("d", At(11, 1));
  s.Enters("e", At(6));
  s.DispatchProposal("f", At(-3));
  s.Enters("f", At(8));
  s.Enters("g", At(28));
  s.Enters("h", At(27));
  s.Preconisation("h", At(33));
  s.Request("r-i-1", "i", At(12));
  s.Arrived("r-i-1", At(12, 3));
  s.Request("r-i-2", "i", At(20));
  s.Arrived("r-i-2", At(20, 1));
  s.DispatchProposal("i", At(25, 3));
  s.Enters("j", At(20));
  s.Preconisation("j", At(26));
  s.Enters("l", At(24, 23));
  s.Enters("m", At(30));
  s.DispatchProposal("m", At(31));
  s.Request("r-n", "n", At(15));
  s.Other("hold.taken", At(15, 1), {{"request", "r-n"}});
  s.Other("hold.no_show", At(15, 3), {{"request", "r-n"}});
  s.Arrived("pass-night-maraude-1", At(16, 23));
  s.DispatchProposal("o", At(17));
  s.Other("call.answered", At(17), {{"call", "c1"}, {"waited_ms", "1200"}});
  return s;
}

InsertionOutcome OutcomeOf(const InsertionShare& share, const std::string& person) {
  for (const auto& p : share.persons) {
    if (p.person == person) return p.outcome;
  }
  ADD_FAILURE() << person << " is not in the cohort";
  return InsertionOutcome::kPending;
}

bool InCohort(const InsertionShare& share, const std::string& person) {
  return std::any_of(share.persons.begin(), share.persons.end(), [&](const auto& p) { return p.person == person; });
}

TEST(InsertionIndicator, HandBuiltMonth) {
  auto share = ComputeInsertionShare(March().events(), kMarch1, kApril1);
  // b c d e f g h i j l m: 11 persons first entered in March.
  EXPECT_EQ(share.cohort, 11);
  EXPECT_EQ(share.pending, 2);   // g, h
  EXPECT_EQ(share.met, 5);       // b, c, f, j, m
  EXPECT_EQ(share.missed, 4);    // d, e, i, l
  EXPECT_EQ(share.denominator(), 9);
  EXPECT_DOUBLE_EQ(share.share(), 5.0 / 9.0);

  for (const char* p : {"b", "c", "f", "j", "m"}) EXPECT_EQ(OutcomeOf(share, p), InsertionOutcome::kMet) << p;
  for (const char* p : {"d", "e", "i", "l"}) EXPECT_EQ(OutcomeOf(share, p), InsertionOutcome::kMissed) << p;
  for (const char* p : {"g", "h"}) EXPECT_EQ(OutcomeOf(share, p), InsertionOutcome::kPending) << p;
  for (const char* p : {"a", "n", "o", "pass-night-maraude-1"}) EXPECT_FALSE(InCohort(share, p)) << p;
}

TEST(InsertionIndicator, PerPersonTimesAndSources) {
  auto share = ComputeInsertionShare(March().events(), kMarch1, kApril1);
  ASSERT_EQ(share.persons.size(), 11u);
  EXPECT_EQ(share.persons.front().person, "b");  // by entry time
  EXPECT_EQ(share.persons.back().person, "m");
  for (const auto& p : share.persons) {
    if (p.person == "c") {
      EXPECT_EQ(p.entered_ms, At(3, 10));
      EXPECT_EQ(p.first_proposal_ms, At(10, 10));
      EXPECT_EQ(p.first_proposal_source, "workshop");
    }
    if (p.person == "i") {
      EXPECT_EQ(p.entered_ms, At(12, 3));  // the first of two arrivals
    }
    if (p.person == "f") {
      EXPECT_EQ(p.first_proposal_ms, At(-3));
      EXPECT_EQ(p.first_proposal_source, "dispatch");
    }
    if (p.person == "h") {
      EXPECT_FALSE(p.first_proposal_ms.has_value()) << "April's proposal is not looked at";
    }
    if (p.person == "e") {
      EXPECT_TRUE(p.first_proposal_source.empty());
    }
  }
  // Over every event, h's April proposal is known.
  InsertionIndicator all;
  auto march = March();
  for (const auto& e : march.events()) all.Add(e);
  auto persons = all.Persons();
  auto h = std::find_if(persons.begin(), persons.end(), [](const auto& p) { return p.person == "h"; });
  ASSERT_NE(h, persons.end());
  EXPECT_EQ(h->first_proposal_ms, At(33));
}

TEST(InsertionIndicator, TheOrderOfEventsDoesNotMatter) {
  auto events = March().events();  // a copy
  auto forward = ComputeInsertionShare(events, kMarch1, kApril1);
  std::reverse(events.begin(), events.end());
  auto backward = ComputeInsertionShare(events, kMarch1, kApril1);
  EXPECT_EQ(backward.cohort, forward.cohort);
  EXPECT_EQ(backward.met, forward.met);
  EXPECT_EQ(backward.missed, forward.missed);
  EXPECT_EQ(backward.pending, forward.pending);
}

TEST(InsertionIndicator, APastPeriodDoesNotChangeWithLaterEvents) {
  auto s = March();
  auto before = ComputeInsertionShare(s.events(), kMarch1, kApril1);
  s.DispatchProposal("g", At(35));  // g's proposal comes in April, inside g's 7 days
  s.DispatchProposal("e", At(40));
  auto after = ComputeInsertionShare(s.events(), kMarch1, kApril1);
  EXPECT_EQ(after.met, before.met);
  EXPECT_EQ(after.pending, before.pending);
  EXPECT_DOUBLE_EQ(after.share(), before.share());
}

TEST(InsertionIndicator, PendingBecomesDecidedInALongerPeriod) {
  // Over March and the first ten days of April: g (Mar 28, nothing) is now missed, h (Mar 27,
  // préconisation Apr 2) met.
  auto share = ComputeInsertionShare(March().events(), kMarch1, At(42));
  EXPECT_EQ(share.cohort, 11);
  EXPECT_EQ(share.pending, 0);
  EXPECT_EQ(share.met, 6);
  EXPECT_EQ(share.missed, 5);
  EXPECT_EQ(OutcomeOf(share, "g"), InsertionOutcome::kMissed);
  EXPECT_EQ(OutcomeOf(share, "h"), InsertionOutcome::kMet);
}

TEST(InsertionIndicator, AnEmptyCohortHasShareZero) {
  auto share = ComputeInsertionShare(March().events(), At(100), At(130));
  EXPECT_EQ(share.cohort, 0);
  EXPECT_EQ(share.denominator(), 0);
  EXPECT_EQ(share.share(), 0.0);
}

TEST(InsertionIndicator, CountingAPeriodGivesTheSameFiguresWithoutTheList) {
  const auto march = March();
  InsertionIndicator indicator;
  for (const auto& e : march.events()) indicator.Add(e);
  for (auto [start, end] : {std::pair{kMarch1, kApril1}, {kMarch1, At(42)}, {At(20), At(25)}, {At(100), At(130)}}) {
    auto listed = indicator.ForPeriod(start, end);
    auto counted = indicator.CountPeriod(start, end);
    EXPECT_EQ(counted.cohort, listed.cohort);
    EXPECT_EQ(counted.met, listed.met);
    EXPECT_EQ(counted.missed, listed.missed);
    EXPECT_EQ(counted.pending, listed.pending);
    EXPECT_EQ(counted.start_ms, start);
    EXPECT_EQ(counted.end_ms, end);
    EXPECT_TRUE(counted.persons.empty());
  }
}

// The rule applied the plain way, to every event at once: the reference for the indicator, which keeps
// each person's entry and first proposal up to date as events come in.
InsertionShare ReferenceCounts(const std::vector<IndicatorEvent>& events, int64_t start, int64_t end) {
  std::map<std::string, std::string> person_of_request;
  std::map<std::string, int64_t> first_proposal;
  for (const auto& e : events) {
    if (e.type == kEventRequestCreated) person_of_request.emplace(e.fields.at("request"), e.fields.at("person"));
    if (e.type == kEventInsertionProposed || e.type == kEventCasePreconised) {
      auto [it, inserted] = first_proposal.emplace(e.fields.at("person"), e.at_ms);
      if (!inserted) it->second = std::min(it->second, e.at_ms);
    }
  }
  std::map<std::string, int64_t> entry;
  for (const auto& e : events) {
    if (e.type != kEventHoldArrived || !person_of_request.count(e.fields.at("request"))) continue;
    auto [it, inserted] = entry.emplace(person_of_request[e.fields.at("request")], e.at_ms);
    if (!inserted) it->second = std::min(it->second, e.at_ms);
  }
  InsertionShare out;
  for (const auto& [person, entered] : entry) {
    if (entered < start || entered >= end) continue;
    ++out.cohort;
    auto proposal = first_proposal.find(person);
    bool met = proposal != first_proposal.end() && proposal->second < end && proposal->second <= entered + kInsertionWindowMs;
    if (met) ++out.met;
    else if (entered + kInsertionWindowMs < end) ++out.missed;
    else ++out.pending;
  }
  return out;
}

// After every event, whatever the order the events come in (a request's arrival before its creation,
// a proposal before either), the indicator counts what the rule says of the events added so far.
TEST(InsertionIndicator, AfterEveryEventInAnyOrderItCountsWhatTheRuleSays) {
  const auto march = March().events();
  std::mt19937 shuffle(20261207);
  for (int order = 0; order < 20; ++order) {
    auto events = march;
    std::shuffle(events.begin(), events.end(), shuffle);
    InsertionIndicator indicator;
    std::vector<IndicatorEvent> added;
    for (const auto& e : events) {
      indicator.Add(e);
      added.push_back(e);
      for (auto [start, end] : {std::pair{kMarch1, kApril1}, {kMarch1, At(42)}, {At(10), At(21)}}) {
        auto got = indicator.CountPeriod(start, end);
        auto want = ReferenceCounts(added, start, end);
        ASSERT_EQ(got.cohort, want.cohort) << "order " << order << " after " << added.size() << " events";
        ASSERT_EQ(got.met, want.met) << "order " << order << " after " << added.size() << " events";
        ASSERT_EQ(got.missed, want.missed) << "order " << order << " after " << added.size() << " events";
        ASSERT_EQ(got.pending, want.pending) << "order " << order << " after " << added.size() << " events";
      }
    }
    EXPECT_EQ(indicator.CountPeriod(kMarch1, kApril1).met, 5) << "order " << order;
    EXPECT_EQ(indicator.CountPeriod(kMarch1, kApril1).missed, 4) << "order " << order;
  }
}

TEST(InsertionIndicator, ARequestNamesTheFirstPersonReadForIt) {
  Scenario s;
  s.Request("r1", "p1", At(3));
  s.Arrived("r1", At(3, 2));
  s.Request("r1", "p2", At(4));  // a replayed creation naming someone else does not move the entry
  InsertionIndicator indicator;
  for (const auto& e : s.events()) indicator.Add(e);
  auto share = indicator.ForPeriod(kMarch1, kApril1);
  ASSERT_EQ(share.persons.size(), 1u);
  EXPECT_EQ(share.persons[0].person, "p1");
  EXPECT_EQ(indicator.requests(), 1u);
}

TEST(InsertionIndicator, ReadsStreamEntries) {
  auto e = IndicatorEvent::FromStreamEntry({{"type", "hold.arrived"}, {"at", "1740787200000"}, {"request", "r1"}});
  EXPECT_EQ(e.type, "hold.arrived");
  EXPECT_EQ(e.at_ms, kMarch1);
  EXPECT_EQ(e.fields.size(), 1u);
  EXPECT_EQ(e.fields.at("request"), "r1");
}

}  // namespace
}  // namespace relais
