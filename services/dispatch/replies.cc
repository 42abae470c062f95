#include "services/dispatch/replies.h"

#include <limits>

#include "common/script_answer.h"
#include "common/timestamps.h"

namespace relais::dispatch {
namespace {

using namespace relais::v1;

google::protobuf::Timestamp Ms(int64_t ms) { return TimestampFromMs(ms); }

CallState CallStateFromCode(std::string_view code) {
  if (code == "queued") return CALL_STATE_QUEUED;
  if (code == "answered") return CALL_STATE_ANSWERED;
  if (code == "ended") return CALL_STATE_ENDED;
  if (code == "missed") return CALL_STATE_MISSED;
  return CALL_STATE_UNSPECIFIED;
}

CallBackState CallBackFromCode(std::string_view code) {
  if (code == "pending") return CALL_BACK_STATE_PENDING;
  if (code == "done") return CALL_BACK_STATE_DONE;
  if (code == "unreachable") return CALL_BACK_STATE_UNREACHABLE;
  return CALL_BACK_STATE_UNSPECIFIED;
}

// b - a without overflow, whatever Redis held: saturates at the ends of int64.
int64_t Elapsed(int64_t a, int64_t b) {
  int64_t out;
  if (__builtin_sub_overflow(b, a, &out)) return b > a ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int64_t>::min();
  return out;
}

}  // namespace

Call CallFromFields(std::string id, const redisReply* r, size_t first, int64_t now_ms, int64_t target_ms) {
  Call c;
  c.set_id(std::move(id));
  CallerKind kind = CALLER_KIND_UNSPECIFIED;
  CallerKind_Parse(Str(r, first), &kind);
  c.set_caller_kind(kind);
  c.set_language(Str(r, first + 1));
  c.set_state(CallStateFromCode(Str(r, first + 2)));
  int64_t queued = Int(r, first + 3), answered = Int(r, first + 4), ended = Int(r, first + 5);
  *c.mutable_queued_at() = Ms(queued);
  if (answered > 0) *c.mutable_answered_at() = Ms(answered);
  if (ended > 0) *c.mutable_ended_at() = Ms(ended);
  c.set_operator_(Str(r, first + 6));
  CallOutcome outcome = CALL_OUTCOME_UNSPECIFIED;
  CallOutcome_Parse(Str(r, first + 7), &outcome);
  c.set_outcome(outcome);
  c.set_call_back(CallBackFromCode(Str(r, first + 8)));
  c.set_call_back_contact(Str(r, first + 9));
  // Waiting lasts until the call is answered, or until the caller hung up, or goes on while queued.
  int64_t until = answered > 0 ? answered : (ended > 0 ? ended : now_ms);
  int64_t waited = Elapsed(queued, until);
  c.set_waiting_seconds(waited / 1000);
  c.set_breaching(waited > target_ms);
  return c;
}

}  // namespace relais::dispatch
