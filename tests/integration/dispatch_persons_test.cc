// Persons through the dispatch gRPC API against a real Redis: the vulnerability decision and its
// explanation, reads checked and audited one for one, consent (alias only with it; withdrawn stops
// sharing and deletes the alias), grid versions, and no alias in any event.
#include <google/protobuf/util/time_util.h>

#include "tests/support/beds_fixture.h"

namespace relais::testing {
namespace {

using google::protobuf::util::TimeUtil;
using namespace relais::v1;

constexpr char kCanary[] = "Zebulon Quaxwright";  // a name that must never leave the person's record

class PersonsTest : public BedsTest {
 protected:
  Dispatch::Stub& d() { return h().dispatch(); }

  google::protobuf::Timestamp InHours(int hours) {
    return TimeUtil::MillisecondsToTimestamp(h().clock().NowMs() + hours * 3600'000LL);
  }

  Person Create(Person p, const Caller& caller = Operator()) {
    CreatePersonRequest r;
    *r.mutable_person() = std::move(p);
    r.set_idempotency_key(Key());
    CreatePersonResponse resp;
    auto s = d().CreatePerson(Harness::As(caller).get(), r, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.person();
  }

  Person WithConsent(ConsentScope scope) {
    Person p;
    p.set_alias(kCanary);
    p.set_age_band(AGE_BAND_18_25);
    p.set_gender(GENDER_WOMAN);
    p.mutable_household()->set_adults(1);
    p.add_languages("fr");
    p.add_needs(NEED_VICTIM_OF_VIOLENCE);
    p.mutable_consent()->set_scope(scope);
    *p.mutable_consent()->mutable_expires_at() = InHours(24);
    return p;
  }

  grpc::Status Read(const std::string& id, const Caller& caller, ReadPurpose purpose, Person* out) {
    GetPersonRequest r;
    r.set_person_id(id);
    r.set_purpose(purpose);
    GetPersonResponse resp;
    auto s = d().GetPerson(Harness::As(caller).get(), r, &resp);
    *out = resp.person();
    return s;
  }

  std::vector<AuditEntry> Audit(const std::string& id) {
    ListPersonAuditRequest r;
    r.set_person_id(id);
    ListPersonAuditResponse resp;
    auto s = d().ListPersonAudit(Harness::As(Admin()).get(), r, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return {resp.entries().begin(), resp.entries().end()};
  }
};

TEST_F(PersonsTest, TheVulnerabilityDecisionPutsThePersonInALaneAndSaysWhy) {
  Person p = Create(WithConsent(CONSENT_SCOPE_DISPATCH));
  EXPECT_EQ(p.id().size(), 25u);
  EXPECT_EQ(p.vulnerability().score(), 8);
  EXPECT_EQ(p.vulnerability().lane(), LANE_PRIORITY);
  EXPECT_EQ(p.vulnerability().grid_version(), 0);
  ASSERT_EQ(p.vulnerability().explanation_size(), 2);
  EXPECT_EQ(p.vulnerability().explanation(0), "need NEED_VICTIM_OF_VIOLENCE: +8");
  EXPECT_EQ(p.version(), 1);
  EXPECT_TRUE(p.consent().has_given_at());
}

TEST_F(PersonsTest, EveryReadIsAuditedOneForOneAndRefusedReadsLeaveNoEntry) {
  Person p = Create(WithConsent(CONSENT_SCOPE_DISPATCH));
  EXPECT_TRUE(Audit(p.id()).empty()) << "creating is not reading";
  Person out;
  struct Attempt { Caller caller; ReadPurpose purpose; bool allowed; };
  std::vector<Attempt> reads = {
      {Operator("op-1"), READ_PURPOSE_DISPATCH, true},
      {Medical(), READ_PURPOSE_DISPATCH, true},
      {Team("maraude-2"), READ_PURPOSE_STREET_WORK, true},          // consent DISPATCH covers teams
      {Caller{Role::kWorkshop, "ws-1", {}, ""}, READ_PURPOSE_ORIENTATION, false},  // needs ORIENTATION
      {Monitoring(), READ_PURPOSE_DISPATCH, false},
      {Operator("op-2"), READ_PURPOSE_CALL, true},
  };
  std::vector<Attempt> made;
  for (const auto& r : reads) {
    h().clock().Advance(std::chrono::seconds(1));
    auto s = Read(p.id(), r.caller, r.purpose, &out);
    EXPECT_EQ(s.ok(), r.allowed) << RoleName(r.caller.role) << ": " << s.error_message();
    if (s.ok()) {
      EXPECT_EQ(out.alias(), kCanary);
      made.push_back(r);
    }
  }
  auto audit = Audit(p.id());
  ASSERT_EQ(audit.size(), made.size());
  for (size_t i = 0; i < made.size(); ++i) {  // newest first
    const auto& entry = audit[audit.size() - 1 - i];
    EXPECT_EQ(entry.subject(), made[i].caller.subject);
    EXPECT_EQ(entry.role(), RoleName(made[i].caller.role));
    EXPECT_EQ(entry.purpose(), made[i].purpose);
  }
}

TEST_F(PersonsTest, WithdrawnConsentStopsSharingAndDeletesTheAlias) {
  Person p = Create(WithConsent(CONSENT_SCOPE_ORIENTATION));
  Person out;
  ASSERT_TRUE(Read(p.id(), Caller{Role::kWorkshop, "ws-1", {}, ""}, READ_PURPOSE_ORIENTATION, &out).ok());

  SetConsentRequest w;
  w.set_person_id(p.id());
  w.set_withdraw(true);
  w.set_idempotency_key(Key());
  SetConsentResponse withdrawn;
  ASSERT_TRUE(d().SetConsent(Harness::As(Operator()).get(), w, &withdrawn).ok());
  EXPECT_TRUE(withdrawn.person().consent().withdrawn());
  EXPECT_EQ(withdrawn.person().alias(), "");

  EXPECT_EQ(Read(p.id(), Caller{Role::kWorkshop, "ws-1", {}, ""}, READ_PURPOSE_ORIENTATION, &out).error_code(),
            grpc::PERMISSION_DENIED);
  EXPECT_EQ(Read(p.id(), Team(), READ_PURPOSE_STREET_WORK, &out).error_code(), grpc::PERMISSION_DENIED);
  ASSERT_TRUE(Read(p.id(), Operator(), READ_PURPOSE_DISPATCH, &out).ok()) << "the central point still helps";
  EXPECT_EQ(out.alias(), "");
  for (const auto& [key, dump] : Snapshot()) EXPECT_EQ(dump.find(kCanary), std::string::npos) << key;
}

TEST_F(PersonsTest, AnExpiredConsentStopsSharingToo) {
  Person p = Create(WithConsent(CONSENT_SCOPE_DISPATCH));
  h().clock().Advance(std::chrono::hours(25));
  Person out;
  EXPECT_EQ(Read(p.id(), Team(), READ_PURPOSE_STREET_WORK, &out).error_code(), grpc::PERMISSION_DENIED);
  ASSERT_TRUE(Read(p.id(), Operator(), READ_PURPOSE_DISPATCH, &out).ok());
  EXPECT_EQ(out.alias(), "") << "an alias is not shown once its consent expired";
}

TEST_F(PersonsTest, UpdatesAreRefusedWhenTheRecordChangedSinceRead) {
  Person p = Create(WithConsent(CONSENT_SCOPE_DISPATCH));
  UpdatePersonRequest u;
  *u.mutable_person() = p;
  u.mutable_person()->add_needs(NEED_PET);
  u.set_expected_version(1);
  u.set_idempotency_key(Key());
  UpdatePersonResponse updated;
  ASSERT_TRUE(d().UpdatePerson(Harness::As(Operator()).get(), u, &updated).ok());
  EXPECT_EQ(updated.person().version(), 2);
  u.set_idempotency_key(Key());
  EXPECT_EQ(d().UpdatePerson(Harness::As(Operator()).get(), u, &updated).error_code(), grpc::ABORTED);
}

TEST_F(PersonsTest, ANewGridVersionDecidesNewRecords) {
  VulnerabilityGrid g;
  auto* c = g.add_criteria();
  c->set_need(NEED_PET);
  c->set_weight(50);
  g.set_priority_threshold(40);
  SetVulnerabilityGridRequest r;
  *r.mutable_grid() = g;
  r.set_idempotency_key(Key());
  SetVulnerabilityGridResponse set;
  EXPECT_EQ(d().SetVulnerabilityGrid(Harness::As(Operator()).get(), r, &set).error_code(), grpc::PERMISSION_DENIED);
  ASSERT_TRUE(d().SetVulnerabilityGrid(Harness::As(Admin()).get(), r, &set).ok());
  EXPECT_EQ(set.grid().version(), 1);

  Person p;
  p.add_needs(NEED_PET);
  p.mutable_household()->set_adults(1);
  Person created = Create(p);
  EXPECT_EQ(created.vulnerability().grid_version(), 1);
  EXPECT_EQ(created.vulnerability().lane(), LANE_PRIORITY);
}

TEST_F(PersonsTest, ARetriedCreateGivesTheSamePersonOnce) {
  CreatePersonRequest r;
  *r.mutable_person() = WithConsent(CONSENT_SCOPE_DISPATCH);
  r.set_idempotency_key("create-person-once");
  CreatePersonResponse first, retry;
  ASSERT_TRUE(d().CreatePerson(Harness::As(Operator()).get(), r, &first).ok());
  ASSERT_TRUE(d().CreatePerson(Harness::As(Operator()).get(), r, &retry).ok());
  EXPECT_EQ(retry.person().id(), first.person().id());
  auto members = h().redis().Command({"SCARD", "relais:{brussels}:persons"});
  ASSERT_TRUE(members.ok());
  EXPECT_EQ(ReplyInt(members->get()), 1);
}

TEST_F(PersonsTest, EventsCarryCategoriesNeverTheAlias) {
  Person p = Create(WithConsent(CONSENT_SCOPE_DISPATCH));
  auto events = Events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["type"], "person.created");
  EXPECT_EQ(events[0]["person"], p.id());
  EXPECT_EQ(events[0]["lane"], "LANE_PRIORITY");
  EXPECT_EQ(events[0]["needs"], "NEED_VICTIM_OF_VIOLENCE");
  for (const auto& [field, value] : events[0]) EXPECT_EQ(value.find("Zebulon"), std::string::npos) << field;
}

}  // namespace
}  // namespace relais::testing
