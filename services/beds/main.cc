// relais-beds: the beds service as its own process.
#include <prometheus/registry.h>

#include <iostream>

#include "common/grpc_server.h"
#include "common/log.h"
#include "common/signals.h"
#include "services/beds/runtime.h"

int main(int argc, char** argv) {
  using namespace relais;
  BlockTerminationSignals();

  RedisOptions redis_options;
  GrpcServerOptions server_options;
  server_options.listen = "127.0.0.1:50061";
  beds::BedsConfig beds_config;
  std::string metrics_listen = "127.0.0.1:9461", log_level = "info";
  po::options_description options;
  AddRedisOptions(options, redis_options);
  AddGrpcServerOptions(options, server_options);
  beds::AddBedsOptions(options, beds_config);
  options.add_options()
      ("metrics-listen", po::value(&metrics_listen)->default_value(metrics_listen), "Prometheus /metrics address")
      ("log-level", po::value(&log_level)->default_value(log_level), "debug, info, warn or error");
  po::variables_map vm;
  if (auto exit_code = ParseConfig(argc, argv, options, "relais-beds: real-time emergency places", vm)) return *exit_code;
  log::SetLevel(log::ParseLevel(log_level));
  beds_config.service.workers = redis_options.pool_size;

  SystemClock clock;
  RedisPool redis(redis_options);
  auto registry = std::make_shared<prometheus::Registry>();
  MetricsEndpoint metrics(metrics_listen, registry);
  beds::BedsRuntime beds(beds_config, redis, clock);
  GrpcServer server(server_options, *registry);
  server.AddService(beds.service());
  server.SetReadinessProbe([&redis] { return redis.Command({"PING"}).ok(); });
  if (auto s = server.Start(); !s.ok()) {
    std::cerr << "relais-beds: " << s.message() << "\n";
    return 1;
  }
  beds.Start();
  log::Info("beds_listening", {{"grpc_port", server.port()}, {"metrics_port", metrics.port()}});

  WaitForTerminationSignal();
  log::Info("shutting_down");
  beds.Stop();
  server.Shutdown(std::chrono::seconds(5));
  return 0;
}
