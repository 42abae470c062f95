#include "services/gateway/auth_api.h"

#include "common/timestamps.h"
#include "relais/v1/gateway.pb.h"

namespace relais::gateway {
namespace {

namespace v1 = relais::v1;

v1::SessionInfo InfoOf(const Principal& p) {
  v1::SessionInfo info;
  auto* a = info.mutable_account();
  a->set_username(p.username);
  a->set_role(std::string(RoleName(p.caller.role)));
  for (const auto& s : p.caller.shelters) a->add_shelters(s);
  a->set_team(p.caller.team);
  info.set_csrf_token(p.csrf_token);
  if (p.expires_ms > 0) *info.mutable_expires_at() = TimestampFromMs(p.expires_ms);
  info.set_kind(p.kind);
  return info;
}

template <typename T>
LocalAnswer Answer(T message) {
  LocalAnswer a;
  a.response = std::make_unique<T>(std::move(message));
  return a;
}

}  // namespace

AuthApi::AuthApi(AuthStore& store, bool cookie_secure,
                 std::function<void(const std::string&, const std::string&)> ended)
    : store_(store), cookie_secure_(cookie_secure), ended_(std::move(ended)) {}

std::string AuthApi::Cookie(const std::string& value, long max_age_seconds, bool tls) const {
  std::string c = std::string("relais_session=") + value + "; Path=/; Max-Age=" + std::to_string(max_age_seconds) +
                  "; HttpOnly; SameSite=Strict";
  if (tls || cookie_secure_) c += "; Secure";
  return c;
}

std::string AuthApi::ClearCookie(bool tls) const { return Cookie("", 0, tls); }

absl::StatusOr<LocalAnswer> AuthApi::Handle(const std::string& method, const Principal& principal,
                                            const google::protobuf::Message& request, const std::string& peer,
                                            bool tls) {
  if (method == "Login") {
    const auto& req = static_cast<const v1::LoginRequest&>(request);
    auto session = store_.Login(req.username(), req.password(), peer);
    if (!session.ok()) return session.status();
    LocalAnswer a = Answer(InfoOf(session->principal));
    long max_age = static_cast<long>(std::chrono::duration_cast<std::chrono::seconds>(
                                         store_.options().session_lifetime).count());
    a.headers.emplace_back("Set-Cookie", Cookie(session->token, max_age, tls));
    return a;
  }
  if (method == "Logout") {
    if (principal.kind != "session") return absl::FailedPreconditionError("an API key has no session to end");
    if (auto s = store_.Logout(principal); !s.ok()) return s;
    ended_(principal.username, principal.session_id);
    LocalAnswer a = Answer(v1::LogoutResponse());
    a.headers.emplace_back("Set-Cookie", ClearCookie(tls));
    return a;
  }
  if (method == "GetSession") return Answer(InfoOf(principal));
  if (method == "ListUsers") {
    auto users = store_.ListUsers();
    if (!users.ok()) return users.status();
    v1::ListUsersResponse resp;
    for (auto& u : *users) *resp.add_users() = std::move(u);
    return Answer(std::move(resp));
  }
  if (method == "CreateUser") {
    const auto& req = static_cast<const v1::CreateUserRequest&>(request);
    auto user = store_.CreateUser(req.user(), req.password());
    if (!user.ok()) return user.status();
    v1::CreateUserResponse resp;
    *resp.mutable_user() = std::move(*user);
    return Answer(std::move(resp));
  }
  if (method == "UpdateUser") {
    const auto& req = static_cast<const v1::UpdateUserRequest&>(request);
    auto user = store_.UpdateUser(req);
    if (!user.ok()) return user.status();
    ended_(req.username(), "");
    v1::UpdateUserResponse resp;
    *resp.mutable_user() = std::move(*user);
    return Answer(std::move(resp));
  }
  if (method == "DeleteUser") {
    const auto& req = static_cast<const v1::DeleteUserRequest&>(request);
    if (req.username() == principal.username) {
      return absl::FailedPreconditionError("username: an admin does not remove their own account");
    }
    if (auto s = store_.DeleteUser(req.username()); !s.ok()) return s;
    ended_(req.username(), "");
    return Answer(v1::DeleteUserResponse());
  }
  if (method == "RevokeSessions") {
    const auto& req = static_cast<const v1::RevokeSessionsRequest&>(request);
    auto n = store_.RevokeSessions(req.username());
    if (!n.ok()) return n.status();
    ended_(req.username(), "");
    v1::RevokeSessionsResponse resp;
    resp.set_revoked(*n);
    return Answer(std::move(resp));
  }
  if (method == "ListApiKeys") {
    auto keys = store_.ListApiKeys();
    if (!keys.ok()) return keys.status();
    v1::ListApiKeysResponse resp;
    for (auto& k : *keys) *resp.add_keys() = std::move(k);
    return Answer(std::move(resp));
  }
  if (method == "CreateApiKey") {
    auto created = store_.CreateApiKey(static_cast<const v1::CreateApiKeyRequest&>(request).key());
    if (!created.ok()) return created.status();
    return Answer(std::move(*created));
  }
  if (method == "DeleteApiKey") {
    const auto& req = static_cast<const v1::DeleteApiKeyRequest&>(request);
    if (auto s = store_.DeleteApiKey(req.key_id()); !s.ok()) return s;
    ended_("key-" + req.key_id(), "");
    return Answer(v1::DeleteApiKeyResponse());
  }
  return absl::UnimplementedError("no such method");
}

}  // namespace relais::gateway
