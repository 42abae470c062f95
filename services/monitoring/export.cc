#include "services/monitoring/export.h"

#include <google/protobuf/util/json_util.h>

#include <cstdio>

namespace relais::monitoring {
namespace {

using namespace relais::v1;

std::string Number(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", v);
  return text;
}

// One figure per line: period, month, section, table, row, column, value, status. Withheld counts have
// an empty value and the status "withheld".
class CsvWriter {
 public:
  CsvWriter() { out_ = "period,month,section,table,row,column,value,status\n"; }

  void Period(const std::string& period, const std::string& month) {
    period_ = period;
    month_ = month;
  }
  void Put(const std::string& section, const std::string& table, const std::string& row, const std::string& column,
           const std::string& value, const char* status) {
    for (const auto& field : {period_, month_, section, table, row, column, value}) out_ += Field(field) + ",";
    out_ += status;
    out_ += "\n";
  }
  void CountLine(const std::string& section, const std::string& table, const std::string& row,
                 const std::string& column, const Count& c) {
    Put(section, table, row, column, c.suppressed() ? "" : std::to_string(c.value()), c.suppressed() ? "withheld" : "ok");
  }
  void Table(const std::string& section, const CountTable& t) {
    for (const auto& cell : t.cells()) CountLine(section, t.name(), cell.key(), "", cell.count());
    CountLine(section, t.name(), "total", "", t.total());
  }
  void Cross(const std::string& section, const CrossTable& t) {
    for (const auto& row : t.rows()) {
      for (int c = 0; c < row.cells_size() && c < t.columns_size(); ++c) {
        CountLine(section, t.name(), row.key(), t.columns(c), row.cells(c));
      }
      CountLine(section, t.name(), row.key(), "total", row.total());
    }
    for (int c = 0; c < t.column_totals_size() && c < t.columns_size(); ++c) {
      CountLine(section, t.name(), "total", t.columns(c), t.column_totals(c));
    }
    CountLine(section, t.name(), "total", "total", t.total());
  }
  void ShareLines(const std::string& section, const std::string& name, const Share& s) {
    CountLine(section, name, "numerator", "", s.numerator());
    CountLine(section, name, "denominator", "", s.denominator());
    Put(section, name, "percent", "", s.suppressed() ? "" : Number(s.percent()), s.suppressed() ? "withheld" : "ok");
  }
  void Figure(const std::string& section, const std::string& table, const std::string& row, const std::string& column,
              const std::string& value) {
    Put(section, table, row, column, value, "ok");
  }
  std::string Take() { return std::move(out_); }

 private:
  // Every value is a code or a number; quote anyway if one ever holds a comma or a quote.
  static std::string Field(const std::string& v) {
    if (v.find_first_of(",\"\n\r") == std::string::npos) return v;
    std::string q = "\"";
    for (char c : v) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
  }
  std::string out_, period_, month_;
};

void WriteMonth(CsvWriter& w, const MonthFigures& f) {
  const CallFigures& calls = f.calls();
  w.CountLine("calls", "calls", "total", "", calls.total());
  w.CountLine("calls", "calls", "answered", "", calls.answered());
  w.CountLine("calls", "calls", "missed", "", calls.missed());
  for (const auto* t : {&calls.by_caller_kind(), &calls.by_language(), &calls.waiting_time(),
                        &calls.by_outcome(), &calls.call_backs_completed(), &calls.per_day()}) {
    w.Table("calls", *t);
  }
  w.ShareLines("calls", "answered_within_10_minutes", calls.answered_within_target());
  w.Figure("calls", "mean_waiting_seconds", "", "", Number(calls.mean_waiting_seconds()));
  w.CountLine("calls", "call_backs_requested", "", "", calls.call_backs_requested());

  const StreetReportFigures& r = f.street_reports();
  w.CountLine("street_reports", "street_reports", "total", "", r.total());
  for (const auto* t : {&r.by_reporter_kind(), &r.by_commune(), &r.by_route(), &r.by_outcome(),
                        &r.time_to_first_contact(), &r.contact()}) {
    w.Table("street_reports", *t);
  }
  w.ShareLines("street_reports", "found", r.found());

  const DispatchFigures& d = f.dispatching();
  w.CountLine("dispatching", "requests", "total", "", d.requests());
  w.CountLine("dispatching", "persons_requesting", "total", "", d.persons());
  w.CountLine("dispatching", "proposals", "total", "", d.proposals());
  w.CountLine("dispatching", "proposals_place_gone", "total", "", d.place_gone());
  w.CountLine("dispatching", "holds_taken", "total", "", d.holds_taken());
  for (const auto* t : {&d.requests_by_lane(), &d.dispatched_by_public(), &d.refused_by_reason(), &d.hold_endings(),
                        &d.insertion_proposals()}) {
    w.Table("dispatching", *t);
  }
  w.Cross("dispatching", d.unmet_per_night());
  w.CountLine("dispatching", "pass_night", "places_used", "", d.pass_night().places_used());
  w.Figure("dispatching", "pass_night", "nights_used", "", std::to_string(d.pass_night().nights_used()));

  const OccupancyFigures& o = f.occupancy();
  auto occupancy_row = [&](const std::string& table, const OccupancyRow& row) {
    w.Figure("occupancy", table, row.key(), "average_occupied", Number(row.average_occupied()));
    w.Figure("occupancy", table, row.key(), "peak_occupied", std::to_string(row.peak_occupied()));
    w.Figure("occupancy", table, row.key(), "average_places", Number(row.average_places()));
    w.Figure("occupancy", table, row.key(), "occupancy_percent", Number(row.occupancy_percent()));
  };
  if (o.has_region()) occupancy_row("region", o.region());
  for (const auto& row : o.by_public()) occupancy_row("by_public", row);
  for (const auto& row : o.by_commune()) occupancy_row("by_commune", row);
  for (const auto& day : o.daily()) {
    w.Figure("occupancy", "daily", day.day(), "average_occupied", Number(day.average_occupied()));
    w.Figure("occupancy", "daily", day.day(), "peak_occupied", std::to_string(day.peak_occupied()));
    w.Figure("occupancy", "daily", day.day(), "average_places", Number(day.average_places()));
  }

  const BufferFigures& b = f.buffers();
  for (const auto& row : b.by_reason()) {
    w.Figure("buffers", "by_reason", row.reason(), "activations", std::to_string(row.activations()));
    w.Figure("buffers", "by_reason", row.reason(), "places", std::to_string(row.places()));
    w.Figure("buffers", "by_reason", row.reason(), "nights", std::to_string(row.nights()));
  }
  w.Figure("buffers", "total", "", "activations", std::to_string(b.activations()));
  w.Figure("buffers", "total", "", "places", std::to_string(b.places()));
  w.Figure("buffers", "total", "", "nights", std::to_string(b.nights()));

  const WorkshopFigures& ws = f.workshop();
  if (ws.available()) {
    w.CountLine("workshop", "referrals", "total", "", ws.referrals());
    w.Figure("workshop", "sessions", "total", "", std::to_string(ws.sessions()));
    w.Table("workshop", ws.cases_by_outcome());
    w.Table("workshop", ws.deadlines());
    w.ShareLines("workshop", "deadlines_met", ws.deadlines_met());
    w.CountLine("workshop", "plans", "approved", "", ws.plans_approved());
    w.CountLine("workshop", "plans", "refused", "", ws.plans_refused());
    w.CountLine("workshop", "priority_places_used", "total", "", ws.priority_places_used());
  }

  const InsertionIndicator& ind = f.insertion_indicator();
  if (ind.available()) {
    w.ShareLines("insertion_indicator", "proposal_within_7_days", ind.within_seven_days());
    w.CountLine("insertion_indicator", "pending", "total", "", ind.pending());
    w.Figure("insertion_indicator", "meets_target", "80", "", ind.meets_80() ? "yes" : "no");
    w.Figure("insertion_indicator", "meets_target", "95", "", ind.meets_95() ? "yes" : "no");
  }
}

}  // namespace

std::string ReportJson(const MonthlyReport& report) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.always_print_primitive_fields = true;  // a 0 is a figure too
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(report, &out, options);
  return out;
}

std::string ReportCsv(const MonthlyReport& report) {
  CsvWriter w;
  w.Period("current", report.current().month());
  WriteMonth(w, report.current());
  w.Period("previous_month", report.previous().month());
  WriteMonth(w, report.previous());
  w.Period("year_before", report.year_before().month());
  WriteMonth(w, report.year_before());
  return w.Take();
}

absl::StatusOr<ExportedFile> ExportReport(const MonthlyReport& report, ReportFormat format) {
  std::string base = "relais-" + report.region() + "-" + report.month();
  switch (format) {
    case REPORT_FORMAT_JSON:
      return ExportedFile{ReportJson(report), "application/json", base + ".json"};
    case REPORT_FORMAT_CSV:
      return ExportedFile{ReportCsv(report), "text/csv; charset=utf-8", base + ".csv"};
    case REPORT_FORMAT_HTML:
      return ExportedFile{ReportHtml(report), "text/html; charset=utf-8", base + ".html"};
    default:
      return absl::InvalidArgumentError("format: json, csv or html");
  }
}

std::string Label(const std::string& code) {
  static const char* const kPrefixes[] = {"CALLER_KIND_", "CALL_OUTCOME_", "REPORTER_KIND_", "ROUTE_", "STREET_OUTCOME_",
                                          "LANE_", "REFUSAL_REASON_", "CRISIS_REASON_", "SOLUTION_KIND_",
                                          "ORIENTATION_"};
  std::string s = code;
  for (const char* p : kPrefixes) {
    if (s.rfind(p, 0) == 0) {
      s = s.substr(std::string(p).size());
      break;
    }
  }
  if ((s.rfind("le_", 0) == 0 || s.rfind("gt_", 0) == 0) && s.size() > 4) {
    std::string amount = s.substr(3, s.size() - 4);
    std::string unit = s.back() == 'm' ? " min" : " h";
    return (s[0] == 'l' ? "≤ " : "> ") + amount + unit;
  }
  for (auto& c : s) {
    if (c == '_') c = ' ';
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

}  // namespace relais::monitoring
