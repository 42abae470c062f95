#pragma once
// Records the expiry of holds whose deadline passed. Availability never waits for it (an expired hold
// stops counting at its deadline); the sweeper only writes the hold.expired event and tidies the
// hold's state. Several instances may run: the script refuses a second expiry of the same hold.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "services/beds/store.h"

namespace relais::beds {

class Sweeper {
 public:
  Sweeper(Store& store, std::chrono::milliseconds interval) : store_(store), interval_(interval) {}
  ~Sweeper() { Stop(); }
  void Start();
  void Stop();

 private:
  void Loop();
  Store& store_;
  std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace relais::beds
