#include "services/dispatch/runtime.h"

namespace relais::dispatch {

void AddDispatchOptions(po::options_description& options, DispatchConfig& c) {
  options.add_options()
      ("call-target-minutes",
       po::value<int>()->default_value(static_cast<int>(c.store.call_target.count()))->notifier([&c](int m) {
         c.store.call_target = std::chrono::minutes(m);
       }),
       "a call waiting longer than this breaches the answering target")
      ("street-routing", po::value<std::string>()->default_value(kDefaultStreetRouting)->notifier([&c](const std::string& t) {
         auto routing = Routing::Parse(t);
         if (!routing.ok()) throw po::error(std::string(routing.status().message()));
         c.service.routing = *routing;
       }),
       "street reports: route=team rules by need and commune, e.g. maraude=m1;street_work:ixelles=sw1;street_work=sw2")
      ("pass-night-quota", po::value(&c.service.pass_night_quota)->default_value(c.service.pass_night_quota),
       "places a mobile team may hold from the street per night")
      ("beds-target", po::value(&c.beds_target)->default_value(c.beds_target),
       "address of the beds service (relais-dispatch only; the all-in-one process uses its own)");
}

}  // namespace relais::dispatch
