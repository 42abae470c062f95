#include "services/beds/watch.h"

#include <map>

#include "common/grpc_status.h"
#include "common/log.h"
#include "common/stream_entries.h"
#include "common/timestamps.h"

namespace relais::beds {
namespace {

constexpr int kBlockMs = 1000;
constexpr int kReconnectAttempts = 10;  // about 5 s of Redis being away before the stream ends

int32_t AsInt(const std::map<std::string, std::string>& f, const char* key) {
  auto it = f.find(key);
  return it == f.end() ? 0 : static_cast<int32_t>(std::strtol(it->second.c_str(), nullptr, 10));
}

std::string AsStr(const std::map<std::string, std::string>& f, const char* key) {
  auto it = f.find(key);
  return it == f.end() ? "" : it->second;
}

}  // namespace

std::optional<relais::v1::AvailabilityChange> ChangeFromEvent(const std::string& id, const redisReply* fields) {
  std::map<std::string, std::string> f;
  for (size_t i = 0; fields && fields->type == REDIS_REPLY_ARRAY && i + 1 < fields->elements; i += 2) {
    f[std::string(ReplyStr(fields->element[i]))] = std::string(ReplyStr(fields->element[i + 1]));
  }
  return ChangeFromFields(id, f);
}

std::optional<relais::v1::AvailabilityChange> ChangeFromFields(const std::string& id,
                                                               const std::map<std::string, std::string>& f) {
  std::string type = AsStr(f, "type");
  bool pool_event = type.rfind("pool.", 0) == 0 || type.rfind("hold.", 0) == 0;
  bool buffer_event = type.rfind("buffer.", 0) == 0;
  if (!pool_event && !buffer_event) return std::nullopt;
  relais::v1::AvailabilityChange change;
  change.set_event_id(id);
  change.set_event_type(type);
  *change.mutable_at() = TimestampFromMs(std::strtoll(AsStr(f, "at").c_str(), nullptr, 10));
  if (pool_event) {
    auto* p = change.mutable_pool();
    p->set_id(AsStr(f, "pool"));
    p->set_shelter_id(AsStr(f, "shelter"));
    p->set_public_(AsStr(f, "public"));
    p->set_commune(AsStr(f, "commune"));
    p->mutable_figures()->set_places_in_service(AsInt(f, "in_service"));
    p->mutable_figures()->set_buffer_places(AsInt(f, "buffer"));
    p->mutable_figures()->set_occupied(AsInt(f, "occupied"));
    p->set_buffer_open(AsInt(f, "buffer_open") == 1);
    p->set_live_holds(AsInt(f, "holds"));
    p->set_free(AsInt(f, "free"));
    p->set_version(AsInt(f, "version"));
    *p->mutable_updated_at() = TimestampFromMs(std::strtoll(AsStr(f, "updated_ms").c_str(), nullptr, 10));
  } else {
    // A crisis changes many pools at once: the page re-reads availability. The scope is kept in
    // pool.shelter_id (empty: the whole region).
    change.mutable_pool()->set_shelter_id(AsStr(f, "shelter"));
  }
  return change;
}

bool PassesFilter(const relais::v1::AvailabilityChange& change, const relais::v1::AvailabilityFilter& filter) {
  const auto& p = change.pool();
  if (change.event_type().rfind("buffer.", 0) == 0) {
    return p.shelter_id().empty() || filter.shelter_id().empty() || p.shelter_id() == filter.shelter_id();
  }
  if (!filter.public_().empty() && p.public_() != filter.public_()) return false;
  if (!filter.commune().empty() && p.commune() != filter.commune()) return false;
  if (!filter.shelter_id().empty() && p.shelter_id() != filter.shelter_id()) return false;
  return true;
}

AvailabilityWatch::AvailabilityWatch(RedisPool& redis, std::string stream_key, relais::v1::AvailabilityFilter filter,
                                     std::string after_id, const std::atomic<bool>& stopping,
                                     std::atomic<int>& watchers, const absl::Status& refused)
    : redis_(redis),
      stream_key_(std::move(stream_key)),
      filter_(std::move(filter)),
      after_id_(std::move(after_id)),
      stopping_(stopping),
      watchers_(watchers) {
  ++watchers_;
  if (!refused.ok()) {
    Finish(ToGrpcStatus(refused));
    return;
  }
  thread_ = std::thread([this] { Run(); });
}

void AvailabilityWatch::OnWriteDone(bool ok) {
  std::lock_guard lock(mu_);
  writing_ = false;
  if (!ok) write_failed_ = true;
  cv_.notify_all();
}

void AvailabilityWatch::OnCancel() {
  cancelled_ = true;
  std::lock_guard lock(mu_);
  cv_.notify_all();
}

void AvailabilityWatch::OnDone() {
  if (thread_.joinable()) {
    if (thread_.get_id() == std::this_thread::get_id()) {
      thread_.detach();
    } else {
      thread_.join();
    }
  }
  --watchers_;
  delete this;
}

bool AvailabilityWatch::Write(const relais::v1::AvailabilityChange& change) {
  std::unique_lock lock(mu_);
  pending_ = change;
  writing_ = true;
  StartWrite(&pending_);
  // Wait for the client to take it; a slow client slows only its own stream.
  while (writing_ && !Over()) cv_.wait_for(lock, std::chrono::milliseconds(200));
  return !writing_ && !write_failed_;
}

absl::Status AvailabilityWatch::Follow(RedisConnection& conn, std::string& last_id) {
  while (!Over()) {
    auto reply = conn.Command({"XREAD", "COUNT", "100", "BLOCK", std::to_string(kBlockMs), "STREAMS", stream_key_, last_id});
    if (!reply.ok()) return reply.status();
    // Nothing new within the block time: no entries.
    for (const auto& entry : StreamEntries(reply->get(), true)) {
      if (Over()) break;
      last_id = entry.id;
      auto change = ChangeFromFields(last_id, std::map<std::string, std::string>(entry.fields.begin(), entry.fields.end()));
      if (!change || !PassesFilter(*change, filter_)) continue;
      if (!Write(*change)) return absl::CancelledError("client gone");
    }
  }
  return absl::OkStatus();
}

void AvailabilityWatch::Run() {
  std::string last_id = after_id_;
  int failures = 0;
  absl::Status end = absl::OkStatus();
  while (!Over()) {
    auto conn = redis_.Dedicated();
    if (conn.ok()) {
      (*conn)->SetCommandTimeout(std::chrono::milliseconds(kBlockMs + 2000));
      if (last_id.empty()) {
        // "From now": pin the current last id, so nothing between two reads is missed.
        auto last = (*conn)->Command({"XREVRANGE", stream_key_, "+", "-", "COUNT", "1"});
        if (last.ok()) {
          auto newest = StreamEntries(last->get(), false);
          last_id = newest.empty() ? "0-0" : newest.front().id;
        }
      }
      if (!last_id.empty()) {
        end = Follow(**conn, last_id);
        if (end.ok() || absl::IsCancelled(end)) break;
        failures = 0;
      }
    }
    if (++failures > kReconnectAttempts) {
      end = absl::UnavailableError("event stream unreachable; resume with after_event_id");
      break;
    }
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::milliseconds(500), [this] { return Over(); });
  }
  if (absl::IsCancelled(end) || cancelled_) {
    Finish(grpc::Status::CANCELLED);
  } else {
    Finish(ToGrpcStatus(end));
  }
}

}  // namespace relais::beds
