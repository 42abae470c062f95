// relais-monitoring: the monitoring service as its own process (the consumer of the event stream, live
// indicators, monthly reports).
#include "common/process.h"
#include "common/signals.h"
#include "services/monitoring/runtime.h"

int main(int argc, char** argv) {
  using namespace relais;
  BlockTerminationSignals();
  ProcessConfig process_config;
  process_config.server.listen = "127.0.0.1:50064";
  process_config.metrics_listen = "127.0.0.1:9465";
  monitoring::MonitoringConfig config;
  po::options_description options;
  AddProcessOptions(options, process_config);
  monitoring::AddMonitoringOptions(options, config);
  options.add_options()("stale-after-minutes",
                        po::value<int>()->default_value(static_cast<int>(config.live.beds.stale_after.count()))
                            ->notifier([&config](int m) { config.live.beds.stale_after = std::chrono::minutes(m); }),
                        "pools not confirmed for this long count as unconfirmed (as the beds service's flag)");
  po::variables_map vm;
  if (auto exit_code = ParseConfig(argc, argv, options, "relais-monitoring: monthly reports and live indicators", vm)) {
    return *exit_code;
  }
  monitoring::SetRegion(config, process_config.region);
  config.service.workers = process_config.redis.pool_size;

  Process process(process_config);
  monitoring::MonitoringRuntime monitoring(config, process.redis(), process.clock(), process.registry());
  process.server().AddService(monitoring.service());
  return process.Serve("relais-monitoring", [&] { monitoring.Start(); }, [&] { monitoring.Stop(); });
}
