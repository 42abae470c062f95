// The gateway's parsers of outside input without a server: route matching, percent-decoding, the JSON
// limits check and the request mapping, fed known cases and seeded random bytes (never a crash, always
// a value or INVALID_ARGUMENT).
#include <gtest/gtest.h>

#include <random>

#include "relais/v1/monitoring.pb.h"
#include "services/gateway/file_answer.h"
#include "services/gateway/routes.h"
#include "services/gateway/transcode.h"

namespace relais::gateway {
namespace {

TEST(GatewayRoutes, MatchFillsPathFieldsAndTellsAllowedMethods) {
  RouteTable table;
  auto m = table.Find(Verb::kPost, "/api/v1/holds/ilot%3Asingle_men%3Ah0011/arrival");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->route->rpc, "relais.v1.Beds/ConfirmArrival");
  EXPECT_EQ(m.params.at("hold_id"), "ilot:single_men:h0011");
  auto wrong = table.Find(Verb::kDelete, "/api/v1/shelters");
  EXPECT_EQ(wrong.route, nullptr);
  EXPECT_TRUE(wrong.path_matched);
  EXPECT_EQ(wrong.allow, "GET, POST");
  EXPECT_FALSE(table.Find(Verb::kGet, "/api/v1/holds/%zz").path_matched);
  EXPECT_FALSE(table.Find(Verb::kGet, "/api/v1/holds/%00").path_matched);
}

TEST(GatewayRoutes, TheWorkshopsNextSessionAndTheReportsFileRoute) {
  RouteTable table;
  auto next = table.Find(Verb::kGet, "/api/v1/workshop/sessions/next");
  ASSERT_NE(next.route, nullptr);
  EXPECT_EQ(next.route->route->rpc, "relais.v1.Workshop/GetWorkshopSession");
  EXPECT_EQ(next.params.at("session_id"), "next");
  auto file = table.Find(Verb::kGet, "/api/v1/monitoring/reports/2026-03/export");
  ASSERT_NE(file.route, nullptr);
  EXPECT_EQ(file.route->route->answer, Answer::kFile);
  EXPECT_EQ(file.params.at("month"), "2026-03");
}

// A file answer is sent as the file: its bytes, its media type, its name; nothing the service put in
// those fields can add a header.
TEST(GatewayFileAnswer, TheFileItsTypeAndASafeName) {
  EXPECT_TRUE(IsFileMessage(relais::v1::ExportMonthlyReportResponse::descriptor()));
  EXPECT_FALSE(IsFileMessage(relais::v1::GetMonthlyReportResponse::descriptor()));
  relais::v1::ExportMonthlyReportResponse csv;
  csv.set_content("period,month\n");
  csv.set_content_type("text/csv; charset=utf-8");
  csv.set_filename("relais-brussels-2026-03.csv");
  Reply r = FileReply(csv);
  EXPECT_EQ(r.body, "period,month\n");
  EXPECT_EQ(r.content_type, "text/csv; charset=utf-8");
  EXPECT_EQ(r.content_security_policy, kFileCsp);
  std::map<std::string, std::string> headers(r.headers.begin(), r.headers.end());
  EXPECT_EQ(headers["Content-Disposition"], "attachment; filename=\"relais-brussels-2026-03.csv\"");
  EXPECT_EQ(headers["Cache-Control"], "no-store");

  relais::v1::ExportMonthlyReportResponse html;
  html.set_content("<!doctype html>");
  html.set_content_type("text/html; charset=utf-8");
  html.set_filename("report.html");
  Reply printable = FileReply(html);
  EXPECT_EQ(printable.headers[0].second, "inline; filename=\"report.html\"") << "printable from the browser";

  relais::v1::ExportMonthlyReportResponse hostile;
  hostile.set_content_type("text/plain\r\nSet-Cookie: relais_session=x");
  hostile.set_filename("../a\"\r\nSet-Cookie: x.csv");
  Reply safe = FileReply(hostile);
  EXPECT_EQ(safe.content_type, "application/octet-stream");
  EXPECT_EQ(safe.headers[0].second, "attachment; filename=\"file.._a___Set-Cookie__x.csv\"");
  hostile.set_filename("");
  hostile.set_content_type("");
  EXPECT_EQ(FileReply(hostile).headers[0].second, "attachment; filename=\"file\"");
  EXPECT_EQ(FileReply(hostile).content_type, "application/octet-stream");
}

TEST(GatewayTranscode, JsonLimits) {
  JsonLimits limits;
  EXPECT_TRUE(CheckJsonLimits(R"({"a":[[["x"]]]})", limits).ok());
  EXPECT_FALSE(CheckJsonLimits(std::string(17, '[') + std::string(17, ']'), limits).ok());
  EXPECT_TRUE(CheckJsonLimits(R"({"a":"[[[[[[[[[[[[[[[[[[[[[[[["})", limits).ok()) << "brackets inside strings";
  EXPECT_TRUE(CheckJsonLimits(R"({"a":"\"[[[[[[[[[[[[[[[[[[[[[[[["})", limits).ok()) << "escaped quote";
  EXPECT_FALSE(CheckJsonLimits("{\"a\":\"" + std::string(9000, 'x') + "\"}", limits).ok());
}

TEST(GatewayTranscode, AFieldGivenTwiceIsRefused) {
  JsonLimits limits;
  EXPECT_FALSE(CheckJsonLimits(R"({"pool_id":"a","pool_id":"b"})", limits).ok());
  EXPECT_FALSE(CheckJsonLimits(R"({"pool_id":"a","poolId":"b"})", limits).ok()) << "the JSON name of the same field";
  EXPECT_FALSE(CheckJsonLimits(R"({"x":{"a":1, "a" :2}})", limits).ok()) << "in a nested object";
  EXPECT_FALSE(CheckJsonLimits(R"({"pool\u005fid":"a"})", limits).ok()) << "escaped field name";
  // Not the same object, or not a key: accepted.
  EXPECT_TRUE(CheckJsonLimits(R"({"a":{"a":1},"b":[{"a":1},{"a":2}],"c":"a","d":["a","a"]})", limits).ok());
  EXPECT_TRUE(CheckJsonLimits(R"({"a":"x,\"a\":1"})", limits).ok()) << "a key-like text inside a string";
}

TEST(GatewayTranscode, ErrorsAreValidUtf8) {
  std::string json = ErrorJson(3, "body: bad \xff\xfe value \xc3\xa9 \xed\xa0\x80");
  EXPECT_EQ(json.find('\xff'), std::string::npos) << json;
  EXPECT_NE(json.find("\xc3\xa9"), std::string::npos) << "valid UTF-8 is kept: " << json;
}

TEST(GatewayTranscode, QueryAndPathFillTheRequest) {
  RouteTable table;
  auto m = table.Find(Verb::kGet, "/api/v1/availability");
  std::map<std::string, std::string> params;
  HttpInput in{"", "filter.public=single_men&filter.only_with_free=true&filter.commune=saint-gilles", &params, ""};
  auto req = BuildRequest(*m.route, in, JsonLimits{});
  ASSERT_TRUE(req.ok()) << req.status();
  EXPECT_EQ(FieldText(**req, "filter.public"), "single_men");
  EXPECT_EQ(FieldText(**req, "filter.only_with_free"), "true");
  EXPECT_EQ(FieldText(**req, "filter.commune"), "saint-gilles");
  HttpInput twice{"", "filter.public=a&filter.public=b", &params, ""};
  EXPECT_FALSE(BuildRequest(*m.route, twice, JsonLimits{}).ok());
  auto calls = table.Find(Verb::kGet, "/api/v1/calls");
  HttpInput list{"", "list=CALL_LIST_WAITING&limit=20", &params, ""};
  auto lc = BuildRequest(*calls.route, list, JsonLimits{});
  ASSERT_TRUE(lc.ok()) << lc.status();
  EXPECT_EQ(FieldText(**lc, "list"), "CALL_LIST_WAITING");
  EXPECT_EQ(FieldText(**lc, "limit"), "20");
}

TEST(GatewayTranscode, RandomBytesNeverCrashAndAreRefusedAsBadInput) {
  RouteTable table;
  std::mt19937 rng(20261125);
  const std::string alphabet = "{}[]\":,0123456789abcdefghijklmnopqrstuvwxyz_-.%=&+\\ \n\t\x01\xff";
  for (int i = 0; i < 5000; ++i) {
    const BoundRoute& route = table.routes()[rng() % table.routes().size()];
    std::string junk;
    size_t len = rng() % 200;
    for (size_t k = 0; k < len; ++k) junk += alphabet[rng() % alphabet.size()];
    std::map<std::string, std::string> params;
    for (const auto& f : route.path_fields) params[f] = junk.substr(0, rng() % (junk.size() + 1));
    HttpInput in;
    in.path_params = &params;
    if (route.route->verb == Verb::kGet) {
      in.query = junk;
    } else {
      in.body = junk;
    }
    auto req = BuildRequest(route, in, JsonLimits{});
    if (!req.ok()) {
      EXPECT_EQ(req.status().code(), absl::StatusCode::kInvalidArgument) << req.status();
    }
    (void)PercentDecode(junk, true);
    (void)CheckJsonLimits(junk, JsonLimits{});
  }
}

}  // namespace
}  // namespace relais::gateway
