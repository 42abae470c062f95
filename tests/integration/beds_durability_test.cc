// Durability: every acknowledged hold and arrival is there after redis-server is killed with SIGKILL
// and restarted from its data folder (AOF); meanwhile the service answers UNAVAILABLE, turns its
// health NOT_SERVING, and reconnects by itself. Retries with the same idempotency key across the
// crash give exactly one effect.
#include <grpcpp/health_check_service_interface.h>

#include <atomic>
#include <set>
#include <thread>

#include "grpc/health/v1/health.grpc.pb.h"
#include "tests/support/beds_fixture.h"

namespace relais::testing {
namespace {

using namespace relais::v1;

class DurabilityTest : public BedsTest {
 protected:
  void SetUp() override {
    BedsTest::SetUp();
    CreateShelter(MakeShelter("samusocial"));
    Declare("samusocial", "single_men", 10000, 0, 0);
  }

  relais::v1::Hold Get(const std::string& hold_id) {
    GetHoldRequest req;
    req.set_hold_id(hold_id);
    GetHoldResponse resp;
    auto s = beds().GetHold(Harness::As(Operator()).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.hold();
  }

  // Retries one call until it succeeds (or definitely fails), like a careful client.
  template <typename Fn>
  grpc::Status Retry(Fn call) {
    grpc::Status s;
    for (int attempt = 0; attempt < 200; ++attempt) {
      s = call();
      if (s.error_code() != grpc::UNAVAILABLE && s.error_code() != grpc::DEADLINE_EXCEEDED) return s;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return s;
  }
};

TEST_F(DurabilityTest, AcknowledgedHoldsAndArrivalsSurviveKillDashNine) {
  std::vector<std::string> held, arrived;
  for (int i = 0; i < 50; ++i) {
    auto taken = Hold("samusocial:single_men");
    (i < 20 ? arrived : held).push_back(taken.hold().id());
  }
  for (const auto& id : arrived) {
    ConfirmArrivalRequest req;
    req.set_hold_id(id);
    req.set_idempotency_key(Key());
    ConfirmArrivalResponse resp;
    ASSERT_TRUE(beds().ConfirmArrival(Harness::As(ShelterAccount("samusocial")).get(), req, &resp).ok());
  }
  long long events = EventCount();

  SharedRedis().Kill();
  // Meanwhile: UNAVAILABLE within the deadline, and health turns NOT_SERVING.
  TakeHoldRequest req;
  req.set_pool_id("samusocial:single_men");
  req.set_request_id("req-during-outage");
  req.set_idempotency_key(Key());
  TakeHoldResponse resp;
  auto started = std::chrono::steady_clock::now();
  auto s = beds().TakeHold(Harness::As(Operator(), std::chrono::seconds(4)).get(), req, &resp);
  EXPECT_EQ(s.error_code(), grpc::UNAVAILABLE) << s.error_message();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(4));
  auto health = grpc::health::v1::Health::NewStub(
      grpc::CreateChannel("127.0.0.1:" + std::to_string(h().port()), grpc::InsecureChannelCredentials()));
  grpc::health::v1::HealthCheckResponse status;
  for (int i = 0; i < 50; ++i) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(1));
    health->Check(&ctx, {}, &status);
    if (status.status() == grpc::health::v1::HealthCheckResponse::NOT_SERVING) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(status.status(), grpc::health::v1::HealthCheckResponse::NOT_SERVING);

  SharedRedis().Start();
  // The service reconnects by itself: the same call, retried, goes through.
  s = Retry([&] { return beds().TakeHold(Harness::As(Operator()).get(), req, &resp); });
  ASSERT_TRUE(s.ok()) << s.error_message();

  for (const auto& id : arrived) EXPECT_EQ(Get(id).state(), HOLD_STATE_ARRIVED) << id;
  for (const auto& id : held) EXPECT_EQ(Get(id).state(), HOLD_STATE_HELD) << id;
  auto pool = PoolNow("samusocial:single_men");
  EXPECT_EQ(pool.figures().occupied(), 20);
  EXPECT_EQ(pool.live_holds(), 31);
  EXPECT_EQ(pool.free(), 10000 - 20 - 31);
  EXPECT_EQ(EventCount(), events + 1);

  // A restart of the service process loses nothing either.
  harness_.reset();
  harness_ = std::make_unique<Harness>(SharedRedis());
  EXPECT_EQ(PoolNow("samusocial:single_men").live_holds(), 31);
}

TEST_F(DurabilityTest, HoldsTakenWhileRedisIsKilledAreExactlyOnce) {
  // Writers take holds continuously; each retries with its own key until it gets an answer. Redis
  // is killed and restarted under them. Whatever was acknowledged is there, and no retry doubled.
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::set<std::string> acknowledged;
  std::atomic<int> attempts_unavailable{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; !stop; ++i) {
        TakeHoldRequest req;
        req.set_pool_id("samusocial:single_men");
        req.set_request_id("req-" + std::to_string(w) + "-" + std::to_string(i));
        req.set_idempotency_key("writer-" + std::to_string(w) + "-" + std::to_string(i));
        TakeHoldResponse resp;
        grpc::Status s;
        do {
          s = beds().TakeHold(Harness::As(Operator(), std::chrono::seconds(2)).get(), req, &resp);
          if (!s.ok()) {
            ++attempts_unavailable;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
          }
        } while (!s.ok() && (s.error_code() == grpc::UNAVAILABLE || s.error_code() == grpc::DEADLINE_EXCEEDED));
        ASSERT_TRUE(s.ok()) << s.error_message();
        std::lock_guard lock(mu);
        acknowledged.insert(resp.hold().id());
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  SharedRedis().Kill();
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  SharedRedis().Start();
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  stop = true;
  for (auto& t : writers) t.join();
  EXPECT_GT(attempts_unavailable.load(), 0) << "the writers never saw the outage";

  auto pool = PoolNow("samusocial:single_men");
  EXPECT_EQ(pool.live_holds(), static_cast<int>(acknowledged.size()));
  for (const auto& id : acknowledged) EXPECT_EQ(Get(id).state(), HOLD_STATE_HELD) << id;
}

}  // namespace
}  // namespace relais::testing
