#pragma once
// The consumer that keeps the aggregates: a member of the generation's consumer group on the region's
// event stream.
//
// Exactly once: each batch is counted and acknowledged in one atomic step (lua/apply.lua) that counts
// an event only while it is still pending in the group; once counted it is not pending any more, so a
// second attempt changes nothing. A consumer killed between reading and counting leaves its batch
// pending; whoever counts next claims it first (XAUTOCLAIM), the same consumer restarted or another.
//
// In order: one consumer of a generation counts at a time, the holder of a lease it renews at every
// step (lua/read.lua); others wait as standbys and take over once the holder has been silent for
// lease_ms. Occupancy over time depends on the order of events, so this is what makes a rebuild give
// the very figures the live consumer gave.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "common/redis.h"
#include "services/monitoring/event.h"
#include "services/monitoring/keys.h"

namespace relais::monitoring {

struct ConsumerOptions {
  std::string region = "brussels";
  std::string name = "monitoring-1";             // this consumer's name: unique among running consumers
  std::string generation;                        // empty: follow the generation in use
  int batch = 500;                               // events per step
  std::chrono::milliseconds wait{1000};          // how long a step waits for new events when there are none
  std::chrono::milliseconds lease{15'000};       // a holder silent this long loses the right to count
};

struct StepResult {
  bool standby = false;  // another consumer holds the lease
  int read = 0;          // events taken in this step
  int counted = 0;       // counted now
  int skipped = 0;       // counted before (no longer pending): nothing changed
};

class Consumer {
 public:
  Consumer(RedisPool& redis, ConsumerOptions options);
  ~Consumer();
  Consumer(const Consumer&) = delete;
  Consumer& operator=(const Consumer&) = delete;

  // Runs Step() on a thread until Stop(); a failure is logged once and retried.
  void Start();
  void Stop();

  // Takes a batch (claimed first, then new events) and counts it. Does not wait for new events.
  absl::StatusOr<StepResult> Step();

  // The two halves of a step, apart so tests can stop in between: Read() takes events (they become
  // pending for this consumer), Count() counts and acknowledges them. A standby reads nothing.
  absl::StatusOr<std::vector<Event>> Read(bool* standby = nullptr);
  absl::StatusOr<StepResult> Count(const std::vector<Event>& events);

  // Waits up to `wait` for an event newer than the last one read (or any new one).
  void WaitForEvents();

  // Gives up the lease if held, so a standby takes over at once.
  void Release();

  // The generation this consumer counts into (after its last step).
  std::string generation() const;

 private:
  absl::StatusOr<RedisConnection*> Connection();
  absl::Status Attach();  // follows the generation in use; creates its group
  void Loop();

  RedisPool& redis_;
  ConsumerOptions options_;
  std::unique_ptr<RedisConnection> conn_;
  std::unique_ptr<Keys> keys_;
  std::string last_read_id_;  // the newest event read, for WaitForEvents
  mutable std::mutex generation_mu_;

  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace relais::monitoring
