// relais: every Relais service (beds, dispatch, workshop, monitoring) and the HTTP gateway in one
// process, for a small deployment and the demo. The same libraries run as separate processes
// (relais-beds, relais-dispatch, relais-workshop, relais-monitoring, relais-gateway) when a
// deployment scales them apart.
#include <iostream>

#include "common/process.h"
#include "common/signals.h"
#include "services/beds/runtime.h"
#include "services/dispatch/runtime.h"
#include "services/monitoring/runtime.h"
#include "services/gateway/gateway.h"
#include "services/gateway/password.h"
#include "services/workshop/runtime.h"

int main(int argc, char** argv) {
  using namespace relais;
  BlockTerminationSignals();
  ProcessConfig process_config;
  beds::BedsConfig beds_config;
  dispatch::DispatchConfig dispatch_config;
  workshop::WorkshopConfig workshop_config;
  monitoring::MonitoringConfig monitoring_config;
  gateway::GatewayOptions gateway_options;
  po::options_description options;
  AddProcessOptions(options, process_config);
  beds::AddBedsOptions(options, beds_config);
  dispatch::AddDispatchOptions(options, dispatch_config);
  workshop::AddWorkshopOptions(options, workshop_config);
  monitoring::AddMonitoringOptions(options, monitoring_config);
  gateway::AddGatewayOptions(options, gateway_options, /*with_targets=*/false);
  po::variables_map vm;
  if (auto exit_code = ParseConfig(argc, argv, options, "relais: every Relais service in one process", vm)) {
    return *exit_code;
  }
  beds_config.store.region = dispatch_config.store.region = workshop_config.store.region = gateway_options.region =
      process_config.region;
  // The services share the process' Redis pool: each gets as many workers as there are connections.
  beds_config.service.workers = dispatch_config.service.workers = workshop_config.service.workers =
      process_config.redis.pool_size;
  monitoring::SetRegion(monitoring_config, process_config.region);
  monitoring_config.live.beds.stale_after = beds_config.store.stale_after;
  gateway::InitCrypto();

  Process process(process_config);
  beds::BedsRuntime beds(beds_config, process.redis(), process.clock());
  dispatch::DispatchRuntime dispatch(dispatch_config, process.redis(), process.clock());
  workshop::WorkshopRuntime workshop(workshop_config, process.redis(), process.clock(), process.registry());
  monitoring::MonitoringRuntime monitoring(monitoring_config, process.redis(), process.clock(), process.registry());
  gateway::Gateway web(gateway_options, process.redis(), process.clock());
  process.server().AddService(beds.service());
  process.server().AddService(dispatch.service());
  process.server().AddService(workshop.service());
  process.server().AddService(monitoring.service());
  bool web_started = false;
  int code = process.Serve(
      "Relais",
      [&] {
        std::string self = "127.0.0.1:" + std::to_string(process.server().port());
        beds.Start();
        dispatch.ConnectBeds(self);  // itself
        workshop.Connect(self, self);
        workshop.Start();
        monitoring.Start();
        try {
          web.Start(self);  // the gateway calls this process' own services
          web_started = true;
          std::cout << "Relais web and REST API on " << (web.tls() ? "https" : "http") << "://"
                    << gateway_options.listen.substr(0, gateway_options.listen.rfind(':')) << ":" << web.port()
                    << "/" << std::endl;
        } catch (const std::exception& e) {
          std::cerr << "relais: gateway: " << e.what() << std::endl;
        }
      },
      [&] {
        if (web_started) web.Stop();  // stop taking requests before the services stop
        workshop.Stop();
        monitoring.Stop();
        beds.Stop();
      });
  return web_started || code != 0 ? code : 1;
}
