// relais-report: a month's report from the command line, read straight from Redis (the same code as
// the monitoring service's ExportMonthlyReport). Also rebuilds the aggregates from the whole event
// stream, and drops an old generation of them.
//
//   relais-report --month 2026-11 --format html --out november.html
//   relais-report --status
//   relais-report --rebuild          (then compare, then: relais-report --drop-generation 1)
#include <fstream>
#include <iostream>

#include "common/clock.h"
#include "common/config.h"
#include "common/redis.h"
#include "services/monitoring/export.h"
#include "services/monitoring/generation.h"
#include "services/monitoring/rebuild.h"
#include "services/monitoring/report_reader.h"
#include "services/monitoring/rules.h"

int main(int argc, char** argv) {
  using namespace relais;
  RedisOptions redis_options;
  redis_options.pool_size = 2;
  redis_options.command_timeout = std::chrono::milliseconds(10'000);  // a report reads a few large hashes
  std::string region = "brussels", month, format = "html", out, drop;
  bool rebuild = false, status = false;
  po::options_description options;
  AddRedisOptions(options, redis_options);
  options.add_options()
      ("region", po::value(&region)->default_value(region), "region code: the hash tag of every key")
      ("month", po::value(&month), "the month to report, YYYY-MM (UTC)")
      ("format", po::value(&format)->default_value(format), "json, csv or html")
      ("out", po::value(&out), "write the report to this file (default: standard output)")
      ("status", po::bool_switch(&status), "print where counting stands (events counted, lag)")
      ("rebuild", po::bool_switch(&rebuild),
       "count the whole event stream again into a new generation of aggregates, then use it")
      ("drop-generation", po::value(&drop), "delete an old generation of aggregates (not the one in use)");
  po::variables_map vm;
  if (auto exit_code = ParseConfig(argc, argv, options,
                                   "relais-report: the monthly report (--month YYYY-MM --format json|csv|html)", vm)) {
    return *exit_code;
  }
  RedisPool redis(redis_options);
  SystemClock clock;

  if (rebuild) {
    auto generation = monitoring::Rebuild(redis, region, true);
    if (!generation.ok()) {
      std::cerr << "relais-report: rebuild failed: " << generation.status().message() << "\n";
      return 1;
    }
    std::cout << "aggregates rebuilt into generation " << *generation << ", now in use\n";
    return 0;
  }
  if (!drop.empty()) {
    if (auto s = monitoring::DropGeneration(redis, region, drop); !s.ok()) {
      std::cerr << "relais-report: " << s.message() << "\n";
      return 1;
    }
    std::cout << "generation " << drop << " dropped\n";
    return 0;
  }
  if (status) {
    auto generation = monitoring::CurrentGeneration(redis, region);
    auto st = generation.ok() ? monitoring::ReadStatus(redis, monitoring::Keys(region, *generation), clock.NowMs())
                              : absl::StatusOr<monitoring::AggregationStatus>(generation.status());
    if (!st.ok()) {
      std::cerr << "relais-report: " << st.status().message() << "\n";
      return 1;
    }
    std::cout << "generation " << st->generation << ": " << st->counted << " events counted, " << st->lag_events
              << " not yet (oldest " << st->lag_seconds << " s)\n";
    return 0;
  }

  auto m = monitoring::ValidateMonth(month, clock.NowMs());
  relais::v1::ReportFormat f = format == "json"  ? relais::v1::REPORT_FORMAT_JSON
                               : format == "csv" ? relais::v1::REPORT_FORMAT_CSV
                               : format == "html" ? relais::v1::REPORT_FORMAT_HTML
                                                  : relais::v1::REPORT_FORMAT_UNSPECIFIED;
  if (!m.ok() || f == relais::v1::REPORT_FORMAT_UNSPECIFIED) {
    std::cerr << "relais-report: " << (m.ok() ? "format: json, csv or html" : std::string(m.status().message())) << "\n";
    return 2;
  }
  auto report = monitoring::BuildMonthlyReport(redis, region, *m, clock.NowMs());
  if (!report.ok()) {
    std::cerr << "relais-report: " << report.status().message() << "\n";
    return 1;
  }
  auto file = monitoring::ExportReport(*report, f);
  if (!file.ok()) {
    std::cerr << "relais-report: " << file.status().message() << "\n";
    return 1;
  }
  if (out.empty()) {
    std::cout << file->content;
  } else {
    std::ofstream(out, std::ios::binary) << file->content;
  }
  return 0;
}
