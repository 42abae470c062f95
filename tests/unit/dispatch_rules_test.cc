// The vulnerability grid's decisions and the dispatch service's validation and rights.
#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include "services/dispatch/grid.h"
#include "services/dispatch/routing.h"
#include "services/dispatch/rules.h"

namespace relais::dispatch {
namespace {

using google::protobuf::util::TimeUtil;
using namespace relais::v1;

constexpr int64_t kNow = 1'800'000'000'000;

Person WithNeeds(std::initializer_list<Need> needs) {
  Person p;
  p.set_age_band(AGE_BAND_26_45);
  p.mutable_household()->set_adults(1);
  for (Need n : needs) p.add_needs(n);
  return p;
}

TEST(Grid, ScoreIsTheSumOfTheCriteriaMetAndExplainsEachOne) {
  auto d = Decide(WithNeeds({NEED_MEDICAL, NEED_ADDICTION}), DefaultGrid());
  EXPECT_EQ(d.score(), 6 + 2);
  EXPECT_EQ(d.lane(), LANE_PRIORITY) << "8 reaches the default threshold of 8";
  ASSERT_EQ(d.explanation_size(), 3);
  EXPECT_EQ(d.explanation(0), "need NEED_MEDICAL: +6");
  EXPECT_EQ(d.explanation(1), "need NEED_ADDICTION: +2");
  EXPECT_NE(d.explanation(2).find("priority lane"), std::string::npos);
  EXPECT_NE(d.explanation(2).find("grid version 0"), std::string::npos);
}

TEST(Grid, BelowTheThresholdIsTheStandardLane) {
  auto d = Decide(WithNeeds({NEED_PET, NEED_ADDICTION}), DefaultGrid());
  EXPECT_EQ(d.score(), 2);
  EXPECT_EQ(d.lane(), LANE_STANDARD);
}

TEST(Grid, ChildrenAndAgeBandCount) {
  Person p = WithNeeds({});
  p.mutable_household()->set_children(2);
  EXPECT_EQ(Decide(p, DefaultGrid()).score(), 8);
  p.mutable_household()->set_children(0);
  p.set_age_band(AGE_BAND_65_PLUS);
  EXPECT_EQ(Decide(p, DefaultGrid()).score(), 5);
}

TEST(Grid, TheDecisionNamesTheGridVersionUsed) {
  VulnerabilityGrid g = DefaultGrid();
  g.set_version(7);
  g.set_priority_threshold(100);
  auto d = Decide(WithNeeds({NEED_UNACCOMPANIED_MINOR}), g);
  EXPECT_EQ(d.grid_version(), 7);
  EXPECT_EQ(d.lane(), LANE_STANDARD);
}

TEST(Grid, TheDefaultGridIsValid) { EXPECT_TRUE(ValidateGrid(DefaultGrid()).ok()); }

TEST(Grid, BadGridsAreRefusedNamingTheField) {
  VulnerabilityGrid empty;
  empty.set_priority_threshold(5);
  EXPECT_EQ(ValidateGrid(empty).message(), "grid.criteria: required");
  VulnerabilityGrid twice = DefaultGrid();
  *twice.add_criteria() = twice.criteria(0);
  EXPECT_EQ(ValidateGrid(twice).message(), "grid.criteria: a criterion is listed twice");
  VulnerabilityGrid heavy = DefaultGrid();
  heavy.mutable_criteria(0)->set_weight(101);
  EXPECT_EQ(ValidateGrid(heavy).message(), "grid.criteria.weight: 0 to 100");
  VulnerabilityGrid no_threshold = DefaultGrid();
  no_threshold.set_priority_threshold(0);
  EXPECT_EQ(ValidateGrid(no_threshold).message(), "grid.priority_threshold: 1 to 5000");
}

TEST(Person, AnAliasNeedsAConsentInForce) {
  Person p = WithNeeds({});
  p.set_alias("Jo");
  EXPECT_EQ(ValidatePerson(p, kNow).message(), "person.alias: kept only with the person's consent in force");
  p.mutable_consent()->set_scope(CONSENT_SCOPE_DISPATCH);
  *p.mutable_consent()->mutable_expires_at() = TimeUtil::MillisecondsToTimestamp(kNow + 3600'000);
  EXPECT_TRUE(ValidatePerson(p, kNow).ok());
  p.mutable_consent()->set_withdrawn(true);
  EXPECT_FALSE(ValidatePerson(p, kNow).ok());
}

TEST(Person, NeedsAreKnownAndListedOnce) {
  EXPECT_EQ(ValidatePerson(WithNeeds({NEED_PET, NEED_PET}), kNow).message(), "person.needs: a need is listed twice");
  Person p = WithNeeds({});
  p.add_needs(static_cast<Need>(99));
  EXPECT_EQ(ValidatePerson(p, kNow).message(), "person.needs: unknown need");
}

TEST(Ids, CallAndPersonIdsAreTheirOwnShape) {
  EXPECT_TRUE(IsCallId("c0123456789abcdef01234567"));
  EXPECT_FALSE(IsCallId("p0123456789abcdef01234567"));
  EXPECT_FALSE(IsCallId("c0123456789ABCDEF01234567"));
  EXPECT_TRUE(IsPersonId("p0123456789abcdef01234567"));
  EXPECT_FALSE(IsPersonId("p-1"));
}

TEST(Rights, ReadingAPersonNeedsConsentOutsideTheCentralPoint) {
  Caller op{Role::kOperator, "op", {}, ""};
  Caller team{Role::kTeam, "t", {}, "maraude-1"};
  Caller workshop{Role::kWorkshop, "w", {}, ""};
  Caller monitoring{Role::kMonitoring, "m", {}, ""};
  EXPECT_EQ(*ScopeNeededToRead(op, READ_PURPOSE_DISPATCH), CONSENT_SCOPE_UNSPECIFIED);
  EXPECT_EQ(*ScopeNeededToRead(team, READ_PURPOSE_STREET_WORK), CONSENT_SCOPE_DISPATCH);
  EXPECT_EQ(*ScopeNeededToRead(workshop, READ_PURPOSE_ORIENTATION), CONSENT_SCOPE_ORIENTATION);
  EXPECT_EQ(ScopeNeededToRead(monitoring, READ_PURPOSE_DISPATCH).status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ScopeNeededToRead(op, READ_PURPOSE_UNSPECIFIED).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(Contact, APhoneNumberAndNothingElse) {
  EXPECT_TRUE(ValidateContact("c", "+32 2 555 01 02", true).ok());
  EXPECT_FALSE(ValidateContact("c", "call Jean at home", true).ok());
  EXPECT_FALSE(ValidateContact("c", "", true).ok());
  EXPECT_TRUE(ValidateContact("c", "", false).ok());
  EXPECT_FALSE(ValidateContact("c", std::string(41, '1'), true).ok());
}

TEST(Routing, ByNeedThenByZoneFirstRuleWins) {
  auto routing = Routing::Parse("maraude=m1;street_work:ixelles,jette=sw-a;street_work=sw-b");
  ASSERT_TRUE(routing.ok()) << routing.status();
  StreetReport care;
  care.add_needs(STREET_NEED_INFORMATION);
  care.add_needs(STREET_NEED_CARE);
  EXPECT_EQ(Routing::RouteFor(care), ROUTE_MARAUDE) << "any need of help or care goes to a maraude";
  StreetReport info;
  info.add_needs(STREET_NEED_INFORMATION);
  EXPECT_EQ(Routing::RouteFor(info), ROUTE_STREET_WORK);
  EXPECT_EQ(routing->TeamFor(ROUTE_STREET_WORK, "jette"), "sw-a");
  EXPECT_EQ(routing->TeamFor(ROUTE_STREET_WORK, "uccle"), "sw-b");
  EXPECT_EQ(routing->TeamFor(ROUTE_MARAUDE, "uccle"), "m1");
  auto partial = Routing::Parse("maraude=m1");
  EXPECT_EQ(partial->TeamFor(ROUTE_STREET_WORK, "uccle"), "") << "no rule: no team";
}

TEST(Routing, BadRulesAreRefusedWithTheirText) {
  EXPECT_FALSE(Routing::Parse("").ok());
  EXPECT_FALSE(Routing::Parse("maraude").ok());
  EXPECT_FALSE(Routing::Parse("ambulance=a1").ok());
  EXPECT_FALSE(Routing::Parse("maraude=Team One").ok());
  EXPECT_TRUE(Routing::Parse(kDefaultStreetRouting).ok());
}

TEST(SameSpot, SameAddressIgnoringCaseAndSpacesOrWithin150Metres) {
  StreetReport a, b;
  a.set_address("Gare du Midi, quai 3");
  b.set_address("gare du midi  QUAI 3");
  EXPECT_TRUE(SameSpot(a, b));
  b.set_address("Gare du Nord");
  EXPECT_FALSE(SameSpot(a, b));
  a.mutable_location()->set_latitude(50.8366);
  a.mutable_location()->set_longitude(4.3360);
  b.mutable_location()->set_latitude(50.8375);  // about 100 m north
  b.mutable_location()->set_longitude(4.3360);
  EXPECT_TRUE(SameSpot(a, b));
  b.mutable_location()->set_latitude(50.8400);  // about 380 m
  EXPECT_FALSE(SameSpot(a, b));
}

TEST(StreetReport, AContactOnlyWhenTheReporterWantsTheOutcome) {
  StreetReport r;
  r.set_reporter_kind(REPORTER_KIND_POLICE);
  r.set_commune("ixelles");
  r.set_address("Place Flagey");
  r.add_needs(STREET_NEED_HELP);
  EXPECT_TRUE(ValidateStreetReport(r).ok());
  r.set_reporter_contact("+32 2 000 00 00");
  EXPECT_EQ(ValidateStreetReport(r).message(), "report.reporter_contact: kept only when the reporter wants the outcome");
  r.set_reporter_wants_outcome(true);
  EXPECT_TRUE(ValidateStreetReport(r).ok());
  r.clear_needs();
  EXPECT_EQ(ValidateStreetReport(r).message(), "report.needs: at least one need");
}

}  // namespace
}  // namespace relais::dispatch
