// relais: every Relais service in one process (today: beds, dispatch and monitoring), for a small
// deployment and the demo. The same libraries run as separate processes (relais-beds, relais-dispatch,
// relais-monitoring) when a deployment scales them apart.
#include "common/process.h"
#include "common/signals.h"
#include "services/beds/runtime.h"
#include "services/dispatch/runtime.h"
#include "services/monitoring/runtime.h"

int main(int argc, char** argv) {
  using namespace relais;
  BlockTerminationSignals();
  ProcessConfig process_config;
  beds::BedsConfig beds_config;
  dispatch::DispatchConfig dispatch_config;
  monitoring::MonitoringConfig monitoring_config;
  po::options_description options;
  AddProcessOptions(options, process_config);
  beds::AddBedsOptions(options, beds_config);
  dispatch::AddDispatchOptions(options, dispatch_config);
  monitoring::AddMonitoringOptions(options, monitoring_config);
  po::variables_map vm;
  if (auto exit_code = ParseConfig(argc, argv, options, "relais: every Relais service in one process", vm)) {
    return *exit_code;
  }
  beds_config.store.region = dispatch_config.store.region = process_config.region;
  // The services share the process' Redis pool: each gets as many workers as there are connections.
  beds_config.service.workers = dispatch_config.service.workers = process_config.redis.pool_size;
  monitoring::SetRegion(monitoring_config, process_config.region);
  monitoring_config.live.beds.stale_after = beds_config.store.stale_after;

  Process process(process_config);
  beds::BedsRuntime beds(beds_config, process.redis(), process.clock());
  dispatch::DispatchRuntime dispatch(dispatch_config, process.redis(), process.clock());
  monitoring::MonitoringRuntime monitoring(monitoring_config, process.redis(), process.clock(), process.registry());
  process.server().AddService(beds.service());
  process.server().AddService(dispatch.service());
  process.server().AddService(monitoring.service());
  return process.Serve(
      "Relais",
      [&] {
        beds.Start();
        dispatch.ConnectBeds("127.0.0.1:" + std::to_string(process.server().port()));  // itself
        monitoring.Start();
      },
      [&] {
        monitoring.Stop();
        beds.Stop();
      });
}
