#pragma once
// The monitoring gRPC service: checks the caller (monitoring or admin), validates the month, builds the
// report from the aggregates in Redis on the WorkPool (common/work_pool.h) and maps statuses.
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <string>

#include "common/clock.h"
#include "common/redis.h"
#include "common/work_pool.h"
#include "relais/v1/monitoring.grpc.pb.h"
#include "services/monitoring/indicator.h"

namespace relais::monitoring {

struct ServiceOptions {
  std::string region = "brussels";
  int workers = 4;         // threads building reports; each report is a few Redis round trips
  int max_pending = 256;   // calls queued beyond this are shed with UNAVAILABLE
};

class MonitoringService final : public relais::v1::Monitoring::CallbackService {
 public:
  MonitoringService(RedisPool& redis, const Clock& clock, ServiceOptions options, prometheus::Registry& registry);
  ~MonitoringService() override;

  using Ctx = grpc::CallbackServerContext;
  using Reactor = grpc::ServerUnaryReactor;
  Reactor* GetMonthlyReport(Ctx*, const v1::GetMonthlyReportRequest*, v1::GetMonthlyReportResponse*) override;
  Reactor* ExportMonthlyReport(Ctx*, const v1::ExportMonthlyReportRequest*, v1::ExportMonthlyReportResponse*) override;
  Reactor* GetAggregationStatus(Ctx*, const v1::GetAggregationStatusRequest*, v1::GetAggregationStatusResponse*) override;

 private:
  absl::StatusOr<v1::MonthlyReport> Report(const std::string& month);

  RedisPool& redis_;
  const Clock& clock_;
  ServiceOptions options_;
  IndicatorFollower follower_;  // the region's stream, followed for the 7-day indicator of a month in progress
  prometheus::Gauge& requests_held_;  // what follower_ holds, the one part of this process that grows with history
  WorkPool work_;               // last: its threads stop before the members they use go
};

}  // namespace relais::monitoring
