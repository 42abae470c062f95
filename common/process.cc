#include "common/process.h"

#include <algorithm>
#include <iostream>

#include "common/log.h"
#include "common/region_keys.h"
#include "common/signals.h"

namespace relais {

void AddProcessOptions(po::options_description& options, ProcessConfig& config) {
  AddRedisOptions(options, config.redis);
  AddGrpcServerOptions(options, config.server);
  options.add_options()
      ("metrics-listen", po::value(&config.metrics_listen)->default_value(config.metrics_listen),
       "Prometheus /metrics address (port 0: any free port)")
      ("log-level", po::value(&config.log_level)->default_value(config.log_level), "debug, info, warn or error")
      ("region", po::value(&config.region)->default_value(config.region), "region code: the hash tag of every key");
  AddHeapTrimOption(options, config.heap_trim_seconds);
}

void AddHeapTrimOption(po::options_description& options, int& seconds) {
  options.add_options()
      ("heap-trim-seconds", po::value(&seconds)->default_value(seconds),
       "give the heap's free pages back to the system this often, in seconds (0: never)");
}

RedisOptions ForRegion(RedisOptions options, const std::string& region) {
  options.routing_key = RegionKeys(region).Events();
  return options;
}

Process::Process(const ProcessConfig& config)
    : redis_(ForRegion(config.redis, config.region)),
      registry_(std::make_shared<prometheus::Registry>()),
      metrics_(config.metrics_listen, registry_),
      server_(std::make_unique<GrpcServer>(config.server, *registry_)),
      heap_trimmer_(std::chrono::seconds(std::max(0, config.heap_trim_seconds))) {
  log::SetLevel(log::ParseLevel(config.log_level));
  server_->SetReadinessProbe([this] { return redis_.Command({"PING"}).ok(); });
}

int Process::Serve(const std::string& name, const std::function<void()>& on_started,
                   const std::function<void()>& before_shutdown) {
  if (auto s = server_->Start(); !s.ok()) {
    std::cerr << name << ": " << s.message() << "\n";
    return 1;
  }
  on_started();
  log::Info("listening", {{"grpc_port", server_->port()}, {"metrics_port", metrics_.port()}});
  std::cout << name << " is listening: gRPC on port " << server_->port() << ", metrics on http://127.0.0.1:"
            << metrics_.port() << "/metrics" << std::endl;
  WaitForTerminationSignal();
  log::Info("shutting_down");
  before_shutdown();
  server_->Shutdown(std::chrono::seconds(5));
  return 0;
}

}  // namespace relais
