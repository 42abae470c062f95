#include "common/insertion_indicator.h"

#include <algorithm>
#include <cstdlib>
#include <limits>

namespace relais {
namespace {

const std::string& FieldOf(const IndicatorEvent& e, const std::string& name) {
  static const std::string kEmpty;
  auto it = e.fields.find(name);
  return it == e.fields.end() ? kEmpty : it->second;
}

// Keeps the earliest of the times seen so far.
void KeepEarliest(std::optional<int64_t>& earliest, int64_t at_ms) {
  earliest = earliest ? std::min(*earliest, at_ms) : at_ms;
}

bool ByEntry(const PersonInsertion& a, const PersonInsertion& b) {
  return a.entered_ms != b.entered_ms ? a.entered_ms < b.entered_ms : a.person < b.person;
}

}  // namespace

IndicatorEvent IndicatorEvent::FromStreamEntry(const std::map<std::string, std::string>& entry) {
  IndicatorEvent e;
  for (const auto& [name, value] : entry) {
    if (name == "type") e.type = value;
    else if (name == "at") e.at_ms = std::strtoll(value.c_str(), nullptr, 10);
    else e.fields.emplace(name, value);
  }
  return e;
}

void InsertionIndicator::Add(const IndicatorEvent& e) {
  if (e.type == kEventRequestCreated) {
    const std::string& request = FieldOf(e, "request");
    const std::string& person = FieldOf(e, "person");
    if (request.empty() || person.empty()) return;
    RequestFacts& facts = requests_[request];
    if (facts.person != nullptr) return;
    facts.person = &persons_[person];
    if (facts.first_arrival_ms) KeepEarliest(facts.person->entered_ms, *facts.first_arrival_ms);  // arrival read first
  } else if (e.type == kEventHoldArrived) {
    const std::string& request = FieldOf(e, "request");
    if (request.empty()) return;
    RequestFacts& facts = requests_[request];
    KeepEarliest(facts.first_arrival_ms, e.at_ms);
    if (facts.person != nullptr) KeepEarliest(facts.person->entered_ms, e.at_ms);  // else a pass night, or not read yet
  } else if (e.type == kEventInsertionProposed || e.type == kEventCasePreconised) {
    const std::string& person = FieldOf(e, "person");
    if (person.empty()) return;
    Proposal p{e.at_ms, e.type == kEventCasePreconised};
    std::optional<Proposal>& first = persons_[person].first_proposal;
    if (!first || p.at_ms < first->at_ms) first = p;
  }
}

PersonInsertion InsertionIndicator::Describe(const std::string& person, const PersonFacts& facts, int64_t end_ms) {
  PersonInsertion p;
  p.person = person;
  p.entered_ms = facts.entered_ms.value_or(0);
  if (facts.first_proposal && facts.first_proposal->at_ms < end_ms) {  // else not known yet at the end
    p.first_proposal_ms = facts.first_proposal->at_ms;
    p.first_proposal_source = facts.first_proposal->by_workshop ? "workshop" : "dispatch";
  }
  return p;
}

std::vector<PersonInsertion> InsertionIndicator::Persons() const {
  std::vector<PersonInsertion> out;
  for (const auto& [person, facts] : persons_) {
    // A proposal, or a request, but no arrival yet: not entered.
    if (facts.entered_ms) out.push_back(Describe(person, facts, std::numeric_limits<int64_t>::max()));
  }
  std::sort(out.begin(), out.end(), ByEntry);
  return out;
}

std::optional<InsertionOutcome> InsertionIndicator::OutcomeIn(const PersonFacts& person, int64_t start_ms,
                                                              int64_t end_ms) {
  if (!person.entered_ms || *person.entered_ms < start_ms || *person.entered_ms >= end_ms) return std::nullopt;
  int64_t deadline = *person.entered_ms + kInsertionWindowMs;  // a proposal at the deadline still counts
  // A proposal at or after the end of the period is not known yet at its end.
  const auto& proposal = person.first_proposal;
  if (proposal && proposal->at_ms < end_ms && proposal->at_ms <= deadline) return InsertionOutcome::kMet;
  return deadline < end_ms ? InsertionOutcome::kMissed : InsertionOutcome::kPending;
}

namespace {

void Count(InsertionShare& share, InsertionOutcome outcome) {
  ++share.cohort;
  switch (outcome) {
    case InsertionOutcome::kMet: ++share.met; break;
    case InsertionOutcome::kMissed: ++share.missed; break;
    case InsertionOutcome::kPending: ++share.pending; break;
  }
}

}  // namespace

InsertionShare InsertionIndicator::CountPeriod(int64_t start_ms, int64_t end_ms) const {
  InsertionShare out;
  out.start_ms = start_ms;
  out.end_ms = end_ms;
  for (const auto& [_, facts] : persons_) {
    if (auto outcome = OutcomeIn(facts, start_ms, end_ms)) Count(out, *outcome);
  }
  return out;
}

InsertionShare InsertionIndicator::ForPeriod(int64_t start_ms, int64_t end_ms) const {
  InsertionShare out;
  out.start_ms = start_ms;
  out.end_ms = end_ms;
  for (const auto& [person, facts] : persons_) {
    auto outcome = OutcomeIn(facts, start_ms, end_ms);
    if (!outcome) continue;
    Count(out, *outcome);
    out.persons.push_back(Describe(person, facts, end_ms));
    out.persons.back().outcome = *outcome;
  }
  std::sort(out.persons.begin(), out.persons.end(), ByEntry);
  return out;
}

InsertionShare ComputeInsertionShare(const std::vector<IndicatorEvent>& events, int64_t start_ms, int64_t end_ms) {
  InsertionIndicator indicator;
  for (const auto& e : events) indicator.Add(e);
  return indicator.ForPeriod(start_ms, end_ms);
}

}  // namespace relais
