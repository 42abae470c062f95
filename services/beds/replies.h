#pragma once
// Redis replies of the beds service as protobuf messages: the parts of the scripts' answers (orders of
// lua/beds_prelude.lua) and the stored hashes. Apart from the store so the fuzz target
// (tests/fuzz/redis_replies_fuzz.cc) reaches them without Redis. A reply of another shape than promised
// (missing elements, other types) reads as empty values, never past its end.
#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "common/catalog.h"
#include "common/redis.h"
#include "relais/v1/beds.pb.h"
#include "services/beds/rules.h"

namespace relais::beds {

inline constexpr size_t kPoolAnswerFields = 8;

// The pool part of a script answer, from element `at`: in service, buffer, buffer open, occupied, live
// holds, free, updated ms, version.
relais::v1::Pool PoolFromAnswer(const redisReply* r, size_t at, const PoolRef& ref, bool stale);
// The hold part of a script answer, from element `at`: id, state, created, deadline, ended, request, kind.
relais::v1::Hold HoldFromAnswer(const redisReply* r, size_t at, const PoolRef& ref);
// A crisis from element `at`: id, shelter, reason, mode, opened ms, closed ms.
relais::v1::Crisis CrisisFromAnswer(const redisReply* r, size_t at);
// HMGET shelter pb version updated_ms; NOT_FOUND when there is no such shelter.
absl::StatusOr<relais::v1::Shelter> ShelterFromFields(const redisReply* r);
// HGETALL of a hold; NOT_FOUND when empty, INTERNAL when it names no pool of the catalog.
absl::StatusOr<relais::v1::Hold> HoldFromFields(const std::string& hold_id, const std::map<std::string, std::string>& f,
                                                const Catalog& catalog);

// Crisis reasons and modes are stored and emitted by name, so events read without a lookup table.
relais::v1::CrisisReason ReasonFromName(const std::string& name);
relais::v1::CrisisMode ModeFromName(const std::string& name);

}  // namespace relais::beds
