#include "services/dispatch/runtime.h"

namespace relais::dispatch {

void AddDispatchOptions(po::options_description& options, DispatchConfig& c) {
  options.add_options()
      ("call-target-minutes",
       po::value<int>()->default_value(static_cast<int>(c.store.call_target.count()))->notifier([&c](int m) {
         c.store.call_target = std::chrono::minutes(m);
       }),
       "a call waiting longer than this breaches the answering target")
      ("beds-target", po::value(&c.beds_target)->default_value(c.beds_target),
       "address of the beds service (relais-dispatch only; the all-in-one process uses its own)");
}

}  // namespace relais::dispatch
