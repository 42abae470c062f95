// Prometheus, end to end: the configuration, the alert rules and their unit tests pass promtool; every
// Relais process (all-in-one, beds, dispatch, workshop, monitoring, gateway), started as in production, serves a
// /metrics that `promtool check metrics` accepts; every metric the alerts and the dashboard use is
// really exported. Controls show promtool fails on a broken exposition and on a wrong rule test.
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include <grpcpp/grpcpp.h>

#include "tests/support/child_process.h"
#include "tests/support/http_client.h"
#include "tests/support/redis_server.h"

namespace relais::testing {
namespace {

const std::string kDeploy = DEPLOY_DIR;  // deploy/prometheus

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string TempFile(const std::string& name, const std::string& content) {
  std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path) << content;
  return path;
}

int Promtool(std::vector<std::string> args, std::string* output, const std::string& input = "") {
  args.insert(args.begin(), PROMTOOL);
  return RunToEnd(std::move(args), output, input);
}

// GET /metrics until it answers with `must_contain` (the services fill their gauges a moment after start).
std::string Scrape(int port, const std::string& must_contain = "") {
  for (int attempt = 0; attempt < 100; ++attempt) {
    auto r = HttpClient(port).Get("/metrics");
    if (r.status == 200 && r.body.find(must_contain) != std::string::npos) return r.body;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ADD_FAILURE() << "no /metrics with " << must_contain << " on port " << port;
  return "";
}

TEST(PrometheusDeploy, ConfigRulesAndRuleTestsPass) {
  std::string out;
  EXPECT_EQ(Promtool({"check", "config", kDeploy + "/prometheus.yml"}, &out), 0) << out;
  EXPECT_EQ(Promtool({"check", "rules", kDeploy + "/alerts.yml"}, &out), 0) << out;
  EXPECT_NE(out.find("4 rules found"), std::string::npos) << out;
  EXPECT_EQ(Promtool({"test", "rules", kDeploy + "/alerts_test.yml"}, &out), 0) << out;

  // Control: a rule test expecting the calls alert after 5 minutes of waiting fails.
  std::string wrong = ReadFile(kDeploy + "/alerts_test.yml");
  wrong.replace(wrong.find("eval_time: 11m"), 14, "eval_time: 5m ");
  std::string copy = TempFile("alerts_test_wrong.yml", wrong);
  std::ofstream(::testing::TempDir() + "/alerts.yml") << ReadFile(kDeploy + "/alerts.yml");
  EXPECT_NE(Promtool({"test", "rules", copy}, &out), 0) << out;
}

TEST(PrometheusDeploy, TheDashboardIsJsonAndUsesOnlyExportedMetrics) {
  google::protobuf::Struct dashboard;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(ReadFile(kDeploy + "/grafana-dashboard.json"), &dashboard).ok());
  EXPECT_EQ(dashboard.fields().at("uid").string_value(), "relais-live");
  EXPECT_GE(dashboard.fields().at("panels").list_value().values_size(), 10);
}

TEST(PrometheusDeploy, EveryProcessServesMetricsPromtoolAccepts) {
  RedisServer redis;
  std::string redis_port = std::to_string(redis.port());
  int grpc = FreePort(), http = FreePort();
  std::string target = "127.0.0.1:" + std::to_string(grpc);
  struct Process {
    std::string name;
    int metrics_port;
    std::vector<std::string> args;
    std::string must_contain;  // a metric it exports once it has looked at Redis
  };
  std::vector<Process> processes;
  auto listen = [](int port) { return "127.0.0.1:" + std::to_string(port); };
  int m_all = FreePort();
  processes.push_back({"relais", m_all,
                       {RELAIS_BIN, "--redis-port", redis_port, "--listen", target, "--metrics-listen", listen(m_all),
                        "--http-listen", listen(http), "--live-interval-ms", "200", "--log-level", "warn"},
                       "relais_places_free{"});
  int m_beds = FreePort();
  processes.push_back({"relais-beds", m_beds,
                       {BEDS_BIN, "--redis-port", redis_port, "--listen", listen(FreePort()), "--metrics-listen",
                        listen(m_beds), "--log-level", "warn"},
                       "exposer_scrapes_total"});
  int m_dispatch = FreePort();
  processes.push_back({"relais-dispatch", m_dispatch,
                       {DISPATCH_BIN, "--redis-port", redis_port, "--listen", listen(FreePort()), "--metrics-listen",
                        listen(m_dispatch), "--beds-target", target, "--log-level", "warn"},
                       "exposer_scrapes_total"});
  int m_workshop = FreePort();
  processes.push_back({"relais-workshop", m_workshop,
                       {WORKSHOP_BIN, "--redis-port", redis_port, "--listen", listen(FreePort()), "--metrics-listen",
                        listen(m_workshop), "--beds-target", target, "--dispatch-target", target, "--log-level", "warn"},
                       "relais_workshop_deadline_cases"});
  int m_monitoring = FreePort();
  processes.push_back({"relais-monitoring", m_monitoring,
                       {MONITORING_BIN, "--redis-port", redis_port, "--listen", listen(FreePort()), "--metrics-listen",
                        listen(m_monitoring), "--live-interval-ms", "200", "--log-level", "warn"},
                       "relais_places_free{"});
  int gateway_http = FreePort();
  processes.push_back({"relais-gateway", gateway_http,
                       {GATEWAY_BIN, "--redis-port", redis_port, "--http-listen", listen(gateway_http), "--beds-target",
                        target, "--dispatch-target", target, "--workshop-target", target, "--monitoring-target", target,
                        "--log-level", "warn"},
                       "relais_"});

  std::vector<ChildGuard> guards;
  guards.reserve(processes.size());
  guards.emplace_back(Spawn(processes[0].args));
  auto channel = grpc::CreateChannel(target, grpc::InsecureChannelCredentials());
  ASSERT_TRUE(channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(20)));
  std::string out;
  ASSERT_EQ(RunToEnd({IMPORT_BIN, "--file", DEMO_FILE, "--target", target}, &out), 0) << out;
  for (size_t i = 1; i < processes.size(); ++i) guards.emplace_back(Spawn(processes[i].args));

  std::string all_in_one;
  for (const auto& p : processes) {
    std::string metrics = Scrape(p.metrics_port, p.must_contain);
    ASSERT_FALSE(metrics.empty()) << p.name;
    EXPECT_EQ(Promtool({"check", "metrics"}, &out, metrics), 0) << p.name << ":\n" << out;
    EXPECT_TRUE(out.empty()) << p.name << ": " << out;
    if (p.name == "relais") all_in_one = metrics;
  }
  EXPECT_NE(all_in_one.find("relais_grpc_server_handled_total{"), std::string::npos) << "the import made calls";

  // Every relais_* metric the alerts and the dashboard use is exported by the all-in-one process.
  std::set<std::string> exported;
  std::regex name("^(relais_[a-z_]+)");
  std::istringstream lines(all_in_one);
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (std::regex_search(line, m, name)) exported.insert(m[1]);
  }
  std::string uses = ReadFile(kDeploy + "/alerts.yml") + ReadFile(kDeploy + "/grafana-dashboard.json");
  std::regex used("relais_[a-z_]+");
  int checked = 0;
  for (auto it = std::sregex_iterator(uses.begin(), uses.end(), used); it != std::sregex_iterator(); ++it) {
    std::string metric = it->str();
    EXPECT_TRUE(exported.count(metric)) << metric << " is used but not exported";
    ++checked;
  }
  EXPECT_GT(checked, 15);

  // Control: promtool rejects a broken exposition.
  EXPECT_NE(Promtool({"check", "metrics"}, &out, "relais_calls_waiting{lane=\"x\" 3\n"), 0);
}

}  // namespace
}  // namespace relais::testing
