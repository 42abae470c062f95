// Gateway benchmarks, each against a baseline measured in the same run:
//  1. Bed board reads (GET /api/v1/availability, signed in, the Brussels demo directory: 42 pools)
//     through the whole gateway (session lookup in Redis, gRPC to the beds service, JSON mapping) against
//     a bare Beast server answering the very same bytes, same number of event-loop threads. Load tool:
//     wrk (Debian), closed loop, keep-alive.
//  2. Live-update latency: 100 WebSocket clients signed in as operators follow the bed board; a shelter
//     declares its figures every 20 ms; the time from just before the change request to its arrival at
//     each client, p50/p99 over every (change, client).
//
// Usage: gateway_bench [--seconds S] [--rounds R] [--connections C] [--workers W] [--clients N] [--changes M]
//                      [--skip-reads] [--pin-wrk CPU]
// To keep the load tool off the servers' core: taskset -c 0 gateway_bench --pin-wrk 1
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>

#include "common/log.h"
#include "common/random_id.h"
#include "loadtests/bare_http.h"
#include "loadtests/driver.h"
#include "tests/support/gateway_harness.h"

namespace {

using namespace relais;
using namespace relais::testing;
namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

struct WrkResult {
  double rps = 0, p50_ms = 0, p99_ms = 0;
  long non2xx = 0;
  std::string raw;
};

double ToMs(const std::string& v) {
  double x = std::atof(v.c_str());
  if (v.find("us") != std::string::npos) return x / 1000;
  if (v.find("ms") != std::string::npos) return x;
  if (v.find('s') != std::string::npos) return x * 1000;
  return x;
}

std::string g_wrk_prefix;  // "taskset -c 1 " with --pin-wrk

WrkResult Wrk(int port, const std::string& path, const std::string& cookie, int connections, int seconds) {
  std::string cmd = g_wrk_prefix + "wrk --latency -t2 -c" + std::to_string(connections) + " -d" + std::to_string(seconds) + "s" +
                    (cookie.empty() ? std::string() : " -H 'Cookie: " + cookie + "'") + " http://127.0.0.1:" +
                    std::to_string(port) + path + " 2>&1";
  WrkResult r;
  FILE* pipe = popen(cmd.c_str(), "r");
  char buf[512];
  while (pipe && fgets(buf, sizeof buf, pipe)) r.raw += buf;
  if (pipe) pclose(pipe);
  std::istringstream in(r.raw);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string a, b;
    words >> a >> b;
    if (a == "Requests/sec:") r.rps = std::atof(b.c_str());
    if (a == "50%") r.p50_ms = ToMs(b);
    if (a == "99%") r.p99_ms = ToMs(b);
    if (a == "Non-2xx") {
      std::string c, d;
      words >> c >> d;
      r.non2xx = std::atol(d.c_str());
    }
  }
  return r;
}

void LoadDirectory(GatewayHarness& h) {
  std::ifstream in(RELAIS_DEMO_FILE);
  std::stringstream text;
  text << in.rdbuf();
  relais::v1::DirectoryImport dir;
  if (!google::protobuf::util::JsonStringToMessage(text.str(), &dir).ok()) throw std::runtime_error("demo file");
  for (const auto& s : dir.shelters()) {
    relais::v1::CreateShelterRequest req;
    *req.mutable_shelter() = s;
    req.set_idempotency_key(RandomId("k-"));
    relais::v1::CreateShelterResponse resp;
    h.services().stub().CreateShelter(Harness::As(Admin()).get(), req, &resp);
  }
  for (auto p : dir.pools()) {
    p.set_idempotency_key(RandomId("k-"));
    relais::v1::DeclarePoolResponse resp;
    h.services().stub().DeclarePool(Harness::As(Admin()).get(), p, &resp);
  }
}

}  // namespace

int main(int argc, char** argv) {
  int seconds = 10, connections = 64, clients = 100, changes = 200, workers = 4, rounds = 3;
  bool skip_reads = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&] { return i + 1 < argc ? std::atoi(argv[++i]) : 0; };
    if (a == "--seconds") seconds = next();
    if (a == "--connections") connections = next();
    if (a == "--clients") clients = next();
    if (a == "--changes") changes = next();
    if (a == "--workers") workers = next();
    if (a == "--rounds") rounds = next();
    if (a == "--skip-reads") skip_reads = true;
    if (a == "--pin-wrk") g_wrk_prefix = "taskset -c " + std::to_string(next()) + " ";
  }
  relais::log::SetLevel(relais::log::Level::kWarn);
  RedisServer redis;
  GatewayHarness h(redis, [workers](gateway::GatewayOptions& o) {
    o.workers = workers;
    o.auth.max_attempts_per_account = 100000;
    o.auth.max_attempts_per_address = 100000;
  });
  LoadDirectory(h);
  h.AddUser("bench-operator", "operator");
  h.AddUser("bench-shelter", "shelter", {"samusocial-poincare"});
  HttpClient op = h.SignedIn("bench-operator");
  auto board = op.Get("/api/v1/availability");
  std::cout << "bed board: " << board.status << ", " << board.body.size() << " bytes\n";

  if (!skip_reads) {
    bench::BareHttpServer bare({}, board.body, h.gateway().options().threads);
    // Alternate baseline and gateway, so that whatever else the machine does weighs on both alike.
    std::vector<double> ratios;
    for (int run = 1; run <= rounds; ++run) {
      WrkResult base = Wrk(bare.port(), "/api/v1/availability", "", connections, seconds);
      WrkResult gw = Wrk(h.port(), "/api/v1/availability", op.cookie, connections, seconds);
      double ratio = base.rps > 0 ? gw.rps / base.rps : 0;
      ratios.push_back(ratio);
      std::printf("| %d | bare Beast, fixed body (the same bytes) | %d | %.0f | %.2f | %.2f | %ld | 1.00 |\n", run,
                  connections, base.rps, base.p50_ms, base.p99_ms, base.non2xx);
      std::printf("| %d | gateway GET /api/v1/availability, signed in | %d | %.0f | %.2f | %.2f | %ld | %.2f |\n", run,
                  connections, gw.rps, gw.p50_ms, gw.p99_ms, gw.non2xx, ratio);
      if (base.rps == 0 || gw.rps == 0) std::cerr << base.raw << gw.raw;
      std::fflush(stdout);
    }
    std::sort(ratios.begin(), ratios.end());
    std::printf("median ratio gateway / bare: %.2f\n", ratios[ratios.size() / 2]);
    // Where the time goes: the same path without a session to look up (the public directory, cached).
    WrkResult pub = Wrk(h.port(), "/api/v1/shelters", "", connections, seconds);
    std::printf("| - | gateway GET /api/v1/shelters, nobody signed in (no Redis lookup) | %d | %.0f | %.2f | %.2f | %ld | - |\n",
                connections, pub.rps, pub.p50_ms, pub.p99_ms, pub.non2xx);
  }

  // ---- Live-update latency ----
  std::string origin = "http://127.0.0.1:" + std::to_string(h.port());
  std::vector<std::unique_ptr<LiveClient>> live;
  for (int i = 0; i < clients; ++i) {
    HttpClient c = h.SignedIn("bench-operator");
    live.push_back(std::make_unique<LiveClient>(h.port(), "/api/v1/live?topics=beds",
                                                std::map<std::string, std::string>{{"Cookie", c.cookie}, {"Origin", origin}}));
    live.back()->Read(std::chrono::seconds(5));  // hello
    live.back()->Read(std::chrono::seconds(5));  // subscribed
  }
  std::vector<bench::Clock::time_point> sent(changes);
  std::mutex mu;
  std::vector<double> latencies;
  int missing = 0;
  std::vector<std::thread> readers;
  for (int i = 0; i < clients; ++i) {
    readers.emplace_back([&, i] {
      int got = 0;
      while (got < changes) {
        auto m = live[i]->Read(std::chrono::seconds(10));
        if (!m) break;
        auto now = bench::Clock::now();
        int seq = std::atoi(JsonField(*m, "places_in_service").c_str()) - 1000;
        if (seq < 0 || seq >= changes) continue;
        ++got;
        std::lock_guard lock(mu);
        latencies.push_back(std::chrono::duration<double, std::milli>(now - sent[seq]).count());
      }
      std::lock_guard lock(mu);
      missing += changes - got;
    });
  }
  HttpClient shelter = h.SignedIn("bench-shelter");
  for (int seq = 0; seq < changes; ++seq) {
    {
      std::lock_guard lock(mu);
      sent[seq] = bench::Clock::now();
    }
    auto r = shelter.Put("/api/v1/shelters/samusocial-poincare/pools/single_men",
                         R"({"figures":{"places_in_service":)" + std::to_string(1000 + seq) + R"(},"idempotency_key":")" +
                             RandomId("k-") + "\"}");
    if (r.status != 200) std::cerr << "change " << seq << ": " << r.status << " " << r.body << "\n";
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  for (auto& t : readers) t.join();
  std::sort(latencies.begin(), latencies.end());
  std::printf("live | %d clients | %d changes | %zu deliveries | p50 %.2f ms | p99 %.2f ms | max %.2f ms | missing %d |\n",
              clients, changes, latencies.size(), bench::Percentile(latencies, 0.5), bench::Percentile(latencies, 0.99),
              latencies.empty() ? 0.0 : latencies.back(), missing);
  return 0;
}
