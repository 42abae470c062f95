#pragma once
// The gateway's own routes (relais.v1.Auth in proto/relais/v1/gateway.proto): sign-in and sign-out,
// the current session, accounts and API keys. Blocking (Redis, Argon2id): run on a WorkPool of its
// own, so a burst of sign-ins never delays the API's other calls.
#include <google/protobuf/message.h>

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "services/gateway/auth_store.h"

namespace relais::gateway {

struct LocalAnswer {
  std::unique_ptr<google::protobuf::Message> response;
  std::vector<std::pair<std::string, std::string>> headers;  // Set-Cookie
};

class AuthApi {
 public:
  // ended(username, session_id): live connections of that account (or of only that session when
  // session_id is set) must close now.
  AuthApi(AuthStore& store, bool cookie_secure,
          std::function<void(const std::string& username, const std::string& session_id)> ended);

  absl::StatusOr<LocalAnswer> Handle(const std::string& method, const Principal& principal,
                                     const google::protobuf::Message& request, const std::string& peer, bool tls);

  // "relais_session=; Max-Age=0; ..." : the browser forgets an ended session.
  std::string ClearCookie(bool tls) const;

 private:
  std::string Cookie(const std::string& value, long max_age_seconds, bool tls) const;

  AuthStore& store_;
  bool cookie_secure_;
  std::function<void(const std::string&, const std::string&)> ended_;
};

}  // namespace relais::gateway
