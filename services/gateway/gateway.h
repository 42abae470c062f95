#pragma once
// The gateway: Relais' HTTP/1.1 and WebSocket front door (Boost.Beast), after Beast's advanced server
// and chat-multi examples. A few threads run one io_context; each connection lives on its own strand;
// every read has a timeout; request bodies and headers have limits; pipelined requests are answered
// one at a time, in order; each WebSocket has a bounded write queue. Nothing on the event loop waits
// for Redis or gRPC: see api.h. SIGTERM/SIGINT stop it gracefully (Stop()).
//
//   /api/v1/...            the REST API (routes.h), /api/v1/openapi.json its OpenAPI document
//   /api/v1/live           WebSocket live updates (live.h)
//   /healthz /readyz       process up / Redis and every gRPC backend reachable
//   /metrics               Prometheus
//   anything else          the web pages (static_files.h)
#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/config.h"
#include "common/redis.h"
#include "common/work_pool.h"
#include "services/gateway/api.h"
#include "services/gateway/auth_api.h"
#include "services/gateway/auth_store.h"
#include "services/gateway/backends.h"
#include "services/gateway/http_types.h"
#include "services/gateway/live.h"
#include "services/gateway/read_cache.h"
#include "services/gateway/routes.h"

namespace relais::gateway {

struct GatewayOptions {
  std::string listen = "127.0.0.1:8080";   // port 0: any free port
  int threads = 2;                          // event-loop threads
  std::string web_root;                     // empty: the web/ folder of the source tree
  std::string tls_cert, tls_key;            // PEM files; both set: HTTPS and WSS only
  size_t body_limit = 64 * 1024;            // request body, bytes
  unsigned header_limit = 16 * 1024;        // request line and headers, bytes
  std::chrono::seconds read_timeout{15};    // a whole request (or an idle keep-alive connection)
  std::chrono::seconds write_timeout{30};
  int max_connections = 10000;
  JsonLimits json;
  size_t ws_message_limit = 4096;           // a message from a WebSocket client, bytes
  size_t ws_queue_limit = 256;              // messages waiting for a slow WebSocket client
  std::chrono::seconds ws_recheck{15};      // a live connection re-checks its session this often
  std::vector<std::string> allowed_origins; // origins besides the gateway's own
  bool cookie_secure = false;               // Secure cookies without TLS here (TLS ends at a proxy)
  std::chrono::milliseconds grpc_deadline{5000};
  std::chrono::milliseconds read_cache_max_age{1000};  // 0: every read goes to the service
  int workers = 8;                          // threads resolving sessions in Redis
  int max_pending = 4096;                   // requests waiting for them beyond this: 503
  std::map<std::string, std::string> targets;  // backend name -> gRPC address
  std::string region = "brussels";          // whose event stream feeds the live updates
  AuthOptions auth;
};

// Gateway flags (--http-listen, --web-root, --tls-cert, ...; --beds-target etc. when `with_targets`).
void AddGatewayOptions(po::options_description& options, GatewayOptions& gateway, bool with_targets);

class Gateway {
 public:
  // redis: for sessions and the event stream. Call InitCrypto() (password.h) once before.
  Gateway(GatewayOptions options, RedisPool& redis, const Clock& clock);
  ~Gateway();

  // Connects to the backends (all of them at `all_targets` when set: the all-in-one process), listens,
  // starts the threads. Throws std::runtime_error when it cannot listen or read the TLS files.
  void Start(const std::string& all_targets = "");
  // Stops accepting, closes live connections (1001), lets requests in flight finish (5 s at most).
  void Stop();
  int port() const { return port_; }
  bool tls() const;

  AuthStore& auth() { return auth_; }
  LiveHub& live() { return live_; }
  const RouteTable& routes() const { return routes_; }
  const GatewayOptions& options() const { return options_; }

  // Called by the HTTP sessions (http_server.cc).
  void Handle(Request request, Respond respond);
  bool IsLive(const std::string& path) const { return path == "/api/v1/live"; }
  Api& api() { return api_; }
  void Count(const Reply& reply, const std::string& method, std::chrono::steady_clock::time_point start);
  prometheus::Gauge& open_websockets() { return *open_websockets_; }
  prometheus::Counter& websocket_closed(const std::string& reason);
  std::atomic<int>& connections() { return connections_; }
  bool stopping() const { return stopping_.load(); }

  struct Impl;  // Beast and Asio objects (http_server.cc)

 private:
  Reply Metrics();
  void Ready(Respond respond);

  GatewayOptions options_;
  RedisPool& redis_;
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Histogram>& latency_;
  prometheus::Family<prometheus::Counter>& ws_closed_;
  prometheus::Gauge* open_websockets_;
  RouteTable routes_;
  AuthStore auth_;
  WorkPool work_;
  WorkPool local_work_;
  Backends backends_;
  ReadCache cache_;
  LiveHub live_;
  AuthApi auth_api_;
  Api api_;
  std::string openapi_;
  std::shared_ptr<Impl> impl_;
  int port_ = 0;
  std::atomic<int> connections_{0};
  std::atomic<bool> stopping_{false};
  bool stopped_ = false;
};

}  // namespace relais::gateway
