#pragma once
// What a client of the live WebSocket (/api/v1/live) may send, apart from Beast so the parsing is
// unit- and fuzz-tested (tests/fuzz/live_message_fuzz.cc): a JSON text message
// {"type":"subscribe"|"unsubscribe","topics":[...]} or {"type":"ping"}, and the `?topics=a,b` of the
// opening request. Every message gets exactly one answer.
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "relais/v1/gateway.pb.h"

namespace relais::gateway {

inline constexpr int kMaxLiveTopicsPerMessage = 16;

// One client message -> its answer ("pong", "subscribed" with the topics followed and those refused,
// or "error"). `allowed` are the topics the caller may follow (TopicsFor); `topics`, those the
// connection follows, is updated.
relais::v1::LiveServerMessage AnswerLiveMessage(std::string_view text, const std::vector<std::string>& allowed,
                                                std::set<std::string>& topics);
relais::v1::LiveServerMessage ApplyLiveMessage(const relais::v1::LiveClientMessage& message,
                                               const std::vector<std::string>& allowed, std::set<std::string>& topics);

// The subscription asked for in the opening request's query (`topics=beds,calls`); no topics when the
// query does not start with it or is malformed.
relais::v1::LiveClientMessage SubscriptionFromQuery(std::string_view query);

// The text sent to the client.
std::string LiveJson(const relais::v1::LiveServerMessage& message);

}  // namespace relais::gateway
