#pragma once
// Which places fit a person, and in what order: pure functions over the beds service's answers, so
// the ranking and its explanations are unit-tested without a server.
#include <set>
#include <string>
#include <vector>

#include "relais/v1/beds.pb.h"
#include "relais/v1/dispatch.pb.h"

namespace relais::dispatch {

// The publics whose places fit the person (families for a household with children, unaccompanied
// minors, medical, pets, ...). Never empty: a person without a specific public fits the single
// adults' places of their gender, or both when the gender is not said.
std::vector<std::string> PublicsFor(const relais::v1::Person& person);

// The request's lane: medical when the person needs care (the medical focal point), else the lane the
// vulnerability grid gave the person.
relais::v1::Lane LaneFor(const relais::v1::Person& person);

struct RankInput {
  const relais::v1::Person& person;           // categorical facts only
  const relais::v1::PlaceRequest& request;
  const std::vector<relais::v1::Pool>& pools;      // pools with free places
  const std::vector<relais::v1::Shelter>& shelters;  // the directory, for conditions and languages
};

// Candidates best first, each with the reasons of its score. Pools that do not fit (public,
// conditions required by the person's needs) are left out.
std::vector<relais::v1::Candidate> Rank(const RankInput& in);

// A directory entry that is a way out of (or around) emergency shelter: housing, maison d'accueil, CPAS.
bool IsInsertionService(relais::v1::ServiceKind kind);

// Prevention and insertion services to propose before an emergency place, when the person's
// situation allows it (not for the priority or medical lane, nor for an unaccompanied minor).
std::vector<relais::v1::Alternative> Alternatives(const RankInput& in, size_t limit);

}  // namespace relais::dispatch
