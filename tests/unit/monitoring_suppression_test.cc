// The suppression rule (services/monitoring/suppression.h), checked against an independent attacker:
// a brute-force search of every table of counts consistent with what is published (withheld counts
// are at least 1). A withheld count that takes one value only in every consistent table is disclosed.
// Controls show the attacker finds what primary suppression alone leaves open.
#include <gtest/gtest.h>

#include <functional>
#include <random>
#include <set>

#include "services/monitoring/suppression.h"

namespace relais::monitoring {
namespace {

// For each withheld entry (cells row by row, then row totals, column totals, grand total), every
// value it takes in the tables consistent with the published figures. Published entries get {}.
struct Attack {
  std::vector<std::vector<std::set<int64_t>>> cells;
  std::vector<std::set<int64_t>> rows, columns;
  std::set<int64_t> total;
  bool AnyDisclosed(const SuppressionMask& m) const {
    for (size_t r = 0; r < cells.size(); ++r) {
      for (size_t c = 0; c < cells[r].size(); ++c) {
        if (m.cells[r][c] && cells[r][c].size() == 1) return true;
      }
    }
    for (size_t r = 0; r < rows.size(); ++r) {
      if (m.row_totals[r] && rows[r].size() == 1) return true;
    }
    for (size_t c = 0; c < columns.size(); ++c) {
      if (m.column_totals[c] && columns[c].size() == 1) return true;
    }
    return m.total && total.size() == 1;
  }
};

Attack BruteForce(const CountGrid& g, const SuppressionMask& m) {
  size_t rows = g.cells.size(), cols = g.cells[0].size();
  int64_t grand = 0;
  std::vector<int64_t> row_sum(rows, 0), col_sum(cols, 0);
  for (size_t r = 0; r < rows; ++r) {
    for (size_t c = 0; c < cols; ++c) grand += g.cells[r][c], row_sum[r] += g.cells[r][c], col_sum[c] += g.cells[r][c];
  }
  // What the attacker knows as an upper bound for any cell.
  int64_t bound = !m.total ? grand : 2 * grand + 3;
  Attack a;
  a.cells.assign(rows, std::vector<std::set<int64_t>>(cols));
  if (g.two_way) a.rows.resize(rows), a.columns.resize(cols);
  std::vector<std::vector<int64_t>> x(rows, std::vector<int64_t>(cols, 0));
  auto published_row = [&](size_t r) { return g.two_way && !m.row_totals[r]; };
  auto published_col = [&](size_t c) { return g.two_way && !m.column_totals[c]; };
  std::function<void(size_t)> dfs = [&](size_t i) {
    if (i == rows * cols) {
      int64_t t = 0;
      std::vector<int64_t> cs(cols, 0), rs(rows, 0);
      for (size_t r = 0; r < rows; ++r) {
        for (size_t c = 0; c < cols; ++c) t += x[r][c], cs[c] += x[r][c], rs[r] += x[r][c];
      }
      if (!m.total && t != grand) return;
      if (m.total && t < 1) return;
      for (size_t r = 0; r < rows; ++r) {
        if (published_row(r) && rs[r] != row_sum[r]) return;
        if (g.two_way && m.row_totals[r] && rs[r] < 1) return;
      }
      for (size_t c = 0; c < cols; ++c) {
        if (published_col(c) && cs[c] != col_sum[c]) return;
        if (g.two_way && m.column_totals[c] && cs[c] < 1) return;
      }
      for (size_t r = 0; r < rows; ++r) {
        for (size_t c = 0; c < cols; ++c) {
          if (m.cells[r][c]) a.cells[r][c].insert(x[r][c]);
        }
        if (g.two_way && m.row_totals[r]) a.rows[r].insert(rs[r]);
      }
      for (size_t c = 0; c < cols; ++c) {
        if (g.two_way && m.column_totals[c]) a.columns[c].insert(cs[c]);
      }
      if (m.total) a.total.insert(t);
      return;
    }
    size_t r = i / cols, c = i % cols;
    auto next = [&] {
      // Prune: a finished row must match its published total.
      if (c + 1 == cols && published_row(r)) {
        int64_t s = 0;
        for (size_t k = 0; k < cols; ++k) s += x[r][k];
        if (s != row_sum[r]) return;
      }
      int64_t all = 0;
      for (size_t rr = 0; rr <= r; ++rr) {
        for (size_t cc = 0; cc < cols; ++cc) all += x[rr][cc];
      }
      if (all > bound) return;
      dfs(i + 1);
    };
    if (!m.cells[r][c]) {
      x[r][c] = g.cells[r][c];
      next();
      return;
    }
    for (int64_t v = 1; v <= bound; ++v) {
      x[r][c] = v;
      next();
    }
    x[r][c] = 0;
  };
  dfs(0);
  return a;
}

SuppressionMask PrimaryOnly(const CountGrid& g) {
  SuppressionMask m;
  int64_t grand = 0;
  size_t cols = g.cells[0].size();
  std::vector<int64_t> cs(cols, 0);
  for (const auto& row : g.cells) {
    std::vector<bool> mr;
    int64_t rs = 0;
    for (size_t c = 0; c < cols; ++c) {
      mr.push_back(row[c] >= 1 && row[c] <= 4);
      rs += row[c], cs[c] += row[c], grand += row[c];
    }
    m.cells.push_back(mr);
    if (g.two_way) m.row_totals.push_back(rs >= 1 && rs <= 4);
  }
  if (g.two_way) {
    for (auto v : cs) m.column_totals.push_back(v >= 1 && v <= 4);
  }
  m.total = grand >= 1 && grand <= 4;
  return m;
}

std::string Describe(const CountGrid& g, const SuppressionMask& m) {
  std::string out;
  for (size_t r = 0; r < g.cells.size(); ++r) {
    out += "[";
    for (size_t c = 0; c < g.cells[r].size(); ++c) {
      out += std::to_string(g.cells[r][c]) + (m.cells[r][c] ? "*" : "") + " ";
    }
    out += "]";
    if (g.two_way) out += m.row_totals[r] ? "row* " : "row ";
  }
  for (size_t c = 0; c < m.column_totals.size(); ++c) out += m.column_totals[c] ? " col*" : " col";
  return out + (m.total ? " total*" : " total");
}

TEST(Suppression, SmallCountsAreWithheldAndZeroIsNot) {
  auto g = CountGrid::OneWay({0, 3, 12, 20});
  auto m = Suppress(g);
  EXPECT_FALSE(m.cells[0][0]) << "zero tells nothing about anyone";
  EXPECT_TRUE(m.cells[0][1]);
  EXPECT_TRUE(m.cells[0][2]) << "secondary: the smallest other non-zero cell, else 3 = 35 - 12 - 20";
  EXPECT_FALSE(m.cells[0][3]);
  EXPECT_FALSE(m.total);
  EXPECT_FALSE(BruteForce(g, m).AnyDisclosed(m));
}

TEST(Suppression, ControlPrimaryOnlyIsDisclosedByTheTotal) {
  auto g = CountGrid::OneWay({0, 3, 12, 20});
  auto naive = PrimaryOnly(g);
  auto attack = BruteForce(g, naive);
  EXPECT_TRUE(attack.AnyDisclosed(naive));
  EXPECT_EQ(attack.cells[0][1], (std::set<int64_t>{3}));
}

TEST(Suppression, WithheldCellsThatCouldOnlyBeOnesAreProtected) {
  // 1 + 1 with a total of 40: the attacker knows both withheld cells are at least 1 and sum to 2.
  auto g = CountGrid::OneWay({1, 1, 38});
  auto naive = PrimaryOnly(g);
  EXPECT_TRUE(BruteForce(g, naive).AnyDisclosed(naive)) << "control: two withheld ones are still disclosed";
  auto m = Suppress(g);
  EXPECT_TRUE(m.cells[0][2]);
  EXPECT_FALSE(m.total);
  EXPECT_FALSE(BruteForce(g, m).AnyDisclosed(m));
}

TEST(Suppression, ASmallTotalIsWithheldWithItsCells) {
  auto g = CountGrid::OneWay({0, 2, 1, 0});
  auto m = Suppress(g);
  EXPECT_TRUE(m.total);
  EXPECT_TRUE(m.cells[0][1]);
  EXPECT_TRUE(m.cells[0][2]);
  EXPECT_FALSE(BruteForce(g, m).AnyDisclosed(m));
}

TEST(Suppression, ATotalWithheldElsewhereTakesACellWithIt) {
  auto g = CountGrid::OneWay({7, 9, 30});
  g.total_forced = true;
  auto m = Suppress(g);
  EXPECT_TRUE(m.total);
  EXPECT_TRUE(m.cells[0][0]) << "else the withheld total is the sum of the published cells";
  EXPECT_FALSE(BruteForce(g, m).AnyDisclosed(m));
}

TEST(Suppression, TwoWayTableNightsByLane) {
  // Unmet requests per night (rows) by lane (columns).
  auto g = CountGrid::TwoWay({{0, 2, 9}, {1, 0, 12}, {0, 0, 15}});
  auto naive = PrimaryOnly(g);
  EXPECT_TRUE(BruteForce(g, naive).AnyDisclosed(naive)) << "control";
  auto m = Suppress(g);
  EXPECT_TRUE(m.cells[0][1]);
  EXPECT_TRUE(m.cells[1][0]);
  EXPECT_FALSE(BruteForce(g, m).AnyDisclosed(m));
  for (bool d : DisclosedEntries(g, m)) EXPECT_FALSE(d);
}

TEST(Suppression, NothingWithheldWhenEveryCountIsFiveOrMoreOrZero) {
  auto g = CountGrid::OneWay({0, 5, 17, 0, 6});
  auto m = Suppress(g);
  for (bool b : m.cells[0]) EXPECT_FALSE(b);
  EXPECT_FALSE(m.total);
}

// Many random tables: whatever the counts, the attacker learns no withheld count exactly.
TEST(Suppression, RandomTablesDiscloseNothing) {
  std::mt19937 rng(20261122);
  int with_something_withheld = 0, naive_disclosed = 0;
  for (int round = 0; round < 1000; ++round) {
    bool two_way = round % 2 == 1;
    int rows = two_way ? 2 + static_cast<int>(rng() % 2) : 1;
    int cols = 2 + static_cast<int>(rng() % (two_way ? 2 : 4));
    int top = two_way ? 6 : 9;
    CountGrid g;
    g.two_way = two_way;
    g.cells.assign(rows, std::vector<int64_t>(cols, 0));
    for (auto& row : g.cells) {
      for (auto& v : row) v = rng() % 3 == 0 ? 0 : static_cast<int64_t>(rng() % (top + 1));
    }
    auto m = Suppress(g);
    auto naive = PrimaryOnly(g);
    bool any = m.total;
    for (const auto& row : m.cells) {
      for (bool b : row) any = any || b;
    }
    with_something_withheld += any ? 1 : 0;
    naive_disclosed += BruteForce(g, naive).AnyDisclosed(naive) ? 1 : 0;
    ASSERT_FALSE(BruteForce(g, m).AnyDisclosed(m)) << "round " << round << ": " << Describe(g, m);
  }
  EXPECT_GT(with_something_withheld, 500);
  EXPECT_GT(naive_disclosed, 150) << "control: primary suppression alone discloses often";
}

// The exact test inside Suppress agrees with the brute-force attacker on arbitrary withholding
// patterns, including ones Suppress would never produce.
TEST(Suppression, DisclosureTestAgreesWithBruteForce) {
  std::mt19937 rng(7);
  int disclosed_seen = 0, protected_seen = 0;
  for (int round = 0; round < 400; ++round) {
    bool two_way = round % 3 != 0;
    int rows = two_way ? 2 + static_cast<int>(rng() % 2) : 1;
    int cols = 2 + static_cast<int>(rng() % 2);
    CountGrid g;
    g.two_way = two_way;
    g.cells.assign(rows, std::vector<int64_t>(cols, 0));
    for (auto& row : g.cells) {
      for (auto& v : row) v = rng() % 4 == 0 ? 0 : 1 + static_cast<int64_t>(rng() % 3);
    }
    // A random withholding of non-zero entries.
    SuppressionMask m = PrimaryOnly(g);
    for (auto& row : m.cells) {
      for (size_t c = 0; c < row.size(); ++c) row[c] = false;
    }
    int64_t grand = 0;
    std::vector<int64_t> rs(rows, 0), cs(cols, 0);
    for (int r = 0; r < rows; ++r) {
      for (int c = 0; c < cols; ++c) {
        m.cells[r][c] = g.cells[r][c] > 0 && rng() % 2 == 0;
        rs[r] += g.cells[r][c], cs[c] += g.cells[r][c], grand += g.cells[r][c];
      }
    }
    if (two_way) {
      for (int r = 0; r < rows; ++r) m.row_totals[r] = rs[r] > 0 && rng() % 3 == 0;
      for (int c = 0; c < cols; ++c) m.column_totals[c] = cs[c] > 0 && rng() % 3 == 0;
    }
    m.total = grand > 0 && rng() % 4 == 0;
    auto attack = BruteForce(g, m);
    auto exact = DisclosedEntries(g, m);
    size_t i = 0;
    auto check = [&](bool withheld, const std::set<int64_t>& values) {
      if (withheld) {
        bool brute = values.size() == 1;
        EXPECT_EQ(exact[i], brute) << "round " << round << " entry " << i << ": " << Describe(g, m);
        (brute ? disclosed_seen : protected_seen)++;
      }
      ++i;
    };
    for (int r = 0; r < rows; ++r) {
      for (int c = 0; c < cols; ++c) check(m.cells[r][c], attack.cells[r][c]);
    }
    if (two_way) {
      for (int r = 0; r < rows; ++r) check(m.row_totals[r], attack.rows[r]);
      for (int c = 0; c < cols; ++c) check(m.column_totals[c], attack.columns[c]);
    }
    check(m.total, attack.total);
  }
  EXPECT_GT(disclosed_seen, 100);
  EXPECT_GT(protected_seen, 100);
}

}  // namespace
}  // namespace relais::monitoring
