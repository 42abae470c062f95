// End to end, as a newcomer runs it: the real `relais` executable against a private redis-server,
// the demo directory loaded by `relais-import`, answers read over gRPC, and a clean stop on SIGTERM.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <thread>

#include "common/identity.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "relais/v1/beds.grpc.pb.h"
#include "tests/support/http_client.h"
#include "tests/support/redis_server.h"

namespace relais::testing {
namespace {

pid_t Spawn(std::vector<std::string> args) {
  pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

// Kills the child when the test ends, whatever way it ends, so no process outlives the test.
struct ChildGuard {
  pid_t pid;
  ~ChildGuard() {
    if (pid > 0 && waitpid(pid, nullptr, WNOHANG) == 0) {
      kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
    }
  }
};

int RunToEnd(std::vector<std::string> args) {
  int status = 0;
  waitpid(Spawn(std::move(args)), &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::unique_ptr<grpc::ClientContext> As(Role role) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  AddCallerMetadata(*ctx, Caller{role, "e2e", {}, ""});
  return ctx;
}

TEST(DemoStart, ServesTheDemoDirectoryAndStopsCleanly) {
  RedisServer redis;
  int grpc_port = FreePort();
  std::string target = "127.0.0.1:" + std::to_string(grpc_port);
  int http_port = FreePort();
  pid_t relais = Spawn({RELAIS_BIN, "--redis-port", std::to_string(redis.port()), "--listen", target,
                        "--metrics-listen", "127.0.0.1:0", "--http-listen", "127.0.0.1:" + std::to_string(http_port),
                        "--log-level", "warn"});
  ChildGuard guard{relais};
  auto channel = grpc::CreateChannel(target, grpc::InsecureChannelCredentials());
  ASSERT_TRUE(channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(20)));

  auto health = grpc::health::v1::Health::NewStub(channel);
  grpc::health::v1::HealthCheckResponse status;
  grpc::ClientContext health_ctx;
  ASSERT_TRUE(health->Check(&health_ctx, {}, &status).ok());
  EXPECT_EQ(status.status(), grpc::health::v1::HealthCheckResponse::SERVING);

  ASSERT_EQ(RunToEnd({IMPORT_BIN, "--file", DEMO_FILE, "--target", target, "--only-if-empty"}), 0);
  auto beds = relais::v1::Beds::NewStub(channel);

  relais::v1::SearchSheltersResponse directory;
  ASSERT_TRUE(beds->SearchShelters(As(Role::kNone).get(), {}, &directory).ok());
  EXPECT_GE(directory.shelters_size(), 25);
  int hidden = 0;
  for (const auto& s : directory.shelters()) hidden += s.address_hidden() ? 1 : 0;
  EXPECT_GE(hidden, 1) << "the public directory hides secret addresses";

  relais::v1::GetRegionSummaryResponse summary;
  ASSERT_TRUE(beds->GetRegionSummary(As(Role::kOperator).get(), {}, &summary).ok());
  int places = 0, free = 0;
  for (const auto& p : summary.publics()) {
    places += p.places_in_service();
    free += p.free();
    EXPECT_GT(p.pools(), 0) << p.public_();
  }
  EXPECT_GE(places, 2800);
  EXPECT_LE(places, 3200);
  EXPECT_GT(free, 0);

  // The web gateway of the same process: an account made with relais-admin signs in and reads the bed board.
  HttpClient web(http_port);
  EXPECT_EQ(web.Get("/readyz").status, 200);
  EXPECT_EQ(web.Get("/api/v1/availability").status, 401);
  ASSERT_EQ(RunToEnd({ADMIN_BIN, "--redis-port", std::to_string(redis.port()), "user", "add", "e2e-operator", "--role",
                      "operator", "--generate-password"}),
            0);
  // The generated password went to the admin's terminal; set a known one for the test.
  std::string set_password = std::string("echo 'an e2e test password' | ") + ADMIN_BIN + " --redis-port " +
                             std::to_string(redis.port()) + " user set e2e-operator --role operator --password-stdin";
  ASSERT_EQ(std::system(set_password.c_str()), 0);
  ASSERT_EQ(web.Login("e2e-operator", "an e2e test password").status, 200);
  auto board = web.Get("/api/v1/availability?filter.only_with_free=true");
  EXPECT_EQ(board.status, 200);
  EXPECT_NE(board.body.find("\"pools\""), std::string::npos);

  // A second import with --only-if-empty leaves the live figures alone.
  ASSERT_EQ(RunToEnd({IMPORT_BIN, "--file", DEMO_FILE, "--target", target, "--only-if-empty"}), 0);

  kill(relais, SIGTERM);
  int exit_status = -1;
  for (int i = 0; i < 100; ++i) {
    if (waitpid(relais, &exit_status, WNOHANG) == relais) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(WIFEXITED(exit_status)) << "relais did not stop within 10 s of SIGTERM";
  guard.pid = -1;
  EXPECT_EQ(WEXITSTATUS(exit_status), 0);
}

}  // namespace
}  // namespace relais::testing
