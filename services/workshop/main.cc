// relais-workshop: the préconisation workshop service as its own process.
#include "common/process.h"
#include "common/signals.h"
#include "services/workshop/runtime.h"

int main(int argc, char** argv) {
  using namespace relais;
  BlockTerminationSignals();
  ProcessConfig process_config;
  process_config.server.listen = "127.0.0.1:50063";
  process_config.metrics_listen = "127.0.0.1:9463";
  workshop::WorkshopConfig workshop_config;
  po::options_description options;
  AddProcessOptions(options, process_config);
  workshop::AddWorkshopOptions(options, workshop_config);
  workshop::AddWorkshopTargetOptions(options, workshop_config);
  po::variables_map vm;
  if (auto exit_code = ParseConfig(argc, argv, options, "relais-workshop: referrals, sessions, plans, priority places", vm)) {
    return *exit_code;
  }
  workshop_config.store.region = process_config.region;
  workshop_config.service.workers = process_config.redis.pool_size;

  Process process(process_config);
  workshop::WorkshopRuntime workshop(workshop_config, process.redis(), process.clock(), process.registry());
  process.server().AddService(workshop.service());
  workshop.Connect(workshop_config.beds_target, workshop_config.dispatch_target);
  return process.Serve("relais-workshop", [&] { workshop.Start(); }, [&] { workshop.Stop(); });
}
