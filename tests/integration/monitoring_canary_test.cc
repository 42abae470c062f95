// The canary: distinctive fake names and numbers are planted wherever a person's identity or free text
// can enter Relais (persons' aliases, call-back numbers, a street report's address, spot description
// and reporter's number, a workshop plan's goals), through the real beds, dispatch and workshop services. Then the monitoring consumer
// counts the stream, the live indicators refresh and every export is made; none of the canaries may
// appear in the logs, the metrics, the aggregates, the event fields the counters read, or any export.
// Controls: the canaries are really in Redis (the dispatch records hold them), and the checker finds
// them there.
#include <google/protobuf/util/time_util.h>
#include <prometheus/text_serializer.h>

#include <algorithm>
#include <cctype>

#include "common/log.h"
#include "services/monitoring/counters.h"
#include "services/monitoring/export.h"
#include "services/monitoring/generation.h"
#include "services/monitoring/live.h"
#include "services/monitoring/report_reader.h"
#include "tests/support/beds_fixture.h"
#include "tests/support/monitoring_events.h"
#include "tests/support/workshop_fixture.h"

namespace relais::testing {
namespace {

using namespace relais::v1;
using google::protobuf::util::TimeUtil;

// Each canary is searched case-blind, and the numbers also without their spaces.
const std::vector<std::string> kCanaries = {"Quixote", "Zebulon", "Canaribird", "499 73 19", "4997319",
                                            "Rue des Canaribirds", "porche de Madame", "Quaxwright"};

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The canaries found in `text` (also with the spaces of the text taken out).
std::vector<std::string> CanariesIn(const std::string& text) {
  std::string lower = Lower(text), squeezed;
  for (char c : lower) {
    if (c != ' ') squeezed += c;
  }
  std::vector<std::string> found;
  for (const auto& canary : kCanaries) {
    std::string c = Lower(canary);
    if (lower.find(c) != std::string::npos || squeezed.find(c) != std::string::npos) found.push_back(canary);
  }
  return found;
}

// Counts the stream, refreshes the live indicators and makes every export of the current month, then
// checks no canary is in the logs, the metrics, the report and its files, the aggregates or the event
// fields the counters read. Returns the metrics text.
std::string ExpectNoCanaryAfterMonitoring(Harness& h, const std::string& logs) {
  CountEverything(h.redis(), "canary");
  prometheus::Registry registry;
  monitoring::LiveOptions live_options;
  monitoring::LiveIndicators live(h.redis(), h.clock(), registry, live_options);
  EXPECT_TRUE(live.Refresh().ok());
  std::string metrics = prometheus::TextSerializer().Serialize(registry.Collect());

  auto month = monitoring::Month::Of(h.clock().NowMs());
  auto built = monitoring::BuildMonthlyReport(h.redis(), "brussels", month, h.clock().NowMs());
  EXPECT_TRUE(built.ok()) << built.status();
  if (!built.ok()) return metrics;
  std::map<std::string, std::string> outputs = {{"logs", logs}, {"metrics", metrics}, {"report", built->DebugString()}};
  for (auto format : {REPORT_FORMAT_JSON, REPORT_FORMAT_CSV, REPORT_FORMAT_HTML}) {
    auto file = monitoring::ExportReport(*built, format);
    EXPECT_TRUE(file.ok());
    if (file.ok()) outputs[ReportFormat_Name(format)] = file->content;
  }
  std::string aggregates;
  for (const auto& [key, content] : GenerationSnapshot(h.redis(), "brussels", "1")) aggregates += key + "\n" + content;
  outputs["aggregates"] = aggregates;

  // The event fields the counters read: every argument of every operation planned from the stream.
  monitoring::Keys keys("brussels", "1");
  std::string used;
  auto entries = h.redis().Command({"XRANGE", keys.Events(), "-", "+"});
  EXPECT_TRUE(entries.ok());
  auto events = entries.ok() ? monitoring::EventsFromEntries(entries->get()) : std::vector<monitoring::Event>{};
  EXPECT_GT(events.size(), 20u);
  for (const auto& e : events) {
    for (const auto& op : monitoring::PlanEvent(e, keys)) {
      for (const auto& a : op.args) used += a + "\n";
    }
  }
  outputs["event fields counted"] = used;

  for (const auto& [where, text] : outputs) {
    EXPECT_FALSE(text.empty()) << where;
    auto found = CanariesIn(text);
    EXPECT_TRUE(found.empty()) << where << " holds " << (found.empty() ? "" : found.front());
  }
  return metrics;
}

// Everything logged, at every level, for as long as the test fixture lives.
struct LogCapture {
  LogCapture() {
    log::SetLevel(log::Level::kDebug);
    log::SetSinkForTest(&text);
  }
  ~LogCapture() {
    log::SetSinkForTest(nullptr);
    log::SetLevel(log::Level::kInfo);
  }
  std::string text;
};

class CanaryTest : public BedsTest {
 protected:

  Dispatch::Stub& d() { return h().dispatch(); }
  template <typename Req, typename Resp>
  Resp Must(grpc::Status (Dispatch::Stub::*method)(grpc::ClientContext*, const Req&, Resp*), Req req,
            const Caller& caller = Operator()) {
    Resp resp;
    auto s = (d().*method)(Harness::As(caller).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp;
  }

  Person PersonWithAlias(const std::string& alias) {
    CreatePersonRequest c;
    Person& p = *c.mutable_person();
    p.set_alias(alias);
    p.set_gender(GENDER_MAN);
    p.mutable_household()->set_adults(1);
    p.add_languages("fr");
    p.mutable_consent()->set_scope(CONSENT_SCOPE_DISPATCH);
    *p.mutable_consent()->mutable_expires_at() = TimeUtil::MillisecondsToTimestamp(h().clock().NowMs() + 86'400'000);
    c.set_idempotency_key(Key());
    return Must(&Dispatch::Stub::CreatePerson, c).person();
  }

  // Every key of Redis with its content, as text.
  std::string WholeRedis() {
    std::string out;
    for (const auto& [key, content] : Snapshot()) out += key + "\n" + content + "\n";
    return out;
  }

  LogCapture logs_;
};

TEST_F(CanaryTest, NamesAndFreeTextNeverReachLogsMetricsFiguresOrExports) {
  CreateShelter(MakeShelter("ilot", "ixelles"));
  Declare("ilot", "single_men", 10, 0, 5);

  // Persons with aliases; one alias changed later.
  Person first = PersonWithAlias("Zebulon Quixote");
  Person second = PersonWithAlias("Marguerite Canaribird");
  UpdatePersonRequest update;
  *update.mutable_person() = first;
  update.mutable_person()->set_alias("Zebulon Quixote-Canaribird");
  update.set_expected_version(first.version());
  update.set_idempotency_key(Key());
  Must(&Dispatch::Stub::UpdatePerson, update);

  // Calls: one missed with the switchboard's number, one ending with a number to call back.
  OpenCallRequest open;
  open.set_caller_kind(CALLER_KIND_CITIZEN);
  open.set_language("fr");
  open.set_idempotency_key(Key());
  Call missed = Must(&Dispatch::Stub::OpenCall, open).call();
  MissCallRequest miss;
  miss.set_call_id(missed.id());
  miss.set_call_back_contact("+32 499 73 19 55");
  miss.set_idempotency_key(Key());
  Must(&Dispatch::Stub::MissCall, miss);
  open.set_idempotency_key(Key());
  Call answered = Must(&Dispatch::Stub::OpenCall, open).call();
  AnswerCallRequest answer;
  answer.set_call_id(answered.id());
  answer.set_idempotency_key(Key());
  Must(&Dispatch::Stub::AnswerCall, answer);
  EndCallRequest end;
  end.set_call_id(answered.id());
  end.set_outcome(CALL_OUTCOME_CALL_BACK_NEEDED);
  end.set_call_back_contact("+32 499 73 19 56");
  end.set_idempotency_key(Key());
  Must(&Dispatch::Stub::EndCall, end);

  // A request for each person: one refuses a place, the other accepts it and arrives.
  std::string hold_id;
  for (const Person* p : {&first, &second}) {
    CreatePlaceRequestRequest r;
    r.set_person_id(p->id());
    r.set_idempotency_key(Key());
    PlaceRequest request = Must(&Dispatch::Stub::CreatePlaceRequest, r).request();
    ProposeRequest propose;
    propose.set_request_id(request.id());
    propose.set_pool_id("ilot:single_men");
    propose.set_idempotency_key(Key());
    Proposal proposal = Must(&Dispatch::Stub::Propose, propose).proposal();
    if (p == &first) {
      RefuseProposalRequest refuse;
      refuse.set_proposal_id(proposal.id());
      refuse.set_reason(REFUSAL_REASON_SAFETY);
      refuse.set_idempotency_key(Key());
      Must(&Dispatch::Stub::RefuseProposal, refuse);
    } else {
      AcceptProposalRequest accept;
      accept.set_proposal_id(proposal.id());
      accept.set_idempotency_key(Key());
      hold_id = Must(&Dispatch::Stub::AcceptProposal, accept).proposal().hold_id();
    }
  }
  ASSERT_FALSE(hold_id.empty());
  ConfirmArrivalRequest arrival;
  arrival.set_hold_id(hold_id);
  arrival.set_idempotency_key(Key());
  ConfirmArrivalResponse arrived;
  ASSERT_TRUE(beds().ConfirmArrival(Harness::As(ShelterAccount("ilot")).get(), arrival, &arrived).ok());

  // A street report with an address, a description of the spot and the reporter's number.
  CreateStreetReportRequest take;
  StreetReport& report = *take.mutable_report();
  report.set_reporter_kind(REPORTER_KIND_CITIZEN);
  report.set_commune("ixelles");
  report.set_address("Rue des Canaribirds 7");
  report.set_spot_description("sous le porche de Madame Quixote");
  report.add_needs(STREET_NEED_HELP);
  report.set_reporter_wants_outcome(true);
  report.set_reporter_contact("+32 499 73 19 57");
  take.set_idempotency_key(Key());
  StreetReport taken = Must(&Dispatch::Stub::CreateStreetReport, take).report();
  for (auto state : {STREET_REPORT_STATE_ASSIGNED, STREET_REPORT_STATE_ON_THE_WAY, STREET_REPORT_STATE_FOUND,
                     STREET_REPORT_STATE_CLOSED}) {
    AdvanceStreetReportRequest step;
    step.set_report_id(taken.id());
    step.set_state(state);
    if (state == STREET_REPORT_STATE_CLOSED) step.set_outcome(STREET_OUTCOME_ACCOMPANIED);
    step.set_idempotency_key(Key());
    Must(&Dispatch::Stub::AdvanceStreetReport, step, Team("maraude-samusocial"));
  }

  // Control: the canaries are in Redis (the records that may hold them), and the checker sees them.
  std::string before = WholeRedis();
  EXPECT_GE(CanariesIn(before).size(), 4u) << "the planted names and numbers were stored";

  EXPECT_NE(ExpectNoCanaryAfterMonitoring(h(), logs_.text).find("relais_places_occupied{public=\"single_men\"} 6"),
            std::string::npos);
}

// The workshop: a plan's goals are free text (the fixture's goal names "Zebulon Quaxwright"); a case
// for a person who entered shelter, préconised, approved by every party, taking a priority place.
class WorkshopCanaryTest : public WorkshopTest {
 protected:
  LogCapture logs_;
};

TEST_F(WorkshopCanaryTest, PlanGoalsNeverReachLogsMetricsFiguresOrExports) {
  std::string person = NewPerson();
  EntersShelter(person);
  Case approved = ApprovedCase("mda-1");
  DeclarePlaces("mda-1", 2, WorkshopAccount());
  TakePriorityPlaceResponse taken;
  ASSERT_TRUE(TakePlace(approved.id(), &taken).ok());
  std::string before;
  for (const auto& [key, content] : Snapshot()) before += key + "\n" + content + "\n";
  EXPECT_FALSE(CanariesIn(before).empty()) << "control: the goal is stored with the plan";
  ExpectNoCanaryAfterMonitoring(h(), logs_.text);
}

}  // namespace
}  // namespace relais::testing
