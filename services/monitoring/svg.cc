#include "services/monitoring/svg.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace relais::monitoring::svg {
namespace {

constexpr int kWidth = 640;
constexpr int kHeight = 220;
constexpr int kLeft = 44, kRight = 12, kTop = 26, kBottom = 46;

std::string Num(double v) {
  char text[32];
  if (std::fabs(v - std::round(v)) < 1e-9) {
    std::snprintf(text, sizeof text, "%.0f", v);
  } else {
    std::snprintf(text, sizeof text, "%.1f", v);
  }
  return text;
}

std::string Open(const std::string& title, int height) {
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(kWidth) + "\" height=\"" +
         std::to_string(height) + "\" viewBox=\"0 0 " + std::to_string(kWidth) + " " + std::to_string(height) +
         "\" role=\"img\" aria-label=\"" + Escape(title) + "\" font-family=\"sans-serif\" font-size=\"10\">" +
         "<defs><pattern id=\"withheld\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
         "patternTransform=\"rotate(45)\"><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#999\" "
         "stroke-width=\"1\"/></pattern></defs>" +
         "<text x=\"" + std::to_string(kLeft) + "\" y=\"14\" font-size=\"12\" font-weight=\"bold\">" + Escape(title) +
         "</text>";
}

// A round number at or above v, for the top of an axis.
double NiceMax(double v) {
  if (v <= 0) return 1;
  double step = std::pow(10.0, std::floor(std::log10(v)));
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (m * step >= v) return m * step;
  }
  return 10 * step;
}

std::string Text(double x, double y, const std::string& text, const char* anchor = "middle") {
  return "<text x=\"" + Num(x) + "\" y=\"" + Num(y) + "\" text-anchor=\"" + anchor + "\">" + Escape(text) + "</text>";
}

std::string Line(double x1, double y1, double x2, double y2, const char* stroke, const std::string& dash = "") {
  return "<line x1=\"" + Num(x1) + "\" y1=\"" + Num(y1) + "\" x2=\"" + Num(x2) + "\" y2=\"" + Num(y2) + "\" stroke=\"" +
         stroke + "\"" + (dash.empty() ? "" : " stroke-dasharray=\"" + dash + "\"") + "/>";
}

std::string Axis(double top) {
  double plot_h = kHeight - kTop - kBottom;
  std::string out;
  for (int i = 0; i <= 4; ++i) {
    double y = kTop + plot_h - plot_h * i / 4.0;
    out += Line(kLeft, y, kWidth - kRight, y, "#e0e0e0");
    out += Text(kLeft - 4, y + 3, Num(top * i / 4.0), "end");
  }
  return out;
}

}  // namespace

std::string Escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string BarChart(const std::string& title, const std::vector<Bar>& bars) {
  std::string out = Open(title, kHeight);
  double top = 0;
  for (const auto& b : bars) top = std::max(top, b.withheld ? 0.0 : b.value);
  top = NiceMax(top);
  out += Axis(top);
  double plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
  double slot = bars.empty() ? plot_w : plot_w / static_cast<double>(bars.size());
  size_t label_every = bars.size() > 16 ? 5 : 1;
  for (size_t i = 0; i < bars.size(); ++i) {
    const Bar& b = bars[i];
    double x = kLeft + slot * static_cast<double>(i) + slot * 0.15, w = slot * 0.7;
    if (b.withheld) {
      double h = plot_h * 0.12;  // a token height: the value is withheld
      out += "<rect x=\"" + Num(x) + "\" y=\"" + Num(kTop + plot_h - h) + "\" width=\"" + Num(w) + "\" height=\"" + Num(h) +
             "\" fill=\"url(#withheld)\" stroke=\"#999\"><title>" + Escape(b.label) + ": withheld</title></rect>";
    } else {
      double h = plot_h * b.value / top;
      out += "<rect x=\"" + Num(x) + "\" y=\"" + Num(kTop + plot_h - h) + "\" width=\"" + Num(w) + "\" height=\"" + Num(h) +
             "\" fill=\"#4a6fa5\"><title>" + Escape(b.label) + ": " + Num(b.value) + "</title></rect>";
      if (bars.size() <= 16 && b.value > 0) out += Text(x + w / 2, kTop + plot_h - h - 3, Num(b.value));
    }
    if (i % label_every == 0) out += Text(x + w / 2, kHeight - kBottom + 14, b.label);
  }
  return out + "</svg>";
}

std::string HorizontalBars(const std::string& title, const std::vector<Bar>& bars, double max,
                           const std::vector<double>& markers, const std::string& unit) {
  const int row = 20, label_w = 170;
  int height = kTop + row * static_cast<int>(bars.size()) + 24;
  std::string out = Open(title, height);
  double top = max > 0 ? max : 0;
  if (top <= 0) {
    for (const auto& b : bars) top = std::max(top, b.withheld ? 0.0 : b.value);
    top = NiceMax(top);
  }
  double x0 = label_w, plot_w = kWidth - label_w - kRight - 40;
  for (size_t i = 0; i < bars.size(); ++i) {
    const Bar& b = bars[i];
    double y = kTop + row * static_cast<double>(i);
    out += Text(x0 - 6, y + 13, b.label, "end");
    if (b.withheld) {
      out += "<rect x=\"" + Num(x0) + "\" y=\"" + Num(y + 3) + "\" width=\"" + Num(plot_w * 0.08) +
             "\" height=\"14\" fill=\"url(#withheld)\" stroke=\"#999\"/>" + Text(x0 + plot_w * 0.08 + 4, y + 13, "withheld", "start");
    } else {
      double w = plot_w * std::min(1.0, b.value / top);
      out += "<rect x=\"" + Num(x0) + "\" y=\"" + Num(y + 3) + "\" width=\"" + Num(w) + "\" height=\"14\" fill=\"#4a6fa5\"/>" +
             Text(x0 + w + 4, y + 13, Num(b.value) + unit, "start");
    }
  }
  double bottom = kTop + row * static_cast<double>(bars.size());
  for (double m : markers) {
    double x = x0 + plot_w * m / top;
    out += Line(x, kTop - 2, x, bottom + 2, "#b03030", "4 3") + Text(x, bottom + 14, "target " + Num(m) + unit);
  }
  return out + "</svg>";
}

std::string LineChart(const std::string& title, const std::vector<std::string>& x_labels,
                      const std::vector<Series>& series) {
  std::string out = Open(title, kHeight);
  double top = 0;
  for (const auto& s : series) {
    for (double v : s.values) top = std::max(top, v);
  }
  top = NiceMax(top);
  out += Axis(top);
  double plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
  size_t n = x_labels.size();
  auto x_at = [&](size_t i) { return kLeft + (n <= 1 ? plot_w / 2 : plot_w * static_cast<double>(i) / static_cast<double>(n - 1)); };
  for (size_t i = 0; i < n; i += (n > 16 ? 5 : 1)) out += Text(x_at(i), kHeight - kBottom + 14, x_labels[i]);
  double legend_x = kLeft;
  for (const auto& s : series) {
    std::string points;
    for (size_t i = 0; i < s.values.size() && i < n; ++i) {
      points += Num(x_at(i)) + "," + Num(kTop + plot_h - plot_h * s.values[i] / top) + " ";
    }
    out += "<polyline fill=\"none\" stroke=\"#333\" stroke-width=\"1.5\"" +
           (s.dash.empty() ? std::string() : " stroke-dasharray=\"" + s.dash + "\"") + " points=\"" + points + "\"/>";
    out += Line(legend_x, kHeight - 12, legend_x + 20, kHeight - 12, "#333", s.dash) +
           Text(legend_x + 24, kHeight - 9, s.name, "start");
    legend_x += 150;
  }
  return out + "</svg>";
}

}  // namespace relais::monitoring::svg
