#include "common/grpc_server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>

#include "common/log.h"

namespace relais {

void AddGrpcServerOptions(po::options_description& options, GrpcServerOptions& server) {
  options.add_options()
      ("listen", po::value(&server.listen)->default_value(server.listen), "gRPC listen address (host:port)")
      ("max-message-bytes", po::value(&server.max_message_bytes)->default_value(server.max_message_bytes),
       "largest gRPC request accepted, in bytes");
}

GrpcServer::GrpcServer(GrpcServerOptions options, prometheus::Registry& registry)
    : options_(std::move(options)), metrics_owned_(std::make_unique<GrpcMetricsFactory>(registry)) {
  metrics_ = metrics_owned_.get();
}

GrpcServer::~GrpcServer() { Shutdown(std::chrono::milliseconds(0)); }

absl::Status GrpcServer::Start() {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options_.listen, grpc::InsecureServerCredentials(), &port_);
  builder.SetMaxReceiveMessageSize(options_.max_message_bytes);
  for (auto* s : services_) builder.RegisterService(s);

  // The builder takes ownership of interceptor factories; ours is handed over here.
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> creators;
  creators.push_back(std::move(metrics_owned_));
  builder.experimental().SetInterceptorCreators(std::move(creators));

  server_ = builder.BuildAndStart();
  if (!server_ || port_ == 0) return absl::UnavailableError("cannot listen on " + options_.listen);
  SetServing(!probe_ || probe_());
  if (probe_) probe_thread_ = std::thread([this] { ProbeLoop(); });
  return absl::OkStatus();
}

void GrpcServer::SetServing(bool serving) {
  if (!server_) return;
  server_->GetHealthCheckService()->SetServingStatus(serving);
}

void GrpcServer::ProbeLoop() {
  bool last = true;
  std::unique_lock lock(mu_);
  while (!stop_cv_.wait_for(lock, options_.probe_interval, [this] { return stopping_; })) {
    lock.unlock();
    bool ok = probe_();
    if (ok != last) {
      if (ok) {
        log::Info("dependency_ready");
      } else {
        log::Warn("dependency_unreachable");
      }
      last = ok;
    }
    SetServing(ok);
    lock.lock();
  }
}

void GrpcServer::Shutdown(std::chrono::milliseconds grace) {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  stop_cv_.notify_all();
  if (probe_thread_.joinable()) probe_thread_.join();
  if (server_) {
    // Health first, so load balancers stop sending; then let calls in flight finish within the grace.
    server_->GetHealthCheckService()->Shutdown();
    server_->Shutdown(std::chrono::system_clock::now() + grace);
    server_->Wait();
  }
}

}  // namespace relais
