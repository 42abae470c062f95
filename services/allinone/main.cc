// relais: every Relais service in one process (today: beds and dispatch), for a small deployment and
// the demo. The same libraries run as separate processes (relais-beds, relais-dispatch) when a
// deployment scales them apart.
#include "common/process.h"
#include "common/signals.h"
#include "services/beds/runtime.h"
#include "services/dispatch/runtime.h"

int main(int argc, char** argv) {
  using namespace relais;
  BlockTerminationSignals();
  ProcessConfig process_config;
  beds::BedsConfig beds_config;
  dispatch::DispatchConfig dispatch_config;
  po::options_description options;
  AddProcessOptions(options, process_config);
  beds::AddBedsOptions(options, beds_config);
  dispatch::AddDispatchOptions(options, dispatch_config);
  po::variables_map vm;
  if (auto exit_code = ParseConfig(argc, argv, options, "relais: every Relais service in one process", vm)) {
    return *exit_code;
  }
  beds_config.store.region = dispatch_config.store.region = process_config.region;
  // The services share the process' Redis pool: each gets as many workers as there are connections.
  beds_config.service.workers = dispatch_config.service.workers = process_config.redis.pool_size;

  Process process(process_config);
  beds::BedsRuntime beds(beds_config, process.redis(), process.clock());
  dispatch::DispatchRuntime dispatch(dispatch_config, process.redis(), process.clock());
  process.server().AddService(beds.service());
  process.server().AddService(dispatch.service());
  return process.Serve(
      "Relais",
      [&] {
        beds.Start();
        dispatch.ConnectBeds("127.0.0.1:" + std::to_string(process.server().port()));  // itself
      },
      [&] { beds.Stop(); });
}
