#include "services/gateway/gateway.h"

#include <prometheus/text_serializer.h>

#include "absl/strings/str_split.h"
#include "common/heap_metrics.h"
#include "common/log.h"
#include "common/region_keys.h"
#include "services/gateway/openapi.h"
#include "services/gateway/static_files.h"

#ifndef RELAIS_WEB_ROOT
#define RELAIS_WEB_ROOT "services/gateway/web"
#endif

namespace relais::gateway {
namespace {

Reply Json(int status, std::string body, std::string route) {
  Reply r;
  r.status = status;
  r.body = std::move(body);
  r.route = std::move(route);
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

}  // namespace

void AddGatewayOptions(po::options_description& options, GatewayOptions& g, bool with_targets) {
  auto seconds = [](std::chrono::seconds& target) {
    return po::value<int>()->default_value(static_cast<int>(target.count()))->notifier([&target](int s) {
      target = std::chrono::seconds(s);
    });
  };
  options.add_options()
      ("http-listen", po::value(&g.listen)->default_value(g.listen), "HTTP and WebSocket address (host:port)")
      ("http-threads", po::value(&g.threads)->default_value(g.threads), "event-loop threads")
      ("web-root", po::value(&g.web_root)->default_value(""), "folder of the web pages (default: the source tree's)")
      ("tls-cert", po::value(&g.tls_cert)->default_value(""), "PEM certificate chain: with --tls-key, HTTPS only")
      ("tls-key", po::value(&g.tls_key)->default_value(""), "PEM private key")
      ("http-body-limit", po::value(&g.body_limit)->default_value(g.body_limit), "largest request body, bytes")
      ("http-header-limit", po::value(&g.header_limit)->default_value(g.header_limit),
       "largest request line and headers, bytes")
      ("http-read-timeout", seconds(g.read_timeout), "seconds to receive a whole request (and idle keep-alive)")
      ("http-max-connections", po::value(&g.max_connections)->default_value(g.max_connections),
       "connections beyond this are closed at once")
      ("json-max-depth", po::value(&g.json.max_depth)->default_value(g.json.max_depth), "deepest JSON nesting accepted")
      ("json-max-string", po::value(&g.json.max_string_bytes)->default_value(g.json.max_string_bytes),
       "longest JSON string accepted, bytes")
      ("ws-message-limit", po::value(&g.ws_message_limit)->default_value(g.ws_message_limit),
       "largest WebSocket message from a client, bytes")
      ("ws-queue-limit", po::value(&g.ws_queue_limit)->default_value(g.ws_queue_limit),
       "messages queued for a slow WebSocket client before it is dropped (close 4002)")
      ("ws-recheck", seconds(g.ws_recheck), "seconds between re-checks of a live connection's session")
      ("allowed-origins", po::value<std::string>()->default_value("")->notifier([&g](const std::string& s) {
         g.allowed_origins = absl::StrSplit(s, ',', absl::SkipEmpty());
       }), "comma-separated origins allowed besides the gateway's own (e.g. https://relais.example)")
      ("cookie-secure", po::bool_switch(&g.cookie_secure), "Secure cookies although TLS ends before the gateway")
      ("grpc-deadline-ms", po::value<int>()->default_value(static_cast<int>(g.grpc_deadline.count()))->notifier([&g](int ms) {
         g.grpc_deadline = std::chrono::milliseconds(ms);
       }), "deadline of every call to a service")
      ("read-cache-ms", po::value<int>()->default_value(static_cast<int>(g.read_cache_max_age.count()))->notifier([&g](int ms) {
         g.read_cache_max_age = std::chrono::milliseconds(ms);
       }), "the bed board, region summary and directory are answered from memory for at most this long, "
           "and never after a change (0: off)")
      ("gateway-workers", po::value(&g.workers)->default_value(g.workers), "threads resolving sessions in Redis")
      ("session-minutes", po::value<int>()->default_value(static_cast<int>(g.auth.session_lifetime.count()))->notifier([&g](int m) {
         g.auth.session_lifetime = std::chrono::minutes(m);
       }), "lifetime of a session")
      ("login-attempts-per-account", po::value(&g.auth.max_attempts_per_account)->default_value(g.auth.max_attempts_per_account),
       "sign-in attempts per account per 15 minutes")
      ("login-attempts-per-address", po::value(&g.auth.max_attempts_per_address)->default_value(g.auth.max_attempts_per_address),
       "sign-in attempts per client address per 15 minutes");
  if (with_targets) {
    for (const Backend& b : AllBackends()) {
      if (b.local) continue;
      std::string name(b.name);
      options.add_options()((name + "-target").c_str(),
                            po::value<std::string>()->default_value(std::string(b.default_target))->notifier(
                                [&g, name](const std::string& t) { g.targets[name] = t; }),
                            ("gRPC address of the " + name + " service").c_str());
    }
  }
}

Gateway::Gateway(GatewayOptions options, RedisPool& redis, const Clock& clock)
    : options_(std::move(options)),
      redis_(redis),
      registry_(std::make_shared<prometheus::Registry>()),
      requests_(prometheus::BuildCounter()
                    .Name("relais_http_requests_total")
                    .Help("HTTP requests answered, by route template, method and status")
                    .Register(*registry_)),
      latency_(prometheus::BuildHistogram()
                   .Name("relais_http_request_seconds")
                   .Help("HTTP request duration, by route template")
                   .Register(*registry_)),
      ws_closed_(prometheus::BuildCounter()
                     .Name("relais_websocket_closed_total")
                     .Help("WebSocket connections closed by the gateway, by reason")
                     .Register(*registry_)),
      open_websockets_(&prometheus::BuildGauge()
                            .Name("relais_websocket_open")
                            .Help("WebSocket connections open")
                            .Register(*registry_)
                            .Add({})),
      auth_(redis, clock, options_.auth),
      work_(options_.workers, options_.max_pending),
      local_work_(2, 64),
      backends_(options_.grpc_deadline),
      cache_(options_.read_cache_max_age),
      live_(redis, RegionKeys(options_.region).Events(), [this] { cache_.Invalidate(); }),
      auth_api_(auth_, options_.cookie_secure,
                [this](const std::string& user, const std::string& session) { live_.EndSessions(user, session); }),
      api_(routes_, auth_, auth_api_, backends_, work_, local_work_, cache_,
           ApiOptions{options_.json, options_.cookie_secure, options_.allowed_origins}),
      openapi_(OpenApiJson(routes_)) {
  if (options_.web_root.empty()) options_.web_root = RELAIS_WEB_ROOT;
}

prometheus::Counter& Gateway::websocket_closed(const std::string& reason) { return ws_closed_.Add({{"reason", reason}}); }

void Gateway::Count(const Reply& reply, const std::string& method, std::chrono::steady_clock::time_point start) {
  static const prometheus::Histogram::BucketBoundaries kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                                    0.05,   0.1,   0.25,   0.5,   1.0,  5.0};
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  requests_.Add({{"route", reply.route}, {"method", method}, {"code", std::to_string(reply.status)}}).Increment();
  latency_.Add({{"route", reply.route}}, kBuckets).Observe(seconds);
}

Reply Gateway::Metrics() {
  Reply r;
  r.route = "/metrics";
  r.content_type = "text/plain; version=0.0.4";
  auto families = registry_->Collect();
  for (auto& family : HeapMetrics().Collect()) families.push_back(std::move(family));  // this process' heap
  r.body = prometheus::TextSerializer().Serialize(families);
  return r;
}

void Gateway::Ready(Respond respond) {
  bool queued = work_.TrySubmit([this, respond] {
    bool redis_ok = redis_.Command({"PING"}).ok();
    backends_.CheckHealth([redis_ok, respond](bool all, const std::string& failing) {
      if (redis_ok && all) {
        respond(Json(200, R"({"status":"ready"})", "/readyz"));
        return;
      }
      std::string what = redis_ok ? "" : "redis";
      if (!failing.empty()) what += (what.empty() ? "" : ",") + failing;
      Reply r = Json(503, ErrorJson(14, "not ready: " + what), "/readyz");
      respond(std::move(r));
    });
  });
  if (!queued) respond(Json(503, ErrorJson(14, "overloaded"), "/readyz"));
}

void Gateway::Handle(Request request, Respond respond) {
  std::string path = request.Path();
  if (path == "/healthz") return respond(Json(200, R"({"status":"up"})", "/healthz"));
  if (path == "/readyz") return Ready(std::move(respond));
  if (path == "/metrics") return respond(Metrics());
  if (path == "/api/v1/openapi.json") {
    Reply r = Json(200, openapi_, "/api/v1/openapi.json");
    r.headers = {{"Cache-Control", "no-cache"}};
    return respond(std::move(r));
  }
  if (path.rfind("/api/", 0) == 0) {
    auto verb = ParseVerb(request.method);
    Match match = verb ? routes_.Find(*verb, path) : routes_.Find(Verb::kGet, path);
    if (!verb || !match.route) {
      Reply r;
      if (match.path_matched) {
        r = Api::Error(3, "method: " + request.method + " is not allowed here (allowed: " + match.allow + ")");
        r.status = 405;
        r.headers.emplace_back("Allow", match.allow);
      } else {
        r = Api::Error(5, "no such endpoint; see /api/v1/openapi.json");
      }
      r.route = "unmatched";
      return respond(std::move(r));
    }
    return api_.Handle(std::move(request), match, std::move(respond));
  }
  if (request.method != "GET" && request.method != "HEAD") {
    Reply r = Api::Error(3, "method: the web pages are read with GET");
    r.status = 405;
    r.headers.emplace_back("Allow", "GET, HEAD");
    r.route = "static";
    return respond(std::move(r));
  }
  respond(ServeStatic(options_.web_root, request));
}

}  // namespace relais::gateway
