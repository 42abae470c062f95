// The monitoring gRPC API: who may read reports (monitoring and admin, nobody else), bad input, the
// exports as files, the aggregation status.
#include <gtest/gtest.h>

#include <set>

#include "tests/support/beds_fixture.h"
#include "tests/support/monitoring_events.h"

namespace relais::testing {
namespace {

using namespace relais::v1;

class MonitoringServiceTest : public BedsTest {
 protected:
  void SetUp() override {
    BedsTest::SetUp();
    h().clock().Set(TimePoint(std::chrono::milliseconds(kMarch2026 + 35 * 24 * 3600 * 1000LL)));  // 2026-04-05
    EventLog log(h().redis(), "relais:{brussels}:events");
    WriteHandBuiltMonth(log);
    CountEverything(h().redis(), "service-test");
  }
  Monitoring::Stub& m() { return h().monitoring(); }
};

TEST_F(MonitoringServiceTest, OnlyMonitoringAndAdminReadReports) {
  GetMonthlyReportRequest req;
  req.set_month("2026-03");
  for (const Caller& caller : {Monitoring(), Admin()}) {
    GetMonthlyReportResponse resp;
    auto s = m().GetMonthlyReport(Harness::As(caller).get(), req, &resp);
    ASSERT_TRUE(s.ok()) << RoleName(caller.role) << ": " << s.error_message();
    EXPECT_EQ(resp.report().current().calls().total().value(), 12);
  }
  for (const Caller& caller : {Operator(), Medical(), Team(), ShelterAccount("ilot"), Caller{Role::kWorkshop, "w", {}, ""},
                               Anonymous()}) {
    GetMonthlyReportResponse report;
    EXPECT_EQ(m().GetMonthlyReport(Harness::As(caller).get(), req, &report).error_code(), grpc::PERMISSION_DENIED)
        << RoleName(caller.role);
    ExportMonthlyReportRequest export_req;
    export_req.set_month("2026-03");
    export_req.set_format(REPORT_FORMAT_CSV);
    ExportMonthlyReportResponse file;
    EXPECT_EQ(m().ExportMonthlyReport(Harness::As(caller).get(), export_req, &file).error_code(), grpc::PERMISSION_DENIED);
    GetAggregationStatusResponse status;
    EXPECT_EQ(m().GetAggregationStatus(Harness::As(caller).get(), {}, &status).error_code(), grpc::PERMISSION_DENIED);
  }
}

TEST_F(MonitoringServiceTest, BadInputIsRefusedWithTheFieldNamed) {
  struct Case {
    std::string month;
    ReportFormat format;
    std::string field;
  };
  const Case cases[] = {{"", REPORT_FORMAT_JSON, "month"},        {"2026-3", REPORT_FORMAT_JSON, "month"},
                        {"2026-13", REPORT_FORMAT_JSON, "month"}, {"march", REPORT_FORMAT_JSON, "month"},
                        {"2026-05", REPORT_FORMAT_JSON, "month"},  // not yet begun
                        {"2026-03", REPORT_FORMAT_UNSPECIFIED, "format"},
                        {"2026-03", static_cast<ReportFormat>(42), "format"}};
  for (const auto& c : cases) {
    ExportMonthlyReportRequest req;
    req.set_month(c.month);
    req.set_format(c.format);
    ExportMonthlyReportResponse resp;
    auto s = m().ExportMonthlyReport(Harness::As(Monitoring()).get(), req, &resp);
    EXPECT_EQ(s.error_code(), grpc::INVALID_ARGUMENT) << c.month;
    EXPECT_EQ(s.error_message().rfind(c.field + ":", 0), 0u) << s.error_message();
  }
}

TEST_F(MonitoringServiceTest, ExportsAreFilesWithTheirType) {
  const std::pair<ReportFormat, std::string> formats[] = {{REPORT_FORMAT_JSON, "application/json"},
                                                          {REPORT_FORMAT_CSV, "text/csv; charset=utf-8"},
                                                          {REPORT_FORMAT_HTML, "text/html; charset=utf-8"}};
  for (const auto& [format, type] : formats) {
    ExportMonthlyReportRequest req;
    req.set_month("2026-03");
    req.set_format(format);
    ExportMonthlyReportResponse resp;
    auto s = m().ExportMonthlyReport(Harness::As(Admin()).get(), req, &resp);
    ASSERT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(resp.content_type(), type);
    EXPECT_EQ(resp.filename().rfind("relais-brussels-2026-03.", 0), 0u);
    EXPECT_GT(resp.content().size(), 1000u);
  }
}

TEST_F(MonitoringServiceTest, StatusSaysWhereCountingStands) {
  GetAggregationStatusResponse status;
  ASSERT_TRUE(m().GetAggregationStatus(Harness::As(Monitoring()).get(), {}, &status).ok());
  EXPECT_EQ(status.generation(), "1");
  EXPECT_GT(status.events_counted(), 100);
  EXPECT_EQ(status.lag_events(), 0);
  EXPECT_EQ(status.lag_seconds(), 0);
  // New events, not yet counted: the lag shows them, with the age of the oldest.
  EventLog more(h().redis(), "relais:{brussels}:events");
  int64_t now = h().clock().NowMs();
  more.Add(now - 90'000, "call.queued", {{"call", "c1"}, {"caller_kind", "CALLER_KIND_PERSON"}, {"language", "fr"}});
  more.Add(now - 30'000, "call.queued", {{"call", "c2"}, {"caller_kind", "CALLER_KIND_PERSON"}, {"language", "fr"}});
  more.Flush();
  ASSERT_TRUE(m().GetAggregationStatus(Harness::As(Monitoring()).get(), {}, &status).ok());
  EXPECT_EQ(status.lag_events(), 2);
  EXPECT_DOUBLE_EQ(status.lag_seconds(), 90.0);
}

// What the 7-day indicator holds in memory is on /metrics: one entry per request named by a
// request.created or hold.arrived event of the stream, counted here from the stream itself.
TEST_F(MonitoringServiceTest, TheRequestsTheIndicatorHoldsAreAGauge) {
  auto gauge = [&] {
    for (const auto& family : h().registry().Collect()) {
      if (family.name == "relais_monitoring_indicator_requests_held") return family.metric.at(0).gauge.value;
    }
    ADD_FAILURE() << "no relais_monitoring_indicator_requests_held";
    return -1.0;
  };
  EXPECT_EQ(gauge(), 0) << "nothing read before the first report";
  std::set<std::string> requests;
  for (auto& e : Events()) {
    if ((e["type"] == "request.created" || e["type"] == "hold.arrived") && !e["request"].empty()) {
      requests.insert(e["request"]);
    }
  }
  ASSERT_GT(requests.size(), 5u);

  GetMonthlyReportRequest req;
  req.set_month("2026-04");  // in progress: its indicator is computed from the followed stream
  GetMonthlyReportResponse resp;
  ASSERT_TRUE(m().GetMonthlyReport(Harness::As(Monitoring()).get(), req, &resp).ok());
  EXPECT_EQ(gauge(), static_cast<double>(requests.size()));
}

}  // namespace
}  // namespace relais::testing
