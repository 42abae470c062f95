#pragma once
// GoogleTest fixture for beds integration tests: one private redis-server per test binary, emptied
// before each test, and a fresh in-process beds service per test.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "tests/support/harness.h"

namespace relais::testing {

// The binary's redis-server, started before the first test and stopped after the last.
RedisServer& SharedRedis();

// Every key of a Redis with its content in a canonical form: equal snapshots mean equal data.
std::map<std::string, std::string> SnapshotOf(RedisPool& redis);

class BedsTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override { harness_.reset(); }

  Harness& h() { return *harness_; }
  relais::v1::Beds::Stub& beds() { return harness_->stub(); }

  // A fresh idempotency key.
  static std::string Key();

  // Helpers that must succeed (they fail the test otherwise).
  relais::v1::Shelter CreateShelter(const relais::v1::Shelter& shelter);
  relais::v1::Pool Declare(const std::string& shelter_id, const std::string& public_code, int in_service, int buffer,
                           int occupied);
  relais::v1::TakeHoldResponse Hold(const std::string& pool_id, const Caller& caller = Operator());
  relais::v1::Pool PoolNow(const std::string& pool_id);

  // Every key with its content in a canonical form: equal snapshots mean nothing changed.
  std::map<std::string, std::string> Snapshot();
  // Entries in the event stream.
  long long EventCount();
  std::vector<std::map<std::string, std::string>> Events();

  std::unique_ptr<Harness> harness_;
};

}  // namespace relais::testing
