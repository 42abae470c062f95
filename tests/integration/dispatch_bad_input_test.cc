// Bad input to the dispatch service: each invalid request gets its expected status, a message naming
// the field, and changes nothing (every key of Redis, the event stream included, is the same after).
#include <google/protobuf/util/time_util.h>

#include <functional>

#include "tests/support/beds_fixture.h"

namespace relais::testing {
namespace {

using google::protobuf::util::TimeUtil;
using namespace relais::v1;

struct BadCase {
  std::string name;
  grpc::StatusCode code;
  std::string field;  // the message must start with it (empty: not checked)
  std::function<grpc::Status(Dispatch::Stub&)> call;
};

template <typename Req, typename Resp>
std::function<grpc::Status(Dispatch::Stub&)> Call(
    grpc::Status (Dispatch::Stub::*method)(grpc::ClientContext*, const Req&, Resp*), Req req, Caller caller = Operator()) {
  return [method, req, caller](Dispatch::Stub& stub) {
    Resp resp;
    return (stub.*method)(Harness::As(caller).get(), req, &resp);
  };
}

class DispatchBadInputTest : public BedsTest {};

TEST_F(DispatchBadInputTest, EachBadRequestGetsItsStatusAndChangesNothing) {
  // A call waiting and a person, so that steps on real objects are tried too.
  OpenCallRequest open;
  open.set_caller_kind(CALLER_KIND_PERSON);
  open.set_language("fr");
  open.set_idempotency_key(Key());
  OpenCallResponse opened;
  ASSERT_TRUE(h().dispatch().OpenCall(Harness::As(Operator()).get(), open, &opened).ok());
  const std::string call_id = opened.call().id();
  CreatePersonRequest create;
  create.mutable_person()->mutable_household()->set_adults(1);
  create.set_idempotency_key(Key());
  CreatePersonResponse created;
  ASSERT_TRUE(h().dispatch().CreatePerson(Harness::As(Operator()).get(), create, &created).ok());
  const std::string person_id = created.person().id();

  std::vector<BadCase> cases;
  auto open_call = [&](std::string name, std::string field, std::function<void(OpenCallRequest&)> spoil) {
    OpenCallRequest r = open;
    r.set_idempotency_key("bad-open-call-1");
    spoil(r);
    cases.push_back({name, grpc::INVALID_ARGUMENT, field, Call(&Dispatch::Stub::OpenCall, r)});
  };
  open_call("no caller kind", "caller_kind", [](auto& r) { r.clear_caller_kind(); });
  open_call("caller kind out of range", "caller_kind", [](auto& r) { r.set_caller_kind(static_cast<CallerKind>(42)); });
  open_call("no language", "language", [](auto& r) { r.clear_language(); });
  open_call("language as a sentence", "language", [](auto& r) { r.set_language("francais"); });
  open_call("short idempotency key", "idempotency_key", [](auto& r) { r.set_idempotency_key("k"); });
  open_call("idempotency key with spaces", "idempotency_key", [](auto& r) { r.set_idempotency_key("a key with spaces"); });
  {
    OpenCallRequest r = open;
    r.set_idempotency_key("bad-open-call-2");
    cases.push_back({"shelter opens a call", grpc::PERMISSION_DENIED, "", Call(&Dispatch::Stub::OpenCall, r, ShelterAccount("ilot"))});
  }
  {
    AnswerCallRequest r;
    r.set_idempotency_key("bad-answer-1");
    cases.push_back({"answer without call id", grpc::INVALID_ARGUMENT, "call_id", Call(&Dispatch::Stub::AnswerCall, r)});
    r.set_call_id("c-1 OR 1=1");
    cases.push_back({"answer a malformed call id", grpc::INVALID_ARGUMENT, "call_id", Call(&Dispatch::Stub::AnswerCall, r)});
    r.set_call_id("c000000000000000000000000");
    cases.push_back({"answer an unknown call", grpc::NOT_FOUND, "call_id", Call(&Dispatch::Stub::AnswerCall, r)});
  }
  {
    EndCallRequest r;
    r.set_call_id(call_id);
    r.set_idempotency_key("bad-end-1");
    cases.push_back({"end without outcome", grpc::INVALID_ARGUMENT, "outcome", Call(&Dispatch::Stub::EndCall, r)});
    r.set_outcome(CALL_OUTCOME_INFORMATION_GIVEN);
    cases.push_back({"end a call never answered", grpc::FAILED_PRECONDITION, "call_id", Call(&Dispatch::Stub::EndCall, r)});
    r.set_outcome(CALL_OUTCOME_CALL_BACK_NEEDED);
    r.set_call_back_contact("ask for Jean at the station");
    cases.push_back({"call-back contact that is not a number", grpc::INVALID_ARGUMENT, "call_back_contact",
                     Call(&Dispatch::Stub::EndCall, r)});
  }
  {
    CompleteCallBackRequest r;
    r.set_call_id(call_id);
    r.set_idempotency_key("bad-call-back-1");
    cases.push_back({"call back a call with no call-back", grpc::FAILED_PRECONDITION, "call_id",
                     Call(&Dispatch::Stub::CompleteCallBack, r)});
  }
  {
    ListCallsRequest r;
    cases.push_back({"list without naming the list", grpc::INVALID_ARGUMENT, "list", Call(&Dispatch::Stub::ListCalls, r)});
    r.set_list(CALL_LIST_WAITING);
    r.set_limit(100000);
    cases.push_back({"list of 100000", grpc::INVALID_ARGUMENT, "limit", Call(&Dispatch::Stub::ListCalls, r)});
  }
  auto person = [&](std::string name, std::string field, std::function<void(Person&)> spoil) {
    CreatePersonRequest r = create;
    r.set_idempotency_key("bad-person-1");
    spoil(*r.mutable_person());
    cases.push_back({name, grpc::INVALID_ARGUMENT, field, Call(&Dispatch::Stub::CreatePerson, r)});
  };
  person("alias without consent", "person.alias", [](auto& p) { p.set_alias("Jo"); });
  person("alias of 1 kB", "person.alias", [](auto& p) { p.set_alias(std::string(1000, 'a')); });
  person("need listed twice", "person.needs", [](auto& p) { p.add_needs(NEED_PET); p.add_needs(NEED_PET); });
  person("unknown need", "person.needs", [](auto& p) { p.add_needs(static_cast<Need>(77)); });
  person("99 adults", "person.household.adults", [](auto& p) { p.mutable_household()->set_adults(99); });
  person("negative children", "person.household.children", [](auto& p) { p.mutable_household()->set_children(-1); });
  person("consent without expiry", "person.consent.expires_at",
         [](auto& p) { p.mutable_consent()->set_scope(CONSENT_SCOPE_DISPATCH); });
  person("language code in capitals", "person.languages", [](auto& p) { p.add_languages("FR"); });
  {
    CreatePersonRequest r = create;
    r.set_idempotency_key("bad-person-2");
    cases.push_back({"monitoring records a person", grpc::PERMISSION_DENIED, "",
                     Call(&Dispatch::Stub::CreatePerson, r, Monitoring())});
  }
  {
    GetPersonRequest r;
    r.set_person_id(person_id);
    cases.push_back({"read without purpose", grpc::INVALID_ARGUMENT, "purpose", Call(&Dispatch::Stub::GetPerson, r)});
    r.set_purpose(READ_PURPOSE_DISPATCH);
    cases.push_back({"monitoring reads a person", grpc::PERMISSION_DENIED, "", Call(&Dispatch::Stub::GetPerson, r, Monitoring())});
    cases.push_back({"team reads without consent", grpc::PERMISSION_DENIED, "", Call(&Dispatch::Stub::GetPerson, r, Team())});
    r.set_person_id("p-jean-dupont");
    cases.push_back({"read a malformed person id", grpc::INVALID_ARGUMENT, "person_id", Call(&Dispatch::Stub::GetPerson, r)});
    r.set_person_id("p000000000000000000000000");
    cases.push_back({"read an unknown person", grpc::NOT_FOUND, "person_id", Call(&Dispatch::Stub::GetPerson, r)});
  }
  {
    SetConsentRequest r;
    r.set_person_id(person_id);
    r.set_idempotency_key("bad-consent-1");
    cases.push_back({"consent without scope", grpc::INVALID_ARGUMENT, "scope", Call(&Dispatch::Stub::SetConsent, r)});
    r.set_scope(CONSENT_SCOPE_DISPATCH);
    *r.mutable_expires_at() = TimeUtil::MillisecondsToTimestamp(h().clock().NowMs() - 1000);
    cases.push_back({"consent expiring in the past", grpc::INVALID_ARGUMENT, "expires_at", Call(&Dispatch::Stub::SetConsent, r)});
    r.clear_scope();
    r.set_withdraw(true);
    cases.push_back({"withdraw a consent never given", grpc::FAILED_PRECONDITION, "person_id",
                     Call(&Dispatch::Stub::SetConsent, r)});
  }
  {
    UpdatePersonRequest r;
    *r.mutable_person() = created.person();
    r.set_idempotency_key("bad-update-1");
    cases.push_back({"update without the version read", grpc::INVALID_ARGUMENT, "expected_version",
                     Call(&Dispatch::Stub::UpdatePerson, r)});
    r.set_expected_version(9);
    cases.push_back({"update of a stale version", grpc::ABORTED, "expected_version", Call(&Dispatch::Stub::UpdatePerson, r)});
  }
  {
    ListPersonAuditRequest r;
    r.set_person_id(person_id);
    cases.push_back({"operator reads the audit trail", grpc::PERMISSION_DENIED, "", Call(&Dispatch::Stub::ListPersonAudit, r)});
    SetVulnerabilityGridRequest g;
    g.set_idempotency_key("bad-grid-1");
    cases.push_back({"empty grid", grpc::INVALID_ARGUMENT, "grid.criteria", Call(&Dispatch::Stub::SetVulnerabilityGrid, g, Admin())});
  }

  {
    CreatePlaceRequestRequest r;
    r.set_idempotency_key("bad-request-1");
    cases.push_back({"request without person", grpc::INVALID_ARGUMENT, "person_id", Call(&Dispatch::Stub::CreatePlaceRequest, r)});
    r.set_person_id("p000000000000000000000000");
    cases.push_back({"request for an unknown person", grpc::NOT_FOUND, "person_id", Call(&Dispatch::Stub::CreatePlaceRequest, r)});
    r.set_person_id(person_id);
    for (int i = 0; i < 6; ++i) r.add_preferred_communes("ixelles");
    cases.push_back({"six preferred communes", grpc::INVALID_ARGUMENT, "preferred_communes",
                     Call(&Dispatch::Stub::CreatePlaceRequest, r)});
    r.clear_preferred_communes();
    r.set_preferred_shelter_id("Ilot {x}");
    cases.push_back({"malformed preferred shelter", grpc::INVALID_ARGUMENT, "preferred_shelter_id",
                     Call(&Dispatch::Stub::CreatePlaceRequest, r)});
    r.clear_preferred_shelter_id();
    cases.push_back({"a shelter account creates a request", grpc::PERMISSION_DENIED, "",
                     Call(&Dispatch::Stub::CreatePlaceRequest, r, ShelterAccount("ilot"))});
  }
  {
    ProposeRequest r;
    r.set_request_id("r000000000000000000000000");
    r.set_pool_id("ilot");
    r.set_idempotency_key("bad-propose-1");
    cases.push_back({"propose a pool id without public", grpc::INVALID_ARGUMENT, "pool_id", Call(&Dispatch::Stub::Propose, r)});
    r.set_pool_id("ilot:single_men");
    cases.push_back({"propose to an unknown request", grpc::NOT_FOUND, "request_id", Call(&Dispatch::Stub::Propose, r)});
    r.set_request_id("request-1");
    cases.push_back({"propose to a malformed request id", grpc::INVALID_ARGUMENT, "request_id", Call(&Dispatch::Stub::Propose, r)});
    AcceptProposalRequest a;
    a.set_proposal_id("x000000000000000000000000");
    a.set_idempotency_key("bad-accept-1");
    cases.push_back({"accept an unknown proposal", grpc::NOT_FOUND, "proposal_id", Call(&Dispatch::Stub::AcceptProposal, a)});
    a.set_proposal_id("x-1");
    cases.push_back({"accept a malformed proposal id", grpc::INVALID_ARGUMENT, "proposal_id", Call(&Dispatch::Stub::AcceptProposal, a)});
    RefuseProposalRequest f;
    f.set_proposal_id("x000000000000000000000000");
    f.set_idempotency_key("bad-refuse-1");
    cases.push_back({"refuse without a reason", grpc::INVALID_ARGUMENT, "reason", Call(&Dispatch::Stub::RefuseProposal, f)});
    ListQueueRequest q;
    q.set_lane(static_cast<Lane>(9));
    cases.push_back({"queue of an unknown lane", grpc::INVALID_ARGUMENT, "lane", Call(&Dispatch::Stub::ListQueue, q)});
  }

  auto before = Snapshot();
  for (const auto& c : cases) {
    auto s = c.call(h().dispatch());
    EXPECT_EQ(s.error_code(), c.code) << c.name << ": " << s.error_message();
    if (!c.field.empty()) {
      EXPECT_EQ(s.error_message().rfind(c.field, 0), 0u) << c.name << ": " << s.error_message();
    }
    EXPECT_EQ(Snapshot(), before) << c.name << " changed the state";
  }
  EXPECT_GE(cases.size(), 45u);
}

}  // namespace
}  // namespace relais::testing
