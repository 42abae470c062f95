// Calls through the dispatch gRPC API against a real Redis: the queue of waiting calls with waiting
// time and the 10-minute target, answer and outcome, missed calls and the call-back list, the contact
// deleted once the call-back is done, events without personal details.
#include "tests/support/beds_fixture.h"

namespace relais::testing {
namespace {

using namespace relais::v1;

class CallsTest : public BedsTest {
 protected:
  Dispatch::Stub& d() { return h().dispatch(); }

  Call Open(CallerKind kind, const std::string& language) {
    OpenCallRequest r;
    r.set_caller_kind(kind);
    r.set_language(language);
    r.set_idempotency_key(Key());
    OpenCallResponse resp;
    auto s = d().OpenCall(Harness::As(Operator()).get(), r, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.call();
  }
  Call Answer(const std::string& id, const std::string& op = "op-1") {
    AnswerCallRequest r;
    r.set_call_id(id);
    r.set_idempotency_key(Key());
    AnswerCallResponse resp;
    auto s = d().AnswerCall(Harness::As(Operator(op)).get(), r, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.call();
  }
  grpc::Status End(const std::string& id, CallOutcome outcome, const std::string& contact, Call* out) {
    EndCallRequest r;
    r.set_call_id(id);
    r.set_outcome(outcome);
    r.set_call_back_contact(contact);
    r.set_idempotency_key(Key());
    EndCallResponse resp;
    auto s = d().EndCall(Harness::As(Operator()).get(), r, &resp);
    *out = resp.call();
    return s;
  }
  ListCallsResponse List(CallList list) {
    ListCallsRequest r;
    r.set_list(list);
    ListCallsResponse resp;
    auto s = d().ListCalls(Harness::As(Operator()).get(), r, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp;
  }
};

TEST_F(CallsTest, WaitingCallsShowTheirWaitAndTheOnesPastTenMinutes) {
  Call first = Open(CALLER_KIND_PERSON, "fr");
  h().clock().Advance(std::chrono::minutes(4));
  Call second = Open(CALLER_KIND_POLICE, "nl");
  h().clock().Advance(std::chrono::minutes(7));  // first waits 11 min, second 7 min

  auto waiting = List(CALL_LIST_WAITING);
  ASSERT_EQ(waiting.calls_size(), 2);
  EXPECT_EQ(waiting.calls(0).id(), first.id()) << "oldest first";
  EXPECT_EQ(waiting.calls(0).waiting_seconds(), 11 * 60);
  EXPECT_TRUE(waiting.calls(0).breaching());
  EXPECT_EQ(waiting.calls(1).waiting_seconds(), 7 * 60);
  EXPECT_FALSE(waiting.calls(1).breaching());
  EXPECT_EQ(waiting.breaching(), 1);
  EXPECT_EQ(waiting.target_seconds(), 600);

  Call answered = Answer(second.id(), "op-7");
  EXPECT_EQ(answered.state(), CALL_STATE_ANSWERED);
  EXPECT_EQ(answered.operator_(), "op-7");
  EXPECT_EQ(answered.waiting_seconds(), 7 * 60);
  h().clock().Advance(std::chrono::minutes(30));
  Call ended;
  ASSERT_TRUE(End(second.id(), CALL_OUTCOME_INFORMATION_GIVEN, "", &ended).ok());
  EXPECT_EQ(ended.state(), CALL_STATE_ENDED);
  EXPECT_EQ(ended.waiting_seconds(), 7 * 60) << "waiting stops when the call is answered";
  EXPECT_EQ(List(CALL_LIST_WAITING).calls_size(), 1);
  EXPECT_EQ(List(CALL_LIST_RECENT).calls_size(), 2);
}

TEST_F(CallsTest, MissedCallsGoToTheCallBackListAndTheNumberIsDeletedOnceCalledBack) {
  Call c = Open(CALLER_KIND_CITIZEN, "en");
  h().clock().Advance(std::chrono::minutes(3));
  MissCallRequest miss;
  miss.set_call_id(c.id());
  miss.set_call_back_contact("+32 470 00 00 01");
  miss.set_idempotency_key(Key());
  MissCallResponse missed;
  ASSERT_TRUE(d().MissCall(Harness::As(Operator()).get(), miss, &missed).ok());
  EXPECT_EQ(missed.call().state(), CALL_STATE_MISSED);
  EXPECT_EQ(missed.call().call_back(), CALL_BACK_STATE_PENDING);
  EXPECT_EQ(missed.call().waiting_seconds(), 180);

  auto backs = List(CALL_LIST_CALL_BACKS);
  ASSERT_EQ(backs.calls_size(), 1);
  EXPECT_EQ(backs.calls(0).call_back_contact(), "+32 470 00 00 01");
  EXPECT_EQ(List(CALL_LIST_WAITING).calls_size(), 0);

  CompleteCallBackRequest done;
  done.set_call_id(c.id());
  done.set_reached(true);
  done.set_idempotency_key(Key());
  CompleteCallBackResponse completed;
  ASSERT_TRUE(d().CompleteCallBack(Harness::As(Operator()).get(), done, &completed).ok());
  EXPECT_EQ(completed.call().call_back(), CALL_BACK_STATE_DONE);
  EXPECT_EQ(completed.call().call_back_contact(), "");
  EXPECT_EQ(List(CALL_LIST_CALL_BACKS).calls_size(), 0);
  // The number is gone from Redis too, not only from the answer; and it never reached an event.
  for (const auto& [key, dump] : Snapshot()) EXPECT_EQ(dump.find("470 00 00 01"), std::string::npos) << key;
}

TEST_F(CallsTest, ACallBackOutcomeNeedsANumberAndOnlyThatOutcomeTakesOne) {
  Call c = Open(CALLER_KIND_HOSPITAL, "fr");
  Answer(c.id());
  Call out;
  EXPECT_EQ(End(c.id(), CALL_OUTCOME_CALL_BACK_NEEDED, "", &out).error_code(), grpc::INVALID_ARGUMENT);
  EXPECT_EQ(End(c.id(), CALL_OUTCOME_INFORMATION_GIVEN, "+32 2 000 00 00", &out).error_code(), grpc::INVALID_ARGUMENT);
  ASSERT_TRUE(End(c.id(), CALL_OUTCOME_CALL_BACK_NEEDED, "+32 2 000 00 00", &out).ok());
  EXPECT_EQ(out.call_back(), CALL_BACK_STATE_PENDING);
  EXPECT_EQ(List(CALL_LIST_CALL_BACKS).calls_size(), 1);
}

TEST_F(CallsTest, StepsOutOfOrderAreRefusedAndRetriesAnswerTheFirstAnswer) {
  Call c = Open(CALLER_KIND_PERSON, "ar");
  Call out;
  auto early = End(c.id(), CALL_OUTCOME_INFORMATION_GIVEN, "", &out);
  EXPECT_EQ(early.error_code(), grpc::FAILED_PRECONDITION) << early.error_message();

  AnswerCallRequest r;
  r.set_call_id(c.id());
  r.set_idempotency_key("answer-once-1234");
  AnswerCallResponse first, retry, again;
  ASSERT_TRUE(d().AnswerCall(Harness::As(Operator()).get(), r, &first).ok());
  h().clock().Advance(std::chrono::minutes(1));
  ASSERT_TRUE(d().AnswerCall(Harness::As(Operator()).get(), r, &retry).ok()) << "a retry is not an error";
  EXPECT_EQ(retry.call().answered_at().seconds(), first.call().answered_at().seconds());
  r.set_idempotency_key("answer-twice-1234");
  EXPECT_EQ(d().AnswerCall(Harness::As(Operator()).get(), r, &again).error_code(), grpc::FAILED_PRECONDITION);
}

TEST_F(CallsTest, EveryStepIsOneEventWithCategoriesOnly) {
  Call c = Open(CALLER_KIND_PUBLIC_TRANSPORT, "nl");
  h().clock().Advance(std::chrono::seconds(90));
  Answer(c.id());
  Call out;
  ASSERT_TRUE(End(c.id(), CALL_OUTCOME_STREET_REPORT_TAKEN, "", &out).ok());
  auto events = Events();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0]["type"], "call.queued");
  EXPECT_EQ(events[0]["caller_kind"], "CALLER_KIND_PUBLIC_TRANSPORT");
  EXPECT_EQ(events[1]["type"], "call.answered");
  EXPECT_EQ(events[1]["waited_ms"], "90000");
  EXPECT_EQ(events[2]["type"], "call.ended");
  EXPECT_EQ(events[2]["outcome"], "CALL_OUTCOME_STREET_REPORT_TAKEN");
  for (auto& e : events) EXPECT_EQ(e.count("operator"), 0u) << "events carry no account or person names";
}

TEST_F(CallsTest, OnlyTheHotlineHandlesCalls) {
  OpenCallRequest r;
  r.set_caller_kind(CALLER_KIND_PERSON);
  r.set_language("fr");
  r.set_idempotency_key(Key());
  OpenCallResponse resp;
  for (const Caller& c : {ShelterAccount("ilot"), Team(), Monitoring(), Anonymous()}) {
    EXPECT_EQ(d().OpenCall(Harness::As(c).get(), r, &resp).error_code(), grpc::PERMISSION_DENIED);
  }
}

}  // namespace
}  // namespace relais::testing
