#include "tests/support/beds_fixture.h"

#include <algorithm>
#include <functional>

#include "common/random_id.h"

namespace relais::testing {
namespace {

class RedisEnvironment : public ::testing::Environment {
 public:
  void SetUp() override { server_ = std::make_unique<RedisServer>(); }
  void TearDown() override { server_.reset(); }
  static std::unique_ptr<RedisServer> server_;
};
std::unique_ptr<RedisServer> RedisEnvironment::server_;

[[maybe_unused]] ::testing::Environment* const kRedisEnvironment =
    ::testing::AddGlobalTestEnvironment(new RedisEnvironment);

}  // namespace

RedisServer& SharedRedis() { return *RedisEnvironment::server_; }

void BedsTest::SetUp() {
  SharedRedis().FlushAll();
  harness_ = std::make_unique<Harness>(SharedRedis());
}

std::string BedsTest::Key() { return RandomId("k-"); }

relais::v1::Shelter BedsTest::CreateShelter(const relais::v1::Shelter& shelter) {
  relais::v1::CreateShelterRequest req;
  *req.mutable_shelter() = shelter;
  req.set_idempotency_key(Key());
  relais::v1::CreateShelterResponse resp;
  auto s = beds().CreateShelter(Harness::As(Admin()).get(), req, &resp);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return resp.shelter();
}

relais::v1::Pool BedsTest::Declare(const std::string& shelter_id, const std::string& public_code, int in_service,
                                   int buffer, int occupied) {
  relais::v1::DeclarePoolRequest req;
  req.set_shelter_id(shelter_id);
  req.set_public_(public_code);
  req.mutable_figures()->set_places_in_service(in_service);
  req.mutable_figures()->set_buffer_places(buffer);
  req.mutable_figures()->set_occupied(occupied);
  req.set_idempotency_key(Key());
  relais::v1::DeclarePoolResponse resp;
  auto s = beds().DeclarePool(Harness::As(ShelterAccount(shelter_id)).get(), req, &resp);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return resp.pool();
}

relais::v1::TakeHoldResponse BedsTest::Hold(const std::string& pool_id, const Caller& caller) {
  relais::v1::TakeHoldRequest req;
  req.set_pool_id(pool_id);
  req.set_request_id("req-" + Key());
  req.set_idempotency_key(Key());
  relais::v1::TakeHoldResponse resp;
  auto s = beds().TakeHold(Harness::As(caller).get(), req, &resp);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return resp;
}

relais::v1::Pool BedsTest::PoolNow(const std::string& pool_id) {
  relais::v1::GetAvailabilityRequest req;
  auto colon = pool_id.find(':');
  req.mutable_filter()->set_shelter_id(pool_id.substr(0, colon));
  req.mutable_filter()->set_public_(pool_id.substr(colon + 1));
  relais::v1::GetAvailabilityResponse resp;
  auto s = beds().GetAvailability(Harness::As(Operator()).get(), req, &resp);
  EXPECT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.pools_size(), 1);
  return resp.pools_size() == 1 ? resp.pools(0) : relais::v1::Pool();
}

namespace {

// A key's content in a canonical form. DUMP is not one: a hash or set stored as a hash table dumps
// in table order, which a mere read can change (incremental rehashing).
std::string Canonical(RedisPool& redis, const std::string& key) {
  auto type = redis.Command({"TYPE", key});
  std::string t = type.ok() ? std::string(ReplyStr(type->get())) : "";
  Argv read;
  bool sort = false;
  if (t == "hash") read = {"HGETALL", key}, sort = true;
  else if (t == "set") read = {"SMEMBERS", key}, sort = true;
  else if (t == "zset") read = {"ZRANGE", key, "0", "-1", "WITHSCORES"};
  else if (t == "stream") read = {"XRANGE", key, "-", "+"};
  else if (t == "list") read = {"LRANGE", key, "0", "-1"};
  else return t + ":" + [&] { auto d = redis.Command({"DUMP", key}); return d.ok() ? std::string(ReplyStr(d->get())) : ""; }();
  auto reply = redis.Command(read);
  if (!reply.ok()) return t + ": unreadable";
  std::vector<std::string> items;
  std::function<void(const redisReply*)> flatten = [&](const redisReply* r) {
    if (r->type == REDIS_REPLY_ARRAY) {
      for (size_t i = 0; i < r->elements; ++i) flatten(r->element[i]);
    } else {
      items.emplace_back(ReplyStr(r));
    }
  };
  if (sort && t == "hash") {  // sort field/value pairs, not single items
    std::vector<std::string> pairs;
    for (size_t i = 0; i + 1 < (*reply)->elements; i += 2) {
      pairs.push_back(std::string(ReplyStr((*reply)->element[i])) + "=" + std::string(ReplyStr((*reply)->element[i + 1])));
    }
    std::sort(pairs.begin(), pairs.end());
    items = std::move(pairs);
  } else {
    flatten(reply->get());
    if (sort) std::sort(items.begin(), items.end());
  }
  std::string out = t;
  for (const auto& item : items) out += "\n" + item;
  return out;
}

}  // namespace

std::map<std::string, std::string> SnapshotOf(RedisPool& redis) {
  std::map<std::string, std::string> out;
  auto keys = redis.Command({"KEYS", "*"});
  EXPECT_TRUE(keys.ok());
  if (!keys.ok()) return out;
  for (size_t i = 0; i < (*keys)->elements; ++i) {
    std::string key(ReplyStr((*keys)->element[i]));
    out[key] = Canonical(redis, key);
  }
  return out;
}

std::map<std::string, std::string> BedsTest::Snapshot() { return SnapshotOf(h().redis()); }

long long EventCountOf(RedisPool& redis, const std::string& stream) {
  auto n = redis.Command({"XLEN", stream});
  return n.ok() ? ReplyInt(n->get()) : -1;
}

long long BedsTest::EventCount() { return EventCountOf(h().redis(), h().store().keys().Events()); }

std::vector<std::map<std::string, std::string>> BedsTest::Events() {
  std::vector<std::map<std::string, std::string>> out;
  auto r = h().redis().Command({"XRANGE", h().store().keys().Events(), "-", "+"});
  EXPECT_TRUE(r.ok());
  for (size_t i = 0; i < (*r)->elements; ++i) {
    const redisReply* fields = (*r)->element[i]->element[1];
    std::map<std::string, std::string> e;
    for (size_t j = 0; j + 1 < fields->elements; j += 2) {
      e[std::string(ReplyStr(fields->element[j]))] = std::string(ReplyStr(fields->element[j + 1]));
    }
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace relais::testing
