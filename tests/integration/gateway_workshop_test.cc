// The workshop through the gateway's REST API, as its pages use it: a referral from a shelter completed
// and put on an agenda, reordered, préconised in session, approved by every party (each for itself),
// a priority place taken and given back, the session closed, the counts read by monitoring. Then the
// table of bad input for every workshop endpoint: each answered 4xx with a JSON error, nothing changed.
#include <google/protobuf/util/json_util.h>

#include "tests/integration/gateway_world.h"

namespace relais::testing {
namespace {

using namespace relais::v1;

constexpr int64_t kDayMs = 24 * 3600 * 1000LL;

class GatewayWorkshop : public GatewayTest {
 protected:
  // The answer, read back with protobuf's JSON mapping (every field checked by name, none guessed).
  template <typename M>
  M Read(const HttpResponse& r) {
    M m;
    EXPECT_EQ(r.status, 200) << r.body;
    auto s = google::protobuf::util::JsonStringToMessage(r.body, &m);
    EXPECT_TRUE(s.ok()) << s.message() << ": " << r.body;
    return m;
  }
  std::string K() { return "\"idempotency_key\":\"" + Key() + "\""; }
  // A referral as a page sends it.
  std::string ReferralJson(const std::string& sending, const std::string& facts) {
    return R"({"person_id":")" + cases().NewPerson() + R"(","sending_service_id":")" + sending + R"(","facts":)" +
           facts + R"(,"consent":)" + cases().ConsentJson() + "," + K() + "}";
  }
  // A session of the schedule that has started (a week ago): cases on its agenda can be préconised.
  std::string PastSession() {
    return workshop::Schedule::Parse(workshop::kDefaultSchedule)->Next(gw().clock().NowMs() - 7 * kDayMs).id;
  }
};

TEST_F(GatewayWorkshop, ACaseFromReferralToPriorityPlaceThroughHttp) {
  HttpClient& shelter = As("sh1");
  HttpClient& cell = As("ws1");
  const std::string cases_path = "/api/v1/workshop/cases";

  // A shelter refers a person for itself; the urgency is still missing.
  std::string incomplete = R"({"domains":["DOMAIN_HOUSING"],"situation":"SITUATION_STREET","situation_since":"2026-01-05T00:00:00Z","referent":"tm1"})";
  Case first = Read<RegisterCaseResponse>(shelter.Post(cases_path, ReferralJson("own-shelter", incomplete))).case_();
  EXPECT_EQ(first.state(), CASE_STATE_INCOMPLETE);
  EXPECT_EQ(std::vector<std::string>(first.missing().begin(), first.missing().end()),
            std::vector<std::string>{"facts.urgency"});
  EXPECT_EQ(first.registered_by(), "sh1");
  EXPECT_EQ(first.version(), 1);
  // It sees its case in its list and alone, then completes it with the version it read.
  auto listed = Read<ListCasesResponse>(shelter.Get(cases_path));
  ASSERT_EQ(listed.cases_size(), 1);
  EXPECT_EQ(listed.cases(0).id(), first.id());
  EXPECT_EQ(Read<GetCaseResponse>(shelter.Get(cases_path + "/" + first.id())).case_().id(), first.id());
  Case completed = Read<UpdateCaseResponse>(
                       shelter.Put(cases_path + "/" + first.id(),
                                   R"({"facts":)" + cases().FactsJson("tm1") + R"(,"expected_version":"1",)" + K() + "}"))
                       .case_();
  EXPECT_EQ(completed.state(), CASE_STATE_WAITING);
  EXPECT_TRUE(completed.missing().empty());

  // An operator refers another person, from another service; the cell puts both on a session that has
  // started and moves the second on its agenda first (it worsened).
  Case second = Read<RegisterCaseResponse>(As("op1").Post(cases_path, ReferralJson("other-shelter", cases().FactsJson("op1")))).case_();
  EXPECT_EQ(second.state(), CASE_STATE_WAITING);
  std::string past = PastSession();
  auto built = Read<BuildAgendaResponse>(cell.Post("/api/v1/workshop/sessions/" + past + "/agenda", "{" + K() + "}"));
  EXPECT_EQ(built.added(), 2);
  EXPECT_EQ(built.session().id(), past);
  ASSERT_EQ(built.session().agenda_size(), 2);
  std::string last = built.session().agenda(1).case_id();
  auto reordered = Read<ReorderAgendaResponse>(
      cell.Post("/api/v1/workshop/sessions/" + past + "/agenda/reorder",
                R"({"case_id":")" + last + R"(","position":1,"reason":"REORDER_REASON_URGENCY",)" + K() + "}"));
  EXPECT_EQ(reordered.session().agenda(0).case_id(), last);
  EXPECT_EQ(reordered.session().agenda(0).position(), 1);

  // The next session: its members, and an agenda built from a third referral (the medical focal point's).
  Case third = Read<RegisterCaseResponse>(As("med1").Post(cases_path, ReferralJson("own-shelter", cases().FactsJson("med1")))).case_();
  Session next = Read<GetWorkshopSessionResponse>(cell.Get("/api/v1/workshop/sessions/next")).session();
  EXPECT_EQ(next.id(), workshop::Schedule::Parse(workshop::kDefaultSchedule)->Next(gw().clock().NowMs()).id);
  EXPECT_EQ(next.state(), SESSION_STATE_PLANNED);
  auto members = Read<SetSessionMembersResponse>(cell.Put(
      "/api/v1/workshop/sessions/next/members",
      R"({"members":[{"service_id":"own-shelter","role":"MEMBER_ROLE_RECEIVING_SERVICE"},)"
      R"({"service_id":"cell","role":"MEMBER_ROLE_ORIENTATION_CELL"},)"
      R"({"service_id":"mental-health-team","role":"MEMBER_ROLE_EXPERT","expertise":"DOMAIN_MENTAL_HEALTH"}],)" + K() + "}"));
  EXPECT_EQ(members.session().members_size(), 3);
  EXPECT_EQ(members.session().id(), next.id());
  auto next_built = Read<BuildAgendaResponse>(cell.Post("/api/v1/workshop/sessions/next/agenda", "{" + K() + "}"));
  EXPECT_EQ(next_built.added(), 1);
  ASSERT_EQ(next_built.session().agenda_size(), 1);
  EXPECT_EQ(next_built.session().agenda(0).case_id(), third.id());
  EXPECT_TRUE(next_built.session().agenda(0).person_invited());
  EXPECT_EQ(Read<GetWorkshopSessionResponse>(cell.Get("/api/v1/workshop/sessions/" + next.id())).session().agenda_size(), 1);

  // In session: an orientation towards the shelter itself (a maison d'accueil place) and a plan.
  int64_t version = Read<GetCaseResponse>(cell.Get(cases_path + "/" + first.id())).case_().version();
  Case preconised = Read<PreconiseResponse>(
                        cell.Post(cases_path + "/" + first.id() + "/preconisation",
                                  R"({"preconisation":{"orientation":"ORIENTATION_MAISON_ACCUEIL","receiving_service_id":"own-shelter"},"plan":)" +
                                      cases().PlanJson() + R"(,"expected_version":")" + std::to_string(version) +
                                      "\"," + K() + "}"))
                        .case_();
  EXPECT_EQ(preconised.state(), CASE_STATE_PRECONISED);
  EXPECT_EQ(preconised.deadline_outcome(), DEADLINE_OUTCOME_MET);
  EXPECT_EQ(preconised.plan().parties_size(), 4);

  // Every party answers for itself: the shelter as sending and receiving service, the referent worker
  // (the team's account) for the person, the cell for itself.
  auto answer = [&](HttpClient& who, const std::string& party) {
    return Read<RecordApprovalResponse>(who.Post(cases_path + "/" + first.id() + "/approvals",
                                                 R"({"plan_number":1,"party":")" + party + R"(","approved":true,)" + K() + "}"))
        .case_();
  };
  answer(shelter, "PARTY_SENDING_SERVICE");
  answer(shelter, "PARTY_RECEIVING_SERVICE");
  answer(As("tm1"), "PARTY_PERSON");
  Case approved = answer(cell, "PARTY_ORIENTATION_CELL");
  EXPECT_EQ(approved.state(), CASE_STATE_APPROVED);
  EXPECT_EQ(approved.plan().state(), PLAN_STATE_APPROVED);

  // The shelter reserves two places for the workshop; the hotline sees them; the plan takes one and
  // the shelter gives it back when the person leaves.
  auto declared = Read<DeclarePriorityPlacesResponse>(
      shelter.Put("/api/v1/workshop/priority-places/own-shelter", R"({"places":2,)" + K() + "}"));
  EXPECT_EQ(declared.pool().free(), 2);
  auto pools = Read<ListPriorityPlacesResponse>(As("op1").Get("/api/v1/workshop/priority-places"));
  ASSERT_EQ(pools.pools_size(), 1);
  EXPECT_EQ(pools.pools(0).service_id(), "own-shelter");
  auto taken = Read<TakePriorityPlaceResponse>(cell.Post(cases_path + "/" + first.id() + "/priority-place", "{" + K() + "}"));
  EXPECT_EQ(taken.pool().used(), 1);
  EXPECT_EQ(taken.case_().priority_place_service_id(), "own-shelter");
  auto released = Read<ReleasePriorityPlaceResponse>(
      shelter.Post(cases_path + "/" + first.id() + "/priority-place/release", "{" + K() + "}"));
  EXPECT_EQ(released.pool().used(), 0);
  EXPECT_EQ(released.case_().priority_place_service_id(), "");

  // The session closes: the second case, not examined, goes back to the queue.
  auto closed = Read<CloseSessionResponse>(cell.Post("/api/v1/workshop/sessions/" + past + "/close", "{" + K() + "}"));
  EXPECT_EQ(closed.session().state(), SESSION_STATE_CLOSED);
  EXPECT_EQ(closed.session().carried_over(), 1);

  // Monitoring reads the counts, nothing else.
  auto summary = Read<GetWorkshopSummaryResponse>(As("mon1").Get("/api/v1/workshop/summary"));
  EXPECT_EQ(summary.approved(), 1);
  EXPECT_EQ(summary.waiting(), 1);
  EXPECT_EQ(summary.scheduled(), 1);
  EXPECT_EQ(summary.deadlines_met(), 1);
  EXPECT_EQ(summary.priority_places(), 2);
  EXPECT_EQ(summary.priority_places_used(), 0);
  EXPECT_EQ(As("mon1").Get(cases_path + "/" + first.id()).status, 403);
}

struct BadRow {
  std::string name, who, method, target, body;
  int status;
  std::string code;
  std::string field = "";  // the message starts with it, when the service names a field
};

TEST_F(GatewayWorkshop, BadInputIsRefusedWithAJsonErrorAndChangesNothing) {
  // Objects in every state the rows need, made before the snapshot.
  std::string scheduled_session;
  std::string scheduled = cases().Scheduled(Admin(), "own-shelter", "tm1", &scheduled_session);
  std::string preconised = cases().Preconised(Admin(), "own-shelter", "tm1", "insertion-home");
  std::string waiting = cases().Registered(CallerOf("sh1"), "own-shelter", "tm1");  // last: no agenda takes it
  std::string closed_session = cases().FutureSession();
  ASSERT_EQ(As("ws1").Post("/api/v1/workshop/sessions/" + closed_session + "/close", R"({"idempotency_key":"k-close-0001"})").status, 200);
  for (const char* user : {"sh1", "ws1", "op1", "mon1", "tm1"}) As(user);  // signed in before the snapshot

  const std::string c = "/api/v1/workshop/cases";
  const std::string s = "/api/v1/workshop/sessions/";
  const std::string unknown_case = "w000000000000000000000000";
  const std::string person = "p" + std::string(24, 'a');  // well formed
  const std::string facts = cases().FactsJson("tm1");
  const std::string plan = cases().PlanJson();
  const std::string key = R"("idempotency_key":"k-bad-0000001")";
  std::vector<BadRow> rows = {
      // RegisterCase
      {"no consent", "sh1", "POST", c, R"({"person_id":")" + person + R"(","sending_service_id":"own-shelter","facts":)" + facts + R"(,"consent":{"given":false},)" + key + "}", 400, "INVALID_ARGUMENT", "consent"},
      {"unknown field", "sh1", "POST", c, R"({"person":"p1",)" + key + "}", 400, "INVALID_ARGUMENT"},
      {"a shelter refers for another", "sh1", "POST", c, R"({"person_id":")" + person + R"(","sending_service_id":"other-shelter","facts":)" + facts + "," + key + "}", 403, "PERMISSION_DENIED"},
      {"a shelter registers directly", "sh1", "POST", c, R"({"person_id":")" + person + R"(","direct":true,"facts":)" + facts + "," + key + "}", 403, "PERMISSION_DENIED"},
      {"referral without a key", "op1", "POST", c, R"({"person_id":")" + person + R"(","sending_service_id":"own-shelter","facts":)" + facts + R"(,"consent":)" + cases().ConsentJson() + "}", 400, "INVALID_ARGUMENT", "idempotency_key"},
      // ListCases
      {"limit too large", "ws1", "GET", c + "?limit=9999", "", 400, "INVALID_ARGUMENT", "limit"},
      {"unknown state", "ws1", "GET", c + "?state=CASE_STATE_FORGOTTEN", "", 400, "INVALID_ARGUMENT", "state"},
      // GetCase
      {"malformed case id", "ws1", "GET", c + "/not-a-case", "", 400, "INVALID_ARGUMENT", "case_id"},
      {"no such case", "ws1", "GET", c + "/" + unknown_case, "", 404, "NOT_FOUND"},
      // UpdateCase
      {"no version", "sh1", "PUT", c + "/" + waiting, R"({"facts":)" + facts + "," + key + "}", 400, "INVALID_ARGUMENT", "expected_version"},
      {"stale version", "sh1", "PUT", c + "/" + waiting, R"({"facts":)" + facts + R"(,"expected_version":"7",)" + key + "}", 409, "ABORTED"},
      {"case id disagrees", "sh1", "PUT", c + "/" + waiting, R"({"case_id":")" + unknown_case + R"(","facts":)" + facts + R"(,"expected_version":"1",)" + key + "}", 400, "INVALID_ARGUMENT", "case_id"},
      // Preconise
      {"plan of 12 months", "ws1", "POST", c + "/" + scheduled + "/preconisation", R"({"preconisation":{"orientation":"ORIENTATION_HOUSING_FIRST","receiving_service_id":"insertion-home"},"plan":{"goals":[{"domain":"DOMAIN_HOUSING","description":"x"}],"duration_months":12,"reference_operator":"ref"},"expected_version":"2",)" + key + "}", 400, "INVALID_ARGUMENT", "plan.duration_months"},
      {"no receiving service", "ws1", "POST", c + "/" + scheduled + "/preconisation", R"({"preconisation":{"orientation":"ORIENTATION_HOUSING_FIRST"},"plan":)" + plan + R"(,"expected_version":"2",)" + key + "}", 400, "INVALID_ARGUMENT", "preconisation.receiving_service_id"},
      {"not on an agenda", "ws1", "POST", c + "/" + waiting + "/preconisation", R"({"preconisation":{"orientation":"ORIENTATION_HOUSING_FIRST","receiving_service_id":"insertion-home"},"plan":)" + plan + R"(,"expected_version":"1",)" + key + "}", 409, "FAILED_PRECONDITION", "case_id"},
      // RecordApproval
      {"no party", "ws1", "POST", c + "/" + preconised + "/approvals", R"({"plan_number":1,"approved":true,)" + key + "}", 400, "INVALID_ARGUMENT", "party"},
      {"refusal without a reason", "ws1", "POST", c + "/" + preconised + "/approvals", R"({"plan_number":1,"party":"PARTY_PERSON","approved":false,)" + key + "}", 400, "INVALID_ARGUMENT", "reason"},
      {"another plan", "ws1", "POST", c + "/" + preconised + "/approvals", R"({"plan_number":2,"party":"PARTY_PERSON","approved":true,)" + key + "}", 409, "FAILED_PRECONDITION", "plan_number"},
      // TakePriorityPlace, ReleasePriorityPlace
      {"take for a plan not approved", "ws1", "POST", c + "/" + preconised + "/priority-place", "{" + key + "}", 409, "FAILED_PRECONDITION"},
      {"take without a key", "ws1", "POST", c + "/" + preconised + "/priority-place", "{}", 400, "INVALID_ARGUMENT", "idempotency_key"},
      {"release what is not held", "ws1", "POST", c + "/" + waiting + "/priority-place/release", "{" + key + "}", 409, "FAILED_PRECONDITION"},
      // GetWorkshopSession
      {"malformed session", "ws1", "GET", s + "tomorrow", "", 400, "INVALID_ARGUMENT", "session_id"},
      {"no such date", "ws1", "GET", s + "2026-02-30T10:00", "", 400, "INVALID_ARGUMENT", "session_id"},
      {"not on the schedule", "ws1", "GET", s + "2026-12-02T10:00", "", 400, "INVALID_ARGUMENT", "session_id"},
      // SetSessionMembers
      {"no members", "ws1", "PUT", s + "next/members", R"({"members":[],)" + key + "}", 400, "INVALID_ARGUMENT", "members"},
      {"expert without a domain", "ws1", "PUT", s + "next/members", R"({"members":[{"service_id":"own-shelter","role":"MEMBER_ROLE_EXPERT"}],)" + key + "}", 400, "INVALID_ARGUMENT", "members.expertise"},
      // BuildAgenda
      {"agenda of a closed session", "ws1", "POST", s + closed_session + "/agenda", "{" + key + "}", 409, "FAILED_PRECONDITION", "session_id"},
      {"agenda with a body of the wrong shape", "ws1", "POST", s + "next/agenda", R"({"session_id":5,)" + key + "}", 400, "INVALID_ARGUMENT"},
      // ReorderAgenda
      {"reorder without a reason", "ws1", "POST", s + scheduled_session + "/agenda/reorder", R"({"case_id":")" + scheduled + R"(","position":1,)" + key + "}", 400, "INVALID_ARGUMENT", "reason"},
      {"reorder to position 0", "ws1", "POST", s + scheduled_session + "/agenda/reorder", R"({"case_id":")" + scheduled + R"(","position":0,"reason":"REORDER_REASON_OTHER",)" + key + "}", 400, "INVALID_ARGUMENT", "position"},
      {"reorder a case of no agenda", "ws1", "POST", s + scheduled_session + "/agenda/reorder", R"({"case_id":")" + waiting + R"(","position":1,"reason":"REORDER_REASON_OTHER",)" + key + "}", 404, "NOT_FOUND", "case_id"},
      // CloseSession
      {"close \"next\"", "ws1", "POST", s + "next/close", "{" + key + "}", 400, "INVALID_ARGUMENT", "session_id"},
      {"close twice", "ws1", "POST", s + closed_session + "/close", "{" + key + "}", 409, "FAILED_PRECONDITION", "session_id"},
      // ListPriorityPlaces, DeclarePriorityPlaces, GetWorkshopSummary
      {"list with a parameter it has not", "op1", "GET", "/api/v1/workshop/priority-places?service_id=own-shelter", "", 400, "INVALID_ARGUMENT"},
      {"negative places", "sh1", "PUT", "/api/v1/workshop/priority-places/own-shelter", R"({"places":-1,)" + key + "}", 400, "INVALID_ARGUMENT", "places"},
      {"too many places", "ws1", "PUT", "/api/v1/workshop/priority-places/own-shelter", R"({"places":5000,)" + key + "}", 400, "INVALID_ARGUMENT", "places"},
      {"not in the directory", "ws1", "PUT", "/api/v1/workshop/priority-places/no-such-service", R"({"places":3,)" + key + "}", 404, "NOT_FOUND", "service_id"},
      {"another shelter's places", "sh1", "PUT", "/api/v1/workshop/priority-places/other-shelter", R"({"places":3,)" + key + "}", 403, "PERMISSION_DENIED"},
      {"summary with a parameter it has not", "mon1", "GET", "/api/v1/workshop/summary?month=2026-11", "", 400, "INVALID_ARGUMENT"},
  };
  auto before = Snapshot();
  for (const auto& row : rows) {
    HttpResponse r = As(row.who).Send(row.method, row.target, row.body);
    EXPECT_EQ(r.status, row.status) << row.name << ": " << r.body;
    EXPECT_EQ(JsonField(r.body, "code"), row.code) << row.name << ": " << r.body;
    if (!row.field.empty()) {
      EXPECT_EQ(JsonField(r.body, "message").rfind(row.field, 0), 0u) << row.name << ": " << r.body;
    }
  }
  EXPECT_EQ(before, Snapshot()) << "a refused request changed something";

  // Control: a good request of the same kind changes the state (the snapshot can see a change).
  EXPECT_EQ(As("sh1").Put("/api/v1/workshop/priority-places/own-shelter", R"({"places":3,"idempotency_key":"k-good-00001"})").status, 200);
  EXPECT_NE(before, Snapshot());
}

}  // namespace
}  // namespace relais::testing
