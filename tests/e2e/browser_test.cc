// Browser tests: the web pages in Debian's headless Chromium (driven by playwright-core, scripts in
// tests/browser/), against the real all-in-one `relais` executable with a private redis-server on a
// random port, the Brussels demo directory loaded by `relais-import`, and one account per role made
// with `relais-admin` (passwords generated for this run). Each test is one scenario script in a world
// of its own, so exact figures can be asserted. Screenshots go to tests/artifacts/ (git-ignored).
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <thread>

#include "tests/support/child_process.h"
#include "tests/support/http_client.h"
#include "tests/support/redis_server.h"

namespace relais::testing {
namespace {

struct Account {
  std::string username, role, binding_flag, binding, password;
};

std::string RandomPassword() {
  std::random_device rd;
  const char* alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  std::string out;
  for (int i = 0; i < 24; ++i) out += alphabet[rd() % 57];
  return out;
}

class BrowserTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc_port_ = FreePort();
    http_port_ = FreePort();
    std::string target = "127.0.0.1:" + std::to_string(grpc_port_);
    relais_.pid = Spawn({RELAIS_BIN, "--redis-port", std::to_string(redis_.port()), "--listen", target, "--metrics-listen",
                     "127.0.0.1:0", "--http-listen", "127.0.0.1:" + std::to_string(http_port_), "--log-level", "warn"});
    HttpClient web(http_port_);
    bool ready = false;
    for (int i = 0; i < 200 && !ready; ++i) {
      ready = web.Get("/readyz").status == 200;
      if (!ready) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ASSERT_TRUE(ready) << "relais did not become ready";
    std::string out;
    ASSERT_EQ(RunToEnd({IMPORT_BIN, "--file", DEMO_FILE, "--target", target}, &out), 0) << out;

    // One account per role, like deploy/demo.sh makes; a second operator for the live board.
    accounts_ = {
        {"e2e-operator", "operator", "", "", ""},   {"e2e-operator-2", "operator", "", "", ""},
        {"e2e-medical", "medical", "", "", ""},     {"e2e-shelter", "shelter", "--shelters", "croix-rouge-ixelles", ""},
        {"e2e-team", "team", "--team", "maraude-samusocial", ""},
        {"e2e-workshop", "workshop", "", "", ""},   {"e2e-monitoring", "monitoring", "", "", ""},
        {"e2e-admin", "admin", "", "", ""},
    };
    for (auto& a : accounts_) {
      a.password = RandomPassword();
      std::vector<std::string> args = {ADMIN_BIN, "--redis-port", std::to_string(redis_.port()), "user", "add",
                                       a.username, "--role", a.role, "--password-stdin"};
      if (!a.binding_flag.empty()) {
        args.push_back(a.binding_flag);
        args.push_back(a.binding);
      }
      ASSERT_EQ(RunToEnd(args, &out, a.password + "\n"), 0) << out;
    }
  }

  void TearDown() override {
    if (relais_.pid > 0) StopGently(relais_.pid);
    relais_.pid = -1;
  }

  // Runs tests/browser/<script> with this world; the script's output is printed, its exit code checked.
  void Scenario(const std::string& script) {
    std::string world = ::testing::TempDir() + "/browser-world-" + std::to_string(http_port_) + ".json";
    {
      std::ofstream f(world);
      f << "{\"base_url\":\"http://127.0.0.1:" << http_port_ << "\",\"demo_file\":\"" << DEMO_FILE
        << "\",\"artifacts\":\"" << TESTS_DIR << "/artifacts\",\"chromium\":\"" << CHROMIUM << "\",\"accounts\":{";
      std::map<std::string, int> seen;
      bool first = true;
      for (const auto& a : accounts_) {
        std::string key = a.role + (seen[a.role]++ ? std::to_string(seen[a.role]) : "");
        f << (first ? "" : ",") << "\"" << key << "\":{\"username\":\"" << a.username << "\",\"password\":\""
          << a.password << "\"}";
        first = false;
      }
      f << "}}";
    }
    std::string out;
    int code = RunToEnd({NODE, std::string(TESTS_DIR) + "/browser/" + script, world}, &out);
    std::filesystem::remove(world);
    std::cout << out;
    EXPECT_EQ(code, 0) << script << " failed:\n" << out;
  }

  RedisServer redis_;
  int grpc_port_ = 0, http_port_ = 0;
  ChildGuard relais_{-1};
  std::vector<Account> accounts_;
};

TEST_F(BrowserTest, OperatorDispatchesShelterConfirmsBoardUpdatesLive) { Scenario("dispatch.mjs"); }
TEST_F(BrowserTest, LanguageSwitchIsRememberedOnEveryPage) { Scenario("language.mjs"); }
TEST_F(BrowserTest, PublicDirectorySearchNeverShowsASecretAddress) { Scenario("directory.mjs"); }
TEST_F(BrowserTest, EveryPageOpensForItsRoleWithoutAnError) { Scenario("pages.mjs"); }
TEST_F(BrowserTest, AccessibilityAuditOfEveryPageDayAndNight) { Scenario("a11y.mjs"); }

TEST_F(BrowserTest, WorkshopSeesReferralsLiveAndFillsTheAgenda) { Scenario("workshop.mjs"); }
TEST_F(BrowserTest, MonitoringReportCountsWithholdsAndDownloads) { Scenario("monitoring.mjs"); }

}  // namespace
}  // namespace relais::testing
