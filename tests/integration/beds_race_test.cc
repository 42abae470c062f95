// The last place is never given twice. 200 concurrent holds on a pool with 20 free places, repeated
// many times: exactly 20 succeed every time and no pool goes below zero. The same checker, run on a
// deliberately naive read-then-write control, must find double-booking: proof the checker can fail.
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

#include "tests/support/beds_fixture.h"

namespace relais::testing {
namespace {

using namespace relais::v1;

constexpr int kContenders = 200;
constexpr int kFreePlaces = 20;
constexpr int kCapacity = 100;
constexpr int kRounds = 30;

// What one round left behind, gathered the same way for the real service and the control.
struct RoundOutcome {
  int free_before = 0;
  int granted = 0;                    // holds the callers were told they got
  std::set<std::string> hold_ids;     // distinct ids among them
  int live_holds_after = 0;           // holds the store keeps for the pool
  int occupied_after = 0;
};

// The checker. Returns what is wrong; empty means no place was given twice.
std::vector<std::string> Violations(const RoundOutcome& r) {
  std::vector<std::string> out;
  if (r.granted > r.free_before) {
    out.push_back("double booking: " + std::to_string(r.granted) + " holds granted for " +
                  std::to_string(r.free_before) + " free places");
  }
  if (static_cast<int>(r.hold_ids.size()) != r.granted) out.push_back("the same hold was granted to two callers");
  if (r.live_holds_after != r.granted) {
    out.push_back("the store keeps " + std::to_string(r.live_holds_after) + " holds, callers were told " +
                  std::to_string(r.granted));
  }
  if (kCapacity - r.occupied_after - r.live_holds_after < 0) out.push_back("the pool went below zero");
  return out;
}

class RaceTest : public BedsTest {
 protected:
  void SetUp() override {
    BedsTest::SetUp();
    CreateShelter(MakeShelter("samusocial"));
    for (int i = 0; i < 4; ++i) {
      stubs_.push_back(Beds::NewStub(grpc::CreateCustomChannel(
          "127.0.0.1:" + std::to_string(h().port()), grpc::InsecureChannelCredentials(),
          [i] {
            grpc::ChannelArguments args;
            args.SetInt("relais.channel", i);  // distinct channels, not one shared connection
            return args;
          }())));
    }
  }

  // Fires all contenders at once through the async API and waits for every answer.
  RoundOutcome RunRound(const std::string& pool_id) {
    RoundOutcome outcome;
    outcome.free_before = PoolNow(pool_id).free();
    std::mutex mu;
    std::condition_variable done_cv;
    int done = 0;
    std::vector<std::unique_ptr<grpc::ClientContext>> contexts(kContenders);
    std::vector<TakeHoldRequest> requests(kContenders);
    std::vector<TakeHoldResponse> responses(kContenders);
    int unexpected = 0;
    for (int i = 0; i < kContenders; ++i) {
      contexts[i] = Harness::As(Operator("op-" + std::to_string(i)), std::chrono::seconds(30));
      requests[i].set_pool_id(pool_id);
      requests[i].set_request_id("req-" + std::to_string(i));
      requests[i].set_idempotency_key(Key());
      stubs_[i % stubs_.size()]->async()->TakeHold(contexts[i].get(), &requests[i], &responses[i],
                                                   [&, i](grpc::Status s) {
                                                     std::lock_guard lock(mu);
                                                     if (s.ok()) {
                                                       ++outcome.granted;
                                                       outcome.hold_ids.insert(responses[i].hold().id());
                                                     } else if (s.error_code() != grpc::FAILED_PRECONDITION) {
                                                       ++unexpected;
                                                     }
                                                     ++done;
                                                     done_cv.notify_all();
                                                   });
    }
    std::unique_lock lock(mu);
    done_cv.wait(lock, [&] { return done == kContenders; });
    EXPECT_EQ(unexpected, 0) << "every caller gets an answer: a hold or FAILED_PRECONDITION";
    auto after = PoolNow(pool_id);
    outcome.live_holds_after = after.live_holds();
    outcome.occupied_after = after.figures().occupied();
    return outcome;
  }

  std::vector<std::unique_ptr<Beds::Stub>> stubs_;
};

TEST_F(RaceTest, TwoHundredContendersTwentyPlacesExactlyTwentyHolds) {
  for (int round = 0; round < kRounds; ++round) {
    std::string shelter = "race-" + std::to_string(round);
    CreateShelter(MakeShelter(shelter));
    Declare(shelter, "single_men", kCapacity, 0, kCapacity - kFreePlaces);
    auto outcome = RunRound(shelter + ":single_men");
    EXPECT_EQ(outcome.granted, kFreePlaces) << "round " << round;
    auto problems = Violations(outcome);
    EXPECT_TRUE(problems.empty()) << "round " << round << ": " << problems.front();
    EXPECT_EQ(PoolNow(shelter + ":single_men").free(), 0);
  }
  // Every event of the run shows a pool at or above zero.
  for (const auto& e : Events()) {
    if (e.count("free")) {
      EXPECT_GE(std::stoi(e.at("free")), 0);
    }
    if (e.count("holds") && e.count("occupied")) {
      EXPECT_LE(std::stoi(e.at("holds")) + std::stoi(e.at("occupied")), kCapacity);
    }
  }
}

// The control: the same race, decided by a deliberately naive read-then-write (read the figures,
// compute free, then write the hold in a second command), the bug the Lua script exists to prevent.
TEST_F(RaceTest, TheCheckerCatchesANaiveReadThenWrite) {
  RedisPool& redis = h().redis();
  int rounds_with_double_booking = 0;
  for (int round = 0; round < 10 && rounds_with_double_booking == 0; ++round) {
    std::string pool_key = "naive:{race}:pool:" + std::to_string(round);
    std::string holds_key = pool_key + ":holds";
    ASSERT_TRUE(redis.Command({"HSET", pool_key, "in_service", std::to_string(kCapacity), "occupied",
                               std::to_string(kCapacity - kFreePlaces)})
                    .ok());
    RoundOutcome outcome;
    outcome.free_before = kFreePlaces;
    std::mutex mu;
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    for (int i = 0; i < kContenders; ++i) {
      threads.emplace_back([&, i] {
        while (!go) std::this_thread::yield();
        auto figures = redis.Command({"HMGET", pool_key, "in_service", "occupied"});
        auto holds = redis.Command({"ZCARD", holds_key});
        if (!figures.ok() || !holds.ok()) return;
        long long free = ReplyInt((*figures)->element[0]) - ReplyInt((*figures)->element[1]) - ReplyInt(holds->get());
        if (free < 1) return;
        std::string hold_id = "naive-" + std::to_string(round) + "-" + std::to_string(i);
        if (!redis.Command({"ZADD", holds_key, "1", hold_id}).ok()) return;
        std::lock_guard lock(mu);
        ++outcome.granted;
        outcome.hold_ids.insert(hold_id);
      });
    }
    go = true;
    for (auto& t : threads) t.join();
    outcome.live_holds_after = static_cast<int>(ReplyInt(redis.Command({"ZCARD", holds_key})->get()));
    outcome.occupied_after = kCapacity - kFreePlaces;
    if (!Violations(outcome).empty()) ++rounds_with_double_booking;
  }
  EXPECT_GT(rounds_with_double_booking, 0) << "the checker failed to see a read-then-write race";
}

}  // namespace
}  // namespace relais::testing
