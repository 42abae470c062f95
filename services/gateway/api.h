#pragma once
// The REST API: one request through the route table. On the event loop only cheap work is done
// (matching the route); the credential is resolved in Redis on the WorkPool, then the request is
// checked (role, CSRF, Origin, object scope), mapped to its gRPC message and sent to its service with
// the callback API, or answered by the gateway itself (auth_api.h). The answer is handed to `respond`
// from whichever thread finished; the HTTP session posts it back to its own strand.
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/work_pool.h"
#include "services/gateway/auth_api.h"
#include "services/gateway/auth_store.h"
#include "services/gateway/backends.h"
#include "services/gateway/http_types.h"
#include "services/gateway/read_cache.h"
#include "services/gateway/routes.h"
#include "services/gateway/transcode.h"

namespace relais::gateway {

inline constexpr char kSessionCookie[] = "relais_session";

struct ApiOptions {
  JsonLimits json;
  bool cookie_secure = false;              // Secure cookies (on under TLS, or behind a TLS proxy)
  std::vector<std::string> allowed_origins;  // besides the request's own origin (scheme://Host)
};

class Api {
 public:
  // work: Redis lookups (one per request); local_work: the gateway's own routes (Argon2id, admin).
  Api(const RouteTable& routes, AuthStore& auth, AuthApi& auth_api, Backends& backends, WorkPool& work,
      WorkPool& local_work, ReadCache& cache, ApiOptions options);

  void Handle(Request request, const Match& match, Respond respond);

  // Resolves the request's credential (cookie or bearer key) on the WorkPool, where the lookups of
  // concurrent requests go to Redis together, in one round trip. Anonymous when there is none;
  // UNAUTHENTICATED once it ended (live connections re-check theirs with it).
  void Authenticate(std::shared_ptr<const Request> request, std::function<void(absl::StatusOr<Principal>)> done);

  // The request comes from a page of ours: no Origin (not a browser), or the request's own origin, or
  // one allowed by configuration.
  bool OriginAllowed(const Request& request) const;

  static Reply Error(const absl::Status& status);
  static Reply Error(int grpc_code, const std::string& message);

 private:
  struct PendingLookup {
    Credential credential;
    std::function<void(absl::StatusOr<Principal>)> done;
  };
  void DrainLookups();
  void Continue(std::shared_ptr<const Request> request, const BoundRoute& route,
                std::map<std::string, std::string> params, const Principal& principal, Respond respond);

  [[maybe_unused]] const RouteTable& routes_;  // not read yet (clang: -Wunused-private-field)
  AuthStore& auth_;
  AuthApi& auth_api_;
  Backends& backends_;
  WorkPool& work_;
  WorkPool& local_work_;
  ReadCache& cache_;
  ApiOptions options_;
  std::mutex lookups_mu_;
  std::vector<PendingLookup> lookups_;  // waiting for the drainer
  bool draining_ = false;
};

// The credential a request presents.
Credential CredentialOf(const Request& request);
// The value of one cookie of a Cookie header ("" when absent).
std::string CookieValue(const std::string& header, const std::string& name);
// Verb of an HTTP method name; nullopt for methods the API does not use.
std::optional<Verb> ParseVerb(const std::string& method);

}  // namespace relais::gateway
