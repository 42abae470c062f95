#pragma once
// The bare gRPC baselines: servers that do nothing but one Redis script call per RPC (grpc.health.v1
// Health.Check), built three ways to compare server models. Shared by beds_hold_bench (closed loop)
// and cold_night_load (open loop, the floor of a durable write).
//   sync      - grpc::Service, the handler blocks on Redis on one of gRPC's sync threads
//   inline    - callback API, the handler blocks on Redis on gRPC's own completion-queue thread
//   pool      - callback API, the handler hands the Redis call to a bounded WorkPool (Relais' model)
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>

#include "common/grpc_status.h"
#include "common/redis.h"
#include "common/work_pool.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace relais::bench {

// The one Redis round trip of a bare server: as cheap a script as there is, on one key.
inline const LuaScript kBareScript("bare", "return redis.call('INCR', KEYS[1])");

inline absl::Status BareRedisCall(RedisPool& redis) {
  auto reply = redis.Eval(kBareScript, {"bench:counter"}, {});
  return reply.ok() ? absl::OkStatus() : reply.status();
}

class SyncHealth final : public grpc::health::v1::Health::Service {
 public:
  explicit SyncHealth(RedisPool& redis) : redis_(redis) {}
  grpc::Status Check(grpc::ServerContext*, const grpc::health::v1::HealthCheckRequest*,
                     grpc::health::v1::HealthCheckResponse* out) override {
    out->set_status(grpc::health::v1::HealthCheckResponse::SERVING);
    return ToGrpcStatus(BareRedisCall(redis_));
  }

 private:
  RedisPool& redis_;
};

class InlineHealth final : public grpc::health::v1::Health::CallbackService {
 public:
  explicit InlineHealth(RedisPool& redis) : redis_(redis) {}
  grpc::ServerUnaryReactor* Check(grpc::CallbackServerContext* ctx, const grpc::health::v1::HealthCheckRequest*,
                                  grpc::health::v1::HealthCheckResponse* out) override {
    out->set_status(grpc::health::v1::HealthCheckResponse::SERVING);
    auto* reactor = ctx->DefaultReactor();
    reactor->Finish(ToGrpcStatus(BareRedisCall(redis_)));
    return reactor;
  }

 private:
  RedisPool& redis_;
};

class PoolHealth final : public grpc::health::v1::Health::CallbackService {
 public:
  explicit PoolHealth(RedisPool& redis) : redis_(redis), pool_(16, 1024) {}
  grpc::ServerUnaryReactor* Check(grpc::CallbackServerContext* ctx, const grpc::health::v1::HealthCheckRequest*,
                                  grpc::health::v1::HealthCheckResponse* out) override {
    out->set_status(grpc::health::v1::HealthCheckResponse::SERVING);
    return RunUnary(ctx, pool_, [this] { return BareRedisCall(redis_); });
  }

 private:
  RedisPool& redis_;
  WorkPool pool_;
};

// A bare server hosting one Health implementation on a free loopback port.
struct BareGrpcServer {
  explicit BareGrpcServer(grpc::Service* service) {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(service);
    server = builder.BuildAndStart();
  }
  ~BareGrpcServer() { server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1)); }
  int port = 0;
  std::unique_ptr<grpc::Server> server;
};

}  // namespace relais::bench
