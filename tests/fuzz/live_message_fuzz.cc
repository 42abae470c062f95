// What a live WebSocket client sends (/api/v1/live): JSON text messages to subscribe, unsubscribe or
// ping, and the `?topics=` of the opening request. The first byte picks the caller's role; the rest is
// one message, also read as a query. Every message gets one answer of a known type, and a connection
// never follows a topic its role may not see.
#include <cstdlib>
#include <set>
#include <string>

#include "services/gateway/live.h"
#include "services/gateway/live_protocol.h"

namespace {

void Judge(const relais::v1::LiveServerMessage& answer, const std::set<std::string>& topics,
           const std::vector<std::string>& allowed) {
  const std::string& type = answer.type();
  if (type != "pong" && type != "subscribed" && type != "error") abort();
  for (const auto& t : topics) {
    if (std::find(allowed.begin(), allowed.end(), t) == allowed.end()) abort();
  }
  if (answer.refused_size() > relais::gateway::kMaxLiveTopicsPerMessage) abort();
  if (relais::gateway::LiveJson(answer).empty()) abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace relais::gateway;
  if (size < 1) return 0;
  relais::Caller caller{static_cast<relais::Role>(data[0] % 8), "fuzz", {"ilot"}, "maraude-samusocial"};
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  auto allowed = TopicsFor(caller);
  std::set<std::string> topics;
  // Opened with ?topics=..., then the same bytes as a message, twice (subscribing again changes nothing).
  auto sub = SubscriptionFromQuery(text);
  if (sub.topics_size() > kMaxLiveTopicsPerMessage) abort();
  Judge(ApplyLiveMessage(sub, allowed, topics), topics, allowed);
  auto first = AnswerLiveMessage(text, allowed, topics);
  Judge(first, topics, allowed);
  auto second = AnswerLiveMessage(text, allowed, topics);
  Judge(second, topics, allowed);
  if (first.type() != second.type()) abort();
  return 0;
}
