#pragma once
// The beds service's state in Redis. Every change is one Lua script that checks, changes and appends
// its event atomically; reads use MULTI/EXEC so a page sees one consistent moment.
// Inputs are validated by the caller (service.cc); the store trusts ids to be well-formed.
#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "common/redis.h"
#include "relais/v1/beds.pb.h"
#include "common/catalog.h"
#include "services/beds/keys.h"
#include "services/beds/rules.h"

namespace relais::beds {

struct StoreOptions {
  std::string region = "brussels";
  // How long a hold keeps its place, per kind.
  std::chrono::minutes hold_standard{90};
  std::chrono::minutes hold_medical{120};
  std::chrono::minutes hold_pass_night{180};
  // A pool whose figures were not confirmed for this long is shown as unconfirmed.
  std::chrono::minutes stale_after{360};
  // Ended holds stay readable this long (audit, late questions from the shelter).
  std::chrono::hours ended_hold_retention{24 * 30};
};

struct HoldAndPool {
  relais::v1::Hold hold;
  relais::v1::Pool pool;
};


class Store {
 public:
  Store(RedisPool& redis, const Clock& clock, Catalog catalog, StoreOptions options);

  // Directory. `request` is the caller's request in deterministic bytes (idempotency fingerprint).
  absl::StatusOr<relais::v1::Shelter> CreateShelter(const relais::v1::Shelter& shelter, const std::string& idem_key,
                                                    const std::string& request);
  absl::StatusOr<relais::v1::Shelter> UpdateShelter(const relais::v1::Shelter& shelter, int64_t expected_version,
                                                    const std::string& idem_key, const std::string& request);
  absl::StatusOr<relais::v1::Shelter> GetShelter(const std::string& shelter_id);
  absl::StatusOr<std::vector<relais::v1::Shelter>> AllShelters();

  // Pools.
  absl::StatusOr<relais::v1::Pool> DeclarePool(const PoolRef& pool, const relais::v1::PoolFigures& figures,
                                               int64_t expected_version, const std::string& idem_key,
                                               const std::string& request);
  // action: "confirm" or "departure".
  absl::StatusOr<relais::v1::Pool> TouchPool(const PoolRef& pool, const std::string& action,
                                             const std::string& idem_key, const std::string& request);

  // Holds.
  absl::StatusOr<HoldAndPool> TakeHold(const PoolRef& pool, const std::string& request_id, relais::v1::HoldKind kind,
                                       const std::string& idem_key, const std::string& request);
  // outcome: "arrived", "no_show", "cancelled" or "expired".
  absl::StatusOr<HoldAndPool> EndHold(const HoldRef& hold, const std::string& outcome, const std::string& idem_key,
                                      const std::string& request);
  absl::StatusOr<relais::v1::Hold> GetHold(const std::string& hold_id);
  absl::StatusOr<std::vector<relais::v1::Hold>> ListHolds(const std::string& shelter_id, bool live_only);

  // Every pool with its figures now, shelter name and commune filled in.
  absl::StatusOr<std::vector<relais::v1::Pool>> AllPools();
  absl::StatusOr<std::vector<relais::v1::Pool>> Availability(const relais::v1::AvailabilityFilter& filter);
  absl::StatusOr<relais::v1::GetRegionSummaryResponse> RegionSummary();

  // Crises.
  absl::StatusOr<relais::v1::Crisis> OpenBuffer(const std::string& shelter_id, relais::v1::CrisisReason reason,
                                                relais::v1::CrisisMode mode, const std::string& idem_key,
                                                const std::string& request);
  absl::StatusOr<relais::v1::Crisis> CloseBuffer(const std::string& crisis_id, const std::string& idem_key,
                                                 const std::string& request);
  absl::StatusOr<std::vector<relais::v1::Crisis>> ListCrises(bool active_only);

  // Records the expiry of holds whose deadline passed (their places were already free). Returns how
  // many were recorded.
  absl::StatusOr<int> SweepExpired(int max_holds);

  const Keys& keys() const { return keys_; }
  const Catalog& catalog() const { return catalog_; }
  const StoreOptions& options() const { return options_; }
  bool IsStale(int64_t updated_ms) const;

 private:
  std::string IdemKey(const char* method, const std::string& key) const { return keys_.Idempotency(method, key); }
  std::string RetentionMs() const;
  std::chrono::minutes HoldDuration(relais::v1::HoldKind kind) const;

  RedisPool& redis_;
  const Clock& clock_;
  Catalog catalog_;
  StoreOptions options_;
  Keys keys_;
  LuaScript create_shelter_, update_shelter_, declare_pool_, touch_pool_, take_hold_, end_hold_, open_buffer_,
      close_buffer_;
};

// Hold kinds and states as stored in Redis and in events.
std::string HoldKindCode(relais::v1::HoldKind kind);
relais::v1::HoldKind HoldKindFromCode(std::string_view code);
relais::v1::HoldState HoldStateFromCode(std::string_view code);

}  // namespace relais::beds
