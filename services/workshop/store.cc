#include "services/workshop/store.h"

#include <algorithm>
#include <limits>

#include "common/idempotency.h"
#include "common/random_id.h"
#include "common/script_answer.h"
#include "common/timestamps.h"
#include "services/workshop/plan.h"
#include "services/workshop/rules.h"
#include "services/workshop/scripts.h"

namespace relais::workshop {
namespace {

using namespace relais::v1;

google::protobuf::Timestamp Ms(int64_t ms) { return TimestampFromMs(ms); }

// The case's fields read back, in the order CaseFromFields expects.
const Argv kCaseFields = {"pb", "state", "session", "version", "registered_ms", "deadline_ms", "deadline_outcome",
                          "refusals", "priority"};

Argv CaseRead(const std::string& key) {
  Argv argv = {"HMGET", key};
  argv.insert(argv.end(), kCaseFields.begin(), kCaseFields.end());
  return argv;
}

DeadlineOutcome OutcomeFromCode(std::string_view code) {
  if (code == "open") return DEADLINE_OUTCOME_OPEN;
  if (code == "met") return DEADLINE_OUTCOME_MET;
  if (code == "missed") return DEADLINE_OUTCOME_MISSED;
  return DEADLINE_OUTCOME_UNSPECIFIED;
}

// The parts of a case the service computes; the rest lives in the case's own hash fields.
std::string StoredPart(Case c) {
  c.clear_id();
  c.clear_state();
  c.clear_missing();
  c.clear_registered_at();
  c.clear_deadline();
  c.clear_deadline_outcome();
  c.clear_overdue();
  c.clear_near_deadline();
  c.clear_session_id();
  c.clear_refusals();
  c.clear_priority_place_service_id();
  c.clear_version();
  return c.SerializeAsString();
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ",") + i;
  return out;
}

template <typename Enum, typename Names>
std::string JoinEnums(const google::protobuf::RepeatedField<int>& values, Names name) {
  std::string out;
  for (int v : values) out += (out.empty() ? "" : ",") + name(static_cast<Enum>(v));
  return out;
}

bool AwaitsPreconisation(CaseState s) {
  return s == CASE_STATE_INCOMPLETE || s == CASE_STATE_WAITING || s == CASE_STATE_SCHEDULED;
}

PriorityPool PoolFrom(const std::string& service_id, int64_t places, int64_t used, int64_t updated_ms) {
  PriorityPool p;
  p.set_service_id(service_id);
  p.set_places(static_cast<int32_t>(places));
  p.set_used(static_cast<int32_t>(used));
  p.set_free(static_cast<int32_t>(std::max<int64_t>(0, places - used)));
  if (updated_ms > 0) *p.mutable_updated_at() = Ms(updated_ms);
  return p;
}

}  // namespace

std::string StateCode(CaseState state) {
  switch (state) {
    case CASE_STATE_INCOMPLETE: return "incomplete";
    case CASE_STATE_WAITING: return "waiting";
    case CASE_STATE_SCHEDULED: return "scheduled";
    case CASE_STATE_PRECONISED: return "preconised";
    case CASE_STATE_APPROVED: return "approved";
    default: return "";
  }
}

CaseState StateFromCode(std::string_view code) {
  for (CaseState s : {CASE_STATE_INCOMPLETE, CASE_STATE_WAITING, CASE_STATE_SCHEDULED, CASE_STATE_PRECONISED,
                      CASE_STATE_APPROVED}) {
    if (StateCode(s) == code) return s;
  }
  return CASE_STATE_UNSPECIFIED;
}

Store::Store(RedisPool& redis, const Clock& clock, StoreOptions options)
    : redis_(redis),
      clock_(clock),
      options_(std::move(options)),
      keys_(options_.region),
      register_case_("register_case", scripts::k_register_case_lua),
      update_case_("update_case", scripts::k_update_case_lua),
      build_agenda_("build_agenda", scripts::k_build_agenda_lua),
      reorder_agenda_("reorder_agenda", scripts::k_reorder_agenda_lua),
      set_members_("set_members", scripts::k_set_members_lua),
      close_session_("close_session", scripts::k_close_session_lua),
      preconise_("preconise", scripts::k_preconise_lua),
      decide_plan_("decide_plan", scripts::k_decide_plan_lua),
      declare_priority_("declare_priority", scripts::k_declare_priority_lua),
      priority_place_("priority_place", scripts::k_priority_place_lua),
      record_missed_("record_missed", scripts::k_record_missed_lua),
      idem_check_("idem_check", scripts::k_idem_check_lua) {}

std::string Store::RetentionMs() const {
  return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(kIdempotencyRetention).count());
}

// ---- Cases ----

void FlagCase(Case& c, int64_t now_ms, int64_t near_window_ms) {
  int64_t deadline = MsFromTimestamp(c.deadline());
  bool awaiting = AwaitsPreconisation(c.state());
  c.set_overdue(awaiting && now_ms > deadline);
  c.set_near_deadline(awaiting && now_ms <= deadline && deadline - now_ms <= near_window_ms);
  c.clear_missing();
  if (c.state() == CASE_STATE_INCOMPLETE) {
    for (auto& m : Missing(c.facts(), c.direct())) c.add_missing(std::move(m));
  }
}

absl::StatusOr<Case> CaseFromFields(const std::string& id, const redisReply* f, int64_t now_ms, int64_t near_window_ms) {
  if (!f || f->type != REDIS_REPLY_ARRAY || f->elements != kCaseFields.size() || ReplyIsNil(f->element[0])) {
    return absl::NotFoundError("case_id: no such case");
  }
  Case c;
  std::string_view pb = ReplyStr(f->element[0]);
  if (!c.ParseFromArray(pb.data(), static_cast<int>(pb.size()))) return absl::InternalError("stored case unreadable");
  c.set_id(id);
  c.set_state(StateFromCode(Str(f, 1)));
  c.set_session_id(Str(f, 2));
  c.set_version(Int(f, 3));
  *c.mutable_registered_at() = Ms(Int(f, 4));
  *c.mutable_deadline() = Ms(Int(f, 5));
  c.set_deadline_outcome(OutcomeFromCode(Str(f, 6)));
  c.set_refusals(static_cast<int32_t>(Int(f, 7)));
  c.set_priority_place_service_id(Str(f, 8));
  FlagCase(c, now_ms, near_window_ms);
  return c;
}

void Store::Flag(Case& c) const {
  FlagCase(c, clock_.NowMs(), std::chrono::duration_cast<std::chrono::milliseconds>(options_.near_deadline).count());
}

absl::StatusOr<Case> Store::CaseFromFields(const std::string& id, const redisReply* f) const {
  return workshop::CaseFromFields(id, f, clock_.NowMs(),
                                  std::chrono::duration_cast<std::chrono::milliseconds>(options_.near_deadline).count());
}

absl::StatusOr<std::string> Store::RegisterCase(const Case& c, const std::string& idem_key,
                                                const std::string& fingerprint) {
  std::string id = RandomId("w");
  int64_t now = clock_.NowMs(), deadline = now + kDeadlineMs;
  auto missing = Missing(c.facts(), c.direct());
  const CaseFacts& f = c.facts();
  std::string state = missing.empty() ? "waiting" : "incomplete";
  auto reply = redis_.Eval(
      register_case_,
      {keys_.Case(id), keys_.Cases(), keys_.PersonCase(c.person_id()), keys_.Queue(), keys_.Open(),
       keys_.DeadlineWatch(), keys_.Events(), keys_.Idempotency("register_case", idem_key)},
      {std::to_string(now), id, StoredPart(c), c.person_id(), c.sending_service_id(), state, std::to_string(deadline),
       std::to_string(QueueScore(deadline, f.urgency())), Urgency_Name(f.urgency()), fingerprint, RetentionMs(),
       "sending_service", c.sending_service_id(), "direct", c.direct() ? "1" : "0", "urgency", Urgency_Name(f.urgency()),
       "situation", Situation_Name(f.situation()), "domains", JoinEnums<Domain>(f.domains(), [](Domain d) { return Domain_Name(d); }),
       "complete", missing.empty() ? "1" : "0", "missing", Join(missing)});
  if (!reply.ok()) return reply.status();
  auto answer = ScriptAnswer(*reply);
  if (!answer.ok()) return answer.status();
  return Str(*answer, 1);
}

absl::StatusOr<Case> Store::GetCase(const std::string& case_id) {
  auto reply = redis_.Command(CaseRead(keys_.Case(case_id)));
  if (!reply.ok()) return reply.status();
  return CaseFromFields(case_id, reply->get());
}

absl::StatusOr<std::string> Store::OpenCaseOf(const std::string& person_id) {
  auto reply = redis_.Command({"GET", keys_.PersonCase(person_id)});
  if (!reply.ok()) return reply.status();
  return std::string(ReplyStr(reply->get()));
}

absl::Status Store::UpdateCase(const Case& c, int64_t expected_version, const std::string& idem_key,
                               const std::string& fingerprint) {
  auto missing = Missing(c.facts(), c.direct());
  const CaseFacts& f = c.facts();
  auto reply = redis_.Eval(update_case_,
                           {keys_.Case(c.id()), keys_.Queue(), keys_.Events(), keys_.Idempotency("update_case", idem_key)},
                           {std::to_string(clock_.NowMs()), c.id(), StoredPart(c), std::to_string(expected_version),
                            missing.empty() ? "waiting" : "incomplete",
                            std::to_string(QueueScore(MsFromTimestamp(c.deadline()), f.urgency())),
                            Urgency_Name(f.urgency()), fingerprint, RetentionMs(), "complete", missing.empty() ? "1" : "0",
                            "missing", Join(missing), "urgency", Urgency_Name(f.urgency())});
  if (!reply.ok()) return reply.status();
  return ScriptAnswer(*reply).status();
}

absl::StatusOr<std::vector<Case>> Store::ListCases(CaseState state, bool overdue_only,
                                                   const std::vector<std::string>& sending_services, int limit) {
  // Every case, oldest registration (so nearest deadline) first.
  auto ids = redis_.Command({"ZRANGE", keys_.Cases(), "0", "-1"});
  if (!ids.ok()) return ids.status();
  std::vector<Argv> reads;
  for (size_t i = 0; i < (*ids)->elements; ++i) reads.push_back(CaseRead(keys_.Case(Str(ids->get(), i))));
  std::vector<Case> out;
  if (reads.empty()) return out;
  auto fields = redis_.Pipeline(reads);
  if (!fields.ok()) return fields.status();
  for (size_t i = 0; i < fields->size() && static_cast<int>(out.size()) < limit; ++i) {
    auto c = CaseFromFields(Str(ids->get(), i), (*fields)[i].get());
    if (!c.ok()) continue;  // gone meanwhile
    if (state != CASE_STATE_UNSPECIFIED && c->state() != state) continue;
    if (overdue_only && !c->overdue()) continue;
    if (!sending_services.empty() &&
        std::find(sending_services.begin(), sending_services.end(), c->sending_service_id()) == sending_services.end()) {
      continue;
    }
    out.push_back(std::move(*c));
  }
  return out;
}

// ---- Sessions ----

absl::StatusOr<Session> Store::GetSession(const SessionSlot& slot) {
  auto reply = redis_.Pipeline({{"HMGET", keys_.Session(slot.id), "state", "capacity", "members_pb", "examined",
                                 "carried_over"},
                                {"LRANGE", keys_.Agenda(slot.id), "0", "-1"}});
  if (!reply.ok()) return reply.status();
  const redisReply* s = (*reply)[0].get();
  const redisReply* agenda = (*reply)[1].get();
  Session out;
  out.set_id(slot.id);
  *out.mutable_starts_at() = Ms(slot.start_ms);
  std::string state = Str(s, 0);
  out.set_state(state.empty() ? SESSION_STATE_PLANNED : state == "closed" ? SESSION_STATE_CLOSED : SESSION_STATE_OPEN);
  out.set_capacity(Str(s, 1).empty() ? slot.capacity : static_cast<int32_t>(Int(s, 1)));
  std::string_view members = ReplyStr(s->element[2]);
  SetSessionMembersRequest holder;
  if (!members.empty() && holder.ParseFromArray(members.data(), static_cast<int>(members.size()))) {
    *out.mutable_members() = holder.members();
  }
  out.set_examined(static_cast<int32_t>(Int(s, 3)));
  out.set_carried_over(static_cast<int32_t>(Int(s, 4)));
  std::vector<Argv> reads;
  for (size_t i = 0; i < agenda->elements; ++i) reads.push_back(CaseRead(keys_.Case(Str(agenda, i))));
  if (reads.empty()) return out;
  auto cases = redis_.Pipeline(reads);
  if (!cases.ok()) return cases.status();
  for (size_t i = 0; i < cases->size(); ++i) {
    auto c = CaseFromFields(Str(agenda, i), (*cases)[i].get());
    if (!c.ok()) continue;
    AgendaItem* item = out.add_agenda();
    item->set_position(static_cast<int32_t>(i + 1));
    item->set_case_id(c->id());
    item->set_urgency(c->facts().urgency());
    *item->mutable_deadline() = c->deadline();
    item->set_person_invited(true);  // the person is invited to the examination of their situation
    item->set_referent_invited(!c->facts().referent().empty());
    item->set_referent(c->facts().referent());
  }
  return out;
}

absl::StatusOr<int> Store::BuildAgenda(const SessionSlot& slot, const std::string& idem_key,
                                       const std::string& fingerprint) {
  // Candidates: the head of the queue, with spare ones in case some stop waiting meanwhile.
  auto head = redis_.Command({"ZRANGE", keys_.Queue(), "0", std::to_string(2 * slot.capacity - 1)});
  if (!head.ok()) return head.status();
  Argv keys = {keys_.Session(slot.id), keys_.Agenda(slot.id), keys_.Queue(), keys_.Events(),
               keys_.Idempotency("build_agenda", idem_key)};
  Argv args = {std::to_string(clock_.NowMs()), slot.id, std::to_string(slot.capacity), std::to_string(slot.start_ms),
               fingerprint, RetentionMs()};
  for (size_t i = 0; i < (*head)->elements; ++i) {
    std::string id = Str(head->get(), i);
    keys.push_back(keys_.Case(id));
    args.push_back(id);
  }
  auto reply = redis_.Eval(build_agenda_, keys, args);
  if (!reply.ok()) return reply.status();
  auto answer = ScriptAnswer(*reply);
  if (!answer.ok()) return answer.status();
  return static_cast<int>(Int(*answer, 1));
}

int64_t Store::QueueLength() {
  auto n = redis_.Command({"ZCARD", keys_.Queue()});
  return n.ok() ? ReplyInt(n->get()) : 0;
}

absl::Status Store::ReorderAgenda(const SessionSlot& slot, const std::string& case_id, int position,
                                  ReorderReason reason, const std::string& idem_key, const std::string& fingerprint) {
  auto reply = redis_.Eval(reorder_agenda_,
                           {keys_.Session(slot.id), keys_.Agenda(slot.id), keys_.Events(),
                            keys_.Idempotency("reorder_agenda", idem_key)},
                           {std::to_string(clock_.NowMs()), slot.id, case_id, std::to_string(position),
                            ReorderReason_Name(reason), fingerprint, RetentionMs()});
  if (!reply.ok()) return reply.status();
  return ScriptAnswer(*reply).status();
}

absl::Status Store::SetMembers(const SessionSlot& slot, const google::protobuf::RepeatedPtrField<SessionMember>& members,
                               const std::string& idem_key, const std::string& fingerprint) {
  SetSessionMembersRequest holder;  // the members' list in one protobuf
  *holder.mutable_members() = members;
  int counts[5] = {0, 0, 0, 0, 0};
  for (const auto& m : members) counts[m.role()]++;
  auto reply = redis_.Eval(set_members_,
                           {keys_.Session(slot.id), keys_.Events(), keys_.Idempotency("set_members", idem_key)},
                           {std::to_string(clock_.NowMs()), slot.id, std::to_string(slot.capacity),
                            std::to_string(slot.start_ms), holder.SerializeAsString(), fingerprint, RetentionMs(),
                            "members", std::to_string(members.size()),
                            "sending", std::to_string(counts[MEMBER_ROLE_SENDING_SERVICE]),
                            "receiving", std::to_string(counts[MEMBER_ROLE_RECEIVING_SERVICE]),
                            "orientation_cell", std::to_string(counts[MEMBER_ROLE_ORIENTATION_CELL]),
                            "experts", std::to_string(counts[MEMBER_ROLE_EXPERT])});
  if (!reply.ok()) return reply.status();
  return ScriptAnswer(*reply).status();
}

absl::Status Store::CloseSession(const SessionSlot& slot, const std::string& idem_key, const std::string& fingerprint) {
  absl::Status last;
  for (int attempt = 0; attempt < 3; ++attempt) {  // the agenda may grow between the read and the script
    auto agenda = redis_.Command({"LRANGE", keys_.Agenda(slot.id), "0", "-1"});
    if (!agenda.ok()) return agenda.status();
    Argv keys = {keys_.Session(slot.id), keys_.Agenda(slot.id), keys_.Queue(), keys_.Events(),
                 keys_.Idempotency("close_session", idem_key)};
    Argv args = {std::to_string(clock_.NowMs()), slot.id, std::to_string(slot.capacity), std::to_string(slot.start_ms),
                 fingerprint, RetentionMs()};
    for (size_t i = 0; i < (*agenda)->elements; ++i) {
      std::string id = Str(agenda->get(), i);
      keys.push_back(keys_.Case(id));
      args.push_back(id);
    }
    auto reply = redis_.Eval(close_session_, keys, args);
    if (!reply.ok()) return reply.status();
    last = ScriptAnswer(*reply).status();
    if (!absl::IsAborted(last)) return last;
  }
  return last;
}

// ---- Préconisation and plan ----

absl::Status Store::Preconise(const Case& c, int64_t expected_version, const std::string& idem_key,
                              const std::string& fingerprint) {
  const Preconisation& p = c.preconisation();
  std::string parties = JoinEnums<Party>(c.plan().parties(), [](Party party) { return Party_Name(party); });
  auto reply = redis_.Eval(
      preconise_,
      {keys_.Case(c.id()), keys_.Open(), keys_.DeadlineWatch(), keys_.Session(p.session_id()), keys_.Events(),
       keys_.Idempotency("preconise", idem_key)},
      {std::to_string(clock_.NowMs()), c.id(), StoredPart(c), std::to_string(expected_version), p.session_id(),
       p.receiving_service_id(), std::to_string(c.plan().number()), fingerprint, RetentionMs(),
       "orientation", Orientation_Name(p.orientation()), "service", p.receiving_service_id(),
       "plan", std::to_string(c.plan().number()), "duration_months", std::to_string(c.plan().duration_months()),
       "parties", parties});
  if (!reply.ok()) return reply.status();
  return ScriptAnswer(*reply).status();
}

absl::Status Store::DecidePlan(const Case& c, int64_t expected_version, const Approval& answer,
                               const std::string& outcome, const std::string& idem_key, const std::string& fingerprint) {
  std::string reason = answer.reason() == PLAN_REFUSAL_REASON_UNSPECIFIED ? "" : PlanRefusalReason_Name(answer.reason());
  auto reply = redis_.Eval(
      decide_plan_,
      {keys_.Case(c.id()), keys_.Queue(), keys_.Open(), keys_.PersonCase(c.person_id()), keys_.Events(),
       keys_.Idempotency("decide_plan", idem_key)},
      {std::to_string(clock_.NowMs()), c.id(), StoredPart(c), std::to_string(expected_version),
       std::to_string(c.plan().number()), outcome, Party_Name(answer.party()), answer.approved() ? "1" : "0", reason,
       fingerprint, RetentionMs(), "orientation", Orientation_Name(c.preconisation().orientation()), "service",
       c.preconisation().receiving_service_id(), "duration_months", std::to_string(c.plan().duration_months()),
       "reference", c.plan().reference_operator()});
  if (!reply.ok()) return reply.status();
  return ScriptAnswer(*reply).status();
}

absl::StatusOr<bool> Store::AlreadyAnswered(const std::string& method, const std::string& idem_key,
                                            const std::string& fingerprint) {
  auto reply = redis_.Eval(idem_check_, {keys_.Idempotency(method, idem_key)}, {fingerprint});
  if (!reply.ok()) return reply.status();
  auto answer = ScriptAnswer(*reply);
  if (!answer.ok()) return answer.status();
  return Int(*answer, 1) == 1;
}

// ---- Priority places ----

absl::StatusOr<PriorityPool> Store::DeclarePlaces(const std::string& service_id, int places, const std::string& idem_key,
                                                  const std::string& fingerprint) {
  auto reply = redis_.Eval(declare_priority_,
                           {keys_.PriorityPool(service_id), keys_.PriorityPools(), keys_.Events(),
                            keys_.Idempotency("declare_priority", idem_key)},
                           {std::to_string(clock_.NowMs()), service_id, std::to_string(places), fingerprint, RetentionMs()});
  if (!reply.ok()) return reply.status();
  auto answer = ScriptAnswer(*reply);
  if (!answer.ok()) return answer.status();
  return PoolFrom(service_id, Int(*answer, 1), Int(*answer, 2), Int(*answer, 3));
}

absl::StatusOr<PriorityPool> Store::PriorityPlace(const std::string& op, const std::string& case_id,
                                                  const std::string& service_id, const std::string& idem_key,
                                                  const std::string& fingerprint) {
  auto reply = redis_.Eval(priority_place_,
                           {keys_.PriorityPool(service_id), keys_.Case(case_id), keys_.Events(),
                            keys_.Idempotency("priority_" + op, idem_key)},
                           {std::to_string(clock_.NowMs()), op, case_id, service_id, fingerprint, RetentionMs()});
  if (!reply.ok()) return reply.status();
  auto answer = ScriptAnswer(*reply);
  if (!answer.ok()) return answer.status();
  return PoolFrom(Str(*answer, 4), Int(*answer, 1), Int(*answer, 2), Int(*answer, 3));
}

absl::StatusOr<std::vector<PriorityPool>> Store::ListPlaces() {
  auto services = redis_.Command({"SMEMBERS", keys_.PriorityPools()});
  if (!services.ok()) return services.status();
  std::vector<std::string> ids;
  for (size_t i = 0; i < (*services)->elements; ++i) ids.push_back(Str(services->get(), i));
  std::sort(ids.begin(), ids.end());
  std::vector<Argv> reads;
  for (const auto& id : ids) reads.push_back({"HMGET", keys_.PriorityPool(id), "places", "used", "updated_ms"});
  std::vector<PriorityPool> out;
  if (reads.empty()) return out;
  auto pools = redis_.Pipeline(reads);
  if (!pools.ok()) return pools.status();
  for (size_t i = 0; i < ids.size(); ++i) {
    const redisReply* p = (*pools)[i].get();
    out.push_back(PoolFrom(ids[i], Int(p, 0), Int(p, 1), Int(p, 2)));
  }
  return out;
}

// ---- Deadlines and figures ----

absl::StatusOr<int> Store::SweepDeadlines(int max) {
  int64_t now = clock_.NowMs();
  auto due = redis_.Command({"ZRANGE", keys_.DeadlineWatch(), "-inf", "(" + std::to_string(now), "BYSCORE", "LIMIT",
                             "0", std::to_string(max)});
  if (!due.ok()) return due.status();
  int recorded = 0;
  for (size_t i = 0; i < (*due)->elements; ++i) {
    std::string id = Str(due->get(), i);
    auto reply = redis_.Eval(record_missed_, {keys_.Case(id), keys_.DeadlineWatch(), keys_.Events()},
                             {std::to_string(now), id});
    if (!reply.ok()) return reply.status();
    auto answer = ScriptAnswer(*reply);
    if (!answer.ok()) return answer.status();
    recorded += static_cast<int>(Int(*answer, 1));
  }
  return recorded;
}

absl::StatusOr<DeadlineCounts> Store::CountDeadlines() {
  int64_t now = clock_.NowMs();
  int64_t window = std::chrono::duration_cast<std::chrono::milliseconds>(options_.near_deadline).count();
  auto counts = redis_.Pipeline({{"ZCOUNT", keys_.Open(), "-inf", "(" + std::to_string(now)},
                                 {"ZCOUNT", keys_.Open(), std::to_string(now), std::to_string(now + window)}});
  if (!counts.ok()) return counts.status();
  return DeadlineCounts{static_cast<int>(ReplyInt((*counts)[0].get())), static_cast<int>(ReplyInt((*counts)[1].get()))};
}

absl::StatusOr<GetWorkshopSummaryResponse> Store::Summary() {
  GetWorkshopSummaryResponse out;
  auto cases = ListCases(CASE_STATE_UNSPECIFIED, false, {}, std::numeric_limits<int>::max());
  if (!cases.ok()) return cases.status();
  for (const auto& c : *cases) {
    switch (c.state()) {
      case CASE_STATE_INCOMPLETE: out.set_incomplete(out.incomplete() + 1); break;
      case CASE_STATE_WAITING: out.set_waiting(out.waiting() + 1); break;
      case CASE_STATE_SCHEDULED: out.set_scheduled(out.scheduled() + 1); break;
      case CASE_STATE_PRECONISED: out.set_preconised(out.preconised() + 1); break;
      case CASE_STATE_APPROVED: out.set_approved(out.approved() + 1); break;
      default: break;
    }
    if (c.deadline_outcome() == DEADLINE_OUTCOME_MET) out.set_deadlines_met(out.deadlines_met() + 1);
    if (c.deadline_outcome() == DEADLINE_OUTCOME_MISSED) out.set_deadlines_missed(out.deadlines_missed() + 1);
    out.set_plans_refused(out.plans_refused() + c.refusals());
  }
  auto deadlines = CountDeadlines();
  if (!deadlines.ok()) return deadlines.status();
  out.set_overdue(deadlines->overdue);
  out.set_near_deadline(deadlines->near);
  auto pools = ListPlaces();
  if (!pools.ok()) return pools.status();
  for (const auto& p : *pools) {
    out.set_priority_places(out.priority_places() + p.places());
    out.set_priority_places_used(out.priority_places_used() + p.used());
  }
  return out;
}

}  // namespace relais::workshop
