#pragma once
// Accounts, sessions and API keys in Redis. Blocking calls: the gateway runs them on its WorkPool, the
// admin command line (relais-admin) directly.
//
// Revocation is effective at once because nothing is cached: every request resolves its session or
// key in Redis (one HGETALL), and removing an account, changing it, revoking its sessions or deleting
// a key deletes what that lookup reads, in one atomic step.
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "common/identity.h"
#include "common/redis.h"
#include "relais/v1/gateway.pb.h"
#include "services/gateway/auth_keys.h"
#include "services/gateway/password.h"

namespace relais::gateway {

struct AuthOptions {
  std::chrono::minutes session_lifetime{12 * 60};  // a night shift; then sign in again
  int max_attempts_per_account = 5;                // sign-in attempts per window, per account
  int max_attempts_per_address = 30;               // ... per client address
  std::chrono::minutes attempt_window{15};
  PasswordCost password_cost = PasswordCost::Interactive();
};

// Who a request comes from, once its session or API key was resolved.
struct Principal {
  Caller caller;
  std::string username;      // accounts; the key's id for API keys
  std::string kind;          // "session", "api_key", or "" (nobody signed in)
  std::string session_id;    // digest of the session token
  std::string csrf_token;
  int64_t expires_ms = 0;
  bool signed_in() const { return !kind.empty(); }
};

// What a request presents: a session cookie's token, an API key, nothing, or something unusable.
struct Credential {
  enum class Kind { kNone, kSession, kApiKey, kMalformed };
  Kind kind = Kind::kNone;
  std::string value;
};

class AuthStore {
 public:
  AuthStore(RedisPool& redis, const Clock& clock, AuthOptions options);

  // Accounts (admin).
  absl::StatusOr<relais::v1::Account> CreateUser(const relais::v1::Account& account, const std::string& password);
  absl::StatusOr<relais::v1::Account> UpdateUser(const relais::v1::UpdateUserRequest& change);
  absl::Status DeleteUser(const std::string& username);
  absl::StatusOr<std::vector<relais::v1::Account>> ListUsers();
  absl::StatusOr<int> RevokeSessions(const std::string& username);

  // Sign-in. UNAUTHENTICATED for a wrong name or password (the same answer for both), RESOURCE_EXHAUSTED
  // when the account or the address made too many attempts within the window.
  struct NewSession {
    std::string token;  // goes to the cookie; never stored
    Principal principal;
  };
  absl::StatusOr<NewSession> Login(const std::string& username, const std::string& password,
                                   const std::string& address);
  absl::Status Logout(const Principal& principal);
  // UNAUTHENTICATED when the token or key is unknown, expired or revoked.
  absl::StatusOr<Principal> ResolveSession(std::string_view token);
  absl::StatusOr<Principal> ResolveApiKey(std::string_view secret);
  // The credentials of many requests in one Redis round trip (the gateway batches concurrent
  // requests); nobody signed in for kNone.
  std::vector<absl::StatusOr<Principal>> Resolve(const std::vector<Credential>& credentials);

  // API keys (admin): the secret is answered once, only its digest is kept.
  absl::StatusOr<relais::v1::CreateApiKeyResponse> CreateApiKey(const relais::v1::ApiKey& key);
  absl::StatusOr<std::vector<relais::v1::ApiKey>> ListApiKeys();
  absl::Status DeleteApiKey(const std::string& key_id);

  const AuthOptions& options() const { return options_; }

 private:
  absl::StatusOr<int> EndSessions(const std::string& action, const std::string& username, const Argv& extra);

  RedisPool& redis_;
  const Clock& clock_;
  AuthOptions options_;
  AuthKeys keys_;
};

// Checks an account's role and bindings: INVALID_ARGUMENT naming the field.
absl::Status ValidateAccount(const relais::v1::Account& account);
bool IsUsername(std::string_view s);  // [a-z0-9._-]{3,64}

}  // namespace relais::gateway
