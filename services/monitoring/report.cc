#include "services/monitoring/report.h"

#include <algorithm>
#include <set>

#include "relais/v1/beds.pb.h"
#include "relais/v1/common.pb.h"
#include "relais/v1/dispatch.pb.h"
#include "relais/v1/workshop.pb.h"
#include "services/monitoring/counters.h"
#include "services/monitoring/figure_set.h"

namespace relais::monitoring {
namespace {

using namespace relais::v1;

// The codes of an enum but its UNSPECIFIED value: the rows a breakdown shows every month.
std::vector<std::string> Codes(const google::protobuf::EnumDescriptor* d) {
  std::vector<std::string> out;
  for (int i = 0; i < d->value_count(); ++i) {
    if (d->value(i)->number() != 0) out.push_back(d->value(i)->name());
  }
  return out;
}

std::vector<std::string> BandNames(const std::vector<Band>& bands) {
  std::vector<std::string> out;
  for (const auto& b : bands) out.emplace_back(b.name);
  return out;
}

const std::vector<std::string>& Lanes() {
  static const std::vector<std::string> lanes = {"LANE_PRIORITY", "LANE_MEDICAL", "LANE_STANDARD"};
  return lanes;
}

// Fields of a hash starting with `prefix`, as suffix -> value.
std::map<std::string, int64_t> WithPrefix(const std::map<std::string, int64_t>& hash, const std::string& prefix) {
  std::map<std::string, int64_t> out;
  for (auto it = hash.lower_bound(prefix); it != hash.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
    out[it->first.substr(prefix.size())] = it->second;
  }
  return out;
}

int64_t Get(const std::map<std::string, int64_t>& hash, const std::string& key) {
  auto it = hash.find(key);
  return it == hash.end() ? 0 : it->second;
}

Count MakeCount(int64_t value, bool withheld) {
  Count c;
  c.set_value(withheld ? 0 : value);
  c.set_suppressed(withheld);
  return c;
}

Share MakeShare(const Count& numerator, const Count& denominator, bool withheld) {
  Share s;
  *s.mutable_numerator() = numerator;
  *s.mutable_denominator() = denominator;
  withheld = withheld || numerator.suppressed() || denominator.suppressed();
  s.set_suppressed(withheld);
  if (!withheld && denominator.value() > 0) s.set_percent(100.0 * numerator.value() / denominator.value());
  return s;
}

struct Breakdown {
  std::vector<std::string> keys;
  std::vector<int64_t> values;
};

// `name|<key>` counters: the fixed keys first (0 when absent), then any other key present, sorted.
Breakdown By(const std::map<std::string, int64_t>& counters, const std::string& name,
             const std::vector<std::string>& fixed) {
  Breakdown b;
  auto present = WithPrefix(counters, name + "|");
  for (const auto& k : fixed) {
    b.keys.push_back(k);
    b.values.push_back(Get(present, k));
    present.erase(k);
  }
  for (const auto& [k, v] : present) {
    b.keys.push_back(k);
    b.values.push_back(v);
  }
  return b;
}

// Occupancy of one group over a month, and per day.
struct GroupMonth {
  double occupied_ms = 0, places_ms = 0, covered_ms = 0;  // place-time and observed time
  int64_t peak = 0;
  struct Day {
    double occupied_ms = 0, places_ms = 0, covered_ms = 0;
    int64_t peak = 0;
  };
  std::vector<Day> days;
};

GroupMonth OccupancyOf(const MonthAggregates& a, const std::string& group) {
  const OccupancyState& o = a.occupancy;
  GroupMonth g;
  int64_t first_day = a.month.FirstDay();
  g.days.resize(a.month.Days());
  for (int i = 0; i < a.month.Days(); ++i) {
    std::string day = std::to_string(first_day + i) + "|";
    auto& d = g.days[i];
    d.occupied_ms = static_cast<double>(Get(o.days, day + group + "|occ"));
    d.places_ms = static_cast<double>(Get(o.days, day + group + "|cap"));
    d.covered_ms = static_cast<double>(Get(o.days, day + "covered"));
    d.peak = Get(o.days, day + group + "|peak");
  }
  // Since the last pool event the figures have not moved: count that time too, up to now.
  int64_t occupied = Get(o.now, group + "|occ"), places = Get(o.now, group + "|cap");
  int64_t from = std::max(o.last_ms, a.month.StartMs()), to = std::min(a.now_ms, a.month.EndMs());
  if (o.last_ms > 0) {
    while (from < to) {
      int64_t day = DayIndex(from);
      int64_t stop = std::min(to, (day + 1) * kDayMs);
      auto& d = g.days[day - first_day];
      double span = static_cast<double>(stop - from);
      d.occupied_ms += occupied * span;
      d.places_ms += places * span;
      d.covered_ms += span;
      d.peak = std::max(d.peak, occupied);
      from = stop;
    }
  }
  for (const auto& d : g.days) {
    g.occupied_ms += d.occupied_ms;
    g.places_ms += d.places_ms;
    g.covered_ms += d.covered_ms;
    g.peak = std::max(g.peak, d.peak);
  }
  return g;
}

OccupancyRow RowOf(const std::string& key, const GroupMonth& g) {
  OccupancyRow row;
  row.set_key(key);
  row.set_average_occupied(g.occupied_ms / g.covered_ms);
  row.set_peak_occupied(g.peak);
  row.set_average_places(g.places_ms / g.covered_ms);
  if (g.places_ms > 0) row.set_occupancy_percent(100.0 * g.occupied_ms / g.places_ms);
  return row;
}

class Builder {
 public:
  explicit Builder(const MonthAggregates& a) : a_(a), c_(a.counters) {}

  MonthFigures Build() {
    MonthFigures f;
    f.set_month(a_.month.Name());
    Calls(*f.mutable_calls());
    StreetReports(*f.mutable_street_reports());
    Dispatching(*f.mutable_dispatching());
    Workshop(*f.mutable_workshop());
    set_.Suppress();
    Fill();
    Shares(f);
    bool occupancy_seen = Occupancy(*f.mutable_occupancy());
    Buffers(*f.mutable_buffers());
    WorkshopShares(*f.mutable_workshop());
    f.set_has_data(!a_.counters.empty() || occupancy_seen);
    return f;
  }

 private:
  int64_t C(const std::string& name) const { return Get(c_, name); }

  // A breakdown whose total is the figure `total_id`; cells may be figures seen elsewhere too.
  void Table(CountTable* out, const char* name, const std::string& total_id, Breakdown b,
             std::vector<std::string> cell_ids = {}) {
    out->set_name(name);
    size_t index = set_.AddTable(total_id, b.values, std::move(cell_ids));
    tables_.push_back({out, index, std::move(b)});
  }
  void Scalar(Count* out, const std::string& id, int64_t value) {
    set_.AddCount(id, value);
    counts_.push_back({out, id, value});
  }

  void Calls(CallFigures& calls) {
    Scalar(calls.mutable_total(), "calls.total", C("calls.total"));
    Scalar(calls.mutable_answered(), "calls.answered", C("calls.answered"));
    Scalar(calls.mutable_missed(), "calls.missed", C("calls.missed"));
    Table(calls.mutable_by_caller_kind(), "calls_by_caller_kind", "calls.total",
          By(c_, "calls.by_kind", Codes(CallerKind_descriptor())));
    Table(calls.mutable_by_language(), "calls_by_language", "calls.total", By(c_, "calls.by_language", {}));
    Breakdown per_day;
    for (int i = 0; i < a_.month.Days(); ++i) {
      std::string day = DayName(a_.month.FirstDay() + i);
      per_day.keys.push_back(day);
      auto it = a_.days.find(day);
      per_day.values.push_back(it == a_.days.end() ? 0 : Get(it->second, "calls.total"));
    }
    Table(calls.mutable_per_day(), "calls_per_day", "calls.total", std::move(per_day));
    Table(calls.mutable_waiting_time(), "calls_answered_by_waiting_time", "calls.answered",
          By(c_, "calls.waiting", BandNames(kWaitingBands)));
    Table(calls.mutable_by_outcome(), "calls_by_outcome", "calls.ended",
          By(c_, "calls.by_outcome", Codes(CallOutcome_descriptor())));
    Scalar(calls.mutable_call_backs_requested(), "calls.call_backs_requested", C("calls.call_backs|requested"));
    Table(calls.mutable_call_backs_completed(), "call_backs_completed", "calls.call_backs_completed",
          Breakdown{{"done", "unreachable"}, {C("calls.call_backs|done"), C("calls.call_backs|unreachable")}});
    int64_t answered = C("calls.answered");
    if (answered > 0) mean_waiting_seconds_ = C("calls.waited_ms") / 1000.0 / static_cast<double>(answered);
  }

  void StreetReports(StreetReportFigures& r) {
    Scalar(r.mutable_total(), "reports.total", C("reports.total"));
    Table(r.mutable_by_reporter_kind(), "street_reports_by_reporter_kind", "reports.total",
          By(c_, "reports.by_reporter_kind", Codes(ReporterKind_descriptor())));
    Table(r.mutable_by_commune(), "street_reports_by_commune", "reports.total", By(c_, "reports.by_commune", {}));
    Table(r.mutable_by_route(), "street_reports_by_route", "reports.total",
          By(c_, "reports.by_route", Codes(Route_descriptor())));
    Table(r.mutable_by_outcome(), "street_reports_closed_by_outcome", "reports.closed",
          By(c_, "reports.by_outcome", Codes(StreetOutcome_descriptor())));
    Table(r.mutable_time_to_first_contact(), "street_reports_by_time_to_first_contact", "reports.contacted",
          By(c_, "reports.first_contact", BandNames(kContactBands)));
    Table(r.mutable_contact(), "street_reports_found_or_not", "reports.contacted",
          Breakdown{{"found", "not_found"}, {C("reports.found"), C("reports.not_found")}});
  }

  void Dispatching(DispatchFigures& d) {
    Scalar(d.mutable_requests(), "requests.total", C("requests.total"));
    Scalar(d.mutable_persons(), "persons.requesting", a_.persons_requesting);
    Table(d.mutable_requests_by_lane(), "requests_by_lane", "requests.total", By(c_, "requests.by_lane", Lanes()));
    Scalar(d.mutable_proposals(), "proposals.made", C("proposals.made"));
    Table(d.mutable_dispatched_by_public(), "places_dispatched_by_public", "proposals.accepted",
          By(c_, "dispatched.by_public", {}));
    Table(d.mutable_refused_by_reason(), "proposals_refused_by_reason", "proposals.refused",
          By(c_, "refused.by_reason", Codes(RefusalReason_descriptor())));
    Scalar(d.mutable_place_gone(), "proposals.place_gone", C("proposals.place_gone"));
    Table(d.mutable_insertion_proposals(), "insertion_proposals_by_kind", "insertion.proposals",
          By(c_, "insertion.by_kind", Codes(SolutionKind_descriptor())));
    Scalar(d.mutable_holds_taken(), "holds.taken", C("holds|taken"));
    Table(d.mutable_hold_endings(), "hold_endings", "holds.ended",
          Breakdown{{"arrived", "no_show", "cancelled", "expired"},
                    {C("holds|arrived"), C("holds|no_show"), C("holds|cancelled"), C("holds|expired")}});

    // Unmet requests: nights of this month by lane.
    std::set<std::string> nights;
    for (const auto& [key, _] : WithPrefix(c_, "unmet|")) nights.insert(key.substr(0, key.find('|')));
    CrossTable& x = *d.mutable_unmet_per_night();
    x.set_name("unmet_requests_per_night_by_lane");
    for (const auto& lane : Lanes()) x.add_columns(lane);
    unmet_nights_.assign(nights.begin(), nights.end());
    std::vector<std::vector<int64_t>> cells;
    for (const auto& night : unmet_nights_) {
      std::vector<int64_t> row;
      for (const auto& lane : Lanes()) row.push_back(C("unmet|" + night + "|" + lane));
      cells.push_back(std::move(row));
    }
    unmet_cells_ = cells;
    unmet_index_ = cells.empty() ? -1 : static_cast<int>(set_.AddCross("requests.unmet", std::move(cells)));
    unmet_ = &x;

    int64_t used = 0;
    int nights_used = 0;
    for (const auto& [night, n] : WithPrefix(c_, "pass_night.used|")) {
      used += n;
      nights_used += n > 0 ? 1 : 0;
    }
    Scalar(d.mutable_pass_night()->mutable_places_used(), "pass_night.used", used);
    d.mutable_pass_night()->set_nights_used(nights_used);
  }

  void Workshop(WorkshopFigures& w) {
    w.set_available(a_.workshop_seen);
    Scalar(w.mutable_referrals(), "workshop.referrals", C("workshop.referrals"));
    w.set_sessions(static_cast<int32_t>(C("workshop.sessions")));
    Table(w.mutable_cases_by_outcome(), "preconisations_by_orientation", "workshop.preconisations",
          By(c_, "workshop.by_orientation", Codes(Orientation_descriptor())));
    Table(w.mutable_deadlines(), "workshop_deadlines", "workshop.deadlines",
          Breakdown{{"met", "missed"}, {C("workshop.deadline|met"), C("workshop.deadline|missed")}});
    Scalar(w.mutable_plans_approved(), "workshop.plans_approved", C("workshop.plans|approved"));
    Scalar(w.mutable_plans_refused(), "workshop.plans_refused", C("workshop.plans|refused"));
    Scalar(w.mutable_priority_places_used(), "workshop.priority_places", C("workshop.priority_places|taken"));
  }

  static void WorkshopShares(WorkshopFigures& w) {
    *w.mutable_deadlines_met() = MakeShare(w.deadlines().cells(0).count(), w.deadlines().total(), false);
  }

  void Fill() {
    for (auto& t : tables_) {
      const SuppressionMask& m = set_.Mask(t.index);
      int64_t total = 0;
      for (size_t i = 0; i < t.b.keys.size(); ++i) {
        CountCell* cell = t.out->add_cells();
        cell->set_key(t.b.keys[i]);
        *cell->mutable_count() = MakeCount(t.b.values[i], m.cells[0][i]);
        total += t.b.values[i];
      }
      *t.out->mutable_total() = MakeCount(total, m.total);
    }
    for (auto& c : counts_) *c.out = MakeCount(c.value, set_.Withheld(c.id));
    if (unmet_index_ >= 0) {
      const SuppressionMask& m = set_.Mask(static_cast<size_t>(unmet_index_));
      std::vector<int64_t> column_totals(Lanes().size(), 0);
      int64_t total = 0;
      for (size_t r = 0; r < unmet_nights_.size(); ++r) {
        CountRow* row = unmet_->add_rows();
        row->set_key(unmet_nights_[r]);
        int64_t row_total = 0;
        for (size_t c = 0; c < Lanes().size(); ++c) {
          int64_t v = unmet_cells_[r][c];
          *row->add_cells() = MakeCount(v, m.cells[r][c]);
          row_total += v, column_totals[c] += v, total += v;
        }
        *row->mutable_total() = MakeCount(row_total, m.row_totals[r]);
      }
      for (size_t c = 0; c < Lanes().size(); ++c) *unmet_->add_column_totals() = MakeCount(column_totals[c], m.column_totals[c]);
      *unmet_->mutable_total() = MakeCount(total, m.total);
    }
  }

  void Shares(MonthFigures& f) {
    CallFigures& calls = *f.mutable_calls();
    // Answered within the target: the waiting bands up to 10 minutes, over every call that ended its wait.
    Count within;
    bool any_band_withheld = false;
    int64_t within_value = 0;
    for (const auto& cell : calls.waiting_time().cells()) {
      any_band_withheld = any_band_withheld || cell.count().suppressed();
      if (cell.key() == "le_1m" || cell.key() == "le_2m" || cell.key() == "le_5m" || cell.key() == "le_10m") {
        within_value += cell.count().value();
      }
    }
    // A sum of some bands could give away a withheld band: withheld whenever a band is. The
    // denominator, answered + missed, with the answered calls published would give away the missed
    // ones: withheld with them.
    within = MakeCount(within_value, any_band_withheld);
    bool ended_withheld = calls.answered().suppressed() || calls.missed().suppressed();
    Count ended = MakeCount(calls.answered().value() + calls.missed().value(), ended_withheld);
    *calls.mutable_answered_within_target() = MakeShare(within, ended, false);
    calls.set_mean_waiting_seconds(calls.answered().suppressed() ? 0 : mean_waiting_seconds_);
    StreetReportFigures& r = *f.mutable_street_reports();
    *r.mutable_found() = MakeShare(r.contact().cells(0).count(), r.contact().total(), false);
  }

  bool Occupancy(OccupancyFigures& o) {
    std::set<std::string> groups;
    for (const auto& [field, _] : a_.occupancy.now) groups.insert(field.substr(0, field.rfind('|')));
    GroupMonth all = OccupancyOf(a_, "all");
    if (all.covered_ms <= 0) return false;
    *o.mutable_region() = RowOf("all", all);
    for (const auto& g : groups) {
      if (g == "all") continue;
      GroupMonth m = OccupancyOf(a_, g);
      std::string kind = g.substr(0, g.find('|')), key = g.substr(g.find('|') + 1);
      if (m.places_ms <= 0 && m.occupied_ms <= 0 && m.peak == 0) continue;  // a group that no longer has places
      *(kind == "public" ? o.add_by_public() : o.add_by_commune()) = RowOf(key, m);
    }
    for (size_t i = 0; i < all.days.size(); ++i) {
      const auto& d = all.days[i];
      if (d.covered_ms <= 0) continue;
      DailyOccupancy* day = o.add_daily();
      day->set_day(DayName(a_.month.FirstDay() + static_cast<int64_t>(i)));
      day->set_average_occupied(d.occupied_ms / d.covered_ms);
      day->set_peak_occupied(d.peak);
      day->set_average_places(d.places_ms / d.covered_ms);
    }
    return true;
  }

  void Buffers(BufferFigures& b) {
    // Nights with a crisis open, by reason: those of closed crises, counted when they closed, and
    // those of crises still open, up to now.
    std::map<std::string, std::set<std::string>> nights;  // reason -> nights of this month
    for (const auto& [key, _] : WithPrefix(c_, "buffers.night|")) {
      nights[key.substr(0, key.find('|'))].insert(key.substr(key.find('|') + 1));
    }
    std::string month = a_.month.Name();
    for (const auto& [opened, reason] : a_.open_crises) {
      for (int64_t n = NightIndex(opened); n <= NightIndex(std::max(opened, a_.now_ms - 1)); ++n) {
        std::string night = DayName(n);
        if (night.compare(0, 7, month) == 0) nights[reason].insert(night);
      }
    }
    std::set<std::string> any_night;
    auto activations = WithPrefix(c_, "buffers.activations|");
    auto places = WithPrefix(c_, "buffers.places|");
    // Every reason every month, then codes outside the list if any ("invalid").
    std::vector<std::string> ordered = Codes(CrisisReason_descriptor());
    std::set<std::string> others;
    for (const auto& [r, _] : activations) others.insert(r);
    for (const auto& [r, _] : nights) others.insert(r);
    for (const auto& r : ordered) others.erase(r);
    ordered.insert(ordered.end(), others.begin(), others.end());
    for (const auto& reason : ordered) {
      BufferRow* row = b.add_by_reason();
      row->set_reason(reason);
      row->set_activations(static_cast<int32_t>(Get(activations, reason)));
      row->set_places(Get(places, reason));
      row->set_nights(static_cast<int32_t>(nights[reason].size()));
      any_night.insert(nights[reason].begin(), nights[reason].end());
      b.set_activations(b.activations() + row->activations());
      b.set_places(b.places() + row->places());
    }
    b.set_nights(static_cast<int32_t>(any_night.size()));
  }

  struct PendingTable {
    CountTable* out;
    size_t index;
    Breakdown b;
  };
  struct PendingCount {
    Count* out;
    std::string id;
    int64_t value;
  };

  const MonthAggregates& a_;
  const std::map<std::string, int64_t>& c_;
  FigureSet set_;
  std::vector<PendingTable> tables_;
  std::vector<PendingCount> counts_;
  double mean_waiting_seconds_ = 0;
  CrossTable* unmet_ = nullptr;
  int unmet_index_ = -1;
  std::vector<std::string> unmet_nights_;
  std::vector<std::vector<int64_t>> unmet_cells_;
};

}  // namespace

MonthFigures BuildMonthFigures(const MonthAggregates& a) { return Builder(a).Build(); }

std::vector<std::string> ReportDefinitions() {
  return {
      "Months and days are UTC; a night runs from noon to noon UTC and is named by the date of its first noon.",
      "An event counts in the month of its time. Calls count in the month they rang; answers, misses and "
      "call-backs in the month they happened.",
      "Answered within 10 minutes: calls answered after at most 10 minutes of waiting, over the calls answered "
      "or missed (the caller hung up first). Waiting bands include their upper bound.",
      "Persons who asked for a place: distinct pseudonymous persons with a request this month, estimated with a "
      "HyperLogLog counter (about 1% error); the identifiers themselves are not kept by monitoring.",
      "Places dispatched: proposals accepted, each holding one place for the person. Unmet: requests still "
      "waiting when a night was closed, by lane.",
      "Occupancy: occupied places and places (in service, plus buffer places while a crisis opens them) as the "
      "shelters' figures stood over time, averaged over the part of the month observed; peak: the highest "
      "number of places occupied at one moment.",
      "Buffer activations: crises opened this month; places: buffer places they opened; nights: nights of this "
      "month with a crisis open.",
      "Insertion indicator (Masterplan): of the people whose first arrival in an emergency shelter falls in the "
      "month, the share who got an insertion proposal (dispatch or the workshop) within 7 days; people who "
      "arrived less than 7 days ago without one yet are pending and not counted. Targets: 80 %, then 95 %.",
  };
}

}  // namespace relais::monitoring
