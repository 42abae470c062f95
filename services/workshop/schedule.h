#pragma once
// The workshop's weekly schedule: one or more sessions a week, each with a capacity (cases per
// session). Written "tue@10:00=6,fri@14:00=6"; times are UTC. A session's id is its start,
// "2025-03-04T10:00", so a session needs no creation step: it exists because the schedule has it.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace relais::workshop {

inline constexpr char kDefaultSchedule[] = "tue@10:00=6,fri@14:00=6";
inline constexpr int kMaxSessionCapacity = 30;
// The id that names the next session on the schedule (like an empty id), so that a page can address it
// in a path (/api/v1/workshop/sessions/next) before it knows its start.
inline constexpr char kNextSession[] = "next";

struct SessionSlot {
  std::string id;
  int64_t start_ms = 0;
  int capacity = 0;
};

class Schedule {
 public:
  // INVALID_ARGUMENT naming the part that is wrong: 1 to 7 sessions a week, capacity 1 to 30.
  static absl::StatusOr<Schedule> Parse(std::string_view spec);

  // The first session starting at or after now.
  SessionSlot Next(int64_t now_ms) const;
  // The session of that id; INVALID_ARGUMENT ("session_id: ...") when malformed or not on the schedule.
  absl::StatusOr<SessionSlot> Slot(std::string_view session_id) const;

  static std::string IdOf(int64_t start_ms);

 private:
  struct Weekly {
    int weekday = 0;         // 0 = Sunday
    int minute_of_day = 0;
    int capacity = 0;
  };
  std::vector<Weekly> weekly_;
};

}  // namespace relais::workshop
