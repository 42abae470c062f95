#include "common/metrics.h"

#include <chrono>

namespace relais {
namespace {

const char* CodeName(int code) {
  static const char* const kNames[] = {"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED",
                                       "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
                                       "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL",
                                       "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"};
  return code >= 0 && code <= 16 ? kNames[code] : "UNKNOWN";
}

class GrpcMetricsInterceptor : public grpc::experimental::Interceptor {
 public:
  GrpcMetricsInterceptor(GrpcMetricsFactory& factory, std::string method)
      : factory_(factory), method_(std::move(method)), start_(std::chrono::steady_clock::now()) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(grpc::experimental::InterceptionHookPoints::PRE_SEND_STATUS)) {
      auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
      factory_.Record(method_, methods->GetSendStatus().error_code(), elapsed);
    }
    methods->Proceed();
  }

 private:
  GrpcMetricsFactory& factory_;
  std::string method_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace

MetricsEndpoint::MetricsEndpoint(const std::string& listen, std::shared_ptr<prometheus::Registry> registry)
    : exposer_(listen) {
  exposer_.RegisterCollectable(registry);
  exposer_.RegisterCollectable(heap_);
}

int MetricsEndpoint::port() const {
  auto ports = exposer_.GetListeningPorts();
  return ports.empty() ? 0 : ports.front();
}

GrpcMetricsFactory::GrpcMetricsFactory(prometheus::Registry& registry)
    : handled_(prometheus::BuildCounter()
                   .Name("relais_grpc_server_handled_total")
                   .Help("gRPC calls completed, by method and status code")
                   .Register(registry)),
      latency_(prometheus::BuildHistogram()
                   .Name("relais_grpc_server_handling_seconds")
                   .Help("gRPC call duration, by method")
                   .Register(registry)) {}

grpc::experimental::Interceptor* GrpcMetricsFactory::CreateServerInterceptor(grpc::experimental::ServerRpcInfo* info) {
  return new GrpcMetricsInterceptor(*this, info->method());
}

void GrpcMetricsFactory::Record(const std::string& method, int code, double seconds) {
  handled_.Add({{"method", method}, {"code", CodeName(code)}}).Increment();
  static const prometheus::Histogram::BucketBoundaries kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                                    0.025,  0.05,  0.1,    0.25,  1.0};
  latency_.Add({{"method", method}}, kBuckets).Observe(seconds);
}

}  // namespace relais
