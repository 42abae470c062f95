#pragma once
// One WatchAvailability stream: a thread reads the region's event stream (XREAD BLOCK on a connection
// of its own) and writes the availability changes that pass the caller's filter, one at a time, with
// gRPC flow control. The pool figures come from the event itself, so a page stays exact without
// re-reading Redis. Ends when the client cancels, the service stops or Redis stays unreachable (then
// UNAVAILABLE: resume with after_event_id).
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "common/redis.h"
#include "relais/v1/beds.pb.h"

namespace relais::beds {

// An event of the stream as an availability change, or nothing when it is not one (e.g. shelter.*).
// fields: the flat name/value list of a stream entry.
std::optional<relais::v1::AvailabilityChange> ChangeFromEvent(const std::string& id, const redisReply* fields);
// The same from fields already read (the gateway's live feed reads the stream itself).
std::optional<relais::v1::AvailabilityChange> ChangeFromFields(const std::string& id,
                                                               const std::map<std::string, std::string>& fields);
bool PassesFilter(const relais::v1::AvailabilityChange& change, const relais::v1::AvailabilityFilter& filter);

class AvailabilityWatch final : public grpc::ServerWriteReactor<relais::v1::AvailabilityChange> {
 public:
  AvailabilityWatch(RedisPool& redis, std::string stream_key, relais::v1::AvailabilityFilter filter,
                    std::string after_id, const std::atomic<bool>& stopping, std::atomic<int>& watchers,
                    const absl::Status& refused);

  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

 private:
  void Run();
  absl::Status Follow(RedisConnection& conn, std::string& last_id);
  bool Write(const relais::v1::AvailabilityChange& change);  // false when the stream is over
  bool Over() const { return cancelled_ || stopping_; }

  RedisPool& redis_;
  std::string stream_key_;
  relais::v1::AvailabilityFilter filter_;
  std::string after_id_;
  const std::atomic<bool>& stopping_;
  std::atomic<int>& watchers_;
  std::atomic<bool> cancelled_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  bool writing_ = false;
  bool write_failed_ = false;
  relais::v1::AvailabilityChange pending_;
  std::thread thread_;
};

}  // namespace relais::beds
