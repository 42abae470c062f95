#include "services/workshop/rules.h"

#include <algorithm>
#include <set>

#include "common/timestamps.h"

namespace relais::workshop {
namespace {

using namespace relais::v1;

constexpr int64_t kDayMs = 24 * 3600 * 1000LL;

absl::Status Invalid(std::string_view field, std::string_view why) {
  return absl::InvalidArgumentError(std::string(field) + ": " + std::string(why));
}
absl::Status Denied(std::string_view why) { return absl::PermissionDeniedError(std::string(why)); }

bool AnyOf(const Caller& c, std::initializer_list<Role> roles) {
  return std::any_of(roles.begin(), roles.end(), [&](Role r) { return c.Is(r); });
}

bool IsHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

int64_t Ms(const google::protobuf::Timestamp& t) { return MsFromTimestamp(t); }
bool IsSet(const google::protobuf::Timestamp& t) { return t.seconds() != 0 || t.nanos() != 0; }

bool Staff(const Caller& c) { return AnyOf(c, {Role::kWorkshop, Role::kAdmin}); }

}  // namespace

bool IsCaseId(std::string_view id) {
  return id.size() == 25 && id[0] == 'w' && std::all_of(id.begin() + 1, id.end(), IsHex);
}

bool IsServiceId(std::string_view id) {
  return id.size() >= 2 && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
         });
}

bool IsAccount(std::string_view id) {
  return !id.empty() && id.size() <= kMaxAccountLength && std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                  c == '@' || c == ':' || c == '-';
         });
}

absl::Status ValidateCaseId(std::string_view id) {
  if (id.empty()) return Invalid("case_id", "required");
  if (!IsCaseId(id)) return Invalid("case_id", "not a case id");
  return absl::OkStatus();
}

absl::Status ValidateServiceId(std::string_view field, std::string_view id) {
  if (id.empty()) return Invalid(field, "required");
  if (!IsServiceId(id)) return Invalid(field, "not a directory id");
  return absl::OkStatus();
}

absl::Status ValidateFacts(const CaseFacts& f, int64_t now_ms) {
  std::set<int> domains;
  for (int d : f.domains()) {
    if (d == DOMAIN_UNSPECIFIED || !Domain_IsValid(d)) return Invalid("facts.domains", "unknown domain");
    if (!domains.insert(d).second) return Invalid("facts.domains", "a domain is listed twice");
  }
  if (!Situation_IsValid(f.situation())) return Invalid("facts.situation", "unknown situation");
  if (!IsValidTimestamp(f.situation_since()) ||
      (IsSet(f.situation_since()) && (Ms(f.situation_since()) > now_ms || Ms(f.situation_since()) < 0))) {
    return Invalid("facts.situation_since", "a date in the past");
  }
  if (!Urgency_IsValid(f.urgency())) return Invalid("facts.urgency", "unknown urgency");
  if (!f.referent().empty() && !IsAccount(f.referent())) {
    return Invalid("facts.referent", "the referent worker's account: up to 64 of A-Z a-z 0-9 . _ @ : -");
  }
  return absl::OkStatus();
}

std::vector<std::string> Missing(const CaseFacts& f, bool direct) {
  std::vector<std::string> out;
  if (f.domains_size() == 0) out.push_back("facts.domains");
  if (f.situation() == SITUATION_UNSPECIFIED) out.push_back("facts.situation");
  if (!IsSet(f.situation_since())) out.push_back("facts.situation_since");
  if (f.urgency() == URGENCY_UNSPECIFIED) out.push_back("facts.urgency");
  if (!direct && f.referent().empty()) out.push_back("facts.referent");
  return out;
}

absl::Status ValidateRegisterCase(const RegisterCaseRequest& r, int64_t now_ms) {
  if (r.person_id().empty()) return Invalid("person_id", "required");
  if (r.person_id().size() != 25 || r.person_id()[0] != 'p' ||
      !std::all_of(r.person_id().begin() + 1, r.person_id().end(), IsHex)) {
    return Invalid("person_id", "not a person id");
  }
  if (r.direct()) {
    if (!r.sending_service_id().empty()) return Invalid("sending_service_id", "none when the orientation cell registers directly");
    if (!r.facts().referent().empty()) return Invalid("facts.referent", "a direct referral is for a person without a referent worker");
  } else if (auto s = ValidateServiceId("sending_service_id", r.sending_service_id()); !s.ok()) {
    return s;
  }
  if (!r.consent().given()) return Invalid("consent.given", "the person's consent to be discussed is required");
  if (!IsSet(r.consent().given_at()) || !IsValidTimestamp(r.consent().given_at()) || Ms(r.consent().given_at()) > now_ms) {
    return Invalid("consent.given_at", "when the person agreed: required, not in the future");
  }
  if (!r.consent().recorded_by().empty() || IsSet(r.consent().recorded_at())) {
    return Invalid("consent.recorded_by", "set by Relais (the caller's account, now)");
  }
  return ValidateFacts(r.facts(), now_ms);
}

absl::Status ValidatePreconisation(const Preconisation& p) {
  if (p.orientation() == ORIENTATION_UNSPECIFIED || !Orientation_IsValid(p.orientation())) {
    return Invalid("preconisation.orientation", "required");
  }
  bool without_service = p.orientation() == ORIENTATION_FAMILY || p.orientation() == ORIENTATION_ENTOURAGE;
  if (p.receiving_service_id().empty()) {
    if (!without_service) return Invalid("preconisation.receiving_service_id", "required for this orientation");
  } else if (!IsServiceId(p.receiving_service_id())) {
    return Invalid("preconisation.receiving_service_id", "not a directory id");
  }
  if (!p.session_id().empty() || IsSet(p.at())) return Invalid("preconisation.session_id", "set by Relais");
  return absl::OkStatus();
}

absl::Status ValidatePlan(const Plan& plan, int64_t now_ms) {
  if (plan.goals_size() == 0) return Invalid("plan.goals", "at least one");
  if (plan.goals_size() > kMaxGoals) return Invalid("plan.goals", "at most 10");
  for (const auto& g : plan.goals()) {
    if (g.domain() == DOMAIN_UNSPECIFIED || !Domain_IsValid(g.domain())) return Invalid("plan.goals.domain", "required");
    if (g.description().size() > kMaxGoalLength) return Invalid("plan.goals.description", "at most 300 bytes");
    for (unsigned char c : g.description()) {
      if (c < 0x20 && c != '\n') return Invalid("plan.goals.description", "control characters are not allowed");
    }
  }
  if (plan.duration_months() < kMinPlanMonths || plan.duration_months() > kMaxPlanMonths) {
    return Invalid("plan.duration_months", "an accompaniment plan lasts 6 to 9 months");
  }
  if (plan.reference_operator().empty()) return Invalid("plan.reference_operator", "required");
  if (!IsAccount(plan.reference_operator())) return Invalid("plan.reference_operator", "not an account");
  if (plan.review_dates_size() == 0) return Invalid("plan.review_dates", "at least one");
  if (plan.review_dates_size() > kMaxReviewDates) return Invalid("plan.review_dates", "at most 12");
  int64_t end = now_ms + plan.duration_months() * 31 * kDayMs;
  for (const auto& d : plan.review_dates()) {
    if (!IsValidTimestamp(d) || Ms(d) <= now_ms || Ms(d) > end) return Invalid("plan.review_dates", "within the plan's duration");
  }
  if (plan.number() != 0 || plan.state() != PLAN_STATE_UNSPECIFIED || plan.parties_size() > 0 ||
      plan.approvals_size() > 0 || IsSet(plan.proposed_at()) || IsSet(plan.decided_at())) {
    return Invalid("plan.state", "number, state, parties, approvals and times are set by Relais");
  }
  return absl::OkStatus();
}

absl::Status ValidateApproval(const RecordApprovalRequest& r) {
  if (auto s = ValidateCaseId(r.case_id()); !s.ok()) return s;
  if (r.plan_number() < 1) return Invalid("plan_number", "the number of the plan answered, from 1");
  if (r.party() == PARTY_UNSPECIFIED || !Party_IsValid(r.party())) return Invalid("party", "required");
  if (!PlanRefusalReason_IsValid(r.reason())) return Invalid("reason", "unknown reason");
  if (!r.approved() && r.reason() == PLAN_REFUSAL_REASON_UNSPECIFIED) return Invalid("reason", "required with a refusal");
  if (r.approved() && r.reason() != PLAN_REFUSAL_REASON_UNSPECIFIED) return Invalid("reason", "only with a refusal");
  return absl::OkStatus();
}

absl::Status ValidateMembers(const google::protobuf::RepeatedPtrField<SessionMember>& members) {
  if (members.empty()) return Invalid("members", "at least one");
  if (members.size() > kMaxMembers) return Invalid("members", "at most 30");
  std::set<std::string> seen;
  for (const auto& m : members) {
    if (auto s = ValidateServiceId("members.service_id", m.service_id()); !s.ok()) return s;
    if (m.role() == MEMBER_ROLE_UNSPECIFIED || !MemberRole_IsValid(m.role())) return Invalid("members.role", "required");
    if (!Domain_IsValid(m.expertise())) return Invalid("members.expertise", "unknown domain");
    if ((m.role() == MEMBER_ROLE_EXPERT) != (m.expertise() != DOMAIN_UNSPECIFIED)) {
      return Invalid("members.expertise", "an expert has a domain; other members none");
    }
    if (!seen.insert(m.service_id() + "/" + std::to_string(m.role())).second) {
      return Invalid("members", "a member is listed twice in the same role");
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateReorder(const ReorderAgendaRequest& r) {
  if (r.session_id().empty()) return Invalid("session_id", "required");
  if (auto s = ValidateCaseId(r.case_id()); !s.ok()) return s;
  if (r.position() < 1) return Invalid("position", "the new position, from 1");
  if (r.reason() == REORDER_REASON_UNSPECIFIED || !ReorderReason_IsValid(r.reason())) return Invalid("reason", "required");
  return absl::OkStatus();
}

absl::Status ValidateDeclarePlaces(const DeclarePriorityPlacesRequest& r) {
  if (auto s = ValidateServiceId("service_id", r.service_id()); !s.ok()) return s;
  if (r.places() < 0 || r.places() > kMaxPriorityPlaces) return Invalid("places", "0 to 1000");
  return absl::OkStatus();
}

absl::Status MayRegisterCase(const Caller& c, const RegisterCaseRequest& r) {
  if (r.direct()) {
    if (Staff(c)) return absl::OkStatus();
    return Denied("only the orientation cell registers a case directly");
  }
  if (AnyOf(c, {Role::kOperator, Role::kMedical, Role::kTeam, Role::kWorkshop, Role::kAdmin})) return absl::OkStatus();
  if (c.Is(Role::kShelter) && c.ActsForShelter(r.sending_service_id())) return absl::OkStatus();
  return Denied("a referral is registered by a partner service for itself");
}

absl::Status MayUpdateCase(const Caller& c, const Case& k) {
  if (Staff(c)) return absl::OkStatus();
  if (c.Is(Role::kShelter) && !k.sending_service_id().empty() && c.ActsForShelter(k.sending_service_id())) {
    return absl::OkStatus();
  }
  if (c.Is(Role::kNone) || c.Is(Role::kMonitoring)) return Denied("this role does not change referrals");
  if (!c.subject.empty() && c.subject == k.registered_by()) return absl::OkStatus();
  return Denied("a referral is completed by whoever registered it, or the workshop");
}

absl::Status MayReadCase(const Caller& c, const Case& k) {
  if (Staff(c)) return absl::OkStatus();
  if (c.Is(Role::kNone) || c.Is(Role::kMonitoring)) return Denied("this role sees aggregate counts only");
  if (c.Is(Role::kShelter) && ((!k.sending_service_id().empty() && c.ActsForShelter(k.sending_service_id())) ||
                               (!k.preconisation().receiving_service_id().empty() &&
                                c.ActsForShelter(k.preconisation().receiving_service_id())))) {
    return absl::OkStatus();
  }
  if (!c.subject.empty() && (c.subject == k.facts().referent() || c.subject == k.plan().reference_operator() ||
                             c.subject == k.registered_by())) {
    return absl::OkStatus();
  }
  return Denied("a case is seen by the workshop and the services and workers involved in it");
}

absl::Status MayListCases(const Caller& c) {
  if (Staff(c) || c.Is(Role::kShelter)) return absl::OkStatus();
  return Denied("cases are listed by the workshop (a shelter sees the ones it sent)");
}

absl::Status MayRunWorkshop(const Caller& c) {
  if (Staff(c)) return absl::OkStatus();
  return Denied("sessions, agendas and préconisations are the workshop's");
}

absl::Status MayRecordApproval(const Caller& c, const Case& k, Party party) {
  if (Staff(c)) return absl::OkStatus();
  if (c.Is(Role::kNone) || c.Is(Role::kMonitoring)) return Denied("this role does not answer plans");
  if (c.Is(Role::kShelter)) {
    if (party == PARTY_SENDING_SERVICE && !k.sending_service_id().empty() && c.ActsForShelter(k.sending_service_id())) {
      return absl::OkStatus();
    }
    if (party == PARTY_RECEIVING_SERVICE && !k.preconisation().receiving_service_id().empty() &&
        c.ActsForShelter(k.preconisation().receiving_service_id())) {
      return absl::OkStatus();
    }
    return Denied("a service answers a plan for itself only");
  }
  if (!c.subject.empty() && c.subject == k.facts().referent() &&
      (party == PARTY_PERSON || party == PARTY_SENDING_SERVICE)) {
    return absl::OkStatus();
  }
  return Denied("a party's answer is recorded by the workshop, the party itself or the referent worker");
}

absl::Status MayDeclarePlaces(const Caller& c, std::string_view service_id) {
  if (Staff(c)) return absl::OkStatus();
  if (c.Is(Role::kShelter) && c.ActsForShelter(service_id)) return absl::OkStatus();
  return Denied("priority places are declared by the receiving service itself");
}

absl::Status MayReleasePlace(const Caller& c, std::string_view service_id) { return MayDeclarePlaces(c, service_id); }

absl::Status MayListPlaces(const Caller& c) {
  if (AnyOf(c, {Role::kWorkshop, Role::kAdmin, Role::kOperator, Role::kShelter})) return absl::OkStatus();
  return Denied("priority places are seen by the workshop, the hotline and the services");
}

absl::Status MayReadSummary(const Caller& c) {
  if (AnyOf(c, {Role::kMonitoring, Role::kWorkshop, Role::kAdmin})) return absl::OkStatus();
  return Denied("the workshop's figures are for monitoring, the workshop and admin");
}

}  // namespace relais::workshop
