// Relais on the Redis deployments that scale it out or keep it up: a Redis Cluster of three primaries
// on loopback (a region lives in its hash tag's slot, on one primary; a resharding that moves that slot
// is followed), and a primary with a replica under Sentinel (a failover is followed). The beds service
// runs unchanged on both; only the connection options differ.
#include <gtest/gtest.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "common/grpc_status.h"
#include "common/random_id.h"
#include "common/redis_topology.h"
#include "common/region_keys.h"
#include "tests/support/harness.h"

namespace relais::testing {
namespace {

using namespace relais::v1;

std::unique_ptr<RedisConnection> ConnectTo(int port) {
  RedisOptions o;
  o.port = port;
  auto c = RedisConnection::Connect(o);
  if (!c.ok()) throw std::runtime_error("cannot reach a test redis node");
  return std::move(*c);
}

std::string Reply(RedisConnection& c, const Argv& argv) {
  auto r = c.Command(argv);
  return r.ok() ? std::string(ReplyStr(r->get())) : std::string(r.status().message());
}

// Runs a command line, true when it exits with 0.
bool RunCommand(const std::string& command) { return std::system((command + " >/dev/null 2>&1").c_str()) == 0; }

// A shelter with one pool of `places` free places, and one hold taken on it.
void ShelterWithAHold(Harness& h, const std::string& shelter_id, int places) {
  CreateShelterRequest create;
  *create.mutable_shelter() = MakeShelter(shelter_id);
  create.set_idempotency_key(RandomId("k-"));
  CreateShelterResponse created;
  auto s = h.stub().CreateShelter(Harness::As(Admin()).get(), create, &created);
  ASSERT_TRUE(s.ok()) << s.error_message();
  DeclarePoolRequest declare;
  declare.set_shelter_id(shelter_id);
  declare.set_public_("single_men");
  declare.mutable_figures()->set_places_in_service(places);
  declare.set_idempotency_key(RandomId("k-"));
  DeclarePoolResponse declared;
  s = h.stub().DeclarePool(Harness::As(ShelterAccount(shelter_id)).get(), declare, &declared);
  ASSERT_TRUE(s.ok()) << s.error_message();
}

// One hold; a retry passes the same key, so it can never take a second place.
absl::Status TakeOne(Harness& h, const std::string& pool_id, const std::string& key = RandomId("k-")) {
  TakeHoldRequest req;
  req.set_pool_id(pool_id);
  req.set_request_id("req-" + key);
  req.set_idempotency_key(key);
  TakeHoldResponse resp;
  return FromGrpcStatus(h.stub().TakeHold(Harness::As(Operator()).get(), req, &resp));
}

int FreePlaces(Harness& h, const std::string& shelter_id) {
  GetAvailabilityRequest req;
  req.mutable_filter()->set_shelter_id(shelter_id);
  GetAvailabilityResponse resp;
  auto s = h.stub().GetAvailability(Harness::As(Operator()).get(), req, &resp);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return resp.pools_size() == 1 ? resp.pools(0).free() : -1;
}

beds::BedsConfig BedsFor(const std::string& region) {
  beds::BedsConfig c;
  c.store.region = region;
  return c;
}
dispatch::DispatchConfig DispatchFor(const std::string& region) {
  dispatch::DispatchConfig c;
  c.store.region = region;
  return c;
}

// ---- Redis Cluster ----

class ClusterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int i = 0; i < 3; ++i) {
      nodes_.push_back(std::make_unique<RedisServer>(std::vector<std::string>{
          "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "2000",
          // The bus port defaults to port + 10000, which may be taken or beyond 65535.
          "--cluster-port", std::to_string(FreePort())}));
    }
    std::string create = "redis-cli --cluster create";
    for (auto& n : nodes_) create += " 127.0.0.1:" + std::to_string(n->port());
    ASSERT_TRUE(RunCommand(create + " --cluster-replicas 0 --cluster-yes")) << "redis-cli --cluster create failed";
    for (auto& n : nodes_) WaitClusterOk(n->port());
  }

  static void WaitClusterOk(int port) {
    auto c = ConnectTo(port);
    for (int i = 0; i < 200; ++i) {
      if (Reply(*c, {"CLUSTER", "INFO"}).find("cluster_state:ok") != std::string::npos) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL() << "cluster not ok on port " << port;
  }

  // The node (index) serving a region's slot, asked of the cluster itself.
  int Owner(const std::string& region) {
    RedisOptions o;
    o.cluster_seeds = {"127.0.0.1:" + std::to_string(nodes_[0]->port())};
    o.routing_key = RegionKeys(region).Events();
    auto primary = ResolvePrimary(o);
    EXPECT_TRUE(primary.ok()) << primary.status();
    for (size_t i = 0; i < nodes_.size(); ++i) {
      if (primary.ok() && nodes_[i]->port() == primary->port) return static_cast<int>(i);
    }
    return -1;
  }

  RedisOptions Options(const std::string& region, int seed) {
    RedisOptions o;
    o.cluster_seeds = {"127.0.0.1:" + std::to_string(nodes_[seed]->port())};
    o.routing_key = RegionKeys(region).Events();
    o.pool_size = 4;
    return o;
  }

  // Moves a slot and its keys from one node to another, as redis-cli --cluster reshard does.
  void MoveSlot(int slot, int from, int to) {
    auto src = ConnectTo(nodes_[from]->port());
    auto dst = ConnectTo(nodes_[to]->port());
    std::string src_id = Reply(*src, {"CLUSTER", "MYID"}), dst_id = Reply(*dst, {"CLUSTER", "MYID"});
    std::string s = std::to_string(slot);
    ASSERT_EQ(Reply(*dst, {"CLUSTER", "SETSLOT", s, "IMPORTING", src_id}), "OK");
    ASSERT_EQ(Reply(*src, {"CLUSTER", "SETSLOT", s, "MIGRATING", dst_id}), "OK");
    auto keys = src->Command({"CLUSTER", "GETKEYSINSLOT", s, "10000"});
    ASSERT_TRUE(keys.ok());
    Argv migrate = {"MIGRATE", "127.0.0.1", std::to_string(nodes_[to]->port()), "", "0", "5000", "KEYS"};
    for (size_t i = 0; i < (*keys)->elements; ++i) migrate.emplace_back(ReplyStr((*keys)->element[i]));
    ASSERT_EQ(Reply(*src, migrate), "OK");
    for (auto& n : nodes_) {
      auto c = ConnectTo(n->port());
      ASSERT_EQ(Reply(*c, {"CLUSTER", "SETSLOT", s, "NODE", dst_id}), "OK");
    }
  }

  std::vector<std::unique_ptr<RedisServer>> nodes_;
};

TEST(ClusterSlotTest, MatchesRedisClusterHashing) {
  EXPECT_EQ(ClusterSlot("123456789"), 0x31C3);  // the CRC16 check value of the Redis Cluster spec
  EXPECT_EQ(ClusterSlot("{user1000}.following"), ClusterSlot("{user1000}.followers"));
  EXPECT_EQ(ClusterSlot("foo{}{bar}"), ClusterSlot("foo{}{bar}"));  // an empty tag hashes the whole key
  EXPECT_EQ(ClusterSlot("relais:{brussels}:events"), ClusterSlot("relais:{brussels}:pool:x"));
}

TEST_F(ClusterTest, RegionsLiveOnTheirOwnPrimaryAndAReshardIsFollowed) {
  // Two regions whose slots are served by different primaries.
  const std::string first = "brussels";
  std::string second;
  for (int i = 0; i < 100 && second.empty(); ++i) {
    std::string candidate = "region" + std::to_string(i);
    if (Owner(candidate) != Owner(first)) second = candidate;
  }
  ASSERT_FALSE(second.empty());
  const int first_owner = Owner(first), second_owner = Owner(second);

  // Each region's services are pointed at a seed that does not serve it: the primary is found anyway.
  Harness brussels(Options(first, (first_owner + 1) % 3), BedsFor(first), DispatchFor(first));
  Harness other(Options(second, (second_owner + 1) % 3), BedsFor(second), DispatchFor(second));
  ShelterWithAHold(brussels, "b-shelter", 3);
  ShelterWithAHold(other, "o-shelter", 3);
  ASSERT_TRUE(TakeOne(brussels, "b-shelter:single_men").ok());
  ASSERT_TRUE(TakeOne(other, "o-shelter:single_men").ok());
  EXPECT_EQ(FreePlaces(brussels, "b-shelter"), 2);
  EXPECT_EQ(FreePlaces(other, "o-shelter"), 2);

  // Every key of a region is on its primary, none elsewhere.
  auto owner = ConnectTo(nodes_[first_owner]->port());
  EXPECT_EQ(ReplyInt(owner->Command({"CLUSTER", "COUNTKEYSINSLOT",
                                     std::to_string(ClusterSlot(RegionKeys(first).Events()))})->get()),
            ReplyInt(owner->Command({"DBSIZE"})->get()));
  EXPECT_GT(ReplyInt(owner->Command({"DBSIZE"})->get()), 0);

  // The region's slot moves to another primary: the next hold meets MOVED and follows it.
  const int target = (first_owner + 1) % 3 == second_owner ? (first_owner + 2) % 3 : (first_owner + 1) % 3;
  MoveSlot(ClusterSlot(RegionKeys(first).Events()), first_owner, target);
  EXPECT_EQ(Owner(first), target);
  ASSERT_TRUE(TakeOne(brussels, "b-shelter:single_men").ok());
  EXPECT_EQ(FreePlaces(brussels, "b-shelter"), 1);
  ASSERT_TRUE(TakeOne(brussels, "b-shelter:single_men").ok());
  EXPECT_EQ(FreePlaces(brussels, "b-shelter"), 0);
  // The last place is still given once.
  EXPECT_EQ(TakeOne(brussels, "b-shelter:single_men").code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ReplyInt(ConnectTo(nodes_[first_owner]->port())->Command({"DBSIZE"})->get()), 0);
}

// ---- Sentinel ----

// A sentinel watching one primary under the name "relais".
class Sentinel {
 public:
  explicit Sentinel(int primary_port) : port_(FreePort()) {
    char tmpl[] = "/tmp/relais-sentinel-XXXXXX";
    if (!mkdtemp(tmpl)) throw std::runtime_error("cannot make a temporary folder");
    dir_ = tmpl;
    std::ofstream(dir_ + "/sentinel.conf") << "port " << port_ << "\nbind 127.0.0.1\ndir " << dir_
                                           << "\nsentinel monitor relais 127.0.0.1 " << primary_port
                                           << " 1\nsentinel down-after-milliseconds relais 1000\n"
                                           << "sentinel failover-timeout relais 10000\n";
    pid_ = fork();
    if (pid_ == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      std::string conf = dir_ + "/sentinel.conf", log = dir_ + "/sentinel.log";
      execlp("redis-server", "redis-server", conf.c_str(), "--sentinel", "--logfile", log.c_str(),
             static_cast<char*>(nullptr));
      _exit(127);
    }
    for (int i = 0; i < 200; ++i) {
      RedisOptions o;
      o.port = port_;
      auto c = RedisConnection::Connect(o);
      if (c.ok() && (*c)->Command({"PING"}).ok()) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    throw std::runtime_error("sentinel did not start");
  }
  ~Sentinel() {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    std::filesystem::remove_all(dir_);
  }
  int port() const { return port_; }

 private:
  int port_;
  std::string dir_;
  pid_t pid_ = -1;
};

TEST(SentinelTest, AFailoverIsFollowedAndAcknowledgedHoldsAreOnTheNewPrimary) {
  RedisServer primary;
  RedisServer replica({"--replicaof", "127.0.0.1", std::to_string(primary.port())});
  Sentinel sentinel(primary.port());
  auto s = ConnectTo(sentinel.port());
  // The sentinel must know the replica before it can fail over to it.
  for (int i = 0; i < 200; ++i) {
    auto r = s->Command({"SENTINEL", "REPLICAS", "relais"});
    if (r.ok() && (*r)->elements > 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }

  RedisOptions o;
  o.sentinels = {"127.0.0.1:" + std::to_string(sentinel.port())};
  o.pool_size = 4;
  Harness h(o);
  ShelterWithAHold(h, "s-shelter", 5);
  ASSERT_TRUE(TakeOne(h, "s-shelter:single_men").ok());
  // Replication is asynchronous: an acknowledged change is on the replica once WAIT says so.
  auto p = ConnectTo(primary.port());
  long long replicas = 0;
  for (int i = 0; i < 20 && replicas < 1; ++i) {
    auto waited = p->Command({"WAIT", "1", "500"});  // within the connection's 1 s command timeout
    replicas = waited.ok() ? ReplyInt(waited->get()) : 0;
  }
  ASSERT_EQ(replicas, 1);

  // A sentinel that has just met the replica may not yet find it suitable (NOGOODSLAVE): ask again.
  std::string failover;
  for (int i = 0; i < 100 && failover != "OK"; ++i) {
    failover = Reply(*s, {"SENTINEL", "FAILOVER", "relais"});
    if (failover != "OK") std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  ASSERT_EQ(failover, "OK");
  auto new_primary = [&] {
    auto r = s->Command({"SENTINEL", "get-master-addr-by-name", "relais"});
    return r.ok() && (*r)->elements == 2 ? static_cast<int>(ReplyInt((*r)->element[1])) : 0;
  };
  for (int i = 0; i < 200 && new_primary() != replica.port(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_EQ(new_primary(), replica.port());

  // The next hold goes to the new primary (the old one answers READONLY, or is still being demoted:
  // the caller retries with its idempotency key, as every client of Relais does).
  absl::Status taken;
  const std::string key = RandomId("k-");
  for (int i = 0; i < 100; ++i) {
    taken = TakeOne(h, "s-shelter:single_men", key);
    if (taken.ok()) break;
    ASSERT_EQ(taken.code(), absl::StatusCode::kUnavailable) << taken;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(taken.ok()) << taken;
  EXPECT_EQ(FreePlaces(h, "s-shelter"), 3);  // both holds, the one before the failover included
  auto role = ConnectTo(replica.port())->Command({"ROLE"});
  ASSERT_TRUE(role.ok());
  EXPECT_EQ(ReplyStr((*role)->element[0]), "master");
}

}  // namespace
}  // namespace relais::testing

namespace relais::testing {
namespace {

// --redis-wait-replicas: a change is acknowledged only once a replica has it, so a failover right
// after the answer cannot lose it. The control without it acknowledges while the replica is stopped.
TEST(WaitReplicasTest, AChangeIsAcknowledgedOnlyOnceAReplicaHasIt) {
  RedisServer primary;
  RedisServer replica({"--replicaof", "127.0.0.1", std::to_string(primary.port())});
  auto p = ConnectTo(primary.port());
  for (int i = 0; i < 100 && Reply(*p, {"INFO", "replication"}).find("state=online") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  RedisOptions waiting = primary.options(4);
  waiting.wait_replicas = 1;
  Harness h(waiting);
  ShelterWithAHold(h, "w-shelter", 5);
  ASSERT_TRUE(TakeOne(h, "w-shelter:single_men").ok());

  replica.Pause();
  const std::string key = RandomId("k-");
  EXPECT_EQ(TakeOne(h, "w-shelter:single_men", key).code(), absl::StatusCode::kUnavailable);
  {  // control: without waiting, the same moment is acknowledged although no replica has it
    Harness eager(primary.options(2));
    EXPECT_TRUE(TakeOne(eager, "w-shelter:single_men").ok());
  }
  replica.Resume();
  absl::Status retried;
  for (int i = 0; i < 50; ++i) {
    retried = TakeOne(h, "w-shelter:single_men", key);  // same key: the stored answer, no second place
    if (retried.ok()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(retried.ok()) << retried;
  EXPECT_EQ(FreePlaces(h, "w-shelter"), 2);  // 5 places: the first hold, the retried one, the control's
}

}  // namespace
}  // namespace relais::testing

namespace relais::testing {
namespace {

// deploy/redis/relais-production.conf loads, keeps every change on disk before answering, never
// evicts, and refuses writes while no replica is in sync (the services answer UNAVAILABLE).
TEST(ProductionConfigTest, DurableNoEvictionAndWritesOnlyWithAReplica) {
  RedisServer primary({}, RELAIS_SOURCE_DIR "/deploy/redis/relais-production.conf");
  auto p = ConnectTo(primary.port());
  auto setting = [&](const std::string& name) {
    auto r = p->Command({"CONFIG", "GET", name});
    return r.ok() && (*r)->elements == 2 ? std::string(ReplyStr((*r)->element[1])) : std::string();
  };
  EXPECT_EQ(setting("appendonly"), "yes");
  EXPECT_EQ(setting("appendfsync"), "always");
  EXPECT_EQ(setting("maxmemory-policy"), "noeviction");
  EXPECT_EQ(setting("min-replicas-to-write"), "1");

  Harness alone(primary.options(2));
  CreateShelterRequest create;
  *create.mutable_shelter() = MakeShelter("p-shelter");
  create.set_idempotency_key(RandomId("k-"));
  CreateShelterResponse created;
  EXPECT_EQ(alone.stub().CreateShelter(Harness::As(Admin()).get(), create, &created).error_code(),
            grpc::StatusCode::UNAVAILABLE);

  RedisServer replica({"--replicaof", "127.0.0.1", std::to_string(primary.port())});
  for (int i = 0; i < 100 && Reply(*p, {"INFO", "replication"}).find("state=online") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  auto s = alone.stub().CreateShelter(Harness::As(Admin()).get(), create, &created);  // the same key, now done
  EXPECT_TRUE(s.ok()) << s.error_message();
}

}  // namespace
}  // namespace relais::testing
