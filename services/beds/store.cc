#include "services/beds/store.h"

#include <algorithm>
#include <map>
#include <set>

#include "common/idempotency.h"
#include "common/random_id.h"
#include "common/script_answer.h"
#include "common/timestamps.h"
#include "services/beds/replies.h"
#include "services/beds/scripts.h"

namespace relais::beds {
namespace {

using relais::v1::Crisis;
using relais::v1::Hold;
using relais::v1::Pool;
using relais::v1::Shelter;

}  // namespace

std::string HoldKindCode(relais::v1::HoldKind kind) {
  switch (kind) {
    case relais::v1::HOLD_KIND_MEDICAL: return "medical";
    case relais::v1::HOLD_KIND_PASS_NIGHT: return "pass_night";
    default: return "standard";
  }
}

relais::v1::HoldKind HoldKindFromCode(std::string_view code) {
  if (code == "medical") return relais::v1::HOLD_KIND_MEDICAL;
  if (code == "pass_night") return relais::v1::HOLD_KIND_PASS_NIGHT;
  return relais::v1::HOLD_KIND_STANDARD;
}

relais::v1::HoldState HoldStateFromCode(std::string_view code) {
  if (code == "held") return relais::v1::HOLD_STATE_HELD;
  if (code == "arrived") return relais::v1::HOLD_STATE_ARRIVED;
  if (code == "no_show") return relais::v1::HOLD_STATE_NO_SHOW;
  if (code == "cancelled") return relais::v1::HOLD_STATE_CANCELLED;
  if (code == "expired") return relais::v1::HOLD_STATE_EXPIRED;
  return relais::v1::HOLD_STATE_UNSPECIFIED;
}

Store::Store(RedisPool& redis, const Clock& clock, Catalog catalog, StoreOptions options)
    : redis_(redis),
      clock_(clock),
      catalog_(std::move(catalog)),
      options_(std::move(options)),
      keys_(options_.region),
      create_shelter_("create_shelter", scripts::k_create_shelter_lua),
      update_shelter_("update_shelter", scripts::k_update_shelter_lua),
      declare_pool_("declare_pool", scripts::k_declare_pool_lua),
      touch_pool_("touch_pool", scripts::k_touch_pool_lua),
      take_hold_("take_hold", scripts::k_take_hold_lua),
      end_hold_("end_hold", scripts::k_end_hold_lua),
      open_buffer_("open_buffer", scripts::k_open_buffer_lua),
      close_buffer_("close_buffer", scripts::k_close_buffer_lua) {}

std::string Store::RetentionMs() const {
  return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(kIdempotencyRetention).count());
}

bool Store::IsStale(int64_t updated_ms) const {
  // Compared without subtracting the stored time: any int64 read from Redis, never an overflow.
  return updated_ms < clock_.NowMs() - std::chrono::duration_cast<std::chrono::milliseconds>(options_.stale_after).count();
}

std::chrono::minutes Store::HoldDuration(relais::v1::HoldKind kind) const {
  switch (kind) {
    case relais::v1::HOLD_KIND_MEDICAL: return options_.hold_medical;
    case relais::v1::HOLD_KIND_PASS_NIGHT: return options_.hold_pass_night;
    default: return options_.hold_standard;
  }
}

// ---- Directory ----

absl::StatusOr<Shelter> Store::CreateShelter(const Shelter& shelter, const std::string& idem_key,
                                             const std::string& request) {
  Shelter stored = shelter;
  stored.clear_version();
  stored.clear_updated_at();
  auto reply = redis_.Eval(create_shelter_,
                           {keys_.Shelter(shelter.id()), keys_.Shelters(), keys_.Events(), IdemKey("create_shelter", idem_key)},
                           {std::to_string(clock_.NowMs()), shelter.id(), stored.SerializeAsString(), shelter.commune(),
                            relais::v1::ServiceKind_Name(shelter.kind()), request, RetentionMs()});
  if (!reply.ok()) return reply.status();
  auto answer = ScriptAnswer(*reply);
  if (!answer.ok()) return answer.status();
  stored.set_version(Int(*answer, 1));
  *stored.mutable_updated_at() = TimestampFromMs(Int(*answer, 2));
  return stored;
}

absl::StatusOr<Shelter> Store::UpdateShelter(const Shelter& shelter, int64_t expected_version,
                                             const std::string& idem_key, const std::string& request) {
  Shelter stored = shelter;
  stored.clear_version();
  stored.clear_updated_at();
  auto reply = redis_.Eval(update_shelter_, {keys_.Shelter(shelter.id()), keys_.Events(), IdemKey("update_shelter", idem_key)},
                           {std::to_string(clock_.NowMs()), shelter.id(), stored.SerializeAsString(), shelter.commune(),
                            relais::v1::ServiceKind_Name(shelter.kind()), std::to_string(expected_version), request,
                            RetentionMs()});
  if (!reply.ok()) return reply.status();
  auto answer = ScriptAnswer(*reply);
  if (!answer.ok()) return answer.status();
  stored.set_version(Int(*answer, 1));
  *stored.mutable_updated_at() = TimestampFromMs(Int(*answer, 2));
  return stored;
}

absl::StatusOr<Shelter> Store::GetShelter(const std::string& shelter_id) {
  auto reply = redis_.Command({"HMGET", keys_.Shelter(shelter_id), "pb", "version", "updated_ms"});
  if (!reply.ok()) return reply.status();
  return ShelterFromFields(reply->get());
}

absl::StatusOr<std::vector<Shelter>> Store::AllShelters() {
  auto ids = redis_.Command({"SMEMBERS", keys_.Shelters()});
  if (!ids.ok()) return ids.status();
  std::vector<Argv> commands;
  for (size_t i = 0; i < (*ids)->elements; ++i) {
    commands.push_back({"HMGET", keys_.Shelter(Str(ids->get(), i)), "pb", "version", "updated_ms"});
  }
  std::vector<Shelter> out;
  if (commands.empty()) return out;
  auto replies = redis_.Pipeline(commands);
  if (!replies.ok()) return replies.status();
  for (const auto& r : *replies) {
    auto s = ShelterFromFields(r.get());
    if (s.ok()) out.push_back(std::move(*s));
  }
  std::sort(out.begin(), out.end(), [](const Shelter& a, const Shelter& b) { return a.id() < b.id(); });
  return out;
}

// ---- Pools ----

absl::StatusOr<Pool> Store::DeclarePool(const PoolRef& pool, const relais::v1::PoolFigures& figures,
                                        int64_t expected_version, const std::string& idem_key, const std::string& request) {
  auto reply = redis_.Eval(declare_pool_,
                           {keys_.Pool(pool.id()), keys_.PoolHolds(pool.id()), keys_.Shelter(pool.shelter_id), keys_.Region(),
                            keys_.Pools(), keys_.Events(), IdemKey("declare_pool", idem_key)},
                           {std::to_string(clock_.NowMs()), pool.id(), pool.shelter_id, pool.public_code,
                            std::to_string(figures.places_in_service()), std::to_string(figures.buffer_places()),
                            std::to_string(figures.occupied()), std::to_string(expected_version), request, RetentionMs()});
  if (!reply.ok()) return reply.status();
  auto answer = ScriptAnswer(*reply);
  if (!answer.ok()) return answer.status();
  return PoolFromAnswer(*answer, 1, pool, IsStale(Int(*answer, 7)));
}

absl::StatusOr<Pool> Store::TouchPool(const PoolRef& pool, const std::string& action, const std::string& idem_key,
                                      const std::string& request) {
  std::string method = action == "departure" ? "departure" : "confirm_pool";
  auto reply = redis_.Eval(touch_pool_,
                           {keys_.Pool(pool.id()), keys_.PoolHolds(pool.id()), keys_.Shelter(pool.shelter_id), keys_.Region(),
                            keys_.Events(), keys_.Idempotency(method, idem_key)},
                           {std::to_string(clock_.NowMs()), pool.id(), pool.shelter_id, pool.public_code, action, request,
                            RetentionMs()});
  if (!reply.ok()) return reply.status();
  auto answer = ScriptAnswer(*reply);
  if (!answer.ok()) return answer.status();
  return PoolFromAnswer(*answer, 1, pool, IsStale(Int(*answer, 7)));
}

// ---- Holds ----

absl::StatusOr<HoldAndPool> Store::TakeHold(const PoolRef& pool, const std::string& request_id, relais::v1::HoldKind kind,
                                            const std::string& idem_key, const std::string& request) {
  int64_t now = clock_.NowMs();
  int64_t deadline = now + std::chrono::duration_cast<std::chrono::milliseconds>(HoldDuration(kind)).count();
  std::string hold_id = NewHoldId(pool);
  auto reply = redis_.Eval(take_hold_,
                           {keys_.Pool(pool.id()), keys_.PoolHolds(pool.id()), keys_.Shelter(pool.shelter_id), keys_.Region(),
                            keys_.Hold(hold_id), keys_.Deadlines(), keys_.ShelterHolds(pool.shelter_id), keys_.Events(),
                            IdemKey("take_hold", idem_key)},
                           {std::to_string(now), std::to_string(deadline), hold_id, pool.id(), pool.shelter_id,
                            pool.public_code, request_id, HoldKindCode(kind), request, RetentionMs()});
  if (!reply.ok()) return reply.status();
  auto answer = ScriptAnswer(*reply);
  if (!answer.ok()) return answer.status();
  return HoldAndPool{HoldFromAnswer(*answer, 1 + kPoolAnswerFields, pool),
                     PoolFromAnswer(*answer, 1, pool, IsStale(Int(*answer, 7)))};
}

absl::StatusOr<HoldAndPool> Store::EndHold(const HoldRef& hold, const std::string& outcome, const std::string& idem_key,
                                           const std::string& request) {
  std::string retention_ms =
      std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(options_.ended_hold_retention).count());
  const PoolRef& pool = hold.pool;
  auto reply = redis_.Eval(end_hold_,
                           {keys_.Pool(pool.id()), keys_.PoolHolds(pool.id()), keys_.Shelter(pool.shelter_id), keys_.Region(),
                            keys_.Hold(hold.hold_id), keys_.Deadlines(), keys_.Events(),
                            IdemKey(("hold_" + outcome).c_str(), idem_key)},
                           {std::to_string(clock_.NowMs()), hold.hold_id, outcome, request, RetentionMs(), retention_ms});
  if (!reply.ok()) return reply.status();
  auto answer = ScriptAnswer(*reply);
  if (!answer.ok()) return answer.status();
  return HoldAndPool{HoldFromAnswer(*answer, 1 + kPoolAnswerFields, pool),
                     PoolFromAnswer(*answer, 1, pool, IsStale(Int(*answer, 7)))};
}

absl::StatusOr<Hold> Store::GetHold(const std::string& hold_id) {
  auto reply = redis_.Command({"HGETALL", keys_.Hold(hold_id)});
  if (!reply.ok()) return reply.status();
  return HoldFromFields(hold_id, FieldMap(reply->get()), catalog_);
}

absl::StatusOr<std::vector<Hold>> Store::ListHolds(const std::string& shelter_id, bool live_only) {
  // The newest 500 holds of the shelter: a shelter's day, with room to spare.
  auto ids = redis_.Command({"ZREVRANGE", keys_.ShelterHolds(shelter_id), "0", "499"});
  if (!ids.ok()) return ids.status();
  std::vector<Argv> commands;
  std::vector<std::string> hold_ids;
  for (size_t i = 0; i < (*ids)->elements; ++i) {
    hold_ids.push_back(Str(ids->get(), i));
    commands.push_back({"HGETALL", keys_.Hold(hold_ids.back())});
  }
  std::vector<Hold> out;
  if (commands.empty()) return out;
  auto replies = redis_.Pipeline(commands);
  if (!replies.ok()) return replies.status();
  int64_t now = clock_.NowMs();
  for (size_t i = 0; i < replies->size(); ++i) {
    auto h = HoldFromFields(hold_ids[i], FieldMap((*replies)[i].get()), catalog_);
    if (!h.ok()) continue;  // ended long ago and gone
    bool live = h->state() == relais::v1::HOLD_STATE_HELD && MsFromTimestamp(h->deadline()) > now;
    if (live_only && !live) continue;
    out.push_back(std::move(*h));
  }
  return out;
}

// ---- Availability ----

absl::StatusOr<std::vector<Pool>> Store::AllPools() {
  auto ids = redis_.Command({"SMEMBERS", keys_.Pools()});
  if (!ids.ok()) return ids.status();
  std::vector<PoolRef> pools;
  std::set<std::string> shelter_ids;
  for (size_t i = 0; i < (*ids)->elements; ++i) {
    auto ref = ParsePoolId(Str(ids->get(), i), catalog_);
    if (!ref.ok()) continue;  // a public removed from the configuration
    shelter_ids.insert(ref->shelter_id);
    pools.push_back(*ref);
  }
  std::vector<Pool> out;
  if (pools.empty()) return out;

  // One MULTI/EXEC: every figure read at the same moment.
  int64_t now = clock_.NowMs();
  std::vector<Argv> commands{{"MULTI"}};
  for (const auto& p : pools) {
    commands.push_back({"HMGET", keys_.Pool(p.id()), "in_service", "buffer", "occupied", "updated_ms", "version"});
    commands.push_back({"ZCOUNT", keys_.PoolHolds(p.id()), "(" + std::to_string(now), "+inf"});
  }
  std::vector<std::string> shelters(shelter_ids.begin(), shelter_ids.end());
  for (const auto& s : shelters) commands.push_back({"HMGET", keys_.Shelter(s), "pb", "crises_open", "commune"});
  commands.push_back({"HGET", keys_.Region(), "crises_open"});
  commands.push_back({"EXEC"});
  auto replies = redis_.Pipeline(commands);
  if (!replies.ok()) return replies.status();
  const redisReply* exec = replies->back().get();
  if (exec->type != REDIS_REPLY_ARRAY || exec->elements != pools.size() * 2 + shelters.size() + 1) {
    return absl::UnavailableError("availability read was interrupted, retry");
  }
  bool region_open = ReplyInt(exec->element[exec->elements - 1]) > 0;
  struct ShelterInfo {
    std::string name, commune;
    bool buffer_open = false;
  };
  std::map<std::string, ShelterInfo> info;
  for (size_t i = 0; i < shelters.size(); ++i) {
    const redisReply* r = exec->element[pools.size() * 2 + i];
    Shelter s;
    s.ParseFromString(Str(r, 0));
    info[shelters[i]] = ShelterInfo{s.name(), Str(r, 2), region_open || Int(r, 1) > 0};
  }
  for (size_t i = 0; i < pools.size(); ++i) {
    const redisReply* f = exec->element[i * 2];
    const auto& si = info[pools[i].shelter_id];
    Pool p;
    p.set_id(pools[i].id());
    p.set_shelter_id(pools[i].shelter_id);
    p.set_public_(pools[i].public_code);
    p.set_shelter_name(si.name);
    p.set_commune(si.commune);
    p.mutable_figures()->set_places_in_service(static_cast<int32_t>(Int(f, 0)));
    p.mutable_figures()->set_buffer_places(static_cast<int32_t>(Int(f, 1)));
    p.mutable_figures()->set_occupied(static_cast<int32_t>(Int(f, 2)));
    *p.mutable_updated_at() = TimestampFromMs(Int(f, 3));
    p.set_version(Int(f, 4));
    p.set_buffer_open(si.buffer_open);
    p.set_live_holds(static_cast<int32_t>(ReplyInt(exec->element[i * 2 + 1])));
    p.set_free(DeriveFree(p.figures(), p.buffer_open(), p.live_holds()));
    p.set_unconfirmed(IsStale(Int(f, 3)));
    out.push_back(std::move(p));
  }
  std::sort(out.begin(), out.end(), [](const Pool& a, const Pool& b) { return a.id() < b.id(); });
  return out;
}

absl::StatusOr<std::vector<Pool>> Store::Availability(const relais::v1::AvailabilityFilter& filter) {
  auto pools = AllPools();
  if (!pools.ok()) return pools.status();
  // Conditions live in the directory entry; read it only when the filter needs it.
  std::map<std::string, relais::v1::Conditions> conditions;
  if (filter.has_required_conditions()) {
    auto shelters = AllShelters();
    if (!shelters.ok()) return shelters.status();
    for (const auto& s : *shelters) conditions[s.id()] = s.conditions();
  }
  std::vector<Pool> out;
  for (auto& p : *pools) {
    if (!filter.public_().empty() && p.public_() != filter.public_()) continue;
    if (!filter.commune().empty() && p.commune() != filter.commune()) continue;
    if (!filter.shelter_id().empty() && p.shelter_id() != filter.shelter_id()) continue;
    if (filter.only_with_free() && p.free() == 0) continue;
    if (filter.has_required_conditions() && !MatchesConditions(conditions[p.shelter_id()], filter.required_conditions())) {
      continue;
    }
    out.push_back(std::move(p));
  }
  return out;
}

absl::StatusOr<relais::v1::GetRegionSummaryResponse> Store::RegionSummary() {
  auto pools = AllPools();
  if (!pools.ok()) return pools.status();
  relais::v1::GetRegionSummaryResponse out;
  std::map<std::string, relais::v1::PublicSummary*> by_public;
  for (const auto& code : catalog_.publics) {
    auto* s = out.add_publics();
    s->set_public_(code);
    by_public[code] = s;
  }
  for (const auto& p : *pools) {
    auto* s = by_public[p.public_()];
    if (!s) continue;
    s->set_places_in_service(s->places_in_service() + p.figures().places_in_service());
    if (p.buffer_open()) s->set_buffer_places_open(s->buffer_places_open() + p.figures().buffer_places());
    s->set_occupied(s->occupied() + p.figures().occupied());
    s->set_live_holds(s->live_holds() + p.live_holds());
    s->set_free(s->free() + p.free());
    s->set_pools(s->pools() + 1);
    if (p.unconfirmed()) s->set_pools_unconfirmed(s->pools_unconfirmed() + 1);
  }
  auto crises = ListCrises(true);
  if (!crises.ok()) return crises.status();
  out.set_crisis_active(!crises->empty());
  *out.mutable_as_of() = TimestampFromMs(clock_.NowMs());
  return out;
}

// ---- Crises ----

absl::StatusOr<Crisis> Store::OpenBuffer(const std::string& shelter_id, relais::v1::CrisisReason reason,
                                         relais::v1::CrisisMode mode, const std::string& idem_key, const std::string& request) {
  std::string crisis_id = RandomId("c-");
  std::string scope = shelter_id.empty() ? keys_.Region() : keys_.Shelter(shelter_id);
  auto reply = redis_.Eval(open_buffer_,
                           {keys_.Crisis(crisis_id), keys_.Crises(), scope, keys_.Events(), IdemKey("open_buffer", idem_key)},
                           {std::to_string(clock_.NowMs()), crisis_id, shelter_id, relais::v1::CrisisReason_Name(reason),
                            relais::v1::CrisisMode_Name(mode), request, RetentionMs()});
  if (!reply.ok()) return reply.status();
  auto answer = ScriptAnswer(*reply);
  if (!answer.ok()) return answer.status();
  return CrisisFromAnswer(*answer, 1);
}

absl::StatusOr<Crisis> Store::CloseBuffer(const std::string& crisis_id, const std::string& idem_key,
                                          const std::string& request) {
  auto shelter = redis_.Command({"HGET", keys_.Crisis(crisis_id), "shelter"});
  if (!shelter.ok()) return shelter.status();
  if (ReplyIsNil(shelter->get())) return absl::NotFoundError("crisis_id: no such crisis");
  std::string shelter_id(ReplyStr(shelter->get()));
  std::string scope = shelter_id.empty() ? keys_.Region() : keys_.Shelter(shelter_id);
  auto reply = redis_.Eval(close_buffer_, {keys_.Crisis(crisis_id), scope, keys_.Events(), IdemKey("close_buffer", idem_key)},
                           {std::to_string(clock_.NowMs()), crisis_id, request, RetentionMs()});
  if (!reply.ok()) return reply.status();
  auto answer = ScriptAnswer(*reply);
  if (!answer.ok()) return answer.status();
  return CrisisFromAnswer(*answer, 1);
}

absl::StatusOr<std::vector<Crisis>> Store::ListCrises(bool active_only) {
  auto ids = redis_.Command({"ZREVRANGE", keys_.Crises(), "0", "199"});
  if (!ids.ok()) return ids.status();
  std::vector<Crisis> out;
  if ((*ids)->elements == 0) return out;
  std::vector<Argv> commands;
  for (size_t i = 0; i < (*ids)->elements; ++i) {
    commands.push_back({"HMGET", keys_.Crisis(Str(ids->get(), i)), "shelter", "reason", "mode", "opened_ms", "closed_ms"});
  }
  auto replies = redis_.Pipeline(commands);
  if (!replies.ok()) return replies.status();
  for (size_t i = 0; i < replies->size(); ++i) {
    const redisReply* r = (*replies)[i].get();
    Crisis c;
    c.set_id(Str(ids->get(), i));
    c.set_shelter_id(Str(r, 0));
    c.set_reason(ReasonFromName(Str(r, 1)));
    c.set_mode(ModeFromName(Str(r, 2)));
    *c.mutable_opened_at() = TimestampFromMs(Int(r, 3));
    if (Int(r, 4) > 0) *c.mutable_closed_at() = TimestampFromMs(Int(r, 4));
    if (active_only && c.has_closed_at()) continue;
    out.push_back(std::move(c));
  }
  return out;
}

// ---- Sweeper ----

absl::StatusOr<int> Store::SweepExpired(int max_holds) {
  auto due = redis_.Command({"ZRANGEBYSCORE", keys_.Deadlines(), "-inf", std::to_string(clock_.NowMs()), "LIMIT", "0",
                             std::to_string(max_holds)});
  if (!due.ok()) return due.status();
  int recorded = 0;
  for (size_t i = 0; i < (*due)->elements; ++i) {
    std::string hold_id = Str(due->get(), i);
    auto ref = ParseHoldId(hold_id, catalog_);
    if (!ref.ok()) {  // not written by this version: nothing to record, do not retry it forever
      redis_.Command({"ZREM", keys_.Deadlines(), hold_id}).IgnoreError();
      continue;
    }
    // Another sweeper may have been first: the script then refuses, which is fine.
    auto ended = EndHold(*ref, "expired", "expire:" + hold_id, hold_id);
    if (ended.ok()) ++recorded;
    else if (absl::IsUnavailable(ended.status())) return ended.status();
    else if (absl::IsNotFound(ended.status())) redis_.Command({"ZREM", keys_.Deadlines(), hold_id}).IgnoreError();
  }
  return recorded;
}

}  // namespace relais::beds
