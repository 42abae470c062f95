#include "tests/integration/gateway_cases.h"

#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include "common/random_id.h"

namespace relais::testing {

using google::protobuf::util::TimeUtil;
using namespace relais::v1;

namespace {
constexpr int64_t kDayMs = 24 * 3600 * 1000LL;
std::string Time(int64_t ms) { return TimeUtil::ToString(TimeUtil::MillisecondsToTimestamp(ms)); }
}  // namespace

CaseMaker::CaseMaker(Harness& services)
    : services_(services),
      schedule_(*workshop::Schedule::Parse(workshop::kDefaultSchedule)),  // the harness' schedule
      agenda_from_ms_(services.clock().NowMs() - 150 * kDayMs),
      future_from_ms_(services.clock().NowMs() + 60 * kDayMs) {}

std::string CaseMaker::Key() { return RandomId("k-"); }

std::string CaseMaker::NewPerson() {
  CreatePersonRequest req;
  auto* p = req.mutable_person();
  p->set_age_band(AGE_BAND_26_45);
  p->set_gender(GENDER_MAN);
  p->mutable_household()->set_adults(1);
  p->mutable_consent()->set_scope(CONSENT_SCOPE_ORIENTATION);
  *p->mutable_consent()->mutable_expires_at() = TimeUtil::MillisecondsToTimestamp(now_ms() + 60 * kDayMs);
  req.set_idempotency_key(Key());
  CreatePersonResponse resp;
  auto s = services_.dispatch().CreatePerson(Harness::As(Admin()).get(), req, &resp);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return resp.person().id();
}

CaseFacts CaseMaker::Facts(const std::string& referent) const {
  CaseFacts f;
  f.add_domains(DOMAIN_MENTAL_HEALTH);
  f.add_domains(DOMAIN_HOUSING);
  f.set_situation(SITUATION_EMERGENCY_SHELTER);
  *f.mutable_situation_since() = TimeUtil::MillisecondsToTimestamp(now_ms() - 40 * kDayMs);
  f.set_urgency(URGENCY_MEDIUM);
  f.set_referent(referent);
  return f;
}

std::string CaseMaker::FactsJson(const std::string& referent) const {
  return R"({"domains":["DOMAIN_MENTAL_HEALTH","DOMAIN_HOUSING"],"situation":"SITUATION_EMERGENCY_SHELTER",)"
         R"("situation_since":")" +
         Time(now_ms() - 40 * kDayMs) + R"(","urgency":"URGENCY_HIGH","referent":")" + referent + "\"}";
}

std::string CaseMaker::ConsentJson() const {
  return R"({"given":true,"given_at":")" + Time(now_ms() - 3600 * 1000LL) + "\"}";
}

std::string CaseMaker::PlanJson() const {
  return R"({"goals":[{"domain":"DOMAIN_HOUSING","description":"a home of one's own"}],"duration_months":6,)"
         R"("reference_operator":"ref-op-1","review_dates":[")" +
         Time(now_ms() + 60 * kDayMs) + "\"]}";
}

Case CaseMaker::Get(const std::string& case_id) {
  GetCaseRequest req;
  req.set_case_id(case_id);
  GetCaseResponse resp;
  auto s = w().GetCase(Harness::As(Admin()).get(), req, &resp);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return resp.case_();
}

std::string CaseMaker::Registered(const Caller& by, const std::string& sending, const std::string& referent) {
  RegisterCaseRequest req;
  req.set_person_id(NewPerson());
  req.set_sending_service_id(sending);
  *req.mutable_facts() = Facts(referent);
  req.mutable_consent()->set_given(true);
  *req.mutable_consent()->mutable_given_at() = TimeUtil::MillisecondsToTimestamp(now_ms() - 3600 * 1000LL);
  req.set_idempotency_key(Key());
  RegisterCaseResponse resp;
  auto s = w().RegisterCase(Harness::As(by).get(), req, &resp);
  EXPECT_TRUE(s.ok()) << RoleName(by.role) << ": " << s.error_message();
  return resp.case_().id();
}

std::string CaseMaker::Scheduled(const Caller& by, const std::string& sending, const std::string& referent,
                                 std::string* session) {
  std::string id = Registered(by, sending, referent);
  for (int attempt = 0; attempt < 60; ++attempt) {
    workshop::SessionSlot slot = schedule_.Next(agenda_from_ms_);
    EXPECT_LT(slot.start_ms, now_ms()) << "out of past sessions";
    BuildAgendaRequest req;
    req.set_session_id(slot.id);
    req.set_idempotency_key(Key());
    BuildAgendaResponse resp;
    auto s = w().BuildAgenda(Harness::As(Admin()).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    Case c = Get(id);
    if (c.state() == CASE_STATE_SCHEDULED) {
      if (session) *session = c.session_id();
      return id;
    }
    agenda_from_ms_ = slot.start_ms + 1;  // that session is full: the next one
  }
  ADD_FAILURE() << "case " << id << " found no session with room";
  return id;
}

std::string CaseMaker::Preconised(const Caller& by, const std::string& sending, const std::string& referent,
                                  const std::string& receiving) {
  std::string id = Scheduled(by, sending, referent);
  PreconiseRequest req;
  req.set_case_id(id);
  req.mutable_preconisation()->set_orientation(ORIENTATION_MAISON_ACCUEIL);
  req.mutable_preconisation()->set_receiving_service_id(receiving);
  PlanGoal* goal = req.mutable_plan()->add_goals();
  goal->set_domain(DOMAIN_HOUSING);
  goal->set_description("a home of one's own");
  req.mutable_plan()->set_duration_months(6);
  req.mutable_plan()->set_reference_operator("ref-op-1");
  *req.mutable_plan()->add_review_dates() = TimeUtil::MillisecondsToTimestamp(now_ms() + 60 * kDayMs);
  req.set_expected_version(Get(id).version());
  req.set_idempotency_key(Key());
  PreconiseResponse resp;
  auto s = w().Preconise(Harness::As(Admin()).get(), req, &resp);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return id;
}

std::string CaseMaker::Approved(const std::string& receiving, bool with_place) {
  std::string id = Preconised(Admin(), "own-shelter", "sw-1", receiving);
  Case c = Get(id);
  std::vector<int> parties(c.plan().parties().begin(), c.plan().parties().end());
  for (int party : parties) {
    RecordApprovalRequest req;
    req.set_case_id(id);
    req.set_plan_number(c.plan().number());
    req.set_party(static_cast<Party>(party));
    req.set_approved(true);
    req.set_idempotency_key(Key());
    RecordApprovalResponse resp;
    auto s = w().RecordApproval(Harness::As(Admin()).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
  }
  EXPECT_EQ(Get(id).state(), CASE_STATE_APPROVED);
  if (with_place) {
    FreePlace(receiving);
    TakePriorityPlaceRequest take;
    take.set_case_id(id);
    take.set_idempotency_key(Key());
    TakePriorityPlaceResponse taken;
    auto t = w().TakePriorityPlace(Harness::As(Admin()).get(), take, &taken);
    EXPECT_TRUE(t.ok()) << t.error_message();
  }
  return id;
}

void CaseMaker::FreePlace(const std::string& service) {
  ListPriorityPlacesResponse pools;
  EXPECT_TRUE(w().ListPriorityPlaces(Harness::As(Admin()).get(), {}, &pools).ok());
  int used = 0;
  for (const auto& p : pools.pools()) {
    if (p.service_id() == service) used = p.used();
  }
  DeclarePriorityPlacesRequest declare;
  declare.set_service_id(service);
  declare.set_places(used + 1);
  declare.set_idempotency_key(Key());
  DeclarePriorityPlacesResponse declared;
  auto s = w().DeclarePriorityPlaces(Harness::As(Admin()).get(), declare, &declared);
  EXPECT_TRUE(s.ok()) << s.error_message();
}

std::string CaseMaker::FutureSession() {
  workshop::SessionSlot slot = schedule_.Next(future_from_ms_);
  future_from_ms_ = slot.start_ms + 1;
  return slot.id;
}

}  // namespace relais::testing
