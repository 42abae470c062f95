#include "services/gateway/routes.h"

#include <set>
#include <stdexcept>

#include "relais/v1/beds.pb.h"
#include "relais/v1/dispatch.pb.h"
#include "relais/v1/gateway.pb.h"
#include "relais/v1/monitoring.pb.h"
#include "relais/v1/workshop.pb.h"
#include "services/gateway/file_answer.h"

namespace relais::gateway {
namespace {

using V = Verb;
constexpr RoleSet kHoldTakers = kOperator | kMedical | kTeam | kAdmin;
constexpr RoleSet kHoldReaders = kHoldTakers | kShelter;
// The préconisation workshop (services/workshop/rules.h says who may do what to which case). The
// orientation cell runs sessions, préconisations and plans' places; partner services refer cases and
// answer plans for their part, and the service checks that the case is theirs.
constexpr RoleSet kWorkshopCell = kWorkshop | kAdmin;
constexpr RoleSet kCasePartners = kStaff | kTeam | kShelter | kWorkshop;
// The monitoring cell's reports (services/monitoring/rules.h): aggregates, monitoring and admin only.
constexpr RoleSet kReportReaders = kMonitoring | kAdmin;

// ---- beds (proto/relais/v1/beds.proto) ----
constexpr Route kBedsRoutes[] = {
    {V::kGet, "/api/v1/shelters", "relais.v1.Beds/SearchShelters", kAnyone, false, Scope::kNone, "",
     "Search the directory (public: secret addresses withheld)", /*cached=*/true},
    {V::kPost, "/api/v1/shelters", "relais.v1.Beds/CreateShelter", kAdmin, true, Scope::kNone, "",
     "Add a service to the directory"},
    {V::kGet, "/api/v1/shelters/{shelter_id}", "relais.v1.Beds/GetShelter", kAnyone, false, Scope::kNone, "",
     "One directory entry"},
    {V::kPut, "/api/v1/shelters/{shelter.id}", "relais.v1.Beds/UpdateShelter", kAdmin | kShelter, true,
     Scope::kOwnShelter, "shelter.id", "Replace a directory entry"},
    {V::kPut, "/api/v1/shelters/{shelter_id}/pools/{public}", "relais.v1.Beds/DeclarePool", kAdmin | kShelter, true,
     Scope::kOwnShelter, "shelter_id", "Declare a pool's figures (places in service, buffer, occupied)"},
    {V::kGet, "/api/v1/shelters/{shelter_id}/holds", "relais.v1.Beds/ListHolds", kHoldReaders, false,
     Scope::kOwnShelter, "shelter_id", "Holds of a shelter"},
    {V::kPost, "/api/v1/pools/{pool_id}/confirm", "relais.v1.Beds/ConfirmPool", kAdmin | kShelter, true,
     Scope::kOwnShelter, "pool_id", "The shelter's figures are still correct"},
    {V::kPost, "/api/v1/pools/{pool_id}/departures", "relais.v1.Beds/RecordDeparture", kAdmin | kShelter, true,
     Scope::kOwnShelter, "pool_id", "A person left: one occupied place less"},
    {V::kPost, "/api/v1/holds", "relais.v1.Beds/TakeHold", kHoldTakers, true, Scope::kNone, "",
     "Hold one place of a pool for a request"},
    {V::kGet, "/api/v1/holds/{hold_id}", "relais.v1.Beds/GetHold", kHoldReaders, false, Scope::kOwnShelter, "hold_id",
     "One hold"},
    {V::kPost, "/api/v1/holds/{hold_id}/arrival", "relais.v1.Beds/ConfirmArrival", kAdmin | kShelter, true,
     Scope::kOwnShelter, "hold_id", "The person arrived: the place becomes occupied"},
    {V::kPost, "/api/v1/holds/{hold_id}/no-show", "relais.v1.Beds/ReportNoShow", kAdmin | kShelter, true,
     Scope::kOwnShelter, "hold_id", "The person did not come: the place is free again"},
    {V::kPost, "/api/v1/holds/{hold_id}/cancel", "relais.v1.Beds/CancelHold", kHoldReaders, true, Scope::kOwnShelter,
     "hold_id", "Give the place back"},
    {V::kGet, "/api/v1/availability", "relais.v1.Beds/GetAvailability", kSignedIn & ~kMonitoring, false, Scope::kNone,
     "", "The bed board: every pool with its free places", /*cached=*/true},
    {V::kGet, "/api/v1/region-summary", "relais.v1.Beds/GetRegionSummary", kSignedIn, false, Scope::kNone, "",
     "Totals per public", /*cached=*/true},
    {V::kGet, "/api/v1/crises", "relais.v1.Beds/ListCrises", kSignedIn, false, Scope::kNone, "",
     "Crises (buffer places opened)"},
    {V::kPost, "/api/v1/crises", "relais.v1.Beds/OpenBuffer", kAdmin | kShelter, true, Scope::kOwnShelter, "shelter_id",
     "Open buffer places, for one shelter or (admin) the whole region"},
    {V::kPost, "/api/v1/crises/{crisis_id}/close", "relais.v1.Beds/CloseBuffer", kAdmin | kShelter, true, Scope::kNone,
     "", "Close buffer places"},
};

// ---- dispatch (proto/relais/v1/dispatch.proto) ----
constexpr Route kDispatchRoutes[] = {
    {V::kPost, "/api/v1/calls", "relais.v1.Dispatch/OpenCall", kStaff, true, Scope::kNone, "", "A call rings"},
    {V::kGet, "/api/v1/calls", "relais.v1.Dispatch/ListCalls", kStaff, false, Scope::kNone, "",
     "Calls waiting, call-backs, or recent calls"},
    {V::kPost, "/api/v1/calls/{call_id}/answer", "relais.v1.Dispatch/AnswerCall", kStaff, true, Scope::kNone, "",
     "Answer a call"},
    {V::kPost, "/api/v1/calls/{call_id}/end", "relais.v1.Dispatch/EndCall", kStaff, true, Scope::kNone, "",
     "End a call with its outcome"},
    {V::kPost, "/api/v1/calls/{call_id}/missed", "relais.v1.Dispatch/MissCall", kStaff, true, Scope::kNone, "",
     "The caller hung up before an answer"},
    {V::kPost, "/api/v1/calls/{call_id}/call-back", "relais.v1.Dispatch/CompleteCallBack", kStaff, true, Scope::kNone,
     "", "A call-back was made (the number is deleted)"},
    {V::kPost, "/api/v1/persons", "relais.v1.Dispatch/CreatePerson", kStaff | kTeam, true, Scope::kNone, "",
     "Record a pseudonymous person"},
    {V::kGet, "/api/v1/persons/{person_id}", "relais.v1.Dispatch/GetPerson",
     kStaff | kTeam | kShelter | kWorkshop, false, Scope::kNone, "", "Read a person (purpose required, audited)"},
    {V::kPut, "/api/v1/persons/{person.id}", "relais.v1.Dispatch/UpdatePerson", kStaff | kTeam, true, Scope::kNone, "",
     "Replace a person's record"},
    {V::kPost, "/api/v1/persons/{person_id}/consent", "relais.v1.Dispatch/SetConsent", kStaff | kTeam, true,
     Scope::kNone, "", "Give or withdraw consent"},
    {V::kGet, "/api/v1/persons/{person_id}/audit", "relais.v1.Dispatch/ListPersonAudit", kAdmin, false, Scope::kNone,
     "", "Who read this person, when, why"},
    {V::kPost, "/api/v1/requests", "relais.v1.Dispatch/CreatePlaceRequest", kStaff, true, Scope::kNone, "",
     "A request for a place tonight"},
    {V::kGet, "/api/v1/requests/{request_id}", "relais.v1.Dispatch/GetPlaceRequest", kStaff, false, Scope::kNone, "",
     "One request"},
    {V::kGet, "/api/v1/requests/{request_id}/candidates", "relais.v1.Dispatch/RankCandidates", kStaff, false,
     Scope::kNone, "", "Places that fit, best first, with explanations"},
    {V::kPost, "/api/v1/requests/{request_id}/proposals", "relais.v1.Dispatch/Propose", kStaff, true, Scope::kNone, "",
     "Propose a place to the person"},
    {V::kPost, "/api/v1/proposals/{proposal_id}/accept", "relais.v1.Dispatch/AcceptProposal", kStaff, true,
     Scope::kNone, "", "The person accepts: the place is held"},
    {V::kPost, "/api/v1/proposals/{proposal_id}/refuse", "relais.v1.Dispatch/RefuseProposal", kStaff, true,
     Scope::kNone, "", "The person refuses (a right: no penalty)"},
    {V::kGet, "/api/v1/queue", "relais.v1.Dispatch/ListQueue", kStaff, false, Scope::kNone, "",
     "Requests waiting, by lane then age"},
    {V::kGet, "/api/v1/offers", "relais.v1.Dispatch/ListOffers", kStaff, false, Scope::kNone, "",
     "Free places matched to the queue"},
    {V::kPost, "/api/v1/nights/close", "relais.v1.Dispatch/CloseNight", kStaff, true, Scope::kNone, "",
     "Record the requests still waiting as unmet"},
    {V::kPost, "/api/v1/street-reports", "relais.v1.Dispatch/CreateStreetReport", kStaff, true, Scope::kNone, "",
     "Take a street report"},
    {V::kGet, "/api/v1/street-reports", "relais.v1.Dispatch/ListStreetReports", kStaff | kTeam, false, Scope::kNone,
     "", "Street reports (a team sees its own)"},
    {V::kGet, "/api/v1/street-reports/{report_id}", "relais.v1.Dispatch/GetStreetReport", kStaff | kTeam, false,
     Scope::kNone, "", "One street report"},
    {V::kPost, "/api/v1/street-reports/{report_id}/advance", "relais.v1.Dispatch/AdvanceStreetReport",
     kStaff | kTeam, true, Scope::kNone, "", "Move a report to its next state"},
    {V::kPost, "/api/v1/street-reports/{report_id}/merge", "relais.v1.Dispatch/MergeStreetReport", kStaff, true,
     Scope::kNone, "", "Close a report as the same situation as another"},
    {V::kPost, "/api/v1/pass-night", "relais.v1.Dispatch/HoldPassNight", kTeam, true, Scope::kNone, "",
     "A mobile team holds a place from the street"},
    {V::kGet, "/api/v1/pass-night/quota", "relais.v1.Dispatch/GetPassNightQuota", kStaff | kTeam, false,
     Scope::kOwnTeam, "team", "A team's pass-night quota tonight"},
    {V::kGet, "/api/v1/vulnerability-grid", "relais.v1.Dispatch/GetVulnerabilityGrid", kStaff | kWorkshop, false,
     Scope::kNone, "", "The vulnerability grid in force"},
    {V::kPut, "/api/v1/vulnerability-grid", "relais.v1.Dispatch/SetVulnerabilityGrid", kAdmin, true, Scope::kNone, "",
     "A new version of the grid"},
    {V::kPost, "/api/v1/persons/{person_id}/insertion-proposals", "relais.v1.Dispatch/ProposeInsertion",
     kStaff | kTeam, true, Scope::kNone, "", "A prevention or insertion solution proposed to a person"},
};

// ---- workshop (proto/relais/v1/workshop.proto) ----
// A session's id is its start ("2025-03-04T10:00"); "next" names the next session on the schedule.
constexpr Route kWorkshopRoutes[] = {
    {V::kPost, "/api/v1/workshop/cases", "relais.v1.Workshop/RegisterCase", kCasePartners, true, Scope::kOwnShelter,
     "sending_service_id", "Refer a person's situation to the workshop (a shelter for itself)"},
    {V::kGet, "/api/v1/workshop/cases", "relais.v1.Workshop/ListCases", kWorkshopCell | kShelter, false, Scope::kNone,
     "", "Cases by deadline, with overdue and near-deadline counts (a shelter sees the ones it sent)"},
    {V::kGet, "/api/v1/workshop/cases/{case_id}", "relais.v1.Workshop/GetCase", kCasePartners, false, Scope::kNone, "",
     "One case (the workshop, and the services and workers involved in it)"},
    {V::kPut, "/api/v1/workshop/cases/{case_id}", "relais.v1.Workshop/UpdateCase", kCasePartners, true, Scope::kNone,
     "", "Complete a referral's facts (whoever registered it, the sending shelter, the workshop)"},
    {V::kPost, "/api/v1/workshop/cases/{case_id}/preconisation", "relais.v1.Workshop/Preconise", kWorkshopCell, true,
     Scope::kNone, "", "The orientation and accompaniment plan agreed in session"},
    {V::kPost, "/api/v1/workshop/cases/{case_id}/approvals", "relais.v1.Workshop/RecordApproval", kCasePartners, true,
     Scope::kNone, "", "One party's answer to the plan (a service for itself, the referent worker)"},
    {V::kPost, "/api/v1/workshop/cases/{case_id}/priority-place", "relais.v1.Workshop/TakePriorityPlace",
     kWorkshopCell, true, Scope::kNone, "", "An approved plan takes a priority place of its receiving service"},
    {V::kPost, "/api/v1/workshop/cases/{case_id}/priority-place/release", "relais.v1.Workshop/ReleasePriorityPlace",
     kWorkshopCell | kShelter, true, Scope::kNone, "", "Give the case's priority place back (the receiving service)"},
    {V::kGet, "/api/v1/workshop/sessions/{session_id}", "relais.v1.Workshop/GetWorkshopSession", kWorkshopCell, false,
     Scope::kNone, "", "A session: agenda, invitations, members (\"next\": the next session)"},
    {V::kPut, "/api/v1/workshop/sessions/{session_id}/members", "relais.v1.Workshop/SetSessionMembers", kWorkshopCell,
     true, Scope::kNone, "", "The services and experts taking part in a session"},
    {V::kPost, "/api/v1/workshop/sessions/{session_id}/agenda", "relais.v1.Workshop/BuildAgenda", kWorkshopCell, true,
     Scope::kNone, "", "Fill the agenda from the queue, by deadline and urgency"},
    {V::kPost, "/api/v1/workshop/sessions/{session_id}/agenda/reorder", "relais.v1.Workshop/ReorderAgenda",
     kWorkshopCell, true, Scope::kNone, "", "Move a case on the agenda, with a reason"},
    {V::kPost, "/api/v1/workshop/sessions/{session_id}/close", "relais.v1.Workshop/CloseSession", kWorkshopCell, true,
     Scope::kNone, "", "Close a session: cases not examined go back to the queue"},
    {V::kGet, "/api/v1/workshop/priority-places", "relais.v1.Workshop/ListPriorityPlaces",
     kWorkshopCell | kOperator | kShelter, false, Scope::kNone, "", "Places reserved for the workshop, used and free"},
    {V::kPut, "/api/v1/workshop/priority-places/{service_id}", "relais.v1.Workshop/DeclarePriorityPlaces",
     kWorkshopCell | kShelter, true, Scope::kOwnShelter, "service_id",
     "A receiving service reserves places for the workshop"},
    {V::kGet, "/api/v1/workshop/summary", "relais.v1.Workshop/GetWorkshopSummary", kWorkshopCell | kMonitoring, false,
     Scope::kNone, "", "Aggregate counts: cases per state, deadlines, plans, priority places"},
};

// ---- monitoring (proto/relais/v1/monitoring.proto) ----
constexpr Route kMonitoringRoutes[] = {
    {V::kGet, "/api/v1/monitoring/reports/{month}", "relais.v1.Monitoring/GetMonthlyReport", kReportReaders, false,
     Scope::kNone, "", "The anonymised monthly report (month: YYYY-MM), with the month before and a year before"},
    {V::kGet, "/api/v1/monitoring/reports/{month}/export", "relais.v1.Monitoring/ExportMonthlyReport", kReportReaders,
     false, Scope::kNone, "",
     "The monthly report as a file: format=REPORT_FORMAT_JSON, REPORT_FORMAT_CSV or REPORT_FORMAT_HTML (printable)",
     /*cached=*/false, Answer::kFile},
    {V::kGet, "/api/v1/monitoring/status", "relais.v1.Monitoring/GetAggregationStatus", kReportReaders, false,
     Scope::kNone, "", "Where the counting of events stands: events counted, lag"},
};

// ---- the gateway's own routes (proto/relais/v1/gateway.proto), answered in services/gateway/auth_api.cc ----
constexpr Route kAuthRoutes[] = {
    {V::kPost, "/api/v1/auth/login", "relais.v1.Auth/Login", kAnyone, true, Scope::kNone, "",
     "Sign in: sets the session cookie, answers the CSRF token"},
    {V::kPost, "/api/v1/auth/logout", "relais.v1.Auth/Logout", kSignedIn, true, Scope::kNone, "",
     "End this session"},
    {V::kGet, "/api/v1/auth/session", "relais.v1.Auth/GetSession", kSignedIn, false, Scope::kNone, "",
     "Who is signed in, and the CSRF token"},
    {V::kGet, "/api/v1/admin/users", "relais.v1.Auth/ListUsers", kAdmin, false, Scope::kNone, "", "Accounts"},
    {V::kPost, "/api/v1/admin/users", "relais.v1.Auth/CreateUser", kAdmin, true, Scope::kNone, "", "Add an account"},
    {V::kPut, "/api/v1/admin/users/{username}", "relais.v1.Auth/UpdateUser", kAdmin, true, Scope::kNone, "",
     "Change an account's role, bindings or password (its sessions end)"},
    {V::kDelete, "/api/v1/admin/users/{username}", "relais.v1.Auth/DeleteUser", kAdmin, true, Scope::kNone, "",
     "Remove an account (its sessions end)"},
    {V::kPost, "/api/v1/admin/users/{username}/revoke-sessions", "relais.v1.Auth/RevokeSessions", kAdmin, true,
     Scope::kNone, "", "End every session of an account"},
    {V::kGet, "/api/v1/admin/api-keys", "relais.v1.Auth/ListApiKeys", kAdmin, false, Scope::kNone, "", "API keys"},
    {V::kPost, "/api/v1/admin/api-keys", "relais.v1.Auth/CreateApiKey", kAdmin, true, Scope::kNone, "",
     "Create an API key (its secret is shown once)"},
    {V::kDelete, "/api/v1/admin/api-keys/{key_id}", "relais.v1.Auth/DeleteApiKey", kAdmin, true, Scope::kNone, "",
     "Revoke an API key"},
};

const google::protobuf::FileDescriptor* BedsFile() { return relais::v1::Shelter::descriptor()->file(); }
const google::protobuf::FileDescriptor* DispatchFile() { return relais::v1::Call::descriptor()->file(); }
const google::protobuf::FileDescriptor* WorkshopFile() { return relais::v1::Case::descriptor()->file(); }
const google::protobuf::FileDescriptor* MonitoringFile() { return relais::v1::MonthlyReport::descriptor()->file(); }
const google::protobuf::FileDescriptor* GatewayFile() { return relais::v1::Account::descriptor()->file(); }

const Backend kBackends[] = {
    {"beds", "relais.v1.Beds", "127.0.0.1:50061", kBedsRoutes, &BedsFile},
    {"dispatch", "relais.v1.Dispatch", "127.0.0.1:50062", kDispatchRoutes, &DispatchFile},
    {"workshop", "relais.v1.Workshop", "127.0.0.1:50063", kWorkshopRoutes, &WorkshopFile},
    {"monitoring", "relais.v1.Monitoring", "127.0.0.1:50064", kMonitoringRoutes, &MonitoringFile},
    {"auth", "relais.v1.Auth", "", kAuthRoutes, &GatewayFile, /*local=*/true},
};

std::vector<std::string> Split(std::string_view path) {
  std::vector<std::string> out;
  size_t start = 1;  // paths start with '/'
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    out.emplace_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

bool IsParam(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

const google::protobuf::FieldDescriptor* FieldByPath(const google::protobuf::Descriptor* d, std::string_view path) {
  const google::protobuf::FieldDescriptor* f = nullptr;
  size_t start = 0;
  while (d) {
    size_t dot = path.find('.', start);
    std::string part(path.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    f = d->FindFieldByName(part);
    if (!f) return nullptr;
    if (dot == std::string_view::npos) return f;
    d = f->message_type();
    start = dot + 1;
  }
  return nullptr;
}

}  // namespace

std::vector<Role> AllRoles() {
  return {Role::kOperator, Role::kMedical, Role::kShelter, Role::kTeam, Role::kWorkshop, Role::kMonitoring,
          Role::kAdmin, Role::kNone};
}

std::string_view VerbName(Verb v) {
  switch (v) {
    case Verb::kGet: return "GET";
    case Verb::kPost: return "POST";
    case Verb::kPut: return "PUT";
    case Verb::kDelete: return "DELETE";
  }
  return "GET";
}

std::span<const Backend> AllBackends() { return kBackends; }

RouteTable::RouteTable() {
  std::set<std::string> seen;
  for (const Backend& backend : kBackends) {
    const auto* file = backend.file();
    const auto* service = file->pool()->FindServiceByName(std::string(backend.service));
    if (!service) throw std::logic_error("route table: unknown service " + std::string(backend.service));
    for (const Route& route : backend.routes) {
      std::string rpc(route.rpc);
      std::string where = std::string(VerbName(route.verb)) + " " + std::string(route.path);
      if (!seen.insert(where).second) throw std::logic_error("route table: duplicate route " + where);
      size_t slash = rpc.find('/');
      if (slash == std::string::npos || rpc.substr(0, slash) != backend.service) {
        throw std::logic_error("route table: " + where + " names a method of another service");
      }
      const auto* method = service->FindMethodByName(rpc.substr(slash + 1));
      if (!method) throw std::logic_error("route table: " + where + ": no method " + rpc);
      if (method->client_streaming() || method->server_streaming()) {
        throw std::logic_error("route table: " + where + ": streaming methods are served by /api/v1/live");
      }
      BoundRoute bound{&route, &backend, "/" + rpc, method, Split(route.path), {}};
      for (const auto& segment : bound.segments) {
        if (!IsParam(segment)) continue;
        std::string field = segment.substr(1, segment.size() - 2);
        const auto* f = FieldByPath(method->input_type(), field);
        if (!f || f->is_repeated() || f->type() == google::protobuf::FieldDescriptor::TYPE_MESSAGE) {
          throw std::logic_error("route table: " + where + ": {" + field + "} is not a scalar field of the request");
        }
        bound.path_fields.push_back(field);
      }
      if (route.scope != Scope::kNone && !FieldByPath(method->input_type(), route.scope_field)) {
        throw std::logic_error("route table: " + where + ": scope field is not in the request");
      }
      if (route.answer == Answer::kFile && !IsFileMessage(method->output_type())) {
        throw std::logic_error("route table: " + where + ": a file answer needs content, content_type and filename");
      }
      routes_.push_back(std::move(bound));
    }
  }
}

Match RouteTable::Find(Verb verb, std::string_view path) const {
  Match match;
  auto segments = Split(path);
  for (const auto& r : routes_) {
    if (r.segments.size() != segments.size()) continue;
    std::map<std::string, std::string> params;
    bool ok = true;
    for (size_t i = 0; i < segments.size() && ok; ++i) {
      if (IsParam(r.segments[i])) {
        auto decoded = PercentDecode(segments[i], false);
        if (!decoded || decoded->empty()) {
          ok = false;
        } else {
          params[r.segments[i].substr(1, r.segments[i].size() - 2)] = std::move(*decoded);
        }
      } else {
        ok = r.segments[i] == segments[i];
      }
    }
    if (!ok) continue;
    match.path_matched = true;
    match.allow += (match.allow.empty() ? "" : ", ") + std::string(VerbName(r.route->verb));
    // The first row that fits wins: rows are written so that no two fit the same request.
    if (r.route->verb == verb && !match.route) {
      match.route = &r;
      match.params = std::move(params);
    }
  }
  return match;
}

std::optional<std::string> PercentDecode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      int hi = hex(s[i + 1]), lo = hex(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      char decoded = static_cast<char>(hi * 16 + lo);
      if (decoded == '\0') return std::nullopt;
      out += decoded;
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace relais::gateway
