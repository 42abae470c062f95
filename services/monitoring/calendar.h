#pragma once
// Months, days and nights of the monitoring figures, all in UTC: an event belongs to the month and the
// day of its time, and to the night that contains it, a night running noon to noon UTC and named by
// the date of its first noon (as dispatch names the nights it closes).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace relais::monitoring {

inline constexpr int64_t kDayMs = 24LL * 3600 * 1000;

struct Month {
  int year = 1970;
  int month = 1;  // 1..12

  static std::optional<Month> Parse(std::string_view text);  // "YYYY-MM", years 2000..2999
  static Month Of(int64_t ms);
  std::string Name() const;                                  // "YYYY-MM"
  int64_t StartMs() const;                                   // its first millisecond
  int64_t EndMs() const;                                     // the first millisecond of the next month
  int64_t FirstDay() const { return StartMs() / kDayMs; }    // day index (days since 1970-01-01)
  int Days() const { return static_cast<int>(EndMs() / kDayMs - FirstDay()); }
  Month Previous() const;
  Month Next() const;
  Month YearBefore() const { return Month{year - 1, month}; }
  bool operator==(const Month&) const = default;
};

// Days since 1970-01-01 (UTC) of a time; negative times round down.
int64_t DayIndex(int64_t ms);
// "YYYY-MM-DD" of a day index.
std::string DayName(int64_t day);
// The night a time belongs to, as the day index of its first noon.
int64_t NightIndex(int64_t ms);

}  // namespace relais::monitoring
