#pragma once
// Small SVG charts for the printable report: drawn by our code, no script, readable in print (grey
// scale friendly, values written on the bars, withheld values drawn as hatched empty bars).
#include <string>
#include <string_view>
#include <vector>

namespace relais::monitoring::svg {

// Text for XML/HTML: &, <, >, " and ' escaped.
std::string Escape(std::string_view text);

struct Bar {
  std::string label;
  double value = 0;
  bool withheld = false;
};

// Vertical bars; with many bars only some labels are written.
std::string BarChart(const std::string& title, const std::vector<Bar>& bars);

// Horizontal bars with optional vertical markers (e.g. targets at 80 and 95 on a 0-100 scale).
std::string HorizontalBars(const std::string& title, const std::vector<Bar>& bars, double max,
                           const std::vector<double>& markers = {}, const std::string& unit = "");

struct Series {
  std::string name;
  std::vector<double> values;
  std::string dash;  // SVG stroke-dasharray, "" for a solid line
};
std::string LineChart(const std::string& title, const std::vector<std::string>& x_labels,
                      const std::vector<Series>& series);

}  // namespace relais::monitoring::svg
