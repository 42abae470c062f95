#pragma once
// The OpenAPI 3 document of the REST API, generated from the route table and the messages' descriptors
// (protobuf's JSON mapping: field names as in the .proto, enums as names, int64 as strings, Timestamp
// as RFC 3339 text), so it cannot say anything the gateway does not do.
#include <string>

#include "services/gateway/routes.h"

namespace relais::gateway {

std::string OpenApiJson(const RouteTable& routes);

}  // namespace relais::gateway
