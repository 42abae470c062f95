// The directory: create, update, get, search, and secret addresses kept from callers without the right.
#include "tests/support/beds_fixture.h"

namespace relais::testing {
namespace {

using namespace relais::v1;

class DirectoryTest : public BedsTest {};

TEST_F(DirectoryTest, CreateThenGet) {
  auto created = CreateShelter(MakeShelter("pierre-d-angle", "brussels"));
  EXPECT_EQ(created.version(), 1);
  GetShelterRequest req;
  req.set_shelter_id("pierre-d-angle");
  GetShelterResponse resp;
  ASSERT_TRUE(beds().GetShelter(Harness::As(Anonymous()).get(), req, &resp).ok());
  EXPECT_EQ(resp.shelter().name(), "Shelter pierre-d-angle");
  EXPECT_EQ(resp.shelter().commune(), "brussels");
  EXPECT_EQ(resp.shelter().address().street(), "Rue de Test 1");
  EXPECT_TRUE(resp.shelter().has_updated_at());
}

TEST_F(DirectoryTest, CreatingTwiceIsAlreadyExists) {
  CreateShelter(MakeShelter("ilot"));
  CreateShelterRequest req;
  *req.mutable_shelter() = MakeShelter("ilot");
  req.set_idempotency_key(Key());
  CreateShelterResponse resp;
  EXPECT_EQ(beds().CreateShelter(Harness::As(Admin()).get(), req, &resp).error_code(), grpc::ALREADY_EXISTS);
}

TEST_F(DirectoryTest, OnlyAdminCreates) {
  CreateShelterRequest req;
  *req.mutable_shelter() = MakeShelter("ilot");
  req.set_idempotency_key(Key());
  CreateShelterResponse resp;
  for (const Caller& c : {Operator(), ShelterAccount("ilot"), Monitoring(), Anonymous()}) {
    EXPECT_EQ(beds().CreateShelter(Harness::As(c).get(), req, &resp).error_code(), grpc::PERMISSION_DENIED);
  }
  EXPECT_EQ(EventCount(), 0);
}

TEST_F(DirectoryTest, ShelterUpdatesItsOwnEntryWithVersionCheck) {
  CreateShelter(MakeShelter("ilot"));
  UpdateShelterRequest req;
  *req.mutable_shelter() = MakeShelter("ilot");
  req.mutable_shelter()->set_phone("+32 2 000 00 00");
  req.set_expected_version(1);
  req.set_idempotency_key(Key());
  UpdateShelterResponse resp;
  ASSERT_TRUE(beds().UpdateShelter(Harness::As(ShelterAccount("ilot")).get(), req, &resp).ok());
  EXPECT_EQ(resp.shelter().version(), 2);
  EXPECT_EQ(resp.shelter().phone(), "+32 2 000 00 00");

  // A stale version is refused and changes nothing.
  req.set_idempotency_key(Key());
  req.mutable_shelter()->set_phone("+32 2 111 11 11");
  EXPECT_EQ(beds().UpdateShelter(Harness::As(ShelterAccount("ilot")).get(), req, &resp).error_code(),
            grpc::FAILED_PRECONDITION);
  // Another shelter may not touch it.
  req.set_expected_version(0);
  EXPECT_EQ(beds().UpdateShelter(Harness::As(ShelterAccount("other")).get(), req, &resp).error_code(),
            grpc::PERMISSION_DENIED);
  GetShelterRequest get;
  get.set_shelter_id("ilot");
  GetShelterResponse got;
  ASSERT_TRUE(beds().GetShelter(Harness::As(Operator()).get(), get, &got).ok());
  EXPECT_EQ(got.shelter().phone(), "+32 2 000 00 00");
}

TEST_F(DirectoryTest, SecretAddressIsHiddenFromCallersWithoutTheRight) {
  auto secret = MakeShelter("refuge-secret");
  secret.set_secret_address(true);
  CreateShelter(secret);
  GetShelterRequest req;
  req.set_shelter_id("refuge-secret");
  for (const Caller& c : {Anonymous(), Team(), Monitoring(), ShelterAccount("other")}) {
    GetShelterResponse resp;
    ASSERT_TRUE(beds().GetShelter(Harness::As(c).get(), req, &resp).ok());
    EXPECT_TRUE(resp.shelter().address_hidden());
    EXPECT_FALSE(resp.shelter().has_address());
    EXPECT_FALSE(resp.shelter().has_location());
    EXPECT_EQ(resp.shelter().name(), "Shelter refuge-secret");
  }
  for (const Caller& c : {Operator(), Medical(), Admin(), ShelterAccount("refuge-secret")}) {
    GetShelterResponse resp;
    ASSERT_TRUE(beds().GetShelter(Harness::As(c).get(), req, &resp).ok());
    EXPECT_FALSE(resp.shelter().address_hidden());
    EXPECT_EQ(resp.shelter().address().street(), "Rue de Test 1");
  }
  // Search hides it the same way.
  SearchSheltersResponse found;
  ASSERT_TRUE(beds().SearchShelters(Harness::As(Anonymous()).get(), SearchSheltersRequest(), &found).ok());
  ASSERT_EQ(found.shelters_size(), 1);
  EXPECT_FALSE(found.shelters(0).has_address());
}

TEST_F(DirectoryTest, SearchFiltersCombine) {
  auto a = MakeShelter("a-ixelles", "ixelles");
  a.mutable_conditions()->set_pets_allowed(true);
  auto b = MakeShelter("b-anderlecht", "anderlecht");
  b.set_kind(SERVICE_KIND_DAY_CENTRE);
  b.clear_languages();
  b.add_languages("ar");
  auto c = MakeShelter("c-ixelles", "ixelles");
  c.set_name("DoucheFLUX");
  c.clear_publics();
  c.add_publics("single_women");
  for (const auto& s : {a, b, c}) CreateShelter(s);

  auto search = [&](SearchSheltersRequest req) {
    SearchSheltersResponse resp;
    EXPECT_TRUE(beds().SearchShelters(Harness::As(Anonymous()).get(), req, &resp).ok());
    std::vector<std::string> ids;
    for (const auto& s : resp.shelters()) ids.push_back(s.id());
    return ids;
  };
  SearchSheltersRequest by_commune;
  by_commune.set_commune("ixelles");
  EXPECT_EQ(search(by_commune), (std::vector<std::string>{"a-ixelles", "c-ixelles"}));
  SearchSheltersRequest by_kind;
  by_kind.set_kind(SERVICE_KIND_DAY_CENTRE);
  EXPECT_EQ(search(by_kind), (std::vector<std::string>{"b-anderlecht"}));
  SearchSheltersRequest by_public = by_commune;
  by_public.set_public_("single_men");
  EXPECT_EQ(search(by_public), (std::vector<std::string>{"a-ixelles"}));
  SearchSheltersRequest by_language;
  by_language.set_language("ar");
  EXPECT_EQ(search(by_language), (std::vector<std::string>{"b-anderlecht"}));
  SearchSheltersRequest by_condition;
  by_condition.mutable_required_conditions()->set_pets_allowed(true);
  EXPECT_EQ(search(by_condition), (std::vector<std::string>{"a-ixelles"}));
  SearchSheltersRequest by_text;
  by_text.set_text("doucheflux");
  EXPECT_EQ(search(by_text), (std::vector<std::string>{"c-ixelles"}));
}

TEST_F(DirectoryTest, EveryChangeHasItsEvent) {
  CreateShelter(MakeShelter("ilot"));
  UpdateShelterRequest req;
  *req.mutable_shelter() = MakeShelter("ilot");
  req.set_idempotency_key(Key());
  UpdateShelterResponse resp;
  ASSERT_TRUE(beds().UpdateShelter(Harness::As(Admin()).get(), req, &resp).ok());
  auto events = Events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0]["type"], "shelter.created");
  EXPECT_EQ(events[1]["type"], "shelter.updated");
  EXPECT_EQ(events[1]["shelter"], "ilot");
  EXPECT_EQ(events[1].count("name"), 0u);  // no free text in events
}

}  // namespace
}  // namespace relais::testing
