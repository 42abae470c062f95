#pragma once
// What every Relais executable shares: its Redis pool, a gRPC server with health, reflection and
// metrics, /metrics, logging, and a graceful stop on SIGINT/SIGTERM. The executables only add their
// services (services/*/main.cc, services/allinone/main.cc).
#include <prometheus/registry.h>

#include <functional>
#include <memory>
#include <string>

#include "common/clock.h"
#include "common/config.h"
#include "common/grpc_server.h"
#include "common/heap_trimmer.h"
#include "common/metrics.h"
#include "common/redis.h"

namespace relais {

struct ProcessConfig {
  RedisOptions redis;
  GrpcServerOptions server;
  std::string metrics_listen = "127.0.0.1:9464";
  std::string log_level = "info";
  std::string region = "brussels";  // the hash tag of every key, shared by every service of the process
  int heap_trim_seconds = 60;         // free heap pages given back to the system this often (0: never)
};

// Redis, gRPC server, --metrics-listen, --log-level, --region and --heap-trim-seconds options.
void AddProcessOptions(po::options_description& options, ProcessConfig& config);

// --heap-trim-seconds alone, for an executable without a Process (relais-gateway).
void AddHeapTrimOption(po::options_description& options, int& seconds);

// The pool's options, with the region's key that finds its primary in a Redis Cluster. Every process
// that keeps a region's state or follows its events builds its RedisPool with it.
RedisOptions ForRegion(RedisOptions options, const std::string& region);

class Process {
 public:
  // Call BlockTerminationSignals() first in main, before this starts any thread.
  explicit Process(const ProcessConfig& config);

  RedisPool& redis() { return redis_; }
  const Clock& clock() const { return clock_; }
  GrpcServer& server() { return *server_; }
  prometheus::Registry& registry() { return *registry_; }  // for a service's own metrics

  // Starts the server (health follows Redis), runs on_started, prints where it listens, waits for
  // SIGINT/SIGTERM, runs before_shutdown, then lets calls in flight finish (5 s at most).
  // Returns the process exit code.
  int Serve(const std::string& name, const std::function<void()>& on_started,
            const std::function<void()>& before_shutdown);

 private:
  SystemClock clock_;
  RedisPool redis_;
  std::shared_ptr<prometheus::Registry> registry_;
  MetricsEndpoint metrics_;
  std::unique_ptr<GrpcServer> server_;
  HeapTrimmer heap_trimmer_;
};

}  // namespace relais
