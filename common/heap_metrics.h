#pragma once
// The C heap of this process, for Prometheus: the bytes malloc has handed out and not got back (what a
// leak makes grow) apart from the free bytes it keeps for later (what fragmentation makes grow). RSS
// alone cannot tell the two apart; a soak or an alert on memory reads both.
#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <cstdint>
#include <vector>

namespace relais {

struct HeapFigures {
  uint64_t in_use_bytes = 0;     // allocated and not freed (small chunks and mmapped blocks)
  uint64_t free_held_bytes = 0;  // freed, kept in malloc's arenas (pages malloc_trim gave back still count)
};

// glibc's mallinfo2() over every arena; it takes each arena's lock once, so read it per scrape, not per call.
HeapFigures ReadHeapFigures();

class HeapMetrics : public prometheus::Collectable {
 public:
  std::vector<prometheus::MetricFamily> Collect() const override;
};

}  // namespace relais
