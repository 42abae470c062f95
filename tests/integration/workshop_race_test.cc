// A priority place is never given twice. 24 approved plans race for the last priority place of a
// service, round after round: exactly one gets it every time, the pool never goes past its places, and
// no plan holds two. The same checker, run on a deliberately naive read-then-write control, must find
// a place given twice: proof the checker can fail.
#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "tests/support/workshop_fixture.h"

namespace relais::testing {
namespace {

using namespace relais::v1;

constexpr int kPlans = 24;
constexpr int kRounds = 15;

// What one round left behind, gathered the same way for the real service and the control.
struct RoundOutcome {
  int free_before = 0;
  int granted = 0;                  // takes the callers were told succeeded
  std::set<std::string> holders;    // distinct cases among them
  int used_after = 0;               // places the pool counts as used
  int places = 0;
  int cases_holding = 0;            // cases that record a place
};

// The checker. Returns what is wrong; empty means no place was given twice.
std::vector<std::string> Violations(const RoundOutcome& r, int used_before) {
  std::vector<std::string> out;
  if (r.granted > r.free_before) {
    out.push_back("place given twice: " + std::to_string(r.granted) + " takes granted for " +
                  std::to_string(r.free_before) + " free places");
  }
  if (static_cast<int>(r.holders.size()) != r.granted) out.push_back("a plan was granted two places");
  if (r.used_after != used_before + r.granted) {
    out.push_back("the pool counts " + std::to_string(r.used_after - used_before) + " new places used, callers were told " +
                  std::to_string(r.granted));
  }
  if (r.used_after > r.places) out.push_back("the pool went past its places");
  if (r.cases_holding != r.used_after) out.push_back("cases holding a place do not match the pool's count");
  return out;
}

class PriorityRaceTest : public WorkshopTest {
 protected:
  std::string ScheduleSpec() const override { return "tue@10:00=30"; }

  int CasesHolding(const std::vector<std::string>& ids) {
    int n = 0;
    for (const auto& id : ids) n += !GetCase(id).priority_place_service_id().empty();
    return n;
  }

  PriorityPool Pool(const std::string& service) {
    ListPriorityPlacesResponse resp;
    EXPECT_TRUE(w().ListPriorityPlaces(Harness::As(WorkshopAccount()).get(), {}, &resp).ok());
    for (const auto& p : resp.pools()) {
      if (p.service_id() == service) return p;
    }
    return {};
  }
};

TEST_F(PriorityRaceTest, TwentyFourPlansOneLastPlaceExactlyOneTakesIt) {
  std::vector<std::string> cases;
  for (int i = 0; i < kPlans; ++i) cases.push_back(ApprovedCase("mda-1").id());
  // Three places, two already held by plans: one is left.
  DeclarePlaces("mda-1", 3, ShelterAccount("mda-1"));
  TakePriorityPlaceResponse taken;
  ASSERT_TRUE(TakePlace(ApprovedCase("mda-1").id(), &taken).ok());
  ASSERT_TRUE(TakePlace(ApprovedCase("mda-1").id(), &taken).ok());

  std::vector<std::unique_ptr<Workshop::Stub>> stubs;
  for (int i = 0; i < 4; ++i) {
    grpc::ChannelArguments args;
    args.SetInt("relais.channel", i);  // distinct channels, not one shared connection
    stubs.push_back(Workshop::NewStub(grpc::CreateCustomChannel("127.0.0.1:" + std::to_string(h().port()),
                                                                grpc::InsecureChannelCredentials(), args)));
  }
  for (int round = 0; round < kRounds; ++round) {
    auto before = Pool("mda-1");
    RoundOutcome outcome;
    outcome.free_before = before.free();
    ASSERT_EQ(outcome.free_before, 1);
    std::mutex mu;
    std::atomic<bool> go{false};
    int unexpected = 0;
    std::vector<std::thread> threads;
    for (int i = 0; i < kPlans; ++i) {
      threads.emplace_back([&, i] {
        TakePriorityPlaceRequest r;
        r.set_case_id(cases[i]);
        r.set_idempotency_key("race-" + std::to_string(round) + "-" + std::to_string(i));
        TakePriorityPlaceResponse resp;
        while (!go) std::this_thread::yield();
        auto s = stubs[i % stubs.size()]->TakePriorityPlace(Harness::As(WorkshopAccount(), std::chrono::seconds(30)).get(),
                                                            r, &resp);
        std::lock_guard lock(mu);
        if (s.ok()) {
          ++outcome.granted;
          outcome.holders.insert(cases[i]);
        } else if (s.error_code() != grpc::FAILED_PRECONDITION) {
          ++unexpected;
        }
      });
    }
    go = true;
    for (auto& t : threads) t.join();
    EXPECT_EQ(unexpected, 0) << "every caller gets an answer: the place or FAILED_PRECONDITION";
    auto after = Pool("mda-1");
    outcome.used_after = after.used();
    outcome.places = after.places();
    outcome.cases_holding = CasesHolding(cases) + 2;  // the two held before the race
    EXPECT_EQ(outcome.granted, 1) << "round " << round;
    auto problems = Violations(outcome, before.used());
    EXPECT_TRUE(problems.empty()) << "round " << round << ": " << problems.front();
    // The winner's person leaves: the place is given back for the next round.
    ASSERT_EQ(outcome.holders.size(), 1u);
    ReleasePriorityPlaceRequest release;
    release.set_case_id(*outcome.holders.begin());
    release.set_idempotency_key(Key());
    ReleasePriorityPlaceResponse released;
    ASSERT_TRUE(w().ReleasePriorityPlace(Harness::As(ShelterAccount("mda-1")).get(), release, &released).ok());
  }
  auto events = EventCounts();
  EXPECT_EQ(events["priority_place.taken"], 2 + kRounds);
  EXPECT_EQ(events["priority_place.released"], kRounds);
}

TEST_F(PriorityRaceTest, OnePlanRacingWithItselfHoldsOnePlace) {
  std::string id = ApprovedCase("mda-1").id();
  DeclarePlaces("mda-1", 10, ShelterAccount("mda-1"));
  std::atomic<int> granted{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back([&, i] {
      TakePriorityPlaceRequest r;
      r.set_case_id(id);
      r.set_idempotency_key("self-race-" + std::to_string(i));  // distinct keys: not retries
      TakePriorityPlaceResponse resp;
      while (!go) std::this_thread::yield();
      if (w().TakePriorityPlace(Harness::As(WorkshopAccount()).get(), r, &resp).ok()) ++granted;
    });
  }
  go = true;
  for (auto& t : threads) t.join();
  EXPECT_EQ(granted, 1);
  EXPECT_EQ(Pool("mda-1").used(), 1);
}

// The control: the same race decided by a naive read-then-write (read places and used, then write the
// take in a second command), the bug the Lua script exists to prevent.
TEST_F(PriorityRaceTest, TheCheckerCatchesANaiveReadThenWrite) {
  RedisPool& redis = h().redis();
  int rounds_with_a_place_given_twice = 0;
  for (int round = 0; round < 10 && rounds_with_a_place_given_twice == 0; ++round) {
    std::string pool = "naive:{race}:priority:" + std::to_string(round);
    ASSERT_TRUE(redis.Command({"HSET", pool, "places", "3", "used", "2"}).ok());
    RoundOutcome outcome;
    outcome.free_before = 1;
    outcome.places = 3;
    std::mutex mu;
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    for (int i = 0; i < kPlans; ++i) {
      threads.emplace_back([&, i] {
        std::string case_key = pool + ":case:" + std::to_string(i);
        while (!go) std::this_thread::yield();
        auto p = redis.Command({"HMGET", pool, "places", "used"});
        if (!p.ok() || ReplyInt((*p)->element[1]) >= ReplyInt((*p)->element[0])) return;
        if (!redis.Command({"HINCRBY", pool, "used", "1"}).ok()) return;
        if (!redis.Command({"SET", case_key, "mda-1"}).ok()) return;
        std::lock_guard lock(mu);
        ++outcome.granted;
        outcome.holders.insert(case_key);
      });
    }
    go = true;
    for (auto& t : threads) t.join();
    outcome.used_after = static_cast<int>(ReplyInt(redis.Command({"HGET", pool, "used"})->get()));
    outcome.cases_holding = outcome.granted + 2;
    if (!Violations(outcome, 2).empty()) ++rounds_with_a_place_given_twice;
  }
  EXPECT_GT(rounds_with_a_place_given_twice, 0) << "the checker failed to see a read-then-write race";
}

}  // namespace
}  // namespace relais::testing
