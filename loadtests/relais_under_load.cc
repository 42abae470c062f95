#include "loadtests/relais_under_load.h"

#include <google/protobuf/util/json_util.h>

#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "common/catalog.h"
#include "relais/v1/beds.pb.h"
#include "tests/support/http_client.h"

namespace relais::load {

namespace {

// Demo-only accounts of a throwaway Redis; never a real secret.
constexpr char kPassword[] = "a load test password, demo only";

void Require(bool ok, const std::string& what) {
  if (!ok) throw std::runtime_error(what);
}

}  // namespace

RelaisUnderLoad::RelaisUnderLoad(RelaisUnderLoadOptions o) {
  const std::string redis_port = std::to_string(redis_.port());
  http_port_ = testing::FreePort();
  metrics_port_ = testing::FreePort();
  grpc_target_ = "127.0.0.1:" + std::to_string(testing::FreePort());
  std::vector<std::string> args = {RELAIS_BIN, "--redis-port", redis_port, "--listen", grpc_target_,
                                   "--metrics-listen", "127.0.0.1:" + std::to_string(metrics_port_), "--http-listen",
                                   "127.0.0.1:" + std::to_string(http_port_), "--log-level", "error"};
  args.insert(args.end(), o.extra_flags.begin(), o.extra_flags.end());
  relais_ = std::make_unique<testing::ChildGuard>(testing::Spawn(args));

  testing::HttpClient probe(http_port_);
  for (int i = 0; i < 300 && probe.Get("/readyz").status != 200; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  Require(probe.Get("/readyz").status == 200, "relais did not become ready");

  std::string out;
  Require(testing::RunToEnd({IMPORT_BIN, "--file", DEMO_FILE, "--target", grpc_target_}, &out) == 0,
          "relais-import: " + out);

  // The directory's pools, and one API key per shelter that has places.
  std::ifstream in(DEMO_FILE);
  std::stringstream text;
  text << in.rdbuf();
  relais::v1::DirectoryImport dir;
  Require(google::protobuf::util::JsonStringToMessage(text.str(), &dir).ok(), "cannot read the demo directory");
  std::set<std::string> shelters;
  for (const auto& p : dir.pools()) {
    world_.pools.push_back(p.shelter_id() + ":" + p.public_());
    shelters.insert(p.shelter_id());
  }
  for (const auto& shelter : shelters) {
    std::string created;
    Require(testing::RunToEnd({ADMIN_BIN, "--redis-port", redis_port, "key", "create", "--name", "load " + shelter,
                               "--role", "shelter", "--shelters", shelter},
                              &created) == 0,
            "relais-admin key create: " + created);
    std::string secret = created.substr(created.find('\t') + 1);
    secret.erase(secret.find_last_not_of("\r\n") + 1);
    world_.shelter_keys[shelter] = Account{"key " + shelter, "", "", secret};
  }

  // Accounts, signed in (fewer than the 30 sign-ins per address and 15 minutes the gateway allows).
  MakeAccount("load-admin", {"--role", "admin"});
  for (int i = 0; i < o.operators; ++i) {
    MakeAccount("load-operator-" + std::to_string(i), {"--role", "operator"});
    world_.operators.push_back(SignIn("load-operator-" + std::to_string(i)));
  }
  for (const char* team : {"maraude-samusocial", "street-work-diogenes"}) {
    MakeAccount(std::string("load-") + team, {"--role", "team", "--team", team});
    world_.teams[team] = SignIn(std::string("load-") + team);
  }
  MakeAccount("load-monitoring", {"--role", "monitoring"});
  world_.monitoring = SignIn("load-monitoring");
  world_.communes = Catalog::Brussels().communes;
  world_.month = MonthOf(std::chrono::system_clock::now());

  // A cold night: the region's buffer places are open.
  Account admin = SignIn("load-admin");
  testing::HttpClient as_admin(http_port_);
  as_admin.cookie = admin.cookie;
  as_admin.csrf = admin.csrf;
  auto crisis = as_admin.Post("/api/v1/crises",
                              R"({"reason":"CRISIS_REASON_COLD","mode":"CRISIS_MODE_24H","idempotency_key":"load-cold-night"})");
  Require(crisis.status == 200, "cannot open the cold-weather crisis: " + crisis.body);

  // Calls waiting for an operator, so the console's list is not empty.
  testing::HttpClient as_operator(http_port_);
  as_operator.cookie = world_.operators.front().cookie;
  as_operator.csrf = world_.operators.front().csrf;
  for (int i = 0; i < o.waiting_calls; ++i) {
    auto call = as_operator.Post("/api/v1/calls", R"({"caller_kind":"CALLER_KIND_PERSON","language":"fr","idempotency_key":"load-call-)" +
                                                      std::to_string(i) + "\"}");
    Require(call.status == 200, "cannot open a call: " + call.body);
  }

  // Monitoring reads its month's report (a first answer, so a broken route stops the run here).
  testing::HttpClient as_monitoring(http_port_);
  as_monitoring.cookie = world_.monitoring.cookie;
  auto report = as_monitoring.Get("/api/v1/monitoring/reports/" + world_.month);
  Require(report.status == 200, "monitoring report: " + std::to_string(report.status) + " " + report.body);
}

RelaisUnderLoad::~RelaisUnderLoad() {
  if (relais_ && relais_->pid > 0) {
    testing::StopGently(relais_->pid);
    relais_->pid = -1;
  }
}

void RelaisUnderLoad::MakeAccount(const std::string& name, const std::vector<std::string>& role_args) {
  std::vector<std::string> args = {ADMIN_BIN, "--redis-port", std::to_string(redis_.port()), "user", "add", name};
  args.insert(args.end(), role_args.begin(), role_args.end());
  args.push_back("--password-stdin");
  std::string out;
  Require(testing::RunToEnd(args, &out, std::string(kPassword) + "\n") == 0, "relais-admin user add " + name + ": " + out);
}

Account RelaisUnderLoad::SignIn(const std::string& name) {
  testing::HttpClient client(http_port_);
  auto r = client.Login(name, kPassword);
  Require(r.status == 200, "cannot sign in " + name + ": " + r.body);
  return Account{name, client.cookie, client.csrf, ""};
}

}  // namespace relais::load
