// Benchmark: the monitoring service over one million events (one month of a busy region).
//
// Measured in the same run, against a private redis-server (AOF, appendfsync always, as in production):
//   * baseline: a raw XRANGE of the whole stream in pages of 10,000, entries parsed (nothing counted);
//   * the consumer: every event counted exactly once (lua/apply.lua) from a fresh generation, events/s,
//     against the baseline of a bare consumer group that reads and acknowledges the same events
//     (XREADGROUP + XACK per batch, nothing counted);
//   * the monthly report (month, month before, a year before, with the 7-day indicator read from the
//     stream): wall time and the process' peak memory growth while it runs; then again once the
//     month's indicator counts are kept, and as the service's next report (it follows the stream:
//     only what is new is read).
//
// Usage: monitoring_report_bench [--events N] [--batch B] [--repeat R]
// Prints a Markdown table.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <random>
#include <string>

#include "common/heap_metrics.h"
#include "common/log.h"
#include "services/monitoring/consumer.h"
#include "services/monitoring/event.h"
#include "services/monitoring/generation.h"
#include "services/monitoring/indicator.h"
#include "services/monitoring/report_reader.h"
#include "tests/support/monitoring_events.h"
#include "tests/support/redis_server.h"

namespace relais::bench {
namespace {

using Clock = std::chrono::steady_clock;
using testing::EventLog;
using testing::Fields;

double Seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

// Resident memory high-water mark of this process, in MiB; ResetPeak() starts it again from now.
double PeakMiB() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  }
  return 0;
}
double NowMiB() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  }
  return 0;
}
void ResetPeak() { std::ofstream("/proc/self/clear_refs") << "5"; }

// March 2026, `n` events: calls (rung, answered or missed, ended), requests and proposals, holds and
// arrivals in 200 pools, street reports, insertion proposals, nights closed. Persons come back.
void WriteMonth(EventLog& log, int n) {
  std::mt19937 rng(2026);
  const int64_t start = testing::kMarch2026, span = 31LL * 24 * 3600 * 1000;
  const char* kinds[] = {"CALLER_KIND_PERSON", "CALLER_KIND_CITIZEN", "CALLER_KIND_POLICE", "CALLER_KIND_HOSPITAL",
                         "CALLER_KIND_PROFESSIONAL"};
  const char* communes[] = {"brussels", "ixelles", "anderlecht", "schaerbeek", "molenbeek-saint-jean", "saint-gilles"};
  const char* publics[] = {"single_men", "single_women", "families", "medical"};
  const char* outcomes[] = {"CALL_OUTCOME_INFORMATION_GIVEN", "CALL_OUTCOME_PLACE_DISPATCHED", "CALL_OUTCOME_NO_PLACE_QUEUED"};
  std::vector<int> occupied(200, 20);
  for (int i = 0; i < n; ++i) {
    int64_t at = start + span * i / n;
    std::string id = std::to_string(i);
    std::string person = "p" + std::to_string(rng() % 40000);
    int kind = static_cast<int>(rng() % 20);
    if (kind < 4) {
      log.Add(at, "call.queued", {{"call", "c" + id}, {"caller_kind", kinds[rng() % 5]}, {"language", rng() % 3 ? "fr" : "nl"}});
    } else if (kind < 7) {
      log.Add(at, "call.answered", {{"waited_ms", std::to_string(rng() % 1'200'000)}, {"call", "c" + id},
                                    {"caller_kind", kinds[rng() % 5]}, {"language", "fr"}});
    } else if (kind < 9) {
      log.Add(at, "call.ended", {{"outcome", outcomes[rng() % 3]}, {"talk_ms", "300000"}, {"call_back", "0"},
                                 {"call", "c" + id}, {"caller_kind", kinds[rng() % 5]}, {"language", "fr"}});
    } else if (kind < 11) {
      log.Add(at, "request.created", {{"request", "q" + id}, {"person", person}, {"lane", "LANE_STANDARD"},
                                      {"publics", "single_men"}});
    } else if (kind < 13) {
      log.Add(at, rng() % 4 ? "proposal.accepted" : "proposal.refused",
              {{"hold", "h" + id}, {"waited_ms", "600000"}, {"reason", "REFUSAL_REASON_TOO_FAR"}, {"proposal", "x" + id},
               {"request", "q" + std::to_string(i - rng() % 100)}, {"pool", "s1:single_men"},
               {"public", publics[rng() % 4]}, {"lane", "LANE_STANDARD"}});
    } else if (kind < 17) {
      int pool = static_cast<int>(rng() % 200);
      bool arrived = rng() % 2;
      occupied[pool] = std::max(0, std::min(40, occupied[pool] + (arrived ? 1 : -1)));
      EventLog::Pool p{"s" + std::to_string(pool) + ":" + publics[pool % 4], "s" + std::to_string(pool), publics[pool % 4],
                       communes[pool % 6], 40, 5, occupied[pool]};
      log.PoolEvent(at, arrived ? "hold.arrived" : "pool.departure", p,
                    {{"hold", "h" + id}, {"request", "q" + std::to_string(i - rng() % 200)}, {"kind", "standard"}});
    } else if (kind < 18) {
      log.Add(at, "report.created", {{"report", "r" + id}, {"reporter_kind", "REPORTER_KIND_CITIZEN"},
                                     {"commune", communes[rng() % 6]}, {"needs", "STREET_NEED_HELP"},
                                     {"route", "ROUTE_MARAUDE"}, {"team", "maraude-1"}});
    } else if (kind < 19) {
      log.Add(at, "insertion.proposed", {{"proposal", "i" + id}, {"person", person}, {"service", "housing-first"},
                                         {"service_kind", "SERVICE_KIND_HOUSING"}, {"kind", "SOLUTION_KIND_INSERTION"},
                                         {"source", "dispatch"}});
    } else {
      log.Add(at, "report.found", {{"report", "r" + id}, {"team", "maraude-1"}, {"to_contact_ms", std::to_string(rng() % 7'200'000)}});
    }
  }
  log.Flush();
}

int Run(int events, int batch, int repeat) {
  log::SetLevel(log::Level::kWarn);
  testing::RedisServer redis;
  RedisOptions options = redis.options(4);
  options.command_timeout = std::chrono::milliseconds(30'000);
  RedisPool pool(options);
  const std::string stream = "relais:{brussels}:events";

  auto t = Clock::now();
  {
    EventLog log(pool, stream);
    WriteMonth(log, events);
  }
  std::cerr << "wrote " << events << " events in " << Seconds(t) << " s\n";

  // Baseline 1: a raw XRANGE of everything (measured again next to each report, below).
  auto raw_xrange = [&]() -> long {
    long n = 0;
    for (std::string from = "-";;) {
      auto page = pool.Command({"XRANGE", stream, from, "+", "COUNT", "10000"});
      if (!page.ok()) return -1;
      auto entries = monitoring::EventsFromEntries(page->get());
      n += static_cast<long>(entries.size());
      if (entries.size() < 10000) break;
      from = "(" + entries.back().id;
    }
    return n;
  };

  // Baseline 2: a bare consumer group, read and acknowledge, nothing counted.
  auto conn = pool.Dedicated();
  if (!conn.ok()) return 1;
  (void)(*conn)->Command({"XGROUP", "CREATE", stream, "bare", "0"});
  t = Clock::now();
  long acked = 0;
  for (;;) {
    auto reply = (*conn)->Command({"XREADGROUP", "GROUP", "bare", "b", "COUNT", std::to_string(batch), "STREAMS", stream, ">"});
    if (!reply.ok()) return 1;
    if (ReplyIsNil(reply->get())) break;
    auto entries = monitoring::EventsFromEntries((*reply)->element[0]->element[1]);
    Argv ack = {"XACK", stream, "bare"};
    for (const auto& e : entries) ack.push_back(e.id);
    if (!(*conn)->Command(ack).ok()) return 1;
    acked += static_cast<long>(entries.size());
  }
  double bare_s = Seconds(t);

  // The consumer, counting everything into generation 1.
  monitoring::ConsumerOptions consumer_options;
  consumer_options.name = "bench";
  consumer_options.batch = batch;
  monitoring::Consumer consumer(pool, consumer_options);
  t = Clock::now();
  long counted = 0;
  for (;;) {
    auto step = consumer.Step();
    if (!step.ok()) {
      std::cerr << "consumer: " << step.status() << "\n";
      return 1;
    }
    if (step->read == 0) break;
    counted += step->counted;
  }
  double consumer_s = Seconds(t);

  // The report with the indicator read from the stream, `repeat` times, each next to a raw XRANGE of
  // the same stream (the machine is shared: the pairs keep the comparison fair); then with its counts
  // kept. A month over keeps its counts, so they are dropped before each uncached run.
  const int64_t after_month = testing::kMarch2026 + 32LL * 24 * 3600 * 1000;  // 2026-04-02
  auto month = *monitoring::Month::Parse("2026-03");
  std::vector<double> xrange_times, report_times;
  double report_mib = 0, kept_s = 0, kept_mib = 0;
  long read = 0;
  int64_t dispatched = 0;
  monitoring::Keys keys("brussels", "1");
  for (int run = 0; run <= repeat; ++run) {
    bool kept = run == repeat;
    if (!kept) {
      t = Clock::now();
      read = raw_xrange();
      xrange_times.push_back(Seconds(t));
      for (const char* m : {"2026-03", "2026-02", "2025-03"}) (void)pool.Command({"DEL", keys.Indicator(m)});
    }
    ResetPeak();
    double before = NowMiB();
    t = Clock::now();
    auto report = monitoring::BuildMonthlyReport(pool, "brussels", month, after_month);
    double took = Seconds(t), grew = std::max(0.0, PeakMiB() - before);
    if (!report.ok()) {
      std::cerr << "report: " << report.status() << "\n";
      return 1;
    }
    if (kept) {
      kept_s = took;
      kept_mib = grew;
    } else {
      report_times.push_back(took);
      report_mib = std::max(report_mib, grew);
    }
    dispatched = report->current().dispatching().dispatched_by_public().total().value();
  }
  // The service follows the stream: once its first report has read it, the next one (counts dropped,
  // so the indicator is computed again) reads only what is new, here nothing.
  int64_t heap_before = static_cast<int64_t>(ReadHeapFigures().in_use_bytes);
  monitoring::IndicatorFollower follower;
  double followed_s = 0;
  int64_t follower_bytes = 0;
  for (int run = 0; run < 2; ++run) {
    for (const char* m : {"2026-03", "2026-02", "2025-03"}) (void)pool.Command({"DEL", keys.Indicator(m)});
    t = Clock::now();
    auto report = monitoring::BuildMonthlyReport(pool, "brussels", month, after_month, "", &follower);
    followed_s = Seconds(t);
    if (!report.ok()) {
      std::cerr << "followed report: " << report.status() << "\n";
      return 1;
    }
    if (run == 0) follower_bytes = static_cast<int64_t>(ReadHeapFigures().in_use_bytes) - heap_before;  // the report is gone
  }
  std::sort(xrange_times.begin(), xrange_times.end());
  std::sort(report_times.begin(), report_times.end());
  double xrange_s = xrange_times.front(), report_s = report_times.front();
  double xrange_median = xrange_times[xrange_times.size() / 2], report_median = report_times[report_times.size() / 2];

  std::printf("| step | events | seconds (best; median of %d) | events/s | ratio to its baseline | peak memory growth |\n",
              repeat);
  std::printf("|---|---:|---:|---:|---:|---:|\n");
  std::printf("| baseline: raw XRANGE of the stream, parsed | %ld | %.2f; %.2f | %.0f | 1.00 | |\n", read, xrange_s,
              xrange_median, read / xrange_s);
  std::printf("| monthly report, indicator read from the stream | %d | %.2f; %.2f | | %.2f of the XRANGE time | %.0f MiB |\n",
              events, report_s, report_median, report_s / xrange_s, report_mib);
  std::printf("| monthly report, indicator counts kept | %d | %.3f | | %.3f of the XRANGE time | %.0f MiB |\n", events,
              kept_s, kept_s / xrange_s, kept_mib);
  std::printf("| monthly report, indicator from the followed stream (the service's next report) | %d | %.3f | | %.3f of the XRANGE time | |\n",
              events, followed_s, followed_s / xrange_s);
  std::printf("| baseline: bare group, XREADGROUP + XACK (batch %d) | %ld | %.2f | %.0f | 1.00 | |\n", batch, acked,
              bare_s, acked / bare_s);
  std::printf("| consumer: counted exactly once (batch %d) | %ld | %.2f | %.0f | %.2f of the bare group | |\n", batch,
              counted, consumer_s, counted / consumer_s, (counted / consumer_s) / (acked / bare_s));
  std::printf("\n(places dispatched in the month: %ld)\n", static_cast<long>(dispatched));
  size_t requests = follower.indicator().requests();
  std::printf("the service's follower holds %zu requests in %.1f MiB of heap: %.0f bytes per request\n", requests,
              follower_bytes / 1048576.0, requests ? static_cast<double>(follower_bytes) / requests : 0.0);
  return 0;
}

}  // namespace
}  // namespace relais::bench

int main(int argc, char** argv) {
  int events = 1'000'000, batch = 500, repeat = 5;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--events") == 0) events = std::atoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--batch") == 0) batch = std::atoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--repeat") == 0) repeat = std::max(1, std::atoi(argv[i + 1]));
  }
  return relais::bench::Run(events, batch, repeat);
}
