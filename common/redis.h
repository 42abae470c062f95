#pragma once
// A Redis client for many threads: a bounded pool of hiredis connections with connect and command
// timeouts, reconnection after any error, and Lua scripts run by EVALSHA with a NOSCRIPT fallback.
//
// hiredis facts this is built around: a redisContext is not thread-safe and is unusable after an
// error, so a connection that failed is dropped and a fresh one is made on next use; a command that
// timed out may or may not have run, so callers get UNAVAILABLE and retry with their idempotency key.
// Commands are always sent in argv form: user text is never pasted into a command string.
#include <hiredis/hiredis.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/config.h"

namespace relais {

struct RedisOptions {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string unix_socket;       // used instead of host:port when set
  std::string password;          // AUTH when set
  // Sentinel: the sentinels' "host:port" list and the master's name; the primary is asked of them.
  std::vector<std::string> sentinels;
  std::string sentinel_master = "relais";
  // Cluster: seed nodes' "host:port" list; the primary serving `routing_key`'s slot is asked of them.
  std::vector<std::string> cluster_seeds;
  std::string routing_key;       // a key of the region (the process sets it from --region)
  // With replicas: a script's answer is acknowledged only once this many replicas have its change
  // (WAIT), so a failover cannot lose it; otherwise the caller gets UNAVAILABLE and retries with its
  // idempotency key. 0: acknowledged once the primary has it (on disk with appendfsync always).
  int wait_replicas = 0;
  std::chrono::milliseconds wait_timeout{500};
  int pool_size = 8;
  std::chrono::milliseconds connect_timeout{500};
  std::chrono::milliseconds command_timeout{1000};
  std::chrono::milliseconds acquire_timeout{1000};  // waiting for a free connection of the pool
};

// --redis-host, --redis-port, --redis-socket, --redis-password, --redis-pool-size, --redis-timeout-ms,
// --redis-sentinels, --redis-sentinel-master, --redis-cluster-seeds, --redis-wait-replicas.
void AddRedisOptions(po::options_description& options, RedisOptions& redis);

struct ReplyDeleter {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using ReplyPtr = std::unique_ptr<redisReply, ReplyDeleter>;

// Reading replies. A nil or missing element reads as empty / 0.
std::string_view ReplyStr(const redisReply* r);
long long ReplyInt(const redisReply* r);  // integers, and strings holding integers
bool ReplyIsNil(const redisReply* r);

// Maps an error reply to a status: transient states of Redis (loading, busy, read-only replica,
// failover) are UNAVAILABLE so callers retry; anything else is INTERNAL.
absl::Status StatusFromErrorReply(std::string_view error);

// One Redis script, loaded once and then called by its SHA1.
class LuaScript {
 public:
  LuaScript(std::string name, std::string_view source) : name_(std::move(name)), source_(source) {}
  const std::string& name() const { return name_; }
  const std::string& source() const { return source_; }
  std::string sha() const;
  void set_sha(std::string sha) const;

 private:
  std::string name_;
  std::string source_;
  mutable std::mutex mu_;
  mutable std::string sha_;
};

using Argv = std::vector<std::string>;

class RedisConnection {
 public:
  // Connects to the primary the options name (resolved through Sentinel or Cluster when configured).
  static absl::StatusOr<std::unique_ptr<RedisConnection>> Connect(const RedisOptions& options);
  // Connects to this node, with the options' timeouts and password.
  static absl::StatusOr<std::unique_ptr<RedisConnection>> ConnectTo(const RedisOptions& options, const std::string& host,
                                                                     int port);
  ~RedisConnection();
  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;

  // Error replies come back as statuses (see StatusFromErrorReply).
  absl::StatusOr<ReplyPtr> Command(const Argv& argv);
  // Sends all commands, then reads all replies: one round trip. Fails as a whole if any reply is an error.
  absl::StatusOr<std::vector<ReplyPtr>> Pipeline(const std::vector<Argv>& commands);
  absl::StatusOr<ReplyPtr> Eval(const LuaScript& script, const Argv& keys, const Argv& args);
  void SetCommandTimeout(std::chrono::milliseconds timeout);

  bool broken() const { return broken_; }
  // The last command was refused because the primary moved (MOVED, ASK, READONLY): it did not run,
  // so it may be sent again on a connection resolved anew.
  bool redirected() const { return redirected_; }

 private:
  explicit RedisConnection(redisContext* c) : c_(c) {}
  // Marks the connection broken and redirected when the reply says the primary moved.
  void NoteRedirect(const redisReply* reply);
  absl::StatusOr<ReplyPtr> RawCommand(const Argv& argv);  // error replies returned as replies
  absl::Status ConnectionError();
  // After a script: WAIT for the configured replicas (RedisOptions::wait_replicas).
  absl::Status WaitForReplicas();
  redisContext* c_;
  bool broken_ = false;
  bool redirected_ = false;
  int wait_replicas_ = 0;
  std::chrono::milliseconds wait_timeout_{0};
};

class RedisPool {
 public:
  explicit RedisPool(RedisOptions options);
  ~RedisPool();

  absl::StatusOr<ReplyPtr> Command(const Argv& argv);
  absl::StatusOr<std::vector<ReplyPtr>> Pipeline(const std::vector<Argv>& commands);
  absl::StatusOr<ReplyPtr> Eval(const LuaScript& script, const Argv& keys, const Argv& args);

  // A connection outside the pool, for blocking reads such as XREAD BLOCK.
  absl::StatusOr<std::unique_ptr<RedisConnection>> Dedicated() const;

  const RedisOptions& options() const { return options_; }

 private:
  class Lease;
  absl::StatusOr<std::unique_ptr<RedisConnection>> Acquire();
  void Release(std::unique_ptr<RedisConnection> c);
  template <typename Fn>
  auto WithConnection(Fn&& fn) -> decltype(fn(std::declval<RedisConnection&>()));

  RedisOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<RedisConnection>> idle_;
  int open_ = 0;  // connections lent out or idle
};

}  // namespace relais
