#pragma once
// A bounded pool of worker threads for blocking work (Redis calls) behind gRPC callback handlers.
//
// Why: callback handlers must not block gRPC's own threads (a stalled Redis would stall the whole
// server), while the sync API's thread-per-call collapses under concurrency. Handlers hand their work
// here and return at once; when the queue is full the call is shed with UNAVAILABLE instead of piling
// up memory and latency.
#include <atomic>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <functional>

namespace relais {

class WorkPool {
 public:
  WorkPool(int threads, int max_pending) : pool_(static_cast<size_t>(threads)), max_pending_(max_pending) {}
  ~WorkPool() { Stop(); }

  // False when max_pending tasks are already waiting or running: the caller sheds the work.
  bool TrySubmit(std::function<void()> task) {
    if (pending_.fetch_add(1) >= max_pending_) {
      pending_.fetch_sub(1);
      return false;
    }
    boost::asio::post(pool_, [this, task = std::move(task)] {
      task();
      pending_.fetch_sub(1);
    });
    return true;
  }

  int pending() const { return pending_.load(); }
  int max_pending() const { return max_pending_; }

  // Runs what was submitted, then joins the threads.
  void Stop() { pool_.join(); }

 private:
  boost::asio::thread_pool pool_;
  const int max_pending_;
  std::atomic<int> pending_{0};
};

}  // namespace relais
