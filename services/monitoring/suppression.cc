#include "services/monitoring/suppression.h"


namespace relais::monitoring {

const char kSuppressionRule[] =
    "Counts of people and of their contacts (calls, street reports, requests, proposals, holds, persons, "
    "workshop cases) from 1 to 4 are withheld. More counts are withheld where a withheld count could "
    "otherwise be worked out exactly from the published counts of its table (a row or column and its "
    "total, or any combination of them): the next one withheld is the smallest non-zero count of the line "
    "concerned. A figure withheld in one table is withheld everywhere it appears, and a share is withheld "
    "with its numerator or denominator. Zero is never withheld. Figures about places and crises "
    "(occupancy, buffer activations, nights) describe no one and are published as they are. The rule is "
    "the same every month.";

namespace {

// The entries of a table (cells, then row totals and column totals for a two-way table, then the
// grand total) and the equations that tie them: each line's cells sum to the line's total.
struct Layout {
  struct Equation {
    std::vector<int> parts;
    int total;
  };
  int rows = 0, columns = 0;
  bool two_way = false;
  std::vector<int64_t> values;
  std::vector<bool> is_cell;
  std::vector<Equation> equations;

  int Cell(int r, int c) const { return r * columns + c; }
  int RowTotal(int r) const { return rows * columns + r; }
  int ColumnTotal(int c) const { return rows * columns + rows + c; }
  int Grand() const { return two_way ? rows * columns + rows + columns : rows * columns; }
  int Size() const { return Grand() + 1; }
};

Layout LayoutOf(const CountGrid& g) {
  Layout l;
  l.rows = static_cast<int>(g.cells.size());
  l.columns = l.rows > 0 ? static_cast<int>(g.cells[0].size()) : 0;
  l.two_way = g.two_way;
  l.values.assign(l.Size(), 0);
  l.is_cell.assign(l.Size(), false);
  for (int r = 0; r < l.rows; ++r) {
    for (int c = 0; c < l.columns; ++c) {
      int64_t v = g.cells[r][c];
      l.values[l.Cell(r, c)] = v;
      l.is_cell[l.Cell(r, c)] = true;
      if (l.two_way) {
        l.values[l.RowTotal(r)] += v;
        l.values[l.ColumnTotal(c)] += v;
      }
      l.values[l.Grand()] += v;
    }
  }
  if (!l.two_way) {
    Layout::Equation all{{}, l.Grand()};
    for (int i = 0; i < l.rows * l.columns; ++i) all.parts.push_back(i);
    l.equations.push_back(all);
    return l;
  }
  Layout::Equation by_rows{{}, l.Grand()}, by_columns{{}, l.Grand()};
  for (int r = 0; r < l.rows; ++r) {
    Layout::Equation e{{}, l.RowTotal(r)};
    for (int c = 0; c < l.columns; ++c) e.parts.push_back(l.Cell(r, c));
    l.equations.push_back(e);
    by_rows.parts.push_back(l.RowTotal(r));
  }
  for (int c = 0; c < l.columns; ++c) {
    Layout::Equation e{{}, l.ColumnTotal(c)};
    for (int r = 0; r < l.rows; ++r) e.parts.push_back(l.Cell(r, c));
    l.equations.push_back(e);
    by_columns.parts.push_back(l.ColumnTotal(c));
  }
  l.equations.push_back(by_rows);
  l.equations.push_back(by_columns);
  return l;
}

std::vector<bool> Flatten(const Layout& l, const SuppressionMask& m) {
  std::vector<bool> out(l.Size(), false);
  for (int r = 0; r < l.rows; ++r) {
    for (int c = 0; c < l.columns; ++c) out[l.Cell(r, c)] = m.cells[r][c];
    if (l.two_way) out[l.RowTotal(r)] = m.row_totals[r];
  }
  if (l.two_way) {
    for (int c = 0; c < l.columns; ++c) out[l.ColumnTotal(c)] = m.column_totals[c];
  }
  out[l.Grand()] = m.total;
  return out;
}

SuppressionMask Unflatten(const Layout& l, const std::vector<bool>& s) {
  SuppressionMask m;
  m.cells.assign(l.rows, std::vector<bool>(l.columns, false));
  for (int r = 0; r < l.rows; ++r) {
    for (int c = 0; c < l.columns; ++c) m.cells[r][c] = s[l.Cell(r, c)];
  }
  if (l.two_way) {
    for (int r = 0; r < l.rows; ++r) m.row_totals.push_back(s[l.RowTotal(r)]);
    for (int c = 0; c < l.columns; ++c) m.column_totals.push_back(s[l.ColumnTotal(c)]);
  }
  m.total = s[l.Grand()];
  return m;
}

// An equation that gives a withheld entry away on its own: it is the only one withheld in the line,
// or the line's total is published and the withheld parts could only all be 1 (each is at least 1).
bool LineGivesAway(const Layout& l, const Layout::Equation& e, const std::vector<bool>& s);

// Withheld entries whose value is the same in every table consistent with the published entries
// (withheld entries being at least 1).
//
// One-way table: its one equation says it all (LineGivesAway).
// Two-way table: put the totals in an extra row and column, the row and column totals with a minus
// sign; then every row and column of the extended grid sums to zero, and a change of the withheld
// entries that keeps every published figure is a circulation on the bipartite graph whose nodes are
// the extended rows and columns and whose edges are the withheld entries (flow row -> column adds to
// a cell or the grand total, takes from a row or column total). A withheld entry has another possible
// value iff a simple cycle through it can carry one unit without taking any entry below 1, that is iff
// it lies on a directed cycle where an entry at 1 may only be increased. (The constraint matrix is a
// network matrix, so integer and real reasoning agree.)
std::vector<bool> Disclosed(const Layout& l, const std::vector<bool>& s) {
  std::vector<bool> out(l.Size(), false);
  if (!l.two_way) {
    const auto& e = l.equations.front();
    if (!LineGivesAway(l, e, s)) return out;
    for (int p : e.parts) out[p] = s[p];
    out[e.total] = s[e.total];
    return out;
  }
  const int R = l.rows, C = l.columns;
  const int nodes = (R + 1) + (C + 1);  // rows 0..R, then columns 0..C
  struct Edge {
    int entry, row, column;
    bool forward, backward;  // may carry flow row -> column, column -> row
  };
  std::vector<Edge> edges;
  auto add = [&](int entry, int r, int c, int sign) {
    if (!s[entry]) return;
    bool at_least_two = l.values[entry] >= 2;
    // Flow row -> column moves the entry by `sign`; an entry at 1 may not go down.
    edges.push_back({entry, r, R + 1 + c, at_least_two || sign > 0, at_least_two || sign < 0});
  };
  for (int r = 0; r < R; ++r) {
    for (int c = 0; c < C; ++c) add(l.Cell(r, c), r, c, +1);
    add(l.RowTotal(r), r, C, -1);
  }
  for (int c = 0; c < C; ++c) add(l.ColumnTotal(c), R, c, -1);
  add(l.Grand(), R, C, +1);

  auto reaches = [&](int from, int to, size_t skip) {
    std::vector<bool> seen(nodes, false);
    std::vector<int> todo = {from};
    seen[from] = true;
    while (!todo.empty()) {
      int n = todo.back();
      todo.pop_back();
      if (n == to) return true;
      for (size_t k = 0; k < edges.size(); ++k) {
        if (k == skip) continue;
        const Edge& e = edges[k];
        int next = -1;
        if (e.forward && e.row == n) next = e.column;
        if (e.backward && e.column == n) next = e.row;
        if (next >= 0 && !seen[next]) seen[next] = true, todo.push_back(next);
      }
    }
    return false;
  };
  for (size_t k = 0; k < edges.size(); ++k) {
    const Edge& e = edges[k];
    bool movable = (e.forward && reaches(e.column, e.row, k)) || (e.backward && reaches(e.row, e.column, k));
    out[e.entry] = !movable;
  }
  return out;
}

bool LineGivesAway(const Layout& l, const Layout::Equation& e, const std::vector<bool>& s) {
  int withheld = s[e.total] ? 1 : 0;
  int withheld_parts = 0;
  int64_t withheld_sum = 0;
  for (int p : e.parts) {
    if (s[p]) ++withheld, ++withheld_parts, withheld_sum += l.values[p];
  }
  if (withheld == 1) return true;
  return !s[e.total] && withheld_parts >= 1 && withheld_sum == withheld_parts;
}

// Withholds one more entry of the given equations: the smallest non-zero published cell, else the
// smallest non-zero published total. False when there is none.
bool WithholdOneMore(const Layout& l, const std::vector<const Layout::Equation*>& equations, std::vector<bool>& s) {
  for (bool cells_only : {true, false}) {
    int best = -1;
    for (const auto* e : equations) {
      std::vector<int> entries = e->parts;
      entries.push_back(e->total);
      for (int i : entries) {
        if (s[i] || l.values[i] == 0 || (cells_only && !l.is_cell[i])) continue;
        if (best < 0 || l.values[i] < l.values[best] || (l.values[i] == l.values[best] && i < best)) best = i;
      }
    }
    if (best >= 0) {
      s[best] = true;
      return true;
    }
  }
  return false;
}

std::vector<const Layout::Equation*> AllLines(const Layout& l) {
  std::vector<const Layout::Equation*> out;
  for (const auto& e : l.equations) out.push_back(&e);
  return out;
}

}  // namespace

std::vector<bool> DisclosedEntries(const CountGrid& grid, const SuppressionMask& mask) {
  Layout l = LayoutOf(grid);
  return Disclosed(l, Flatten(l, mask));
}

SuppressionMask Suppress(const CountGrid& grid) {
  Layout l = LayoutOf(grid);
  std::vector<bool> s(l.Size(), false);
  for (int i = 0; i < l.Size(); ++i) s[i] = l.values[i] >= 1 && l.values[i] < kSmallestPublished;
  if (grid.total_forced && l.values[l.Grand()] != 0) s[l.Grand()] = true;
  for (size_t r = 0; r < grid.forced_cells.size(); ++r) {
    for (size_t c = 0; c < grid.forced_cells[r].size(); ++c) {
      int i = l.Cell(static_cast<int>(r), static_cast<int>(c));
      if (grid.forced_cells[r][c] && l.values[i] != 0) s[i] = true;
    }
  }

  // Each round withholds one more entry; there are finitely many, so this ends.
  for (bool changed = true; changed;) {
    changed = false;
    for (const auto& e : l.equations) {
      if (LineGivesAway(l, e, s) && WithholdOneMore(l, {&e}, s)) {
        changed = true;
        break;
      }
    }
    if (changed) continue;
    std::vector<bool> pinned = Disclosed(l, s);
    for (int i = 0; i < l.Size() && !changed; ++i) {
      if (!pinned[i]) continue;
      std::vector<const Layout::Equation*> lines;
      for (const auto& e : l.equations) {
        bool involved = e.total == i;
        for (int p : e.parts) involved = involved || p == i;
        if (involved) lines.push_back(&e);
      }
      // Else any published count of the table: the disclosure may come through other lines.
      changed = WithholdOneMore(l, lines, s) || WithholdOneMore(l, AllLines(l), s);
    }
  }
  return Unflatten(l, s);
}

}  // namespace relais::monitoring
