#pragma once
// Fixture of the gateway tests: the gateway in front of the services, a Redis emptied before each test,
// and a small world seen through it: two shelters ("own-shelter", "other-shelter") with pools, street
// reports routed to two teams ("team-own", "team-other"), and one account per role, each signed in.
#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "common/random_id.h"
#include "services/dispatch/routing.h"
#include "tests/integration/gateway_cases.h"
#include "tests/support/beds_fixture.h"
#include "tests/support/gateway_harness.h"

namespace relais::testing {

class GatewayTest : public ::testing::Test {
 protected:
  // Accounts of the world: username -> role.
  static constexpr const char* kUsers[][2] = {{"op1", "operator"}, {"med1", "medical"},    {"sh1", "shelter"},
                                              {"tm1", "team"},     {"ws1", "workshop"},    {"mon1", "monitoring"},
                                              {"adm1", "admin"}};

  virtual void Tweak(gateway::GatewayOptions&) {}
  // Runs on the emptied Redis before the services start (e.g. events of a past month, which must come
  // first in the stream).
  virtual void BeforeWorld() {}

  void SetUp() override {
    SharedRedis().FlushAll();
    BeforeWorld();
    dispatch::DispatchConfig dc;
    dc.service.routing = *dispatch::Routing::Parse("maraude=team-own;street_work=team-other");
    gw_ = std::make_unique<GatewayHarness>(SharedRedis(), [this](gateway::GatewayOptions& o) { Tweak(o); }, dc);
    for (const char* id : {"own-shelter", "other-shelter"}) {
      relais::v1::CreateShelterRequest req;
      *req.mutable_shelter() = MakeShelter(id, std::string(id) == "own-shelter" ? "ixelles" : "etterbeek");
      req.set_idempotency_key(Key());
      relais::v1::CreateShelterResponse resp;
      ASSERT_TRUE(beds().CreateShelter(Harness::As(Admin()).get(), req, &resp).ok());
      for (const char* pub : {"single_men", "medical"}) {
        relais::v1::DeclarePoolRequest d;
        d.set_shelter_id(id);
        d.set_public_(pub);
        d.mutable_figures()->set_places_in_service(500);
        d.mutable_figures()->set_occupied(100);
        d.set_idempotency_key(Key());
        relais::v1::DeclarePoolResponse dr;
        ASSERT_TRUE(beds().DeclarePool(Harness::As(Admin()).get(), d, &dr).ok());
      }
    }
    {
      // A maison d'accueil: an insertion solution of the directory.
      relais::v1::CreateShelterRequest req;
      *req.mutable_shelter() = MakeShelter("insertion-home", "forest");
      req.mutable_shelter()->set_kind(relais::v1::SERVICE_KIND_MAISON_ACCUEIL);
      req.set_idempotency_key(Key());
      relais::v1::CreateShelterResponse resp;
      ASSERT_TRUE(beds().CreateShelter(Harness::As(Admin()).get(), req, &resp).ok());
    }
    for (const auto& u : kUsers) {
      std::string role = u[1];
      gw_->AddUser(u[0], role, role == "shelter" ? std::vector<std::string>{"own-shelter"} : std::vector<std::string>{},
                   role == "team" ? "team-own" : "");
    }
  }
  void TearDown() override {
    clients_.clear();
    cases_.reset();
    gw_.reset();
  }

  GatewayHarness& gw() { return *gw_; }
  relais::v1::Beds::Stub& beds() { return gw_->services().stub(); }
  relais::v1::Dispatch::Stub& dispatch() { return gw_->services().dispatch(); }
  relais::v1::Workshop::Stub& workshop() { return gw_->services().workshop(); }
  static std::string Key() { return RandomId("k-"); }

  // An account of the world as the services see it: its role, its username as subject, its bindings.
  static Caller CallerOf(const std::string& username) {
    for (const auto& u : kUsers) {
      if (username != u[0]) continue;
      std::string role = u[1];
      return Caller{ParseRole(role), username, role == "shelter" ? std::vector<std::string>{"own-shelter"}
                                                                 : std::vector<std::string>{},
                    role == "team" ? "team-own" : ""};
    }
    return Caller{};
  }
  // Workshop cases through gRPC (gateway_cases.h).
  CaseMaker& cases() {
    if (!cases_) cases_ = std::make_unique<CaseMaker>(gw_->services());
    return *cases_;
  }

  // A signed-in client per account (signed in once per test).
  HttpClient& As(const std::string& username) {
    auto it = clients_.find(username);
    if (it == clients_.end()) it = clients_.emplace(username, gw_->SignedIn(username)).first;
    return it->second;
  }

  // Objects made through gRPC as admin (fresh each call).
  std::string NewHold(const std::string& shelter, const std::string& pub = "single_men") {
    relais::v1::TakeHoldRequest req;
    req.set_pool_id(shelter + ":" + pub);
    req.set_request_id(RandomId("req-"));
    req.set_idempotency_key(Key());
    relais::v1::TakeHoldResponse resp;
    auto s = beds().TakeHold(Harness::As(Admin()).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.hold().id();
  }
  std::string NewCall() {
    relais::v1::OpenCallRequest req;
    req.set_caller_kind(relais::v1::CALLER_KIND_PERSON);
    req.set_language("fr");
    req.set_idempotency_key(Key());
    relais::v1::OpenCallResponse resp;
    EXPECT_TRUE(dispatch().OpenCall(Harness::As(Admin()).get(), req, &resp).ok());
    return resp.call().id();
  }
  std::string NewAnsweredCall() {
    relais::v1::AnswerCallRequest req;
    req.set_call_id(NewCall());
    req.set_idempotency_key(Key());
    relais::v1::AnswerCallResponse resp;
    EXPECT_TRUE(dispatch().AnswerCall(Harness::As(Operator()).get(), req, &resp).ok());
    return req.call_id();
  }
  // A call missed with a number: it waits on the call-back list.
  std::string NewCallBack() {
    relais::v1::MissCallRequest req;
    req.set_call_id(NewCall());
    req.set_call_back_contact("+32 2 000 00 00");
    req.set_idempotency_key(Key());
    relais::v1::MissCallResponse resp;
    auto s = dispatch().MissCall(Harness::As(Operator()).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return req.call_id();
  }
  std::string NewPerson() {
    relais::v1::CreatePersonRequest req;
    auto* p = req.mutable_person();
    p->set_age_band(relais::v1::AGE_BAND_26_45);
    p->set_gender(relais::v1::GENDER_MAN);
    p->mutable_household()->set_adults(1);
    p->mutable_consent()->set_scope(relais::v1::CONSENT_SCOPE_ORIENTATION);
    *p->mutable_consent()->mutable_expires_at() = google::protobuf::util::TimeUtil::MillisecondsToTimestamp(
        gw_->clock().NowMs() + 30LL * 24 * 3600 * 1000);
    req.set_idempotency_key(Key());
    relais::v1::CreatePersonResponse resp;
    auto s = dispatch().CreatePerson(Harness::As(Admin()).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.person().id();
  }
  std::string NewRequest() {
    relais::v1::CreatePlaceRequestRequest req;
    req.set_person_id(NewPerson());
    req.set_idempotency_key(Key());
    relais::v1::CreatePlaceRequestResponse resp;
    auto s = dispatch().CreatePlaceRequest(Harness::As(Admin()).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.request().id();
  }
  std::string NewProposal() {
    relais::v1::ProposeRequest req;
    req.set_request_id(NewRequest());
    req.set_pool_id("own-shelter:single_men");
    req.set_idempotency_key(Key());
    relais::v1::ProposeResponse resp;
    auto s = dispatch().Propose(Harness::As(Admin()).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.proposal().id();
  }
  // own: routed to team-own (a maraude need), else to team-other (a street-work need).
  std::string NewReport(bool own) {
    relais::v1::CreateStreetReportRequest req;
    auto* r = req.mutable_report();
    r->set_reporter_kind(relais::v1::REPORTER_KIND_CITIZEN);
    r->set_commune("ixelles");
    r->set_address("Place Flagey " + RandomId(""));
    r->add_needs(own ? relais::v1::STREET_NEED_HELP : relais::v1::STREET_NEED_INFORMATION);
    req.set_idempotency_key(Key());
    relais::v1::CreateStreetReportResponse resp;
    auto s = dispatch().CreateStreetReport(Harness::As(Admin()).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.report().id();
  }
  std::string NewCrisis(const std::string& shelter) {
    relais::v1::OpenBufferRequest req;
    req.set_shelter_id(shelter);
    req.set_reason(relais::v1::CRISIS_REASON_COLD);
    req.set_mode(relais::v1::CRISIS_MODE_24H);
    req.set_idempotency_key(Key());
    relais::v1::OpenBufferResponse resp;
    auto s = beds().OpenBuffer(Harness::As(Admin()).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.crisis().id();
  }

  // Every key with its content: equal snapshots mean nothing changed.
  std::map<std::string, std::string> Snapshot() {
    std::map<std::string, std::string> out;
    auto& redis = gw_->services().redis();
    std::string cursor = "0";
    do {
      auto r = redis.Command({"SCAN", cursor, "COUNT", "1000"});
      if (!r.ok()) break;
      cursor = std::string(ReplyStr((*r)->element[0]));
      const redisReply* keys = (*r)->element[1];
      for (size_t i = 0; i < keys->elements; ++i) {
        std::string key(ReplyStr(keys->element[i]));
        auto dump = redis.Command({"DUMP", key});
        out[key] = dump.ok() ? std::string(ReplyStr(dump->get())) : "";
      }
    } while (cursor != "0");
    return out;
  }

  std::unique_ptr<GatewayHarness> gw_;
  std::unique_ptr<CaseMaker> cases_;
  std::map<std::string, HttpClient> clients_;
};

}  // namespace relais::testing
