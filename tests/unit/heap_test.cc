// The heap figures /metrics serves must move with what the process really holds: a block kept shows in
// "in use", the same block freed leaves it. A figure that did not move would hide a leak from a soak.
// The trimmer runs on its interval and stops at once when the process does.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "common/heap_metrics.h"
#include "common/heap_trimmer.h"

namespace relais {
namespace {

constexpr size_t kBlock = 8u << 20;  // 8 MiB: far above what the test's own bookkeeping moves

TEST(HeapMetrics, ABlockKeptIsInUseAndLeavesWhenFreed) {
  HeapFigures before = ReadHeapFigures();
  void* block = std::malloc(kBlock);
  ASSERT_NE(block, nullptr);
  std::memset(block, 1, kBlock);  // touched, as real data would be
  HeapFigures held = ReadHeapFigures();
  EXPECT_GE(held.in_use_bytes, before.in_use_bytes + kBlock);
  std::free(block);
  HeapFigures after = ReadHeapFigures();
  EXPECT_LT(after.in_use_bytes, held.in_use_bytes - kBlock / 2);
}

TEST(HeapMetrics, PrometheusGetsBothGaugesWithTheFigures) {
  auto families = HeapMetrics().Collect();
  ASSERT_EQ(families.size(), 2u);
  EXPECT_EQ(families[0].name, "relais_process_heap_in_use_bytes");
  EXPECT_EQ(families[1].name, "relais_process_heap_free_held_bytes");
  for (const auto& family : families) {
    EXPECT_EQ(family.type, prometheus::MetricType::Gauge);
    ASSERT_EQ(family.metric.size(), 1u);
  }
  EXPECT_GT(families[0].metric[0].gauge.value, 0.0);
}

TEST(HeapTrimmer, TrimsOnItsIntervalAndStopsAtOnce) {
  auto started = std::chrono::steady_clock::now();
  {
    HeapTrimmer trimmer(std::chrono::seconds(1));
    for (int i = 0; i < 200 && trimmer.trims() < 2; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_GE(trimmer.trims(), 2);
  }
  {
    HeapTrimmer idle(std::chrono::hours(1));  // destroyed mid-interval: must not wait for the hour
    EXPECT_EQ(idle.trims(), 0);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(60));
  HeapTrimmer never(std::chrono::seconds(0));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(never.trims(), 0);
}

}  // namespace
}  // namespace relais
