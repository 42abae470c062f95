// relais-admin: accounts and API keys from the command line, straight in Redis (the same store as the
// gateway's admin API). For the first admin account of a deployment, and for scripts.
//
//   relais-admin user add <username> --role operator [--shelters a,b] [--team t] (--password-stdin | --generate-password)
//   relais-admin user set <username> --role ... [--shelters ...] [--team ...] [--password-stdin | --generate-password]
//   relais-admin user list | user remove <username> | user revoke-sessions <username>
//   relais-admin key create --name <what for> --role shelter --shelters a   (prints the secret once)
//   relais-admin key list | key revoke <key id>
#include <iostream>

#include "absl/strings/str_split.h"
#include "common/log.h"
#include "services/gateway/auth_store.h"

namespace {

using namespace relais;
using namespace relais::gateway;

void AddList(google::protobuf::RepeatedPtrField<std::string>* out, const std::string& list) {
  for (absl::string_view item : absl::StrSplit(list, ',', absl::SkipEmpty())) out->Add(std::string(item));
}

std::string Join(const google::protobuf::RepeatedPtrField<std::string>& list) {
  std::string out;
  for (const auto& s : list) out += (out.empty() ? "" : ",") + s;
  return out;
}

int Fail(const absl::Status& s) {
  std::cerr << "relais-admin: " << s.message() << "\n";
  return s.code() == absl::StatusCode::kInvalidArgument ? 2 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  RedisOptions redis;
  std::string role, shelters, team, name;
  bool password_stdin = false, generate = false;
  std::vector<std::string> args;
  po::options_description flags;
  AddRedisOptions(flags, redis);
  flags.add_options()
      ("role", po::value(&role)->default_value(""), "operator, medical, shelter, team, workshop, monitoring or admin")
      ("shelters", po::value(&shelters)->default_value(""), "comma-separated shelter ids (shelter accounts and keys)")
      ("team", po::value(&team)->default_value(""), "team id (team accounts and keys)")
      ("name", po::value(&name)->default_value(""), "what an API key is for")
      ("password-stdin", po::bool_switch(&password_stdin), "read the password from the first line of stdin")
      ("generate-password", po::bool_switch(&generate), "generate a password and print it once")
      ("help,h", "show this help")
      ("args", po::value(&args)->multitoken(), "command words");
  po::positional_options_description positional;
  positional.add("args", -1);
  po::variables_map vm;
  const char* usage =
      "relais-admin: accounts and API keys\n"
      "  user add <username> --role R [--shelters a,b] [--team t] (--password-stdin | --generate-password)\n"
      "  user set <username> --role R [--shelters ...] [--team ...] [--password-stdin | --generate-password]\n"
      "  user list | user remove <username> | user revoke-sessions <username>\n"
      "  key create --name N --role R [--shelters ...] [--team ...] | key list | key revoke <id>";
  try {
    po::store(po::command_line_parser(argc, argv).options(flags).positional(positional).run(), vm);
  } catch (const po::error& e) {
    std::cerr << "relais-admin: " << e.what() << "\n" << usage << "\n";
    return 2;
  }
  // Environment fallbacks for the Redis flags, like every Relais executable.
  if (auto exit_code = ParseConfig(1, argv, flags, usage, vm)) return *exit_code;
  if (vm.count("help") || args.empty() || args[0] == "help") {
    std::cout << usage << "\n\n" << flags << "\n";
    return args.empty() && !vm.count("help") ? 2 : 0;
  }
  log::SetLevel(log::Level::kWarn);
  InitCrypto();
  RedisPool pool(redis);
  SystemClock clock;
  AuthStore store(pool, clock, AuthOptions{});
  auto word = [&](size_t i) { return i < args.size() ? args[i] : std::string(); };
  auto password = [&]() -> std::string {
    if (generate) return RandomToken(18);
    if (!password_stdin) return "";
    std::string line;
    std::getline(std::cin, line);
    return line;
  };

  if (word(0) == "user" && (word(1) == "add" || word(1) == "set")) {
    if (!password_stdin && !generate && word(1) == "add") {
      std::cerr << "relais-admin: give --password-stdin or --generate-password\n";
      return 2;
    }
    std::string pw = password();
    if (word(1) == "add") {
      relais::v1::Account a;
      a.set_username(word(2));
      a.set_role(role);
      AddList(a.mutable_shelters(), shelters);
      a.set_team(team);
      auto created = store.CreateUser(a, pw);
      if (!created.ok()) return Fail(created.status());
    } else {
      relais::v1::UpdateUserRequest u;
      u.set_username(word(2));
      u.set_role(role);
      AddList(u.mutable_shelters(), shelters);
      u.set_team(team);
      u.set_password(pw);
      auto updated = store.UpdateUser(u);
      if (!updated.ok()) return Fail(updated.status());
    }
    std::cout << word(2) << (generate ? " " + pw : std::string()) << "\n";
    return 0;
  }
  if (word(0) == "user" && word(1) == "list") {
    auto users = store.ListUsers();
    if (!users.ok()) return Fail(users.status());
    for (const auto& u : *users) {
      std::cout << u.username() << "\t" << u.role() << "\t" << Join(u.shelters()) << "\t" << u.team() << "\n";
    }
    return 0;
  }
  if (word(0) == "user" && word(1) == "remove") {
    auto s = store.DeleteUser(word(2));
    return s.ok() ? 0 : Fail(s);
  }
  if (word(0) == "user" && word(1) == "revoke-sessions") {
    auto n = store.RevokeSessions(word(2));
    if (!n.ok()) return Fail(n.status());
    std::cout << *n << " sessions ended\n";
    return 0;
  }
  if (word(0) == "key" && word(1) == "create") {
    relais::v1::ApiKey k;
    k.set_name(name);
    k.set_role(role);
    AddList(k.mutable_shelters(), shelters);
    k.set_team(team);
    auto created = store.CreateApiKey(k);
    if (!created.ok()) return Fail(created.status());
    std::cout << created->key().id() << "\t" << created->secret() << "\n";
    return 0;
  }
  if (word(0) == "key" && word(1) == "list") {
    auto keys = store.ListApiKeys();
    if (!keys.ok()) return Fail(keys.status());
    for (const auto& k : *keys) {
      std::cout << k.id() << "\t" << k.role() << "\t" << Join(k.shelters()) << "\t" << k.team() << "\t" << k.name() << "\n";
    }
    return 0;
  }
  if (word(0) == "key" && word(1) == "revoke") {
    auto s = store.DeleteApiKey(word(2));
    return s.ok() ? 0 : Fail(s);
  }
  std::cerr << usage << "\n";
  return 2;
}
