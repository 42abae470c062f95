#include "services/beds/rules.h"

#include <gtest/gtest.h>

namespace relais::beds {
namespace {

const Catalog kCatalog = Catalog::Brussels();

relais::v1::Shelter Valid() {
  relais::v1::Shelter s;
  s.set_id("ilot-sainte-gudule");
  s.set_name("Îlot");
  s.set_kind(relais::v1::SERVICE_KIND_EMERGENCY_SHELTER);
  s.set_commune("brussels");
  s.add_languages("fr");
  s.add_publics("single_men");
  return s;
}

TEST(Catalog, BrusselsHas19CommunesAndNinePublics) {
  EXPECT_EQ(kCatalog.communes.size(), 19u);
  EXPECT_EQ(kCatalog.publics.size(), 9u);
  EXPECT_TRUE(kCatalog.HasCommune("molenbeek-saint-jean"));
  EXPECT_FALSE(kCatalog.HasCommune("paris"));
}

TEST(Catalog, ListsAreConfiguration) {
  Catalog c = Catalog::FromLists("", "single_men,young_adults");
  EXPECT_EQ(c.communes.size(), 19u);
  EXPECT_TRUE(c.HasPublic("young_adults"));
  EXPECT_FALSE(c.HasPublic("families"));
}

TEST(PoolId, ParsesShelterAndPublic) {
  auto ref = ParsePoolId("ilot-1:single_women", kCatalog);
  ASSERT_TRUE(ref.ok());
  EXPECT_EQ(ref->shelter_id, "ilot-1");
  EXPECT_EQ(ref->public_code, "single_women");
  EXPECT_EQ(ref->id(), "ilot-1:single_women");
}

TEST(PoolId, RefusesMalformedIdsNamingTheField) {
  for (const char* bad : {"", "nocolon", "UPPER:single_men", "ok-id:unknown_public", ":single_men", "a{b}:single_men"}) {
    auto ref = ParsePoolId(bad, kCatalog);
    ASSERT_FALSE(ref.ok()) << bad;
    EXPECT_EQ(ref.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(ref.status().message().find("pool_id"), std::string::npos);
  }
}

TEST(HoldId, NamesItsPoolAndRoundTrips) {
  PoolRef pool{"ilot-1", "families"};
  std::string id = NewHoldId(pool);
  auto ref = ParseHoldId(id, kCatalog);
  ASSERT_TRUE(ref.ok()) << ref.status();
  EXPECT_EQ(ref->hold_id, id);
  EXPECT_EQ(ref->pool.id(), "ilot-1:families");
  EXPECT_NE(NewHoldId(pool), id) << "hold ids are random";
}

TEST(HoldId, RefusesWhatItDidNotMake) {
  for (std::string bad : std::vector<std::string>{"", "h-1", "ilot-1:families", "ilot-1:families:h123", "ilot-1:nobody:h000000000000000000000000",
                          "Ilot:families:h000000000000000000000000", "ilot-1:families:h00000000000000000000000g",
                          "ilot-1:families:x000000000000000000000000", std::string(200, 'a')}) {
    auto ref = ParseHoldId(bad, kCatalog);
    ASSERT_FALSE(ref.ok()) << bad;
    EXPECT_EQ(ref.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(ref.status().message().find("hold_id"), std::string_view::npos) << bad;
  }
}

TEST(Shelter, ValidPasses) { EXPECT_TRUE(ValidateShelter(Valid(), kCatalog).ok()); }

TEST(Shelter, EachBadFieldIsNamed) {
  struct Case {
    const char* field;
    std::function<void(relais::v1::Shelter&)> spoil;
  };
  std::vector<Case> cases = {
      {"shelter.id", [](auto& s) { s.set_id("Bad Id"); }},
      {"shelter.id", [](auto& s) { s.set_id("x"); }},
      {"shelter.name", [](auto& s) { s.set_name(""); }},
      {"shelter.name", [](auto& s) { s.set_name(std::string(201, 'n')); }},
      {"shelter.kind", [](auto& s) { s.set_kind(relais::v1::SERVICE_KIND_UNSPECIFIED); }},
      {"shelter.commune", [](auto& s) { s.set_commune("lille"); }},
      {"shelter.languages", [](auto& s) { s.add_languages("french"); }},
      {"shelter.publics", [](auto& s) { s.add_publics("cats"); }},
      {"shelter.publics", [](auto& s) { s.add_publics("single_men"); }},
      {"shelter.location.latitude", [](auto& s) { s.mutable_location()->set_latitude(91); }},
      {"shelter.description", [](auto& s) { s.set_description(std::string("a\x01b")); }},
      {"shelter.address_hidden", [](auto& s) { s.set_address_hidden(true); }},
  };
  for (const auto& c : cases) {
    auto s = Valid();
    c.spoil(s);
    auto status = ValidateShelter(s, kCatalog);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.field;
    EXPECT_EQ(status.message().substr(0, std::string(c.field).size()), c.field) << status.message();
  }
}

TEST(Figures, Limits) {
  relais::v1::PoolFigures f;
  f.set_places_in_service(10);
  f.set_buffer_places(5);
  f.set_occupied(15);
  EXPECT_TRUE(ValidateFigures(f).ok());
  f.set_occupied(16);
  EXPECT_EQ(ValidateFigures(f).code(), absl::StatusCode::kInvalidArgument);
  f.set_occupied(-1);
  EXPECT_EQ(ValidateFigures(f).code(), absl::StatusCode::kInvalidArgument);
  f.set_occupied(0);
  f.set_places_in_service(10001);
  EXPECT_EQ(ValidateFigures(f).code(), absl::StatusCode::kInvalidArgument);
}

TEST(DeriveFree, CountsOpenBufferAndHoldsAndNeverGoesBelowZero) {
  relais::v1::PoolFigures f;
  f.set_places_in_service(20);
  f.set_buffer_places(10);
  f.set_occupied(15);
  EXPECT_EQ(DeriveFree(f, false, 2), 3);
  EXPECT_EQ(DeriveFree(f, true, 2), 13);
  EXPECT_EQ(DeriveFree(f, false, 9), 0);
  // Closing a crisis with people in buffer places: no negative free.
  f.set_occupied(28);
  EXPECT_EQ(DeriveFree(f, false, 0), 0);
}

TEST(Conditions, RequiredOnesMustHold) {
  relais::v1::Conditions have, need;
  have.set_pets_allowed(true);
  need.set_pets_allowed(true);
  EXPECT_TRUE(MatchesConditions(have, need));
  need.set_wheelchair_accessible(true);
  EXPECT_FALSE(MatchesConditions(have, need));
  EXPECT_TRUE(MatchesConditions(have, relais::v1::Conditions()));
}

Caller As(Role r, std::vector<std::string> shelters = {}) { return Caller{r, "s", std::move(shelters), ""}; }

TEST(Rights, ShelterActsOnlyForItsOwnPools) {
  EXPECT_TRUE(MayChangePool(As(Role::kShelter, {"a"}), "a").ok());
  EXPECT_EQ(MayChangePool(As(Role::kShelter, {"a"}), "b").code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(MayChangePool(As(Role::kOperator), "a").code(), absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(MayChangePool(As(Role::kAdmin), "a").ok());
}

TEST(Rights, MedicalPlacesGoThroughTheMedicalFocalPoint) {
  EXPECT_EQ(MayTakeHold(As(Role::kOperator), "medical").code(), absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(MayTakeHold(As(Role::kMedical), "medical").ok());
  EXPECT_TRUE(MayTakeHold(As(Role::kOperator), "single_men").ok());
  EXPECT_TRUE(MayTakeHold(As(Role::kTeam), "single_men").ok());
  EXPECT_EQ(MayTakeHold(As(Role::kShelter, {"a"}), "single_men").code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(MayTakeHold(As(Role::kMonitoring), "single_men").code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(MayTakeHold(As(Role::kNone), "single_men").code(), absl::StatusCode::kPermissionDenied);
}

TEST(Rights, ArrivalsAreConfirmedByTheShelterItself) {
  EXPECT_TRUE(MayEndHold(As(Role::kShelter, {"a"}), "a", "arrived").ok());
  EXPECT_FALSE(MayEndHold(As(Role::kShelter, {"b"}), "a", "arrived").ok());
  EXPECT_FALSE(MayEndHold(As(Role::kOperator), "a", "arrived").ok());
  EXPECT_TRUE(MayEndHold(As(Role::kOperator), "a", "cancelled").ok());
}

TEST(Rights, MonitoringSeesTheSummaryNotThePools) {
  EXPECT_FALSE(MayReadAvailability(As(Role::kMonitoring)).ok());
  EXPECT_TRUE(MayReadSummary(As(Role::kMonitoring)).ok());
  EXPECT_FALSE(MayReadSummary(As(Role::kNone)).ok());
}

TEST(Rights, SecretAddressesOnlyForAuthorisedRoles) {
  EXPECT_TRUE(MaySeeSecretAddress(As(Role::kOperator), "a"));
  EXPECT_TRUE(MaySeeSecretAddress(As(Role::kShelter, {"a"}), "a"));
  EXPECT_FALSE(MaySeeSecretAddress(As(Role::kShelter, {"b"}), "a"));
  EXPECT_FALSE(MaySeeSecretAddress(As(Role::kTeam), "a"));
  EXPECT_FALSE(MaySeeSecretAddress(As(Role::kMonitoring), "a"));
  EXPECT_FALSE(MaySeeSecretAddress(As(Role::kNone), "a"));
}

TEST(Rights, OnlyAdminOpensTheRegionsBuffer) {
  EXPECT_TRUE(MayManageCrisis(As(Role::kAdmin), "").ok());
  EXPECT_FALSE(MayManageCrisis(As(Role::kShelter, {"a"}), "").ok());
  EXPECT_TRUE(MayManageCrisis(As(Role::kShelter, {"a"}), "a").ok());
  EXPECT_FALSE(MayManageCrisis(As(Role::kOperator), "a").ok());
}

}  // namespace
}  // namespace relais::beds
