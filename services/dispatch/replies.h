#pragma once
// Redis replies of the dispatch service as protobuf messages, apart from the store so the fuzz target
// (tests/fuzz/redis_replies_fuzz.cc) reaches them without Redis. A reply of another shape than promised
// reads as empty values, never past its end.
#include <cstdint>
#include <string>

#include "common/redis.h"
#include "relais/v1/dispatch.pb.h"

namespace relais::dispatch {

// A call from its id and its ten stored fields, which start at element `first` of `r` (the order of
// CALL_FIELDS in lua/dispatch_prelude.lua). Waiting time and the answering target are judged at `now_ms`.
relais::v1::Call CallFromFields(std::string id, const redisReply* r, size_t first, int64_t now_ms, int64_t target_ms);

}  // namespace relais::dispatch
