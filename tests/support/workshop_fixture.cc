#include "tests/support/workshop_fixture.h"

#include <google/protobuf/util/time_util.h>

#include <ctime>

namespace relais::testing {

using google::protobuf::util::TimeUtil;
using namespace relais::v1;

namespace {
std::unique_ptr<Harness> StartServices(const std::string& schedule) {
  workshop::WorkshopConfig config;
  config.service.schedule = *workshop::Schedule::Parse(schedule);
  return std::make_unique<Harness>(SharedRedis(), beds::BedsConfig{}, dispatch::DispatchConfig{}, config);
}
}  // namespace

void WorkshopTest::SetUp() {
  SharedRedis().FlushAll();
  harness_ = StartServices(ScheduleSpec());
  At("2025-03-01T12:00");
  CreateShelter(MakeShelter("ilot"));  // an emergency shelter that also refers people
  Declare("ilot", "single_men", 20, 0, 0);
  auto add = [&](const std::string& id, ServiceKind kind) {
    Shelter s = MakeShelter(id);
    s.set_kind(kind);
    CreateShelter(s);
  };
  add("cpas-ixelles", SERVICE_KIND_CPAS);
  add("street-work-diogenes", SERVICE_KIND_STREET_WORK);
  add("mda-1", SERVICE_KIND_MAISON_ACCUEIL);
  add("hf-bxl", SERVICE_KIND_HOUSING);
  add("transit-1", SERVICE_KIND_HOUSING);
}

void WorkshopTest::RestartServices() {
  int64_t now = h().clock().NowMs();
  harness_.reset();
  harness_ = StartServices(ScheduleSpec());
  h().clock().Set(TimePoint(std::chrono::milliseconds(now)));
}

int64_t WorkshopTest::MsOf(const std::string& when) {
  std::tm tm{};
  strptime(when.c_str(), "%Y-%m-%dT%H:%M", &tm);
  return static_cast<int64_t>(timegm(&tm)) * 1000;
}

void WorkshopTest::At(const std::string& when) { h().clock().Set(TimePoint(std::chrono::milliseconds(MsOf(when)))); }

std::string WorkshopTest::NewPerson(ConsentScope scope) {
  CreatePersonRequest r;
  r.mutable_person()->set_gender(GENDER_MAN);
  r.mutable_person()->mutable_household()->set_adults(1);
  r.mutable_person()->mutable_consent()->set_scope(scope);
  *r.mutable_person()->mutable_consent()->mutable_expires_at() =
      TimeUtil::MillisecondsToTimestamp(h().clock().NowMs() + 60 * 24 * 3600 * 1000LL);
  r.set_idempotency_key(Key());
  CreatePersonResponse resp;
  auto s = h().dispatch().CreatePerson(Harness::As(Operator()).get(), r, &resp);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return resp.person().id();
}

void WorkshopTest::EntersShelter(const std::string& person_id) {
  CreatePlaceRequestRequest request;
  request.set_person_id(person_id);
  request.set_idempotency_key(Key());
  CreatePlaceRequestResponse made;
  ASSERT_TRUE(h().dispatch().CreatePlaceRequest(Harness::As(Operator()).get(), request, &made).ok());
  ProposeRequest propose;
  propose.set_request_id(made.request().id());
  propose.set_pool_id("ilot:single_men");
  propose.set_idempotency_key(Key());
  ProposeResponse proposed;
  ASSERT_TRUE(h().dispatch().Propose(Harness::As(Operator()).get(), propose, &proposed).ok());
  AcceptProposalRequest accept;
  accept.set_proposal_id(proposed.proposal().id());
  accept.set_idempotency_key(Key());
  AcceptProposalResponse accepted;
  ASSERT_TRUE(h().dispatch().AcceptProposal(Harness::As(Operator()).get(), accept, &accepted).ok());
  ConfirmArrivalRequest arrival;
  arrival.set_hold_id(accepted.proposal().hold_id());
  arrival.set_idempotency_key(Key());
  ConfirmArrivalResponse arrived;
  auto s = beds().ConfirmArrival(Harness::As(ShelterAccount("ilot")).get(), arrival, &arrived);
  ASSERT_TRUE(s.ok()) << s.error_message();
}

CaseFacts WorkshopTest::Facts(Urgency urgency, const std::string& referent) {
  CaseFacts f;
  f.add_domains(DOMAIN_MENTAL_HEALTH);
  f.add_domains(DOMAIN_ADMINISTRATIVE);
  f.set_situation(SITUATION_EMERGENCY_SHELTER);
  *f.mutable_situation_since() = TimeUtil::MillisecondsToTimestamp(h().clock().NowMs() - 40 * 24 * 3600 * 1000LL);
  f.set_urgency(urgency);
  f.set_referent(referent);
  return f;
}

RegisterCaseRequest WorkshopTest::Referral(const std::string& person_id, const std::string& sending_service,
                                           CaseFacts facts) {
  RegisterCaseRequest r;
  r.set_person_id(person_id);
  r.set_sending_service_id(sending_service);
  r.set_direct(sending_service.empty());
  *r.mutable_facts() = std::move(facts);
  r.mutable_consent()->set_given(true);
  *r.mutable_consent()->mutable_given_at() = TimeUtil::MillisecondsToTimestamp(h().clock().NowMs() - 3600 * 1000LL);
  r.set_idempotency_key(Key());
  return r;
}

Case WorkshopTest::Register(const RegisterCaseRequest& r, const Caller& caller) {
  RegisterCaseResponse resp;
  auto s = w().RegisterCase(Harness::As(caller).get(), r, &resp);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return resp.case_();
}

Case WorkshopTest::GetCase(const std::string& case_id) {
  GetCaseRequest r;
  r.set_case_id(case_id);
  GetCaseResponse resp;
  auto s = w().GetCase(Harness::As(WorkshopAccount()).get(), r, &resp);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return resp.case_();
}

BuildAgendaResponse WorkshopTest::Build(const std::string& session_id) {
  BuildAgendaRequest r;
  r.set_session_id(session_id);
  r.set_idempotency_key(Key());
  BuildAgendaResponse resp;
  auto s = w().BuildAgenda(Harness::As(WorkshopAccount()).get(), r, &resp);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return resp;
}

Session WorkshopTest::CloseSession(const std::string& session_id) {
  CloseSessionRequest r;
  r.set_session_id(session_id);
  r.set_idempotency_key(Key());
  CloseSessionResponse resp;
  auto s = w().CloseSession(Harness::As(WorkshopAccount()).get(), r, &resp);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return resp.session();
}

Plan WorkshopTest::MakePlan(int months, const std::string& reference) {
  Plan p;
  PlanGoal* goal = p.add_goals();
  goal->set_domain(DOMAIN_HOUSING);
  goal->set_description(kGoalText);
  p.set_duration_months(months);
  p.set_reference_operator(reference);
  *p.add_review_dates() = TimeUtil::MillisecondsToTimestamp(h().clock().NowMs() + 60 * 24 * 3600 * 1000LL);
  return p;
}

Case WorkshopTest::Preconise(const std::string& case_id, Orientation orientation, const std::string& service,
                             int months) {
  PreconiseRequest r;
  r.set_case_id(case_id);
  r.mutable_preconisation()->set_orientation(orientation);
  r.mutable_preconisation()->set_receiving_service_id(service);
  *r.mutable_plan() = MakePlan(months);
  r.set_expected_version(GetCase(case_id).version());
  r.set_idempotency_key(Key());
  PreconiseResponse resp;
  auto s = w().Preconise(Harness::As(WorkshopAccount()).get(), r, &resp);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return resp.case_();
}

Case WorkshopTest::Answer(const std::string& case_id, Party party, bool approved, PlanRefusalReason reason) {
  RecordApprovalRequest r;
  r.set_case_id(case_id);
  r.set_plan_number(GetCase(case_id).plan().number());
  r.set_party(party);
  r.set_approved(approved);
  r.set_reason(reason);
  r.set_idempotency_key(Key());
  RecordApprovalResponse resp;
  auto s = w().RecordApproval(Harness::As(WorkshopAccount()).get(), r, &resp);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return resp.case_();
}

Case WorkshopTest::ApproveAll(const std::string& case_id) {
  Case c = GetCase(case_id);
  std::vector<int> parties(c.plan().parties().begin(), c.plan().parties().end());
  for (int party : parties) c = Answer(case_id, static_cast<Party>(party), true);
  return c;
}

PriorityPool WorkshopTest::DeclarePlaces(const std::string& service_id, int places, const Caller& caller) {
  DeclarePriorityPlacesRequest r;
  r.set_service_id(service_id);
  r.set_places(places);
  r.set_idempotency_key(Key());
  DeclarePriorityPlacesResponse resp;
  auto s = w().DeclarePriorityPlaces(Harness::As(caller).get(), r, &resp);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return resp.pool();
}

grpc::Status WorkshopTest::TakePlace(const std::string& case_id, TakePriorityPlaceResponse* resp) {
  TakePriorityPlaceRequest r;
  r.set_case_id(case_id);
  r.set_idempotency_key(Key());
  return w().TakePriorityPlace(Harness::As(WorkshopAccount()).get(), r, resp);
}

GetWorkshopSummaryResponse WorkshopTest::Summary() {
  GetWorkshopSummaryResponse resp;
  auto s = w().GetWorkshopSummary(Harness::As(Monitoring()).get(), {}, &resp);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return resp;
}

Case WorkshopTest::ApprovedCase(const std::string& receiving, const std::string& sending) {
  int64_t before = h().clock().NowMs();
  Case c = Register(Referral(NewPerson(), sending, Facts(URGENCY_MEDIUM)), WorkshopAccount());
  auto built = Build();
  h().clock().Set(TimePoint(std::chrono::milliseconds(
      TimeUtil::TimestampToMilliseconds(built.session().starts_at()))));  // the session starts
  Preconise(c.id(), receiving.empty() ? ORIENTATION_FAMILY : ORIENTATION_MAISON_ACCUEIL, receiving);
  c = ApproveAll(c.id());
  EXPECT_EQ(c.state(), CASE_STATE_APPROVED);
  h().clock().Set(TimePoint(std::chrono::milliseconds(before)));
  return c;
}

std::map<std::string, int> WorkshopTest::EventCounts() {
  std::map<std::string, int> out;
  for (const auto& e : Events()) out[e.at("type")]++;
  return out;
}

}  // namespace relais::testing
