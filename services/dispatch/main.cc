// relais-dispatch: the dispatch service as its own process.
#include "common/process.h"
#include "common/signals.h"
#include "services/dispatch/runtime.h"

int main(int argc, char** argv) {
  using namespace relais;
  BlockTerminationSignals();
  ProcessConfig process_config;
  process_config.server.listen = "127.0.0.1:50062";
  process_config.metrics_listen = "127.0.0.1:9462";
  dispatch::DispatchConfig dispatch_config;
  po::options_description options;
  AddProcessOptions(options, process_config);
  dispatch::AddDispatchOptions(options, dispatch_config);
  po::variables_map vm;
  if (auto exit_code = ParseConfig(argc, argv, options, "relais-dispatch: calls, persons, dispatching", vm)) {
    return *exit_code;
  }
  dispatch_config.store.region = process_config.region;
  dispatch_config.service.workers = process_config.redis.pool_size;

  Process process(process_config);
  dispatch::DispatchRuntime dispatch(dispatch_config, process.redis(), process.clock());
  process.server().AddService(dispatch.service());
  dispatch.ConnectBeds(dispatch_config.beds_target);
  return process.Serve("relais-dispatch", [] {}, [] {});
}
