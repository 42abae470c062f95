#include "services/monitoring/calendar.h"

#include <chrono>
#include <cstdio>

namespace relais::monitoring {
namespace {

using std::chrono::sys_days;
using std::chrono::year_month_day;

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0); }

year_month_day DateOf(int64_t day) { return year_month_day{sys_days{std::chrono::days{day}}}; }

int64_t DayOf(int year, int month, int day) {
  return sys_days{std::chrono::year{year} / std::chrono::month{static_cast<unsigned>(month)} /
                  std::chrono::day{static_cast<unsigned>(day)}}
      .time_since_epoch()
      .count();
}

}  // namespace

std::optional<Month> Month::Parse(std::string_view text) {
  if (text.size() != 7 || text[4] != '-') return std::nullopt;
  for (size_t i : {0, 1, 2, 3, 5, 6}) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  }
  int year = (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
  int month = (text[5] - '0') * 10 + (text[6] - '0');
  if (year < 2000 || year > 2999 || month < 1 || month > 12) return std::nullopt;
  return Month{year, month};
}

Month Month::Of(int64_t ms) {
  auto date = DateOf(DayIndex(ms));
  return Month{static_cast<int>(date.year()), static_cast<int>(static_cast<unsigned>(date.month()))};
}

std::string Month::Name() const {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02d", year, month);
  return text;
}

int64_t Month::StartMs() const { return DayOf(year, month, 1) * kDayMs; }
int64_t Month::EndMs() const { return Next().StartMs(); }
Month Month::Previous() const { return month == 1 ? Month{year - 1, 12} : Month{year, month - 1}; }
Month Month::Next() const { return month == 12 ? Month{year + 1, 1} : Month{year, month + 1}; }

int64_t DayIndex(int64_t ms) { return FloorDiv(ms, kDayMs); }

std::string DayName(int64_t day) {
  auto date = DateOf(day);
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return text;
}

int64_t NightIndex(int64_t ms) { return DayIndex(ms - kDayMs / 2); }

}  // namespace relais::monitoring
