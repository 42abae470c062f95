// Bad input: each invalid request gets its expected status, a message naming the field, and
// changes nothing (every key of Redis, the event stream included, is the same after).
#include <functional>

#include "tests/support/beds_fixture.h"

namespace relais::testing {
namespace {

using namespace relais::v1;

struct BadCase {
  std::string name;
  grpc::StatusCode code;
  std::string field;  // the message must start with it (empty: not checked)
  std::function<grpc::Status(Beds::Stub&)> call;
};

template <typename Req, typename Resp>
std::function<grpc::Status(Beds::Stub&)> Call(grpc::Status (Beds::Stub::*method)(grpc::ClientContext*, const Req&, Resp*),
                                              Req req, Caller caller = Admin()) {
  return [method, req, caller](Beds::Stub& stub) {
    Resp resp;
    return (stub.*method)(Harness::As(caller).get(), req, &resp);
  };
}

std::vector<BadCase> Cases() {
  std::vector<BadCase> cases;
  auto shelter = [](std::function<void(Shelter&)> spoil) {
    CreateShelterRequest r;
    *r.mutable_shelter() = MakeShelter("new-shelter");
    spoil(*r.mutable_shelter());
    r.set_idempotency_key("bad-input-key-1");
    return r;
  };
  auto add_shelter = [&](std::string name, std::string field, std::function<void(Shelter&)> spoil) {
    cases.push_back({name, grpc::INVALID_ARGUMENT, field, Call(&Beds::Stub::CreateShelter, shelter(spoil))});
  };
  add_shelter("shelter id with capitals", "shelter.id", [](Shelter& s) { s.set_id("New-Shelter"); });
  add_shelter("shelter id with a hash tag", "shelter.id", [](Shelter& s) { s.set_id("a{b}"); });
  add_shelter("no name", "shelter.name", [](Shelter& s) { s.clear_name(); });
  add_shelter("name of 10 kB", "shelter.name", [](Shelter& s) { s.set_name(std::string(10000, 'x')); });
  add_shelter("unknown commune", "shelter.commune", [](Shelter& s) { s.set_commune("paris"); });
  add_shelter("no kind", "shelter.kind", [](Shelter& s) { s.set_kind(SERVICE_KIND_UNSPECIFIED); });
  add_shelter("kind out of range", "shelter.kind", [](Shelter& s) { s.set_kind(static_cast<ServiceKind>(99)); });
  add_shelter("unknown public", "shelter.publics", [](Shelter& s) { s.add_publics("dragons"); });
  add_shelter("bad language", "shelter.languages", [](Shelter& s) { s.add_languages("FRA"); });
  add_shelter("latitude out of range", "shelter.location.latitude",
              [](Shelter& s) { s.mutable_location()->set_latitude(123); });
  add_shelter("too many languages", "shelter.languages", [](Shelter& s) {
    for (int i = 0; i < 25; ++i) s.add_languages("fr");
  });
  {
    auto r = shelter([](Shelter&) {});
    r.set_idempotency_key("short");
    cases.push_back({"idempotency key too short", grpc::INVALID_ARGUMENT, "idempotency_key",
                     Call(&Beds::Stub::CreateShelter, r)});
    r.set_idempotency_key("");
    cases.push_back({"idempotency key missing", grpc::INVALID_ARGUMENT, "idempotency_key",
                     Call(&Beds::Stub::CreateShelter, r)});
    r.set_idempotency_key("has spaces in it");
    cases.push_back({"idempotency key with spaces", grpc::INVALID_ARGUMENT, "idempotency_key",
                     Call(&Beds::Stub::CreateShelter, r)});
  }

  auto pool = [](std::function<void(DeclarePoolRequest&)> spoil) {
    DeclarePoolRequest r;
    r.set_shelter_id("ilot");
    r.set_public_("single_men");
    r.mutable_figures()->set_places_in_service(10);
    r.mutable_figures()->set_occupied(5);
    r.set_idempotency_key("bad-input-key-2");
    spoil(r);
    return r;
  };
  auto add_pool = [&](std::string name, grpc::StatusCode code, std::string field,
                      std::function<void(DeclarePoolRequest&)> spoil) {
    cases.push_back({name, code, field, Call(&Beds::Stub::DeclarePool, pool(spoil))});
  };
  add_pool("negative places", grpc::INVALID_ARGUMENT, "figures.places_in_service",
           [](auto& r) { r.mutable_figures()->set_places_in_service(-1); });
  add_pool("negative occupied", grpc::INVALID_ARGUMENT, "figures.occupied",
           [](auto& r) { r.mutable_figures()->set_occupied(-3); });
  add_pool("occupied above places", grpc::INVALID_ARGUMENT, "figures.occupied",
           [](auto& r) { r.mutable_figures()->set_occupied(11); });
  add_pool("a million places", grpc::INVALID_ARGUMENT, "figures.places_in_service",
           [](auto& r) { r.mutable_figures()->set_places_in_service(1000000); });
  add_pool("unknown public", grpc::INVALID_ARGUMENT, "public", [](auto& r) { r.set_public_("aliens"); });
  add_pool("no shelter id", grpc::INVALID_ARGUMENT, "shelter_id", [](auto& r) { r.clear_shelter_id(); });
  add_pool("unknown shelter", grpc::NOT_FOUND, "shelter_id", [](auto& r) { r.set_shelter_id("nobody"); });
  add_pool("stale version", grpc::FAILED_PRECONDITION, "expected_version", [](auto& r) { r.set_expected_version(99); });
  add_pool("negative version", grpc::INVALID_ARGUMENT, "expected_version", [](auto& r) { r.set_expected_version(-1); });
  cases.push_back({"another shelter's pool", grpc::PERMISSION_DENIED, "",
                   Call(&Beds::Stub::DeclarePool, pool([](auto&) {}), ShelterAccount("other"))});

  auto hold = [](std::function<void(TakeHoldRequest&)> spoil) {
    TakeHoldRequest r;
    r.set_pool_id("ilot:single_men");
    r.set_request_id("req-1");
    r.set_idempotency_key("bad-input-key-3");
    spoil(r);
    return r;
  };
  auto add_hold = [&](std::string name, grpc::StatusCode code, std::string field,
                      std::function<void(TakeHoldRequest&)> spoil, Caller caller = Operator()) {
    cases.push_back({name, code, field, Call(&Beds::Stub::TakeHold, hold(spoil), caller)});
  };
  add_hold("no pool id", grpc::INVALID_ARGUMENT, "pool_id", [](auto& r) { r.clear_pool_id(); });
  add_hold("pool id without public", grpc::INVALID_ARGUMENT, "pool_id", [](auto& r) { r.set_pool_id("ilot"); });
  add_hold("pool of an unknown public", grpc::INVALID_ARGUMENT, "pool_id", [](auto& r) { r.set_pool_id("ilot:x"); });
  add_hold("pool that does not exist", grpc::NOT_FOUND, "pool_id", [](auto& r) { r.set_pool_id("ilot:families"); });
  add_hold("no request id", grpc::INVALID_ARGUMENT, "request_id", [](auto& r) { r.clear_request_id(); });
  add_hold("request id with a name in it", grpc::INVALID_ARGUMENT, "request_id",
           [](auto& r) { r.set_request_id("Jean Dupont"); });
  add_hold("unknown hold kind", grpc::INVALID_ARGUMENT, "kind", [](auto& r) { r.set_kind(static_cast<HoldKind>(42)); });
  add_hold("monitoring takes a hold", grpc::PERMISSION_DENIED, "", [](auto&) {}, Monitoring());
  add_hold("anonymous takes a hold", grpc::PERMISSION_DENIED, "", [](auto&) {}, Anonymous());

  {
    ConfirmArrivalRequest r;
    r.set_hold_id("ilot:single_men:h000000000000000000000000");
    r.set_idempotency_key("bad-input-key-4");
    cases.push_back({"arrival of an unknown hold", grpc::NOT_FOUND, "hold_id",
                     Call(&Beds::Stub::ConfirmArrival, r, ShelterAccount("ilot"))});
    r.set_hold_id("other-shelter:single_men:h000000000000000000000000");
    cases.push_back({"arrival of a hold of another shelter", grpc::PERMISSION_DENIED, "",
                     Call(&Beds::Stub::ConfirmArrival, r, ShelterAccount("ilot"))});
    r.set_hold_id("h-doesnotexist");
    cases.push_back({"arrival with a hold id naming no pool", grpc::INVALID_ARGUMENT, "hold_id",
                     Call(&Beds::Stub::ConfirmArrival, r, ShelterAccount("ilot"))});
    r.set_hold_id("");
    cases.push_back({"arrival without hold id", grpc::INVALID_ARGUMENT, "hold_id",
                     Call(&Beds::Stub::ConfirmArrival, r, ShelterAccount("ilot"))});
    r.set_hold_id("h-1 OR 1=1");
    cases.push_back({"arrival with a malformed hold id", grpc::INVALID_ARGUMENT, "hold_id",
                     Call(&Beds::Stub::ConfirmArrival, r, ShelterAccount("ilot"))});
  }
  {
    RecordDepartureRequest r;
    r.set_pool_id("ilot:single_women");
    r.set_idempotency_key("bad-input-key-5");
    cases.push_back({"departure from an empty pool", grpc::FAILED_PRECONDITION, "pool_id",
                     Call(&Beds::Stub::RecordDeparture, r, ShelterAccount("ilot"))});
  }
  {
    OpenBufferRequest r;
    r.set_reason(CRISIS_REASON_COLD);
    r.set_idempotency_key("bad-input-key-6");
    cases.push_back({"crisis without mode", grpc::INVALID_ARGUMENT, "mode", Call(&Beds::Stub::OpenBuffer, r)});
    r.set_mode(CRISIS_MODE_12H);
    r.set_reason(CRISIS_REASON_UNSPECIFIED);
    cases.push_back({"crisis without reason", grpc::INVALID_ARGUMENT, "reason", Call(&Beds::Stub::OpenBuffer, r)});
    r.set_reason(CRISIS_REASON_STORM);
    r.set_shelter_id("nobody");
    cases.push_back({"crisis for an unknown shelter", grpc::NOT_FOUND, "shelter_id", Call(&Beds::Stub::OpenBuffer, r)});
  }
  {
    CloseBufferRequest r;
    r.set_crisis_id("c-unknown");
    r.set_idempotency_key("bad-input-key-7");
    cases.push_back({"closing an unknown crisis", grpc::NOT_FOUND, "crisis_id", Call(&Beds::Stub::CloseBuffer, r)});
  }
  {
    GetAvailabilityRequest r;
    r.mutable_filter()->set_commune("atlantis");
    cases.push_back({"availability in an unknown commune", grpc::INVALID_ARGUMENT, "filter.commune",
                     Call(&Beds::Stub::GetAvailability, r, Operator())});
  }
  {
    UpdateShelterRequest r;
    *r.mutable_shelter() = MakeShelter("nobody");
    r.set_idempotency_key("bad-input-key-8");
    cases.push_back({"updating an unknown shelter", grpc::NOT_FOUND, "shelter.id", Call(&Beds::Stub::UpdateShelter, r)});
  }
  return cases;
}

class BadInputTest : public BedsTest {};

TEST_F(BadInputTest, EachBadRequestGetsItsStatusAndChangesNothing) {
  CreateShelter(MakeShelter("ilot"));
  CreateShelter(MakeShelter("other"));
  Declare("ilot", "single_men", 10, 0, 5);
  Declare("ilot", "single_women", 10, 0, 0);
  Hold("ilot:single_men");
  auto before = Snapshot();
  auto cases = Cases();
  EXPECT_GE(cases.size(), 40u);
  for (const auto& c : cases) {
    grpc::Status s = c.call(beds());
    EXPECT_EQ(s.error_code(), c.code) << c.name << ": " << s.error_message();
    if (!c.field.empty()) {
      EXPECT_EQ(s.error_message().substr(0, c.field.size()), c.field) << c.name << ": " << s.error_message();
    }
    EXPECT_NE(s.error_code(), grpc::UNKNOWN) << c.name;
    EXPECT_EQ(Snapshot(), before) << c.name << " changed the state";
  }
}

TEST_F(BadInputTest, OversizedMessagesAreRefusedByTheServer) {
  CreateShelterRequest r;
  *r.mutable_shelter() = MakeShelter("big");
  r.mutable_shelter()->set_description(std::string(2 * 1024 * 1024, 'x'));  // over the 1 MiB limit
  r.set_idempotency_key("bad-input-key-9");
  CreateShelterResponse resp;
  auto s = beds().CreateShelter(Harness::As(Admin()).get(), r, &resp);
  EXPECT_EQ(s.error_code(), grpc::RESOURCE_EXHAUSTED);
  EXPECT_EQ(EventCount(), 0);
}

}  // namespace
}  // namespace relais::testing
