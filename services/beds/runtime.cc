#include "services/beds/runtime.h"

namespace relais::beds {

void AddBedsOptions(po::options_description& options, BedsConfig& c) {
  auto minutes = [](std::chrono::minutes& target) {
    return po::value<int>()->default_value(static_cast<int>(target.count()))->notifier([&target](int m) {
      target = std::chrono::minutes(m);
    });
  };
  options.add_options()
      ("hold-minutes", minutes(c.store.hold_standard), "how long a standard hold keeps its place")
      ("medical-hold-minutes", minutes(c.store.hold_medical), "how long a medical hold keeps its place")
      ("pass-night-hold-minutes", minutes(c.store.hold_pass_night), "how long a pass-night hold keeps its place")
      ("stale-after-minutes", minutes(c.store.stale_after), "figures older than this are shown as unconfirmed")
      ("communes", po::value(&c.communes)->default_value(""), "comma-separated commune codes (default: Brussels)")
      ("publics", po::value(&c.publics)->default_value(""), "comma-separated public codes (default: the usual nine)")
      ("workers", po::value(&c.service.workers)->default_value(c.service.workers), "threads doing Redis work")
      ("max-pending", po::value(&c.service.max_pending)->default_value(c.service.max_pending),
       "calls queued beyond this are refused with UNAVAILABLE")
      ("sweep-interval-ms", po::value(&c.sweep_interval_ms)->default_value(c.sweep_interval_ms),
       "how often expired holds are recorded");
}

BedsRuntime::BedsRuntime(const BedsConfig& config, RedisPool& redis, const Clock& clock)
    : store_(redis, clock, Catalog::FromLists(config.communes, config.publics), config.store),
      service_(store_, redis, config.service),
      sweeper_(store_, std::chrono::milliseconds(config.sweep_interval_ms)) {}

void BedsRuntime::Stop() {
  sweeper_.Stop();
  service_.Stop();
}

}  // namespace relais::beds
