// The real relais-monitoring process, killed with SIGKILL again and again while it counts a stream of
// events, restarted each time: at the end its aggregates equal those of one uninterrupted count, key
// for key. The test goes on until several kills have landed between reading a batch and counting it
// (the batch was then left pending, and the next process claimed it).
#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <thread>

#include "services/monitoring/generation.h"
#include "services/monitoring/keys.h"
#include "tests/support/child_process.h"
#include "tests/support/monitoring_events.h"
#include "tests/support/redis_server.h"

namespace relais::testing {
namespace {

constexpr int64_t kApril2026 = kMarch2026 + 31 * 24 * 3600 * 1000LL;

// A busy April: calls and their answers, pools changing, requests; `n` events from `first`.
void WriteLoad(EventLog& log, int first, int n) {
  const char* kinds[] = {"CALLER_KIND_PERSON", "CALLER_KIND_CITIZEN", "CALLER_KIND_POLICE", "CALLER_KIND_HOSPITAL"};
  for (int i = first; i < first + n; ++i) {
    int64_t at = kApril2026 + i * 20'000LL;
    std::string id = std::to_string(i);
    switch (i % 4) {
      case 0:
        log.Add(at, "call.queued", {{"call", "c" + id}, {"caller_kind", kinds[i % 3]}, {"language", i % 5 ? "fr" : "nl"}});
        break;
      case 1:
        log.Add(at, "call.answered", {{"waited_ms", std::to_string((i * 7919) % 1'500'000)}, {"call", "c" + id},
                                      {"caller_kind", kinds[i % 4]}, {"language", "fr"}});
        break;
      case 2: {
        EventLog::Pool pool{"s" + std::to_string(i % 5) + ":single_men", "s" + std::to_string(i % 5), "single_men",
                            i % 2 ? "ixelles" : "anderlecht", 30, 5, (i / 10) % 30};
        log.PoolEvent(at, "pool.declared", pool);
        break;
      }
      default:
        log.Add(at, "request.created", {{"request", "q" + id}, {"person", "p" + std::to_string(i % 997)},
                                        {"lane", "LANE_STANDARD"}, {"publics", "single_men"}});
    }
  }
  log.Flush();
}

TEST(MonitoringKill, KilledAnyTimeEveryEventCountsOnce) {
  RedisServer redis;
  RedisPool pool(redis.options(2));
  EventLog log(pool, "relais:{brussels}:events");
  WriteHandBuiltMonth(log);
  int written = 6000;
  WriteLoad(log, 0, written);
  monitoring::Keys live("brussels", "1");

  auto counted = [&] {
    auto status = monitoring::ReadStatus(pool, live, kApril2026);
    return status.ok() ? *status : monitoring::AggregationStatus{};
  };
  auto pending = [&] {
    auto r = pool.Command({"XPENDING", live.Events(), live.Group()});
    return r.ok() ? ReplyInt((*r)->element[0]) : 0;
  };
  std::vector<std::string> args = {MONITORING_BIN, "--redis-port", std::to_string(redis.port()), "--listen",
                                   "127.0.0.1:0", "--metrics-listen", "127.0.0.1:0", "--consumer-batch", "40",
                                   "--lease-ms", "100", "--live-interval-ms", "60000", "--log-level", "error"};
  std::mt19937 rng(4242);
  int kills = 0, kills_mid_batch = 0;
  for (int round = 0; round < 300; ++round) {
    pid_t pid = Spawn(args);
    ChildGuard guard(pid);
    // The killed process' lease runs out after 100 ms; then the new one counts for a while.
    std::this_thread::sleep_for(std::chrono::milliseconds(120 + rng() % 150));
    KillNow(pid);
    ++kills;
    if (pending() > 0) ++kills_mid_batch;
    auto now = counted();
    if (now.lag_events == 0 || now.lag_events == pending()) {
      if (kills_mid_batch >= 2) break;
      WriteLoad(log, written, 3000);  // all counted already: more events, more chances
      written += 3000;
    }
  }
  EXPECT_GE(kills_mid_batch, 2) << "kills: " << kills;

  // A last run, stopped cleanly once it holds the lease and everything is counted; a clean stop hands
  // the lease back at once.
  pid_t last = Spawn(args);
  ChildGuard guard(last);
  auto holder = [&] {
    auto r = pool.Command({"GET", live.Lease()});
    return r.ok() ? std::string(ReplyStr(r->get())) : "";
  };
  std::string suffix = "-" + std::to_string(last);
  for (int i = 0; i < 600; ++i) {
    std::string h = holder();
    bool mine = h.size() > suffix.size() && h.compare(h.size() - suffix.size(), suffix.size(), suffix) == 0;
    if (mine && counted().lag_events == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(StopGently(last), 0);
  EXPECT_EQ(holder(), "");
  EXPECT_EQ(counted().lag_events, 0);
  EXPECT_EQ(counted().counted, log.count());

  CountEverything(pool, "reference", "reference");
  auto reference = GenerationSnapshot(pool, "brussels", "reference");
  auto after_kills = GenerationSnapshot(pool, "brussels", "1");
  EXPECT_EQ(after_kills, reference);
  ASSERT_TRUE(after_kills.count("month:2026-04"));
  EXPECT_NE(after_kills["month:2026-04"].find("calls.total="), std::string::npos);
  std::cout << "[ info ] " << log.count() << " events, " << kills << " kills, " << kills_mid_batch
            << " of them between reading a batch and counting it\n";
}

}  // namespace
}  // namespace relais::testing
