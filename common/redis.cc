#include "common/redis.h"

#include <algorithm>
#include <cstdlib>

#include "common/log.h"
#include "common/redis_topology.h"

namespace relais {
namespace {

timeval ToTimeval(std::chrono::milliseconds ms) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
  return tv;
}

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// A checked "host:port,..." flag value, kept as its parts.
std::vector<std::string> EndpointList(const std::string& text) {
  auto endpoints = ParseEndpoints(text);
  if (!endpoints.ok()) throw po::error(std::string(endpoints.status().message()));
  std::vector<std::string> out;
  for (const auto& e : *endpoints) out.push_back(e.host + ":" + std::to_string(e.port));
  return out;
}

// Replies that say the command did not run because the primary is elsewhere now.
bool IsRedirect(std::string_view error) {
  return StartsWith(error, "MOVED ") || StartsWith(error, "ASK ") || StartsWith(error, "READONLY");
}

}  // namespace

void AddRedisOptions(po::options_description& options, RedisOptions& redis) {
  options.add_options()
      ("redis-host", po::value(&redis.host)->default_value(redis.host), "Redis host")
      ("redis-port", po::value(&redis.port)->default_value(redis.port), "Redis port")
      ("redis-socket", po::value(&redis.unix_socket)->default_value(""), "Redis Unix socket (instead of host:port)")
      ("redis-password", po::value(&redis.password)->default_value(""), "Redis password (AUTH)")
      ("redis-pool-size", po::value(&redis.pool_size)->default_value(redis.pool_size), "Redis connections in the pool")
      ("redis-timeout-ms", po::value<int>()->default_value(1000)->notifier([&redis](int ms) {
         redis.command_timeout = std::chrono::milliseconds(ms);
         redis.acquire_timeout = std::chrono::milliseconds(ms);
       }), "timeout of one Redis command, in milliseconds")
      ("redis-sentinels", po::value<std::string>()->default_value("")->notifier([&redis](const std::string& t) {
         redis.sentinels = EndpointList(t);
       }), "Sentinel deployment: the sentinels, host:port,host:port (the primary is asked of them)")
      ("redis-sentinel-master", po::value(&redis.sentinel_master)->default_value(redis.sentinel_master),
       "Sentinel deployment: the name of the monitored master")
      ("redis-cluster-seeds", po::value<std::string>()->default_value("")->notifier([&redis](const std::string& t) {
         redis.cluster_seeds = EndpointList(t);
       }), "Redis Cluster deployment: seed nodes, host:port,host:port (the region's primary is asked of them)")
      ("redis-wait-replicas", po::value(&redis.wait_replicas)->default_value(redis.wait_replicas),
       "acknowledge a change only once this many replicas have it (WAIT); 0: once the primary has it");
}

std::string_view ReplyStr(const redisReply* r) {
  if (!r || (r->type != REDIS_REPLY_STRING && r->type != REDIS_REPLY_STATUS && r->type != REDIS_REPLY_ERROR)) return {};
  return std::string_view(r->str, r->len);
}

long long ReplyInt(const redisReply* r) {
  if (!r) return 0;
  if (r->type == REDIS_REPLY_INTEGER) return r->integer;
  if (r->type == REDIS_REPLY_STRING) return std::strtoll(std::string(r->str, r->len).c_str(), nullptr, 10);
  return 0;
}

bool ReplyIsNil(const redisReply* r) { return !r || r->type == REDIS_REPLY_NIL; }

absl::Status StatusFromErrorReply(std::string_view error) {
  // The error's first word: "BUSY" (a script runs) is transient, "BUSYGROUP" or "BUSYKEY" are not.
  std::string_view code = error.substr(0, error.find(' '));
  for (std::string_view transient : {"LOADING", "BUSY", "READONLY", "MASTERDOWN", "TRYAGAIN", "CLUSTERDOWN", "NOREPLICAS",
                                     "MOVED", "ASK"}) {
    if (code == transient) return absl::UnavailableError("redis is not ready: " + std::string(error));
  }
  return absl::InternalError("redis error: " + std::string(error));
}

std::string LuaScript::sha() const {
  std::lock_guard lock(mu_);
  return sha_;
}

void LuaScript::set_sha(std::string sha) const {
  std::lock_guard lock(mu_);
  sha_ = std::move(sha);
}

// ---- RedisConnection ----

absl::StatusOr<std::unique_ptr<RedisConnection>> RedisConnection::Connect(const RedisOptions& o) {
  if (o.sentinels.empty() && o.cluster_seeds.empty()) return ConnectTo(o, o.host, o.port);
  auto primary = ResolvePrimary(o);
  if (!primary.ok()) return primary.status();
  auto conn = ConnectTo(o, primary->host, primary->port);
  if (!conn.ok() || o.sentinels.empty()) return conn;
  // Right after a failover a sentinel may still name the old primary: check the node agrees.
  auto role = (*conn)->Command({"ROLE"});
  if (!role.ok() || (*role)->type != REDIS_REPLY_ARRAY || (*role)->elements == 0 ||
      ReplyStr((*role)->element[0]) != "master") {
    return absl::UnavailableError("redis: the primary named by sentinel is not a primary (failover in progress)");
  }
  return conn;
}

absl::StatusOr<std::unique_ptr<RedisConnection>> RedisConnection::ConnectTo(const RedisOptions& o,
                                                                             const std::string& host, int port) {
  redisContext* c = o.unix_socket.empty()
                        ? redisConnectWithTimeout(host.c_str(), port, ToTimeval(o.connect_timeout))
                        : redisConnectUnixWithTimeout(o.unix_socket.c_str(), ToTimeval(o.connect_timeout));
  if (!c) return absl::UnavailableError("redis: cannot allocate a connection");
  if (c->err) {
    std::string why = c->errstr;
    redisFree(c);
    return absl::UnavailableError("redis unreachable: " + why);
  }
  std::unique_ptr<RedisConnection> conn(new RedisConnection(c));
  conn->SetCommandTimeout(o.command_timeout);
  conn->wait_replicas_ = o.wait_replicas;
  conn->wait_timeout_ = std::min(o.wait_timeout, o.command_timeout - std::chrono::milliseconds(100));
  if (o.unix_socket.empty()) redisEnableKeepAlive(c);
  if (!o.password.empty()) {
    auto r = conn->Command({"AUTH", o.password});
    if (!r.ok()) return absl::UnavailableError("redis: authentication failed");
  }
  return conn;
}

RedisConnection::~RedisConnection() { redisFree(c_); }

void RedisConnection::SetCommandTimeout(std::chrono::milliseconds timeout) {
  redisSetTimeout(c_, ToTimeval(timeout));
}

absl::Status RedisConnection::ConnectionError() {
  broken_ = true;  // the context is unusable after any error
  return absl::UnavailableError(std::string("redis connection lost: ") + c_->errstr);
}

absl::StatusOr<ReplyPtr> RedisConnection::RawCommand(const Argv& argv) {
  if (broken_) return absl::UnavailableError("redis connection lost");
  std::vector<const char*> ptrs;
  std::vector<size_t> lens;
  ptrs.reserve(argv.size());
  lens.reserve(argv.size());
  for (const auto& a : argv) {
    ptrs.push_back(a.data());
    lens.push_back(a.size());
  }
  void* raw = redisCommandArgv(c_, static_cast<int>(argv.size()), ptrs.data(), lens.data());
  if (!raw) return ConnectionError();
  ReplyPtr reply(static_cast<redisReply*>(raw));
  NoteRedirect(reply.get());
  return reply;
}

void RedisConnection::NoteRedirect(const redisReply* reply) {
  if (reply->type == REDIS_REPLY_ERROR && IsRedirect(ReplyStr(reply))) {
    broken_ = true;  // this node no longer serves the region: the next connection resolves again
    redirected_ = true;
  }
}

absl::StatusOr<ReplyPtr> RedisConnection::Command(const Argv& argv) {
  auto reply = RawCommand(argv);
  if (!reply.ok()) return reply.status();
  if ((*reply)->type == REDIS_REPLY_ERROR) return StatusFromErrorReply(ReplyStr(reply->get()));
  return reply;
}

absl::StatusOr<std::vector<ReplyPtr>> RedisConnection::Pipeline(const std::vector<Argv>& commands) {
  if (broken_) return absl::UnavailableError("redis connection lost");
  for (const auto& argv : commands) {
    std::vector<const char*> ptrs;
    std::vector<size_t> lens;
    for (const auto& a : argv) {
      ptrs.push_back(a.data());
      lens.push_back(a.size());
    }
    if (redisAppendCommandArgv(c_, static_cast<int>(argv.size()), ptrs.data(), lens.data()) != REDIS_OK) {
      return ConnectionError();
    }
  }
  std::vector<ReplyPtr> replies;
  replies.reserve(commands.size());
  absl::Status first_error;
  for (size_t i = 0; i < commands.size(); ++i) {
    void* raw = nullptr;
    if (redisGetReply(c_, &raw) != REDIS_OK || !raw) return ConnectionError();
    ReplyPtr reply(static_cast<redisReply*>(raw));
    NoteRedirect(reply.get());
    if (reply->type == REDIS_REPLY_ERROR && first_error.ok()) first_error = StatusFromErrorReply(ReplyStr(reply.get()));
    replies.push_back(std::move(reply));
  }
  if (!first_error.ok()) return first_error;
  return replies;
}

absl::StatusOr<ReplyPtr> RedisConnection::Eval(const LuaScript& script, const Argv& keys, const Argv& args) {
  auto load = [&]() -> absl::Status {
    auto r = Command({"SCRIPT", "LOAD", script.source()});
    if (!r.ok()) return r.status();
    script.set_sha(std::string(ReplyStr(r->get())));
    return absl::OkStatus();
  };
  if (script.sha().empty()) {
    if (auto s = load(); !s.ok()) return s;
  }
  Argv argv;
  argv.reserve(3 + keys.size() + args.size());
  argv.push_back("EVALSHA");
  argv.push_back(script.sha());
  argv.push_back(std::to_string(keys.size()));
  argv.insert(argv.end(), keys.begin(), keys.end());
  argv.insert(argv.end(), args.begin(), args.end());
  auto reply = RawCommand(argv);
  if (!reply.ok()) return reply.status();
  if ((*reply)->type == REDIS_REPLY_ERROR && StartsWith(ReplyStr(reply->get()), "NOSCRIPT")) {
    // Redis restarted or its script cache was flushed: load again and retry once.
    if (auto s = load(); !s.ok()) return s;
    argv[1] = script.sha();
    reply = RawCommand(argv);
    if (!reply.ok()) return reply.status();
  }
  if ((*reply)->type == REDIS_REPLY_ERROR) {
    if (!redirected_) log::Error("redis_script_error", {{"script", log::Value::Id(script.name())}});
    return StatusFromErrorReply(ReplyStr(reply->get()));
  }
  if (auto s = WaitForReplicas(); !s.ok()) return s;
  return reply;
}

absl::Status RedisConnection::WaitForReplicas() {
  if (wait_replicas_ <= 0) return absl::OkStatus();
  auto acked = Command({"WAIT", std::to_string(wait_replicas_), std::to_string(wait_timeout_.count())});
  if (!acked.ok()) return acked.status();
  if (ReplyInt(acked->get()) < wait_replicas_) {
    // Done on the primary, not yet on enough replicas: not acknowledged. The retry (same idempotency
    // key) finds the stored answer and waits again.
    return absl::UnavailableError("redis: the change is not yet on enough replicas, retry");
  }
  return absl::OkStatus();
}

// ---- RedisPool ----

RedisPool::RedisPool(RedisOptions options) : options_(std::move(options)) {
  if (options_.pool_size < 1) options_.pool_size = 1;
}

RedisPool::~RedisPool() = default;

absl::StatusOr<std::unique_ptr<RedisConnection>> RedisPool::Acquire() {
  {
    std::unique_lock lock(mu_);
    bool got = cv_.wait_for(lock, options_.acquire_timeout,
                            [this] { return !idle_.empty() || open_ < options_.pool_size; });
    if (!got) return absl::UnavailableError("redis: all connections busy");
    if (!idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      return c;
    }
    ++open_;  // reserve a slot, then connect without holding the lock
  }
  auto c = RedisConnection::Connect(options_);
  if (!c.ok()) {
    std::lock_guard lock(mu_);
    --open_;
    cv_.notify_one();
  }
  return c;
}

void RedisPool::Release(std::unique_ptr<RedisConnection> c) {
  std::lock_guard lock(mu_);
  if (c->redirected()) {
    // The primary moved: every idle connection still points at the old one. Drop them all, so the
    // retry and every later command connect to the primary resolved anew.
    open_ -= static_cast<int>(idle_.size()) + 1;
    idle_.clear();
  } else if (c->broken()) {
    --open_;  // dropped; the next Acquire reconnects
  } else {
    idle_.push_back(std::move(c));
  }
  cv_.notify_all();
}

template <typename Fn>
auto RedisPool::WithConnection(Fn&& fn) -> decltype(fn(std::declval<RedisConnection&>())) {
  auto c = Acquire();
  if (!c.ok()) return c.status();
  auto result = fn(**c);
  bool redirected = (*c)->redirected();
  Release(std::move(*c));
  if (!redirected) return result;
  // The primary moved (cluster resharding, sentinel failover) and the command did not run: once more
  // on a connection resolved anew.
  c = Acquire();
  if (!c.ok()) return c.status();
  result = fn(**c);
  Release(std::move(*c));
  return result;
}

absl::StatusOr<ReplyPtr> RedisPool::Command(const Argv& argv) {
  return WithConnection([&](RedisConnection& c) { return c.Command(argv); });
}

absl::StatusOr<std::vector<ReplyPtr>> RedisPool::Pipeline(const std::vector<Argv>& commands) {
  return WithConnection([&](RedisConnection& c) { return c.Pipeline(commands); });
}

absl::StatusOr<ReplyPtr> RedisPool::Eval(const LuaScript& script, const Argv& keys, const Argv& args) {
  return WithConnection([&](RedisConnection& c) { return c.Eval(script, keys, args); });
}

absl::StatusOr<std::unique_ptr<RedisConnection>> RedisPool::Dedicated() const { return RedisConnection::Connect(options_); }

}  // namespace relais
