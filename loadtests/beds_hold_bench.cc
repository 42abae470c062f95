// Benchmark: taking and giving back a place (TakeHold + CancelHold) through the real beds service,
// against bare gRPC servers that do nothing but one Redis script call per RPC, measured in the same run
// on the same private redis-server. The bare servers (loadtests/bare_grpc.h) are built three ways, to
// choose the server model: sync, callback inline, callback + WorkPool (Relais' model).
// Closed loop: N client threads each issue the next operation when the previous answered. One operation
// is two RPCs everywhere (take + cancel for Relais, two Health.Check calls for the bare servers).
//
// Usage: beds_hold_bench [--seconds S] [--inflight 1,16,64] [--relais-only]
// Prints a Markdown table (ops/s, p50, p99 per operation, ratio of Relais to the pool baseline).
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <sstream>
#include <thread>

#include "common/redis.h"
#include "loadtests/bare_grpc.h"
#include "loadtests/driver.h"
#include "tests/support/harness.h"

namespace relais::bench {
namespace {

using grpc::health::v1::Health;
using grpc::health::v1::HealthCheckResponse;

// What Redis itself spent per command (INFO commandstats), to tell script cost from round trips.
void PrintRedisCommandCost(RedisPool& redis) {
  auto stats = redis.Command({"INFO", "commandstats"});
  if (!stats.ok()) return;
  std::stringstream lines{std::string(ReplyStr(stats->get()))};
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("cmdstat_", 0) == 0) std::cerr << "  " << line << "\n";
  }
}

std::vector<int> ParseList(const std::string& text) {
  std::vector<int> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) out.push_back(std::stoi(item));
  return out;
}

std::shared_ptr<grpc::Channel> Channel(int port, int index) {
  grpc::ChannelArguments args;
  args.SetInt("relais.bench.channel", index);  // one connection per client thread group, as real clients
  return grpc::CreateCustomChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials(), args);
}

int Run(double seconds, const std::vector<int>& inflights, bool relais_only) {
  testing::RedisServer redis;
  RedisPool bare_redis(redis.options(16));
  SyncHealth sync_service(bare_redis);
  InlineHealth inline_service(bare_redis);
  PoolHealth pool_service(bare_redis);
  BareGrpcServer sync_server(&sync_service), inline_server(&inline_service), pool_server(&pool_service);

  testing::Harness relais(redis);
  {
    auto ctx = testing::Harness::As(testing::Admin());
    relais::v1::CreateShelterRequest req;
    *req.mutable_shelter() = testing::MakeShelter("bench-shelter");
    req.set_idempotency_key("bench-shelter");
    relais::v1::CreateShelterResponse resp;
    if (auto s = relais.stub().CreateShelter(ctx.get(), req, &resp); !s.ok()) {
      std::cerr << "cannot create the shelter: " << s.error_message() << "\n";
      return 1;
    }
    auto pool_ctx = testing::Harness::As(testing::Admin());
    relais::v1::DeclarePoolRequest pool;
    pool.set_shelter_id("bench-shelter");
    pool.set_public_("single_men");
    pool.mutable_figures()->set_places_in_service(10000);
    pool.set_idempotency_key("bench-pool");
    relais::v1::DeclarePoolResponse declared;
    auto s = relais.stub().DeclarePool(pool_ctx.get(), pool, &declared);
    if (!s.ok()) {
      std::cerr << "cannot declare the pool: " << s.error_message() << "\n";
      return 1;
    }
  }

  std::vector<Result> results;
  for (int inflight : inflights) {
    int channels = std::max(1, std::min(inflight, 8));
    auto bare = [&](const std::string& name, int port) {
      std::vector<std::unique_ptr<Health::Stub>> stubs;
      for (int c = 0; c < channels; ++c) stubs.push_back(Health::NewStub(Channel(port, c)));
      return Drive(name, inflight, seconds, [&](int t, long) {
        bool ok = true;
        for (int call = 0; call < 2; ++call) {
          grpc::ClientContext ctx;
          ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
          HealthCheckResponse resp;
          ok = stubs[t % channels]->Check(&ctx, {}, &resp).ok() && ok;
        }
        return ok;
      });
    };
    if (!relais_only) {
      results.push_back(bare("bare gRPC sync + 1 EVALSHA per RPC", sync_server.port));
      results.push_back(bare("bare gRPC callback inline + 1 EVALSHA per RPC", inline_server.port));
      results.push_back(bare("bare gRPC callback + WorkPool + 1 EVALSHA per RPC", pool_server.port));
    }

    std::vector<std::unique_ptr<relais::v1::Beds::Stub>> stubs;
    for (int c = 0; c < channels; ++c) stubs.push_back(relais::v1::Beds::NewStub(Channel(relais.port(), c)));
    (void)bare_redis.Command({"CONFIG", "RESETSTAT"});
    results.push_back(Drive("Relais TakeHold + CancelHold", inflight, seconds, [&](int t, long seq) {
      std::string key = "b-" + std::to_string(inflight) + "-" + std::to_string(t) + "-" + std::to_string(seq);
      relais::v1::TakeHoldRequest take;
      take.set_pool_id("bench-shelter:single_men");
      take.set_request_id("req-" + key);
      take.set_idempotency_key("take-" + key);
      relais::v1::TakeHoldResponse held;
      auto ctx = testing::Harness::As(testing::Operator());
      if (!stubs[t % channels]->TakeHold(ctx.get(), take, &held).ok()) return false;
      relais::v1::CancelHoldRequest cancel;
      cancel.set_hold_id(held.hold().id());
      cancel.set_idempotency_key("cancel-" + key);
      relais::v1::CancelHoldResponse cancelled;
      auto cctx = testing::Harness::As(testing::Operator());
      return stubs[t % channels]->CancelHold(cctx.get(), cancel, &cancelled).ok();
    }));
    std::cerr << "done: " << inflight << " in flight; Redis time per command during the Relais run:\n";
    PrintRedisCommandCost(bare_redis);
  }

  std::printf("| server | in flight | ops/s | p50 ms | p99 ms | errors | ops/s vs pool baseline |\n");
  std::printf("|---|---:|---:|---:|---:|---:|---:|\n");
  for (const auto& r : results) {
    double baseline = 0;
    for (const auto& b : results) {
      if (b.inflight == r.inflight && b.name.find("WorkPool") != std::string::npos) baseline = b.ops_per_second;
    }
    std::printf("| %s | %d | %.0f | %.2f | %.2f | %ld | %.2f |\n", r.name.c_str(), r.inflight, r.ops_per_second,
                r.p50_ms, r.p99_ms, r.errors, baseline > 0 ? r.ops_per_second / baseline : 0.0);
  }
  return 0;
}

}  // namespace
}  // namespace relais::bench

int main(int argc, char** argv) {
  double seconds = 5;
  std::string inflight = "1,16,64";
  bool relais_only = false;  // for profiling the service alone
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    bool has_value = i + 1 < argc;
    if (flag == "--relais-only") relais_only = true;
    else if (flag == "--seconds" && has_value) seconds = std::stod(argv[++i]);
    else if (flag == "--inflight" && has_value) inflight = argv[++i];
    else {
      std::cerr << "usage: beds_hold_bench [--seconds S] [--inflight 1,16,64] [--relais-only]\n";
      return 2;
    }
  }
  relais::log::SetLevel(relais::log::Level::kWarn);
  return relais::bench::Run(seconds, relais::bench::ParseList(inflight), relais_only);
}
