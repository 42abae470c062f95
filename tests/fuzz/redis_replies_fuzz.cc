// Redis replies -> Relais' values and messages. The services trust their own scripts' answers and
// stored hashes, yet a reply of another shape (a key written by hand or by an older version, a script
// changed without its reader, a hash cut short) must become an error or empty values, never a read
// past the reply, an exception or undefined behaviour. The first byte picks the mapping; the rest is
// the reply tree (reply_tree.h).
#include <cstdint>
#include <cstdlib>

#include "common/catalog.h"
#include "common/script_answer.h"
#include "common/stream_entries.h"
#include "services/beds/replies.h"
#include "services/beds/watch.h"
#include "services/dispatch/replies.h"
#include "services/gateway/live.h"
#include "services/gateway/transcode.h"
#include "services/monitoring/event.h"
#include "services/workshop/store.h"
#include "tests/fuzz/reply_tree.h"

namespace relais::fuzz {
namespace {

constexpr int64_t kNow = 1764000000000;  // 2025-11-24

// Counts what the live hub hands out; the messages are JSON the hub made.
class CountingSink : public gateway::LiveSink {
 public:
  void Deliver(std::shared_ptr<const std::string> message) override {
    if (message->empty() || message->front() != '{') abort();
    ++delivered;
  }
  void End() override {}
  int delivered = 0;
};

void Answers(const ReplyPtr& reply) {
  // What every store does with a script's answer: refusal -> status, else its elements.
  auto answer = ScriptAnswer(reply);
  if (!answer.ok()) {
    if (answer.status().code() == absl::StatusCode::kOk) abort();
    return;
  }
  beds::PoolRef ref{"ilot", "single_men"};
  auto pool = beds::PoolFromAnswer(*answer, 1, ref, false);
  pool.set_free(beds::DeriveFree(pool.figures(), pool.buffer_open(), pool.live_holds()));
  if (pool.free() < 0) abort();
  auto hold = beds::HoldFromAnswer(*answer, 1 + beds::kPoolAnswerFields, ref);
  auto crisis = beds::CrisisFromAnswer(*answer, 1);
  (void)gateway::ToJson(pool);
  (void)gateway::ToJson(hold);
  (void)gateway::ToJson(crisis);
  (void)Str(*answer, 1);
  (void)Int(*answer, 2);
}

void Hashes(const redisReply* r) {
  static const Catalog catalog = Catalog::Brussels();
  auto shelter = beds::ShelterFromFields(r);
  if (shelter.ok()) (void)gateway::ToJson(*shelter);
  auto fields = FieldMap(r);
  (void)ToInt(fields, "version");
  auto hold = beds::HoldFromFields("ilot:single_men:h000000000000000000000001", fields, catalog);
  if (hold.ok()) (void)gateway::ToJson(*hold);
  auto c = workshop::CaseFromFields("w000000000000000000000001", r, kNow, 48LL * 3600 * 1000);
  if (c.ok()) (void)gateway::ToJson(*c);
  for (size_t first : {size_t{0}, size_t{2}}) {
    auto call = dispatch::CallFromFields("c000000000000000000000001", r, first, kNow, 600000);
    (void)gateway::ToJson(call);
  }
}

void Streams(const redisReply* r) {
  // The beds' WatchAvailability and the gateway's live feed read the same stream entries.
  relais::v1::AvailabilityFilter filter;
  filter.set_public_("single_men");
  for (bool xread : {false, true}) {
    for (const auto& entry : StreamEntries(r, xread)) {
      if (entry.id.empty()) abort();
      std::map<std::string, std::string> f(entry.fields.begin(), entry.fields.end());
      auto change = beds::ChangeFromFields(entry.id, f);
      if (change) (void)beds::PassesFilter(*change, filter);
    }
  }
  if (r->type == REDIS_REPLY_ARRAY) {
    for (size_t i = 0; i < r->elements; ++i) {
      const redisReply* e = r->element[i];
      if (e->type == REDIS_REPLY_ARRAY && e->elements > 1) {
        auto change = beds::ChangeFromEvent(std::string(ReplyStr(e->element[0])), e->element[1]);
        if (change) (void)beds::PassesFilter(*change, filter);
      }
    }
  }
  // The monitoring service's reading of XRANGE / XREADGROUP / XAUTOCLAIM entries.
  auto events = monitoring::EventsFromEntries(r);
  for (size_t i = 0; i < events.size(); ++i) {
    (void)events[i].At();
    (void)events[i].GetInt("free");
    (void)events[i].Type();
    if (i > 0) (void)monitoring::StreamIdLess(events[i - 1].id, events[i].id);
  }
}

void Live(const redisReply* r) {
  // Each entry published to connections of every role, as the gateway's hub does.
  static RedisPool pool{RedisOptions{}};  // never connected: the hub's reader is not started
  gateway::LiveHub hub(pool, "relais:{brussels}:events");
  std::vector<std::shared_ptr<CountingSink>> sinks;
  for (Role role : {Role::kAdmin, Role::kShelter, Role::kTeam, Role::kMonitoring, Role::kWorkshop}) {
    Caller caller{role, "fuzz", {"ilot"}, "maraude-samusocial"};
    auto sink = std::make_shared<CountingSink>();
    uint64_t id = hub.Add(sink, caller, "fuzz", "s");
    auto topics = gateway::TopicsFor(caller);
    hub.SetTopics(id, std::set<std::string>(topics.begin(), topics.end()));
    sinks.push_back(std::move(sink));
  }
  for (const auto& entry : StreamEntries(r, true)) hub.Publish(entry.id, entry.fields);
}

void Values(const redisReply* r, int depth) {
  // The reading helpers on every node, and the error mapping of every error reply.
  (void)ReplyStr(r);
  (void)ReplyInt(r);
  (void)ReplyIsNil(r);
  if (r->type == REDIS_REPLY_ERROR) {
    auto s = StatusFromErrorReply(ReplyStr(r));
    if (s.ok()) abort();
  }
  if (r->type == REDIS_REPLY_ARRAY && depth < 8) {
    for (size_t i = 0; i <= r->elements; ++i) {  // one past the end reads as nothing
      if (Element(r, i) == nullptr && i < r->elements) abort();
      (void)Str(r, i);
      (void)Int(r, i);
      if (i < r->elements) Values(r->element[i], depth + 1);
    }
  }
}

}  // namespace
}  // namespace relais::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace relais::fuzz;
  if (size < 1) return 0;
  std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  ReplyReader reader(bytes);
  relais::ReplyPtr reply = reader.Next();
  switch (data[0] % 5) {
    case 0: Answers(reply); break;
    case 1: Hashes(reply.get()); break;
    case 2: Streams(reply.get()); break;
    case 3: Live(reply.get()); break;
    default: Values(reply.get(), 0); break;
  }
  return 0;
}
