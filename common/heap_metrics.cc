#include "common/heap_metrics.h"

#include <malloc.h>

namespace relais {

HeapFigures ReadHeapFigures() {
  struct mallinfo2 info = mallinfo2();
  return HeapFigures{info.uordblks + info.hblkhd, info.fordblks};
}

std::vector<prometheus::MetricFamily> HeapMetrics::Collect() const {
  HeapFigures heap = ReadHeapFigures();
  auto gauge = [](const char* name, const char* help, uint64_t value) {
    prometheus::MetricFamily family{name, help, prometheus::MetricType::Gauge, {}};
    prometheus::ClientMetric metric;
    metric.gauge.value = static_cast<double>(value);
    family.metric.push_back(metric);
    return family;
  };
  return {gauge("relais_process_heap_in_use_bytes", "C heap allocated and not freed (grows with a leak)",
                heap.in_use_bytes),
          gauge("relais_process_heap_free_held_bytes",
                "C heap freed and kept in the allocator's arenas (grows with fragmentation; pages the trimmer gave back "
                "are still counted, so it is an upper bound on what is resident)",
                heap.free_held_bytes)};
}

}  // namespace relais
