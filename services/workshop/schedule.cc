#include "services/workshop/schedule.h"

#include <ctime>

namespace relais::workshop {
namespace {

constexpr int64_t kMinuteMs = 60 * 1000LL;
constexpr int64_t kDayMs = 24 * 60 * kMinuteMs;
constexpr const char* kDays[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

int WeekdayOfDay(int64_t epoch_day) { return static_cast<int>(((epoch_day % 7) + 4 + 7) % 7); }  // 1970-01-01: Thu

bool ParseInt(std::string_view s, int& out) {
  if (s.empty() || s.size() > 4) return false;
  out = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

absl::Status Bad(std::string_view part, std::string_view why) {
  return absl::InvalidArgumentError("workshop schedule: \"" + std::string(part) + "\" " + std::string(why) +
                                    " (e.g. tue@10:00=6,fri@14:00=6)");
}

}  // namespace

absl::StatusOr<Schedule> Schedule::Parse(std::string_view spec) {
  Schedule out;
  size_t start = 0;
  while (start <= spec.size()) {
    size_t comma = spec.find(',', start);
    if (comma == std::string_view::npos) comma = spec.size();
    std::string_view part = spec.substr(start, comma - start);
    start = comma + 1;
    size_t at = part.find('@'), colon = part.find(':'), eq = part.find('=');
    if (at != 3 || colon == std::string_view::npos || eq == std::string_view::npos || !(at < colon && colon < eq)) {
      return Bad(part, "is not day@HH:MM=capacity");
    }
    Weekly w;
    w.weekday = -1;
    for (int d = 0; d < 7; ++d) {
      if (part.substr(0, 3) == kDays[d]) w.weekday = d;
    }
    int hour = 0, minute = 0;
    if (w.weekday < 0) return Bad(part, "names no day (mon, tue, ...)");
    if (!ParseInt(part.substr(at + 1, colon - at - 1), hour) || !ParseInt(part.substr(colon + 1, eq - colon - 1), minute) ||
        hour > 23 || minute > 59) {
      return Bad(part, "has no valid time");
    }
    if (!ParseInt(part.substr(eq + 1), w.capacity) || w.capacity < 1 || w.capacity > kMaxSessionCapacity) {
      return Bad(part, "needs a capacity of 1 to 30 cases");
    }
    w.minute_of_day = hour * 60 + minute;
    for (const auto& other : out.weekly_) {
      if (other.weekday == w.weekday && other.minute_of_day == w.minute_of_day) return Bad(part, "is listed twice");
    }
    out.weekly_.push_back(w);
    if (comma == spec.size()) break;
  }
  if (out.weekly_.empty() || out.weekly_.size() > 7) return Bad(spec, "must list 1 to 7 sessions a week");
  return out;
}

std::string Schedule::IdOf(int64_t start_ms) {
  std::time_t t = static_cast<std::time_t>(start_ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[24];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M", &tm);
  return text;
}

SessionSlot Schedule::Next(int64_t now_ms) const {
  int64_t today = now_ms >= 0 ? now_ms / kDayMs : (now_ms - kDayMs + 1) / kDayMs;
  SessionSlot best;
  for (int64_t day = today; day <= today + 7; ++day) {
    for (const auto& w : weekly_) {
      if (w.weekday != WeekdayOfDay(day)) continue;
      int64_t start = day * kDayMs + w.minute_of_day * kMinuteMs;
      if (start < now_ms || (best.capacity > 0 && start >= best.start_ms)) continue;
      best = {IdOf(start), start, w.capacity};
    }
    if (best.capacity > 0) break;
  }
  return best;
}

absl::StatusOr<SessionSlot> Schedule::Slot(std::string_view session_id) const {
  // YYYY-MM-DDTHH:MM
  bool shaped = session_id.size() == 16 && session_id[4] == '-' && session_id[7] == '-' && session_id[10] == 'T' &&
                session_id[13] == ':';
  int year = 0, month = 0, day = 0, hour = 0, minute = 0;
  if (!shaped || !ParseInt(session_id.substr(0, 4), year) || !ParseInt(session_id.substr(5, 2), month) ||
      !ParseInt(session_id.substr(8, 2), day) || !ParseInt(session_id.substr(11, 2), hour) ||
      !ParseInt(session_id.substr(14, 2), minute) || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 ||
      minute > 59 || year < 2000) {
    return absl::InvalidArgumentError("session_id: a session start such as 2025-03-04T10:00 (UTC)");
  }
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  int64_t start = static_cast<int64_t>(timegm(&tm)) * 1000;
  if (IdOf(start) != session_id) return absl::InvalidArgumentError("session_id: no such date");
  int64_t epoch_day = start / kDayMs;
  int minute_of_day = hour * 60 + minute;
  for (const auto& w : weekly_) {
    if (w.weekday == WeekdayOfDay(epoch_day) && w.minute_of_day == minute_of_day) {
      return SessionSlot{std::string(session_id), start, w.capacity};
    }
  }
  return absl::InvalidArgumentError("session_id: the schedule has no session at that time");
}

}  // namespace relais::workshop
