#pragma once
// Answers of the busiest reads (the bed board, the region summary, the directory), kept for a short
// while and dropped at the first change: any event of the region's event stream, or any change that
// passed through this gateway (so a caller always reads its own change). A kept answer is never older
// than max_age, so what only time changes (a hold that expired at its deadline, figures that became
// unconfirmed) shows within that time. Keys include the caller's role and bindings, because services
// redact answers per caller.
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace relais::gateway {

class ReadCache {
 public:
  explicit ReadCache(std::chrono::milliseconds max_age, size_t max_entries = 1024)
      : max_age_(max_age), max_entries_(max_entries) {}

  bool enabled() const { return max_age_.count() > 0; }
  uint64_t generation() const {
    std::lock_guard lock(mu_);
    return generation_;
  }
  void Invalidate() {
    std::lock_guard lock(mu_);
    ++generation_;
    entries_.clear();
  }
  std::optional<std::string> Get(const std::string& key) const {
    std::lock_guard lock(mu_);
    auto it = entries_.find(key);
    if (it == entries_.end() || it->second.generation != generation_ ||
        std::chrono::steady_clock::now() - it->second.at > max_age_) {
      return std::nullopt;
    }
    return it->second.json;
  }
  // `generation` as read before the call: an answer that raced with a change is not kept.
  void Put(const std::string& key, std::string json, uint64_t generation,
           std::chrono::steady_clock::time_point asked_at) {
    std::lock_guard lock(mu_);
    if (generation != generation_) return;
    if (entries_.size() >= max_entries_) entries_.clear();
    entries_[key] = Entry{std::move(json), generation, asked_at};
  }

 private:
  struct Entry {
    std::string json;
    uint64_t generation;
    std::chrono::steady_clock::time_point at;  // when the service was asked
  };
  const std::chrono::milliseconds max_age_;
  const size_t max_entries_;
  mutable std::mutex mu_;
  uint64_t generation_ = 0;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace relais::gateway
