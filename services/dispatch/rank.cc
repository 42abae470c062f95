#include "services/dispatch/rank.h"

#include <algorithm>
#include <map>

namespace relais::dispatch {
namespace {

using namespace relais::v1;

bool Has(const Person& p, Need need) { return std::find(p.needs().begin(), p.needs().end(), need) != p.needs().end(); }

template <typename List>
bool Contains(const List& list, const std::string& x) {
  return std::find(list.begin(), list.end(), x) != list.end();
}

// What the person's needs require of the place itself, whatever its public.
bool ConditionsFit(const Person& p, const Pool& pool, const Shelter* shelter, std::vector<std::string>& why) {
  if (Has(p, NEED_PET) && pool.public_() != "pets") {
    if (!shelter || !shelter->conditions().pets_allowed()) return false;
    why.push_back("pets allowed");
  }
  if (Has(p, NEED_REDUCED_MOBILITY)) {
    if (!shelter || !shelter->conditions().wheelchair_accessible()) return false;
    why.push_back("wheelchair accessible");
  }
  return true;
}

}  // namespace

std::vector<std::string> PublicsFor(const Person& p) {
  std::vector<std::string> out;
  if (Has(p, NEED_UNACCOMPANIED_MINOR) || p.age_band() == AGE_BAND_MINOR) return {"unaccompanied_minors"};
  if (p.household().children() > 0) return {"families"};
  if (Has(p, NEED_MEDICAL)) out.push_back("medical");
  if (Has(p, NEED_MENTAL_HEALTH)) out.push_back("mental_health");
  if (Has(p, NEED_ADDICTION)) out.push_back("addictions");
  if (Has(p, NEED_LGBTQIA)) out.push_back("lgbtqia");
  if (Has(p, NEED_PET)) out.push_back("pets");
  // The single adults' places, unless care is needed: a medical need goes to medicalised places.
  if (!Has(p, NEED_MEDICAL)) {
    if (p.gender() != GENDER_WOMAN) out.push_back("single_men");
    if (p.gender() != GENDER_MAN) out.push_back("single_women");
  }
  return out;
}

Lane LaneFor(const Person& p) {
  if (Has(p, NEED_MEDICAL)) return LANE_MEDICAL;
  return p.vulnerability().lane() == LANE_PRIORITY ? LANE_PRIORITY : LANE_STANDARD;
}

std::vector<Candidate> Rank(const RankInput& in) {
  std::map<std::string, const Shelter*> shelters;
  for (const auto& s : in.shelters) shelters[s.id()] = &s;
  std::vector<Candidate> out;
  for (const auto& pool : in.pools) {
    if (pool.free() < 1 || !Contains(in.request.publics(), pool.public_())) continue;
    auto it = shelters.find(pool.shelter_id());
    const Shelter* shelter = it == shelters.end() ? nullptr : it->second;
    std::vector<std::string> conditions;
    if (!ConditionsFit(in.person, pool, shelter, conditions)) continue;

    Candidate c;
    c.set_pool_id(pool.id());
    c.set_shelter_id(pool.shelter_id());
    c.set_shelter_name(pool.shelter_name());
    c.set_commune(pool.commune());
    c.set_public_(pool.public_());
    c.set_free(pool.free());
    c.set_unconfirmed(pool.unconfirmed());
    int score = 100;
    c.add_explanation("fits the public " + pool.public_() + ": 100");
    for (const auto& why : conditions) c.add_explanation(why);
    if (!in.request.preferred_shelter_id().empty() && pool.shelter_id() == in.request.preferred_shelter_id()) {
      score += 20;
      c.add_explanation("the shelter the person asked for: +20");
    }
    if (Contains(in.request.preferred_communes(), pool.commune())) {
      score += 10;
      c.add_explanation("in a commune the person prefers: +10");
    }
    if (shelter) {
      int shared = 0;
      for (const auto& l : in.person.languages()) shared += Contains(shelter->languages(), l) ? 1 : 0;
      if (shared > 0) {
        int bonus = std::min(10, 5 * shared);
        score += bonus;
        c.add_explanation("speaks the person's language: +" + std::to_string(bonus));
      }
    }
    if (pool.unconfirmed()) {
      score -= 30;
      c.add_explanation("figures not confirmed recently, call the shelter first: -30");
    }
    int room = std::min(10, pool.free());
    score += room;
    c.add_explanation(std::to_string(pool.free()) + " free: +" + std::to_string(room));
    c.set_score(score);
    out.push_back(std::move(c));
  }
  std::sort(out.begin(), out.end(), [](const Candidate& a, const Candidate& b) {
    if (a.score() != b.score()) return a.score() > b.score();
    if (a.free() != b.free()) return a.free() > b.free();
    return a.pool_id() < b.pool_id();
  });
  return out;
}

bool IsInsertionService(ServiceKind kind) {
  return kind == SERVICE_KIND_HOUSING || kind == SERVICE_KIND_MAISON_ACCUEIL || kind == SERVICE_KIND_CPAS;
}

std::vector<Alternative> Alternatives(const RankInput& in, size_t limit) {
  if (LaneFor(in.person) != LANE_STANDARD || Has(in.person, NEED_UNACCOMPANIED_MINOR) ||
      in.person.age_band() == AGE_BAND_MINOR) {
    return {};
  }
  std::vector<std::pair<int, Alternative>> ranked;
  for (const auto& s : in.shelters) {
    if (!IsInsertionService(s.kind())) continue;
    Alternative a;
    a.set_shelter_id(s.id());
    a.set_name(s.name());
    a.set_kind(ServiceKind_Name(s.kind()));
    a.set_commune(s.commune());
    a.set_phone(s.phone());
    ranked.emplace_back(Contains(in.request.preferred_communes(), s.commune()) ? 0 : 1, std::move(a));
  }
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Alternative> out;
  for (auto& [_, a] : ranked) {
    if (out.size() == limit) break;
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace relais::dispatch
