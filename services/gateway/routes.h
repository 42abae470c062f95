#pragma once
// The one table the REST API is made of. Each row maps an HTTP method and a path template to a gRPC
// method, says who may call it and whether it changes anything. The gateway routes requests with it,
// checks roles with it, maps JSON with the method's own messages, and generates the OpenAPI document
// from it, so the REST API and the gRPC API cannot drift.
//
// Adding a service: write its rows (a `Route` array, below in routes.cc), add one `Backend` line naming
// its gRPC service, its target flag and its rows, and link its proto into relais_proto.
#include <google/protobuf/descriptor.h>

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/identity.h"

namespace relais::gateway {

// A set of roles, one bit per relais::Role. kAnyone includes callers who did not sign in.
using RoleSet = uint32_t;
constexpr RoleSet RoleBit(Role r) { return 1u << static_cast<unsigned>(r); }
inline constexpr RoleSet kAnyone = 0xffffffffu;
inline constexpr RoleSet kSignedIn = kAnyone & ~RoleBit(Role::kNone);
inline constexpr RoleSet kAdmin = RoleBit(Role::kAdmin);
inline constexpr RoleSet kOperator = RoleBit(Role::kOperator);
inline constexpr RoleSet kMedical = RoleBit(Role::kMedical);
inline constexpr RoleSet kShelter = RoleBit(Role::kShelter);
inline constexpr RoleSet kTeam = RoleBit(Role::kTeam);
inline constexpr RoleSet kWorkshop = RoleBit(Role::kWorkshop);
inline constexpr RoleSet kMonitoring = RoleBit(Role::kMonitoring);
// The central point's staff: hotline operators, the medical focal point, admin.
inline constexpr RoleSet kStaff = kOperator | kMedical | kAdmin;

inline bool Allows(RoleSet set, Role r) { return (set & RoleBit(r)) != 0; }
std::vector<Role> AllRoles();  // the seven roles, then kNone

// Object-level check the gateway makes before the call (the service checks again).
enum class Scope {
  kNone,
  // A shelter account: the request field `field` (a shelter id, or a pool or hold id, which starts with
  // its shelter id) must name one of the account's shelters.
  kOwnShelter,
  // A team account: the request field `field`, when set, must be the account's team.
  kOwnTeam,
};

enum class Verb { kGet, kPost, kPut, kDelete };

// How the gRPC answer goes back over HTTP.
enum class Answer {
  kJson,  // the response message in protobuf's JSON mapping
  kFile,  // the file the response message holds (content, content_type, filename): file_answer.h
};
std::string_view VerbName(Verb v);  // "GET", ...

struct Route {
  Verb verb;
  std::string_view path;     // "/api/v1/pools/{pool_id}/confirm": {field.path} segments fill request fields
  std::string_view rpc;      // "relais.v1.Beds/ConfirmPool"
  RoleSet roles;             // who may call
  bool mutates;              // changes something: CSRF-protected, takes an Idempotency-Key header
  Scope scope = Scope::kNone;
  std::string_view scope_field = "";
  std::string_view summary = "";
  bool cached = false;       // a busy read answered from the ReadCache (read_cache.h)
  Answer answer = Answer::kJson;
};

// A gRPC service behind the gateway. `local` services are answered by the gateway itself (Auth).
struct Backend {
  std::string_view name;     // "beds": the flag is --<name>-target
  std::string_view service;  // "relais.v1.Beds"
  std::string_view default_target;
  std::span<const Route> routes;
  // The proto file that declares the service; calling it links the generated descriptors in.
  const google::protobuf::FileDescriptor* (*file)();
  bool local = false;
};

std::span<const Backend> AllBackends();

// A route resolved against the message descriptors.
struct BoundRoute {
  const Route* route;
  const Backend* backend;
  std::string grpc_method;   // "/relais.v1.Beds/ConfirmPool"
  const google::protobuf::MethodDescriptor* method;
  std::vector<std::string> segments;   // path split on '/', "{x}" kept as is
  std::vector<std::string> path_fields;
};

struct Match {
  const BoundRoute* route = nullptr;
  std::map<std::string, std::string> params;  // field path -> decoded value
  bool path_matched = false;                  // a route has this path, maybe not this method
  std::string allow;                          // methods allowed on this path, for 405
};

class RouteTable {
 public:
  // Binds every route of every backend; throws std::logic_error naming a row that does not fit its
  // method (unknown method, path field not in the request, duplicate route, a file answer from a
  // message that holds no file): a programming error.
  RouteTable();
  Match Find(Verb verb, std::string_view path) const;
  const std::vector<BoundRoute>& routes() const { return routes_; }

 private:
  std::vector<BoundRoute> routes_;
};

// Percent-decoding of one path segment or query value; nullopt when malformed.
std::optional<std::string> PercentDecode(std::string_view s, bool plus_is_space);

}  // namespace relais::gateway
