#include "services/monitoring/rebuild.h"

#include "services/monitoring/consumer.h"
#include "services/monitoring/generation.h"

namespace relais::monitoring {

absl::StatusOr<std::string> Rebuild(RedisPool& redis, const std::string& region, bool make_current) {
  auto generation = NextGeneration(redis, region);
  if (!generation.ok()) return generation.status();
  ConsumerOptions options;
  options.region = region;
  options.name = "rebuild";
  options.generation = *generation;
  options.batch = 1000;
  Consumer consumer(redis, options);
  for (;;) {
    auto step = consumer.Step();
    if (!step.ok()) return step.status();
    if (step->standby) return absl::AbortedError("rebuild: another consumer counts into the new generation");
    if (step->read == 0) break;  // nothing pending, nothing new: caught up
  }
  consumer.Release();  // the live consumer takes the new generation over at once
  if (make_current) {
    if (auto s = SetCurrentGeneration(redis, region, *generation); !s.ok()) return s;
  }
  return *generation;
}

}  // namespace relais::monitoring
