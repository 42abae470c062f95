// The monitoring cell's report through the gateway: the month's figures as JSON, its downloads (JSON,
// CSV, printable HTML) as files with their Content-Type and Content-Disposition, the counting's
// status; bad input answered 4xx with a JSON error and nothing changed. The month is the hand-built
// March 2026 of tests/support/monitoring_events.h, whose figures are worked out elsewhere.
#include <google/protobuf/util/json_util.h>

#include "common/region_keys.h"
#include "services/gateway/file_answer.h"
#include "tests/integration/gateway_world.h"
#include "tests/support/monitoring_events.h"

namespace relais::testing {
namespace {

using namespace relais::v1;

class GatewayMonitoring : public GatewayTest {
 protected:
  // March 2026 goes in the stream first, before the world's own events of today.
  void BeforeWorld() override {
    RedisPool pool(SharedRedis().options(1));
    EventLog log(pool, RegionKeys("brussels").Events());
    WriteHandBuiltMonth(log);
  }
  void SetUp() override {
    GatewayTest::SetUp();
    CountEverything(gw().services().redis(), "gateway-test");
  }
};

TEST_F(GatewayMonitoring, TheMonthlyReportAsJson) {
  for (const char* who : {"mon1", "adm1"}) {
    auto r = As(who).Get("/api/v1/monitoring/reports/2026-03");
    ASSERT_EQ(r.status, 200) << who << ": " << r.body;
    EXPECT_EQ(r.headers["content-type"], "application/json");
    GetMonthlyReportResponse report;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(r.body, &report).ok()) << r.body;
    EXPECT_EQ(report.report().month(), "2026-03");
    EXPECT_TRUE(report.report().month_complete());
    EXPECT_EQ(report.report().current().calls().total().value(), 12);
    EXPECT_EQ(report.report().previous().month(), "2026-02");
  }
  auto status = As("mon1").Get("/api/v1/monitoring/status");
  ASSERT_EQ(status.status, 200) << status.body;
  GetAggregationStatusResponse counting;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(status.body, &counting).ok()) << status.body;
  EXPECT_GT(counting.events_counted(), 100);
  EXPECT_EQ(counting.lag_events(), 0);
  for (const char* who : {"op1", "med1", "sh1", "tm1", "ws1"}) {
    EXPECT_EQ(As(who).Get("/api/v1/monitoring/reports/2026-03").status, 403) << who;
  }
}

TEST_F(GatewayMonitoring, DownloadsInThreeFormats) {
  struct Format {
    std::string name, content_type, disposition, starts_with;
  };
  const Format formats[] = {
      {"REPORT_FORMAT_JSON", "application/json", "attachment; filename=\"relais-brussels-2026-03.json\"", "{"},
      {"REPORT_FORMAT_CSV", "text/csv; charset=utf-8", "attachment; filename=\"relais-brussels-2026-03.csv\"", "period,month,"},
      {"REPORT_FORMAT_HTML", "text/html; charset=utf-8", "inline; filename=\"relais-brussels-2026-03.html\"",
       "<!doctype html>"},
  };
  for (const auto& f : formats) {
    auto r = As("mon1").Get("/api/v1/monitoring/reports/2026-03/export?format=" + f.name);
    ASSERT_EQ(r.status, 200) << f.name << ": " << r.body;
    EXPECT_EQ(r.headers["content-type"], f.content_type) << f.name;
    EXPECT_EQ(r.headers["content-disposition"], f.disposition) << f.name;
    EXPECT_EQ(r.headers["cache-control"], "no-store") << f.name;
    EXPECT_EQ(r.headers["content-security-policy"], gateway::kFileCsp) << f.name << ": no script, sandboxed";
    EXPECT_EQ(r.headers["x-content-type-options"], "nosniff");
    EXPECT_EQ(r.body.rfind(f.starts_with, 0), 0u) << f.name << ": the file itself, not base64 in JSON: "
                                                  << r.body.substr(0, 80);
    EXPECT_NE(r.body.find("2026-03"), std::string::npos) << f.name;
  }
  // The JSON file is the report itself.
  auto file = As("adm1").Get("/api/v1/monitoring/reports/2026-03/export?format=REPORT_FORMAT_JSON");
  MonthlyReport report;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(file.body, &report).ok()) << file.body.substr(0, 200);
  EXPECT_EQ(report.current().calls().total().value(), 12);
  // The CSV: one figure per line, with its header.
  auto csv = As("mon1").Get("/api/v1/monitoring/reports/2026-03/export?format=REPORT_FORMAT_CSV");
  EXPECT_EQ(csv.body.substr(0, csv.body.find('\n')), "period,month,section,table,row,column,value,status");
  // Refused before anything is computed: the error stays JSON, under the pages' policy.
  auto refused = As("op1").Get("/api/v1/monitoring/reports/2026-03/export?format=REPORT_FORMAT_CSV");
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.headers["content-type"], "application/json");
  EXPECT_EQ(refused.headers.count("content-disposition"), 0u);
  EXPECT_EQ(refused.headers["content-security-policy"].find("sandbox"), std::string::npos);
}

TEST_F(GatewayMonitoring, BadInputIsRefusedWithAJsonErrorAndChangesNothing) {
  struct Row {
    std::string name, target;
    int status;
    std::string field;
  };
  const Row rows[] = {
      {"month not a month", "/api/v1/monitoring/reports/2026-13", 400, "month"},
      {"month in words", "/api/v1/monitoring/reports/march", 400, "month"},
      {"month not begun", "/api/v1/monitoring/reports/2099-01", 400, "month"},
      {"month given twice", "/api/v1/monitoring/reports/2026-03?month=2026-02", 400, "month"},
      {"export without a format", "/api/v1/monitoring/reports/2026-03/export", 400, "format"},
      {"export as PDF", "/api/v1/monitoring/reports/2026-03/export?format=REPORT_FORMAT_PDF", 400, "format"},
      {"export of a bad month", "/api/v1/monitoring/reports/2026-3/export?format=REPORT_FORMAT_CSV", 400, "month"},
      {"status with a parameter it has not", "/api/v1/monitoring/status?generation=2", 400, "generation"},
  };
  HttpClient& mon = As("mon1");
  auto before = Snapshot();
  for (const auto& row : rows) {
    HttpResponse r = mon.Get(row.target);
    EXPECT_EQ(r.status, row.status) << row.name << ": " << r.body;
    EXPECT_EQ(r.headers["content-type"], "application/json") << row.name;
    EXPECT_EQ(JsonField(r.body, "code"), "INVALID_ARGUMENT") << row.name << ": " << r.body;
    EXPECT_EQ(JsonField(r.body, "message").rfind(row.field, 0), 0u) << row.name << ": " << r.body;
  }
  EXPECT_EQ(before, Snapshot()) << "a refused request changed something";
}

}  // namespace
}  // namespace relais::testing
