#pragma once
// The count tables and single counts of one month's report, withheld together by the rule of
// suppression.h: a figure that appears in several places (the month's calls are the total of three
// breakdowns and a figure of their own) is withheld everywhere as soon as one place withholds it.
// Pure and deterministic.
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "services/monitoring/suppression.h"

namespace relais::monitoring {

class FigureSet {
 public:
  // A one-way table. `total_id` names the figure its total is; `cell_ids` (optional, "" for none) the
  // figures its cells are, when they appear elsewhere too. Returns the table's index.
  size_t AddTable(std::string total_id, std::vector<int64_t> cells, std::vector<std::string> cell_ids = {});
  // A two-way table with its margins.
  size_t AddCross(std::string total_id, std::vector<std::vector<int64_t>> cells);
  // A figure shown on its own (or also as a table's total or cell: same id).
  void AddCount(const std::string& id, int64_t value);

  // Runs the rule over everything added, until no place withholds a figure that another shows.
  void Suppress();

  const SuppressionMask& Mask(size_t table) const { return tables_[table].mask; }
  bool Withheld(const std::string& id) const { return withheld_.count(id) > 0; }

 private:
  struct Table {
    CountGrid grid;
    std::string total_id;
    std::vector<std::string> cell_ids;
    SuppressionMask mask;
  };
  std::vector<Table> tables_;
  std::vector<std::pair<std::string, int64_t>> counts_;
  std::set<std::string> withheld_;
};

}  // namespace relais::monitoring
