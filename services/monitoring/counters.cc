#include "services/monitoring/counters.h"

#include <limits>

#include "services/monitoring/calendar.h"

namespace relais::monitoring {

const std::vector<Band> kWaitingBands = {
    {"le_1m", 60'000},    {"le_2m", 120'000},   {"le_5m", 300'000},
    {"le_10m", 600'000},  {"le_20m", 1'200'000}, {"le_30m", 1'800'000},
    {"gt_30m", std::numeric_limits<int64_t>::max()}};
const std::vector<Band> kContactBands = {
    {"le_15m", 900'000},    {"le_30m", 1'800'000},  {"le_1h", 3'600'000},
    {"le_2h", 7'200'000},   {"le_4h", 14'400'000},  {"le_8h", 28'800'000},
    {"gt_8h", std::numeric_limits<int64_t>::max()}};

const char* BandOf(const std::vector<Band>& bands, int64_t ms) {
  for (const auto& b : bands) {
    if (ms <= b.up_to_ms) return b.name;
  }
  return bands.back().name;
}

std::string Category(std::string_view value) {
  if (value.empty()) return "none";
  if (value.size() > 64) return "invalid";
  for (char c : value) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
              c == '-' || c == ':';
    if (!ok) return "invalid";
  }
  return std::string(value);
}

namespace {

// One counter of the table below.
struct Counter {
  enum What {
    kCount,         // name += 1
    kDaily,         // name += 1 in the day's hash
    kBy,            // name|<field> += 1
    kInBand,        // name|<band of field> += 1, when the event has the field
    kSum,           // name += field
    kFlag,          // name += 1 when field is "1"
    kDistinct,      // PFADD month's register `name` with field (a pseudonymous id, kept nowhere else)
    kPoolFigures,   // the pool's figures after the change: occupancy over time
    kUnmetNight,    // unmet|<night>|<lane> += count, in the night's month
    kPassNight,     // pass_night.used|<night> += by, in the night's month
    kBufferOpened,  // places opened by reason; the crisis is remembered while open
    kBufferClosed,  // buffers.night|<reason>|<night> for every night the crisis was open
  };
  What what;
  const char* name = "";
  const char* field = "";
  const std::vector<Band>* bands = nullptr;
  int by = 1;
};

Counter Count(const char* name) { return {Counter::kCount, name}; }
Counter Daily(const char* name) { return {Counter::kDaily, name}; }
Counter By(const char* name, const char* field) { return {Counter::kBy, name, field}; }
Counter InBand(const char* name, const char* field, const std::vector<Band>& bands) {
  return {Counter::kInBand, name, field, &bands};
}
Counter Sum(const char* name, const char* field) { return {Counter::kSum, name, field}; }
Counter Flag(const char* name, const char* field) { return {Counter::kFlag, name, field}; }
Counter Distinct(const char* name, const char* field) { return {Counter::kDistinct, name, field}; }
Counter PoolFigures() { return {Counter::kPoolFigures}; }
Counter UnmetNight() { return {Counter::kUnmetNight}; }
Counter PassNight(int by) { return {Counter::kPassNight, "", "", nullptr, by}; }
Counter BufferOpened() { return {Counter::kBufferOpened}; }
Counter BufferClosed() { return {Counter::kBufferClosed}; }

struct Rule {
  const char* type;
  std::vector<Counter> counters;
};

// THE TABLE: event type -> what it adds. Event fields are those written by the services' Lua scripts
// (services/*/lua/*.lua, `emit`). Adding an event type is adding a line here.
const std::vector<Rule>& Rules() {
  static const std::vector<Rule> rules = {
      // Calls (dispatch).
      {"call.queued", {Count("calls.total"), Daily("calls.total"), By("calls.by_kind", "caller_kind"),
                       By("calls.by_language", "language")}},
      {"call.answered", {Count("calls.answered"), InBand("calls.waiting", "waited_ms", kWaitingBands),
                         Sum("calls.waited_ms", "waited_ms")}},
      {"call.missed", {Count("calls.missed"), Flag("calls.call_backs|requested", "call_back")}},
      {"call.ended", {By("calls.by_outcome", "outcome"), Flag("calls.call_backs|requested", "call_back")}},
      {"call.call_back", {By("calls.call_backs", "result")}},  // done / unreachable
      // Street reports (dispatch).
      {"report.created", {Count("reports.total"), By("reports.by_reporter_kind", "reporter_kind"),
                          By("reports.by_commune", "commune"), By("reports.by_route", "route")}},
      {"report.found", {Count("reports.found"), InBand("reports.first_contact", "to_contact_ms", kContactBands)}},
      {"report.not_found", {Count("reports.not_found"),
                            InBand("reports.first_contact", "to_contact_ms", kContactBands)}},
      {"report.closed", {By("reports.by_outcome", "outcome"), Flag("calls.call_backs|requested", "reporter_told")}},
      // Persons, requests, proposals, nights (dispatch).
      {"person.created", {Count("persons.created")}},
      {"request.created", {Count("requests.total"), Daily("requests.total"), By("requests.by_lane", "lane"),
                           Distinct("persons.requesting", "person")}},
      {"proposal.made", {Count("proposals.made")}},
      {"proposal.accepted", {Count("proposals.accepted"), Daily("proposals.accepted"),
                             By("dispatched.by_public", "public")}},
      {"proposal.refused", {Count("proposals.refused"), By("refused.by_reason", "reason")}},
      {"proposal.place_gone", {Count("proposals.place_gone")}},
      {"insertion.proposed", {By("insertion.by_kind", "kind")}},  // prevention or insertion solution
      {"night.closed", {UnmetNight()}},
      {"pass_night.reserved", {PassNight(+1)}},
      {"pass_night.released", {PassNight(-1)}},
      // Places (beds). Every pool event carries the pool's figures after the change.
      {"pool.declared", {PoolFigures()}},
      {"pool.confirmed", {PoolFigures()}},
      {"pool.departure", {PoolFigures()}},
      {"hold.taken", {Count("holds|taken"), PoolFigures()}},
      {"hold.arrived", {Count("holds|arrived"), PoolFigures()}},
      {"hold.no_show", {Count("holds|no_show"), PoolFigures()}},
      {"hold.cancelled", {Count("holds|cancelled"), PoolFigures()}},
      {"hold.expired", {Count("holds|expired"), PoolFigures()}},
      {"buffer.opened", {By("buffers.activations", "reason"), BufferOpened()}},
      {"buffer.closed", {BufferClosed()}},
      // The préconisation workshop.
      {"case.registered", {Count("workshop.referrals")}},
      {"case.preconised", {By("workshop.by_orientation", "orientation")}},
      {"case.deadline_met", {Count("workshop.deadline|met")}},
      {"case.deadline_missed", {Count("workshop.deadline|missed")}},
      {"session.closed", {Count("workshop.sessions")}},
      {"plan.approved", {Count("workshop.plans|approved")}},
      {"plan.refused", {Count("workshop.plans|refused")}},
      {"priority_place.taken", {Count("workshop.priority_places|taken")}},
  };
  return rules;
}

const Rule* RuleFor(std::string_view type) {
  for (const auto& r : Rules()) {
    if (type == r.type) return &r;
  }
  return nullptr;
}

// "YYYY-MM-DD" as written by dispatch for nights; nothing else is accepted.
bool IsDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return Month::Parse(s.substr(0, 7)).has_value();
}

constexpr int64_t kMaxNights = 400;  // a crisis counted over more nights than this is a clock error

std::string Incr(int64_t by) { return std::to_string(by); }

void Plan(const Counter& c, const Event& e, const Keys& keys, std::vector<Op>& ops) {
  int64_t at = e.At();
  std::string month = Month::Of(at).Name();
  std::string month_key = keys.Month(month);
  std::string name = c.name;
  switch (c.what) {
    case Counter::kCount:
      ops.push_back({Op::kIncr, {month_key}, {name, "1"}});
      break;
    case Counter::kDaily:
      ops.push_back({Op::kIncr, {keys.Day(DayName(DayIndex(at)))}, {name, "1"}});
      break;
    case Counter::kBy:
      ops.push_back({Op::kIncr, {month_key}, {name + "|" + Category(e.Get(c.field)), "1"}});
      break;
    case Counter::kInBand:
      if (!e.Get(c.field).empty()) {
        ops.push_back({Op::kIncr, {month_key}, {name + "|" + BandOf(*c.bands, e.GetInt(c.field)), "1"}});
      }
      break;
    case Counter::kSum:
      ops.push_back({Op::kIncr, {month_key}, {name, Incr(e.GetInt(c.field))}});
      break;
    case Counter::kFlag:
      if (e.Get(c.field) == "1") ops.push_back({Op::kIncr, {month_key}, {name, "1"}});
      break;
    case Counter::kDistinct:
      if (!e.Get(c.field).empty()) {
        ops.push_back({Op::kDistinct, {keys.Distinct(month, name)}, {std::string(e.Get(c.field))}});
      }
      break;
    case Counter::kPoolFigures: {
      int64_t capacity = e.GetInt("in_service") + (e.Get("buffer_open") == "1" ? e.GetInt("buffer") : 0);
      ops.push_back({Op::kPoolFigures,
                     {keys.Pools(), keys.Occupancy(), keys.OccupancyDays()},
                     {Category(e.Get("pool")), Category(e.Get("public")), Category(e.Get("commune")),
                      Category(e.Get("shelter")), Incr(e.GetInt("occupied")), Incr(capacity),
                      Incr(e.GetInt("buffer")), Incr(at)}});
      break;
    }
    case Counter::kUnmetNight: {
      std::string_view night = e.Get("night");
      if (!IsDate(night)) break;
      std::string key = keys.Month(night.substr(0, 7));
      static const std::pair<const char*, const char*> kLanes[] = {
          {"priority", "LANE_PRIORITY"}, {"medical", "LANE_MEDICAL"}, {"standard", "LANE_STANDARD"}};
      for (const auto& [field, lane] : kLanes) {
        ops.push_back({Op::kIncr, {key}, {"unmet|" + std::string(night) + "|" + lane, Incr(e.GetInt(field))}});
      }
      break;
    }
    case Counter::kPassNight: {
      std::string_view night = e.Get("night");
      if (!IsDate(night)) break;
      ops.push_back({Op::kIncr, {keys.Month(night.substr(0, 7))}, {"pass_night.used|" + std::string(night), Incr(c.by)}});
      break;
    }
    case Counter::kBufferOpened: {
      std::string reason = Category(e.Get("reason"));
      ops.push_back({Op::kBufferPlaces, {month_key, keys.Pools()}, {"buffers.places|" + reason, Category(e.Get("shelter"))}});
      ops.push_back({Op::kSet, {keys.Crises()}, {Category(e.Get("crisis")), std::to_string(at) + "|" + reason}});
      break;
    }
    case Counter::kBufferClosed: {
      std::string reason = Category(e.Get("reason"));
      int64_t opened = at - e.GetInt("open_ms");
      ops.push_back({Op::kDel, {keys.Crises()}, {Category(e.Get("crisis"))}});
      int64_t first = NightIndex(opened), last = std::min(NightIndex(std::max(opened, at - 1)), first + kMaxNights);
      for (int64_t night = first; night <= last; ++night) {
        std::string name_of_night = DayName(night);
        ops.push_back({Op::kSet, {keys.Month(name_of_night.substr(0, 7))},
                       {"buffers.night|" + reason + "|" + name_of_night, "1"}});
      }
      break;
    }
  }
}

}  // namespace

std::vector<Op> PlanEvent(const Event& event, const Keys& keys) {
  std::vector<Op> ops;
  ops.push_back({Op::kIncr, {keys.Totals()}, {"type|" + Category(event.Type()), "1"}});
  if (const Rule* rule = RuleFor(event.Type())) {
    for (const auto& c : rule->counters) Plan(c, event, keys, ops);
  }
  return ops;
}

std::vector<std::string> CountedTypes() {
  std::vector<std::string> out;
  for (const auto& r : Rules()) out.emplace_back(r.type);
  return out;
}

}  // namespace relais::monitoring
