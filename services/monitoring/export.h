#pragma once
// The monthly report as files: JSON (protobuf's JSON mapping, as the gateway serves it), CSV (one
// figure per line) and printable HTML with SVG charts (html_report.cc). Pure functions of the report,
// which holds only categories, counts and the suppression flags: nothing about a person can get in.
#include <string>

#include "absl/status/statusor.h"
#include "relais/v1/monitoring.pb.h"

namespace relais::monitoring {

struct ExportedFile {
  std::string content;
  std::string content_type;
  std::string filename;
};

std::string ReportJson(const relais::v1::MonthlyReport& report);
std::string ReportCsv(const relais::v1::MonthlyReport& report);
std::string ReportHtml(const relais::v1::MonthlyReport& report);

// INVALID_ARGUMENT for an unspecified or unknown format.
absl::StatusOr<ExportedFile> ExportReport(const relais::v1::MonthlyReport& report, relais::v1::ReportFormat format);

// A category code as people read it: "CALLER_KIND_PUBLIC_TRANSPORT" -> "public transport", "le_5m" -> "≤ 5 min".
std::string Label(const std::string& code);

}  // namespace relais::monitoring
