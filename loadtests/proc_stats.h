#pragma once
// What a process costs, read from Linux's /proc: resident memory (now and its peak), open file
// descriptors and CPU time. Used by the load runs to watch relais and redis-server from outside.
#include <dirent.h>
#include <sys/types.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

namespace relais::load {

struct ProcSample {
  long rss_kib = -1;       // VmRSS
  long peak_rss_kib = -1;  // VmHWM: the peak since the process started
  int fds = -1;            // entries of /proc/<pid>/fd
  double cpu_seconds = -1; // user + system
  int threads = -1;
};

inline ProcSample ReadProc(pid_t pid) {
  ProcSample s;
  const std::string base = "/proc/" + std::to_string(pid);
  std::ifstream status(base + "/status");
  for (std::string line; std::getline(status, line);) {
    std::istringstream words(line);
    std::string key;
    long value = 0;
    words >> key >> value;
    if (key == "VmRSS:") s.rss_kib = value;
    if (key == "VmHWM:") s.peak_rss_kib = value;
    if (key == "Threads:") s.threads = static_cast<int>(value);
  }
  if (DIR* dir = opendir((base + "/fd").c_str())) {
    int n = 0;
    while (dirent* e = readdir(dir)) n += e->d_name[0] != '.';
    closedir(dir);
    s.fds = n;
  }
  std::ifstream stat(base + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  auto close = text.rfind(')');
  if (close != std::string::npos) {
    std::istringstream fields(text.substr(close + 2));
    std::string field;
    long utime = 0, stime = 0;
    for (int i = 3; fields >> field; ++i) {
      if (i == 14) utime = std::stol(field);
      if (i == 15) {
        stime = std::stol(field);
        break;
      }
    }
    s.cpu_seconds = static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
  }
  return s;
}

}  // namespace relais::load
