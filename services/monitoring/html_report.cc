// The printable monthly report: one HTML page, styles for A4 print, charts as inline SVG (svg.h).
// Every text placed in the page is escaped; the report holds only codes and figures anyway.
#include <google/protobuf/util/time_util.h>

#include <cstdio>
#include <functional>
#include <set>

#include "services/monitoring/export.h"
#include "services/monitoring/svg.h"

namespace relais::monitoring {
namespace {

using namespace relais::v1;
using svg::Escape;

std::string Fixed(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", v);
  return text;
}

std::string CountCell(const Count& c) {
  return c.suppressed() ? "<td class=\"withheld\">withheld</td>" : "<td>" + std::to_string(c.value()) + "</td>";
}

std::string ShareCell(const Share& s) {
  if (s.suppressed()) return "<td class=\"withheld\">withheld</td>";
  if (s.denominator().value() == 0) return "<td>–</td>";
  return "<td>" + Fixed(s.percent()) + " %</td>";
}

std::string MeanWait(const CallFigures& c) {
  if (c.answered().suppressed()) return "<td class=\"withheld\">withheld</td>";
  return c.answered().value() == 0 ? "<td>–</td>" : "<td>" + Fixed(c.mean_waiting_seconds()) + "</td>";
}

const char* kPeriods = "<th></th><th>this month</th><th>previous month</th><th>a year before</th>";

// Rows of a figure over the three periods.
std::string Row(const std::string& label, const std::string& a, const std::string& b, const std::string& c) {
  return "<tr><td>" + Escape(label) + "</td>" + a + b + c + "</tr>";
}

// A breakdown over the three periods: the current month's rows first, then rows seen only before.
std::string TableOver(const std::string& title, const CountTable& now, const CountTable& before, const CountTable& year) {
  std::vector<std::string> keys;
  std::set<std::string> seen;
  for (const auto* t : {&now, &before, &year}) {
    for (const auto& cell : t->cells()) {
      if (seen.insert(cell.key()).second) keys.push_back(cell.key());
    }
  }
  auto find = [](const CountTable& t, const std::string& key) {
    for (const auto& cell : t.cells()) {
      if (cell.key() == key) return CountCell(cell.count());
    }
    return std::string("<td>0</td>");
  };
  std::string out = "<table><caption>" + Escape(title) + "</caption><tr>" + kPeriods + "</tr>";
  for (const auto& k : keys) out += Row(Label(k), find(now, k), find(before, k), find(year, k));
  out += "<tr class=\"total\">" + std::string("<td>total</td>") + CountCell(now.total()) + CountCell(before.total()) +
         CountCell(year.total()) + "</tr></table>";
  return out;
}

std::vector<svg::Bar> Bars(const CountTable& t) {
  std::vector<svg::Bar> bars;
  for (const auto& cell : t.cells()) {
    bars.push_back({Label(cell.key()), static_cast<double>(cell.count().value()), cell.count().suppressed()});
  }
  return bars;
}

std::string CrossHtml(const CrossTable& t) {
  if (t.rows_size() == 0) return "<p>No night was closed this month.</p>";
  std::string out = "<table><caption>Requests still waiting at each night's close-out, by lane</caption><tr><th>night</th>";
  for (const auto& c : t.columns()) out += "<th>" + Escape(Label(c)) + "</th>";
  out += "<th>total</th></tr>";
  for (const auto& row : t.rows()) {
    out += "<tr><td>" + Escape(row.key()) + "</td>";
    for (const auto& c : row.cells()) out += CountCell(c);
    out += CountCell(row.total()) + "</tr>";
  }
  out += "<tr class=\"total\"><td>total</td>";
  for (const auto& c : t.column_totals()) out += CountCell(c);
  return out + CountCell(t.total()) + "</tr></table>";
}

std::string OccupancyTable(const std::string& title, const google::protobuf::RepeatedPtrField<OccupancyRow>& rows) {
  if (rows.empty()) return "";
  std::string out = "<table><caption>" + Escape(title) +
                    "</caption><tr><th></th><th>average occupied</th><th>peak</th><th>average places</th><th>occupancy</th></tr>";
  for (const auto& r : rows) {
    out += "<tr><td>" + Escape(Label(r.key())) + "</td><td>" + Fixed(r.average_occupied()) + "</td><td>" +
           std::to_string(r.peak_occupied()) + "</td><td>" + Fixed(r.average_places()) + "</td><td>" +
           Fixed(r.occupancy_percent()) + " %</td></tr>";
  }
  return out + "</table>";
}

std::string Summary(const MonthlyReport& r) {
  const MonthFigures* p[] = {&r.current(), &r.previous(), &r.year_before()};
  auto counts = [&](const std::string& label, const std::function<const Count&(const MonthFigures&)>& get) {
    return Row(label, CountCell(get(*p[0])), CountCell(get(*p[1])), CountCell(get(*p[2])));
  };
  auto shares = [&](const std::string& label, const std::function<const Share&(const MonthFigures&)>& get) {
    return Row(label, ShareCell(get(*p[0])), ShareCell(get(*p[1])), ShareCell(get(*p[2])));
  };
  auto numbers = [&](const std::string& label, const std::function<std::string(const MonthFigures&)>& get) {
    return Row(label, "<td>" + get(*p[0]) + "</td>", "<td>" + get(*p[1]) + "</td>", "<td>" + get(*p[2]) + "</td>");
  };
  std::string out = "<table><caption>The month at a glance</caption><tr>" + std::string(kPeriods) + "</tr>";
  out += counts("calls", [](const MonthFigures& f) -> const Count& { return f.calls().total(); });
  out += shares("calls answered within 10 minutes",
                [](const MonthFigures& f) -> const Share& { return f.calls().answered_within_target(); });
  out += counts("street reports", [](const MonthFigures& f) -> const Count& { return f.street_reports().total(); });
  out += counts("requests for a place", [](const MonthFigures& f) -> const Count& { return f.dispatching().requests(); });
  out += counts("persons who asked for a place (estimate)",
                [](const MonthFigures& f) -> const Count& { return f.dispatching().persons(); });
  out += counts("places dispatched",
                [](const MonthFigures& f) -> const Count& { return f.dispatching().dispatched_by_public().total(); });
  out += counts("proposals refused",
                [](const MonthFigures& f) -> const Count& { return f.dispatching().refused_by_reason().total(); });
  out += counts("unmet requests (all nights)",
                [](const MonthFigures& f) -> const Count& { return f.dispatching().unmet_per_night().total(); });
  out += numbers("average occupancy", [](const MonthFigures& f) {
    return f.occupancy().has_region() ? Fixed(f.occupancy().region().occupancy_percent()) + " %" : std::string("–");
  });
  out += numbers("buffer activations", [](const MonthFigures& f) { return std::to_string(f.buffers().activations()); });
  out += numbers("insertion proposal within 7 days", [](const MonthFigures& f) {
    const auto& ind = f.insertion_indicator();
    if (!ind.available()) return std::string("not available");
    if (ind.within_seven_days().suppressed()) return std::string("withheld");
    if (ind.within_seven_days().denominator().value() == 0) return std::string("–");
    return Fixed(ind.within_seven_days().percent()) + " %";
  });
  return out + "</table>";
}

}  // namespace

std::string ReportHtml(const MonthlyReport& r) {
  using google::protobuf::util::TimeUtil;
  const MonthFigures &now = r.current(), &before = r.previous(), &year = r.year_before();
  std::string title = "Relais — monthly report, " + r.region() + ", " + r.month();
  std::string h;
  h += "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + Escape(title) + "</title><style>\n"
       "@page { size: A4; margin: 14mm }\n"
       "body { font: 10.5pt/1.4 sans-serif; color: #222; max-width: 186mm; margin: 0 auto }\n"
       "h1 { font-size: 16pt } h2 { font-size: 13pt; border-bottom: 1px solid #888; break-after: avoid }\n"
       "table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; break-inside: avoid }\n"
       "caption { text-align: left; font-weight: bold; padding: 2px 0 }\n"
       "td, th { border-bottom: 1px solid #ddd; padding: 1px 6px; text-align: right }\n"
       "td:first-child, th:first-child { text-align: left } tr.total td { font-weight: bold }\n"
       ".withheld { color: #777; font-style: italic } svg { display: block; margin: 6px 0; break-inside: avoid }\n"
       ".note { font-size: 9pt; color: #555 }\n"
       "</style></head><body>\n";
  h += "<h1>" + Escape(title) + "</h1>\n";
  h += "<p class=\"note\">Generated " + Escape(TimeUtil::ToString(r.generated_at())) +
       (r.has_figures_through() ? "; events counted up to " + Escape(TimeUtil::ToString(r.figures_through())) : "") + ". " +
       (r.month_complete() ? "The month is complete." : "The month is not complete yet: figures may still change.") +
       " Counts marked <span class=\"withheld\">withheld</span> are hidden to protect the people concerned "
       "(rule at the end).</p>\n";
  h += Summary(r);

  h += "<h2>Calls</h2>\n";
  std::vector<svg::Bar> per_day;
  for (const auto& cell : now.calls().per_day().cells()) {
    per_day.push_back({cell.key().substr(8), static_cast<double>(cell.count().value()), cell.count().suppressed()});
  }
  h += svg::BarChart("Calls per day", per_day);
  h += svg::BarChart("Answered calls by waiting time", Bars(now.calls().waiting_time()));
  h += TableOver("Calls by caller", now.calls().by_caller_kind(), before.calls().by_caller_kind(), year.calls().by_caller_kind());
  h += TableOver("Calls by language", now.calls().by_language(), before.calls().by_language(), year.calls().by_language());
  h += TableOver("Answered calls by waiting time", now.calls().waiting_time(), before.calls().waiting_time(),
                 year.calls().waiting_time());
  h += "<table><tr>" + std::string(kPeriods) + "</tr>" +
       Row("answered", CountCell(now.calls().answered()), CountCell(before.calls().answered()),
           CountCell(year.calls().answered())) +
       Row("missed (the caller hung up first)", CountCell(now.calls().missed()), CountCell(before.calls().missed()),
           CountCell(year.calls().missed())) +
       Row("answered within 10 minutes", ShareCell(now.calls().answered_within_target()),
           ShareCell(before.calls().answered_within_target()), ShareCell(year.calls().answered_within_target())) +
       Row("mean waiting (seconds)", MeanWait(now.calls()), MeanWait(before.calls()), MeanWait(year.calls())) +
       Row("call-backs requested", CountCell(now.calls().call_backs_requested()),
           CountCell(before.calls().call_backs_requested()), CountCell(year.calls().call_backs_requested())) +
       "</table>";
  h += TableOver("Call-backs completed", now.calls().call_backs_completed(), before.calls().call_backs_completed(),
                 year.calls().call_backs_completed());
  h += TableOver("Calls by outcome", now.calls().by_outcome(), before.calls().by_outcome(), year.calls().by_outcome());

  const auto &rn = now.street_reports(), &rb = before.street_reports(), &ry = year.street_reports();
  h += "<h2>Street reports</h2>\n";
  h += TableOver("Street reports by reporter", rn.by_reporter_kind(), rb.by_reporter_kind(), ry.by_reporter_kind());
  h += TableOver("Street reports by commune", rn.by_commune(), rb.by_commune(), ry.by_commune());
  h += TableOver("Street reports by routing", rn.by_route(), rb.by_route(), ry.by_route());
  h += TableOver("Street reports closed, by outcome", rn.by_outcome(), rb.by_outcome(), ry.by_outcome());
  h += TableOver("Time to first contact", rn.time_to_first_contact(), rb.time_to_first_contact(), ry.time_to_first_contact());
  h += TableOver("Person found or not", rn.contact(), rb.contact(), ry.contact());

  const auto &dn = now.dispatching(), &db = before.dispatching(), &dy = year.dispatching();
  h += "<h2>Dispatching</h2>\n";
  h += svg::HorizontalBars("Places dispatched by public", Bars(dn.dispatched_by_public()), 0);
  h += TableOver("Requests by lane", dn.requests_by_lane(), db.requests_by_lane(), dy.requests_by_lane());
  h += TableOver("Places dispatched by public", dn.dispatched_by_public(), db.dispatched_by_public(), dy.dispatched_by_public());
  h += TableOver("Proposals refused, by reason (a refusal is the person's right)", dn.refused_by_reason(),
                 db.refused_by_reason(), dy.refused_by_reason());
  h += TableOver("How holds ended", dn.hold_endings(), db.hold_endings(), dy.hold_endings());
  h += TableOver("Prevention and insertion solutions proposed by the hotline", dn.insertion_proposals(),
                 db.insertion_proposals(), dy.insertion_proposals());
  h += "<table><tr>" + std::string(kPeriods) + "</tr>" +
       Row("proposals made", CountCell(dn.proposals()), CountCell(db.proposals()), CountCell(dy.proposals())) +
       Row("accepted but the place was gone", CountCell(dn.place_gone()), CountCell(db.place_gone()), CountCell(dy.place_gone())) +
       Row("holds taken", CountCell(dn.holds_taken()), CountCell(db.holds_taken()), CountCell(dy.holds_taken())) +
       Row("pass night places used", CountCell(dn.pass_night().places_used()), CountCell(db.pass_night().places_used()),
           CountCell(dy.pass_night().places_used())) +
       Row("nights with pass night use", "<td>" + std::to_string(dn.pass_night().nights_used()) + "</td>",
           "<td>" + std::to_string(db.pass_night().nights_used()) + "</td>",
           "<td>" + std::to_string(dy.pass_night().nights_used()) + "</td>") +
       "</table>";
  h += CrossHtml(dn.unmet_per_night());

  h += "<h2>Occupancy</h2>\n";
  if (now.occupancy().daily_size() > 0) {
    std::vector<std::string> days;
    svg::Series average{"average occupied", {}, ""}, peak{"peak occupied", {}, "5 3"}, places{"places", {}, "2 2"};
    for (const auto& d : now.occupancy().daily()) {
      days.push_back(d.day().substr(8));
      average.values.push_back(d.average_occupied());
      peak.values.push_back(static_cast<double>(d.peak_occupied()));
      places.values.push_back(d.average_places());
    }
    h += svg::LineChart("Region: places occupied per day", days, {average, peak, places});
  } else {
    h += "<p>No shelter figures were counted this month.</p>";
  }
  google::protobuf::RepeatedPtrField<OccupancyRow> region;
  if (now.occupancy().has_region()) *region.Add() = now.occupancy().region();
  h += OccupancyTable("Region", region);
  h += OccupancyTable("By public", now.occupancy().by_public());
  h += OccupancyTable("By commune", now.occupancy().by_commune());

  h += "<h2>Buffer places</h2>\n<table><caption>Crises that opened buffer places</caption><tr><th>reason</th>"
       "<th>activations</th><th>places opened</th><th>nights open</th></tr>";
  for (const auto& b : now.buffers().by_reason()) {
    h += "<tr><td>" + Escape(Label(b.reason())) + "</td><td>" + std::to_string(b.activations()) + "</td><td>" +
         std::to_string(b.places()) + "</td><td>" + std::to_string(b.nights()) + "</td></tr>";
  }
  h += "<tr class=\"total\"><td>total</td><td>" + std::to_string(now.buffers().activations()) + "</td><td>" +
       std::to_string(now.buffers().places()) + "</td><td>" + std::to_string(now.buffers().nights()) + "</td></tr></table>";

  h += "<h2>Orientation workshop</h2>\n";
  if (!now.workshop().available()) {
    h += "<p>The workshop's figures are not counted yet.</p>";
  } else {
    const auto &wn = now.workshop(), &wb = before.workshop(), &wy = year.workshop();
    h += "<table><tr>" + std::string(kPeriods) + "</tr>" +
         Row("referrals", CountCell(wn.referrals()), CountCell(wb.referrals()), CountCell(wy.referrals())) +
         Row("sessions", "<td>" + std::to_string(wn.sessions()) + "</td>", "<td>" + std::to_string(wb.sessions()) + "</td>",
             "<td>" + std::to_string(wy.sessions()) + "</td>") +
         Row("decided within 7 days", ShareCell(wn.deadlines_met()), ShareCell(wb.deadlines_met()), ShareCell(wy.deadlines_met())) +
         Row("plans approved", CountCell(wn.plans_approved()), CountCell(wb.plans_approved()), CountCell(wy.plans_approved())) +
         Row("plans refused", CountCell(wn.plans_refused()), CountCell(wb.plans_refused()), CountCell(wy.plans_refused())) +
         Row("priority places used", CountCell(wn.priority_places_used()), CountCell(wb.priority_places_used()),
             CountCell(wy.priority_places_used())) +
         "</table>";
    h += TableOver("Cases by orientation", wn.cases_by_outcome(), wb.cases_by_outcome(), wy.cases_by_outcome());
  }

  h += "<h2>Masterplan indicator: insertion proposal within 7 days</h2>\n";
  const auto& ind = now.insertion_indicator();
  if (!ind.available()) {
    h += "<p>Not available: " + Escape(ind.note()) + "</p>";
  } else {
    std::vector<svg::Bar> bars;
    for (const auto* f : {&now, &before, &year}) {
      const auto& s = f->insertion_indicator().within_seven_days();
      bars.push_back({f->month(), s.percent(), s.suppressed() || !f->insertion_indicator().available()});
    }
    h += svg::HorizontalBars("People with an insertion proposal within 7 days of entering shelter", bars, 100, {80, 95}, " %");
    h += "<table><tr>" + std::string(kPeriods) + "</tr>" +
         Row("people entering emergency shelter", CountCell(ind.within_seven_days().denominator()),
             CountCell(before.insertion_indicator().within_seven_days().denominator()),
             CountCell(year.insertion_indicator().within_seven_days().denominator())) +
         Row("of whom a proposal within 7 days", CountCell(ind.within_seven_days().numerator()),
             CountCell(before.insertion_indicator().within_seven_days().numerator()),
             CountCell(year.insertion_indicator().within_seven_days().numerator())) +
         Row("pending (entered less than 7 days ago)", CountCell(ind.pending()),
             CountCell(before.insertion_indicator().pending()), CountCell(year.insertion_indicator().pending())) +
         "</table><p>Target 80 %: " + std::string(ind.meets_80() ? "met" : "not met") + ". Target 95 %: " +
         (ind.meets_95() ? "met" : "not met") + ".</p>";
  }

  h += "<h2>How to read this report</h2>\n<p><strong>Privacy rule.</strong> " + Escape(r.suppression_rule()) + "</p><ul>";
  for (const auto& d : r.definitions()) h += "<li>" + Escape(d) + "</li>";
  h += "</ul></body></html>\n";
  return h;
}

}  // namespace relais::monitoring
