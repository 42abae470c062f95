#include "services/gateway/live_protocol.h"

#include <google/protobuf/util/json_util.h>

#include <algorithm>

#include "services/gateway/routes.h"

namespace relais::gateway {

relais::v1::LiveServerMessage AnswerLiveMessage(std::string_view text, const std::vector<std::string>& allowed,
                                                std::set<std::string>& topics) {
  relais::v1::LiveClientMessage message;
  google::protobuf::util::JsonParseOptions options;
  auto parsed = google::protobuf::util::JsonStringToMessage(text, &message, options);
  if (!parsed.ok() || message.topics_size() > kMaxLiveTopicsPerMessage) {
    relais::v1::LiveServerMessage error;
    error.set_type("error");
    error.set_message("message: not a live message ({\"type\":\"subscribe\",\"topics\":[...]})");
    return error;
  }
  return ApplyLiveMessage(message, allowed, topics);
}

relais::v1::LiveServerMessage ApplyLiveMessage(const relais::v1::LiveClientMessage& message,
                                               const std::vector<std::string>& allowed, std::set<std::string>& topics) {
  relais::v1::LiveServerMessage answer;
  if (message.type() == "ping") {
    answer.set_type("pong");
    return answer;
  }
  if (message.type() != "subscribe" && message.type() != "unsubscribe") {
    answer.set_type("error");
    answer.set_message("type: subscribe, unsubscribe or ping");
    return answer;
  }
  answer.set_type("subscribed");
  for (const auto& t : message.topics()) {
    if (message.type() == "unsubscribe") {
      topics.erase(t);
    } else if (std::find(allowed.begin(), allowed.end(), t) != allowed.end()) {
      topics.insert(t);
    } else {
      answer.add_refused(t);
    }
  }
  for (const auto& t : topics) answer.add_topics(t);
  return answer;
}

relais::v1::LiveClientMessage SubscriptionFromQuery(std::string_view query) {
  relais::v1::LiveClientMessage sub;
  sub.set_type("subscribe");
  constexpr std::string_view kTopics = "topics=";
  if (query.substr(0, kTopics.size()) != kTopics) return sub;
  std::string_view value = query.substr(kTopics.size());
  value = value.substr(0, value.find('&'));
  std::string list = PercentDecode(value, true).value_or("");
  size_t start = 0;
  while (start < list.size() && sub.topics_size() < kMaxLiveTopicsPerMessage) {
    size_t comma = list.find(',', start);
    if (comma == std::string::npos) comma = list.size();
    if (comma > start) sub.add_topics(list.substr(start, comma - start));
    start = comma + 1;
  }
  return sub;
}

std::string LiveJson(const relais::v1::LiveServerMessage& message) {
  std::string out;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(message, &out, options);
  return out;
}

}  // namespace relais::gateway
