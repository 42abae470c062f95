#pragma once
// The Redis keys of accounts, sessions and API keys: the one place naming them. They share the hash tag
// {auth}, so each atomic step on them (a session that starts, an account removed with its sessions)
// stays in one slot on Redis Cluster. Accounts are per deployment, not per region.
#include <string>
#include <string_view>

namespace relais::gateway {

class AuthKeys {
 public:
  std::string User(std::string_view username) const { return Key("user:", username); }
  std::string Users() const { return kPrefix + std::string("users"); }
  std::string UserSessions(std::string_view username) const { return Key("user_sessions:", username); }
  std::string SessionPrefix() const { return kPrefix + std::string("session:"); }
  std::string Session(std::string_view id) const { return Key("session:", id); }
  std::string ApiKey(std::string_view id) const { return Key("apikey:", id); }
  std::string ApiKeys() const { return kPrefix + std::string("apikeys"); }
  std::string AttemptsByAccount(std::string_view username) const { return Key("attempts:user:", username); }
  std::string AttemptsByAddress(std::string_view address) const { return Key("attempts:addr:", address); }

 private:
  static constexpr char kPrefix[] = "relais:{auth}:";
  static std::string Key(std::string_view a, std::string_view b) {
    return kPrefix + std::string(a) + std::string(b);
  }
};

}  // namespace relais::gateway
