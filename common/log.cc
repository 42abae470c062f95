#include "common/log.h"

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace relais::log {
namespace {

std::atomic<Level> g_level{Level::kInfo};
std::mutex g_mutex;
std::string* g_sink = nullptr;  // guarded by g_mutex

const char* LevelName(Level l) {
  switch (l) {
    case Level::kDebug: return "debug";
    case Level::kInfo: return "info";
    case Level::kWarn: return "warn";
    case Level::kError: return "error";
  }
  return "info";
}

// Only identifiers and our own literals reach here, but escape anyway so a line is always valid JSON.
std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) continue;
    out += c;
  }
  return out + "\"";
}

std::string NowIso() {
  auto now = std::chrono::system_clock::now();
  auto secs = std::chrono::system_clock::to_time_t(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[80];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

}  // namespace

bool IsIdentifier(std::string_view s) {
  if (s.empty() || s.size() > 80) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
              c == '.' || c == ':' || c == '/' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Value Value::Id(std::string_view id) {
  if (!IsIdentifier(id)) return Value();
  return Value(std::string(id), true);
}

std::string Value::ToJson() const {
  struct Visitor {
    std::string operator()(int64_t v) const { return std::to_string(v); }
    std::string operator()(double v) const { return std::isfinite(v) ? std::to_string(v) : "null"; }
    std::string operator()(bool v) const { return v ? "true" : "false"; }
    std::string operator()(const std::string& v) const { return Quote(v); }
    std::string operator()(Redacted) const { return "\"<redacted>\""; }
  };
  return std::visit(Visitor{}, v_);
}

void SetLevel(Level level) { g_level = level; }

Level ParseLevel(std::string_view name) {
  if (name == "debug") return Level::kDebug;
  if (name == "warn") return Level::kWarn;
  if (name == "error") return Level::kError;
  return Level::kInfo;
}

void SetSinkForTest(std::string* sink) {
  std::lock_guard lock(g_mutex);
  g_sink = sink;
}

void Write(Level level, const char* event, std::initializer_list<Field> fields) {
  if (level < g_level.load()) return;
  std::string line = "{\"ts\":" + Quote(NowIso()) + ",\"level\":\"" + LevelName(level) + "\",\"event\":" + Quote(event);
  for (const auto& f : fields) line += "," + Quote(f.key) + ":" + f.value.ToJson();
  line += "}\n";
  std::lock_guard lock(g_mutex);
  if (g_sink) {
    *g_sink += line;
  } else {
    std::fwrite(line.data(), 1, line.size(), stderr);
  }
}

}  // namespace relais::log
