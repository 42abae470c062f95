// The authorisation matrix: every endpoint of the gateway's route table × every role (and nobody signed
// in) × an object of the caller's own (its shelter, its team) or of another, sent through real HTTP to
// the real services. What is expected comes from the policy below, written from the design (who does
// what), not from the route table: a route whose roles drift from it shows up as an unexpected allow.
// "Allowed" means the answer is neither 401 nor 403 (a 409 for a state that does not allow the call
// still passed the rights). A deliberately wrong policy row proves the matrix can fail.
#include <set>

#include "tests/integration/gateway_world.h"

namespace relais::testing {
namespace {

struct Policy {
  std::set<std::string> roles;     // who may call it ("anonymous": nobody signed in)
  std::set<std::string> own_only;  // roles that may act only on their own shelter / team
};

const std::set<std::string> kEveryone = {"operator", "medical", "shelter", "team", "workshop", "monitoring", "admin",
                                         "anonymous"};
const std::set<std::string> kSignedIn = {"operator", "medical", "shelter", "team", "workshop", "monitoring", "admin"};
const std::set<std::string> kStaff = {"operator", "medical", "admin"};
const std::set<std::string> kWorkshopCell = {"workshop", "admin"};
const std::set<std::string> kCasePartners = {"operator", "medical", "shelter", "team", "workshop", "admin"};

std::map<std::string, Policy> DesignPolicy() {
  auto staff_and = [](std::initializer_list<std::string> more) {
    std::set<std::string> s = kStaff;
    s.insert(more);
    return s;
  };
  Policy shelter_own{{"admin", "shelter"}, {"shelter"}};
  return {
      // The public directory: no sign-in.
      {"relais.v1.Beds/SearchShelters", {kEveryone, {}}},
      {"relais.v1.Beds/GetShelter", {kEveryone, {}}},
      {"relais.v1.Beds/CreateShelter", {{"admin"}, {}}},
      // A shelter keeps its own entry, places and arrivals up to date; admin any.
      {"relais.v1.Beds/UpdateShelter", shelter_own},
      {"relais.v1.Beds/DeclarePool", shelter_own},
      {"relais.v1.Beds/ConfirmPool", shelter_own},
      {"relais.v1.Beds/RecordDeparture", shelter_own},
      {"relais.v1.Beds/ConfirmArrival", shelter_own},
      {"relais.v1.Beds/ReportNoShow", shelter_own},
      {"relais.v1.Beds/OpenBuffer", shelter_own},
      {"relais.v1.Beds/CloseBuffer", shelter_own},
      // Holds: taken by operators, the medical focal point and mobile teams; seen and cancelled by them
      // and by the shelter concerned.
      {"relais.v1.Beds/TakeHold", {staff_and({"team"}), {}}},
      {"relais.v1.Beds/GetHold", {staff_and({"team", "shelter"}), {"shelter"}}},
      {"relais.v1.Beds/ListHolds", {staff_and({"team", "shelter"}), {"shelter"}}},
      {"relais.v1.Beds/CancelHold", {staff_and({"team", "shelter"}), {"shelter"}}},
      // The bed board: everyone who works with places; monitoring sees aggregates only.
      {"relais.v1.Beds/GetAvailability", {staff_and({"team", "shelter", "workshop"}), {}}},
      {"relais.v1.Beds/GetRegionSummary", {kSignedIn, {}}},
      {"relais.v1.Beds/ListCrises", {kSignedIn, {}}},
      // The hotline.
      {"relais.v1.Dispatch/OpenCall", {kStaff, {}}},
      {"relais.v1.Dispatch/ListCalls", {kStaff, {}}},
      {"relais.v1.Dispatch/AnswerCall", {kStaff, {}}},
      {"relais.v1.Dispatch/EndCall", {kStaff, {}}},
      {"relais.v1.Dispatch/MissCall", {kStaff, {}}},
      {"relais.v1.Dispatch/CompleteCallBack", {kStaff, {}}},
      // Persons: recorded by the hotline and mobile teams; read by partners only with consent; audit by admin.
      {"relais.v1.Dispatch/CreatePerson", {staff_and({"team"}), {}}},
      {"relais.v1.Dispatch/UpdatePerson", {staff_and({"team"}), {}}},
      {"relais.v1.Dispatch/SetConsent", {staff_and({"team"}), {}}},
      {"relais.v1.Dispatch/GetPerson", {staff_and({"team", "shelter", "workshop"}), {}}},
      {"relais.v1.Dispatch/ListPersonAudit", {{"admin"}, {}}},
      // Dispatching.
      {"relais.v1.Dispatch/CreatePlaceRequest", {kStaff, {}}},
      {"relais.v1.Dispatch/GetPlaceRequest", {kStaff, {}}},
      {"relais.v1.Dispatch/RankCandidates", {kStaff, {}}},
      {"relais.v1.Dispatch/Propose", {kStaff, {}}},
      {"relais.v1.Dispatch/AcceptProposal", {kStaff, {}}},
      {"relais.v1.Dispatch/RefuseProposal", {kStaff, {}}},
      {"relais.v1.Dispatch/ListQueue", {kStaff, {}}},
      {"relais.v1.Dispatch/ListOffers", {kStaff, {}}},
      {"relais.v1.Dispatch/CloseNight", {kStaff, {}}},
      // Street reports: taken by the hotline, followed by the team they are routed to.
      {"relais.v1.Dispatch/CreateStreetReport", {kStaff, {}}},
      {"relais.v1.Dispatch/MergeStreetReport", {kStaff, {}}},
      {"relais.v1.Dispatch/ListStreetReports", {staff_and({"team"}), {}}},
      {"relais.v1.Dispatch/GetStreetReport", {staff_and({"team"}), {"team"}}},
      {"relais.v1.Dispatch/AdvanceStreetReport", {staff_and({"team"}), {"team"}}},
      {"relais.v1.Dispatch/HoldPassNight", {{"team"}, {}}},
      {"relais.v1.Dispatch/GetPassNightQuota", {staff_and({"team"}), {"team"}}},
      {"relais.v1.Dispatch/GetVulnerabilityGrid", {staff_and({"workshop"}), {}}},
      {"relais.v1.Dispatch/SetVulnerabilityGrid", {{"admin"}, {}}},
      // Prevention and insertion before emergency: proposed by the hotline and mobile teams.
      {"relais.v1.Dispatch/ProposeInsertion", {staff_and({"team"}), {}}},
      // The workshop: partner services refer cases (a shelter for itself) and see, complete and answer
      // the plans of cases that are theirs (they registered it, sent it, or are its referent worker); the
      // orientation cell (workshop) and admin run sessions, préconisations and priority places; a
      // receiving service reserves and gives back its own places; the hotline sees them; monitoring reads
      // the counts only.
      {"relais.v1.Workshop/RegisterCase", {kCasePartners, {"shelter"}}},
      {"relais.v1.Workshop/ListCases", {{"workshop", "admin", "shelter"}, {}}},
      {"relais.v1.Workshop/GetCase", {kCasePartners, {"operator", "medical", "shelter", "team"}}},
      {"relais.v1.Workshop/UpdateCase", {kCasePartners, {"operator", "medical", "shelter", "team"}}},
      {"relais.v1.Workshop/RecordApproval", {kCasePartners, {"operator", "medical", "shelter", "team"}}},
      {"relais.v1.Workshop/Preconise", {kWorkshopCell, {}}},
      {"relais.v1.Workshop/GetWorkshopSession", {kWorkshopCell, {}}},
      {"relais.v1.Workshop/SetSessionMembers", {kWorkshopCell, {}}},
      {"relais.v1.Workshop/BuildAgenda", {kWorkshopCell, {}}},
      {"relais.v1.Workshop/ReorderAgenda", {kWorkshopCell, {}}},
      {"relais.v1.Workshop/CloseSession", {kWorkshopCell, {}}},
      {"relais.v1.Workshop/TakePriorityPlace", {kWorkshopCell, {}}},
      {"relais.v1.Workshop/ReleasePriorityPlace", {{"workshop", "admin", "shelter"}, {"shelter"}}},
      {"relais.v1.Workshop/DeclarePriorityPlaces", {{"workshop", "admin", "shelter"}, {"shelter"}}},
      {"relais.v1.Workshop/ListPriorityPlaces", {{"workshop", "admin", "operator", "shelter"}, {}}},
      {"relais.v1.Workshop/GetWorkshopSummary", {{"workshop", "admin", "monitoring"}, {}}},
      // The monitoring cell's anonymised reports: monitoring and admin, nobody else.
      {"relais.v1.Monitoring/GetMonthlyReport", {{"monitoring", "admin"}, {}}},
      {"relais.v1.Monitoring/ExportMonthlyReport", {{"monitoring", "admin"}, {}}},
      {"relais.v1.Monitoring/GetAggregationStatus", {{"monitoring", "admin"}, {}}},
      // Sign-in and administration.
      {"relais.v1.Auth/Login", {kEveryone, {}}},
      {"relais.v1.Auth/Logout", {kSignedIn, {}}},
      {"relais.v1.Auth/GetSession", {kSignedIn, {}}},
      {"relais.v1.Auth/ListUsers", {{"admin"}, {}}},
      {"relais.v1.Auth/CreateUser", {{"admin"}, {}}},
      {"relais.v1.Auth/UpdateUser", {{"admin"}, {}}},
      {"relais.v1.Auth/DeleteUser", {{"admin"}, {}}},
      {"relais.v1.Auth/RevokeSessions", {{"admin"}, {}}},
      {"relais.v1.Auth/ListApiKeys", {{"admin"}, {}}},
      {"relais.v1.Auth/CreateApiKey", {{"admin"}, {}}},
      {"relais.v1.Auth/DeleteApiKey", {{"admin"}, {}}},
  };
}

struct Outcome {
  std::string route, role;
  bool own;
  int status;
  bool expected_allowed;
};

class AuthzMatrix : public GatewayTest {
 protected:
  void Tweak(gateway::GatewayOptions& o) override { o.auth.max_attempts_per_address = 100000; }

  std::string K() { return "\"idempotency_key\":\"" + Key() + "\""; }
  std::string Shelter(bool own) { return own ? "own-shelter" : "other-shelter"; }
  std::string FreshUser(const std::string& role = "operator") {
    std::string name = "u" + RandomId("").substr(0, 12);
    gw().AddUser(name, role);
    return name;
  }

  // The HTTP request of one route for one case; {method, target, body}.
  struct Call {
    std::string method, target, body;
  };
  // A case of the caller's own (registered by its account, sent by its shelter, it the referent
  // worker) or of another account, shelter and worker. Roles that register no case get admin's.
  struct CaseOwner {
    Caller by;
    std::string sending, referent;
  };
  CaseOwner OwnerOf(const std::string& role, bool own) {
    if (!own) return {Caller{Role::kOperator, "op-other", {}, ""}, "other-shelter", "sw-other"};
    if (role == "monitoring" || role == "anonymous") return {Admin(), "own-shelter", "sw-1"};
    std::string user;
    for (const auto& u : kUsers) {
      if (role == u[1]) user = u[0];
    }
    return {CallerOf(user), "own-shelter", user};
  }
  std::string Month() {
    time_t t = static_cast<time_t>(gw().clock().NowMs() / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[8];
    std::strftime(buf, sizeof buf, "%Y-%m", &tm);
    return buf;
  }

  Call Build(const gateway::BoundRoute& r, const std::string& role, bool own) {
    std::string rpc(r.route->rpc);
    std::string m(gateway::VerbName(r.route->verb));
    std::string sh = Shelter(own);
    if (rpc.rfind("relais.v1.Workshop/", 0) == 0 || rpc.rfind("relais.v1.Monitoring/", 0) == 0) {
      return BuildWorkshopOrMonitoring(rpc, m, role, own);
    }
    auto shelter_json = [&](const std::string& id) {
      return R"({"id":")" + id + R"(","name":"Shelter )" + id +
             R"(","organisation":"Org","kind":"SERVICE_KIND_EMERGENCY_SHELTER","commune":"ixelles","publics":["single_men","medical"]})";
    };
    if (rpc == "relais.v1.Beds/SearchShelters") return {m, "/api/v1/shelters?commune=ixelles", ""};
    if (rpc == "relais.v1.Beds/CreateShelter") {
      return {m, "/api/v1/shelters", "{\"shelter\":" + shelter_json("new-" + RandomId("").substr(0, 10)) + "," + K() + "}"};
    }
    if (rpc == "relais.v1.Beds/GetShelter") return {m, "/api/v1/shelters/" + sh, ""};
    if (rpc == "relais.v1.Beds/UpdateShelter") return {m, "/api/v1/shelters/" + sh, "{\"shelter\":" + shelter_json(sh) + "," + K() + "}"};
    if (rpc == "relais.v1.Beds/DeclarePool") {
      return {m, "/api/v1/shelters/" + sh + "/pools/single_men", R"({"figures":{"places_in_service":500,"occupied":100},)" + K() + "}"};
    }
    if (rpc == "relais.v1.Beds/ListHolds") return {m, "/api/v1/shelters/" + sh + "/holds", ""};
    if (rpc == "relais.v1.Beds/ConfirmPool") return {m, "/api/v1/pools/" + sh + ":single_men/confirm", "{" + K() + "}"};
    if (rpc == "relais.v1.Beds/RecordDeparture") return {m, "/api/v1/pools/" + sh + ":single_men/departures", "{" + K() + "}"};
    if (rpc == "relais.v1.Beds/TakeHold") {
      return {m, "/api/v1/holds", R"({"pool_id":")" + sh + R"(:single_men","request_id":"r-matrix",)" + K() + "}"};
    }
    if (rpc == "relais.v1.Beds/GetHold") return {m, "/api/v1/holds/" + NewHold(sh), ""};
    if (rpc == "relais.v1.Beds/ConfirmArrival") return {m, "/api/v1/holds/" + NewHold(sh) + "/arrival", "{" + K() + "}"};
    if (rpc == "relais.v1.Beds/ReportNoShow") return {m, "/api/v1/holds/" + NewHold(sh) + "/no-show", "{" + K() + "}"};
    if (rpc == "relais.v1.Beds/CancelHold") return {m, "/api/v1/holds/" + NewHold(sh) + "/cancel", "{" + K() + "}"};
    if (rpc == "relais.v1.Beds/GetAvailability") return {m, "/api/v1/availability?filter.public=single_men", ""};
    if (rpc == "relais.v1.Beds/GetRegionSummary") return {m, "/api/v1/region-summary", ""};
    if (rpc == "relais.v1.Beds/ListCrises") return {m, "/api/v1/crises?active_only=true", ""};
    if (rpc == "relais.v1.Beds/OpenBuffer") {
      return {m, "/api/v1/crises", R"({"shelter_id":")" + sh + R"(","reason":"CRISIS_REASON_COLD","mode":"CRISIS_MODE_12H",)" + K() + "}"};
    }
    if (rpc == "relais.v1.Beds/CloseBuffer") return {m, "/api/v1/crises/" + NewCrisis(sh) + "/close", "{" + K() + "}"};
    if (rpc == "relais.v1.Dispatch/OpenCall") {
      return {m, "/api/v1/calls", R"({"caller_kind":"CALLER_KIND_POLICE","language":"nl",)" + K() + "}"};
    }
    if (rpc == "relais.v1.Dispatch/ListCalls") return {m, "/api/v1/calls?list=CALL_LIST_WAITING&limit=10", ""};
    if (rpc == "relais.v1.Dispatch/AnswerCall") return {m, "/api/v1/calls/" + NewCall() + "/answer", "{" + K() + "}"};
    if (rpc == "relais.v1.Dispatch/EndCall") {
      return {m, "/api/v1/calls/" + NewAnsweredCall() + "/end", R"({"outcome":"CALL_OUTCOME_INFORMATION_GIVEN",)" + K() + "}"};
    }
    if (rpc == "relais.v1.Dispatch/MissCall") return {m, "/api/v1/calls/" + NewCall() + "/missed", "{" + K() + "}"};
    if (rpc == "relais.v1.Dispatch/CompleteCallBack") {
      return {m, "/api/v1/calls/" + NewCallBack() + "/call-back", R"({"reached":true,)" + K() + "}"};
    }
    if (rpc == "relais.v1.Dispatch/CreatePerson") {
      return {m, "/api/v1/persons", R"({"person":{"age_band":"AGE_BAND_18_25","household":{"adults":1}},)" + K() + "}"};
    }
    if (rpc == "relais.v1.Dispatch/GetPerson") {
      return {m, "/api/v1/persons/" + NewPerson() + "?purpose=READ_PURPOSE_DISPATCH", ""};
    }
    if (rpc == "relais.v1.Dispatch/UpdatePerson") {
      return {m, "/api/v1/persons/" + NewPerson(),
              R"({"person":{"age_band":"AGE_BAND_46_64","household":{"adults":1}},"expected_version":"1",)" + K() + "}"};
    }
    if (rpc == "relais.v1.Dispatch/SetConsent") {
      return {m, "/api/v1/persons/" + NewPerson() + "/consent", R"({"withdraw":true,)" + K() + "}"};
    }
    if (rpc == "relais.v1.Dispatch/ListPersonAudit") return {m, "/api/v1/persons/" + NewPerson() + "/audit", ""};
    if (rpc == "relais.v1.Dispatch/CreatePlaceRequest") {
      return {m, "/api/v1/requests", R"({"person_id":")" + NewPerson() + "\"," + K() + "}"};
    }
    if (rpc == "relais.v1.Dispatch/GetPlaceRequest") return {m, "/api/v1/requests/" + NewRequest(), ""};
    if (rpc == "relais.v1.Dispatch/RankCandidates") return {m, "/api/v1/requests/" + NewRequest() + "/candidates?limit=3", ""};
    if (rpc == "relais.v1.Dispatch/Propose") {
      return {m, "/api/v1/requests/" + NewRequest() + "/proposals", R"({"pool_id":"own-shelter:single_men",)" + K() + "}"};
    }
    if (rpc == "relais.v1.Dispatch/AcceptProposal") return {m, "/api/v1/proposals/" + NewProposal() + "/accept", "{" + K() + "}"};
    if (rpc == "relais.v1.Dispatch/RefuseProposal") {
      return {m, "/api/v1/proposals/" + NewProposal() + "/refuse", R"({"reason":"REFUSAL_REASON_TOO_FAR",)" + K() + "}"};
    }
    if (rpc == "relais.v1.Dispatch/ListQueue") return {m, "/api/v1/queue", ""};
    if (rpc == "relais.v1.Dispatch/ListOffers") return {m, "/api/v1/offers?limit=5", ""};
    if (rpc == "relais.v1.Dispatch/CloseNight") return {m, "/api/v1/nights/close", "{" + K() + "}"};
    if (rpc == "relais.v1.Dispatch/CreateStreetReport") {
      return {m, "/api/v1/street-reports",
              R"({"report":{"reporter_kind":"REPORTER_KIND_POLICE","commune":"etterbeek","address":"Rue )" +
                  RandomId("") + R"(","needs":["STREET_NEED_CARE"]},)" + K() + "}"};
    }
    if (rpc == "relais.v1.Dispatch/ListStreetReports") return {m, "/api/v1/street-reports?open_only=true", ""};
    if (rpc == "relais.v1.Dispatch/GetStreetReport") return {m, "/api/v1/street-reports/" + NewReport(own), ""};
    if (rpc == "relais.v1.Dispatch/AdvanceStreetReport") {
      return {m, "/api/v1/street-reports/" + NewReport(own) + "/advance", R"({"state":"STREET_REPORT_STATE_ASSIGNED",)" + K() + "}"};
    }
    if (rpc == "relais.v1.Dispatch/MergeStreetReport") {
      return {m, "/api/v1/street-reports/" + NewReport(own) + "/merge",
              R"({"into_report_id":")" + NewReport(own) + "\"," + K() + "}"};
    }
    if (rpc == "relais.v1.Dispatch/HoldPassNight") return {m, "/api/v1/pass-night", R"({"public":"single_men",)" + K() + "}"};
    if (rpc == "relais.v1.Dispatch/GetPassNightQuota") {
      return {m, std::string("/api/v1/pass-night/quota?team=") + (own ? "team-own" : "team-other"), ""};
    }
    if (rpc == "relais.v1.Dispatch/GetVulnerabilityGrid") return {m, "/api/v1/vulnerability-grid", ""};
    if (rpc == "relais.v1.Dispatch/SetVulnerabilityGrid") {
      return {m, "/api/v1/vulnerability-grid",
              R"({"grid":{"criteria":[{"need":"NEED_MEDICAL","weight":30}],"priority_threshold":30},)" + K() + "}"};
    }
    if (rpc == "relais.v1.Dispatch/ProposeInsertion") {
      return {m, "/api/v1/persons/" + NewPerson() + "/insertion-proposals",
              R"({"service_id":"insertion-home","kind":"SOLUTION_KIND_INSERTION",)" + K() + "}"};
    }
    if (rpc == "relais.v1.Auth/Login") {
      return {m, "/api/v1/auth/login", R"({"username":")" + FreshUser() + R"(","password":")" +
                                           std::string(GatewayHarness::kPassword) + "\"}"};
    }
    if (rpc == "relais.v1.Auth/Logout") return {m, "/api/v1/auth/logout", "{}"};
    if (rpc == "relais.v1.Auth/GetSession") return {m, "/api/v1/auth/session", ""};
    if (rpc == "relais.v1.Auth/ListUsers") return {m, "/api/v1/admin/users", ""};
    if (rpc == "relais.v1.Auth/CreateUser") {
      return {m, "/api/v1/admin/users", R"({"user":{"username":"n)" + RandomId("").substr(0, 10) +
                                            R"(","role":"monitoring"},"password":"a long enough password"})"};
    }
    if (rpc == "relais.v1.Auth/UpdateUser") return {m, "/api/v1/admin/users/" + FreshUser(), R"({"role":"workshop"})"};
    if (rpc == "relais.v1.Auth/DeleteUser") return {m, "/api/v1/admin/users/" + FreshUser(), ""};
    if (rpc == "relais.v1.Auth/RevokeSessions") return {m, "/api/v1/admin/users/" + FreshUser() + "/revoke-sessions", "{}"};
    if (rpc == "relais.v1.Auth/ListApiKeys") return {m, "/api/v1/admin/api-keys", ""};
    if (rpc == "relais.v1.Auth/CreateApiKey") {
      return {m, "/api/v1/admin/api-keys", R"({"key":{"name":"pms","role":"shelter","shelters":["own-shelter"]}})"};
    }
    if (rpc == "relais.v1.Auth/DeleteApiKey") {
      relais::v1::ApiKey k;
      k.set_name("to delete");
      k.set_role("monitoring");
      auto created = gw().gateway().auth().CreateApiKey(k);
      return {m, "/api/v1/admin/api-keys/" + (created.ok() ? created->key().id() : std::string("x")), ""};
    }
    ADD_FAILURE() << "the matrix has no request for " << rpc << ": add one";
    return {m, std::string(r.route->path), ""};
  }

  Call BuildWorkshopOrMonitoring(const std::string& rpc, const std::string& m, const std::string& role, bool own) {
    const std::string base = "/api/v1/workshop/cases/";
    std::string sh = Shelter(own);
    CaseOwner owner = OwnerOf(role, own);
    if (rpc == "relais.v1.Workshop/RegisterCase") {
      return {m, "/api/v1/workshop/cases",
              R"({"person_id":")" + this->cases().NewPerson() + R"(","sending_service_id":")" + sh + R"(","facts":)" +
                  this->cases().FactsJson("sw-1") + R"(,"consent":)" + this->cases().ConsentJson() + "," + K() + "}"};
    }
    if (rpc == "relais.v1.Workshop/ListCases") return {m, "/api/v1/workshop/cases?state=CASE_STATE_WAITING&limit=20", ""};
    if (rpc == "relais.v1.Workshop/GetCase") {
      return {m, base + this->cases().Registered(owner.by, owner.sending, owner.referent), ""};
    }
    if (rpc == "relais.v1.Workshop/UpdateCase") {
      std::string id = this->cases().Registered(owner.by, owner.sending, owner.referent);
      return {m, base + id,
              R"({"facts":)" + this->cases().FactsJson(owner.referent) + R"(,"expected_version":")" +
                  std::to_string(this->cases().Get(id).version()) + "\"," + K() + "}"};
    }
    if (rpc == "relais.v1.Workshop/Preconise") {
      std::string id = this->cases().Scheduled(Admin(), "own-shelter", "sw-1");
      return {m, base + id + "/preconisation",
              R"({"preconisation":{"orientation":"ORIENTATION_MAISON_ACCUEIL","receiving_service_id":"insertion-home"},)"
              R"("plan":)" + this->cases().PlanJson() + R"(,"expected_version":")" +
                  std::to_string(this->cases().Get(id).version()) + "\"," + K() + "}"};
    }
    if (rpc == "relais.v1.Workshop/RecordApproval") {
      // A service answers for itself (the sending service), a referent worker for the person.
      std::string id = this->cases().Preconised(owner.by, owner.sending, owner.referent, "insertion-home");
      std::string party = role == "shelter" ? "PARTY_SENDING_SERVICE" : "PARTY_PERSON";
      return {m, base + id + "/approvals", R"({"plan_number":1,"party":")" + party + R"(","approved":true,)" + K() + "}"};
    }
    if (rpc == "relais.v1.Workshop/TakePriorityPlace") {
      std::string id = this->cases().Approved(sh, /*with_place=*/false);
      this->cases().FreePlace(sh);
      return {m, base + id + "/priority-place", "{" + K() + "}"};
    }
    if (rpc == "relais.v1.Workshop/ReleasePriorityPlace") {
      return {m, base + this->cases().Approved(sh, /*with_place=*/true) + "/priority-place/release", "{" + K() + "}"};
    }
    if (rpc == "relais.v1.Workshop/GetWorkshopSession") return {m, "/api/v1/workshop/sessions/next", ""};
    if (rpc == "relais.v1.Workshop/SetSessionMembers") {
      return {m, "/api/v1/workshop/sessions/next/members",
              R"({"members":[{"service_id":"own-shelter","role":"MEMBER_ROLE_RECEIVING_SERVICE"}],)" + K() + "}"};
    }
    if (rpc == "relais.v1.Workshop/BuildAgenda") return {m, "/api/v1/workshop/sessions/next/agenda", "{" + K() + "}"};
    if (rpc == "relais.v1.Workshop/ReorderAgenda") {
      std::string session;
      std::string id = this->cases().Scheduled(Admin(), "own-shelter", "sw-1", &session);
      return {m, "/api/v1/workshop/sessions/" + session + "/agenda/reorder",
              R"({"case_id":")" + id + R"(","position":1,"reason":"REORDER_REASON_URGENCY",)" + K() + "}"};
    }
    if (rpc == "relais.v1.Workshop/CloseSession") {
      return {m, "/api/v1/workshop/sessions/" + this->cases().FutureSession() + "/close", "{" + K() + "}"};
    }
    if (rpc == "relais.v1.Workshop/ListPriorityPlaces") return {m, "/api/v1/workshop/priority-places", ""};
    if (rpc == "relais.v1.Workshop/DeclarePriorityPlaces") {
      return {m, "/api/v1/workshop/priority-places/" + sh, R"({"places":50,)" + K() + "}"};
    }
    if (rpc == "relais.v1.Workshop/GetWorkshopSummary") return {m, "/api/v1/workshop/summary", ""};
    if (rpc == "relais.v1.Monitoring/GetMonthlyReport") return {m, "/api/v1/monitoring/reports/" + Month(), ""};
    if (rpc == "relais.v1.Monitoring/ExportMonthlyReport") {
      return {m, "/api/v1/monitoring/reports/" + Month() + "/export?format=REPORT_FORMAT_CSV", ""};
    }
    if (rpc == "relais.v1.Monitoring/GetAggregationStatus") return {m, "/api/v1/monitoring/status", ""};
    ADD_FAILURE() << "the matrix has no request for " << rpc << ": add one";
    return {m, "/", ""};
  }

  // Runs the rows of the given routes; returns every outcome.
  std::vector<Outcome> Run(const std::map<std::string, Policy>& policy, const std::set<std::string>& only = {}) {
    std::vector<Outcome> out;
    std::map<std::string, std::string> user_of_role;
    for (const auto& u : kUsers) user_of_role[u[1]] = u[0];
    for (const auto& r : gw().gateway().routes().routes()) {
      std::string rpc(r.route->rpc);
      if (!only.empty() && !only.count(rpc)) continue;
      auto p = policy.find(rpc);
      if (p == policy.end()) {
        ADD_FAILURE() << rpc << " is in the route table but not in the policy: say who may call it";
        continue;
      }
      for (const std::string role : {"operator", "medical", "shelter", "team", "workshop", "monitoring", "admin",
                                      "anonymous"}) {
        for (bool own : {true, false}) {
          Call call = Build(r, role, own);
          HttpClient fresh(gw().port());
          HttpClient* client = &fresh;
          if (role != "anonymous") {
            // Signing out ends the session used: give that row a session of its own.
            if (rpc == "relais.v1.Auth/Logout") {
              fresh = gw().SignedIn(user_of_role[role]);
            } else {
              client = &As(user_of_role[role]);
            }
          }
          HttpResponse res = client->Send(call.method, call.target, call.body);
          bool expected = p->second.roles.count(role) && (own || !p->second.own_only.count(role));
          out.push_back({rpc, role, own, res.status, expected});
        }
      }
    }
    return out;
  }
};

TEST_F(AuthzMatrix, EveryEndpointEveryRoleOwnAndOtherMatchesTheDesign) {
  auto outcomes = Run(DesignPolicy());
  size_t routes = gw().gateway().routes().routes().size();
  ASSERT_EQ(outcomes.size(), routes * 8 * 2);
  int unexpected_allows = 0, unexpected_denies = 0;
  std::set<std::string> succeeded;  // routes answered 2xx at least once: the rows are real calls
  for (const auto& o : outcomes) {
    bool allowed = o.status != 401 && o.status != 403 && o.status != 0;
    if (allowed && !o.expected_allowed) {
      ++unexpected_allows;
      ADD_FAILURE() << "unexpected allow: " << o.role << " " << (o.own ? "own" : "other") << " " << o.route << " -> "
                    << o.status;
    }
    if (!allowed && o.expected_allowed) {
      ++unexpected_denies;
      ADD_FAILURE() << "unexpected deny: " << o.role << " " << (o.own ? "own" : "other") << " " << o.route << " -> "
                    << o.status;
    }
    if (o.status >= 200 && o.status < 300) succeeded.insert(o.route);
  }
  EXPECT_EQ(unexpected_allows, 0);
  EXPECT_EQ(unexpected_denies, 0);
  for (const auto& r : gw().gateway().routes().routes()) {
    EXPECT_TRUE(succeeded.count(std::string(r.route->rpc))) << r.route->rpc << " never succeeded for any role";
  }
  std::cout << "authorisation matrix: " << outcomes.size() << " rows, " << routes << " endpoints, unexpected allows "
            << unexpected_allows << ", unexpected denies " << unexpected_denies << "\n";
}

// Control: a policy that wrongly says operators may not read the bed board, and one that wrongly says
// a shelter may not answer a plan even for itself, must be caught.
TEST_F(AuthzMatrix, ControlAWrongPolicyRowIsCaught) {
  auto policy = DesignPolicy();
  policy["relais.v1.Beds/GetAvailability"].roles.erase("operator");
  policy["relais.v1.Workshop/RecordApproval"].roles.erase("shelter");
  auto outcomes = Run(policy, {"relais.v1.Beds/GetAvailability", "relais.v1.Workshop/RecordApproval"});
  std::vector<std::string> unexpected_allows;
  for (const auto& o : outcomes) {
    bool allowed = o.status != 401 && o.status != 403;
    if (allowed && !o.expected_allowed) unexpected_allows.push_back(o.role + (o.own ? " own " : " other ") + o.route);
  }
  EXPECT_EQ(unexpected_allows,
            (std::vector<std::string>{"operator own relais.v1.Beds/GetAvailability",
                                      "operator other relais.v1.Beds/GetAvailability",
                                      "shelter own relais.v1.Workshop/RecordApproval"}))
      << "the operator's reads, and the shelter's answer for its own case (not another's: the service refuses it)";
}

}  // namespace
}  // namespace relais::testing
