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
                "C heap freed but kept by the allocator, not given back to the system (grows with fragmentation)",
                heap.free_held_bytes)};
}

}  // namespace relais
