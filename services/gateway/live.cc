#include "services/gateway/live.h"

#include <google/protobuf/util/json_util.h>

#include "common/log.h"
#include "common/stream_entries.h"
#include "common/timestamps.h"
#include "relais/v1/gateway.pb.h"
#include "services/beds/watch.h"
#include "services/gateway/routes.h"

namespace relais::gateway {
namespace {

enum class LiveScope { kAll, kOwnShelter, kOwnTeam, kAggregate };

struct Topic {
  std::string_view name;
  std::vector<std::string_view> prefixes;
  RoleSet roles;
  LiveScope scope;  // applied to shelter accounts (kOwnShelter) or team accounts (kOwnTeam)
};

const std::vector<Topic>& Topics() {
  static const std::vector<Topic> kTopics = {
      {"beds", {"pool.", "hold.", "buffer."}, kStaff | kTeam | kShelter, LiveScope::kOwnShelter},
      {"summary", {"pool.", "hold.", "buffer."}, kSignedIn, LiveScope::kAggregate},
      {"calls", {"call."}, kStaff, LiveScope::kAll},
      {"queue", {"request.", "proposal.", "night."}, kStaff, LiveScope::kAll},
      {"reports", {"report.", "pass_night."}, kStaff | kTeam, LiveScope::kOwnTeam},
      {"workshop", {"case.", "session.", "plan.", "priority_place."}, kWorkshop | kStaff, LiveScope::kAll},
      // The monitoring cell's live view of the rest: what happens, never to whom (its report follows).
      {"activity",
       {"call.", "request.", "proposal.", "night.", "insertion.", "report.", "pass_night.", "case.", "session.", "plan.",
        "priority_place."},
       kMonitoring | kAdmin,
       LiveScope::kAggregate},
  };
  return kTopics;
}

bool HasPrefix(const std::string& type, const Topic& t) {
  for (auto p : t.prefixes) {
    if (type.compare(0, p.size(), p) == 0) return true;
  }
  return false;
}

std::string Field(const std::vector<std::pair<std::string, std::string>>& fields, const char* name) {
  for (const auto& [k, v] : fields) {
    if (k == name) return v;
  }
  return "";
}

bool MaySee(const Topic& topic, const Caller& caller, const std::vector<std::pair<std::string, std::string>>& fields) {
  if (topic.scope == LiveScope::kOwnShelter && caller.Is(Role::kShelter)) {
    std::string shelter = Field(fields, "shelter");
    return shelter.empty() || caller.ActsForShelter(shelter);  // empty: a region-wide crisis
  }
  if (topic.scope == LiveScope::kOwnTeam && caller.Is(Role::kTeam)) {
    return !caller.team.empty() && Field(fields, "team") == caller.team;
  }
  return true;
}

// Events print every field (a free count of 0 too), like the REST answers.
std::string Json(const relais::v1::LiveServerMessage& m) {
  std::string out;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  (void)google::protobuf::util::MessageToJsonString(m, &out, options);
  return out;
}

}  // namespace

std::vector<std::string> TopicsFor(const Caller& caller) {
  std::vector<std::string> out;
  if (caller.Is(Role::kNone)) return out;
  for (const auto& t : Topics()) {
    if (Allows(t.roles, caller.role)) out.emplace_back(t.name);
  }
  return out;
}

bool TopicExists(const std::string& topic) {
  for (const auto& t : Topics()) {
    if (t.name == topic) return true;
  }
  return false;
}

LiveHub::LiveHub(RedisPool& redis, std::string stream_key, std::function<void()> on_event)
    : redis_(redis), stream_key_(std::move(stream_key)), on_event_(std::move(on_event)) {}

LiveHub::~LiveHub() { Stop(); }

void LiveHub::Start() { thread_ = std::thread([this] { Run(); }); }

void LiveHub::Stop() {
  stopping_ = true;
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

uint64_t LiveHub::Add(std::weak_ptr<LiveSink> sink, const Caller& caller, const std::string& username,
                      const std::string& session_id) {
  std::lock_guard lock(mu_);
  uint64_t id = next_id_++;
  entries_[id] = Entry{std::move(sink), caller, username, session_id, {}};
  return id;
}

void LiveHub::SetTopics(uint64_t id, std::set<std::string> topics) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(id);
  if (it != entries_.end()) it->second.topics = std::move(topics);
}

void LiveHub::Remove(uint64_t id) {
  std::lock_guard lock(mu_);
  entries_.erase(id);
}

void LiveHub::EndSessions(const std::string& username, const std::string& session_id) {
  std::vector<std::shared_ptr<LiveSink>> ending;
  {
    std::lock_guard lock(mu_);
    for (auto& [id, e] : entries_) {
      if (e.username != username) continue;
      if (!session_id.empty() && e.session_id != session_id) continue;
      if (auto s = e.sink.lock()) ending.push_back(std::move(s));
    }
  }
  for (auto& s : ending) s->End();
}

std::vector<std::shared_ptr<LiveSink>> LiveHub::All() {
  std::vector<std::shared_ptr<LiveSink>> out;
  std::lock_guard lock(mu_);
  for (auto& [id, e] : entries_) {
    if (auto s = e.sink.lock()) out.push_back(std::move(s));
  }
  return out;
}

int LiveHub::connections() {
  std::lock_guard lock(mu_);
  return static_cast<int>(entries_.size());
}

std::string LiveHub::last_event_id() {
  std::lock_guard lock(mu_);
  return last_id_;
}

void LiveHub::Publish(const std::string& id, const std::vector<std::pair<std::string, std::string>>& fields) {
  if (on_event_) on_event_();
  std::string type = Field(fields, "type");
  int64_t at_ms = std::strtoll(Field(fields, "at").c_str(), nullptr, 10);
  // One message per topic, built once, only if someone follows the topic.
  std::map<std::string_view, std::shared_ptr<const std::string>> built;
  auto message_for = [&](const Topic& topic) -> std::shared_ptr<const std::string> {
    auto it = built.find(topic.name);
    if (it != built.end()) return it->second;
    relais::v1::LiveServerMessage m;
    m.set_type("event");
    m.set_topic(std::string(topic.name));
    m.set_event_type(type);
    *m.mutable_at() = TimestampFromMs(at_ms);
    if (topic.scope == LiveScope::kAggregate) {
      // Aggregates only: what happened and to which public, never an id.
      std::string pub = Field(fields, "public");
      if (!pub.empty()) (*m.mutable_data())["public"] = pub;
    } else {
      m.set_event_id(id);
      for (const auto& [k, v] : fields) {
        if (k != "type" && k != "at") (*m.mutable_data())[k] = v;
      }
      if (topic.name == "beds" && type.rfind("buffer.", 0) != 0) {
        // The pool after the change, as GET /api/v1/availability shows it.
        std::map<std::string, std::string> map(fields.begin(), fields.end());
        auto change = beds::ChangeFromFields(id, map);
        if (change && change->has_pool()) *m.mutable_pool() = change->pool();
      }
    }
    auto json = std::make_shared<const std::string>(Json(m));
    built[topic.name] = json;
    return json;
  };
  std::vector<std::pair<std::shared_ptr<LiveSink>, std::shared_ptr<const std::string>>> deliveries;
  {
    std::lock_guard lock(mu_);
    last_id_ = id;
    for (auto& [cid, e] : entries_) {
      for (const auto& topic : Topics()) {
        if (!e.topics.count(std::string(topic.name)) || !HasPrefix(type, topic)) continue;
        if (!Allows(topic.roles, e.caller.role) || !MaySee(topic, e.caller, fields)) continue;
        if (auto sink = e.sink.lock()) deliveries.emplace_back(std::move(sink), message_for(topic));
      }
    }
  }
  for (auto& [sink, message] : deliveries) sink->Deliver(message);
}

void LiveHub::Run() {
  std::string last_id;
  while (!stopping_) {
    auto conn = redis_.Dedicated();
    if (conn.ok()) {
      (*conn)->SetCommandTimeout(std::chrono::milliseconds(3000));
      if (last_id.empty()) {
        // From now on: pin the last id so nothing between two reads is missed.
        auto last = (*conn)->Command({"XREVRANGE", stream_key_, "+", "-", "COUNT", "1"});
        if (last.ok()) {
          auto newest = StreamEntries(last->get(), false);
          last_id = newest.empty() ? "0-0" : newest.front().id;
        }
        std::lock_guard lock(mu_);
        last_id_ = last_id;
      }
      while (!stopping_ && !last_id.empty()) {
        auto reply = (*conn)->Command({"XREAD", "COUNT", "256", "BLOCK", "500", "STREAMS", stream_key_, last_id});
        if (!reply.ok()) break;
        for (auto& entry : StreamEntries(reply->get(), true)) {
          last_id = entry.id;
          Publish(last_id, entry.fields);
        }
      }
    }
    if (stopping_) break;
    log::Warn("live_stream_unreachable");
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::milliseconds(500), [this] { return stopping_.load(); });
  }
}

}  // namespace relais::gateway
