#pragma once
// Who is calling. The gateway authenticates people and passes their identity to the services in gRPC
// metadata; services check object-level rights again with it (a shelter account acts only for its
// own shelters). Services listen on loopback or a private network reachable only by the gateway.
#include <grpcpp/grpcpp.h>

#include <string>
#include <string_view>
#include <vector>

namespace relais {

enum class Role { kNone, kOperator, kMedical, kShelter, kTeam, kWorkshop, kMonitoring, kAdmin };

std::string_view RoleName(Role role);
Role ParseRole(std::string_view name);  // unknown -> kNone

struct Caller {
  Role role = Role::kNone;
  std::string subject;                // account id, for audit; never a person's name
  std::vector<std::string> shelters;  // shelters a `shelter` account acts for
  std::string team;                   // team of a `team` account

  bool ActsForShelter(std::string_view shelter_id) const;
  bool Is(Role r) const { return role == r; }
};

inline constexpr char kRoleHeader[] = "x-relais-role";
inline constexpr char kSubjectHeader[] = "x-relais-subject";
inline constexpr char kSheltersHeader[] = "x-relais-shelters";  // comma-separated
inline constexpr char kTeamHeader[] = "x-relais-team";

Caller CallerFromMetadata(const std::multimap<grpc::string_ref, grpc::string_ref>& metadata);
void AddCallerMetadata(grpc::ClientContext& context, const Caller& caller);

}  // namespace relais
