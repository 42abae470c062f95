#pragma once
// Prometheus metrics: one registry per process, exposed at /metrics; gRPC calls counted and timed
// per method and status code by a server interceptor (low-cardinality labels only).
#include <grpcpp/support/server_interceptor.h>
#include <prometheus/counter.h>
#include <prometheus/exposer.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <memory>
#include <string>

#include "common/heap_metrics.h"

namespace relais {

class MetricsEndpoint {
 public:
  // listen "127.0.0.1:0" picks a free port (tests). The process' heap figures are served beside the registry.
  MetricsEndpoint(const std::string& listen, std::shared_ptr<prometheus::Registry> registry);
  int port() const;

 private:
  prometheus::Exposer exposer_;
  std::shared_ptr<HeapMetrics> heap_ = std::make_shared<HeapMetrics>();
};

class GrpcMetricsFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit GrpcMetricsFactory(prometheus::Registry& registry);
  grpc::experimental::Interceptor* CreateServerInterceptor(grpc::experimental::ServerRpcInfo* info) override;

  void Record(const std::string& method, int code, double seconds);

 private:
  prometheus::Family<prometheus::Counter>& handled_;
  prometheus::Family<prometheus::Histogram>& latency_;
};

}  // namespace relais
