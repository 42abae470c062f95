#include "tests/support/harness.h"

namespace relais::testing {

Harness::Harness(RedisServer& redis, beds::BedsConfig config, dispatch::DispatchConfig dispatch_config,
                 workshop::WorkshopConfig workshop_config)
    : Harness(redis.options(16), std::move(config), std::move(dispatch_config), std::move(workshop_config)) {}

Harness::Harness(RedisOptions redis, beds::BedsConfig config, dispatch::DispatchConfig dispatch_config,
                 workshop::WorkshopConfig workshop_config)
    : pool_(std::move(redis)) {
  config.service.workers = 16;
  config.sweep_interval_ms = 50;
  runtime_ = std::make_unique<beds::BedsRuntime>(config, pool_, clock_);
  dispatch_config.service.workers = 16;
  dispatch_ = std::make_unique<dispatch::DispatchRuntime>(dispatch_config, pool_, clock_);
  workshop_config.service.workers = 16;
  workshop_config.sweep_interval_ms = 3600 * 1000;  // tests sweep by hand (sweeper().RunOnce())
  workshop_ = std::make_unique<workshop::WorkshopRuntime>(workshop_config, pool_, clock_, registry_);
  monitoring_ = std::make_unique<monitoring::MonitoringService>(pool_, clock_, monitoring::ServiceOptions{}, registry_);
  GrpcServerOptions options;
  options.listen = "127.0.0.1:0";
  options.probe_interval = std::chrono::milliseconds(100);
  server_ = std::make_unique<GrpcServer>(options, registry_);
  server_->AddService(runtime_->service());
  server_->AddService(dispatch_->service());
  server_->AddService(workshop_->service());
  server_->AddService(monitoring_.get());
  server_->SetReadinessProbe([this] { return pool_.Command({"PING"}).ok(); });
  if (auto s = server_->Start(); !s.ok()) throw std::runtime_error("cannot start the beds server");
  runtime_->Start();
  std::string itself = "127.0.0.1:" + std::to_string(server_->port());
  dispatch_->ConnectBeds(itself);
  workshop_->Connect(itself, itself);
  workshop_->Start();
  auto channel = grpc::CreateChannel(itself, grpc::InsecureChannelCredentials());
  stub_ = relais::v1::Beds::NewStub(channel);
  dispatch_stub_ = relais::v1::Dispatch::NewStub(channel);
  workshop_stub_ = relais::v1::Workshop::NewStub(channel);
  monitoring_stub_ = relais::v1::Monitoring::NewStub(channel);
}

Harness::~Harness() {
  workshop_->Stop();
  runtime_->Stop();
  server_->Shutdown(std::chrono::seconds(2));
}

std::unique_ptr<grpc::ClientContext> Harness::As(const Caller& caller, std::chrono::milliseconds deadline) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(std::chrono::system_clock::now() + deadline);
  AddCallerMetadata(*ctx, caller);
  return ctx;
}

Caller Admin() { return Caller{Role::kAdmin, "admin-1", {}, ""}; }
Caller Operator(const std::string& subject) { return Caller{Role::kOperator, subject, {}, ""}; }
Caller Medical() { return Caller{Role::kMedical, "doc-1", {}, ""}; }
Caller Team(const std::string& team) { return Caller{Role::kTeam, "team-member-1", {}, team}; }
Caller ShelterAccount(const std::string& shelter_id) { return Caller{Role::kShelter, "shelter-desk", {shelter_id}, ""}; }
Caller Monitoring() { return Caller{Role::kMonitoring, "monitor-1", {}, ""}; }
Caller Anonymous() { return Caller{}; }
Caller WorkshopAccount(const std::string& subject) { return Caller{Role::kWorkshop, subject, {}, ""}; }

relais::v1::Shelter MakeShelter(const std::string& id, const std::string& commune) {
  relais::v1::Shelter s;
  s.set_id(id);
  s.set_name("Shelter " + id);
  s.set_organisation("Test organisation");
  s.set_kind(relais::v1::SERVICE_KIND_EMERGENCY_SHELTER);
  s.set_commune(commune);
  s.mutable_address()->set_street("Rue de Test 1");
  s.mutable_address()->set_postcode("1050");
  s.mutable_address()->set_city("Ixelles");
  s.mutable_location()->set_latitude(50.83);
  s.mutable_location()->set_longitude(4.37);
  s.add_languages("fr");
  s.add_languages("nl");
  for (const char* p : {"single_men", "single_women", "families", "medical", "pets"}) s.add_publics(p);
  return s;
}

}  // namespace relais::testing
