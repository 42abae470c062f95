// relais: every Relais service in one process (today: beds), for a small deployment and the demo.
// The same libraries run as separate processes (relais-beds, ...) when a deployment scales them apart.
#include "common/process.h"
#include "common/signals.h"
#include "services/beds/runtime.h"

int main(int argc, char** argv) {
  using namespace relais;
  BlockTerminationSignals();
  ProcessConfig process_config;
  beds::BedsConfig beds_config;
  po::options_description options;
  AddProcessOptions(options, process_config);
  beds::AddBedsOptions(options, beds_config);
  po::variables_map vm;
  if (auto exit_code = ParseConfig(argc, argv, options, "relais: every Relais service in one process", vm)) {
    return *exit_code;
  }
  beds_config.service.workers = process_config.redis.pool_size;

  Process process(process_config);
  beds::BedsRuntime beds(beds_config, process.redis(), process.clock());
  process.server().AddService(beds.service());
  return process.Serve("Relais", [&] { beds.Start(); }, [&] { beds.Stop(); });
}
