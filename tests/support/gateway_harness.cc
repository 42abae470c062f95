#include "tests/support/gateway_harness.h"

#include <stdexcept>

#include "services/gateway/password.h"

namespace relais::testing {

GatewayHarness::GatewayHarness(RedisServer& redis, std::function<void(gateway::GatewayOptions&)> tweak,
                               dispatch::DispatchConfig dispatch_config)
    : pool_(redis.options(8)) {
  gateway::InitCrypto();
  services_ = std::make_unique<Harness>(redis, beds::BedsConfig{}, std::move(dispatch_config));
  gateway::GatewayOptions options;
  options.listen = "127.0.0.1:0";
  options.auth.password_cost = gateway::PasswordCost::Minimum();
  options.ws_recheck = std::chrono::seconds(1);
  if (tweak) tweak(options);
  gateway_ = std::make_unique<gateway::Gateway>(options, pool_, services_->clock());
  gateway_->Start("127.0.0.1:" + std::to_string(services_->port()));
}

GatewayHarness::~GatewayHarness() {
  gateway_->Stop();
  gateway_.reset();
  services_.reset();
}

void GatewayHarness::AddUser(const std::string& username, const std::string& role,
                             const std::vector<std::string>& shelters, const std::string& team) {
  relais::v1::Account a;
  a.set_username(username);
  a.set_role(role);
  for (const auto& s : shelters) a.add_shelters(s);
  a.set_team(team);
  auto created = gateway_->auth().CreateUser(a, kPassword);
  if (!created.ok()) throw std::runtime_error("cannot create account " + username + ": " + std::string(created.status().message()));
}

HttpClient GatewayHarness::SignedIn(const std::string& username) {
  HttpClient c(port());
  auto r = c.Login(username, kPassword);
  if (r.status != 200) throw std::runtime_error("cannot sign in as " + username + ": " + r.body);
  return c;
}

}  // namespace relais::testing
