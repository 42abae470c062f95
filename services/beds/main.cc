// relais-beds: the beds service as its own process.
#include "common/process.h"
#include "common/signals.h"
#include "services/beds/runtime.h"

int main(int argc, char** argv) {
  using namespace relais;
  BlockTerminationSignals();
  ProcessConfig process_config;
  process_config.server.listen = "127.0.0.1:50061";
  process_config.metrics_listen = "127.0.0.1:9461";
  beds::BedsConfig beds_config;
  po::options_description options;
  AddProcessOptions(options, process_config);
  beds::AddBedsOptions(options, beds_config);
  po::variables_map vm;
  if (auto exit_code = ParseConfig(argc, argv, options, "relais-beds: real-time emergency places", vm)) return *exit_code;
  beds_config.store.region = process_config.region;
  beds_config.service.workers = process_config.redis.pool_size;

  Process process(process_config);
  beds::BedsRuntime beds(beds_config, process.redis(), process.clock());
  process.server().AddService(beds.service());
  return process.Serve("relais-beds", [&] { beds.Start(); }, [&] { beds.Stop(); });
}
