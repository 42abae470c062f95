#pragma once
// HTTP <-> protobuf, with protobuf's own JSON mapping (field names as in the .proto, enums by name,
// int64 as strings, every field printed). A request message is filled from, in this order: the JSON
// body (POST, PUT, DELETE), the query string (GET), the path parameters, the Idempotency-Key header;
// two sources that disagree on a field are refused. Outside input is checked before protobuf reads it:
// size, nesting depth and string length.
#include <google/protobuf/message.h>

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/gateway/routes.h"

namespace relais::gateway {

struct JsonLimits {
  int max_depth = 16;                 // objects and arrays nested
  size_t max_string_bytes = 8192;     // one string value or key
};

// INVALID_ARGUMENT when the text is not within the limits, or an object names a field twice (also as
// "pool_id" and "poolId") or with an escape sequence; the rest of its JSON syntax is left to protobuf.
absl::Status CheckJsonLimits(std::string_view json, const JsonLimits& limits);

struct HttpInput {
  std::string_view body;
  std::string_view query;             // after '?', undecoded
  const std::map<std::string, std::string>* path_params = nullptr;
  std::string_view idempotency_key;   // the Idempotency-Key header, if any
};

absl::StatusOr<std::unique_ptr<google::protobuf::Message>> BuildRequest(const BoundRoute& route, const HttpInput& in,
                                                                        const JsonLimits& limits);

// The value of a scalar field named by a dotted path, as text ("" when unset).
std::string FieldText(const google::protobuf::Message& message, std::string_view path);

std::string ToJson(const google::protobuf::Message& message);
std::unique_ptr<google::protobuf::Message> NewMessage(const google::protobuf::Descriptor* type);

// gRPC status code (google/rpc/code.proto) -> HTTP status.
int HttpStatusFor(int grpc_code);
const char* CodeName(int grpc_code);
// {"error":{"code":"NOT_FOUND","message":"..."}}
std::string ErrorJson(int grpc_code, std::string_view message);
std::string ErrorJson(const absl::Status& status);

}  // namespace relais::gateway
