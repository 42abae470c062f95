#pragma once
// Bootstrap of a gRPC server: health checking and reflection on, per-method metrics, a readiness
// probe that turns health NOT_SERVING while a dependency (Redis) is unreachable, and a graceful
// shutdown with a deadline.
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "common/config.h"
#include "common/metrics.h"

namespace relais {

struct GrpcServerOptions {
  std::string listen = "127.0.0.1:50051";   // port 0 picks a free port
  int max_message_bytes = 1 << 20;           // requests larger than this are refused
  std::chrono::milliseconds probe_interval{1000};
};

// --listen, --max-message-bytes
void AddGrpcServerOptions(po::options_description& options, GrpcServerOptions& server);

class GrpcServer {
 public:
  GrpcServer(GrpcServerOptions options, prometheus::Registry& registry);
  ~GrpcServer();

  void AddService(grpc::Service* service) { services_.push_back(service); }
  // Checked every probe_interval once started; false turns health NOT_SERVING.
  void SetReadinessProbe(std::function<bool()> probe) { probe_ = std::move(probe); }

  absl::Status Start();
  int port() const { return port_; }
  void Shutdown(std::chrono::milliseconds grace);

 private:
  void SetServing(bool serving);
  void ProbeLoop();

  GrpcServerOptions options_;
  GrpcMetricsFactory* metrics_;  // owned by the server's interceptor list once built
  std::unique_ptr<GrpcMetricsFactory> metrics_owned_;
  std::vector<grpc::Service*> services_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  std::function<bool()> probe_;
  std::thread probe_thread_;
  std::mutex mu_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
};

}  // namespace relais
