#include "services/monitoring/report_reader.h"

#include <algorithm>
#include <charconv>
#include <optional>

#include "common/timestamps.h"
#include "services/monitoring/generation.h"
#include "services/monitoring/indicator.h"
#include "services/monitoring/suppression.h"

namespace relais::monitoring {
namespace {

int64_t ToInt(std::string_view s) {
  int64_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

std::map<std::string, int64_t> IntHash(const redisReply* r) {
  std::map<std::string, int64_t> out;
  for (size_t i = 0; r != nullptr && i + 1 < r->elements; i += 2) {
    out.emplace(ReplyStr(r->element[i]), ToInt(ReplyStr(r->element[i + 1])));
  }
  return out;
}

constexpr int64_t kIndicatorRecentMs = 60'000;

struct IndicatorCount {
  int met = 0, missed = 0, pending = 0;
};

// The indicator's counts for a month: kept (counts only) once the month is over, computed from the
// followed stream until then. `caught_up`: the follower has read the stream during this report already.
absl::StatusOr<IndicatorCount> IndicatorCounts(RedisPool& redis, const Keys& keys, const Month& month, int64_t now_ms,
                                               IndicatorFollower& follower, bool& caught_up) {
  // Kept for good once the month is over; for a month in progress, counts made less than a minute ago
  // are reused (a page refreshed every few seconds need not even read what is new).
  bool over = now_ms >= month.EndMs() + kIndicatorClockSlackMs;
  auto read_kept = [&] { return redis.Command({"HMGET", keys.Indicator(month.Name()), "met", "missed", "pending", "until"}); };
  auto kept = read_kept();
  if (!kept.ok()) return kept.status();
  auto fresh_counts = [&]() -> std::optional<IndicatorCount> {
    int64_t until = ReplyInt((*kept)->element[3]);
    bool fresh = over ? until == 0 : now_ms >= until && now_ms - until < kIndicatorRecentMs;
    if (ReplyIsNil((*kept)->element[0]) || !fresh) return std::nullopt;
    return IndicatorCount{static_cast<int>(ReplyInt((*kept)->element[0])), static_cast<int>(ReplyInt((*kept)->element[1])),
                          static_cast<int>(ReplyInt((*kept)->element[2]))};
  };
  if (auto counts = fresh_counts()) return *counts;
  // One reader of the follower at a time: reports asked together once the kept counts are a minute old
  // wait for the first one, then find the counts it kept.
  std::unique_lock lock(follower.mutex());
  kept = read_kept();
  if (!kept.ok()) return kept.status();
  if (auto counts = fresh_counts()) return *counts;
  int64_t until = ReplyInt((*kept)->element[3]);
  if (!caught_up) {
    if (auto read = follower.CatchUp(redis, keys.Events()); !read.ok()) return read;
    caught_up = true;
  }
  InsertionShare share = follower.indicator().CountPeriod(month.StartMs(), std::min(now_ms, month.EndMs()));
  IndicatorCount count{share.met, share.missed, share.pending};
  if (!over && !ReplyIsNil((*kept)->element[0]) && until == 0) return count;  // never over a month's final counts
  auto keep = redis.Command({"HSET", keys.Indicator(month.Name()), "met", std::to_string(count.met), "missed",
                             std::to_string(count.missed), "pending", std::to_string(count.pending), "until",
                             over ? "0" : std::to_string(now_ms)});
  if (!keep.ok()) return keep.status();
  return count;
}

}  // namespace

absl::StatusOr<MonthAggregates> ReadMonth(RedisPool& redis, const Keys& keys, const Month& month, int64_t now_ms) {
  MonthAggregates a;
  a.month = month;
  a.now_ms = now_ms;
  std::vector<Argv> reads = {{"HGETALL", keys.Month(month.Name())},
                             {"PFCOUNT", keys.Distinct(month.Name(), "persons.requesting")},
                             {"HGETALL", keys.Occupancy()},
                             {"HGETALL", keys.Crises()},
                             {"HMGET", keys.Totals(), "type|case.registered", "type|session.closed"}};
  for (int i = 0; i < month.Days(); ++i) reads.push_back({"HGETALL", keys.Day(DayName(month.FirstDay() + i))});
  auto replies = redis.Pipeline(reads);
  if (!replies.ok()) return replies.status();
  a.counters = IntHash((*replies)[0].get());
  a.persons_requesting = ReplyInt((*replies)[1].get());
  a.occupancy.now = IntHash((*replies)[2].get());
  a.occupancy.first_ms = a.occupancy.now["first_ms"];
  a.occupancy.last_ms = a.occupancy.now["last_ms"];
  a.occupancy.now.erase("first_ms");
  a.occupancy.now.erase("last_ms");
  const redisReply* crises = (*replies)[3].get();
  for (size_t i = 0; i + 1 < crises->elements; i += 2) {
    std::string_view v = ReplyStr(crises->element[i + 1]);  // "<opened ms>|<reason>"
    a.open_crises.emplace_back(ToInt(v.substr(0, v.find('|'))), std::string(v.substr(v.find('|') + 1)));
  }
  const redisReply* workshop = (*replies)[4].get();
  a.workshop_seen = ReplyInt(workshop->element[0]) > 0 || ReplyInt(workshop->element[1]) > 0;
  for (int i = 0; i < month.Days(); ++i) {
    auto day = IntHash((*replies)[5 + i].get());
    if (!day.empty()) a.days[DayName(month.FirstDay() + i)] = std::move(day);
  }

  // Place-time of every group that ever had places, for the days of the month.
  Argv fields = {"HMGET", keys.OccupancyDays()};
  std::vector<std::string> groups;
  for (const auto& [field, _] : a.occupancy.now) {
    if (field.size() > 4 && field.compare(field.size() - 4, 4, "|occ") == 0) groups.push_back(field.substr(0, field.size() - 4));
  }
  for (int i = 0; i < month.Days(); ++i) {
    std::string day = std::to_string(month.FirstDay() + i) + "|";
    fields.push_back(day + "covered");
    for (const auto& g : groups) {
      for (const char* suffix : {"|occ", "|cap", "|peak"}) fields.push_back(day + g + suffix);
    }
  }
  auto days = redis.Command(fields);
  if (!days.ok()) return days.status();
  for (size_t i = 2; i < fields.size(); ++i) {
    const redisReply* v = (*days)->element[i - 2];
    if (!ReplyIsNil(v)) a.occupancy.days[fields[i]] = ToInt(ReplyStr(v));
  }
  return a;
}

absl::StatusOr<relais::v1::MonthlyReport> BuildMonthlyReport(RedisPool& redis, const std::string& region,
                                                             const Month& month, int64_t now_ms,
                                                             const std::string& generation,
                                                             IndicatorFollower* follower) {
  IndicatorFollower one_report;  // without a follower that lives on: the stream read for this report only
  if (follower == nullptr) follower = &one_report;
  auto current = generation.empty() ? CurrentGeneration(redis, region) : absl::StatusOr<std::string>(generation);
  if (!current.ok()) return current.status();
  Keys keys(region, *current);
  auto status = ReadStatus(redis, keys, now_ms);
  if (!status.ok()) return status.status();

  relais::v1::MonthlyReport report;
  report.set_region(region);
  report.set_month(month.Name());
  *report.mutable_generated_at() = TimestampFromMs(now_ms);
  if (status->last_at_ms > 0) *report.mutable_figures_through() = TimestampFromMs(status->last_at_ms);
  bool all_counted = status->oldest_uncounted_ms == 0 || status->oldest_uncounted_ms >= month.EndMs();
  report.set_month_complete(now_ms >= month.EndMs() && all_counted);
  report.set_suppression_rule(kSuppressionRule);
  for (auto& d : ReportDefinitions()) report.add_definitions(std::move(d));

  struct Period {
    Month month;
    relais::v1::MonthFigures* out;
  };
  bool caught_up = false;  // the stream read at most once, for every period that needs it
  for (const Period& p : {Period{month, report.mutable_current()}, Period{month.Previous(), report.mutable_previous()},
                          Period{month.YearBefore(), report.mutable_year_before()}}) {
    auto aggregates = ReadMonth(redis, keys, p.month, now_ms);
    if (!aggregates.ok()) return aggregates.status();
    *p.out = BuildMonthFigures(*aggregates);
    auto counts = IndicatorCounts(redis, keys, p.month, now_ms, *follower, caught_up);
    if (!counts.ok()) return counts.status();
    *p.out->mutable_insertion_indicator() = IndicatorFigures(counts->met, counts->missed, counts->pending);
  }
  return report;
}

}  // namespace relais::monitoring
