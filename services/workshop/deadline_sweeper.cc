#include "services/workshop/deadline_sweeper.h"

#include "common/log.h"

namespace relais::workshop {
namespace {

prometheus::Family<prometheus::Gauge>& DeadlineFamily(prometheus::Registry& registry) {
  return prometheus::BuildGauge()
      .Name("relais_workshop_deadline_cases")
      .Help("workshop cases awaiting a préconisation: past their 7-day deadline (overdue) or close to it (near)")
      .Register(registry);
}

}  // namespace

DeadlineSweeper::DeadlineSweeper(Store& store, prometheus::Registry& registry, std::chrono::milliseconds interval)
    : store_(store),
      overdue_(DeadlineFamily(registry).Add({{"deadline", "overdue"}})),
      near_(DeadlineFamily(registry).Add({{"deadline", "near"}})),
      interval_(interval) {}

void DeadlineSweeper::Start() { thread_ = std::thread([this] { Loop(); }); }

void DeadlineSweeper::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

absl::Status DeadlineSweeper::RunOnce() {
  auto recorded = store_.SweepDeadlines(200);
  if (!recorded.ok()) return recorded.status();
  if (*recorded > 0) log::Info("workshop_deadlines_missed", {{"count", *recorded}});
  auto counts = store_.CountDeadlines();
  if (!counts.ok()) return counts.status();
  overdue_.Set(counts->overdue);
  near_.Set(counts->near);
  return absl::OkStatus();
}

void DeadlineSweeper::Loop() {
  bool failing = false;  // log a failure once, not every interval while Redis is away
  std::unique_lock lock(mu_);
  while (!cv_.wait_for(lock, interval_, [this] { return stop_; })) {
    lock.unlock();
    auto s = RunOnce();
    if (!s.ok() && !failing) log::Warn("workshop_sweep_failed", {{"code", static_cast<int>(s.code())}});
    if (s.ok() && failing) log::Info("workshop_sweep_recovered");
    failing = !s.ok();
    lock.lock();
  }
}

}  // namespace relais::workshop
