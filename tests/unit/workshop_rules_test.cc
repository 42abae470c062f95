// The workshop's pure rules: the weekly schedule, what a referral misses, what a plan must be, how
// approvals decide a plan, the queue's order, and who may do what.
#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include "services/workshop/plan.h"
#include "services/workshop/rules.h"
#include "services/workshop/schedule.h"

namespace relais::workshop {
namespace {

using google::protobuf::util::TimeUtil;
using namespace relais::v1;

constexpr int64_t kHour = 3600 * 1000LL;
constexpr int64_t kDay = 24 * kHour;
constexpr int64_t kMonday3March = 1740960000000LL;  // 2025-03-03T00:00:00Z

TEST(Schedule, ParsesAndFindsTheNextSession) {
  auto s = Schedule::Parse("tue@10:00=6,fri@14:00=4");
  ASSERT_TRUE(s.ok()) << s.status();
  auto next = s->Next(kMonday3March + 9 * kHour);
  EXPECT_EQ(next.id, "2025-03-04T10:00");
  EXPECT_EQ(next.start_ms, kMonday3March + kDay + 10 * kHour);
  EXPECT_EQ(next.capacity, 6);
  EXPECT_EQ(s->Next(next.start_ms).id, "2025-03-04T10:00") << "a session starting now is the next one";
  EXPECT_EQ(s->Next(next.start_ms + 1).id, "2025-03-07T14:00");
  EXPECT_EQ(s->Next(kMonday3March + 4 * kDay + 15 * kHour).id, "2025-03-11T10:00") << "over the weekend";
  auto slot = s->Slot("2025-03-07T14:00");
  ASSERT_TRUE(slot.ok());
  EXPECT_EQ(slot->capacity, 4);
}

TEST(Schedule, RefusesWhatIsNotOnIt) {
  auto s = *Schedule::Parse("tue@10:00=6");
  for (const char* bad : {"2025-03-05T10:00", "2025-03-04T10:30", "2025-02-30T10:00", "tuesday", "2025-03-04 10:00", ""}) {
    auto slot = s.Slot(bad);
    EXPECT_EQ(slot.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(slot.status().message().rfind("session_id", 0), 0u) << bad;
  }
  for (const char* bad : {"", "tue", "tue@10:00", "tue@25:00=6", "xyz@10:00=6", "tue@10:00=0", "tue@10:00=31",
                          "tue@10:00=6,tue@10:00=3", "tue@10:00=6,"}) {
    EXPECT_FALSE(Schedule::Parse(bad).ok()) << bad;
  }
}

CaseFacts Complete() {
  CaseFacts f;
  f.add_domains(DOMAIN_ADDICTION);
  f.set_situation(SITUATION_STREET);
  *f.mutable_situation_since() = TimeUtil::MillisecondsToTimestamp(kMonday3March - 90 * kDay);
  f.set_urgency(URGENCY_MEDIUM);
  f.set_referent("sw-anna");
  return f;
}

TEST(Completeness, SaysWhatIsMissing) {
  EXPECT_TRUE(Missing(Complete(), false).empty());
  CaseFacts f;
  EXPECT_EQ(Missing(f, false), (std::vector<std::string>{"facts.domains", "facts.situation", "facts.situation_since",
                                                         "facts.urgency", "facts.referent"}));
  CaseFacts no_referent = Complete();
  no_referent.clear_referent();
  EXPECT_EQ(Missing(no_referent, false), std::vector<std::string>{"facts.referent"});
  EXPECT_TRUE(Missing(no_referent, true).empty()) << "a direct referral has no referent worker";
}

TEST(Completeness, FactsPresentMustBeValid) {
  int64_t now = kMonday3March;
  EXPECT_TRUE(ValidateFacts(Complete(), now).ok());
  CaseFacts f = Complete();
  f.set_referent("Anna Janssens");
  EXPECT_EQ(ValidateFacts(f, now).message().rfind("facts.referent", 0), 0u);
  f = Complete();
  *f.mutable_situation_since() = TimeUtil::MillisecondsToTimestamp(now + kDay);
  EXPECT_EQ(ValidateFacts(f, now).message().rfind("facts.situation_since", 0), 0u);
  f = Complete();
  f.add_domains(DOMAIN_ADDICTION);
  EXPECT_EQ(ValidateFacts(f, now).message(), "facts.domains: a domain is listed twice");
}

Plan GoodPlan(int64_t now) {
  Plan p;
  auto* g = p.add_goals();
  g->set_domain(DOMAIN_HOUSING);
  g->set_description("find a flat");
  p.set_duration_months(6);
  p.set_reference_operator("ref-op-1");
  *p.add_review_dates() = TimeUtil::MillisecondsToTimestamp(now + 30 * kDay);
  return p;
}

TEST(PlanRules, SixToNineMonthsWithGoalsReviewsAndAReferenceOperator) {
  int64_t now = kMonday3March;
  EXPECT_TRUE(ValidatePlan(GoodPlan(now), now).ok());
  for (int months : {6, 7, 8, 9}) {
    Plan p = GoodPlan(now);
    p.set_duration_months(months);
    EXPECT_TRUE(ValidatePlan(p, now).ok()) << months;
  }
  for (int months : {0, 5, 10, 12}) {
    Plan p = GoodPlan(now);
    p.set_duration_months(months);
    EXPECT_EQ(ValidatePlan(p, now).message(), "plan.duration_months: an accompaniment plan lasts 6 to 9 months") << months;
  }
  Plan p = GoodPlan(now);
  *p.mutable_review_dates(0) = TimeUtil::MillisecondsToTimestamp(now + 200 * kDay);
  EXPECT_EQ(ValidatePlan(p, now).message().rfind("plan.review_dates", 0), 0u) << "after a 6-month plan";
  p.set_duration_months(9);
  EXPECT_TRUE(ValidatePlan(p, now).ok()) << "within a 9-month plan";
}

TEST(PlanRules, PartiesFollowTheCase) {
  EXPECT_EQ(PartiesFor(false, "mda-1"),
            (std::vector<Party>{PARTY_PERSON, PARTY_SENDING_SERVICE, PARTY_RECEIVING_SERVICE, PARTY_ORIENTATION_CELL}));
  EXPECT_EQ(PartiesFor(true, ""), (std::vector<Party>{PARTY_PERSON, PARTY_ORIENTATION_CELL}));
}

Approval Answer(Party party, bool approved) {
  Approval a;
  a.set_party(party);
  a.set_approved(approved);
  if (!approved) a.set_reason(PLAN_REFUSAL_REASON_NOT_READY);
  return a;
}

TEST(PlanRules, EveryPartyApprovesOrOneRefuses) {
  Plan plan;
  plan.set_state(PLAN_STATE_AWAITING_APPROVALS);
  for (Party p : PartiesFor(true, "hf-bxl")) plan.add_parties(p);  // person, receiving, cell
  EXPECT_EQ(*ApplyApproval(plan, Answer(PARTY_PERSON, true)), PlanOutcome::kAwaiting);
  EXPECT_EQ(ApplyApproval(plan, Answer(PARTY_PERSON, true)).status().message(), "party: already answered this plan");
  EXPECT_EQ(ApplyApproval(plan, Answer(PARTY_SENDING_SERVICE, true)).status().message(), "party: not a party to this plan");
  EXPECT_EQ(*ApplyApproval(plan, Answer(PARTY_RECEIVING_SERVICE, true)), PlanOutcome::kAwaiting);
  EXPECT_EQ(*ApplyApproval(plan, Answer(PARTY_ORIENTATION_CELL, true)), PlanOutcome::kApproved);
  EXPECT_EQ(plan.state(), PLAN_STATE_APPROVED);
  EXPECT_FALSE(ApplyApproval(plan, Answer(PARTY_PERSON, false)).ok()) << "an approved plan takes no more answers";

  Plan refused;
  refused.set_state(PLAN_STATE_AWAITING_APPROVALS);
  for (Party p : PartiesFor(false, "mda-1")) refused.add_parties(p);
  EXPECT_EQ(*ApplyApproval(refused, Answer(PARTY_ORIENTATION_CELL, true)), PlanOutcome::kAwaiting);
  EXPECT_EQ(*ApplyApproval(refused, Answer(PARTY_PERSON, false)), PlanOutcome::kRefused);
  EXPECT_EQ(refused.state(), PLAN_STATE_REFUSED);
}

TEST(Queue, UrgencyMovesACaseAhead) {
  int64_t deadline = kMonday3March + 7 * kDay;
  EXPECT_LT(QueueScore(deadline + 12 * kHour, URGENCY_HIGH), QueueScore(deadline, URGENCY_LOW))
      << "a high urgency registered later goes first";
  EXPECT_LT(QueueScore(deadline, URGENCY_MEDIUM), QueueScore(deadline, URGENCY_LOW));
  EXPECT_LT(QueueScore(deadline, URGENCY_LOW), QueueScore(deadline + 1, URGENCY_LOW)) << "then by deadline";
}

TEST(Rights, WhoMayDoWhat) {
  Caller workshop{Role::kWorkshop, "cell-1", {}, ""}, monitoring{Role::kMonitoring, "m", {}, ""},
      ilot{Role::kShelter, "desk", {"ilot"}, ""}, mda{Role::kShelter, "desk-2", {"mda-1"}, ""},
      op{Role::kOperator, "op-1", {}, ""}, referent{Role::kTeam, "sw-anna", {}, "street-1"};
  RegisterCaseRequest referral;
  referral.set_sending_service_id("ilot");
  EXPECT_TRUE(MayRegisterCase(ilot, referral).ok());
  EXPECT_FALSE(MayRegisterCase(mda, referral).ok());
  EXPECT_TRUE(MayRegisterCase(op, referral).ok());
  EXPECT_FALSE(MayRegisterCase(monitoring, referral).ok());
  referral.set_direct(true);
  EXPECT_FALSE(MayRegisterCase(op, referral).ok()) << "only the orientation cell registers directly";
  EXPECT_TRUE(MayRegisterCase(workshop, referral).ok());

  Case c;
  c.set_sending_service_id("ilot");
  c.mutable_facts()->set_referent("sw-anna");
  c.mutable_preconisation()->set_receiving_service_id("mda-1");
  c.mutable_plan()->set_reference_operator("ref-op-1");
  EXPECT_TRUE(MayReadCase(ilot, c).ok());
  EXPECT_TRUE(MayReadCase(mda, c).ok());
  EXPECT_TRUE(MayReadCase(referent, c).ok());
  EXPECT_TRUE(MayReadCase(Caller{Role::kOperator, "ref-op-1", {}, ""}, c).ok()) << "the reference operator";
  EXPECT_FALSE(MayReadCase(op, c).ok());
  EXPECT_FALSE(MayReadCase(monitoring, c).ok()) << "monitoring sees aggregates only";
  EXPECT_TRUE(MayReadSummary(monitoring).ok());
  EXPECT_FALSE(MayReadSummary(op).ok());

  EXPECT_TRUE(MayRecordApproval(mda, c, PARTY_RECEIVING_SERVICE).ok());
  EXPECT_FALSE(MayRecordApproval(mda, c, PARTY_SENDING_SERVICE).ok());
  EXPECT_TRUE(MayRecordApproval(referent, c, PARTY_PERSON).ok());
  EXPECT_FALSE(MayRecordApproval(referent, c, PARTY_ORIENTATION_CELL).ok());
  EXPECT_FALSE(MayRecordApproval(Caller{Role::kMonitoring, "sw-anna", {}, ""}, c, PARTY_PERSON).ok());

  EXPECT_TRUE(MayDeclarePlaces(mda, "mda-1").ok());
  EXPECT_FALSE(MayDeclarePlaces(ilot, "mda-1").ok());
  EXPECT_FALSE(MayRunWorkshop(op).ok());
  EXPECT_TRUE(MayRunWorkshop(workshop).ok());
}

}  // namespace
}  // namespace relais::workshop
