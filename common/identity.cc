#include "common/identity.h"

#include <algorithm>

#include "absl/strings/str_split.h"

namespace relais {
namespace {

constexpr std::pair<Role, std::string_view> kRoles[] = {
    {Role::kOperator, "operator"}, {Role::kMedical, "medical"},       {Role::kShelter, "shelter"},
    {Role::kTeam, "team"},         {Role::kWorkshop, "workshop"},     {Role::kMonitoring, "monitoring"},
    {Role::kAdmin, "admin"},
};

std::string Header(const std::multimap<grpc::string_ref, grpc::string_ref>& md, const char* name) {
  auto it = md.find(name);
  if (it == md.end()) return "";
  return std::string(it->second.data(), it->second.size());
}

}  // namespace

std::string_view RoleName(Role role) {
  for (const auto& [r, name] : kRoles) {
    if (r == role) return name;
  }
  return "none";
}

Role ParseRole(std::string_view name) {
  for (const auto& [r, n] : kRoles) {
    if (n == name) return r;
  }
  return Role::kNone;
}

bool Caller::ActsForShelter(std::string_view shelter_id) const {
  return std::find(shelters.begin(), shelters.end(), shelter_id) != shelters.end();
}

Caller CallerFromMetadata(const std::multimap<grpc::string_ref, grpc::string_ref>& metadata) {
  Caller caller;
  caller.role = ParseRole(Header(metadata, kRoleHeader));
  caller.subject = Header(metadata, kSubjectHeader);
  caller.team = Header(metadata, kTeamHeader);
  caller.shelters = absl::StrSplit(Header(metadata, kSheltersHeader), ',', absl::SkipEmpty());
  return caller;
}

void AddCallerMetadata(grpc::ClientContext& context, const Caller& caller) {
  context.AddMetadata(kRoleHeader, std::string(RoleName(caller.role)));
  if (!caller.subject.empty()) context.AddMetadata(kSubjectHeader, caller.subject);
  if (!caller.team.empty()) context.AddMetadata(kTeamHeader, caller.team);
  std::string shelters;
  for (const auto& s : caller.shelters) shelters += (shelters.empty() ? "" : ",") + s;
  if (!shelters.empty()) context.AddMetadata(kSheltersHeader, shelters);
}

}  // namespace relais
