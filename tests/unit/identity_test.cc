#include "common/identity.h"

#include <gtest/gtest.h>

namespace relais {
namespace {

TEST(Identity, ReadsRoleSubjectAndShelters) {
  std::string role = "shelter", subject = "desk-3", shelters = "ilot-1,pierre-d-angle";
  std::multimap<grpc::string_ref, grpc::string_ref> md{
      {kRoleHeader, role}, {kSubjectHeader, subject}, {kSheltersHeader, shelters}};
  Caller c = CallerFromMetadata(md);
  EXPECT_EQ(c.role, Role::kShelter);
  EXPECT_EQ(c.subject, "desk-3");
  EXPECT_TRUE(c.ActsForShelter("ilot-1"));
  EXPECT_TRUE(c.ActsForShelter("pierre-d-angle"));
  EXPECT_FALSE(c.ActsForShelter("ilot"));
}

TEST(Identity, UnknownOrMissingRoleIsNone) {
  std::string role = "superuser";
  std::multimap<grpc::string_ref, grpc::string_ref> md{{kRoleHeader, role}};
  EXPECT_EQ(CallerFromMetadata(md).role, Role::kNone);
  EXPECT_EQ(CallerFromMetadata({}).role, Role::kNone);
}

TEST(Identity, RoleNamesRoundTrip) {
  for (Role r : {Role::kOperator, Role::kMedical, Role::kShelter, Role::kTeam, Role::kWorkshop, Role::kMonitoring,
                 Role::kAdmin}) {
    EXPECT_EQ(ParseRole(RoleName(r)), r);
  }
}

}  // namespace
}  // namespace relais
