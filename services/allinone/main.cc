// relais: every Relais service in one process (today: beds, dispatch and workshop), for a small
// deployment and the demo. The same libraries run as separate processes (relais-beds, relais-dispatch,
// relais-workshop) when a deployment scales them apart.
#include "common/process.h"
#include "common/signals.h"
#include "services/beds/runtime.h"
#include "services/dispatch/runtime.h"
#include "services/workshop/runtime.h"

int main(int argc, char** argv) {
  using namespace relais;
  BlockTerminationSignals();
  ProcessConfig process_config;
  beds::BedsConfig beds_config;
  dispatch::DispatchConfig dispatch_config;
  workshop::WorkshopConfig workshop_config;
  po::options_description options;
  AddProcessOptions(options, process_config);
  beds::AddBedsOptions(options, beds_config);
  dispatch::AddDispatchOptions(options, dispatch_config);
  workshop::AddWorkshopOptions(options, workshop_config);
  po::variables_map vm;
  if (auto exit_code = ParseConfig(argc, argv, options, "relais: every Relais service in one process", vm)) {
    return *exit_code;
  }
  beds_config.store.region = dispatch_config.store.region = workshop_config.store.region = process_config.region;
  // The services share the process' Redis pool: each gets as many workers as there are connections.
  beds_config.service.workers = dispatch_config.service.workers = workshop_config.service.workers =
      process_config.redis.pool_size;

  Process process(process_config);
  beds::BedsRuntime beds(beds_config, process.redis(), process.clock());
  dispatch::DispatchRuntime dispatch(dispatch_config, process.redis(), process.clock());
  workshop::WorkshopRuntime workshop(workshop_config, process.redis(), process.clock(), process.registry());
  process.server().AddService(beds.service());
  process.server().AddService(dispatch.service());
  process.server().AddService(workshop.service());
  return process.Serve(
      "Relais",
      [&] {
        beds.Start();
        std::string itself = "127.0.0.1:" + std::to_string(process.server().port());
        dispatch.ConnectBeds(itself);
        workshop.Connect(itself, itself);
        workshop.Start();
      },
      [&] {
        workshop.Stop();
        beds.Stop();
      });
}
