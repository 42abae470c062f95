#include "services/gateway/api.h"

#include "common/log.h"
#include "services/gateway/file_answer.h"

namespace relais::gateway {
namespace {

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

std::string BearerOf(const std::string& authorization) {
  constexpr std::string_view kBearer = "Bearer ";
  if (authorization.size() <= kBearer.size() || authorization.compare(0, kBearer.size(), kBearer) != 0) return "";
  return Trim(std::string_view(authorization).substr(kBearer.size()));
}

// A shelter account acts for the shelter an id starts with: "<shelter>", "<shelter>:<public>", "<shelter>:<public>:h..".
bool ActsFor(const Caller& caller, const std::string& id) {
  return !id.empty() && caller.ActsForShelter(id.substr(0, id.find(':')));
}

absl::Status CheckScope(const Route& route, const Caller& caller, const google::protobuf::Message& request) {
  if (route.scope == Scope::kOwnShelter && caller.Is(Role::kShelter)) {
    if (!ActsFor(caller, FieldText(request, route.scope_field))) {
      return absl::PermissionDeniedError(std::string(route.scope_field) + ": not one of this account's shelters");
    }
  }
  if (route.scope == Scope::kOwnTeam && caller.Is(Role::kTeam)) {
    std::string team = FieldText(request, route.scope_field);
    if (!team.empty() && team != caller.team) {
      return absl::PermissionDeniedError(std::string(route.scope_field) + ": another team");
    }
  }
  return absl::OkStatus();
}

}  // namespace

std::string CookieValue(const std::string& header, const std::string& name) {
  size_t start = 0;
  while (start < header.size()) {
    size_t semi = header.find(';', start);
    if (semi == std::string::npos) semi = header.size();
    std::string part = Trim(std::string_view(header).substr(start, semi - start));
    size_t eq = part.find('=');
    if (eq != std::string::npos && part.compare(0, eq, name) == 0 && eq == name.size()) return part.substr(eq + 1);
    start = semi + 1;
  }
  return "";
}

std::optional<Verb> ParseVerb(const std::string& method) {
  if (method == "GET") return Verb::kGet;
  if (method == "POST") return Verb::kPost;
  if (method == "PUT") return Verb::kPut;
  if (method == "DELETE") return Verb::kDelete;
  return std::nullopt;
}

Api::Api(const RouteTable& routes, AuthStore& auth, AuthApi& auth_api, Backends& backends, WorkPool& work,
         WorkPool& local_work, ReadCache& cache, ApiOptions options)
    : routes_(routes),
      auth_(auth),
      auth_api_(auth_api),
      backends_(backends),
      work_(work),
      local_work_(local_work),
      cache_(cache),
      options_(std::move(options)) {}

Reply Api::Error(int grpc_code, const std::string& message) {
  Reply r;
  r.status = HttpStatusFor(grpc_code);
  r.body = ErrorJson(grpc_code, message);
  if (grpc_code == 8 || grpc_code == 14) r.headers.emplace_back("Retry-After", "5");
  return r;
}

Reply Api::Error(const absl::Status& status) { return Error(static_cast<int>(status.code()), std::string(status.message())); }

bool Api::OriginAllowed(const Request& request) const {
  const std::string& origin = request.Header("origin");
  if (origin.empty()) return true;  // not a browser, or a same-origin GET
  std::string own = std::string(request.tls ? "https://" : "http://") + request.Header("host");
  if (origin == own) return true;
  for (const auto& o : options_.allowed_origins) {
    if (origin == o) return true;
  }
  return false;
}

Credential CredentialOf(const Request& request) {
  const std::string& authorization = request.Header("authorization");
  if (!authorization.empty()) {
    std::string bearer = BearerOf(authorization);
    if (bearer.empty()) return {Credential::Kind::kMalformed, ""};
    return {Credential::Kind::kApiKey, bearer};
  }
  std::string token = CookieValue(request.Header("cookie"), kSessionCookie);
  if (!token.empty()) return {Credential::Kind::kSession, token};
  return {};
}

void Api::Authenticate(std::shared_ptr<const Request> request, std::function<void(absl::StatusOr<Principal>)> done) {
  Credential credential = CredentialOf(*request);
  if (credential.kind == Credential::Kind::kNone) {
    done(Principal{});  // nothing to look up
    return;
  }
  bool start = false;
  {
    std::lock_guard lock(lookups_mu_);
    if (static_cast<int>(lookups_.size()) >= work_.max_pending()) {
      start = false;
    } else {
      lookups_.push_back({std::move(credential), std::move(done)});
      done = nullptr;
      start = !draining_;
      draining_ = draining_ || start;
    }
  }
  if (done) {
    done(absl::UnavailableError("server overloaded, retry later"));
    return;
  }
  if (start && !work_.TrySubmit([this] { DrainLookups(); })) {
    std::vector<PendingLookup> shed;
    {
      std::lock_guard lock(lookups_mu_);
      shed.swap(lookups_);
      draining_ = false;
    }
    for (auto& p : shed) p.done(absl::UnavailableError("server overloaded, retry later"));
  }
}

void Api::DrainLookups() {
  constexpr size_t kMaxBatch = 128;
  for (;;) {
    std::vector<PendingLookup> batch;
    {
      std::lock_guard lock(lookups_mu_);
      if (lookups_.empty()) {
        draining_ = false;
        return;
      }
      if (lookups_.size() <= kMaxBatch) {
        batch.swap(lookups_);
      } else {
        batch.assign(std::make_move_iterator(lookups_.begin()), std::make_move_iterator(lookups_.begin() + kMaxBatch));
        lookups_.erase(lookups_.begin(), lookups_.begin() + kMaxBatch);
      }
    }
    std::vector<Credential> credentials;
    credentials.reserve(batch.size());
    for (const auto& p : batch) credentials.push_back(p.credential);
    auto principals = auth_.Resolve(credentials);
    for (size_t i = 0; i < batch.size(); ++i) batch[i].done(std::move(principals[i]));
  }
}

void Api::Handle(Request request, const Match& match, Respond respond) {
  auto req = std::make_shared<const Request>(std::move(request));
  const BoundRoute& route = *match.route;
  std::string label(route.route->path);
  auto reply = [respond, label](Reply r) {
    r.route = label;
    respond(std::move(r));
  };
  if (!req->body.empty() && req->Header("content-type").rfind("application/json", 0) != 0) {
    Reply r = Error(3, "Content-Type: send application/json");
    r.status = 415;
    reply(std::move(r));
    return;
  }
  Authenticate(req, [this, req, &route, params = match.params, reply](absl::StatusOr<Principal> principal) mutable {
    if (!principal.ok()) {
      // A stale cookie on a public route (the directory, sign-in) counts as nobody signed in.
      if (absl::IsUnauthenticated(principal.status()) && route.route->roles == kAnyone &&
          req->Header("authorization").empty()) {
        principal = Principal{};
      } else {
        Reply r = Error(principal.status());
        if (absl::IsUnauthenticated(principal.status())) r.headers.emplace_back("Set-Cookie", auth_api_.ClearCookie(req->tls));
        reply(std::move(r));
        return;
      }
    }
    Continue(req, route, std::move(params), *principal, reply);
  });
}

void Api::Continue(std::shared_ptr<const Request> req, const BoundRoute& route,
                   std::map<std::string, std::string> params, const Principal& principal, Respond reply) {
  const Route& r = *route.route;
  if (!Allows(r.roles, principal.caller.role)) {
    if (!principal.signed_in()) {
      reply(Error(16, "sign in first"));
    } else {
      reply(Error(7, std::string("this role may not call ") + std::string(r.path)));
    }
    return;
  }
  if (r.mutates) {
    if (!OriginAllowed(*req)) {
      reply(Error(7, "Origin: requests from another site are refused"));
      return;
    }
    // Signing in again over a live session needs no token (SameSite=Strict and the Origin check above
    // cover the sign-in form); every other change of a cookie session does.
    bool signing_in = r.rpc == "relais.v1.Auth/Login";
    if (principal.kind == "session" && !signing_in &&
        (principal.csrf_token.empty() || !ConstantTimeEquals(req->Header("x-csrf-token"), principal.csrf_token))) {
      reply(Error(7, "X-CSRF-Token: missing or wrong; read it from /api/v1/auth/session"));
      return;
    }
  }
  HttpInput in;
  in.body = req->body;
  std::string query = req->Query();
  in.query = query;
  in.path_params = &params;
  in.idempotency_key = req->Header("idempotency-key");
  auto message = BuildRequest(route, in, options_.json);
  if (!message.ok()) {
    reply(Error(message.status()));
    return;
  }
  if (auto s = CheckScope(r, principal.caller, **message); !s.ok()) {
    reply(Error(s));
    return;
  }
  if (route.backend->local) {
    std::shared_ptr<google::protobuf::Message> msg(std::move(*message));
    bool queued = local_work_.TrySubmit([this, req, &route, msg, principal, reply] {
      auto answer = auth_api_.Handle(std::string(route.method->name()), principal, *msg, req->peer, req->tls);
      if (!answer.ok()) {
        reply(Error(answer.status()));
        return;
      }
      if (route.route->mutates) cache_.Invalidate();
      Reply out;
      out.body = ToJson(*answer->response);
      out.headers = std::move(answer->headers);
      out.headers.emplace_back("Cache-Control", "no-store");
      reply(std::move(out));
    });
    if (!queued) reply(Error(14, "server overloaded, retry later"));
    return;
  }
  std::string bytes;
  (*message)->SerializeToString(&bytes);
  // A busy read may be answered from the cache; the key holds everything the answer depends on.
  std::string cache_key;
  uint64_t generation = 0;
  auto asked_at = std::chrono::steady_clock::now();
  if (r.cached && cache_.enabled()) {
    const Caller& c = principal.caller;
    cache_key = route.grpc_method + '\n' + bytes + '\n' + std::string(RoleName(c.role)) + '\n' + c.team;
    for (const auto& s : c.shelters) cache_key += '\n' + s;
    generation = cache_.generation();
    if (auto hit = cache_.Get(cache_key)) {
      Reply out;
      out.body = std::move(*hit);
      out.headers.emplace_back("Cache-Control", "no-store");
      reply(std::move(out));
      return;
    }
  }
  const auto* output_type = route.method->output_type();
  bool mutates = r.mutates;
  bool file = r.answer == Answer::kFile;
  backends_.Call(std::string(route.backend->name), route.grpc_method, principal.caller, std::move(bytes),
                 [this, reply, output_type, mutates, file, cache_key, generation, asked_at](const grpc::Status& status,
                                                                                         std::string response) {
                   // Whatever a change answers, it may have changed something: drop the cache first.
                   if (mutates) cache_.Invalidate();
                   if (!status.ok()) {
                     reply(Error(status.error_code(), status.error_message()));
                     return;
                   }
                   auto answer = NewMessage(output_type);
                   if (!answer->ParseFromString(response)) {
                     reply(Error(13, "the service answered something unreadable"));
                     return;
                   }
                   if (file) {
                     reply(FileReply(*answer));
                     return;
                   }
                   Reply out;
                   out.body = ToJson(*answer);
                   if (!cache_key.empty()) cache_.Put(cache_key, out.body, generation, asked_at);
                   out.headers.emplace_back("Cache-Control", "no-store");
                   reply(std::move(out));
                 });
}

}  // namespace relais::gateway
