#include "services/beds/replies.h"

#include "common/script_answer.h"
#include "common/timestamps.h"
#include "services/beds/store.h"

namespace relais::beds {
namespace {

using relais::v1::Crisis;
using relais::v1::Hold;
using relais::v1::Pool;
using relais::v1::Shelter;

std::string Get(const std::map<std::string, std::string>& f, const char* name) {
  auto it = f.find(name);
  return it == f.end() ? "" : it->second;
}

}  // namespace

Pool PoolFromAnswer(const redisReply* r, size_t at, const PoolRef& ref, bool stale) {
  Pool p;
  p.set_id(ref.id());
  p.set_shelter_id(ref.shelter_id);
  p.set_public_(ref.public_code);
  p.mutable_figures()->set_places_in_service(static_cast<int32_t>(Int(r, at)));
  p.mutable_figures()->set_buffer_places(static_cast<int32_t>(Int(r, at + 1)));
  p.set_buffer_open(Int(r, at + 2) == 1);
  p.mutable_figures()->set_occupied(static_cast<int32_t>(Int(r, at + 3)));
  p.set_live_holds(static_cast<int32_t>(Int(r, at + 4)));
  p.set_free(static_cast<int32_t>(Int(r, at + 5)));
  *p.mutable_updated_at() = TimestampFromMs(Int(r, at + 6));
  p.set_version(Int(r, at + 7));
  p.set_unconfirmed(stale);
  return p;
}

Hold HoldFromAnswer(const redisReply* r, size_t at, const PoolRef& ref) {
  Hold h;
  h.set_id(Str(r, at));
  h.set_pool_id(ref.id());
  h.set_shelter_id(ref.shelter_id);
  h.set_public_(ref.public_code);
  h.set_state(HoldStateFromCode(Str(r, at + 1)));
  *h.mutable_created_at() = TimestampFromMs(Int(r, at + 2));
  *h.mutable_deadline() = TimestampFromMs(Int(r, at + 3));
  if (Int(r, at + 4) > 0) *h.mutable_ended_at() = TimestampFromMs(Int(r, at + 4));
  h.set_request_id(Str(r, at + 5));
  h.set_kind(HoldKindFromCode(Str(r, at + 6)));
  return h;
}

relais::v1::CrisisReason ReasonFromName(const std::string& name) {
  relais::v1::CrisisReason r = relais::v1::CRISIS_REASON_UNSPECIFIED;
  relais::v1::CrisisReason_Parse(name, &r);
  return r;
}

relais::v1::CrisisMode ModeFromName(const std::string& name) {
  relais::v1::CrisisMode m = relais::v1::CRISIS_MODE_UNSPECIFIED;
  relais::v1::CrisisMode_Parse(name, &m);
  return m;
}

Crisis CrisisFromAnswer(const redisReply* r, size_t at) {
  Crisis c;
  c.set_id(Str(r, at));
  c.set_shelter_id(Str(r, at + 1));
  c.set_reason(ReasonFromName(Str(r, at + 2)));
  c.set_mode(ModeFromName(Str(r, at + 3)));
  *c.mutable_opened_at() = TimestampFromMs(Int(r, at + 4));
  if (Int(r, at + 5) > 0) *c.mutable_closed_at() = TimestampFromMs(Int(r, at + 5));
  return c;
}

absl::StatusOr<Shelter> ShelterFromFields(const redisReply* r) {
  if (!r || r->type != REDIS_REPLY_ARRAY || r->elements < 3 || ReplyIsNil(r->element[0])) {
    return absl::NotFoundError("shelter_id: no such shelter");
  }
  Shelter s;
  if (!s.ParseFromString(Str(r, 0))) return absl::InternalError("stored shelter is unreadable");
  s.set_version(Int(r, 1));
  *s.mutable_updated_at() = TimestampFromMs(Int(r, 2));
  return s;
}

absl::StatusOr<Hold> HoldFromFields(const std::string& hold_id, const std::map<std::string, std::string>& f,
                                    const Catalog& catalog) {
  if (f.empty()) return absl::NotFoundError("hold_id: no such hold");
  // A hash without its pool (cut short by hand, or a key of another kind) is not a hold: never an
  // exception out of a request.
  auto pool = ParsePoolId(Get(f, "pool"), catalog);
  if (!pool.ok()) return absl::InternalError("stored hold names an unknown pool");
  Hold h;
  h.set_id(hold_id);
  h.set_pool_id(pool->id());
  h.set_shelter_id(pool->shelter_id);
  h.set_public_(pool->public_code);
  h.set_request_id(Get(f, "request"));
  h.set_kind(HoldKindFromCode(Get(f, "kind")));
  h.set_state(HoldStateFromCode(Get(f, "state")));
  *h.mutable_created_at() = TimestampFromMs(ToInt(f, "created_ms"));
  *h.mutable_deadline() = TimestampFromMs(ToInt(f, "deadline_ms"));
  if (ToInt(f, "ended_ms") > 0) *h.mutable_ended_at() = TimestampFromMs(ToInt(f, "ended_ms"));
  return h;
}

}  // namespace relais::beds
