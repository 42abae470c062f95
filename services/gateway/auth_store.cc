#include "services/gateway/auth_store.h"

#include "absl/strings/str_split.h"
#include "common/log.h"
#include "common/script_answer.h"
#include "common/status_macros.h"
#include "common/timestamps.h"

namespace relais::gateway {
namespace scripts {
extern const std::string_view k_create_user_lua;
extern const std::string_view k_end_sessions_lua;
extern const std::string_view k_create_session_lua;
extern const std::string_view k_end_session_lua;
}  // namespace scripts

namespace {

const LuaScript kCreateUser("create_user", scripts::k_create_user_lua);
const LuaScript kEndSessions("end_sessions", scripts::k_end_sessions_lua);
const LuaScript kCreateSession("create_session", scripts::k_create_session_lua);
const LuaScript kEndSession("end_session", scripts::k_end_session_lua);

constexpr size_t kMaxBindings = 50;
constexpr char kApiKeyPrefix[] = "rk_";

bool IsCode(std::string_view s, size_t min, size_t max, bool allow_upper_and_dots) {
  if (s.size() < min || s.size() > max) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
              (allow_upper_and_dots && ((c >= 'A' && c <= 'Z') || c == '.' || c == '_' || c == ':'));
    if (!ok) return false;
  }
  return true;
}

std::string Join(const google::protobuf::RepeatedPtrField<std::string>& list) {
  std::string out;
  for (const auto& s : list) out += (out.empty() ? "" : ",") + s;
  return out;
}

Caller CallerFrom(const std::map<std::string, std::string>& f, const std::string& subject) {
  Caller c;
  auto get = [&](const char* k) {
    auto it = f.find(k);
    return it == f.end() ? std::string() : it->second;
  };
  c.role = ParseRole(get("role"));
  c.subject = subject;
  c.shelters = absl::StrSplit(get("shelters"), ',', absl::SkipEmpty());
  c.team = get("team");
  return c;
}

void FillAccount(const std::string& username, const std::map<std::string, std::string>& f, relais::v1::Account* a) {
  Caller c = CallerFrom(f, username);
  a->set_username(username);
  a->set_role(std::string(RoleName(c.role)));
  for (auto& s : c.shelters) a->add_shelters(s);
  a->set_team(c.team);
  *a->mutable_created_at() = TimestampFromMs(ToInt(f, "created_ms"));
}

absl::Status ValidatePassword(const std::string& password) {
  if (password.size() < kMinPasswordLength || password.size() > kMaxPasswordLength) {
    return absl::InvalidArgumentError("password: 12 to 256 characters");
  }
  return absl::OkStatus();
}

absl::Status ValidateBindings(const std::string& role_name, const google::protobuf::RepeatedPtrField<std::string>& shelters,
                              const std::string& team) {
  Role role = ParseRole(role_name);
  if (role == Role::kNone) {
    return absl::InvalidArgumentError("role: one of operator, medical, shelter, team, workshop, monitoring, admin");
  }
  if (shelters.size() > static_cast<int>(kMaxBindings)) return absl::InvalidArgumentError("shelters: at most 50");
  for (const auto& s : shelters) {
    if (!IsCode(s, 2, 64, false)) return absl::InvalidArgumentError("shelters: not a shelter id");
  }
  if (!team.empty() && !IsCode(team, 1, 64, true)) return absl::InvalidArgumentError("team: not a team id");
  if (role == Role::kShelter && shelters.empty()) {
    return absl::InvalidArgumentError("shelters: a shelter account acts for at least one shelter");
  }
  if (role != Role::kShelter && !shelters.empty()) return absl::InvalidArgumentError("shelters: only for shelter accounts");
  if (role == Role::kTeam && team.empty()) return absl::InvalidArgumentError("team: a team account names its team");
  if (role != Role::kTeam && !team.empty()) return absl::InvalidArgumentError("team: only for team accounts");
  return absl::OkStatus();
}

}  // namespace

bool IsUsername(std::string_view s) {
  if (s.size() < 3 || s.size() > 64) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

absl::Status ValidateAccount(const relais::v1::Account& a) {
  if (!IsUsername(a.username())) return absl::InvalidArgumentError("username: 3 to 64 of a-z 0-9 . _ -");
  return ValidateBindings(a.role(), a.shelters(), a.team());
}

AuthStore::AuthStore(RedisPool& redis, const Clock& clock, AuthOptions options)
    : redis_(redis), clock_(clock), options_(std::move(options)) {}

absl::StatusOr<relais::v1::Account> AuthStore::CreateUser(const relais::v1::Account& account,
                                                          const std::string& password) {
  RETURN_IF_ERROR(ValidateAccount(account));
  RETURN_IF_ERROR(ValidatePassword(password));
  auto hash = HashPassword(password, options_.password_cost);
  if (!hash.ok()) return hash.status();
  int64_t now = clock_.NowMs();
  auto reply = redis_.Eval(kCreateUser, {keys_.User(account.username()), keys_.Users()},
                           {account.username(), account.role(), Join(account.shelters()), account.team(), *hash,
                            std::to_string(now)});
  if (!reply.ok()) return reply.status();
  auto answer = ScriptAnswer(*reply);
  if (!answer.ok()) return answer.status();
  log::Info("account_created", {{"account", log::Value::Id(account.username())}, {"role", log::Value::Id(account.role())}});
  relais::v1::Account out = account;
  *out.mutable_created_at() = TimestampFromMs(now);
  return out;
}

absl::StatusOr<int> AuthStore::EndSessions(const std::string& action, const std::string& username, const Argv& extra) {
  if (!IsUsername(username)) return absl::InvalidArgumentError("username: 3 to 64 of a-z 0-9 . _ -");
  Argv args = {action, keys_.SessionPrefix(), username};
  args.insert(args.end(), extra.begin(), extra.end());
  auto reply = redis_.Eval(kEndSessions, {keys_.User(username), keys_.UserSessions(username), keys_.Users()}, args);
  if (!reply.ok()) return reply.status();
  auto answer = ScriptAnswer(*reply);
  if (!answer.ok()) return answer.status();
  return static_cast<int>(Int(*answer, 1));
}

absl::StatusOr<relais::v1::Account> AuthStore::UpdateUser(const relais::v1::UpdateUserRequest& change) {
  if (!IsUsername(change.username())) return absl::InvalidArgumentError("username: 3 to 64 of a-z 0-9 . _ -");
  RETURN_IF_ERROR(ValidateBindings(change.role(), change.shelters(), change.team()));
  std::string hash;
  if (!change.password().empty()) {
    RETURN_IF_ERROR(ValidatePassword(change.password()));
    auto h = HashPassword(change.password(), options_.password_cost);
    if (!h.ok()) return h.status();
    hash = *h;
  }
  auto ended = EndSessions("update", change.username(), {change.role(), Join(change.shelters()), change.team(), hash});
  if (!ended.ok()) return ended.status();
  log::Info("account_updated", {{"account", log::Value::Id(change.username())}, {"sessions_ended", *ended}});
  auto fields = redis_.Command({"HGETALL", keys_.User(change.username())});
  if (!fields.ok()) return fields.status();
  relais::v1::Account out;
  FillAccount(change.username(), FieldMap(fields->get()), &out);
  return out;
}

absl::Status AuthStore::DeleteUser(const std::string& username) {
  auto ended = EndSessions("delete", username, {});
  if (!ended.ok()) return ended.status();
  log::Info("account_deleted", {{"account", log::Value::Id(username)}, {"sessions_ended", *ended}});
  return absl::OkStatus();
}

absl::StatusOr<int> AuthStore::RevokeSessions(const std::string& username) {
  auto ended = EndSessions("revoke", username, {});
  if (ended.ok()) log::Info("sessions_revoked", {{"account", log::Value::Id(username)}, {"sessions_ended", *ended}});
  return ended;
}

absl::StatusOr<std::vector<relais::v1::Account>> AuthStore::ListUsers() {
  auto names = redis_.Command({"SMEMBERS", keys_.Users()});
  if (!names.ok()) return names.status();
  std::vector<std::string> usernames;
  for (size_t i = 0; i < (*names)->elements; ++i) usernames.push_back(Str(names->get(), i));
  std::sort(usernames.begin(), usernames.end());
  std::vector<Argv> commands;
  for (const auto& u : usernames) commands.push_back({"HGETALL", keys_.User(u)});
  std::vector<relais::v1::Account> out;
  if (commands.empty()) return out;
  auto replies = redis_.Pipeline(commands);
  if (!replies.ok()) return replies.status();
  for (size_t i = 0; i < usernames.size(); ++i) {
    auto f = FieldMap((*replies)[i].get());
    if (f.empty()) continue;
    FillAccount(usernames[i], f, &out.emplace_back());
  }
  return out;
}

absl::StatusOr<AuthStore::NewSession> AuthStore::Login(const std::string& username, const std::string& password,
                                                       const std::string& address) {
  static const absl::Status kWrong = absl::UnauthenticatedError("username or password is wrong");
  if (!IsUsername(username) || password.empty() || password.size() > kMaxPasswordLength) {
    BurnVerification(options_.password_cost);
    return kWrong;
  }
  // Count the attempt first (atomically, before any work), so parallel guesses are counted too.
  std::string window = std::to_string(std::chrono::milliseconds(options_.attempt_window).count());
  auto counted = redis_.Pipeline({{"INCR", keys_.AttemptsByAccount(username)},
                                  {"PEXPIRE", keys_.AttemptsByAccount(username), window, "NX"},
                                  {"INCR", keys_.AttemptsByAddress(address)},
                                  {"PEXPIRE", keys_.AttemptsByAddress(address), window, "NX"},
                                  {"HGETALL", keys_.User(username)}});
  if (!counted.ok()) return counted.status();
  if (ReplyInt((*counted)[0].get()) > options_.max_attempts_per_account ||
      ReplyInt((*counted)[2].get()) > options_.max_attempts_per_address) {
    log::Warn("login_throttled", {{"account", log::Value::Id(username)}});
    return absl::ResourceExhaustedError("too many sign-in attempts; wait a few minutes");
  }
  auto user = FieldMap((*counted)[4].get());
  if (user.empty()) {
    BurnVerification(options_.password_cost);
    return kWrong;
  }
  if (!VerifyPassword(user["pwhash"], password)) {
    log::Info("login_failed", {{"account", log::Value::Id(username)}});
    return kWrong;
  }
  NewSession out;
  out.token = RandomToken();
  Principal& p = out.principal;
  p.caller = CallerFrom(user, username);
  p.username = username;
  p.kind = "session";
  p.session_id = TokenDigest(out.token);
  p.csrf_token = RandomToken();
  p.expires_ms = clock_.NowMs() + std::chrono::milliseconds(options_.session_lifetime).count();
  auto reply = redis_.Eval(kCreateSession,
                           {keys_.User(username), keys_.UserSessions(username), keys_.Session(p.session_id)},
                           {p.session_id, user["rev"], std::to_string(p.expires_ms), p.csrf_token, username});
  if (!reply.ok()) return reply.status();
  auto answer = ScriptAnswer(*reply);
  if (!answer.ok()) return answer.status();
  auto reset = redis_.Command({"DEL", keys_.AttemptsByAccount(username)});
  if (!reset.ok()) return reset.status();
  log::Info("login", {{"account", log::Value::Id(username)}, {"role", log::Value::Id(RoleName(p.caller.role))}});
  return out;
}

absl::Status AuthStore::Logout(const Principal& principal) {
  if (principal.kind != "session") return absl::FailedPreconditionError("only a session signs out");
  auto reply = redis_.Eval(kEndSession, {keys_.Session(principal.session_id), keys_.UserSessions(principal.username)},
                           {principal.session_id});
  if (!reply.ok()) return reply.status();
  return ScriptAnswer(*reply).status();
}

absl::StatusOr<Principal> AuthStore::ResolveSession(std::string_view token) {
  return Resolve({Credential{Credential::Kind::kSession, std::string(token)}})[0];
}

absl::StatusOr<Principal> AuthStore::ResolveApiKey(std::string_view secret) {
  return Resolve({Credential{Credential::Kind::kApiKey, std::string(secret)}})[0];
}

std::vector<absl::StatusOr<Principal>> AuthStore::Resolve(const std::vector<Credential>& credentials) {
  static const absl::Status kEnded = absl::UnauthenticatedError("session ended or unknown; sign in");
  static const absl::Status kUnknownKey = absl::UnauthenticatedError("API key unknown or revoked");
  static const absl::Status kMalformed = absl::UnauthenticatedError("Authorization: use Bearer <key>");
  std::vector<absl::StatusOr<Principal>> out(credentials.size(), Principal{});
  std::vector<Argv> commands;
  std::vector<size_t> asked;     // index of the credential of each command
  std::vector<std::string> ids;  // session digest or key id, per command
  for (size_t i = 0; i < credentials.size(); ++i) {
    const Credential& c = credentials[i];
    if (c.kind == Credential::Kind::kMalformed) {
      out[i] = kMalformed;
    } else if (c.kind == Credential::Kind::kSession) {
      if (c.value.empty() || c.value.size() > 128) {
        out[i] = kEnded;
        continue;
      }
      ids.push_back(TokenDigest(c.value));
      commands.push_back({"HGETALL", keys_.Session(ids.back())});
      asked.push_back(i);
    } else if (c.kind == Credential::Kind::kApiKey) {
      // rk_<id>_<secret>
      std::string_view secret = c.value;
      size_t sep = secret.size() <= 200 && secret.substr(0, 3) == kApiKeyPrefix ? secret.find('_', 3)
                                                                                : std::string_view::npos;
      std::string id = sep == std::string_view::npos ? "" : std::string(secret.substr(3, sep - 3));
      if (!IsCode(id, 1, 64, false)) {
        out[i] = kUnknownKey;
        continue;
      }
      ids.push_back(id);
      commands.push_back({"HGETALL", keys_.ApiKey(id)});
      asked.push_back(i);
    }
  }
  if (commands.empty()) return out;
  auto replies = redis_.Pipeline(commands);
  int64_t now = clock_.NowMs();
  for (size_t k = 0; k < asked.size(); ++k) {
    size_t i = asked[k];
    if (!replies.ok()) {
      out[i] = replies.status();
      continue;
    }
    auto f = FieldMap((*replies)[k].get());
    Principal p;
    if (credentials[i].kind == Credential::Kind::kSession) {
      int64_t expires = ToInt(f, "expires_ms");
      if (f.empty() || expires <= now) {
        out[i] = kEnded;
        continue;
      }
      p.username = f["user"];
      p.caller = CallerFrom(f, p.username);
      p.kind = "session";
      p.session_id = ids[k];
      p.csrf_token = f["csrf"];
      p.expires_ms = expires;
    } else {
      if (f.empty() || !ConstantTimeEquals(f["secret_digest"], TokenDigest(credentials[i].value))) {
        out[i] = kUnknownKey;
        continue;
      }
      p.username = "key-" + ids[k];
      p.caller = CallerFrom(f, p.username);
      p.kind = "api_key";
    }
    out[i] = std::move(p);
  }
  return out;
}

absl::StatusOr<relais::v1::CreateApiKeyResponse> AuthStore::CreateApiKey(const relais::v1::ApiKey& key) {
  if (key.name().empty() || key.name().size() > 80) return absl::InvalidArgumentError("name: 1 to 80 characters");
  RETURN_IF_ERROR(ValidateBindings(key.role(), key.shelters(), key.team()));
  if (ParseRole(key.role()) == Role::kAdmin) return absl::InvalidArgumentError("role: API keys never act as admin");
  relais::v1::CreateApiKeyResponse out;
  *out.mutable_key() = key;
  std::string id = RandomHex(8);
  std::string secret = kApiKeyPrefix + id + "_" + RandomToken();
  int64_t now = clock_.NowMs();
  out.mutable_key()->set_id(id);
  *out.mutable_key()->mutable_created_at() = TimestampFromMs(now);
  out.set_secret(secret);
  auto reply = redis_.Pipeline({{"HSET", keys_.ApiKey(id), "name", key.name(), "role", key.role(), "shelters",
                                 Join(key.shelters()), "team", key.team(), "secret_digest", TokenDigest(secret),
                                 "created_ms", std::to_string(now)},
                                {"SADD", keys_.ApiKeys(), id}});
  if (!reply.ok()) return reply.status();
  log::Info("api_key_created", {{"key", log::Value::Id(id)}, {"role", log::Value::Id(key.role())}});
  return out;
}

absl::StatusOr<std::vector<relais::v1::ApiKey>> AuthStore::ListApiKeys() {
  auto ids = redis_.Command({"SMEMBERS", keys_.ApiKeys()});
  if (!ids.ok()) return ids.status();
  std::vector<std::string> list;
  for (size_t i = 0; i < (*ids)->elements; ++i) list.push_back(Str(ids->get(), i));
  std::sort(list.begin(), list.end());
  std::vector<relais::v1::ApiKey> out;
  if (list.empty()) return out;
  std::vector<Argv> commands;
  for (const auto& id : list) commands.push_back({"HGETALL", keys_.ApiKey(id)});
  auto replies = redis_.Pipeline(commands);
  if (!replies.ok()) return replies.status();
  for (size_t i = 0; i < list.size(); ++i) {
    auto f = FieldMap((*replies)[i].get());
    if (f.empty()) continue;
    auto& k = out.emplace_back();
    Caller c = CallerFrom(f, "");
    k.set_id(list[i]);
    k.set_name(f["name"]);
    k.set_role(std::string(RoleName(c.role)));
    for (auto& s : c.shelters) k.add_shelters(s);
    k.set_team(c.team);
    *k.mutable_created_at() = TimestampFromMs(ToInt(f, "created_ms"));
  }
  return out;
}

absl::Status AuthStore::DeleteApiKey(const std::string& key_id) {
  if (!IsCode(key_id, 1, 64, false)) return absl::InvalidArgumentError("key_id: not a key id");
  auto replies = redis_.Pipeline({{"DEL", keys_.ApiKey(key_id)}, {"SREM", keys_.ApiKeys(), key_id}});
  if (!replies.ok()) return replies.status();
  if (ReplyInt((*replies)[0].get()) == 0) return absl::NotFoundError("key_id: no such key");
  log::Info("api_key_deleted", {{"key", log::Value::Id(key_id)}});
  return absl::OkStatus();
}

}  // namespace relais::gateway
