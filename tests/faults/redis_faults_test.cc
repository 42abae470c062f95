// Faults of Redis under load, bounded in time, on loopback.
//
// 1. redis-server is killed with SIGKILL every one to two seconds and restarted from its data folder
//    while operators take and cancel holds on a few small pools and the hotline records street
//    reports. Every client retries with the same idempotency key until it gets a definite answer, so
//    an answer lost with a dying Redis is resolved by reading back through the retry. At the end every
//    acknowledged change is there, nothing is there twice, and no pool ever held more than its places.
// 2. redis-server is paused (SIGSTOP) past the deadlines: calls fail within their deadline with
//    UNAVAILABLE (HTTP 503), health turns NOT_SERVING, everything recovers within seconds of SIGCONT,
//    and the process has no more threads or file descriptors than before.
#include <dirent.h>
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "common/random_id.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "tests/support/beds_fixture.h"
#include "tests/support/gateway_harness.h"

namespace relais::testing {
namespace {

using namespace relais::v1;
using Clock = std::chrono::steady_clock;

constexpr int kPools = 3;
constexpr int kPlaces = 8;

bool Retryable(const grpc::Status& s) {
  return s.error_code() == grpc::UNAVAILABLE || s.error_code() == grpc::DEADLINE_EXCEEDED;
}

class RedisKillTest : public BedsTest {};

TEST_F(RedisKillTest, KilledEverySecondOrTwoLosesNothingAndGivesNoPlaceTwice) {
  for (int p = 0; p < kPools; ++p) {
    CreateShelter(MakeShelter("s" + std::to_string(p)));
    Declare("s" + std::to_string(p), "single_men", kPlaces, 0, 0);
  }
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::set<std::string> held, cancelled, reports;  // acknowledged outcomes
  std::atomic<int> retries{0}, no_place{0};

  // Sends `call` with the same request (and key) until a definite answer.
  auto until_definite = [&](auto call) {
    grpc::Status s;
    for (;;) {
      s = call();
      if (!Retryable(s)) return s;
      ++retries;
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
  };

  std::vector<std::thread> clients;
  for (int w = 0; w < 6; ++w) {
    clients.emplace_back([&, w] {
      std::mt19937 rng(w);
      std::vector<std::string> mine;  // holds this client keeps
      for (int i = 0; !stop; ++i) {
        TakeHoldRequest take;
        take.set_pool_id("s" + std::to_string(rng() % kPools) + ":single_men");
        take.set_request_id("req-" + std::to_string(w) + "-" + std::to_string(i));
        take.set_idempotency_key("take-" + std::to_string(w) + "-" + std::to_string(i));
        TakeHoldResponse taken;
        auto s = until_definite([&] { return beds().TakeHold(Harness::As(Operator(), std::chrono::seconds(3)).get(), take, &taken); });
        std::string to_cancel;
        if (s.error_code() == grpc::FAILED_PRECONDITION) {  // full: give one of this client's places back
          ++no_place;
          if (mine.empty()) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
            continue;
          }
          to_cancel = mine.back();
          mine.pop_back();
        } else {
          ASSERT_TRUE(s.ok()) << s.error_message();
          { std::lock_guard lock(mu); held.insert(taken.hold().id()); }
          if (rng() % 2 == 0) {  // keep half of them: the pools fill up and the last places are contended
            mine.push_back(taken.hold().id());
            continue;
          }
          to_cancel = taken.hold().id();
        }
        CancelHoldRequest cancel;
        cancel.set_hold_id(to_cancel);
        cancel.set_idempotency_key("cancel-" + std::to_string(w) + "-" + std::to_string(i));
        CancelHoldResponse done;
        s = until_definite([&] { return beds().CancelHold(Harness::As(Operator(), std::chrono::seconds(3)).get(), cancel, &done); });
        ASSERT_TRUE(s.ok()) << s.error_message();
        std::lock_guard lock(mu);
        held.erase(to_cancel);
        cancelled.insert(to_cancel);
      }
    });
  }
  clients.emplace_back([&] {
    for (int i = 0; !stop && i < 400; ++i) {  // at most what one listing returns
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      CreateStreetReportRequest req;
      auto* r = req.mutable_report();
      r->set_reporter_kind(REPORTER_KIND_POLICE);
      r->set_commune("ixelles");
      r->set_address("Place Flagey " + std::to_string(i));
      r->add_seen(OBSERVATION_SLEEPING_OUTSIDE);
      r->add_needs(STREET_NEED_HELP);
      req.set_idempotency_key("report-" + std::to_string(i));
      CreateStreetReportResponse resp;
      auto s = until_definite([&] { return h().dispatch().CreateStreetReport(Harness::As(Operator(), std::chrono::seconds(3)).get(), req, &resp); });
      ASSERT_TRUE(s.ok()) << s.error_message();
      std::lock_guard lock(mu);
      EXPECT_TRUE(reports.insert(resp.report().id()).second) << "a report acknowledged twice";
    }
  });

  // Redis dies every 1-2 s, for about 12 s, and comes back from its data folder.
  std::mt19937 rng(42);
  int kills = 0;
  for (auto until = Clock::now() + std::chrono::seconds(12); Clock::now() < until; ++kills) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1000 + rng() % 1000));
    SharedRedis().Kill();
    std::this_thread::sleep_for(std::chrono::milliseconds(100 + rng() % 300));
    SharedRedis().Start();
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  stop = true;
  for (auto& t : clients) t.join();
  ASSERT_FALSE(HasFatalFailure());
  EXPECT_GE(kills, 6);
  EXPECT_GT(retries.load(), 0) << "the clients never met an outage";
  EXPECT_GT(no_place.load(), 0) << "the pools were never full: the last place was never contended";

  // Every acknowledged hold is there in its acknowledged state, and nothing else is.
  int live = 0;
  for (int p = 0; p < kPools; ++p) {
    auto pool = PoolNow("s" + std::to_string(p) + ":single_men");
    EXPECT_LE(pool.live_holds(), kPlaces) << "a place was given twice";
    EXPECT_GE(pool.free(), 0);
    live += pool.live_holds();
  }
  EXPECT_EQ(live, static_cast<int>(held.size()));
  for (const auto& id : held) {
    GetHoldRequest get;
    get.set_hold_id(id);
    GetHoldResponse got;
    ASSERT_TRUE(beds().GetHold(Harness::As(Operator()).get(), get, &got).ok());
    EXPECT_EQ(got.hold().state(), HOLD_STATE_HELD) << id;
  }
  for (const auto& id : cancelled) {
    GetHoldRequest get;
    get.set_hold_id(id);
    GetHoldResponse got;
    ASSERT_TRUE(beds().GetHold(Harness::As(Operator()).get(), get, &got).ok());
    EXPECT_EQ(got.hold().state(), HOLD_STATE_CANCELLED) << id;
  }
  ListStreetReportsRequest list;
  list.set_limit(500);
  ListStreetReportsResponse listed;
  ASSERT_TRUE(h().dispatch().ListStreetReports(Harness::As(Operator()).get(), list, &listed).ok());
  std::set<std::string> stored;
  for (const auto& r : listed.reports()) stored.insert(r.id());
  EXPECT_EQ(stored, reports);  // every acknowledged report, and no report twice
  std::cout << "kills " << kills << ", retries " << retries << ", holds kept " << held.size() << ", cancelled "
            << cancelled.size() << ", refused for lack of place " << no_place << ", reports " << reports.size() << "\n";
}

// ---- SIGSTOP ----

int Count(const char* folder) {
  int n = 0;
  DIR* d = opendir(folder);
  while (d && readdir(d)) ++n;
  if (d) closedir(d);
  return n;
}
int Threads() { return Count("/proc/self/task"); }
int FileDescriptors() { return Count("/proc/self/fd"); }

class RedisPauseTest : public ::testing::Test {
 protected:
  RedisServer& redis() { return SharedRedis(); }
};

TEST_F(RedisPauseTest, CallsFailWithinTheirDeadlineHealthFollowsAndEverythingRecovers) {
  redis().FlushAll();
  auto gw = std::make_unique<GatewayHarness>(redis());
  gw->AddUser("operator-1", "operator");
  HttpClient http = gw->SignedIn("operator-1");
  auto& services = gw->services();
  {
    CreateShelterRequest create;
    *create.mutable_shelter() = MakeShelter("paused");
    create.set_idempotency_key(RandomId("k-"));
    CreateShelterResponse created;
    ASSERT_TRUE(services.stub().CreateShelter(Harness::As(Admin()).get(), create, &created).ok());
    DeclarePoolRequest declare;
    declare.set_shelter_id("paused");
    declare.set_public_("single_men");
    declare.mutable_figures()->set_places_in_service(1000);
    declare.set_idempotency_key(RandomId("k-"));
    DeclarePoolResponse declared;
    ASSERT_TRUE(services.stub().DeclarePool(Harness::As(ShelterAccount("paused")).get(), declare, &declared).ok());
  }
  auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(services.port()), grpc::InsecureChannelCredentials());
  auto health = grpc::health::v1::Health::NewStub(channel);
  auto serving = [&] {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(1));
    grpc::health::v1::HealthCheckResponse r;
    return health->Check(&ctx, {}, &r).ok() && r.status() == grpc::health::v1::HealthCheckResponse::SERVING;
  };
  auto hold = [&](const std::string& key, std::chrono::milliseconds deadline) {
    TakeHoldRequest take;
    take.set_pool_id("paused:single_men");
    take.set_request_id("req-" + key);
    take.set_idempotency_key(key);
    TakeHoldResponse taken;
    return services.stub().TakeHold(Harness::As(Operator(), deadline).get(), take, &taken);
  };
  auto http_hold = [&](const std::string& key) {
    return http.Send("POST", "/api/v1/holds", R"({"pool_id":"paused:single_men","request_id":"req-)" + key + R"("})",
                     {{"Idempotency-Key", key}});
  };

  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(hold(RandomId("warm-"), std::chrono::seconds(5)).ok());
    ASSERT_EQ(http_hold(RandomId("warm-")).status, 200);
  }
  ASSERT_TRUE(serving());
  ASSERT_EQ(http.Get("/readyz").status, 200);

  // One outage: Redis stopped past every deadline, then continued.
  auto outage = [&] {
    redis().Pause();
    // gRPC: the Redis command times out (2 s in the harness) well within the caller's 5 s deadline.
    auto start = Clock::now();
    const std::string paused_key = RandomId("paused-");
    auto s = hold(paused_key, std::chrono::seconds(5));
    EXPECT_EQ(s.error_code(), grpc::UNAVAILABLE) << s.error_message();
    EXPECT_LT(Clock::now() - start, std::chrono::milliseconds(4500));
    // HTTP: 503 with a JSON error, within the gateway's deadline.
    start = Clock::now();
    auto answer = http_hold(RandomId("paused-"));
    EXPECT_EQ(answer.status, 503) << answer.body;
    EXPECT_NE(answer.body.find("\"error\""), std::string::npos);
    EXPECT_LT(Clock::now() - start, std::chrono::seconds(7));
    // Health turns NOT_SERVING, readiness 503.
    bool went_down = false;
    for (auto until = Clock::now() + std::chrono::seconds(8); Clock::now() < until && !went_down;) {
      went_down = !serving();
      if (!went_down) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_TRUE(went_down) << "health stayed SERVING while Redis was stopped";
    EXPECT_EQ(http.Get("/readyz").status, 503);

    redis().Resume();
    auto resumed = Clock::now();
    bool back = false;
    while (Clock::now() - resumed < std::chrono::seconds(10) && !back) {
      back = serving() && hold(RandomId("after-"), std::chrono::seconds(2)).ok() &&
             http_hold(RandomId("after-")).status == 200 && http.Get("/readyz").status == 200;
      if (!back) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_TRUE(back) << "not recovered 10 s after SIGCONT";
    // The call that timed out may still have run once Redis went on: retried with its key it has one
    // effect, whichever way it went.
    auto live_before = [&] {
      GetAvailabilityRequest read;
      read.mutable_filter()->set_shelter_id("paused");
      GetAvailabilityResponse got;
      EXPECT_TRUE(services.stub().GetAvailability(Harness::As(Operator()).get(), read, &got).ok());
      return got.pools_size() == 1 ? got.pools(0).live_holds() : -1;
    };
    int live = live_before();
    EXPECT_TRUE(hold(paused_key, std::chrono::seconds(5)).ok());
    int after_first_retry = live_before();
    EXPECT_TRUE(hold(paused_key, std::chrono::seconds(5)).ok());
    EXPECT_EQ(live_before(), after_first_retry);
    EXPECT_LE(after_first_retry - live, 1);
    std::cout << "recovered " << std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - resumed).count()
              << " ms after SIGCONT\n";
    for (int i = 0; i < 20; ++i) {
      ASSERT_TRUE(hold(RandomId("more-"), std::chrono::seconds(5)).ok());
      ASSERT_EQ(http_hold(RandomId("more-")).status, 200);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  };

  // The first outage warms the error paths too (gRPC may grow its own thread pool once); then the
  // baseline. A leak of even one thread or descriptor per outage shows after two more.
  outage();
  const int threads_before = Threads(), fds_before = FileDescriptors();
  outage();
  outage();
  EXPECT_LE(Threads(), threads_before + 1) << "threads leaked";
  EXPECT_LE(FileDescriptors(), fds_before + 1) << "file descriptors leaked";
  std::cout << "threads " << threads_before << " -> " << Threads() << ", descriptors " << fds_before << " -> "
            << FileDescriptors() << "\n";
}

}  // namespace
}  // namespace relais::testing
