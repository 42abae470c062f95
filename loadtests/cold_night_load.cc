// The cold-night load: the mix of loadtests/cold_night.h, open loop, through the gateway's REST API of
// the real `relais` executable (a child process, with a private redis-server: AOF, fsync before each
// answer, and the Brussels demo data).
//
// Steps (default): at each total rate of --rates, first the bare baseline of the same mix (reads from a
// bare Beast server answering the bytes Relais gave, writes to a bare gRPC callback + WorkPool server
// running one durable EVALSHA), then Relais, each for --seconds; per class p50/p95/p99 (from the
// intended start), errors, shed requests (503, 429 and timeouts apart), the rate offered and the rate
// answered; peak memory, descriptors and CPU of relais and redis-server. Stops after the first rate with
// errors or shed requests, or that Relais answered below 90 % of, or whose p99 passed --p99-limit-ms
// (--keep-going: no stop).
//
// Soak (--soak-seconds S --rate R): the mix at one rate for S seconds, sampling memory and descriptors
// every --sample-seconds; reports the slope of relais' memory over the second half (KiB/min) and judges
// it: the floor of each 120 s may grow faster than the heap in use by at most --slope-limit-kib-min, and
// the heap in use by at most --held-bytes-limit per request the 7-day indicator holds (data it keeps by
// design); and whether relais' descriptors come back to what they were before the load.
// With --check (CI, ctest label `load`): exits 1 unless no request failed or was shed, memory grew less
// than --rss-growth-limit-mib, and descriptors came back; never a timing assertion.
//
// Pinning (2 cores): --server-cpus 0 puts redis-server, relais and the bare servers on core 0,
// --driver-cpu 1 the driver's thread on core 1.
#include <pthread.h>
#include <sched.h>
#include <signal.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <algorithm>
#include <cstdio>
#include <future>
#include <iostream>
#include <sstream>
#include <thread>

#include "common/log.h"
#include "common/redis.h"
#include "loadtests/bare_grpc.h"
#include "loadtests/bare_http.h"
#include "loadtests/cold_night.h"
#include "loadtests/proc_stats.h"
#include "loadtests/relais_under_load.h"
#include "tests/support/http_client.h"

namespace relais::load {
namespace {

namespace net = boost::asio;

struct Flags {
  std::vector<double> rates = {50, 100, 200, 400, 800, 1600};
  double seconds = 30;
  double warmup_seconds = 5;
  bool baseline = true;
  bool keep_going = false;
  bool poisson = true;
  uint64_t seed = 1;
  int connections = 1024;
  int timeout_ms = 10000;
  int p99_limit_ms = 1000;
  int follow_up_ms = 1000;
  std::string server_cpus;
  int driver_cpu = -1;
  double soak_seconds = 0;
  double soak_rate = 100;
  double sample_seconds = 10;
  double slope_limit_kib_min = 64;
  double held_bytes_limit = 512;  // heap growth per request the indicator holds (118 bytes in the monitoring bench)
  double rss_growth_limit_mib = 64;
  bool check = false;
};

cpu_set_t CpuSet(const std::string& list) {
  cpu_set_t set;
  CPU_ZERO(&set);
  std::stringstream in(list);
  for (std::string item; std::getline(in, item, ',');) CPU_SET(std::stoi(item), &set);
  return set;
}

// The driver's one thread: every request, answer and timer of the mix runs here.
class Driver {
 public:
  explicit Driver(int cpu) : guard_(net::make_work_guard(ioc_)) {
    thread_ = std::thread([this, cpu] {
      if (cpu >= 0) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(cpu, &set);
        pthread_setaffinity_np(pthread_self(), sizeof set, &set);
      }
      ioc_.run();
    });
  }
  ~Driver() {
    guard_.reset();
    ioc_.stop();
    thread_.join();
  }
  net::io_context& ioc() { return ioc_; }
  // Runs `fn` on the driver's thread and waits for it.
  template <typename Fn>
  auto Do(Fn fn) {
    std::packaged_task<decltype(fn())()> task(std::move(fn));
    auto f = task.get_future();
    net::post(ioc_, [&task] { task(); });
    return f.get();
  }

 private:
  net::io_context ioc_;
  net::executor_work_guard<net::io_context::executor_type> guard_;
  std::thread thread_;
};

struct Watched {
  std::string name;
  pid_t pid;
  ProcSample start, end, max;  // max: the largest RSS and descriptor count seen by the samples
};

void Sample(Watched& w) {
  ProcSample s = ReadProc(w.pid);
  w.max.rss_kib = std::max(w.max.rss_kib, s.rss_kib);
  w.max.fds = std::max(w.max.fds, s.fds);
  w.max.threads = std::max(w.max.threads, s.threads);
  w.end = s;
}

struct RunResult {
  Recorder rec;
  double seconds = 0;  // the window of arrivals
  double elapsed = 0;  // from the start until the last answer of what was sent in the window
  std::vector<Watched> procs;
  long waited = 0, resent = 0;
};

using BackendFactory = std::function<std::unique_ptr<Backend>(net::io_context&)>;
using OnSample = std::function<void(double elapsed_s, const std::vector<Watched>&, std::map<std::string, Tally> window)>;

// One run of the mix on `make`'s backend; samples the watched processes every `sample_s` meanwhile.
RunResult RunMix(Driver& d, const BackendFactory& make, const World& world, MixOptions o,
                 std::vector<std::pair<std::string, pid_t>> watch, double sample_s, const OnSample& on_sample = {},
                 std::map<std::string, std::string>* recorded = nullptr) {
  RunResult r;
  r.seconds = o.seconds;
  for (auto& [name, pid] : watch) {
    Watched w{name, pid, ReadProc(pid), {}, {}};
    w.max = w.start;
    r.procs.push_back(w);
  }
  std::unique_ptr<Backend> backend;
  std::unique_ptr<Mix> mix;
  std::promise<void> done;
  auto finished = done.get_future();
  d.Do([&] {
    backend = make(d.ioc());
    mix = std::make_unique<Mix>(d.ioc(), *backend, world, r.rec, o);
    mix->Start([&done] { done.set_value(); });
    return 0;
  });
  auto began = Clock::now();
  auto next = began;
  while (true) {
    next += std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(sample_s));
    if (finished.wait_until(next) == std::future_status::ready) break;
    for (auto& w : r.procs) Sample(w);
    if (on_sample) {
      auto window = d.Do([&] { return r.rec.TakeWindow(); });
      on_sample(std::chrono::duration<double>(Clock::now() - began).count(), r.procs, std::move(window));
    }
  }
  r.elapsed = std::chrono::duration<double>(Clock::now() - began).count();
  for (auto& w : r.procs) Sample(w);
  d.Do([&] {
    if (auto* relais = dynamic_cast<RelaisBackend*>(backend.get())) {
      r.waited = relais->http().waited();
      r.resent = relais->http().resent();
      if (recorded) *recorded = relais->recorded();
    }
    backend->CloseAll();
    mix.reset();
    backend.reset();
    return 0;
  });
  return r;
}

Tally ClassTally(const Recorder& rec, const std::string& cls) {
  auto it = rec.by_class().find(cls);
  return it == rec.by_class().end() ? Tally{} : it->second;
}

Tally AllTally(const Recorder& rec) {
  Tally all;
  for (const auto& [_, t] : rec.by_class()) all.Merge(t);
  return all;
}

std::string Ratio(double a, double b) {
  if (b <= 0) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", a / b);
  return buf;
}

void PrintClasses(double rate, const RunResult& relais, const RunResult* bare) {
  std::printf("\n#### %.0f requests/s intended\n\n", rate);
  std::printf("| class | intended req/s | offered req/s | achieved req/s | requests | p50 ms | p95 ms | p99 ms | errors | 503 | 429 | timeouts "
              "| conflicts | bare p50 ms | bare p99 ms | p50 ratio | p99 ratio |\n");
  std::printf("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  auto row = [&](const std::string& name, double intended, const Tally& t, const Tally* b) {
    Summary s = Summarize(t, relais.seconds);
    std::string bare50 = "-", bare99 = "-", r50 = "-", r99 = "-";
    if (b && !b->ms.empty()) {
      Summary bs = Summarize(*b, bare ? bare->seconds : 1);
      char x[32];
      std::snprintf(x, sizeof x, "%.2f", bs.p50);
      bare50 = x;
      std::snprintf(x, sizeof x, "%.2f", bs.p99);
      bare99 = x;
      r50 = Ratio(s.p50, bs.p50);
      r99 = Ratio(s.p99, bs.p99);
    }
    std::printf("| %s | %.1f | %.1f | %.1f | %ld | %.2f | %.2f | %.2f | %ld | %ld | %ld | %ld | %ld | %s | %s | %s | %s |\n",
                name.c_str(), intended, s.offered_per_s, s.achieved_per_s, s.n, s.p50, s.p95, s.p99, s.error, s.shed503, s.shed429, s.timeout,
                s.conflict, bare50.c_str(),
                bare99.c_str(), r50.c_str(), r99.c_str());
  };
  for (const auto& c : kShares) {
    Tally b = bare ? ClassTally(bare->rec, c.name) : Tally{};
    row(c.name, rate * c.share, ClassTally(relais.rec, c.name), bare ? &b : nullptr);
  }
  Tally b = bare ? AllTally(bare->rec) : Tally{};
  row("**all**", rate, AllTally(relais.rec), bare ? &b : nullptr);
}

void PrintRoutes(const RunResult& relais) {
  std::printf("\n| route | requests | p50 ms | p99 ms | errors | 503 | 429 | timeouts | conflicts |\n"
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (const auto& [key, t] : relais.rec.by_route()) {
    Summary s = Summarize(t, relais.seconds);
    std::printf("| %s | %ld | %.2f | %.2f | %ld | %ld | %ld | %ld | %ld |\n", key.substr(key.find('|') + 1).c_str(), s.n,
                s.p50, s.p99, s.error, s.shed503, s.shed429, s.timeout, s.conflict);
  }
}

void PrintProcs(const RunResult& r) {
  for (const auto& w : r.procs) {
    double cpu = (w.end.cpu_seconds - w.start.cpu_seconds) / std::max(r.elapsed, 1.0) * 100;
    std::printf("  %-12s RSS max %.1f MiB (peak since start %.1f MiB), fds %d -> max %d -> %d, threads max %d, CPU %.0f %%\n",
                w.name.c_str(), w.max.rss_kib / 1024.0, w.end.peak_rss_kib / 1024.0, w.start.fds, w.max.fds, w.end.fds,
                w.max.threads, cpu);
  }
}

void PrintDriverHealth(const RunResult& r) {
  auto lag = r.rec.lag_ms();
  std::sort(lag.begin(), lag.end());
  std::printf("  driver: started late by p50 %.2f ms, p99 %.2f ms, max %.2f ms (counted in the latencies); %ld requests "
              "queued for a connection, %ld resent on a closed keep-alive connection\n",
              bench::Percentile(lag, 0.5), bench::Percentile(lag, 0.99), lag.empty() ? 0.0 : lag.back(), r.waited,
              r.resent);
  for (const auto& [what, n] : r.rec.counts()) std::printf("  %s: %ld\n", what.c_str(), n);
  for (const auto& [what, n] : r.rec.error_examples()) std::printf("  error example (%dx): %s\n", n, what.c_str());
}

MixOptions Options(const Flags& f, double rate, double seconds, uint64_t seed) {
  MixOptions o;
  o.rate = rate;
  o.seconds = seconds;
  o.poisson = f.poisson;
  o.seed = seed;
  o.follow_up = std::chrono::milliseconds(f.follow_up_ms);
  return o;
}

// Least-squares slope of y over x.
double Slope(const std::vector<std::pair<double, double>>& points) {
  double n = static_cast<double>(points.size()), sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (auto [x, y] : points) sx += x, sy += y, sxx += x * x, sxy += x * y;
  double den = n * sxx - sx * sx;
  return den == 0 ? 0 : (n * sxy - sx * sy) / den;
}

// relais gives freed heap back to the system every --heap-trim-seconds (60 by default), so its RSS is a
// saw-tooth: freed pages pile up, then go. What it keeps is the floor of the teeth: the lowest sample of
// each window of two trims. Its slope says whether memory is kept; the raw slope mostly says where in a
// tooth the first and last samples fell.
constexpr double kFloorWindowSeconds = 120;

std::vector<std::pair<double, double>> Floors(const std::vector<std::pair<double, double>>& samples,
                                              double sample_seconds) {
  size_t per_window = std::max<size_t>(1, static_cast<size_t>(kFloorWindowSeconds / sample_seconds + 0.5));
  std::vector<std::pair<double, double>> floors;
  for (size_t i = 0; i + per_window <= samples.size(); i += per_window) {
    double low = samples[i].second;
    for (size_t j = i; j < i + per_window; ++j) low = std::min(low, samples[j].second);
    floors.emplace_back(samples[i + per_window - 1].first, low);
  }
  return floors;
}

long RedisUsedMemory(testing::RedisServer& redis) {
  auto conn = RedisConnection::Connect(redis.options(1));
  if (!conn.ok()) return -1;
  auto info = (*conn)->Command({"INFO", "memory"});
  if (!info.ok()) return -1;
  std::stringstream lines{std::string(ReplyStr(info->get()))};
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("used_memory:", 0) == 0) return std::stol(line.substr(12));
  }
  return -1;
}

// relais' C heap from its /metrics (common/heap_metrics.h), in KiB: what is in use (a leak grows it) and
// what malloc keeps free (fragmentation grows it). RSS is about their sum, plus code and thread stacks.
struct HeapSample {
  double in_use_kib = -1;
  double free_held_kib = -1;
  double indicator_requests = -1;  // what the 7-day indicator holds (services/monitoring/indicator.h)
};

HeapSample HeapOf(int metrics_port) {
  HeapSample h;
  std::stringstream lines{testing::HttpClient(metrics_port).Get("/metrics").body};
  for (std::string line; std::getline(lines, line);) {
    auto value = [&] { return std::stod(line.substr(line.rfind(' ') + 1)); };
    if (line.rfind("relais_process_heap_in_use_bytes ", 0) == 0) h.in_use_kib = value() / 1024.0;
    if (line.rfind("relais_process_heap_free_held_bytes ", 0) == 0) h.free_held_kib = value() / 1024.0;
    if (line.rfind("relais_monitoring_indicator_requests_held ", 0) == 0) h.indicator_requests = value();
  }
  return h;
}

int Steps(const Flags& f, RelaisUnderLoad& relais, Driver& d) {
  const World& world = relais.world();
  auto watch = std::vector<std::pair<std::string, pid_t>>{{"relais", relais.relais_pid()}, {"redis-server", relais.redis_pid()}};
  auto to_relais = [&](net::io_context& ioc) {
    return std::make_unique<RelaisBackend>(ioc, relais.http_port(), f.connections, std::chrono::milliseconds(f.timeout_ms));
  };
  // Warm-up (not reported): connections, caches, scripts; and the answers the bare server will give.
  std::map<std::string, std::string> recorded;
  RunMix(d, to_relais, world, Options(f, f.rates.front(), f.warmup_seconds, 999), watch, 1.0, {}, &recorded);

  RedisPool bare_redis(relais.redis().options(16));
  bench::PoolHealth bare_writes(bare_redis);
  bench::BareGrpcServer bare_grpc(&bare_writes);
  bench::BareHttpServer bare_http(BareBackend::BodiesByTarget(recorded), "{}", 2);  // as the gateway's 2 threads
  auto to_bare = [&](net::io_context& ioc) {
    return std::make_unique<BareBackend>(ioc, bare_http.port(), bare_grpc.port, recorded, f.connections,
                                         std::chrono::milliseconds(f.timeout_ms));
  };

  for (size_t i = 0; i < f.rates.size(); ++i) {
    double rate = f.rates[i];
    uint64_t seed = f.seed + i;  // the same arrivals for Relais and its baseline at this rate
    std::unique_ptr<RunResult> bare;
    if (f.baseline) {
      bare = std::make_unique<RunResult>(RunMix(d, to_bare, world, Options(f, rate, f.seconds, seed), watch, 1.0));
    }
    RunResult run = RunMix(d, to_relais, world, Options(f, rate, f.seconds, seed), watch, 1.0);
    PrintClasses(rate, run, bare.get());
    PrintRoutes(run);
    std::printf("\nprocesses during the Relais run:\n");
    PrintProcs(run);
    PrintDriverHealth(run);
    if (bare) {
      std::printf("bare baseline run:\n");
      PrintDriverHealth(*bare);
    }
    std::fflush(stdout);
    // Where it breaks: a request failed or was shed, or Relais answered less than 90 % of what was offered
    // (the open loop's queue grows), or the slowest 1 % waited longer than --p99-limit-ms.
    Summary all = Summarize(AllTally(run.rec), run.seconds);
    std::string broke;
    if (all.error > 0 || all.shed() > 0) broke = "errors or shed requests";
    else if (all.achieved_per_s < 0.9 * all.offered_per_s) broke = "less than 90 % of the offered rate answered";
    else if (all.p99 > f.p99_limit_ms) broke = "p99 above " + std::to_string(f.p99_limit_ms) + " ms";
    if (!broke.empty()) {
      std::printf("\nfirst rate with %s: %.0f requests/s intended\n", broke.c_str(), rate);
      std::fflush(stdout);
      if (!f.keep_going) break;
    }
  }
  return 0;
}

// Descriptors relais may keep after a soak beyond its count after the warm-up: one Redis pool's worth.
constexpr int kFdSlack = 8;

int Soak(const Flags& f, RelaisUnderLoad& relais, Driver& d) {
  const World& world = relais.world();
  auto watch = std::vector<std::pair<std::string, pid_t>>{{"relais", relais.relais_pid()}, {"redis-server", relais.redis_pid()}};
  auto to_relais = [&](net::io_context& ioc) {
    return std::make_unique<RelaisBackend>(ioc, relais.http_port(), f.connections, std::chrono::milliseconds(f.timeout_ms));
  };
  ProcSample before = ReadProc(relais.relais_pid());
  RunMix(d, to_relais, world, Options(f, f.soak_rate, f.warmup_seconds, 999), watch, 1.0);
  std::this_thread::sleep_for(std::chrono::seconds(1));
  ProcSample warm = ReadProc(relais.relais_pid());
  std::printf("soak: %.0f requests/s for %.0f s, a sample every %.0f s; relais before any load: RSS %.1f MiB, %d fds; "
              "after the %.0f s warm-up: RSS %.1f MiB\n\n",
              f.soak_rate, f.soak_seconds, f.sample_seconds, before.rss_kib / 1024.0, before.fds, f.warmup_seconds,
              warm.rss_kib / 1024.0);
  std::printf("| t s | relais RSS MiB | relais heap in use MiB | relais heap free held MiB | indicator requests held "
              "| relais fds | relais threads | redis RSS MiB | redis used_memory MiB | redis fds | requests | p50 ms "
              "| p99 ms | errors | shed |\n"
              "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  std::vector<std::pair<double, double>> relais_rss, relais_heap, held, redis_rss, redis_used;
  auto on_sample = [&](double t, const std::vector<Watched>& procs, std::map<std::string, Tally> window) {
    Tally all;
    for (auto& [_, tally] : window) all.Merge(tally);
    Summary s = Summarize(all, f.sample_seconds);
    long used = RedisUsedMemory(relais.redis());
    HeapSample heap = HeapOf(relais.metrics_port());
    std::printf("| %.0f | %.1f | %.1f | %.1f | %.0f | %d | %d | %.1f | %.1f | %d | %ld | %.2f | %.2f | %ld | %ld |\n", t,
                procs[0].end.rss_kib / 1024.0, heap.in_use_kib / 1024.0, heap.free_held_kib / 1024.0,
                heap.indicator_requests, procs[0].end.fds,
                procs[0].end.threads, procs[1].end.rss_kib / 1024.0, used / 1048576.0, procs[1].end.fds, s.n, s.p50,
                s.p99, s.error, s.shed());
    std::fflush(stdout);
    relais_rss.emplace_back(t / 60, static_cast<double>(procs[0].end.rss_kib));
    relais_heap.emplace_back(t / 60, heap.in_use_kib);
    held.emplace_back(t / 60, heap.indicator_requests);
    redis_rss.emplace_back(t / 60, static_cast<double>(procs[1].end.rss_kib));
    redis_used.emplace_back(t / 60, used / 1024.0);
  };
  RunResult run = RunMix(d, to_relais, world, Options(f, f.soak_rate, f.soak_seconds, f.seed), watch, f.sample_seconds, on_sample);

  // Descriptors: every connection of the driver is closed now; relais should be back where it started.
  int fds_after = -1;
  for (int i = 0; i < 100; ++i) {
    fds_after = ReadProc(relais.relais_pid()).fds;
    if (fds_after <= warm.fds) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }

  PrintClasses(f.soak_rate, run, nullptr);
  PrintRoutes(run);
  std::printf("\n");
  PrintProcs(run);
  PrintDriverHealth(run);

  auto second_half = [](const std::vector<std::pair<double, double>>& v) {
    return std::vector<std::pair<double, double>>(v.begin() + static_cast<long>(v.size() / 2), v.end());
  };
  double slope = Slope(second_half(relais_rss)), floor_slope = Slope(second_half(Floors(relais_rss, f.sample_seconds)));
  double growth_mib = (run.procs[0].end.rss_kib - warm.rss_kib) / 1024.0;
  std::printf("\nrelais RSS: %.1f MiB after the warm-up, %.1f MiB at the end (%+.1f MiB); slope over the second half "
              "%.1f KiB/min, of its floor (the lowest sample of each %.0f s) %.1f KiB/min (limit %.0f)\n",
              warm.rss_kib / 1024.0, run.procs[0].end.rss_kib / 1024.0, growth_mib, slope, kFloorWindowSeconds,
              floor_slope, f.slope_limit_kib_min);
  double heap_slope = Slope(second_half(relais_heap)), held_slope = Slope(second_half(held));
  std::printf("relais heap in use: slope over the second half %.1f KiB/min (what a leak would grow; the rest of RSS is "
              "memory malloc keeps free and thread stacks)\n",
              heap_slope);
  // Two questions, because the mix makes new persons all the time and the 7-day indicator keeps one
  // small entry per request and per person of the history by design (exported as a gauge): does relais
  // keep memory beyond its heap in use (the floor growing faster than the heap: fragmentation), and does
  // the heap grow by more than that data (a leak: every held request comes with a dozen HTTP calls, so
  // even a few bytes lost per call shows as hundreds per request held)?
  double kept_slope = floor_slope - heap_slope;
  std::printf("relais memory kept beyond the heap in use: floor slope minus heap slope %.1f KiB/min (limit %.0f)\n",
              kept_slope, f.slope_limit_kib_min);
  bool data_only = heap_slope <= f.slope_limit_kib_min;
  if (held_slope > 0) {
    double per_held = heap_slope * 1024 / held_slope;
    std::printf("the 7-day indicator's requests held: slope %.0f per min, so %.0f bytes of heap growth per request held "
                "(limit %.0f)\n",
                held_slope, per_held, f.held_bytes_limit);
    data_only = per_held <= f.held_bytes_limit;
  }
  std::printf("redis-server RSS slope over the second half %.1f KiB/min, used_memory %.1f KiB/min (the data of the night: "
              "persons, requests, holds, reports, events, idempotency keys)\n",
              Slope(second_half(redis_rss)), Slope(second_half(redis_used)));
  std::printf("relais descriptors: %d before any load, %d after the warm-up, %d at most during the soak, %d after it\n",
              before.fds, warm.fds, run.procs[0].max.fds,
              fds_after);
  Summary all = Summarize(AllTally(run.rec), run.seconds);
  bool kept_flat = kept_slope <= f.slope_limit_kib_min;
  std::printf("memory %s\n", kept_flat && data_only ? "FLAT (beyond the indicator's data, within the limits)"
                              : !kept_flat        ? "GROWING (the floor grows faster than the heap in use)"
                                                  : "GROWING (the heap grows by more than the indicator's data)");
  if (!f.check) return 0;

  // CI: robust facts only, never a timing.
  int failures = 0;
  auto expect = [&](bool ok, const std::string& what) {
    std::printf("check: %s: %s\n", ok ? "ok" : "FAILED", what.c_str());
    failures += !ok;
  };
  expect(all.n > 0 && all.error == 0, "no request failed (" + std::to_string(all.error) + " errors of " + std::to_string(all.n) + ")");
  expect(all.shed() == 0, "no request was shed (503: " + std::to_string(all.shed503) + ", 429: " +
                             std::to_string(all.shed429) + ", timeouts: " + std::to_string(all.timeout) + ")");
  expect(growth_mib < f.rss_growth_limit_mib, "relais memory grew less than " + std::to_string(static_cast<int>(f.rss_growth_limit_mib)) + " MiB");
  // Control: the descriptor count sees the driver's connections, so "back to baseline" means something.
  expect(run.procs[0].max.fds > warm.fds, "the load's connections were seen in relais' descriptors");
  // The reference is the count after the warm-up: Redis connections are opened on demand, up to a pool's
  // size (8), and stay open. A leak of one descriptor per request would be hundreds here.
  expect(fds_after <= warm.fds + kFdSlack, "relais' descriptors came back to their count after the warm-up (" +
                                              std::to_string(warm.fds) + " -> " + std::to_string(fds_after) + ", slack " +
                                              std::to_string(kFdSlack) + ")");
  // Control: a request the mix never means to make (a session that does not exist) counts as an error.
  std::promise<long> control_errors;
  auto counted = control_errors.get_future();
  d.Do([&] {
    auto backend = std::make_shared<RelaisBackend>(d.ioc(), relais.http_port(), 1, std::chrono::seconds(5));
    auto nobody = std::make_shared<Account>(Account{"nobody", "relais_session=not-a-session", "x", ""});
    backend->Send(Call{kReads, "GET /api/v1/availability", boost::beast::http::verb::get, "/api/v1/availability", "", nobody.get()},
                  [&control_errors, backend, nobody](HttpAnswer a) {
                    Recorder control;
                    control.Add(kReads, "control", Clock::now(), Clock::now(), a.status, a.body);
                    backend->CloseAll();
                    control_errors.set_value(ClassTally(control, kReads).error);
                  });
    return 0;
  });
  expect(counted.get() == 1, "control: an unknown session is counted as an error");
  return failures == 0 ? 0 : 1;
}

Flags Parse(int argc, char** argv) {
  Flags f;
  auto list = [](const std::string& text) {
    std::vector<double> out;
    std::stringstream in(text);
    for (std::string item; std::getline(in, item, ',');) out.push_back(std::stod(item));
    return out;
  };
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    bool has = i + 1 < argc;
    if (a == "--rates" && has) f.rates = list(argv[++i]);
    else if (a == "--seconds" && has) f.seconds = std::stod(argv[++i]);
    else if (a == "--warmup-seconds" && has) f.warmup_seconds = std::stod(argv[++i]);
    else if (a == "--no-baseline") f.baseline = false;
    else if (a == "--keep-going") f.keep_going = true;
    else if (a == "--even") f.poisson = false;
    else if (a == "--seed" && has) f.seed = std::stoull(argv[++i]);
    else if (a == "--connections" && has) f.connections = std::stoi(argv[++i]);
    else if (a == "--timeout-ms" && has) f.timeout_ms = std::stoi(argv[++i]);
    else if (a == "--p99-limit-ms" && has) f.p99_limit_ms = std::stoi(argv[++i]);
    else if (a == "--follow-up-ms" && has) f.follow_up_ms = std::stoi(argv[++i]);
    else if (a == "--server-cpus" && has) f.server_cpus = argv[++i];
    else if (a == "--driver-cpu" && has) f.driver_cpu = std::stoi(argv[++i]);
    else if (a == "--soak-seconds" && has) f.soak_seconds = std::stod(argv[++i]);
    else if (a == "--rate" && has) f.soak_rate = std::stod(argv[++i]);
    else if (a == "--sample-seconds" && has) f.sample_seconds = std::stod(argv[++i]);
    else if (a == "--slope-limit-kib-min" && has) f.slope_limit_kib_min = std::stod(argv[++i]);
    else if (a == "--held-bytes-limit" && has) f.held_bytes_limit = std::stod(argv[++i]);
    else if (a == "--rss-growth-limit-mib" && has) f.rss_growth_limit_mib = std::stod(argv[++i]);
    else if (a == "--check") f.check = true;
    else {
      std::cerr << "usage: cold_night_load [--rates 50,100,...] [--seconds S] [--no-baseline] [--keep-going]\n"
                   "                       [--soak-seconds S --rate R [--sample-seconds N] [--slope-limit-kib-min L]\n"
                   "                        [--held-bytes-limit B] [--check [--rss-growth-limit-mib M]]]\n"
                   "                       [--even] [--seed N] [--connections C] [--timeout-ms T] [--p99-limit-ms L]\n"
                   "                       [--follow-up-ms F]\n"
                   "                       [--warmup-seconds W] [--server-cpus 0] [--driver-cpu 1]\n";
      std::exit(2);
    }
  }
  return f;
}

}  // namespace
}  // namespace relais::load

int main(int argc, char** argv) {
  using namespace relais::load;
  Flags f = Parse(argc, argv);
  relais::log::SetLevel(relais::log::Level::kWarn);
  signal(SIGPIPE, SIG_IGN);
  if (!f.server_cpus.empty()) {
    // Set before anything starts: redis-server, relais and the bare servers' threads inherit it.
    cpu_set_t set = CpuSet(f.server_cpus);
    sched_setaffinity(0, sizeof set, &set);
  }
  try {
    RelaisUnderLoad relais;
    std::printf("relais pid %d, redis-server pid %d (AOF, appendfsync always); %zu pools, "
                "%zu shelter keys, %zu operators; arrivals %s; servers on cpus [%s], driver on cpu %d\n",
                relais.relais_pid(), relais.redis_pid(),
                relais.world().pools.size(), relais.world().shelter_keys.size(), relais.world().operators.size(),
                f.poisson ? "Poisson" : "evenly spaced", f.server_cpus.empty() ? "any" : f.server_cpus.c_str(), f.driver_cpu);
    std::fflush(stdout);
    Driver driver(f.driver_cpu);
    return f.soak_seconds > 0 ? Soak(f, relais, driver) : Steps(f, relais, driver);
  } catch (const std::exception& e) {
    std::cerr << "cold_night_load: " << e.what() << "\n";
    return 1;
  }
}
