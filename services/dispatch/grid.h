#pragma once
// The vulnerability grid: configurable criteria and weights, versioned. A person whose score reaches
// the threshold goes to the priority lane; the decision says which criteria counted and which grid
// version decided, so an operator can explain it and a later grid change is traceable.
#include "relais/v1/dispatch.pb.h"

namespace relais::dispatch {

// The grid used until an administrator sets one (version 0).
relais::v1::VulnerabilityGrid DefaultGrid();

relais::v1::VulnerabilityDecision Decide(const relais::v1::Person& person, const relais::v1::VulnerabilityGrid& grid);

}  // namespace relais::dispatch
