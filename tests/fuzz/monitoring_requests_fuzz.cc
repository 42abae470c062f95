// The monitoring service's requests: rights, the month asked for and the export format, as
// services/monitoring/service.cc checks them before Redis (frame: service_fuzz.h); a valid month is
// exported in every format (the report's own labels and the month go into CSV and HTML).
#include "relais/v1/monitoring.grpc.pb.h"
#include "services/monitoring/export.h"
#include "services/monitoring/rules.h"
#include "tests/fuzz/service_fuzz.h"

namespace relais::fuzz {
namespace {

using namespace relais::v1;
using namespace relais::monitoring;

constexpr int64_t kNow = 1764000000000;  // 2025-11-24

absl::Status Month(const std::string& month) {
  auto m = ValidateMonth(month, kNow);
  if (!m.ok()) return m.status();
  if (m->month < 1 || m->month > 12) abort();
  MonthlyReport report;
  report.set_month(month);
  for (ReportFormat f : {REPORT_FORMAT_JSON, REPORT_FORMAT_CSV, REPORT_FORMAT_HTML}) {
    auto file = ExportReport(report, f);
    if (!file.ok() || file->content.empty()) abort();
  }
  return absl::OkStatus();
}

ServiceChecks Checks() {
  ServiceChecks c(ServiceOf<GetMonthlyReportRequest>("Monitoring"));
  c.On<GetMonthlyReportRequest>([](const GetMonthlyReportRequest& r, const Caller& caller) -> absl::Status {
    RETURN_IF_ERROR(MayReadReports(caller));
    return Month(r.month());
  });
  c.On<ExportMonthlyReportRequest>([](const ExportMonthlyReportRequest& r, const Caller& caller) -> absl::Status {
    RETURN_IF_ERROR(MayReadReports(caller));
    if (r.format() == REPORT_FORMAT_UNSPECIFIED || !ReportFormat_IsValid(r.format())) {
      return absl::InvalidArgumentError("format: json, csv or html");
    }
    return Month(r.month());
  });
  c.On<GetAggregationStatusRequest>([](const GetAggregationStatusRequest&, const Caller& caller) {
    return MayReadReports(caller);
  });
  c.RequireAll();
  return c;
}

}  // namespace
}  // namespace relais::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const relais::fuzz::ServiceChecks checks = relais::fuzz::Checks();
  return checks.Run(data, size);
}
