#include "services/monitoring/consumer.h"

#include "common/log.h"
#include "services/monitoring/apply_call.h"
#include "services/monitoring/generation.h"
#include "services/monitoring/scripts.h"

namespace relais::monitoring {
namespace {

const LuaScript& ReadScript() {
  static const LuaScript script("monitoring_read", scripts::k_read_lua);
  return script;
}

const LuaScript& ReleaseScript() {
  static const LuaScript script("monitoring_release", scripts::k_release_lua);
  return script;
}

const LuaScript& ApplyScript() {
  static const LuaScript script("monitoring_apply", scripts::k_apply_lua);
  return script;
}

}  // namespace

Consumer::Consumer(RedisPool& redis, ConsumerOptions options) : redis_(redis), options_(std::move(options)) {}

Consumer::~Consumer() { Stop(); }

std::string Consumer::generation() const {
  std::lock_guard lock(generation_mu_);
  return keys_ ? keys_->generation() : "";
}

absl::StatusOr<RedisConnection*> Consumer::Connection() {
  if (conn_ && !conn_->broken()) return conn_.get();
  auto fresh = redis_.Dedicated();
  if (!fresh.ok()) return fresh.status();
  conn_ = std::move(*fresh);
  // A wait for new events blocks `wait` on top of the usual command time.
  conn_->SetCommandTimeout(redis_.options().command_timeout + options_.wait);
  return conn_.get();
}

absl::Status Consumer::Attach() {
  auto conn = Connection();
  if (!conn.ok()) return conn.status();
  std::string generation = options_.generation;
  if (generation.empty()) {
    auto current = CurrentGeneration(redis_, options_.region);
    if (!current.ok()) return current.status();
    generation = *current;
  }
  if (keys_ && keys_->generation() == generation) return absl::OkStatus();
  auto keys = std::make_unique<Keys>(options_.region, generation);
  if (auto s = EnsureGroup(**conn, *keys); !s.ok()) return s;
  if (keys_) log::Info("monitoring_generation_changed", {{"generation", log::Value::Id(generation)}});
  std::lock_guard lock(generation_mu_);
  keys_ = std::move(keys);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Event>> Consumer::Read(bool* standby) {
  if (auto s = Attach(); !s.ok()) return s;
  auto conn = Connection();
  if (!conn.ok()) return conn.status();
  auto reply = (*conn)->Eval(ReadScript(), {keys_->Events(), keys_->Lease()},
                             {keys_->Group(), options_.name, std::to_string(options_.batch),
                              std::to_string(options_.lease.count())});
  if (!reply.ok()) return reply.status();
  bool waiting = ReplyInt((*reply)->element[0]) == 0;
  if (standby) *standby = waiting;
  if (waiting) return std::vector<Event>{};
  auto events = EventsFromEntries((*reply)->element[1]);
  if (!events.empty() && StreamIdLess(last_read_id_, events.back().id)) last_read_id_ = events.back().id;
  return events;
}

absl::StatusOr<StepResult> Consumer::Count(const std::vector<Event>& events) {
  StepResult result;
  result.read = static_cast<int>(events.size());
  if (events.empty()) return result;
  if (!keys_) return absl::UnavailableError("consumer: not attached to a generation");
  auto conn = Connection();
  if (!conn.ok()) return conn.status();
  ApplyCall call = BuildApplyCall(events, *keys_, options_.name);
  auto reply = (*conn)->Eval(ApplyScript(), call.keys, call.args);
  if (!reply.ok()) return reply.status();
  if (ReplyInt((*reply)->element[0]) < 0) {
    // Another consumer took over while this one was silent: it claims these events and counts them.
    result.standby = true;
    return result;
  }
  result.counted = static_cast<int>(ReplyInt((*reply)->element[0]));
  result.skipped = static_cast<int>(ReplyInt((*reply)->element[1]));
  log::Debug("monitoring_batch_counted", {{"generation", log::Value::Id(keys_->generation())},
                                          {"counted", result.counted}, {"skipped", result.skipped},
                                          {"last_event", log::Value::Id(events.back().id)}});
  return result;
}

absl::StatusOr<StepResult> Consumer::Step() {
  bool standby = false;
  auto events = Read(&standby);
  if (!events.ok()) return events.status();
  if (standby) return StepResult{true};
  return Count(*events);
}

void Consumer::WaitForEvents() {
  auto conn = Connection();
  if (!conn.ok() || !keys_) return;
  // A plain read (no group): it only wakes this consumer when something is appended.
  (void)(*conn)->Command({"XREAD", "COUNT", "1", "BLOCK", std::to_string(options_.wait.count()), "STREAMS",
                          keys_->Events(), last_read_id_.empty() ? "$" : last_read_id_});
}

void Consumer::Release() {
  if (!keys_) return;
  auto conn = Connection();
  if (conn.ok()) (void)(*conn)->Eval(ReleaseScript(), {keys_->Lease()}, {options_.name});
}

void Consumer::Start() {
  {
    std::lock_guard lock(mu_);
    stop_ = false;
  }
  thread_ = std::thread([this] { Loop(); });
}

void Consumer::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
    Release();  // a standby elsewhere takes over at once
  }
}

void Consumer::Loop() {
  bool failing = false;  // log a failure once, not at every retry while Redis is away
  for (;;) {
    {
      std::lock_guard lock(mu_);
      if (stop_) return;
    }
    auto step = Step();
    if (!step.ok() && !failing) {
      log::Warn("monitoring_consumer_failed", {{"code", static_cast<int>(step.status().code())}});
    }
    if (step.ok() && failing) log::Info("monitoring_consumer_recovered");
    failing = !step.ok();
    if (step.ok() && step->read > 0) continue;  // more may be waiting
    if (step.ok() && !step->standby) {
      WaitForEvents();
      continue;
    }
    // Redis away, or a standby: try again in a while.
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, failing ? std::chrono::milliseconds(1000) : options_.wait, [this] { return stop_; });
  }
}

}  // namespace relais::monitoring
