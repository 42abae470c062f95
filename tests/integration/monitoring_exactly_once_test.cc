// Every event counts exactly once, whatever happens to the consumer between reading events and
// counting them, and a rebuild from the whole stream gives the very same aggregates. The reference is
// the hand-built month counted in one go into a generation of its own; a naive consumer that counts
// and acknowledges in two steps is the control that shows the checks can fail.
#include <gtest/gtest.h>

#include <thread>

#include "services/monitoring/consumer.h"
#include "services/monitoring/counters.h"
#include "services/monitoring/generation.h"
#include "services/monitoring/rebuild.h"
#include "services/monitoring/report_reader.h"
#include "tests/support/beds_fixture.h"
#include "tests/support/monitoring_events.h"

namespace relais::testing {
namespace {

using monitoring::Consumer;
using monitoring::ConsumerOptions;

constexpr char kRegion[] = "brussels";
constexpr int64_t kApril5 = kMarch2026 + 35 * 24 * 3600 * 1000LL;

class ExactlyOnceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SharedRedis().FlushAll();
    redis_ = std::make_unique<RedisPool>(SharedRedis().options(4));
    EventLog log(*redis_, "relais:{brussels}:events");
    WriteHandBuiltMonth(log);
    events_ = log.count();
    CountEverything(*redis_, "reference", "reference");
    reference_ = GenerationSnapshot(*redis_, kRegion, "reference");
    ASSERT_GT(reference_.size(), 5u);
  }

  ConsumerOptions Options(const std::string& name, std::chrono::milliseconds lease = std::chrono::seconds(15)) {
    ConsumerOptions o;
    o.region = kRegion;
    o.name = name;
    o.batch = 25;  // several batches for the month's events
    o.lease = lease;
    return o;
  }
  std::map<std::string, std::string> Live() {
    auto g = monitoring::CurrentGeneration(*redis_, kRegion);
    EXPECT_TRUE(g.ok());
    return GenerationSnapshot(*redis_, kRegion, *g);
  }
  int64_t Pending(const std::string& generation) {
    auto r = redis_->Command({"XPENDING", "relais:{brussels}:events", "monitoring:" + generation});
    return r.ok() ? ReplyInt((*r)->element[0]) : -1;
  }
  std::string Report(const std::string& generation) {
    auto r = monitoring::BuildMonthlyReport(*redis_, kRegion, *monitoring::Month::Parse("2026-03"), kApril5, generation);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? r->SerializeAsString() : "";
  }

  std::unique_ptr<RedisPool> redis_;
  int64_t events_ = 0;
  std::map<std::string, std::string> reference_;
};

TEST_F(ExactlyOnceTest, KilledBetweenReadingAndCountingThenRestarted) {
  {
    Consumer a(*redis_, Options("a"));
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(a.Step().ok());
    auto batch = a.Read();
    ASSERT_TRUE(batch.ok());
    ASSERT_EQ(batch->size(), 25u);
    // Killed here: the batch was read, not counted, not acknowledged.
  }
  EXPECT_EQ(Pending("1"), 25);
  EXPECT_NE(Live(), reference_);
  CountEverything(*redis_, "a");  // the same consumer restarted takes its batch up first
  EXPECT_EQ(Pending("1"), 0);
  EXPECT_EQ(Live(), reference_);
  EXPECT_EQ(Report("1"), Report("reference"));
}

TEST_F(ExactlyOnceTest, AnotherConsumerTakesOverAndTheOldOneCountsNothingMore) {
  Consumer a(*redis_, Options("a", std::chrono::milliseconds(100)));
  ASSERT_TRUE(a.Step().ok());
  auto batch = a.Read();
  ASSERT_TRUE(batch.ok());
  ASSERT_FALSE(batch->empty());
  // "a" stops answering (a long pause): "b" waits while the lease holds, then takes over.
  Consumer b(*redis_, Options("b", std::chrono::milliseconds(100)));
  auto waiting = b.Step();
  ASSERT_TRUE(waiting.ok());
  EXPECT_TRUE(waiting->standby);
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  auto claimed = b.Read();
  ASSERT_TRUE(claimed.ok());
  ASSERT_EQ(claimed->size(), batch->size()) << "b claims what a left first: the oldest events";
  EXPECT_EQ(claimed->front().id, batch->front().id);
  // "a" wakes up and tries to count its batch: refused, nothing written.
  auto before = Live();
  auto late = a.Count(*batch);
  ASSERT_TRUE(late.ok());
  EXPECT_TRUE(late->standby);
  EXPECT_EQ(late->counted, 0);
  EXPECT_EQ(Live(), before);
  auto counted = b.Count(*claimed);
  ASSERT_TRUE(counted.ok());
  EXPECT_EQ(counted->counted, static_cast<int>(claimed->size()));
  for (;;) {
    auto step = b.Step();
    ASSERT_TRUE(step.ok());
    if (step->read == 0) break;
  }
  EXPECT_EQ(Live(), reference_);
}

TEST_F(ExactlyOnceTest, CountingABatchAgainChangesNothing) {
  Consumer a(*redis_, Options("a"));
  auto batch = a.Read();
  ASSERT_TRUE(batch.ok());
  auto first = a.Count(*batch);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->counted, 25);
  auto once = Live();
  // The answer was lost (a timeout): the consumer counts the same batch again.
  auto again = a.Count(*batch);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->counted, 0);
  EXPECT_EQ(again->skipped, 25);
  EXPECT_EQ(Live(), once);
  CountEverything(*redis_, "a");
  EXPECT_EQ(Live(), reference_);
}

// The control: count with plain commands, then acknowledge; killed in between and restarted, the
// batch is counted twice.
TEST_F(ExactlyOnceTest, ControlANaiveConsumerCountsTwice) {
  monitoring::Keys keys(kRegion, "naive");
  auto conn = redis_->Dedicated();
  ASSERT_TRUE(conn.ok());
  ASSERT_TRUE(monitoring::EnsureGroup(**conn, keys).ok());
  auto naive_step = [&](const std::string& from, bool acknowledge) {
    auto reply = redis_->Command({"XREADGROUP", "GROUP", keys.Group(), "naive", "COUNT", "1000", "STREAMS",
                                  keys.Events(), from});
    ASSERT_TRUE(reply.ok());
    if (ReplyIsNil(reply->get())) return;
    for (const auto& e : monitoring::EventsFromEntries((*reply)->element[0]->element[1])) {
      std::vector<Argv> counts;  // plain commands, not one atomic step
      for (const auto& op : monitoring::PlanEvent(e, keys)) {
        if (op.kind == monitoring::Op::kIncr) counts.push_back({"HINCRBY", op.keys[0], op.args[0], op.args[1]});
      }
      if (!counts.empty()) {
        ASSERT_TRUE(redis_->Pipeline(counts).ok());
      }
      if (acknowledge) {
        ASSERT_TRUE(redis_->Command({"XACK", keys.Events(), keys.Group(), e.id}).ok());
      }
    }
  };
  naive_step(">", false);  // counted, then killed before acknowledging
  naive_step("0", true);   // restarted: its pending events again
  auto naive = GenerationSnapshot(*redis_, kRegion, "naive");
  std::string key = "month:2026-03";
  ASSERT_TRUE(naive.count(key));
  EXPECT_NE(naive[key].find("calls.total=24\n"), std::string::npos) << "12 calls counted twice";
  EXPECT_NE(reference_[key].find("calls.total=12\n"), std::string::npos);
}

TEST_F(ExactlyOnceTest, ARebuildGivesTheLiveFiguresAndTakesOver) {
  {
    Consumer a(*redis_, Options("a"));
    ASSERT_TRUE(a.Step().ok());
    ASSERT_TRUE(a.Read().ok());  // killed with a batch read
  }
  CountEverything(*redis_, "a");
  auto live = Live();
  ASSERT_EQ(live, reference_);

  auto rebuilt = monitoring::Rebuild(*redis_, kRegion, true);
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.status();
  EXPECT_EQ(*rebuilt, "2");
  EXPECT_EQ(GenerationSnapshot(*redis_, kRegion, "2"), GenerationSnapshot(*redis_, kRegion, "1"));
  EXPECT_EQ(Report("2"), Report("1"));
  EXPECT_EQ(*monitoring::CurrentGeneration(*redis_, kRegion), "2");

  // The live consumer follows the new generation and counts what comes next, once.
  EventLog more(*redis_, "relais:{brussels}:events");
  more.Add(kApril5, "call.queued", {{"call", "c99"}, {"caller_kind", "CALLER_KIND_POLICE"}, {"language", "nl"}});
  more.Flush();
  CountEverything(*redis_, "a");
  auto after = GenerationSnapshot(*redis_, kRegion, "2");
  EXPECT_NE(after["month:2026-04"].find("calls.total=1\n"), std::string::npos);
  EXPECT_EQ(after["month:2026-03"], reference_["month:2026-03"]);

  // The old generation goes; the one in use cannot.
  EXPECT_TRUE(monitoring::DropGeneration(*redis_, kRegion, "1").ok());
  EXPECT_TRUE(GenerationSnapshot(*redis_, kRegion, "1").empty());
  EXPECT_FALSE(monitoring::DropGeneration(*redis_, kRegion, "2").ok());
}

}  // namespace
}  // namespace relais::testing
