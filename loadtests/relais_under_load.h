#pragma once
// Relais as the load runs meet it: the real all-in-one `relais` executable started as a child process
// against a private redis-server (AOF on, fsync before each answer, as in production), the Brussels demo
// directory loaded by `relais-import`, accounts made by `relais-admin` (operators, the two street teams,
// monitoring, an administrator) and signed in over REST, one API key per shelter (its management
// system), a region-wide cold-weather crisis opened (a cold night: the buffer places are open) and a
// few calls waiting.
#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "loadtests/cold_night.h"
#include "tests/support/child_process.h"
#include "tests/support/redis_server.h"

namespace relais::load {

struct RelaisUnderLoadOptions {
  int operators = 8;
  int waiting_calls = 15;
  std::vector<std::string> extra_flags;  // more flags for relais
};

class RelaisUnderLoad {
 public:
  explicit RelaisUnderLoad(RelaisUnderLoadOptions o = {});  // throws std::runtime_error when a step fails
  ~RelaisUnderLoad();

  const World& world() const { return world_; }
  int http_port() const { return http_port_; }
  int metrics_port() const { return metrics_port_; }  // relais' Prometheus /metrics
  pid_t relais_pid() const { return relais_->pid; }
  pid_t redis_pid() const { return redis_.pid(); }
  testing::RedisServer& redis() { return redis_; }

 private:
  void MakeAccount(const std::string& name, const std::vector<std::string>& role_args);
  Account SignIn(const std::string& name);

  testing::RedisServer redis_;
  int http_port_ = 0;
  int metrics_port_ = 0;
  std::string grpc_target_;  // relais' gRPC address (relais-import loads the directory through it)
  std::unique_ptr<testing::ChildGuard> relais_;
  World world_;
};

}  // namespace relais::load
