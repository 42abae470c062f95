#include "services/monitoring/figure_set.h"

namespace relais::monitoring {

size_t FigureSet::AddTable(std::string total_id, std::vector<int64_t> cells, std::vector<std::string> cell_ids) {
  Table t;
  t.grid.cells = {std::move(cells)};
  t.total_id = std::move(total_id);
  t.cell_ids = std::move(cell_ids);
  t.cell_ids.resize(t.grid.cells[0].size());
  tables_.push_back(std::move(t));
  return tables_.size() - 1;
}

size_t FigureSet::AddCross(std::string total_id, std::vector<std::vector<int64_t>> cells) {
  Table t;
  t.grid.cells = std::move(cells);
  t.grid.two_way = true;
  t.total_id = std::move(total_id);
  tables_.push_back(std::move(t));
  return tables_.size() - 1;
}

void FigureSet::AddCount(const std::string& id, int64_t value) { counts_.emplace_back(id, value); }

void FigureSet::Suppress() {
  for (const auto& [id, value] : counts_) {
    if (value >= 1 && value < kSmallestPublished) withheld_.insert(id);
  }
  // Each pass can only withhold more figures, of which there are finitely many.
  for (size_t before = withheld_.size() + 1; before != withheld_.size();) {
    before = withheld_.size();
    for (auto& t : tables_) {
      t.grid.total_forced = !t.total_id.empty() && Withheld(t.total_id);
      t.grid.forced_cells.clear();
      if (!t.cell_ids.empty()) {
        t.grid.forced_cells.emplace_back();
        for (const auto& id : t.cell_ids) t.grid.forced_cells[0].push_back(!id.empty() && Withheld(id));
      }
      t.mask = relais::monitoring::Suppress(t.grid);
      if (t.mask.total && !t.total_id.empty()) withheld_.insert(t.total_id);
      for (size_t c = 0; c < t.cell_ids.size(); ++c) {
        if (t.mask.cells[0][c] && !t.cell_ids[c].empty()) withheld_.insert(t.cell_ids[c]);
      }
    }
  }
}

}  // namespace relais::monitoring
