// Processes killed at random moments, bounded in time, on loopback: the real relais-beds,
// relais-dispatch and relais-gateway executables, each run as its own process, are killed with SIGKILL
// one at a time at random and started again, while operators take holds and record street reports
// through the gateway's REST API. A client whose answer was lost (connection closed, 502, 503, 504)
// sends the same request again with the same Idempotency-Key. At the end each key had exactly one
// effect: as many holds and reports as keys acknowledged, none twice, none lost.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "common/identity.h"
#include "relais/v1/beds.grpc.pb.h"
#include "relais/v1/dispatch.grpc.pb.h"
#include "tests/support/child_process.h"
#include "tests/support/http_client.h"
#include "tests/support/redis_server.h"

namespace relais::testing {
namespace {

using namespace relais::v1;
using SteadyClock = std::chrono::steady_clock;

constexpr char kPassword[] = "a fault test password";

std::unique_ptr<grpc::ClientContext> As(Role role, std::vector<std::string> shelters = {}) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  AddCallerMetadata(*ctx, Caller{role, "fault-test", std::move(shelters), ""});
  return ctx;
}

// One Relais process, started again after each kill with the same arguments.
struct Process {
  std::string name;
  std::vector<std::string> args;
  pid_t pid = -1;
  void Start() { pid = Spawn(args); }
  void Kill() { KillNow(pid); }
  ~Process() {
    if (pid > 0) KillNow(pid);
  }
};

bool LostAnswer(int status) { return status == 0 || status == 502 || status == 503 || status == 504; }

TEST(ProcessFaultsTest, ServicesAndGatewayKilledAtRandomRetriesHaveExactlyOneEffect) {
  RedisServer redis;
  const std::string redis_port = std::to_string(redis.port());
  const std::string beds = "127.0.0.1:" + std::to_string(FreePort());
  const std::string dispatch = "127.0.0.1:" + std::to_string(FreePort());
  const int http_port = FreePort();
  const std::vector<std::string> common = {"--redis-port", redis_port, "--metrics-listen", "127.0.0.1:0",
                                           "--log-level", "error"};
  auto with = [&](std::vector<std::string> args) {
    args.insert(args.end(), common.begin(), common.end());
    return args;
  };
  std::vector<std::unique_ptr<Process>> processes;
  processes.push_back(std::make_unique<Process>(Process{"beds", with({BEDS_BIN, "--listen", beds})}));
  processes.push_back(std::make_unique<Process>(
      Process{"dispatch", with({DISPATCH_BIN, "--listen", dispatch, "--beds-target", beds})}));
  processes.push_back(std::make_unique<Process>(
      Process{"gateway", {GATEWAY_BIN, "--redis-port", redis_port, "--http-listen", "127.0.0.1:" + std::to_string(http_port),
                          "--beds-target", beds, "--dispatch-target", dispatch, "--log-level", "error"}}));
  for (auto& p : processes) p->Start();

  // The directory and an account, as an administrator sets them up.
  auto beds_channel = grpc::CreateChannel(beds, grpc::InsecureChannelCredentials());
  ASSERT_TRUE(beds_channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(20)));
  auto beds_stub = Beds::NewStub(beds_channel);
  CreateShelterRequest create;
  auto* shelter = create.mutable_shelter();
  shelter->set_id("faults");
  shelter->set_name("Fault test shelter");
  shelter->set_organisation("Tests");
  shelter->set_kind(SERVICE_KIND_EMERGENCY_SHELTER);
  shelter->set_commune("ixelles");
  shelter->add_publics("single_men");
  create.set_idempotency_key("create-faults-shelter");
  CreateShelterResponse created;
  auto s = beds_stub->CreateShelter(As(Role::kAdmin).get(), create, &created);
  ASSERT_TRUE(s.ok()) << s.error_message();
  DeclarePoolRequest declare;
  declare.set_shelter_id("faults");
  declare.set_public_("single_men");
  declare.mutable_figures()->set_places_in_service(10000);
  declare.set_idempotency_key("declare-faults-pool");
  DeclarePoolResponse declared;
  ASSERT_TRUE(beds_stub->DeclarePool(As(Role::kAdmin).get(), declare, &declared).ok());
  std::string out;
  ASSERT_EQ(RunToEnd({ADMIN_BIN, "--redis-port", redis_port, "user", "add", "fault-operator", "--role", "operator",
                      "--password-stdin"},
                     &out, std::string(kPassword) + "\n"),
            0)
      << out;

  std::atomic<bool> stop{false};
  std::mutex mu;
  std::set<std::string> holds, reports;
  std::atomic<int> acknowledged_holds{0}, acknowledged_reports{0}, resent{0};
  // Sends until an answer that is not a lost one; signs in again if the session was lost with nothing.
  auto until_answered = [&](HttpClient& client, const std::string& target, const std::string& body,
                            const std::string& key) {
    for (;;) {
      auto r = client.Send("POST", target, body, {{"Idempotency-Key", key}});
      if (!LostAnswer(r.status)) return r;
      ++resent;
      std::this_thread::sleep_for(std::chrono::milliseconds(30));
    }
  };
  auto signed_in = [&] {
    HttpClient client(http_port);
    for (int i = 0; i < 300 && client.Login("fault-operator", kPassword).status != 200; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return client;
  };
  std::vector<std::thread> clients;
  for (int w = 0; w < 3; ++w) {
    clients.emplace_back([&, w] {
      HttpClient client = signed_in();
      for (int i = 0; !stop; ++i) {
        std::string key = "hold-" + std::to_string(w) + "-" + std::to_string(i);
        auto r = until_answered(client, "/api/v1/holds",
                                R"({"pool_id":"faults:single_men","request_id":"req-)" + key + R"("})", key);
        ASSERT_EQ(r.status, 200) << r.body;
        std::lock_guard lock(mu);
        holds.insert(JsonField(r.body, "id"));
        ++acknowledged_holds;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));  // a busy night, not a flood
      }
    });
  }
  clients.emplace_back([&] {
    HttpClient client = signed_in();
    for (int i = 0; !stop && i < 400; ++i) {  // at most what one listing returns
      std::string key = "report-" + std::to_string(i);
      auto r = until_answered(client, "/api/v1/street-reports",
                              R"({"report":{"reporter_kind":"REPORTER_KIND_PUBLIC_TRANSPORT","commune":"brussels",)"
                              R"("address":"Gare du Midi, quai )" + std::to_string(i) +
                                  R"(","seen":["OBSERVATION_SLEEPING_OUTSIDE"],"needs":["STREET_NEED_HELP"]}})",
                              key);
      ASSERT_EQ(r.status, 200) << r.body;
      std::lock_guard lock(mu);
      reports.insert(JsonField(r.body, "id"));
      ++acknowledged_reports;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });

  // For about 15 s, every 0.5-1.5 s one process dies and starts again at once.
  std::mt19937 rng(7);
  std::map<std::string, int> kills;
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  for (auto until = SteadyClock::now() + std::chrono::seconds(15); SteadyClock::now() < until;) {
    auto& victim = *processes[rng() % processes.size()];
    victim.Kill();
    victim.Start();
    ++kills[victim.name];
    std::this_thread::sleep_for(std::chrono::milliseconds(500 + rng() % 1000));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  stop = true;
  for (auto& t : clients) t.join();
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  for (const auto& name : {"beds", "dispatch", "gateway"}) EXPECT_GE(kills[name], 2) << name << " was hardly killed";
  EXPECT_GT(resent.load(), 0) << "no answer was ever lost: the faults did not bite";

  // Exactly one effect per key: each acknowledged once with its own id, and Redis holds those only.
  EXPECT_EQ(static_cast<int>(holds.size()), acknowledged_holds.load());
  EXPECT_EQ(static_cast<int>(reports.size()), acknowledged_reports.load());
  auto beds_after = Beds::NewStub(grpc::CreateChannel(beds, grpc::InsecureChannelCredentials()));
  GetAvailabilityRequest read;
  read.mutable_filter()->set_shelter_id("faults");
  GetAvailabilityResponse availability;
  s = beds_after->GetAvailability(As(Role::kOperator).get(), read, &availability);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(availability.pools_size(), 1);
  EXPECT_EQ(availability.pools(0).live_holds(), static_cast<int>(holds.size()));
  auto dispatch_stub = Dispatch::NewStub(grpc::CreateChannel(dispatch, grpc::InsecureChannelCredentials()));
  ListStreetReportsRequest list;
  list.set_limit(500);
  ListStreetReportsResponse listed;
  s = dispatch_stub->ListStreetReports(As(Role::kOperator).get(), list, &listed);
  ASSERT_TRUE(s.ok()) << s.error_message();
  std::set<std::string> stored;
  for (const auto& r : listed.reports()) stored.insert(r.id());
  EXPECT_EQ(stored, reports);
  // Control: a naive client that resends a request under a new key gets a second place, and the same
  // comparison sees it.
  HttpClient naive = signed_in();
  for (const char* key : {"naive-first", "naive-resent"}) {
    ASSERT_EQ(naive.Send("POST", "/api/v1/holds", R"({"pool_id":"faults:single_men","request_id":"req-naive"})",
                         {{"Idempotency-Key", key}}).status,
              200);
  }
  ASSERT_TRUE(beds_after->GetAvailability(As(Role::kOperator).get(), read, &availability).ok());
  EXPECT_NE(availability.pools(0).live_holds(), static_cast<int>(holds.size()) + 1)
      << "the control's resent request should count twice";

  std::cout << "kills: beds " << kills["beds"] << ", dispatch " << kills["dispatch"] << ", gateway " << kills["gateway"]
            << "; resent " << resent << "; holds " << holds.size() << ", reports " << reports.size() << "\n";
}

}  // namespace
}  // namespace relais::testing
