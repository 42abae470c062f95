#pragma once
// Statistical disclosure control of the report's count tables. Pure and deterministic.
//
// The rule (kSuppressionRule, printed in every report):
//  1. Primary: a count from 1 to 4 is withheld (0 is shown: it tells nothing about anyone).
//  2. Secondary: more counts are withheld until no withheld count can be worked out exactly from the
//     published counts of its table — from one row or column and its total (one withheld count alone
//     in a line, or withheld counts that could only all be 1) or from any combination of the table's
//     rows, columns and totals (an exact test, suppression.cc `Disclosed`). The next count withheld is
//     the smallest non-zero count of a line involved (else of the table), cells before totals.
//  3. A figure withheld in one table is withheld in every table and place it appears.
// Withheld counts are never 0, and readers may know it: the checks above assume they do.
#include <cstdint>
#include <string>
#include <vector>

namespace relais::monitoring {

extern const char kSuppressionRule[];

// Counts from 1 to 4 are withheld.
inline constexpr int64_t kSmallestPublished = 5;

// A table of counts and its totals: a one-way table has one row and a grand total; a two-way table
// also has a total per row, per column, and the grand total.
struct CountGrid {
  std::vector<std::vector<int64_t>> cells;  // rows x columns; every row the same length
  bool two_way = false;
  // Entries withheld elsewhere (the same figure in another table): withheld here too. Empty: none.
  std::vector<std::vector<bool>> forced_cells;
  bool total_forced = false;

  static CountGrid OneWay(std::vector<int64_t> cells) {
    CountGrid g;
    g.cells = {std::move(cells)};
    return g;
  }
  static CountGrid TwoWay(std::vector<std::vector<int64_t>> cells) {
    CountGrid g;
    g.cells = std::move(cells);
    g.two_way = true;
    return g;
  }
};

struct SuppressionMask {
  std::vector<std::vector<bool>> cells;
  std::vector<bool> row_totals;             // two-way tables only
  std::vector<bool> column_totals;          // two-way tables only
  bool total = false;
};

SuppressionMask Suppress(const CountGrid& grid);

// Which withheld entries of a table (cells row by row, then row totals and column totals of a two-way
// table, then the grand total) take one value only in every table consistent with the published
// entries, withheld entries being at least 1. Suppress() leaves none.
std::vector<bool> DisclosedEntries(const CountGrid& grid, const SuppressionMask& mask);

}  // namespace relais::monitoring
