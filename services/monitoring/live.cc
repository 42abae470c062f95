#include "services/monitoring/live.h"

#include <algorithm>
#include <set>

#include "common/log.h"
#include "services/dispatch/keys.h"
#include "services/monitoring/generation.h"
#include "services/monitoring/keys.h"

namespace relais::monitoring {
namespace {

prometheus::Family<prometheus::Gauge>& GaugeFamily(prometheus::Registry& r, const char* name, const char* help) {
  return prometheus::BuildGauge().Name(name).Help(help).Register(r);
}
prometheus::Family<prometheus::Counter>& CounterFamily(prometheus::Registry& r, const char* name, const char* help) {
  return prometheus::BuildCounter().Name(name).Help(help).Register(r);
}

const char* const kLanes[] = {"LANE_PRIORITY", "LANE_MEDICAL", "LANE_STANDARD"};
const char* const kHoldEndings[] = {"arrived", "no_show", "cancelled", "expired"};

}  // namespace

LiveIndicators::LiveIndicators(RedisPool& redis, const Clock& clock, prometheus::Registry& registry, LiveOptions options)
    : redis_(redis),
      clock_(clock),
      options_(std::move(options)),
      beds_(redis, clock, Catalog::Brussels(), [this] {
        beds::StoreOptions o = options_.beds;
        o.region = options_.region;
        return o;
      }()),
      calls_waiting_(GaugeFamily(registry, "relais_calls_waiting", "Calls ringing, not answered yet")),
      oldest_wait_(GaugeFamily(registry, "relais_calls_oldest_waiting_seconds",
                               "How long the call waiting longest has waited (0 when none)")),
      free_(GaugeFamily(registry, "relais_places_free", "Free places now, by public")),
      occupied_(GaugeFamily(registry, "relais_places_occupied", "Occupied places now, by public")),
      holds_live_(GaugeFamily(registry, "relais_holds_live", "Places held for a person now, by public")),
      holds_ended_(CounterFamily(registry, "relais_holds_ended_total", "Holds ended, by outcome")),
      queue_(GaugeFamily(registry, "relais_queue_length", "Requests waiting for a place, by lane")),
      pools_unconfirmed_(GaugeFamily(registry, "relais_pools_unconfirmed",
                                     "Pools whose figures were not confirmed within the freshness window")),
      shelters_stale_(GaugeFamily(registry, "relais_shelters_stale",
                                  "Shelters with at least one pool not confirmed within the freshness window")),
      counted_(CounterFamily(registry, "relais_monitoring_events_counted_total",
                             "Events of the region's stream counted into the aggregates")),
      lag_events_(GaugeFamily(registry, "relais_monitoring_consumer_lag_events",
                              "Events of the stream not counted yet, pending ones included")),
      lag_seconds_(GaugeFamily(registry, "relais_monitoring_consumer_lag_seconds",
                               "Age of the oldest event not counted yet (0 when none)")),
      refresh_errors_(CounterFamily(registry, "relais_monitoring_live_refresh_errors_total",
                                    "Failed refreshes of the live indicators (Redis unreachable)")) {}

LiveIndicators::~LiveIndicators() { Stop(); }

absl::Status LiveIndicators::RefreshCalls() {
  dispatch::Keys keys(options_.region);
  std::vector<Argv> reads = {{"ZCARD", keys.WaitingCalls()}, {"ZRANGE", keys.WaitingCalls(), "0", "0", "WITHSCORES"}};
  for (const char* lane : kLanes) reads.push_back({"ZCARD", keys.Queue(lane)});
  auto replies = redis_.Pipeline(reads);
  if (!replies.ok()) return replies.status();
  calls_waiting_.Add({}).Set(static_cast<double>(ReplyInt((*replies)[0].get())));
  const redisReply* oldest = (*replies)[1].get();
  double wait = 0;
  if (oldest->elements >= 2) {
    wait = std::max<int64_t>(0, clock_.NowMs() - static_cast<int64_t>(ReplyInt(oldest->element[1]))) / 1000.0;
  }
  oldest_wait_.Add({}).Set(wait);
  for (size_t i = 0; i < std::size(kLanes); ++i) {
    queue_.Add({{"lane", kLanes[i]}}).Set(static_cast<double>(ReplyInt((*replies)[2 + i].get())));
  }
  return absl::OkStatus();
}

absl::Status LiveIndicators::RefreshPlaces() {
  auto pools = beds_.AllPools();
  if (!pools.ok()) return pools.status();
  std::map<std::string, double> free, occupied, held;
  std::set<std::string> stale_shelters;
  double unconfirmed = 0;
  for (const auto& p : *pools) {
    free[p.public_()] += p.free();
    occupied[p.public_()] += p.figures().occupied();
    held[p.public_()] += p.live_holds();
    if (p.unconfirmed()) {
      unconfirmed += 1;
      stale_shelters.insert(p.shelter_id());
    }
  }
  for (const auto& [pub, n] : free) free_.Add({{"public", pub}}).Set(n);
  for (const auto& [pub, n] : occupied) occupied_.Add({{"public", pub}}).Set(n);
  for (const auto& [pub, n] : held) holds_live_.Add({{"public", pub}}).Set(n);
  pools_unconfirmed_.Add({}).Set(unconfirmed);
  shelters_stale_.Add({}).Set(static_cast<double>(stale_shelters.size()));
  return absl::OkStatus();
}

absl::Status LiveIndicators::RefreshConsumer() {
  auto generation = CurrentGeneration(redis_, options_.region);
  if (!generation.ok()) return generation.status();
  Keys keys(options_.region, *generation);
  auto status = ReadStatus(redis_, keys, clock_.NowMs());
  if (!status.ok()) return status.status();
  lag_events_.Add({}).Set(static_cast<double>(status->lag_events));
  lag_seconds_.Add({}).Set(status->lag_seconds);
  Argv read = {"HMGET", keys.Totals()};
  for (const char* outcome : kHoldEndings) read.push_back(std::string("type|hold.") + outcome);
  auto totals = redis_.Command(read);
  if (!totals.ok()) return totals.status();
  // Counters mirror totals kept in Redis: they move by what the totals moved since the last refresh.
  auto mirror = [this](prometheus::Counter& counter, const std::string& key, double value) {
    double& seen = counter_seen_[key];
    if (value > seen) counter.Increment(value - seen);
    seen = std::max(seen, value);
  };
  mirror(counted_.Add({}), "counted", static_cast<double>(status->counted));
  for (size_t i = 0; i < std::size(kHoldEndings); ++i) {
    mirror(holds_ended_.Add({{"outcome", kHoldEndings[i]}}), kHoldEndings[i],
           static_cast<double>(ReplyInt((*totals)->element[i])));
  }
  return absl::OkStatus();
}

absl::Status LiveIndicators::Refresh() {
  absl::Status first;
  for (absl::Status s : {RefreshCalls(), RefreshPlaces(), RefreshConsumer()}) {
    if (!s.ok() && first.ok()) first = s;
  }
  if (!first.ok()) refresh_errors_.Add({}).Increment();
  return first;
}

void LiveIndicators::Start() {
  {
    std::lock_guard lock(mu_);
    stop_ = false;
  }
  thread_ = std::thread([this] { Loop(); });
}

void LiveIndicators::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void LiveIndicators::Loop() {
  bool failing = false;
  std::unique_lock lock(mu_);
  do {
    lock.unlock();
    absl::Status s = Refresh();
    if (!s.ok() && !failing) log::Warn("live_indicators_failed", {{"code", static_cast<int>(s.code())}});
    if (s.ok() && failing) log::Info("live_indicators_recovered");
    failing = !s.ok();
    lock.lock();
  } while (!cv_.wait_for(lock, options_.interval, [this] { return stop_; }));
}

}  // namespace relais::monitoring
