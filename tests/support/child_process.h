#pragma once
// Real executables started from tests, as a person would start them: spawned with arguments (no
// shell), killed when the test ends whatever way it ends, or run to their end with their output.
#include <sys/types.h>

#include <string>
#include <vector>

namespace relais::testing {

pid_t Spawn(std::vector<std::string> args);

// Kills the child (SIGKILL) when it goes out of scope, so no process outlives the test. Movable, so
// guards can be kept in a vector; a moved-from guard kills nothing.
struct ChildGuard {
  explicit ChildGuard(pid_t p) : pid(p) {}
  ChildGuard(ChildGuard&& other) noexcept : pid(other.pid) { other.pid = -1; }
  ChildGuard(const ChildGuard&) = delete;
  ChildGuard& operator=(const ChildGuard&) = delete;
  ~ChildGuard();
  pid_t pid;
};

// Runs to the end; returns the exit code (-1 when killed by a signal). `output` gets stdout and stderr.
int RunToEnd(std::vector<std::string> args, std::string* output = nullptr, const std::string& input = "");

// SIGKILL, then wait for it.
void KillNow(pid_t pid);
// SIGTERM, then wait for it; returns its exit code (-1 when killed by a signal).
int StopGently(pid_t pid);

}  // namespace relais::testing
