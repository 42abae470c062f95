#include "tests/support/redis_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <thread>

namespace relais::testing {

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    throw std::runtime_error("cannot bind a free port");
  }
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  int port = ntohs(addr.sin_port);
  close(fd);
  return port;
}

RedisServer::RedisServer() : RedisServer(std::vector<std::string>{}) {}

RedisServer::RedisServer(std::vector<std::string> extra_args, std::string config_file)
    : extra_args_(std::move(extra_args)), config_file_(std::move(config_file)) {
  char tmpl[] = "/tmp/relais-redis-XXXXXX";
  if (!mkdtemp(tmpl)) throw std::runtime_error("cannot make a temporary folder");
  dir_ = tmpl;
  port_ = FreePort();
  Start();
}

RedisServer::~RedisServer() {
  if (pid_ > 0) {
    kill(pid_, SIGCONT);
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

RedisOptions RedisServer::options(int pool_size) const {
  RedisOptions o;
  o.host = "127.0.0.1";
  o.port = port_;
  o.pool_size = pool_size;
  o.command_timeout = std::chrono::milliseconds(2000);
  o.acquire_timeout = std::chrono::milliseconds(2000);
  return o;
}

void RedisServer::Start() {
  std::string port = std::to_string(port_);
  pid_ = fork();
  if (pid_ == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);  // a test that crashes leaves no server behind
    // Quiet, loopback only, AOF on and fsync'd before each answer, as in production (see
    // deploy/redis/relais-dev.conf for why everysec is not enough); no RDB snapshots.
    // With a configuration file, only where it listens and keeps its data are the test's.
    std::vector<std::string> args = {"redis-server"};
    if (config_file_.empty()) {
      args.insert(args.end(), {"--appendonly", "yes", "--appendfsync", "always", "--save", ""});
    } else {
      args.insert(args.begin() + 1, config_file_);
    }
    args.insert(args.end(), {"--port", port, "--bind", "127.0.0.1", "--dir", dir_, "--logfile", "redis.log",
                             "--daemonize", "no"});
    args.insert(args.end(), extra_args_.begin(), extra_args_.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execvp("redis-server", argv.data());
    _exit(127);
  }
  if (pid_ < 0) throw std::runtime_error("cannot fork redis-server");
  WaitUntilReady();
}

void RedisServer::WaitUntilReady() {
  // Redis binds before it listens, and loads its AOF before it answers: ready when PING says PONG.
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < until) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("redis-server exited at start (is it installed?)");
    }
    auto conn = RedisConnection::Connect(options(1));
    if (conn.ok()) {
      auto pong = (*conn)->Command({"PING"});
      if (pong.ok()) return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error("redis-server did not answer PING in time");
}

void RedisServer::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

void RedisServer::Pause() { kill(pid_, SIGSTOP); }
void RedisServer::Resume() { kill(pid_, SIGCONT); }

void RedisServer::FlushAll() {
  auto conn = RedisConnection::Connect(options(1));
  if (!conn.ok()) throw std::runtime_error("cannot reach the test redis");
  (*conn)->Command({"FLUSHALL"}).IgnoreError();
  (*conn)->Command({"SCRIPT", "FLUSH"}).IgnoreError();
}

}  // namespace relais::testing
