#pragma once
// Gives the C heap's free pages back to the system at a fixed interval (glibc's malloc_trim). Bursts of
// concurrent calls spread allocations over many threads' malloc arenas; once freed, glibc keeps those
// pages resident for good unless they sit at an arena's top, so a process that has seen one busy
// minute would keep its high-water mark all night. Trimming costs a walk over the arenas (about a
// millisecond for tens of MiB), not a copy or a pause of the callers.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace relais {

class HeapTrimmer {
 public:
  explicit HeapTrimmer(std::chrono::seconds interval);  // 0 s: never (the thread is not started)
  ~HeapTrimmer();                                       // stops at once, even mid-interval
  HeapTrimmer(const HeapTrimmer&) = delete;
  HeapTrimmer& operator=(const HeapTrimmer&) = delete;

  int trims() const;  // how many trims ran (tests)

 private:
  void Run(std::chrono::seconds interval);

  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  int trims_ = 0;
  std::thread thread_;  // last: started once the members it uses exist
};

}  // namespace relais
