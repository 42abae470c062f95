#pragma once
// Keeps the 7-day deadlines visible: records once each deadline that passed without a préconisation
// (case.deadline_missed) and sets the live gauges of cases overdue and near their deadline on the
// process' /metrics. Several instances may run: the script records a missed deadline once.
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "services/workshop/store.h"

namespace relais::workshop {

class DeadlineSweeper {
 public:
  DeadlineSweeper(Store& store, prometheus::Registry& registry, std::chrono::milliseconds interval);
  ~DeadlineSweeper() { Stop(); }
  void Start();
  void Stop();

  // One pass: records the missed deadlines due, then refreshes the gauges.
  absl::Status RunOnce();

 private:
  void Loop();
  Store& store_;
  prometheus::Gauge& overdue_;
  prometheus::Gauge& near_;
  std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace relais::workshop
