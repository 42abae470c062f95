// The Redis client against a real redis-server: argv safety, pipelines, scripts with the NOSCRIPT
// fallback, error mapping, and reconnection after Redis dies and comes back.
#include <gtest/gtest.h>

#include <thread>

#include "common/redis.h"
#include "tests/support/beds_fixture.h"

namespace relais {
namespace {

using testing::SharedRedis;

class RedisClientTest : public ::testing::Test {
 protected:
  void SetUp() override { SharedRedis().FlushAll(); }
};

TEST_F(RedisClientTest, ArgvCarriesAnyBytesUnchanged) {
  RedisPool pool(SharedRedis().options(2));
  std::string nasty = "a b\r\nSET x y\r\n\0z";
  nasty.push_back('\0');
  ASSERT_TRUE(pool.Command({"SET", "k", nasty}).ok());
  auto got = pool.Command({"GET", "k"});
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(ReplyStr(got->get()), nasty);
  auto x = pool.Command({"EXISTS", "x"});
  EXPECT_EQ(ReplyInt(x->get()), 0);  // nothing was injected
}

TEST_F(RedisClientTest, PipelineAnswersInOrder) {
  RedisPool pool(SharedRedis().options(2));
  auto replies = pool.Pipeline({{"SET", "a", "1"}, {"INCR", "a"}, {"GET", "a"}});
  ASSERT_TRUE(replies.ok());
  ASSERT_EQ(replies->size(), 3u);
  EXPECT_EQ(ReplyInt((*replies)[1].get()), 2);
  EXPECT_EQ(ReplyStr((*replies)[2].get()), "2");
}

TEST_F(RedisClientTest, ErrorRepliesBecomeInternalNotUnknown) {
  RedisPool pool(SharedRedis().options(1));
  pool.Command({"SET", "s", "text"}).IgnoreError();
  auto r = pool.Command({"INCR", "s"});
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInternal);
  // The connection is still usable after an error reply.
  EXPECT_TRUE(pool.Command({"PING"}).ok());
}

TEST_F(RedisClientTest, TransientRedisStatesAreUnavailable) {
  EXPECT_EQ(StatusFromErrorReply("LOADING Redis is loading the dataset in memory").code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(StatusFromErrorReply("READONLY You can't write against a read only replica.").code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(StatusFromErrorReply("BUSY Redis is busy running a script").code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(StatusFromErrorReply("WRONGTYPE Operation against a key").code(), absl::StatusCode::kInternal);
  // Other codes that merely start with a transient one are not transient: a retry would not help.
  EXPECT_EQ(StatusFromErrorReply("BUSYGROUP Consumer Group name already exists").code(), absl::StatusCode::kInternal);
  EXPECT_EQ(StatusFromErrorReply("BUSYKEY Target key name already exists.").code(), absl::StatusCode::kInternal);
}

TEST_F(RedisClientTest, ScriptsSurviveAFlushedScriptCache) {
  RedisPool pool(SharedRedis().options(1));
  LuaScript script("incr_by", "return redis.call('INCRBY', KEYS[1], ARGV[1])");
  auto first = pool.Eval(script, {"n"}, {"5"});
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(ReplyInt(first->get()), 5);
  EXPECT_FALSE(script.sha().empty());
  ASSERT_TRUE(pool.Command({"SCRIPT", "FLUSH"}).ok());  // what a Redis restart does
  auto second = pool.Eval(script, {"n"}, {"2"});
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(ReplyInt(second->get()), 7);
}

TEST_F(RedisClientTest, ManyThreadsShareThePool) {
  RedisPool pool(SharedRedis().options(4));
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&pool] {
      for (int i = 0; i < 200; ++i) ASSERT_TRUE(pool.Command({"INCR", "counter"}).ok());
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ReplyInt(pool.Command({"GET", "counter"})->get()), 16 * 200);
}

TEST_F(RedisClientTest, UnavailableWhileRedisIsDownThenReconnectsByItself) {
  RedisOptions options = SharedRedis().options(2);
  options.command_timeout = std::chrono::milliseconds(300);
  options.connect_timeout = std::chrono::milliseconds(300);
  RedisPool pool(options);
  ASSERT_TRUE(pool.Command({"SET", "before", "1"}).ok());
  SharedRedis().Kill();
  auto down = pool.Command({"GET", "before"});
  EXPECT_EQ(down.status().code(), absl::StatusCode::kUnavailable);
  auto still_down = pool.Command({"GET", "before"});
  EXPECT_EQ(still_down.status().code(), absl::StatusCode::kUnavailable);
  SharedRedis().Start();
  auto back = pool.Command({"GET", "before"});
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(ReplyStr(back->get()), "1");  // AOF kept it
}

TEST_F(RedisClientTest, ACommandStuckInAPausedRedisTimesOut) {
  RedisOptions options = SharedRedis().options(1);
  options.command_timeout = std::chrono::milliseconds(200);
  RedisPool pool(options);
  ASSERT_TRUE(pool.Command({"PING"}).ok());
  SharedRedis().Pause();
  auto start = std::chrono::steady_clock::now();
  auto r = pool.Command({"PING"});
  auto waited = std::chrono::steady_clock::now() - start;
  SharedRedis().Resume();
  EXPECT_EQ(r.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_LT(waited, std::chrono::seconds(2));
  // A fresh connection replaces the one that timed out.
  auto again = pool.Command({"PING"});
  EXPECT_TRUE(again.ok()) << again.status();
}

}  // namespace
}  // namespace relais
