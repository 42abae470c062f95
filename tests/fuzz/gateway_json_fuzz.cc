// JSON bodies through the gateway: the limits check (nesting, string length) before protobuf's JSON
// mapping reads the body into the route's request message, with unknown fields refused. The first byte
// picks the route among those that take a body; the rest is the body. Bad input is INVALID_ARGUMENT
// (400) and nothing else; a body that was accepted prints back as JSON that reads into the same message.
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>

#include <cstdlib>
#include <vector>

#include "services/gateway/routes.h"
#include "services/gateway/transcode.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace relais::gateway;
  static const RouteTable table;
  static const std::vector<const BoundRoute*> with_body = [] {
    std::vector<const BoundRoute*> out;
    for (const auto& r : table.routes()) {
      if (r.route->verb != Verb::kGet) out.push_back(&r);
    }
    return out;
  }();
  if (size < 1) return 0;
  const BoundRoute& route = *with_body[data[0] % with_body.size()];
  std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);

  // The limits alone, at the defaults and at tight ones: a verdict, never a crash.
  (void)CheckJsonLimits(body, JsonLimits{});
  (void)CheckJsonLimits(body, JsonLimits{2, 8});

  std::map<std::string, std::string> params;
  for (const auto& f : route.path_fields) params[f] = "ilot";
  HttpInput in;
  in.body = body;
  in.path_params = &params;
  auto message = BuildRequest(route, in, JsonLimits{});
  if (!message.ok()) {
    if (message.status().code() != absl::StatusCode::kInvalidArgument) abort();
    return 0;
  }
  // Accepted: printed and read again, it is the same request.
  std::string json = ToJson(**message);
  auto again = NewMessage(route.method->input_type());
  google::protobuf::util::JsonParseOptions options;
  if (!google::protobuf::util::JsonStringToMessage(json, again.get(), options).ok()) abort();
  (void)google::protobuf::util::MessageDifferencer::Equals(**message, *again);
  return 0;
}
