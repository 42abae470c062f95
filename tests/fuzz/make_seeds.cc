// Writes the seed corpus of every fuzz target: real requests as the gateway and the services receive
// them, and real Redis replies as the stores read them (the scripts' answer orders, the stored hashes,
// the event stream). `fuzz_seeds <folder>` writes <folder>/<target>/<name>; tests/fuzz/corpus holds
// its output, plus the regression inputs of the faults the fuzzers found.
#include <google/protobuf/util/json_util.h>
#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "relais/v1/beds.grpc.pb.h"
#include "relais/v1/dispatch.grpc.pb.h"
#include "relais/v1/monitoring.grpc.pb.h"
#include "relais/v1/workshop.grpc.pb.h"
#include "services/gateway/routes.h"
#include "services/gateway/transcode.h"
#include "tests/fuzz/reply_tree.h"

namespace {

using relais::fuzz::ReplyWriter;

std::string g_out;
int g_written = 0;

void Write(const std::string& target, const std::string& name, const std::string& bytes) {
  std::string dir = g_out + "/" + target;
  mkdir(g_out.c_str(), 0755);
  mkdir(dir.c_str(), 0755);
  std::ofstream(dir + "/" + name, std::ios::binary) << bytes;
  ++g_written;
}

// A request of a service's method, given as JSON (protobuf's mapping), for a caller of `role`.
void Call(const std::string& target, const google::protobuf::ServiceDescriptor* service, const std::string& method,
          relais::Role role, const std::string& json) {
  const auto* m = service->FindMethodByName(method);
  if (!m) {
    fprintf(stderr, "no method %s\n", method.c_str());
    exit(1);
  }
  auto message = relais::gateway::NewMessage(m->input_type());
  if (auto st = google::protobuf::util::JsonStringToMessage(json, message.get()); !st.ok()) {
    fprintf(stderr, "bad seed JSON for %s: %s\n", method.c_str(), std::string(st.message()).c_str());
    exit(1);
  }
  std::string bytes;
  bytes += static_cast<char>(m->index());
  bytes += static_cast<char>(static_cast<int>(role));
  bytes += message->SerializeAsString();
  Write(target, method + "-" + std::string(relais::RoleName(role)), bytes);
}

const char kKey[] = R"("idempotency_key":"seed-key-0001")";

void Beds() {
  const auto* s = relais::v1::TakeHoldRequest::descriptor()->file()->FindServiceByName("Beds");
  using relais::Role;
  const std::string t = "beds_requests_fuzz";
  std::string shelter = R"({"id":"ilot","name":"Ilot - Sans-abri","organisation":"Ilot","kind":"SERVICE_KIND_EMERGENCY_SHELTER",
    "commune":"saint-gilles","address":{"street":"Rue de la Victoire 114","postcode":"1060","city":"Saint-Gilles"},
    "location":{"latitude":50.8303,"longitude":4.3449},"phone":"+3225379980","languages":["fr","nl"],
    "publics":["single_men","single_women"],"conditions":{"pets_allowed":true},"opening_hours":"24/7"})";
  Call(t, s, "CreateShelter", Role::kAdmin, R"({"shelter":)" + shelter + "," + kKey + "}");
  Call(t, s, "UpdateShelter", Role::kShelter, R"({"shelter":)" + shelter + R"(,"expected_version":"3",)" + kKey + "}");
  Call(t, s, "GetShelter", Role::kNone, R"({"shelter_id":"ilot"})");
  Call(t, s, "SearchShelters", Role::kNone, R"({"commune":"saint-gilles","public":"single_men","language":"fr","text":"ilot"})");
  Call(t, s, "DeclarePool", Role::kShelter,
       R"({"shelter_id":"ilot","public":"single_men","figures":{"places_in_service":30,"buffer_places":5,"occupied":12},)" +
           std::string(kKey) + "}");
  Call(t, s, "ConfirmPool", Role::kShelter, R"({"pool_id":"ilot:single_men",)" + std::string(kKey) + "}");
  Call(t, s, "RecordDeparture", Role::kAdmin, R"({"pool_id":"ilot:single_men",)" + std::string(kKey) + "}");
  Call(t, s, "TakeHold", Role::kOperator,
       R"({"pool_id":"ilot:single_men","request_id":"r0123456789abcdef01234567","kind":"HOLD_KIND_STANDARD",)" +
           std::string(kKey) + "}");
  Call(t, s, "TakeHold", Role::kTeam, R"({"pool_id":"ilot:single_men","request_id":"pass-night-maraude","kind":"HOLD_KIND_PASS_NIGHT",)" +
                                           std::string(kKey) + "}");
  std::string hold = R"("hold_id":"ilot:single_men:h0123456789abcdef01234567")";
  Call(t, s, "ConfirmArrival", Role::kShelter, "{" + hold + "," + kKey + "}");
  Call(t, s, "ReportNoShow", Role::kShelter, "{" + hold + "," + kKey + "}");
  Call(t, s, "CancelHold", Role::kOperator, "{" + hold + "," + kKey + "}");
  Call(t, s, "GetHold", Role::kShelter, "{" + hold + "}");
  Call(t, s, "ListHolds", Role::kShelter, R"({"shelter_id":"ilot","live_only":true})");
  Call(t, s, "GetAvailability", Role::kOperator,
       R"({"filter":{"public":"families","commune":"ixelles","only_with_free":true,"required_conditions":{"pets_allowed":true}}})");
  Call(t, s, "GetRegionSummary", Role::kMonitoring, "{}");
  Call(t, s, "OpenBuffer", Role::kAdmin, R"({"reason":"CRISIS_REASON_COLD","mode":"CRISIS_MODE_24H",)" + std::string(kKey) + "}");
  Call(t, s, "CloseBuffer", Role::kAdmin, R"({"crisis_id":"k0123456789abcdef01234567",)" + std::string(kKey) + "}");
  Call(t, s, "ListCrises", Role::kOperator, R"({"active_only":true})");
  Call(t, s, "WatchAvailability", Role::kOperator, R"({"filter":{"public":"single_men"},"after_event_id":"1764000000000-0"})");
}

void Dispatch() {
  const auto* s = relais::v1::OpenCallRequest::descriptor()->file()->FindServiceByName("Dispatch");
  using relais::Role;
  const std::string t = "dispatch_requests_fuzz";
  const std::string k = kKey;
  std::string call = R"("call_id":"c0123456789abcdef01234567")";
  std::string person = R"({"alias":"Jo","age_band":"AGE_BAND_26_45","gender":"GENDER_MAN","household":{"adults":1,"children":2},
    "languages":["fr","ar"],"needs":["NEED_PET","NEED_MEDICAL"],"consent":{"scope":"CONSENT_SCOPE_DISPATCH","expires_at":"2026-01-31T00:00:00Z"}})";
  Call(t, s, "OpenCall", Role::kOperator, R"({"caller_kind":"CALLER_KIND_POLICE","language":"nl",)" + k + "}");
  Call(t, s, "AnswerCall", Role::kOperator, "{" + call + "," + k + "}");
  Call(t, s, "EndCall", Role::kOperator, "{" + call + R"(,"outcome":"CALL_OUTCOME_CALL_BACK_NEEDED","call_back_contact":"+32470123456",)" + k + "}");
  Call(t, s, "MissCall", Role::kOperator, "{" + call + R"(,"call_back_contact":"+32470123456",)" + k + "}");
  Call(t, s, "CompleteCallBack", Role::kOperator, "{" + call + R"(,"reached":true,)" + k + "}");
  Call(t, s, "ListCalls", Role::kOperator, R"({"list":"CALL_LIST_WAITING","limit":20})");
  Call(t, s, "CreatePerson", Role::kOperator, R"({"person":)" + person + "," + k + "}");
  Call(t, s, "UpdatePerson", Role::kMedical,
       R"({"person":{"id":"p0123456789abcdef01234567","age_band":"AGE_BAND_MINOR","gender":"GENDER_WOMAN","household":{"adults":1}},"expected_version":"2",)" + k + "}");
  Call(t, s, "GetPerson", Role::kShelter, R"({"person_id":"p0123456789abcdef01234567","purpose":"READ_PURPOSE_DISPATCH"})");
  Call(t, s, "SetConsent", Role::kOperator,
       R"({"person_id":"p0123456789abcdef01234567","scope":"CONSENT_SCOPE_ORIENTATION","expires_at":"2026-03-01T00:00:00Z",)" + k + "}");
  Call(t, s, "ListPersonAudit", Role::kAdmin, R"({"person_id":"p0123456789abcdef01234567","limit":50})");
  Call(t, s, "CreatePlaceRequest", Role::kOperator,
       R"({"person_id":"p0123456789abcdef01234567","preferred_communes":["ixelles","saint-gilles"],"preferred_shelter_id":"ilot",)" + k + "}");
  Call(t, s, "GetPlaceRequest", Role::kOperator, R"({"request_id":"r0123456789abcdef01234567"})");
  Call(t, s, "RankCandidates", Role::kOperator, R"({"request_id":"r0123456789abcdef01234567","limit":5})");
  Call(t, s, "Propose", Role::kOperator, R"({"request_id":"r0123456789abcdef01234567","pool_id":"ilot:single_men",)" + k + "}");
  Call(t, s, "AcceptProposal", Role::kOperator, R"({"proposal_id":"x0123456789abcdef01234567",)" + k + "}");
  Call(t, s, "RefuseProposal", Role::kOperator,
       R"({"proposal_id":"x0123456789abcdef01234567","reason":"REFUSAL_REASON_TOO_FAR",)" + k + "}");
  Call(t, s, "ListQueue", Role::kMedical, R"({"lane":"LANE_MEDICAL","limit":10})");
  Call(t, s, "ListOffers", Role::kOperator, R"({"limit":5})");
  Call(t, s, "CloseNight", Role::kOperator, "{" + k + "}");
  Call(t, s, "CreateStreetReport", Role::kOperator,
       R"({"report":{"reporter_kind":"REPORTER_KIND_CITIZEN","commune":"bruxelles","address":"Gare du Midi, sortie Fonsny",
          "location":{"latitude":50.8358,"longitude":4.3356},"spot_description":"under the bridge","seen":["OBSERVATION_SLEEPING_OUTSIDE"],
          "needs":["STREET_NEED_CARE"],"reporter_wants_outcome":true,"reporter_contact":"+32470123456"},)" + k + "}");
  Call(t, s, "GetStreetReport", Role::kTeam, R"({"report_id":"s0123456789abcdef01234567"})");
  Call(t, s, "AdvanceStreetReport", Role::kTeam,
       R"({"report_id":"s0123456789abcdef01234567","state":"STREET_REPORT_STATE_CLOSED","outcome":"STREET_OUTCOME_TRANSPORTED_TO_SHELTER",)" + k + "}");
  Call(t, s, "MergeStreetReport", Role::kOperator,
       R"({"report_id":"s0123456789abcdef01234567","into_report_id":"s0123456789abcdef0123456f",)" + k + "}");
  Call(t, s, "ListStreetReports", Role::kTeam, R"({"open_only":true,"limit":50})");
  Call(t, s, "HoldPassNight", Role::kTeam, R"({"public":"single_men","preferred_communes":["bruxelles"],)" + k + "}");
  Call(t, s, "GetPassNightQuota", Role::kTeam, R"({"team":"maraude-samusocial"})");
  Call(t, s, "GetVulnerabilityGrid", Role::kOperator, "{}");
  Call(t, s, "SetVulnerabilityGrid", Role::kAdmin,
       R"({"grid":{"criteria":[{"need":"NEED_MEDICAL","weight":40},{"age_band":"AGE_BAND_MINOR","weight":60},
          {"with_children":true,"weight":20}],"priority_threshold":50},)" + k + "}");
  Call(t, s, "ProposeInsertion", Role::kTeam,
       R"({"person_id":"p0123456789abcdef01234567","service_id":"cpas-saint-gilles","kind":"SOLUTION_KIND_PREVENTION",)" + k + "}");
}

void Workshop() {
  const auto* s = relais::v1::RegisterCaseRequest::descriptor()->file()->FindServiceByName("Workshop");
  using relais::Role;
  const std::string t = "workshop_requests_fuzz";
  const std::string k = kKey;
  std::string facts = R"({"domains":["DOMAIN_MENTAL_HEALTH","DOMAIN_HOUSING"],"situation":"SITUATION_STREET",
    "situation_since":"2025-06-01T00:00:00Z","urgency":"URGENCY_HIGH","referent":"worker.ilot"})";
  std::string kase = R"("case_id":"w0123456789abcdef01234567")";
  Call(t, s, "RegisterCase", Role::kShelter,
       R"({"person_id":"p0123456789abcdef01234567","sending_service_id":"ilot","facts":)" + facts +
           R"(,"consent":{"given":true,"given_at":"2025-11-20T10:00:00Z"},)" + k + "}");
  Call(t, s, "UpdateCase", Role::kWorkshop, "{" + kase + R"(,"facts":)" + facts + R"(,"expected_version":"1",)" + k + "}");
  Call(t, s, "GetCase", Role::kShelter, "{" + kase + "}");
  Call(t, s, "ListCases", Role::kWorkshop, R"({"state":"CASE_STATE_WAITING","overdue_only":true,"limit":20})");
  Call(t, s, "GetWorkshopSession", Role::kWorkshop, R"({"session_id":"2025-11-25T10:00"})");
  Call(t, s, "SetSessionMembers", Role::kWorkshop,
       R"({"session_id":"2025-11-28T14:00","members":[{"service_id":"ilot","role":"MEMBER_ROLE_SENDING_SERVICE"},
          {"service_id":"sampa","role":"MEMBER_ROLE_EXPERT","expertise":"DOMAIN_ADDICTION"}],)" + k + "}");
  Call(t, s, "BuildAgenda", Role::kWorkshop, R"({"session_id":"",)" + k + "}");
  Call(t, s, "ReorderAgenda", Role::kWorkshop,
       R"({"session_id":"2025-11-25T10:00",)" + kase + R"(,"position":1,"reason":"REORDER_REASON_URGENCY",)" + k + "}");
  Call(t, s, "CloseSession", Role::kWorkshop, R"({"session_id":"2025-11-25T10:00",)" + k + "}");
  Call(t, s, "Preconise", Role::kWorkshop,
       "{" + kase + R"(,"preconisation":{"orientation":"ORIENTATION_HOUSING_FIRST","receiving_service_id":"infirmiers-de-rue"},
          "plan":{"goals":[{"domain":"DOMAIN_HOUSING","description":"find a flat"}],"duration_months":6,
          "reference_operator":"operator.anna","review_dates":["2026-01-15T00:00:00Z","2026-03-15T00:00:00Z"]},
          "expected_version":"4",)" + k + "}");
  Call(t, s, "RecordApproval", Role::kShelter,
       "{" + kase + R"(,"plan_number":1,"party":"PARTY_RECEIVING_SERVICE","approved":false,"reason":"PLAN_REFUSAL_REASON_ORIENTATION_NOT_WANTED",)" + k + "}");
  Call(t, s, "DeclarePriorityPlaces", Role::kShelter, R"({"service_id":"ilot","places":3,)" + k + "}");
  Call(t, s, "TakePriorityPlace", Role::kWorkshop, "{" + kase + "," + k + "}");
  Call(t, s, "ReleasePriorityPlace", Role::kShelter, "{" + kase + "," + k + "}");
  Call(t, s, "ListPriorityPlaces", Role::kWorkshop, "{}");
  Call(t, s, "GetWorkshopSummary", Role::kMonitoring, "{}");
}

void Monitoring() {
  const auto* s = relais::v1::GetMonthlyReportRequest::descriptor()->file()->FindServiceByName("Monitoring");
  using relais::Role;
  const std::string t = "monitoring_requests_fuzz";
  Call(t, s, "GetMonthlyReport", Role::kMonitoring, R"({"month":"2025-10"})");
  Call(t, s, "ExportMonthlyReport", Role::kAdmin, R"({"month":"2025-02","format":"REPORT_FORMAT_CSV"})");
  Call(t, s, "GetAggregationStatus", Role::kMonitoring, "{}");
}

void GatewayRoutes() {
  const std::string t = "gateway_routes_fuzz";
  const std::string cookie = "cookie: theme=dark; relais_session=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZg\n";
  const std::vector<std::pair<std::string, std::string>> requests = {
      {"availability", "GET /api/v1/availability?filter.public=single_men&filter.only_with_free=true&filter.commune=saint-gilles\n" + cookie + "\n"},
      {"calls", "GET /api/v1/calls?list=CALL_LIST_WAITING&limit=20\nauthorization: Bearer rk_k0123_secretsecretsecret\n\n"},
      {"shelters", "GET /api/v1/shelters?commune=ixelles&public=families&text=maison+d%27accueil\n\n"},
      {"person", "GET /api/v1/persons/p0123456789abcdef01234567?purpose=READ_PURPOSE_DISPATCH\n" + cookie + "\n"},
      {"hold", "POST /api/v1/holds\ncontent-type: application/json\nidempotency-key: take-0001\nx-csrf-token: abc\n" + cookie +
                   "\n{\"pool_id\":\"ilot:single_men\",\"request_id\":\"r0123456789abcdef01234567\"}"},
      {"arrival", "POST /api/v1/holds/ilot%3Asingle_men%3Ah0123456789abcdef01234567/arrival\nidempotency-key: arrive-0001\n" + cookie + "\n"},
      {"pool", "PUT /api/v1/shelters/ilot/pools/single_men\ncontent-type: application/json\n\n{\"figures\":{\"places_in_service\":30},\"idempotency_key\":\"declare-0001\"}"},
      {"user", "DELETE /api/v1/admin/users/alice\norigin: http://127.0.0.1:8080\nhost: 127.0.0.1:8080\n" + cookie + "\n"},
      {"nested", "PUT /api/v1/shelters/ilot\ncontent-type: application/json\n\n{\"shelter\":{\"id\":\"other\",\"name\":\"x\"}}"},
      {"repeated", "GET /api/v1/availability?filter.public=a&filter.public=b\n\n"},
      {"bad-percent", "GET /api/v1/holds/%zz\n\n"},
      {"nul", "GET /api/v1/holds/%00\n\n"},
      {"page", "GET /index.html\n\n"},
      {"traversal", "GET /../secret.txt\n\n"},
      {"traversal-encoded", "GET /%2e%2e/secret.txt\n\n"},
      {"traversal-sibling", "GET /../web.txt\n\n"},
      {"live", "GET /api/v1/live?topics=beds,calls\nupgrade: websocket\nconnection: Upgrade\n" + cookie + "\n"},
      {"method", "PATCH /api/v1/shelters\n\n"},
  };
  for (const auto& [name, text] : requests) Write(t, name, text);
}

// Bodies (JSON) of routes that take one: the first byte picks the route as the target does.
void GatewayJson() {
  static const relais::gateway::RouteTable table;
  std::vector<const relais::gateway::BoundRoute*> with_body;
  for (const auto& r : table.routes()) {
    if (r.route->verb != relais::gateway::Verb::kGet) with_body.push_back(&r);
  }
  auto body = [&](const std::string& name, std::string_view rpc, const std::string& json) {
    for (size_t i = 0; i < with_body.size(); ++i) {
      if (with_body[i]->route->rpc == rpc) {
        Write("gateway_json_fuzz", name, std::string(1, static_cast<char>(i)) + json);
        return;
      }
    }
    fprintf(stderr, "no route with a body for %s\n", std::string(rpc).c_str());
    exit(1);
  };
  body("take-hold", "relais.v1.Beds/TakeHold",
       R"({"pool_id":"ilot:single_men","request_id":"r0123456789abcdef01234567","kind":"HOLD_KIND_MEDICAL","idempotency_key":"take-0001"})");
  body("create-shelter", "relais.v1.Beds/CreateShelter",
       R"({"shelter":{"id":"ilot","name":"Ilot","kind":"SERVICE_KIND_EMERGENCY_SHELTER","commune":"saint-gilles","languages":["fr"],
          "publics":["single_men"],"location":{"latitude":50.83,"longitude":4.34},"updated_at":"2025-11-24T10:00:00Z","version":"3"},
          "idempotency_key":"create-0001"})");
  body("person", "relais.v1.Dispatch/CreatePerson",
       R"({"person":{"age_band":"AGE_BAND_26_45","household":{"adults":1,"children":0},"needs":["NEED_PET"]},"idempotency_key":"person-0001"})");
  body("report", "relais.v1.Dispatch/CreateStreetReport",
       R"({"report":{"reporter_kind":"REPORTER_KIND_POLICE","commune":"bruxelles","address":"Mont des Arts","needs":["STREET_NEED_TRANSPORT_TO_SHELTER"]},
          "idempotency_key":"report-0001"})");
  body("login", "relais.v1.Auth/Login", R"({"username":"demo-operator","password":"correct horse battery staple"})");
  body("unknown-field", "relais.v1.Beds/TakeHold", R"({"pool_id":"ilot:single_men","surprise":1})");
  body("wrong-type", "relais.v1.Beds/TakeHold", R"({"pool_id":["ilot:single_men"]})");
  body("int64-text", "relais.v1.Beds/UpdateShelter", R"({"shelter":{"id":"ilot"},"expected_version":"9223372036854775807"})");
  body("deep", "relais.v1.Beds/CreateShelter", std::string(20, '[') + std::string(20, ']'));
  body("escapes", "relais.v1.Beds/CreateShelter", R"({"shelter":{"name":"\u00c9\"quote\"\\ \ud83c\udfe0"}})");
  body("negative", "relais.v1.Beds/DeclarePool", R"({"figures":{"places_in_service":-1,"occupied":-2147483648}})");
  body("nan", "relais.v1.Beds/CreateShelter", R"({"shelter":{"location":{"latitude":"NaN","longitude":"Infinity"}}})");
}

void LiveMessages() {
  const std::string t = "live_message_fuzz";
  auto msg = [&](const std::string& name, relais::Role role, const std::string& text) {
    Write(t, name, std::string(1, static_cast<char>(static_cast<int>(role))) + text);
  };
  msg("subscribe", relais::Role::kOperator, R"({"type":"subscribe","topics":["beds","calls","queue"]})");
  msg("subscribe-refused", relais::Role::kShelter, R"({"type":"subscribe","topics":["beds","calls","nonsense"]})");
  msg("unsubscribe", relais::Role::kTeam, R"({"type":"unsubscribe","topics":["reports"]})");
  msg("ping", relais::Role::kMonitoring, R"({"type":"ping"})");
  msg("query", relais::Role::kAdmin, "topics=beds%2Csummary,workshop&x=1");
  msg("unknown-type", relais::Role::kWorkshop, R"({"type":"shout"})");
  msg("too-many", relais::Role::kAdmin, R"({"type":"subscribe","topics":["a","b","c","d","e","f","g","h","i","j","k","l","m","n","o","p","q"]})");
}

void Replies() {
  const std::string t = "redis_replies_fuzz";
  auto reply = [&](const std::string& name, char mapping, const ReplyWriter& w) {
    Write(t, name, std::string(1, mapping) + w.bytes());
  };
  // take_hold.lua: {1, pool (8), hold (7)}.
  ReplyWriter taken;
  taken.Array(16).Int(1).Int(30).Int(5).Int(0).Int(12).Int(1).Int(17).Int(1764000000000).Int(4);
  taken.Str("ilot:single_men:h0123456789abcdef01234567").Str("held").Int(1764000000000).Int(1764005400000).Int(0)
      .Str("r0123456789abcdef01234567").Str("standard");
  reply("take-hold-answer", 0, taken);
  ReplyWriter refused;
  refused.Array(3).Int(0).Str("FAILED_PRECONDITION").Str("pool_id: no free place left");
  reply("refusal", 0, refused);
  ReplyWriter crisis;
  crisis.Array(7).Int(1).Str("k0123456789abcdef01234567").Str("").Str("CRISIS_REASON_COLD").Str("CRISIS_MODE_24H")
      .Int(1764000000000).Int(0);
  reply("open-buffer-answer", 0, crisis);
  ReplyWriter shelter;
  relais::v1::Shelter s;
  s.set_id("ilot");
  s.set_name("Ilot");
  s.set_commune("saint-gilles");
  s.add_publics("single_men");
  shelter.Array(3).Str(s.SerializeAsString()).Str("3").Str("1764000000000");
  reply("shelter-hmget", 1, shelter);
  ReplyWriter hold;
  hold.Strs({"pool", "ilot:single_men", "request", "r0123456789abcdef01234567", "kind", "medical", "state", "arrived",
             "created_ms", "1764000000000", "deadline_ms", "1764007200000", "ended_ms", "1764003000000"});
  reply("hold-hgetall", 1, hold);
  ReplyWriter no_pool;
  no_pool.Strs({"request", "r0123456789abcdef01234567", "state", "held"});
  reply("hold-without-pool", 1, no_pool);
  ReplyWriter call;
  call.Strs({"CALLER_KIND_POLICE", "nl", "answered", "1764000000000", "1764000300000", "", "operator.anna", "", "", ""});
  reply("call-hmget", 1, call);
  relais::v1::Case c;
  c.set_person_id("p0123456789abcdef01234567");
  c.mutable_facts()->add_domains(relais::v1::DOMAIN_HOUSING);
  ReplyWriter kase;
  kase.Strs({c.SerializeAsString(), "incomplete", "", "2", "1764000000000", "1764604800000", "open", "0", ""});
  reply("case-hmget", 1, kase);
  // The event stream: XRANGE entries and an XREAD answer.
  auto event = [](ReplyWriter& w, const std::string& id, const std::vector<std::string>& fields) {
    w.Array(2).Str(id).Strs(fields);
  };
  std::vector<std::string> hold_taken = {"type", "hold.taken", "at", "1764000000000", "pool", "ilot:single_men", "shelter", "ilot",
                                         "public", "single_men", "commune", "saint-gilles", "in_service", "30", "buffer", "5",
                                         "occupied", "12", "buffer_open", "0", "holds", "2", "free", "16", "version", "4",
                                         "updated_ms", "1764000000000", "hold", "ilot:single_men:h0123456789abcdef01234567"};
  std::vector<std::string> report = {"type", "report.created", "at", "1764000001000", "report", "s0123456789abcdef01234567",
                                     "team", "maraude-samusocial", "commune", "bruxelles"};
  std::vector<std::string> buffer = {"type", "buffer.opened", "at", "1764000002000", "crisis", "k0123", "shelter", ""};
  ReplyWriter range;
  range.Array(3);
  event(range, "1764000000000-0", hold_taken);
  event(range, "1764000001000-0", report);
  event(range, "1764000002000-0", buffer);
  reply("xrange", 2, range);
  ReplyWriter xread;
  xread.Array(1).Array(2).Str("relais:{brussels}:events").Array(3);
  event(xread, "1764000000000-0", hold_taken);
  event(xread, "1764000001000-0", report);
  event(xread, "1764000002000-0", buffer);
  reply("xread-live", 3, xread);
  reply("xread-stream", 2, xread);
  ReplyWriter errors;
  errors.Array(4).Error("BUSY Redis is busy running a script").Error("NOSCRIPT No matching script").Error("MOVED 3999 127.0.0.1:6381")
      .Status("OK");
  reply("errors", 4, errors);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: fuzz_seeds <corpus folder>\n");
    return 2;
  }
  g_out = argv[1];
  Beds();
  Dispatch();
  Workshop();
  Monitoring();
  GatewayRoutes();
  GatewayJson();
  LiveMessages();
  Replies();
  printf("%d seeds written to %s\n", g_written, g_out.c_str());
  return 0;
}
