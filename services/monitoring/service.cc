#include "services/monitoring/service.h"

#include "common/grpc_status.h"
#include "common/identity.h"
#include "common/status_macros.h"
#include "common/timestamps.h"
#include "services/monitoring/export.h"
#include "services/monitoring/generation.h"
#include "services/monitoring/report_reader.h"
#include "services/monitoring/rules.h"

namespace relais::monitoring {

using namespace relais::v1;

MonitoringService::MonitoringService(RedisPool& redis, const Clock& clock, ServiceOptions options,
                                     prometheus::Registry& registry)
    : redis_(redis),
      clock_(clock),
      options_(std::move(options)),
      requests_held_(prometheus::BuildGauge()
                         .Name("relais_monitoring_indicator_requests_held")
                         .Help("Requests (ids and times) the 7-day indicator holds in memory, after its last read "
                               "of the stream: this process's memory grows with them, not with the events")
                         .Register(registry)
                         .Add({})),
      work_(options_.workers, options_.max_pending) {}

MonitoringService::~MonitoringService() { work_.Stop(); }

absl::StatusOr<MonthlyReport> MonitoringService::Report(const std::string& month) {
  int64_t now = clock_.NowMs();
  auto m = ValidateMonth(month, now);
  if (!m.ok()) return m.status();
  auto report = BuildMonthlyReport(redis_, options_.region, *m, now, "", &follower_);
  requests_held_.Set(static_cast<double>(follower_.requests_held()));
  return report;
}

MonitoringService::Reactor* MonitoringService::GetMonthlyReport(Ctx* ctx, const GetMonthlyReportRequest* req,
                                                                GetMonthlyReportResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp]() -> absl::Status {
    RETURN_IF_ERROR(MayReadReports(caller));
    auto report = Report(req->month());
    if (!report.ok()) return report.status();
    *resp->mutable_report() = std::move(*report);
    return absl::OkStatus();
  });
}

MonitoringService::Reactor* MonitoringService::ExportMonthlyReport(Ctx* ctx, const ExportMonthlyReportRequest* req,
                                                                   ExportMonthlyReportResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp]() -> absl::Status {
    RETURN_IF_ERROR(MayReadReports(caller));
    if (req->format() == REPORT_FORMAT_UNSPECIFIED || !ReportFormat_IsValid(req->format())) {
      return absl::InvalidArgumentError("format: json, csv or html");
    }
    auto report = Report(req->month());
    if (!report.ok()) return report.status();
    auto file = ExportReport(*report, req->format());
    if (!file.ok()) return file.status();
    resp->set_content(std::move(file->content));
    resp->set_content_type(file->content_type);
    resp->set_filename(file->filename);
    return absl::OkStatus();
  });
}

MonitoringService::Reactor* MonitoringService::GetAggregationStatus(Ctx* ctx, const GetAggregationStatusRequest*,
                                                                    GetAggregationStatusResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, resp]() -> absl::Status {
    RETURN_IF_ERROR(MayReadReports(caller));
    auto generation = CurrentGeneration(redis_, options_.region);
    if (!generation.ok()) return generation.status();
    auto status = ReadStatus(redis_, Keys(options_.region, *generation), clock_.NowMs());
    if (!status.ok()) return status.status();
    resp->set_generation(status->generation);
    resp->set_events_counted(status->counted);
    if (status->last_at_ms > 0) *resp->mutable_last_event_at() = TimestampFromMs(status->last_at_ms);
    resp->set_lag_events(status->lag_events);
    resp->set_lag_seconds(status->lag_seconds);
    return absl::OkStatus();
  });
}

}  // namespace relais::monitoring
