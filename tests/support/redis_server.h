#pragma once
// A private redis-server for one test binary (or benchmark): a random free port on loopback, a data
// folder of its own in a temporary directory, AOF on. It can be killed with SIGKILL and restarted from
// the same folder, to prove what survives.
#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

#include "common/redis.h"

namespace relais::testing {

class RedisServer {
 public:
  RedisServer();    // starts it; throws std::runtime_error when it cannot
  // With more redis-server arguments (e.g. --cluster-enabled yes, --replicaof host port).
  explicit RedisServer(std::vector<std::string> extra_args, std::string config_file = "");
  ~RedisServer();   // stops it and removes its folder

  int port() const { return port_; }
  pid_t pid() const { return pid_; }  // for watching its memory and descriptors from outside
  const std::string& dir() const { return dir_; }
  RedisOptions options(int pool_size = 8) const;

  void Kill();               // SIGKILL: no chance to save anything more
  void Start();              // again, from the same data folder, on the same port
  void Pause();              // SIGSTOP
  void Resume();             // SIGCONT
  void FlushAll();           // empties the data between tests

 private:
  void WaitUntilReady();
  std::vector<std::string> extra_args_;
  std::string config_file_;  // read first; the test's own arguments (port, folder, ...) override it
  std::string dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

// A free TCP port on 127.0.0.1 at the time of asking.
int FreePort();

}  // namespace relais::testing
