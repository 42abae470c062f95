#include "services/beds/sweeper.h"

#include "common/log.h"

namespace relais::beds {

void Sweeper::Start() { thread_ = std::thread([this] { Loop(); }); }

void Sweeper::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Sweeper::Loop() {
  bool failing = false;  // log a failure once, not every interval while Redis is away
  std::unique_lock lock(mu_);
  while (!cv_.wait_for(lock, interval_, [this] { return stop_; })) {
    lock.unlock();
    auto swept = store_.SweepExpired(200);
    if (swept.ok() && *swept > 0) log::Info("holds_expired", {{"count", *swept}});
    if (!swept.ok() && !failing) log::Warn("sweep_failed", {{"code", static_cast<int>(swept.status().code())}});
    if (swept.ok() && failing) log::Info("sweep_recovered");
    failing = !swept.ok();
    lock.lock();
  }
}

}  // namespace relais::beds
