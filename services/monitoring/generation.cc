#include "services/monitoring/generation.h"

#include <algorithm>
#include <charconv>
#include <map>

#include "services/monitoring/event.h"

namespace relais::monitoring {
namespace {

// Redis' error replies start with a code word ("BUSYGROUP ...", "ERR no such key"), kept in the
// status message after our own words ("redis error: ...").
bool ErrorStartsWith(const absl::Status& status, std::string_view prefix) {
  std::string message(status.message());
  size_t colon = message.find(": ");
  return message.compare(colon == std::string::npos ? 0 : colon + 2, prefix.size(), prefix) == 0;
}

// A flat [name, value, ...] reply as a map of its scalar values.
std::map<std::string, const redisReply*> Fields(const redisReply* r) {
  std::map<std::string, const redisReply*> out;
  if (r == nullptr || r->type != REDIS_REPLY_ARRAY) return out;
  for (size_t i = 0; i + 1 < r->elements; i += 2) out[std::string(ReplyStr(r->element[i]))] = r->element[i + 1];
  return out;
}

}  // namespace

absl::StatusOr<std::string> CurrentGeneration(RedisPool& redis, const std::string& region) {
  Keys keys(region, "");
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto got = redis.Command({"GET", keys.Current()});
    if (!got.ok()) return got.status();
    if (!ReplyIsNil(got->get())) return std::string(ReplyStr(got->get()));
    auto set = redis.Command({"SET", keys.Current(), "1", "NX"});  // the first time ever
    if (!set.ok()) return set.status();
  }
  return absl::InternalError("monitoring: no generation in use");
}

absl::Status SetCurrentGeneration(RedisPool& redis, const std::string& region, const std::string& generation) {
  auto set = redis.Command({"SET", Keys(region, "").Current(), generation});
  return set.ok() ? absl::OkStatus() : set.status();
}

absl::Status EnsureGroup(RedisConnection& redis, const Keys& keys) {
  auto created = redis.Command({"XGROUP", "CREATE", keys.Events(), keys.Group(), "0", "MKSTREAM"});
  if (!created.ok() && !ErrorStartsWith(created.status(), "BUSYGROUP")) return created.status();
  return absl::OkStatus();
}

absl::StatusOr<std::string> NextGeneration(RedisPool& redis, const std::string& region) {
  auto current = CurrentGeneration(redis, region);
  if (!current.ok()) return current.status();
  int64_t n = 0;
  std::from_chars(current->data(), current->data() + current->size(), n);
  for (int64_t next = n + 1;; ++next) {
    Keys keys(region, std::to_string(next));
    auto exists = redis.Command({"EXISTS", keys.Meta()});
    if (!exists.ok()) return exists.status();
    if (ReplyInt(exists->get()) == 0) return std::to_string(next);
  }
}

absl::Status DropGeneration(RedisPool& redis, const std::string& region, const std::string& generation) {
  auto current = CurrentGeneration(redis, region);
  if (!current.ok()) return current.status();
  if (*current == generation) return absl::FailedPreconditionError("generation: it is the one in use");
  Keys keys(region, generation);
  std::string cursor = "0";
  do {
    auto page = redis.Command({"SCAN", cursor, "MATCH", keys.Pattern(), "COUNT", "1000"});
    if (!page.ok()) return page.status();
    cursor = std::string(ReplyStr((*page)->element[0]));
    const redisReply* found = (*page)->element[1];
    Argv unlink = {"UNLINK"};
    for (size_t i = 0; i < found->elements; ++i) unlink.emplace_back(ReplyStr(found->element[i]));
    if (unlink.size() > 1) {
      auto gone = redis.Command(unlink);
      if (!gone.ok()) return gone.status();
    }
  } while (cursor != "0");
  auto destroyed = redis.Command({"XGROUP", "DESTROY", keys.Events(), keys.Group()});
  if (!destroyed.ok() && !ErrorStartsWith(destroyed.status(), "ERR no such key")) return destroyed.status();
  return absl::OkStatus();
}

absl::StatusOr<AggregationStatus> ReadStatus(RedisPool& redis, const Keys& keys, int64_t now_ms) {
  AggregationStatus status;
  status.generation = keys.generation();
  auto meta = redis.Command({"HMGET", keys.Meta(), "counted", "last_at"});
  if (!meta.ok()) return meta.status();
  status.counted = ReplyInt((*meta)->element[0]);
  status.last_at_ms = ReplyInt((*meta)->element[1]);

  auto groups = redis.Command({"XINFO", "GROUPS", keys.Events()});
  if (!groups.ok()) {
    if (ErrorStartsWith(groups.status(), "ERR no such key")) return status;  // no event yet
    return groups.status();
  }
  std::string after = "0-0";  // the group's last delivered entry: everything after it is unread
  int64_t unread = -1, pending = 0;
  bool found = false;
  for (size_t i = 0; i < (*groups)->elements; ++i) {
    auto g = Fields((*groups)->element[i]);
    if (ReplyStr(g["name"]) != keys.Group()) continue;
    found = true;
    pending = ReplyInt(g["pending"]);
    after = std::string(ReplyStr(g["last-delivered-id"]));
    if (!ReplyIsNil(g["lag"])) unread = ReplyInt(g["lag"]);
  }
  if (unread < 0) {  // Redis could not tell (entries deleted meanwhile, or no group yet): count them
    auto rest = redis.Command({"XRANGE", keys.Events(), "(" + after, "+", "COUNT", "100000"});
    if (!rest.ok()) return rest.status();
    unread = static_cast<int64_t>((*rest)->elements);
  }
  status.lag_events = unread + pending;

  int64_t oldest = 0;
  auto next = redis.Command({"XRANGE", keys.Events(), "(" + after, "+", "COUNT", "1"});
  if (!next.ok()) return next.status();
  auto first_unread = EventsFromEntries(next->get());
  if (!first_unread.empty()) oldest = StreamIdMs(first_unread.front().id);
  if (found && pending > 0) {
    auto summary = redis.Command({"XPENDING", keys.Events(), keys.Group()});
    if (!summary.ok()) return summary.status();
    int64_t first_pending = StreamIdMs(ReplyStr((*summary)->element[1]));
    oldest = oldest == 0 ? first_pending : std::min(oldest, first_pending);
  }
  status.oldest_uncounted_ms = oldest;
  if (oldest > 0) status.lag_seconds = std::max<int64_t>(0, now_ms - oldest) / 1000.0;
  return status;
}

}  // namespace relais::monitoring
