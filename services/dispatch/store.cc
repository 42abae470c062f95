#include "services/dispatch/store.h"

#include <ctime>
#include <map>

#include "common/idempotency.h"
#include "common/random_id.h"
#include "common/script_answer.h"
#include "common/timestamps.h"
#include "services/dispatch/grid.h"
#include "services/dispatch/replies.h"
#include "services/dispatch/scripts.h"

namespace relais::dispatch {
namespace {

using namespace relais::v1;

google::protobuf::Timestamp Ms(int64_t ms) { return TimestampFromMs(ms); }

std::string ScopeCode(const Consent& c) { return std::to_string(static_cast<int>(c.withdrawn() ? 0 : c.scope())); }
std::string ExpiryCode(const Consent& c) { return std::to_string(MsFromTimestamp(c.expires_at())); }

}  // namespace

std::vector<std::string> PersonEventFields(const Person& p) {
  std::string needs;
  for (int n : p.needs()) needs += (needs.empty() ? "" : ",") + Need_Name(static_cast<Need>(n));
  return {"age_band", AgeBand_Name(p.age_band()),
          "gender", Gender_Name(p.gender()),
          "adults", std::to_string(p.household().adults()),
          "children", std::to_string(p.household().children()),
          "needs", needs,
          "lane", Lane_Name(p.vulnerability().lane()),
          "score", std::to_string(p.vulnerability().score()),
          "grid_version", std::to_string(p.vulnerability().grid_version()),
          "consent_scope", ConsentScope_Name(p.consent().withdrawn() ? CONSENT_SCOPE_UNSPECIFIED : p.consent().scope())};
}

Store::Store(RedisPool& redis, const Clock& clock, StoreOptions options)
    : redis_(redis),
      clock_(clock),
      options_(std::move(options)),
      keys_(options_.region),
      open_call_("open_call", scripts::k_open_call_lua),
      call_step_("call_step", scripts::k_call_step_lua),
      create_person_("create_person", scripts::k_create_person_lua),
      update_person_("update_person", scripts::k_update_person_lua),
      read_person_("read_person", scripts::k_read_person_lua),
      set_grid_("set_grid", scripts::k_set_grid_lua),
      create_request_("create_request", scripts::k_create_request_lua),
      propose_("propose", scripts::k_propose_lua),
      decide_proposal_("decide_proposal", scripts::k_decide_proposal_lua),
      create_report_("create_report", scripts::k_create_report_lua),
      advance_report_("advance_report", scripts::k_advance_report_lua),
      pass_night_("pass_night", scripts::k_pass_night_lua),
      close_night_("close_night", scripts::k_close_night_lua),
      propose_insertion_("propose_insertion", scripts::k_propose_insertion_lua) {}

std::string Store::RetentionMs() const {
  return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(kIdempotencyRetention).count());
}

// ---- Calls ----

Call Store::CallFromFields(std::string id, const redisReply* r, size_t first) const {
  return dispatch::CallFromFields(std::move(id), r, first, clock_.NowMs(),
                                  std::chrono::duration_cast<std::chrono::milliseconds>(options_.call_target).count());
}

absl::StatusOr<Call> Store::OpenCall(CallerKind kind, const std::string& language, const std::string& idem_key,
                                     const std::string& request) {
  std::string id = RandomId("c");
  auto reply = redis_.Eval(open_call_,
                           {keys_.Call(id), keys_.WaitingCalls(), keys_.RecentCalls(), keys_.Events(),
                            keys_.Idempotency("open_call", idem_key)},
                           {std::to_string(clock_.NowMs()), id, CallerKind_Name(kind), language, request, RetentionMs()});
  if (!reply.ok()) return reply.status();
  auto answer = ScriptAnswer(*reply);
  if (!answer.ok()) return answer.status();
  return CallFromFields(Str(*answer, 1), *answer, 2);
}

absl::StatusOr<Call> Store::StepCall(const std::string& call_id, const CallStep& step, const std::string& idem_key,
                                     const std::string& request) {
  std::string outcome = step.outcome == CALL_OUTCOME_UNSPECIFIED ? "" : CallOutcome_Name(step.outcome);
  auto reply = redis_.Eval(call_step_,
                           {keys_.Call(call_id), keys_.WaitingCalls(), keys_.CallBacks(), keys_.Events(),
                            keys_.Idempotency("call_" + step.step, idem_key)},
                           {std::to_string(clock_.NowMs()), call_id, step.step, step.operator_subject, outcome,
                            step.contact, step.call_back_result, request, RetentionMs()});
  if (!reply.ok()) return reply.status();
  auto answer = ScriptAnswer(*reply);
  if (!answer.ok()) return answer.status();
  return CallFromFields(Str(*answer, 1), *answer, 2);
}

absl::StatusOr<ListCallsResponse> Store::ListCalls(CallList list, int limit) {
  Argv range;
  std::string end = std::to_string(limit - 1);
  switch (list) {
    case CALL_LIST_WAITING: range = {"ZRANGE", keys_.WaitingCalls(), "0", end}; break;
    case CALL_LIST_CALL_BACKS: range = {"ZRANGE", keys_.CallBacks(), "0", end}; break;
    default: range = {"ZRANGE", keys_.RecentCalls(), "0", end, "REV"}; break;
  }
  auto ids = redis_.Command(range);
  if (!ids.ok()) return ids.status();
  std::vector<Argv> reads;
  for (size_t i = 0; i < (*ids)->elements; ++i) {
    std::string id = Str(ids->get(), i);
    reads.push_back({"HMGET", keys_.Call(id), "kind", "lang", "state", "queued_ms", "answered_ms", "ended_ms", "operator",
                     "outcome", "call_back", "contact"});
  }
  ListCallsResponse out;
  out.set_target_seconds(std::chrono::duration_cast<std::chrono::seconds>(options_.call_target).count());
  if (reads.empty()) return out;
  auto fields = redis_.Pipeline(reads);
  if (!fields.ok()) return fields.status();
  for (size_t i = 0; i < fields->size(); ++i) {
    const redisReply* f = (*fields)[i].get();
    if (f->type != REDIS_REPLY_ARRAY || f->elements != 10 || ReplyIsNil(f->element[2])) continue;  // gone meanwhile
    Call c = CallFromFields(Str(ids->get(), i), f, 0);
    if (c.breaching()) out.set_breaching(out.breaching() + 1);
    *out.add_calls() = std::move(c);
  }
  return out;
}

// ---- Persons ----

absl::StatusOr<Person> Store::CreatePerson(Person person, const std::string& idem_key, const std::string& request) {
  person.set_id(RandomId("p"));
  Argv args = {std::to_string(clock_.NowMs()), person.id(), "", ScopeCode(person.consent()),
               ExpiryCode(person.consent()), request, RetentionMs()};
  Person stored = person;
  stored.clear_version();
  stored.clear_created_at();
  stored.clear_updated_at();
  args[2] = stored.SerializeAsString();
  for (auto& f : PersonEventFields(person)) args.push_back(std::move(f));
  auto reply = redis_.Eval(create_person_,
                           {keys_.Person(person.id()), keys_.Persons(), keys_.Events(),
                            keys_.Idempotency("create_person", idem_key)},
                           args);
  if (!reply.ok()) return reply.status();
  auto answer = ScriptAnswer(*reply);
  if (!answer.ok()) return answer.status();
  person.set_id(Str(*answer, 4));  // a retry answers with the id the first call drew
  person.set_version(Int(*answer, 1));
  *person.mutable_created_at() = Ms(Int(*answer, 2));
  *person.mutable_updated_at() = Ms(Int(*answer, 3));
  return person;
}

absl::StatusOr<Person> Store::ReplacePerson(Person person, int64_t expected_version, const std::string& event_type,
                                            const std::string& idem_key, const std::string& request) {
  Person stored = person;
  stored.clear_version();
  stored.clear_created_at();
  stored.clear_updated_at();
  Argv args = {std::to_string(clock_.NowMs()), person.id(), stored.SerializeAsString(),
               std::to_string(expected_version), ScopeCode(person.consent()), ExpiryCode(person.consent()), event_type,
               request, RetentionMs()};
  for (auto& f : PersonEventFields(person)) args.push_back(std::move(f));
  auto reply = redis_.Eval(update_person_,
                           {keys_.Person(person.id()), keys_.Events(), keys_.Idempotency(event_type, idem_key)}, args);
  if (!reply.ok()) return reply.status();
  auto answer = ScriptAnswer(*reply);
  if (!answer.ok()) return answer.status();
  person.set_version(Int(*answer, 1));
  *person.mutable_created_at() = Ms(Int(*answer, 2));
  *person.mutable_updated_at() = Ms(Int(*answer, 3));
  return person;
}

absl::StatusOr<Person> Store::ReadPerson(const std::string& person_id, const Reader& reader) {
  auto reply = redis_.Eval(read_person_, {keys_.Person(person_id), keys_.PersonAudit(person_id), keys_.Audit()},
                           {std::to_string(clock_.NowMs()), person_id, reader.subject, reader.role,
                            ReadPurpose_Name(reader.purpose), std::to_string(static_cast<int>(reader.scope_needed))});
  if (!reply.ok()) return reply.status();
  auto answer = ScriptAnswer(*reply);
  if (!answer.ok()) return answer.status();
  Person p;
  std::string_view pb = ReplyStr((*answer)->element[1]);
  if (!p.ParseFromArray(pb.data(), static_cast<int>(pb.size()))) return absl::InternalError("stored person unreadable");
  p.set_id(person_id);
  p.set_version(Int(*answer, 2));
  *p.mutable_created_at() = Ms(Int(*answer, 3));
  *p.mutable_updated_at() = Ms(Int(*answer, 4));
  return p;
}

absl::StatusOr<Person> Store::LoadPerson(const std::string& person_id) {
  auto reply = redis_.Command({"HMGET", keys_.Person(person_id), "pb", "version", "created_ms", "updated_ms"});
  if (!reply.ok()) return reply.status();
  if (ReplyIsNil((*reply)->element[0])) return absl::NotFoundError("person_id: no such person");
  Person p;
  std::string_view pb = ReplyStr((*reply)->element[0]);
  if (!p.ParseFromArray(pb.data(), static_cast<int>(pb.size()))) return absl::InternalError("stored person unreadable");
  p.set_id(person_id);
  p.set_version(Int(reply->get(), 1));
  *p.mutable_created_at() = Ms(Int(reply->get(), 2));
  *p.mutable_updated_at() = Ms(Int(reply->get(), 3));
  return p;
}

absl::StatusOr<std::vector<AuditEntry>> Store::PersonAudit(const std::string& person_id, int limit) {
  auto reply = redis_.Command({"XREVRANGE", keys_.PersonAudit(person_id), "+", "-", "COUNT", std::to_string(limit)});
  if (!reply.ok()) return reply.status();
  std::vector<AuditEntry> out;
  for (size_t i = 0; i < (*reply)->elements; ++i) {
    const redisReply* entry = (*reply)->element[i];
    if (entry->type != REDIS_REPLY_ARRAY || entry->elements != 2) continue;
    auto f = FieldMap(entry->element[1]);
    AuditEntry a;
    a.set_person_id(person_id);
    a.set_subject(f["subject"]);
    a.set_role(f["role"]);
    ReadPurpose purpose = READ_PURPOSE_UNSPECIFIED;
    ReadPurpose_Parse(f["purpose"], &purpose);
    a.set_purpose(purpose);
    *a.mutable_at() = Ms(ToInt(f, "at"));
    out.push_back(std::move(a));
  }
  return out;
}

// ---- Requests and proposals ----

absl::StatusOr<std::string> Store::CreateRequest(const PlaceRequest& request, Person facts, const std::string& idem_key,
                                                 const std::string& fingerprint) {
  std::string id = RandomId("r");
  facts.clear_alias();  // the request keeps categories only
  std::string publics;
  for (const auto& p : request.publics()) publics += (publics.empty() ? "" : ",") + p;
  PlaceRequest stored = request;
  stored.set_id(id);
  std::string lane = Lane_Name(request.lane());
  auto reply = redis_.Eval(create_request_,
                           {keys_.Request(id), keys_.Queue(lane), keys_.Person(request.person_id()), keys_.Events(),
                            keys_.Idempotency("create_request", idem_key)},
                           {std::to_string(clock_.NowMs()), id, stored.SerializeAsString(), facts.SerializeAsString(),
                            lane, request.person_id(), publics, fingerprint, RetentionMs()});
  if (!reply.ok()) return reply.status();
  auto answer = ScriptAnswer(*reply);
  if (!answer.ok()) return answer.status();
  return Str(*answer, 1);  // a retry answers the id the first call drew
}

absl::StatusOr<PlaceRequest> Store::GetRequest(const std::string& request_id) {
  auto reply = redis_.Command({"HMGET", keys_.Request(request_id), "pb", "lane", "state", "created_ms", "refusals",
                               "hold", "pool", "dispatched_ms"});
  if (!reply.ok()) return reply.status();
  const redisReply* f = reply->get();
  if (ReplyIsNil(f->element[0])) return absl::NotFoundError("request_id: no such request");
  PlaceRequest r;
  std::string_view pb = ReplyStr(f->element[0]);
  if (!r.ParseFromArray(pb.data(), static_cast<int>(pb.size()))) return absl::InternalError("stored request unreadable");
  Lane lane = LANE_UNSPECIFIED;
  Lane_Parse(Str(f, 1), &lane);
  r.set_lane(lane);
  bool waiting = Str(f, 2) == "waiting";
  r.set_state(waiting ? PLACE_REQUEST_STATE_WAITING : PLACE_REQUEST_STATE_DISPATCHED);
  *r.mutable_created_at() = Ms(Int(f, 3));
  r.set_refusals(static_cast<int32_t>(Int(f, 4)));
  r.set_hold_id(Str(f, 5));
  r.set_pool_id(Str(f, 6));
  if (Int(f, 7) > 0) *r.mutable_dispatched_at() = Ms(Int(f, 7));
  if (waiting) {
    auto rank = redis_.Command({"ZRANK", keys_.Queue(Lane_Name(lane)), request_id});
    if (!rank.ok()) return rank.status();
    if (!ReplyIsNil(rank->get())) r.set_queue_position(static_cast<int32_t>(ReplyInt(rank->get()) + 1));
  }
  return r;
}

absl::StatusOr<Person> Store::RequestFacts(const std::string& request_id) {
  auto reply = redis_.Command({"HGET", keys_.Request(request_id), "person_pb"});
  if (!reply.ok()) return reply.status();
  if (ReplyIsNil(reply->get())) return absl::NotFoundError("request_id: no such request");
  Person p;
  std::string_view pb = ReplyStr(reply->get());
  if (!p.ParseFromArray(pb.data(), static_cast<int>(pb.size()))) return absl::InternalError("stored facts unreadable");
  return p;
}

absl::StatusOr<std::string> Store::Propose(const std::string& request_id, const std::string& pool_id,
                                           const std::string& public_code, const std::string& idem_key,
                                           const std::string& fingerprint) {
  std::string id = RandomId("x");
  auto reply = redis_.Eval(propose_,
                           {keys_.Request(request_id), keys_.Proposal(id), keys_.Events(),
                            keys_.Idempotency("propose", idem_key)},
                           {std::to_string(clock_.NowMs()), id, request_id, pool_id, public_code, fingerprint,
                            RetentionMs()});
  if (!reply.ok()) return reply.status();
  auto answer = ScriptAnswer(*reply);
  if (!answer.ok()) return answer.status();
  return Str(*answer, 1);
}

absl::StatusOr<Proposal> Store::GetProposal(const std::string& proposal_id) {
  auto reply = redis_.Command({"HMGET", keys_.Proposal(proposal_id), "request", "pool", "state", "reason", "hold",
                               "proposed_ms", "decided_ms"});
  if (!reply.ok()) return reply.status();
  const redisReply* f = reply->get();
  if (ReplyIsNil(f->element[0])) return absl::NotFoundError("proposal_id: no such proposal");
  static const std::map<std::string, ProposalState> kStates = {{"proposed", PROPOSAL_STATE_PROPOSED},
                                                              {"accepted", PROPOSAL_STATE_ACCEPTED},
                                                              {"refused", PROPOSAL_STATE_REFUSED},
                                                              {"place_gone", PROPOSAL_STATE_PLACE_GONE}};
  Proposal p;
  p.set_id(proposal_id);
  p.set_request_id(Str(f, 0));
  p.set_pool_id(Str(f, 1));
  auto state = kStates.find(Str(f, 2));
  p.set_state(state == kStates.end() ? PROPOSAL_STATE_UNSPECIFIED : state->second);
  RefusalReason reason = REFUSAL_REASON_UNSPECIFIED;
  RefusalReason_Parse(Str(f, 3), &reason);
  p.set_refusal_reason(reason);
  p.set_hold_id(Str(f, 4));
  *p.mutable_proposed_at() = Ms(Int(f, 5));
  if (Int(f, 6) > 0) *p.mutable_decided_at() = Ms(Int(f, 6));
  return p;
}

absl::Status Store::Decide(const Proposal& proposal, Lane lane, const std::string& decision, const std::string& hold_id,
                           RefusalReason reason, const std::string& public_code, const std::string& idem_key,
                           const std::string& fingerprint) {
  std::string reason_name = reason == REFUSAL_REASON_UNSPECIFIED ? "" : RefusalReason_Name(reason);
  auto reply = redis_.Eval(decide_proposal_,
                           {keys_.Proposal(proposal.id()), keys_.Request(proposal.request_id()), keys_.Queue(Lane_Name(lane)),
                            keys_.Events(), keys_.Idempotency("decide_" + decision, idem_key)},
                           {std::to_string(clock_.NowMs()), proposal.id(), decision, hold_id, reason_name, public_code,
                            fingerprint, RetentionMs()});
  if (!reply.ok()) return reply.status();
  return ScriptAnswer(*reply).status();
}

absl::StatusOr<ListQueueResponse> Store::ListQueue(Lane lane, int limit) {
  ListQueueResponse out;
  std::vector<Lane> lanes = lane == LANE_UNSPECIFIED ? std::vector<Lane>{LANE_PRIORITY, LANE_MEDICAL, LANE_STANDARD}
                                                     : std::vector<Lane>{lane};
  std::vector<Argv> counts;
  for (Lane l : {LANE_PRIORITY, LANE_MEDICAL, LANE_STANDARD}) counts.push_back({"ZCARD", keys_.Queue(Lane_Name(l))});
  auto sizes = redis_.Pipeline(counts);
  if (!sizes.ok()) return sizes.status();
  out.set_priority(static_cast<int32_t>(ReplyInt((*sizes)[0].get())));
  out.set_medical(static_cast<int32_t>(ReplyInt((*sizes)[1].get())));
  out.set_standard(static_cast<int32_t>(ReplyInt((*sizes)[2].get())));
  for (Lane l : lanes) {
    int left = limit - out.requests_size();
    if (left <= 0) break;
    auto ids = redis_.Command({"ZRANGE", keys_.Queue(Lane_Name(l)), "0", std::to_string(left - 1)});
    if (!ids.ok()) return ids.status();
    for (size_t i = 0; i < (*ids)->elements; ++i) {
      auto r = GetRequest(Str(ids->get(), i));
      if (r.ok()) *out.add_requests() = std::move(*r);
      else if (!absl::IsNotFound(r.status())) return r.status();
    }
  }
  return out;
}

absl::StatusOr<CloseNightResponse> Store::CloseNight(const std::string& idem_key, const std::string& fingerprint) {
  int64_t now = clock_.NowMs();
  std::string night = NightOf(now);
  auto reply = redis_.Eval(close_night_,
                           {keys_.Night(night), keys_.Queue(Lane_Name(LANE_PRIORITY)), keys_.Queue(Lane_Name(LANE_MEDICAL)),
                            keys_.Queue(Lane_Name(LANE_STANDARD)), keys_.Events(), keys_.Idempotency("close_night", idem_key)},
                           {std::to_string(now), night, fingerprint, RetentionMs()});
  if (!reply.ok()) return reply.status();
  auto answer = ScriptAnswer(*reply);
  if (!answer.ok()) return answer.status();
  CloseNightResponse out;
  out.set_night(Str(*answer, 1));
  out.set_unmet(static_cast<int32_t>(Int(*answer, 2)));
  out.set_unmet_priority(static_cast<int32_t>(Int(*answer, 3)));
  out.set_unmet_medical(static_cast<int32_t>(Int(*answer, 4)));
  out.set_unmet_standard(static_cast<int32_t>(Int(*answer, 5)));
  return out;
}

// ---- Street reports ----

namespace {

CallerKind CallerKindOfReporter(ReporterKind k) {
  switch (k) {
    case REPORTER_KIND_CITIZEN: return CALLER_KIND_CITIZEN;
    case REPORTER_KIND_POLICE: return CALLER_KIND_POLICE;
    case REPORTER_KIND_PUBLIC_TRANSPORT: return CALLER_KIND_PUBLIC_TRANSPORT;
    case REPORTER_KIND_HOSPITAL: return CALLER_KIND_HOSPITAL;
    case REPORTER_KIND_SERVICE: return CALLER_KIND_PROFESSIONAL;
    case REPORTER_KIND_PERSON: return CALLER_KIND_PERSON;
    default: return CALLER_KIND_OTHER;
  }
}

}  // namespace

absl::StatusOr<std::string> Store::CreateReport(const StreetReport& report, const std::string& idem_key,
                                                const std::string& fingerprint) {
  std::string id = RandomId("s");
  StreetReport stored = report;  // the parts that never change; the rest are fields of the hash
  stored.clear_id();
  stored.clear_state();
  stored.clear_team();
  stored.clear_outcome();
  stored.clear_reporter_contact();
  std::string needs;
  for (int n : report.needs()) needs += (needs.empty() ? "" : ",") + StreetNeed_Name(static_cast<StreetNeed>(n));
  auto reply = redis_.Eval(create_report_,
                           {keys_.Report(id), keys_.RecentReports(), keys_.OpenReports(), keys_.TeamReports(report.team()),
                            keys_.CommuneOpenReports(report.commune()), keys_.Events(),
                            keys_.Idempotency("create_report", idem_key)},
                           {std::to_string(clock_.NowMs()), id, stored.SerializeAsString(), report.team(),
                            Route_Name(report.route()), report.commune(), report.reporter_contact(),
                            ReporterKind_Name(report.reporter_kind()), needs, fingerprint, RetentionMs()});
  if (!reply.ok()) return reply.status();
  auto answer = ScriptAnswer(*reply);
  if (!answer.ok()) return answer.status();
  return Str(*answer, 1);
}

absl::StatusOr<StreetReport> Store::GetReport(const std::string& report_id) {
  auto reply = redis_.Command({"HMGET", keys_.Report(report_id), "pb", "state", "team", "outcome", "contact", "created_ms",
                               "contact_ms", "closed_ms", "merged_into", "version"});
  if (!reply.ok()) return reply.status();
  const redisReply* f = reply->get();
  if (ReplyIsNil(f->element[0])) return absl::NotFoundError("report_id: no such report");
  StreetReport r;
  std::string_view pb = ReplyStr(f->element[0]);
  if (!r.ParseFromArray(pb.data(), static_cast<int>(pb.size()))) return absl::InternalError("stored report unreadable");
  r.set_id(report_id);
  StreetReportState state = STREET_REPORT_STATE_UNSPECIFIED;
  StreetReportState_Parse(Str(f, 1), &state);
  r.set_state(state);
  r.set_team(Str(f, 2));
  StreetOutcome outcome = STREET_OUTCOME_UNSPECIFIED;
  StreetOutcome_Parse(Str(f, 3), &outcome);
  r.set_outcome(outcome);
  r.set_reporter_contact(Str(f, 4));
  *r.mutable_created_at() = Ms(Int(f, 5));
  if (Int(f, 6) > 0) *r.mutable_first_contact_at() = Ms(Int(f, 6));
  if (Int(f, 7) > 0) *r.mutable_closed_at() = Ms(Int(f, 7));
  r.set_merged_into(Str(f, 8));
  r.set_version(Int(f, 9));
  return r;
}

absl::Status Store::AdvanceReport(const StreetReport& current, const ReportStep& step, const std::string& idem_key,
                                  const std::string& fingerprint) {
  std::string call_id = RandomId("c");  // used only when the reporter is to be called back
  std::string outcome = step.outcome == STREET_OUTCOME_UNSPECIFIED ? "" : StreetOutcome_Name(step.outcome);
  auto reply = redis_.Eval(advance_report_,
                           {keys_.Report(current.id()), keys_.OpenReports(), keys_.CommuneOpenReports(current.commune()),
                            keys_.TeamReports(current.team()), keys_.TeamReports(step.new_team), keys_.Events(),
                            keys_.Idempotency("advance_report", idem_key), keys_.Call(call_id), keys_.CallBacks()},
                           {std::to_string(clock_.NowMs()), current.id(), StreetReportState_Name(step.next), outcome,
                            step.new_team, current.team(), step.acting_team, step.merged_into, call_id,
                            CallerKind_Name(CallerKindOfReporter(current.reporter_kind())), fingerprint, RetentionMs()});
  if (!reply.ok()) return reply.status();
  return ScriptAnswer(*reply).status();
}

absl::StatusOr<std::vector<StreetReport>> Store::ListReports(const std::string& team, bool open_only, int limit) {
  std::string index = !team.empty() ? keys_.TeamReports(team) : (open_only ? keys_.OpenReports() : keys_.RecentReports());
  auto ids = redis_.Command({"ZRANGE", index, "0", std::to_string(limit * 4 - 1), "REV"});
  if (!ids.ok()) return ids.status();
  std::vector<StreetReport> out;
  for (size_t i = 0; i < (*ids)->elements && static_cast<int>(out.size()) < limit; ++i) {
    auto r = GetReport(Str(ids->get(), i));
    if (!r.ok()) {
      if (absl::IsNotFound(r.status())) continue;
      return r.status();
    }
    if (open_only && r->state() == STREET_REPORT_STATE_CLOSED) continue;
    out.push_back(std::move(*r));
  }
  return out;
}

absl::StatusOr<std::vector<StreetReport>> Store::OpenReportsIn(const std::string& commune, int64_t since_ms) {
  auto ids = redis_.Command({"ZRANGE", keys_.CommuneOpenReports(commune), std::to_string(since_ms), "+inf", "BYSCORE",
                             "LIMIT", "0", "50"});
  if (!ids.ok()) return ids.status();
  std::vector<StreetReport> out;
  for (size_t i = 0; i < (*ids)->elements; ++i) {
    auto r = GetReport(Str(ids->get(), i));
    if (r.ok()) out.push_back(std::move(*r));
    else if (!absl::IsNotFound(r.status())) return r.status();
  }
  return out;
}

// ---- Pass night ----

std::string Store::NightOf(int64_t ms) {
  std::time_t evening = static_cast<std::time_t>((ms - 12 * 3600 * 1000LL) / 1000);
  std::tm day{};
  gmtime_r(&evening, &day);
  char text[16];
  std::strftime(text, sizeof text, "%Y-%m-%d", &day);
  return text;
}

absl::StatusOr<Store::Reservation> Store::ReservePassNight(const std::string& team, int quota,
                                                          const std::string& pool_id, const std::string& idem_key,
                                                          const std::string& fingerprint) {
  int64_t now = clock_.NowMs();
  std::string night = NightOf(now);
  auto reply = redis_.Eval(pass_night_,
                           {keys_.PassNight(team, night), keys_.Idempotency("pass_night:" + team, idem_key), keys_.Events()},
                           {"reserve", std::to_string(quota), fingerprint, RetentionMs(), std::to_string(now), team, night,
                            pool_id});
  if (!reply.ok()) return reply.status();
  auto answer = ScriptAnswer(*reply);
  if (!answer.ok()) return answer.status();
  return Reservation{static_cast<int>(Int(*answer, 1)), Str(*answer, 2)};
}

absl::Status Store::ReleasePassNight(const std::string& team, const std::string& idem_key) {
  int64_t now = clock_.NowMs();
  std::string night = NightOf(now);
  auto reply = redis_.Eval(pass_night_,
                           {keys_.PassNight(team, night), keys_.Idempotency("pass_night:" + team, idem_key), keys_.Events()},
                           {"release", "0", "", RetentionMs(), std::to_string(now), team, night, ""});
  if (!reply.ok()) return reply.status();
  return ScriptAnswer(*reply).status();
}

absl::StatusOr<int> Store::PassNightUsed(const std::string& team) {
  auto reply = redis_.Command({"GET", keys_.PassNight(team, NightOf(clock_.NowMs()))});
  if (!reply.ok()) return reply.status();
  return static_cast<int>(ReplyInt(reply->get()));
}

// ---- Vulnerability grid ----

absl::StatusOr<VulnerabilityGrid> Store::Grid() {
  auto reply = redis_.Command({"HMGET", keys_.Grid(), "pb", "version", "set_ms"});
  if (!reply.ok()) return reply.status();
  if (ReplyIsNil((*reply)->element[0])) return DefaultGrid();
  VulnerabilityGrid g;
  std::string_view pb = ReplyStr((*reply)->element[0]);
  if (!g.ParseFromArray(pb.data(), static_cast<int>(pb.size()))) return absl::InternalError("stored grid unreadable");
  g.set_version(Int(reply->get(), 1));
  *g.mutable_set_at() = Ms(Int(reply->get(), 2));
  return g;
}

absl::StatusOr<VulnerabilityGrid> Store::SetGrid(VulnerabilityGrid grid, const std::string& idem_key,
                                                 const std::string& request) {
  grid.clear_version();
  grid.clear_set_at();
  auto reply = redis_.Eval(set_grid_, {keys_.Grid(), keys_.Events(), keys_.Idempotency("set_grid", idem_key)},
                           {std::to_string(clock_.NowMs()), grid.SerializeAsString(), request, RetentionMs()});
  if (!reply.ok()) return reply.status();
  auto answer = ScriptAnswer(*reply);
  if (!answer.ok()) return answer.status();
  grid.set_version(Int(*answer, 1));
  *grid.mutable_set_at() = Ms(Int(*answer, 2));
  return grid;
}

// ---- Insertion and prevention proposals ----

absl::StatusOr<InsertionProposal> Store::ProposeInsertion(InsertionProposal proposal, const std::string& service_kind,
                                                          const std::string& idem_key, const std::string& fingerprint) {
  std::string id = RandomId("i");
  auto reply = redis_.Eval(propose_insertion_,
                           {keys_.Person(proposal.person_id()), keys_.Insertion(id),
                            keys_.PersonInsertions(proposal.person_id()), keys_.Events(),
                            keys_.Idempotency("propose_insertion", idem_key)},
                           {std::to_string(clock_.NowMs()), id, proposal.person_id(), proposal.service_id(),
                            service_kind, SolutionKind_Name(proposal.kind()), proposal.proposed_by(), fingerprint,
                            RetentionMs()});
  if (!reply.ok()) return reply.status();
  auto answer = ScriptAnswer(*reply);
  if (!answer.ok()) return answer.status();
  proposal.set_id(Str(*answer, 1));  // a retry answers with the first call's id, time and account
  *proposal.mutable_proposed_at() = Ms(Int(*answer, 2));
  proposal.set_proposed_by(Str(*answer, 3));
  return proposal;
}

}  // namespace relais::dispatch
