#include "services/dispatch/grid.h"

#include <algorithm>

namespace relais::dispatch {
namespace {

using namespace relais::v1;

GridCriterion NeedCriterion(Need need, int weight) {
  GridCriterion c;
  c.set_need(need);
  c.set_weight(weight);
  return c;
}

}  // namespace

VulnerabilityGrid DefaultGrid() {
  VulnerabilityGrid g;
  *g.add_criteria() = NeedCriterion(NEED_UNACCOMPANIED_MINOR, 10);
  *g.add_criteria() = NeedCriterion(NEED_VICTIM_OF_VIOLENCE, 8);
  *g.add_criteria() = NeedCriterion(NEED_PREGNANCY, 8);
  *g.add_criteria() = NeedCriterion(NEED_MEDICAL, 6);
  *g.add_criteria() = NeedCriterion(NEED_REDUCED_MOBILITY, 5);
  *g.add_criteria() = NeedCriterion(NEED_MENTAL_HEALTH, 4);
  *g.add_criteria() = NeedCriterion(NEED_FIRST_NIGHT_OUTSIDE, 3);
  *g.add_criteria() = NeedCriterion(NEED_ADDICTION, 2);
  GridCriterion children;
  children.set_with_children(true);
  children.set_weight(8);
  *g.add_criteria() = children;
  GridCriterion elderly;
  elderly.set_age_band(AGE_BAND_65_PLUS);
  elderly.set_weight(5);
  *g.add_criteria() = elderly;
  g.set_priority_threshold(8);
  g.set_version(0);
  return g;
}

VulnerabilityDecision Decide(const Person& person, const VulnerabilityGrid& grid) {
  VulnerabilityDecision d;
  d.set_grid_version(grid.version());
  int score = 0;
  for (const auto& c : grid.criteria()) {
    bool met = false;
    std::string what;
    switch (c.what_case()) {
      case GridCriterion::kNeed:
        met = std::find(person.needs().begin(), person.needs().end(), c.need()) != person.needs().end();
        what = "need " + Need_Name(c.need());
        break;
      case GridCriterion::kAgeBand:
        met = person.age_band() == c.age_band();
        what = "age band " + AgeBand_Name(c.age_band());
        break;
      case GridCriterion::kWithChildren:
        met = person.household().children() > 0;
        what = "household with children";
        break;
      default:
        break;
    }
    if (!met) continue;
    score += c.weight();
    d.add_explanation(what + ": +" + std::to_string(c.weight()));
  }
  d.set_score(score);
  bool priority = score >= grid.priority_threshold();
  d.set_lane(priority ? LANE_PRIORITY : LANE_STANDARD);
  d.add_explanation("score " + std::to_string(score) + (priority ? " reaches" : " is below") + " the threshold " +
                    std::to_string(grid.priority_threshold()) + " of grid version " + std::to_string(grid.version()) +
                    ": " + (priority ? "priority lane" : "standard lane"));
  return d;
}

}  // namespace relais::dispatch
