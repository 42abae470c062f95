#include "common/heap_trimmer.h"

#include <malloc.h>

namespace relais {

HeapTrimmer::HeapTrimmer(std::chrono::seconds interval) {
  if (interval.count() > 0) thread_ = std::thread([this, interval] { Run(interval); });
}

HeapTrimmer::~HeapTrimmer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

int HeapTrimmer::trims() const {
  std::lock_guard lock(mu_);
  return trims_;
}

void HeapTrimmer::Run(std::chrono::seconds interval) {
  std::unique_lock lock(mu_);
  while (!wake_.wait_for(lock, interval, [this] { return stopping_; })) {
    lock.unlock();
    malloc_trim(0);
    lock.lock();
    ++trims_;
  }
}

}  // namespace relais
