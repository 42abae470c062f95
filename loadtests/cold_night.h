#pragma once
// The cold-night mix: what the users of a surge night ask of Relais through the gateway's REST API, in
// the proportions of loadtests/README.md ("The cold-night mix"), as open-loop load.
//
//   operator reads     29 %  bed board, queue, calls waiting, the workshop's priority places (a quarter each)
//   requests and holds 40 %  person -> request -> candidates -> propose -> accept (5 requests a flow)
//   shelter updates    20 %  arrival of each accepted hold, departure from that pool later, confirmations
//   team reports       10 %  an operator records a street report, its team advances it four times
//   monitoring          1 %  a month's report, the counting's status, the workshop's summary (a third each;
//                            oversampled: about 0.1 % on a real night)
//
// Independent operations (reads, flows, confirmations, new reports, monitoring) start at Poisson (or
// even) arrival times. What follows from them starts at a time fixed by what came before: the next
// step of a flow when the previous answer arrived (the operator clicks at once), a shelter's arrival
// `follow_up` after the hold was taken, the departure `follow_up` after the arrival, each report step
// `follow_up` after the last. Every request is timed from that intended start.
#include <grpcpp/grpcpp.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/http/verb.hpp>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "grpc/health/v1/health.grpc.pb.h"
#include "loadtests/async_http.h"
#include "loadtests/open_loop.h"

namespace relais::load {

// The classes as reported, and their share of all requests.
inline constexpr char kReads[] = "operator reads";
inline constexpr char kHolds[] = "requests and holds";
inline constexpr char kShelter[] = "shelter updates";
inline constexpr char kReports[] = "team reports";
inline constexpr char kMonitoring[] = "monitoring";
struct ClassShare {
  const char* name;
  double share;
};
inline constexpr ClassShare kShares[] = {{kReads, 0.29}, {kHolds, 0.40}, {kShelter, 0.20}, {kReports, 0.10},
                                         {kMonitoring, 0.01}};

// Who sends a request: a cookie session (with its CSRF token) or an API key.
struct Account {
  std::string name;
  std::string cookie;
  std::string csrf;
  std::string bearer;
};

// What the mix needs to know of the Relais it runs against.
struct World {
  std::vector<Account> operators;
  std::map<std::string, Account> teams;         // by team id (street reports are routed to them)
  Account monitoring;
  std::map<std::string, Account> shelter_keys;  // a shelter's management system, by shelter id
  std::vector<std::string> pools;               // every pool id ("shelter:public")
  std::vector<std::string> communes;
  std::string month;                            // YYYY-MM, the report monitoring reads
};

struct Call {
  const char* cls = "";
  std::string route;  // the route's template, e.g. "POST /api/v1/proposals/{id}/accept"
  boost::beast::http::verb verb = boost::beast::http::verb::get;
  std::string target;
  std::string body;
  const Account* as = nullptr;
};

// Where the calls go.
class Backend {
 public:
  virtual ~Backend() = default;
  virtual void Send(const Call& call, std::function<void(HttpAnswer)> done) = 0;
  virtual bool Serves(const char* cls) const { return cls != nullptr; }
  virtual void CloseAll() {}
};

// Relais: every call through the gateway's REST API. Keeps the first successful answer of each route,
// for the bare baseline to answer with.
class RelaisBackend final : public Backend {
 public:
  RelaisBackend(boost::asio::io_context& ioc, int http_port, int max_connections, std::chrono::milliseconds timeout);
  void Send(const Call& call, std::function<void(HttpAnswer)> done) override;
  void CloseAll() override { http_.CloseAll(); }
  const std::map<std::string, std::string>& recorded() const { return recorded_; }
  const HttpPool& http() const { return http_; }

 private:
  HttpPool http_;
  std::map<std::string, std::string> recorded_;
};

// The bare baseline of the same mix: reads answered by a bare Beast server with the bytes Relais gave
// for that route, writes by a bare gRPC callback + WorkPool server running one durable EVALSHA each
// (loadtests/bare_grpc.h, as in beds_hold_bench). Monitoring has no baseline: it is not sent.
class BareBackend final : public Backend {
 public:
  BareBackend(boost::asio::io_context& ioc, int http_port, int grpc_port, std::map<std::string, std::string> recorded,
              int max_connections, std::chrono::milliseconds timeout);
  void Send(const Call& call, std::function<void(HttpAnswer)> done) override;
  bool Serves(const char* cls) const override { return std::string(cls) != kMonitoring; }
  void CloseAll() override { http_.CloseAll(); }
  // The bare HTTP server's bodies: the recorded answers by the target this backend sends for them.
  static std::map<std::string, std::string> BodiesByTarget(const std::map<std::string, std::string>& recorded);
  static std::string TargetFor(const std::string& route);

 private:
  boost::asio::io_context& ioc_;
  HttpPool http_;
  std::map<std::string, std::string> recorded_;
  std::chrono::milliseconds timeout_;
  std::vector<std::unique_ptr<grpc::health::v1::Health::Stub>> stubs_;
  size_t next_stub_ = 0;
};

struct MixOptions {
  double rate = 100;  // requests a second, every class together
  double seconds = 30;
  bool poisson = true;
  uint64_t seed = 1;
  std::chrono::milliseconds follow_up{1000};
};

// One run of the mix: starts at Start(), calls `finished` on the driver's thread once every request
// meant to start within the window, and everything that followed from them, was answered.
class Mix {
 public:
  Mix(boost::asio::io_context& ioc, Backend& backend, const World& world, Recorder& rec, MixOptions o);
  void Start(std::function<void()> finished);
  void Stop() { stopping_ = true; }  // no new independent operation from now (the soak's end)
  int outstanding() const { return outstanding_; }

 private:
  using Then = std::function<void(const HttpAnswer&, Clock::time_point answered)>;
  void ScheduleNext();
  void Launch(Clock::time_point intended);
  void Send(Call call, Clock::time_point intended, Then then = {});
  void At(Clock::time_point when, std::function<void(Clock::time_point)> fn);
  void MaybeFinish();
  std::string Key();
  const Account& Operator();

  void Read(Clock::time_point intended);
  void Flow(Clock::time_point intended);
  void FlowRequest(const Account* op, std::string person_id, Clock::time_point intended);
  void FlowCandidates(const Account* op, std::string request_id, Clock::time_point intended);
  void FlowPropose(const Account* op, std::string request_id, std::string pool_id, Clock::time_point intended);
  void FlowAccept(const Account* op, std::string proposal_id, Clock::time_point intended);
  void Arrival(std::string hold_id, Clock::time_point intended);
  void Departure(std::string pool_id, Clock::time_point intended);
  void Confirm(Clock::time_point intended);
  void Report(Clock::time_point intended);
  void Advance(std::string report_id, std::string team, int step, Clock::time_point intended);
  void MonthlyReport(Clock::time_point intended);

  boost::asio::io_context& ioc_;
  Backend& backend_;
  const World& world_;
  Recorder& rec_;
  MixOptions o_;
  Arrivals arrivals_;
  std::mt19937_64 pick_;    // which operation (the same sequence for Relais and its baseline)
  std::mt19937_64 detail_;  // choices inside an operation
  boost::asio::steady_timer timer_;
  Clock::time_point start_, end_;
  bool arrivals_done_ = false;
  bool stopping_ = false;
  int outstanding_ = 0;
  long keys_ = 0;
  std::function<void()> finished_;
};

// The months's report name for a time: YYYY-MM (UTC).
std::string MonthOf(std::chrono::system_clock::time_point t);

}  // namespace relais::load
