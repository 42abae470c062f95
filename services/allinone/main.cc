// relais: every Relais service in one process (today: beds), for a small deployment and the demo.
// The same libraries run as separate processes (relais-beds, ...) when a deployment scales them apart.
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
  beds::BedsConfig beds_config;
  std::string metrics_listen = "127.0.0.1:9464", log_level = "info";
  po::options_description options;
  AddRedisOptions(options, redis_options);
  AddGrpcServerOptions(options, server_options);
  beds::AddBedsOptions(options, beds_config);
  options.add_options()
      ("metrics-listen", po::value(&metrics_listen)->default_value(metrics_listen), "Prometheus /metrics address")
      ("log-level", po::value(&log_level)->default_value(log_level), "debug, info, warn or error");
  po::variables_map vm;
  if (auto exit_code = ParseConfig(argc, argv, options, "relais: every Relais service in one process", vm)) {
    return *exit_code;
  }
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
    std::cerr << "relais: " << s.message() << "\n";
    return 1;
  }
  beds.Start();
  log::Info("relais_listening", {{"grpc_port", server.port()}, {"metrics_port", metrics.port()}});
  std::cout << "Relais is listening: gRPC on port " << server.port() << ", metrics on http://127.0.0.1:" << metrics.port()
            << "/metrics" << std::endl;

  WaitForTerminationSignal();
  log::Info("shutting_down");
  beds.Stop();
  server.Shutdown(std::chrono::seconds(5));
  return 0;
}
