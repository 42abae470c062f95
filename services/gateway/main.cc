// relais-gateway: the HTTP and WebSocket gateway as its own process, in front of the services named by
// --beds-target, --dispatch-target, --workshop-target and --monitoring-target.
#include <algorithm>
#include <iostream>

#include "common/log.h"
#include "common/process.h"
#include "common/signals.h"
#include "services/gateway/gateway.h"
#include "services/gateway/password.h"

int main(int argc, char** argv) {
  using namespace relais;
  BlockTerminationSignals();
  RedisOptions redis;
  gateway::GatewayOptions options;
  std::string log_level = "info";
  int heap_trim_seconds = 60;
  po::options_description flags;
  AddRedisOptions(flags, redis);
  AddHeapTrimOption(flags, heap_trim_seconds);
  gateway::AddGatewayOptions(flags, options, /*with_targets=*/true);
  flags.add_options()
      ("log-level", po::value(&log_level)->default_value(log_level), "debug, info, warn or error")
      ("region", po::value(&options.region)->default_value(options.region), "region whose events feed live updates");
  po::variables_map vm;
  if (auto exit_code = ParseConfig(argc, argv, flags, "relais-gateway: HTTP and WebSocket gateway of Relais", vm)) {
    return *exit_code;
  }
  log::SetLevel(log::ParseLevel(log_level));
  gateway::InitCrypto();
  // On Redis Cluster the pool finds its region's primary (live updates follow the region's event stream).
  RedisPool pool(ForRegion(redis, options.region));
  SystemClock clock;
  gateway::Gateway gw(options, pool, clock);
  HeapTrimmer heap_trimmer(std::chrono::seconds(std::max(0, heap_trim_seconds)));
  try {
    gw.Start();
  } catch (const std::exception& e) {
    std::cerr << "relais-gateway: " << e.what() << "\n";
    return 1;
  }
  std::cout << "relais-gateway is listening on " << (gw.tls() ? "https" : "http") << "://"
            << options.listen.substr(0, options.listen.rfind(':')) << ":" << gw.port() << "/" << std::endl;
  WaitForTerminationSignal();
  log::Info("shutting_down");
  gw.Stop();
  return 0;
}
