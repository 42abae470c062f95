#include "loadtests/cold_night.h"

#include <boost/asio/post.hpp>
#include <boost/beast/http/field.hpp>
#include <cctype>
#include <ctime>

#include "tests/support/http_client.h"

namespace relais::load {

namespace net = boost::asio;
namespace http = boost::beast::http;
using testing::JsonField;

namespace {

std::shared_ptr<HttpRequest> ToHttp(const Call& call, const std::string& target) {
  auto req = std::make_shared<HttpRequest>(call.verb, target, 11);
  if (call.as) {
    if (!call.as->cookie.empty()) req->set(http::field::cookie, call.as->cookie);
    if (!call.as->csrf.empty() && call.verb != http::verb::get) req->set("X-CSRF-Token", call.as->csrf);
    if (!call.as->bearer.empty()) req->set(http::field::authorization, "Bearer " + call.as->bearer);
  }
  if (!call.body.empty()) {
    req->set(http::field::content_type, "application/json");
    req->body() = call.body;
  }
  return req;
}

// The HTTP status the gateway gives a gRPC code (google/rpc/code.proto, as README's table).
int HttpStatusOf(const grpc::Status& s) {
  switch (s.error_code()) {
    case grpc::StatusCode::OK: return 200;
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::OUT_OF_RANGE: return 400;
    case grpc::StatusCode::UNAUTHENTICATED: return 401;
    case grpc::StatusCode::PERMISSION_DENIED: return 403;
    case grpc::StatusCode::NOT_FOUND: return 404;
    case grpc::StatusCode::ALREADY_EXISTS:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::ABORTED: return 409;
    case grpc::StatusCode::RESOURCE_EXHAUSTED: return 429;
    case grpc::StatusCode::UNAVAILABLE: return 503;
    case grpc::StatusCode::DEADLINE_EXCEEDED: return 504;
    default: return 500;
  }
}

std::string Pick(std::mt19937_64& rng, const std::vector<std::string>& v) {
  return v[std::uniform_int_distribution<size_t>(0, v.size() - 1)(rng)];
}

}  // namespace

std::string MonthOf(std::chrono::system_clock::time_point t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm utc{};
  gmtime_r(&secs, &utc);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m", &utc);
  return buf;
}

// ---- Relais ----

RelaisBackend::RelaisBackend(net::io_context& ioc, int http_port, int max_connections, std::chrono::milliseconds timeout)
    : http_(ioc, http_port, max_connections, timeout) {}

void RelaisBackend::Send(const Call& call, std::function<void(HttpAnswer)> done) {
  http_.Send(ToHttp(call, call.target), [this, route = call.route, done = std::move(done)](HttpAnswer a) {
    if (a.status == 200 && !recorded_.count(route)) recorded_[route] = a.body;
    done(std::move(a));
  });
}

// ---- The bare baseline ----

std::string BareBackend::TargetFor(const std::string& route) {
  std::string t = "/bare/";
  for (char c : route) t += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return t;
}

std::map<std::string, std::string> BareBackend::BodiesByTarget(const std::map<std::string, std::string>& recorded) {
  std::map<std::string, std::string> out;
  for (const auto& [route, body] : recorded) out[TargetFor(route)] = body;
  return out;
}

BareBackend::BareBackend(net::io_context& ioc, int http_port, int grpc_port, std::map<std::string, std::string> recorded,
                         int max_connections, std::chrono::milliseconds timeout)
    : ioc_(ioc), http_(ioc, http_port, max_connections, timeout), recorded_(std::move(recorded)), timeout_(timeout) {
  for (int i = 0; i < 8; ++i) {  // several connections, as the gateway's channels to its services
    grpc::ChannelArguments args;
    args.SetInt("relais.load.channel", i);
    stubs_.push_back(grpc::health::v1::Health::NewStub(grpc::CreateCustomChannel(
        "127.0.0.1:" + std::to_string(grpc_port), grpc::InsecureChannelCredentials(), args)));
  }
}

void BareBackend::Send(const Call& call, std::function<void(HttpAnswer)> done) {
  if (call.verb == http::verb::get) {
    http_.Send(ToHttp(call, TargetFor(call.route)), std::move(done));
    return;
  }
  struct State {
    grpc::ClientContext ctx;
    grpc::health::v1::HealthCheckRequest req;
    grpc::health::v1::HealthCheckResponse resp;
  };
  auto st = std::make_shared<State>();
  st->ctx.set_deadline(std::chrono::system_clock::now() + timeout_);
  auto it = recorded_.find(call.route);
  std::string body = it == recorded_.end() ? "" : it->second;
  auto& stub = stubs_[next_stub_++ % stubs_.size()];
  stub->async()->Check(&st->ctx, &st->req, &st->resp,
                       [this, st, body = std::move(body), done = std::move(done)](grpc::Status s) mutable {
                         net::post(ioc_, [st, s, body = std::move(body), done = std::move(done)]() mutable {
                           done(HttpAnswer{HttpStatusOf(s), s.ok() ? std::move(body) : "", s.error_message()});
                         });
                       });
}

// ---- The mix ----

// Independent operations per request of the mix (see the header): reads 0.29; a flow starts 0.08 of the
// time and brings 5 requests, then an arrival and a departure (0.40 + 0.16); confirmations 0.04; a
// street report 0.02 with 4 advances (0.10); monitoring 0.01. Together 0.44 operations per request.
namespace {
enum class Op { kRead, kFlow, kConfirm, kReport, kMonitoring };
struct OpWeight {
  Op op;
  double per_request;
};
constexpr OpWeight kOps[] = {{Op::kRead, 0.29}, {Op::kFlow, 0.08}, {Op::kConfirm, 0.04}, {Op::kReport, 0.02},
                             {Op::kMonitoring, 0.01}};
constexpr double kOpsPerRequest = 0.29 + 0.08 + 0.04 + 0.02 + 0.01;
}  // namespace

Mix::Mix(net::io_context& ioc, Backend& backend, const World& world, Recorder& rec, MixOptions o)
    : ioc_(ioc),
      backend_(backend),
      world_(world),
      rec_(rec),
      o_(o),
      arrivals_(o.rate * kOpsPerRequest, o.poisson, o.seed),
      pick_(o.seed * 7919 + 1),
      detail_(o.seed * 104729 + 3),
      timer_(ioc) {}

void Mix::Start(std::function<void()> finished) {
  finished_ = std::move(finished);
  start_ = Clock::now() + std::chrono::milliseconds(20);
  end_ = start_ + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o_.seconds));
  rec_.SetWindow(start_, end_);
  ScheduleNext();
}

void Mix::ScheduleNext() {
  Clock::time_point at = start_ + arrivals_.Next();
  if (at >= end_ || stopping_) {
    arrivals_done_ = true;
    MaybeFinish();
    return;
  }
  timer_.expires_at(at);
  timer_.async_wait([this, at](boost::system::error_code) {
    Launch(at);
    ScheduleNext();
  });
}

void Mix::Launch(Clock::time_point intended) {
  rec_.AddLag(Clock::now() - intended);
  double x = std::uniform_real_distribution<double>(0, kOpsPerRequest)(pick_);
  Op op = Op::kRead;
  for (const auto& w : kOps) {
    op = w.op;
    if (x < w.per_request) break;
    x -= w.per_request;
  }
  switch (op) {
    case Op::kRead: return Read(intended);
    case Op::kFlow: return Flow(intended);
    case Op::kConfirm: return Confirm(intended);
    case Op::kReport: return Report(intended);
    case Op::kMonitoring:
      if (backend_.Serves(kMonitoring)) MonthlyReport(intended);
      return;
  }
}

void Mix::Send(Call call, Clock::time_point intended, Then then) {
  ++outstanding_;
  auto cls = call.cls;
  auto route = call.route;
  backend_.Send(call, [this, cls, route, intended, then = std::move(then)](HttpAnswer a) {
    auto answered = Clock::now();
    rec_.Add(cls, route, intended, answered, a.status, a.status == 0 ? a.error : a.body, a.timed_out);
    if (then && a.status >= 200 && a.status < 300) then(a, answered);
    --outstanding_;
    MaybeFinish();
  });
}

void Mix::At(Clock::time_point when, std::function<void(Clock::time_point)> fn) {
  ++outstanding_;
  auto timer = std::make_shared<net::steady_timer>(ioc_, when);
  timer->async_wait([this, timer, when, fn = std::move(fn)](boost::system::error_code) {
    rec_.AddLag(Clock::now() - when);
    fn(when);
    --outstanding_;
    MaybeFinish();
  });
}

void Mix::MaybeFinish() {
  if (arrivals_done_ && outstanding_ == 0 && finished_) std::exchange(finished_, {})();
}

std::string Mix::Key() { return "load-" + std::to_string(o_.seed) + "-" + std::to_string(++keys_); }

const Account& Mix::Operator() {
  return world_.operators[std::uniform_int_distribution<size_t>(0, world_.operators.size() - 1)(detail_)];
}

void Mix::Read(Clock::time_point intended) {
  static const std::pair<const char*, const char*> kReadsOf[] = {
      {"GET /api/v1/availability", "/api/v1/availability"},
      {"GET /api/v1/queue", "/api/v1/queue"},
      {"GET /api/v1/calls?list=CALL_LIST_WAITING", "/api/v1/calls?list=CALL_LIST_WAITING"},
      {"GET /api/v1/workshop/priority-places", "/api/v1/workshop/priority-places"},
  };
  const auto& [route, target] = kReadsOf[std::uniform_int_distribution<int>(0, 3)(detail_)];
  Send({kReads, route, http::verb::get, target, "", &Operator()}, intended);
}

void Mix::Flow(Clock::time_point intended) {
  // Who called: mostly single men, as in the shelters' figures; some women alone, some families.
  int who = std::uniform_int_distribution<int>(0, 99)(detail_);
  static const char* kAges[] = {"AGE_BAND_18_25", "AGE_BAND_26_45", "AGE_BAND_46_64"};
  std::string age = kAges[std::uniform_int_distribution<int>(0, 2)(detail_)];
  std::string person =
      who < 80   ? R"({"age_band":")" + age + R"(","gender":"GENDER_MAN","household":{"adults":1},"languages":["fr"]})"
      : who < 92 ? R"({"age_band":")" + age + R"(","gender":"GENDER_WOMAN","household":{"adults":1},"languages":["nl"]})"
                 : R"({"age_band":"AGE_BAND_26_45","gender":"GENDER_WOMAN","household":{"adults":1,"children":2},"languages":["en"]})";
  const Account* op = &Operator();
  Send({kHolds, "POST /api/v1/persons", http::verb::post, "/api/v1/persons",
        R"({"person":)" + person + R"(,"idempotency_key":")" + Key() + "\"}", op},
       intended, [this, op](const HttpAnswer& a, Clock::time_point t) { FlowRequest(op, JsonField(a.body, "id"), t); });
}

void Mix::FlowRequest(const Account* op, std::string person_id, Clock::time_point intended) {
  Send({kHolds, "POST /api/v1/requests", http::verb::post, "/api/v1/requests",
        R"({"person_id":")" + person_id + R"(","idempotency_key":")" + Key() + "\"}", op},
       intended, [this, op](const HttpAnswer& a, Clock::time_point t) { FlowCandidates(op, JsonField(a.body, "id"), t); });
}

void Mix::FlowCandidates(const Account* op, std::string request_id, Clock::time_point intended) {
  Send({kHolds, "GET /api/v1/requests/{id}/candidates", http::verb::get,
        "/api/v1/requests/" + request_id + "/candidates?limit=3", "", op},
       intended, [this, op, request_id](const HttpAnswer& a, Clock::time_point t) {
         // The person picks one of the three best places (not everyone the same one).
         std::vector<std::string> pools;
         for (size_t at = a.body.find("\"candidates\""); at != std::string::npos; ++at) {
           at = a.body.find("\"pool_id\":\"", at);
           if (at == std::string::npos) break;
           pools.push_back(JsonField(a.body.substr(at, 200), "pool_id"));
         }
         if (pools.empty()) {
           rec_.Count("flows without a fitting place (the request waits in the queue)");
           return;
         }
         FlowPropose(op, request_id, Pick(detail_, pools), t);
       });
}

void Mix::FlowPropose(const Account* op, std::string request_id, std::string pool_id, Clock::time_point intended) {
  Send({kHolds, "POST /api/v1/requests/{id}/proposals", http::verb::post, "/api/v1/requests/" + request_id + "/proposals",
        R"({"pool_id":")" + pool_id + R"(","idempotency_key":")" + Key() + "\"}", op},
       intended, [this, op](const HttpAnswer& a, Clock::time_point t) { FlowAccept(op, JsonField(a.body, "id"), t); });
}

void Mix::FlowAccept(const Account* op, std::string proposal_id, Clock::time_point intended) {
  Send({kHolds, "POST /api/v1/proposals/{id}/accept", http::verb::post, "/api/v1/proposals/" + proposal_id + "/accept",
        R"({"idempotency_key":")" + Key() + "\"}", op},
       intended, [this](const HttpAnswer& a, Clock::time_point t) {
         std::string hold = JsonField(a.body, "hold_id");
         if (hold.empty()) {
           rec_.Count("accepts that found the place gone (the next place is offered)");
           return;
         }
         rec_.Count("places held");
         At(t + o_.follow_up, [this, hold](Clock::time_point when) { Arrival(hold, when); });
       });
}

void Mix::Arrival(std::string hold_id, Clock::time_point intended) {
  std::string shelter = hold_id.substr(0, hold_id.find(':'));
  auto key = world_.shelter_keys.find(shelter);
  if (key == world_.shelter_keys.end()) return;
  std::string pool = hold_id.substr(0, hold_id.rfind(':'));
  Send({kShelter, "POST /api/v1/holds/{id}/arrival", http::verb::post, "/api/v1/holds/" + hold_id + "/arrival",
        R"({"idempotency_key":")" + Key() + "\"}", &key->second},
       intended, [this, pool](const HttpAnswer&, Clock::time_point t) {
         At(t + o_.follow_up, [this, pool](Clock::time_point when) { Departure(pool, when); });
       });
}

void Mix::Departure(std::string pool_id, Clock::time_point intended) {
  const Account& key = world_.shelter_keys.at(pool_id.substr(0, pool_id.find(':')));
  Send({kShelter, "POST /api/v1/pools/{id}/departures", http::verb::post, "/api/v1/pools/" + pool_id + "/departures",
        R"({"idempotency_key":")" + Key() + "\"}", &key},
       intended);
}

void Mix::Confirm(Clock::time_point intended) {
  std::string pool = Pick(detail_, world_.pools);
  const Account& key = world_.shelter_keys.at(pool.substr(0, pool.find(':')));
  Send({kShelter, "POST /api/v1/pools/{id}/confirm", http::verb::post, "/api/v1/pools/" + pool + "/confirm",
        R"({"idempotency_key":")" + Key() + "\"}", &key},
       intended);
}

void Mix::Report(Clock::time_point intended) {
  static const char* kReporters[] = {"REPORTER_KIND_CITIZEN", "REPORTER_KIND_POLICE", "REPORTER_KIND_PUBLIC_TRANSPORT",
                                     "REPORTER_KIND_SERVICE"};
  // A cold night: most reports ask for help or transport (the maraude), some for street work.
  static const char* kNeeds[] = {"STREET_NEED_HELP", "STREET_NEED_TRANSPORT_TO_SHELTER", "STREET_NEED_CARE",
                                 "STREET_NEED_ACCOMPANIMENT"};
  std::string body = std::string(R"({"report":{"reporter_kind":")") +
                     kReporters[std::uniform_int_distribution<int>(0, 3)(detail_)] + R"(","commune":")" +
                     Pick(detail_, world_.communes) + R"(","address":"Rue de la Loi )" +
                     std::to_string(std::uniform_int_distribution<int>(1, 99999)(detail_)) +
                     R"(","seen":["OBSERVATION_SLEEPING_OUTSIDE","OBSERVATION_COLD_EXPOSURE"],"needs":[")" +
                     kNeeds[std::uniform_int_distribution<int>(0, 3)(detail_)] + R"("]},"idempotency_key":")" + Key() +
                     "\"}";
  Send({kReports, "POST /api/v1/street-reports", http::verb::post, "/api/v1/street-reports", body, &Operator()},
       intended, [this](const HttpAnswer& a, Clock::time_point t) {
         std::string id = JsonField(a.body, "id");
         std::string team = JsonField(a.body, "team");
         At(t + o_.follow_up, [this, id, team](Clock::time_point when) { Advance(id, team, 0, when); });
       });
}

void Mix::Advance(std::string report_id, std::string team, int step, Clock::time_point intended) {
  static const char* kSteps[] = {R"("state":"STREET_REPORT_STATE_ASSIGNED")", R"("state":"STREET_REPORT_STATE_ON_THE_WAY")",
                                 R"("state":"STREET_REPORT_STATE_FOUND")",
                                 R"("state":"STREET_REPORT_STATE_CLOSED","outcome":"STREET_OUTCOME_TRANSPORTED_TO_SHELTER")"};
  auto account = world_.teams.find(team);
  if (account == world_.teams.end()) return;
  Send({kReports, "POST /api/v1/street-reports/{id}/advance", http::verb::post,
        "/api/v1/street-reports/" + report_id + "/advance",
        std::string("{") + kSteps[step] + R"(,"idempotency_key":")" + Key() + "\"}", &account->second},
       intended, [this, report_id, team, step](const HttpAnswer&, Clock::time_point t) {
         if (step + 1 < 4) {
           At(t + o_.follow_up, [this, report_id, team, step](Clock::time_point when) {
             Advance(report_id, team, step + 1, when);
           });
         }
       });
}

void Mix::MonthlyReport(Clock::time_point intended) {
  switch (std::uniform_int_distribution<int>(0, 2)(detail_)) {
    case 0:
      Send({kMonitoring, "GET /api/v1/monitoring/reports/{month}", http::verb::get,
            "/api/v1/monitoring/reports/" + world_.month, "", &world_.monitoring},
           intended);
      return;
    case 1:
      Send({kMonitoring, "GET /api/v1/monitoring/status", http::verb::get, "/api/v1/monitoring/status", "",
            &world_.monitoring},
           intended);
      return;
    default:
      Send({kMonitoring, "GET /api/v1/workshop/summary", http::verb::get, "/api/v1/workshop/summary", "",
            &world_.monitoring},
           intended);
  }
}

}  // namespace relais::load
