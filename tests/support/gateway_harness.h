#pragma once
// The gateway in-process in front of the in-process services (tests/support/harness.h), against the
// test's private Redis, listening on a free loopback port: tests talk to it through real HTTP and
// WebSocket connections. Accounts get a known password and the cheapest Argon2id parameters.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "services/gateway/gateway.h"
#include "tests/support/harness.h"
#include "tests/support/http_client.h"

namespace relais::testing {

class GatewayHarness {
 public:
  explicit GatewayHarness(RedisServer& redis, std::function<void(gateway::GatewayOptions&)> tweak = {},
                          dispatch::DispatchConfig dispatch_config = {});
  ~GatewayHarness();

  Harness& services() { return *services_; }
  gateway::Gateway& gateway() { return *gateway_; }
  int port() const { return gateway_->port(); }
  ManualClock& clock() { return services_->clock(); }

  static constexpr char kPassword[] = "test password, tests only";
  // An account created straight in the store.
  void AddUser(const std::string& username, const std::string& role, const std::vector<std::string>& shelters = {},
               const std::string& team = "");
  // A client signed in as that account (fails the calling test through the status when it cannot).
  HttpClient SignedIn(const std::string& username);
  HttpClient Anonymous() { return HttpClient(port()); }

 private:
  RedisPool pool_;
  std::unique_ptr<Harness> services_;
  std::unique_ptr<gateway::Gateway> gateway_;
};

}  // namespace relais::testing
