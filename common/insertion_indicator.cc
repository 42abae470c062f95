#include "common/insertion_indicator.h"

#include <algorithm>
#include <cstdlib>

namespace relais {
namespace {

const std::string& FieldOf(const IndicatorEvent& e, const std::string& name) {
  static const std::string kEmpty;
  auto it = e.fields.find(name);
  return it == e.fields.end() ? kEmpty : it->second;
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
    if (!request.empty() && !person.empty()) requests_[request].person = person;
  } else if (e.type == kEventHoldArrived) {
    const std::string& request = FieldOf(e, "request");
    if (request.empty()) return;
    std::optional<int64_t>& first = requests_[request].first_arrival_ms;
    first = first ? std::min(*first, e.at_ms) : e.at_ms;
  } else if (e.type == kEventInsertionProposed || e.type == kEventCasePreconised) {
    const std::string& person = FieldOf(e, "person");
    if (person.empty()) return;
    Proposal p{e.at_ms, e.type == kEventCasePreconised};
    auto [it, inserted] = first_proposal_of_person_.try_emplace(person, p);
    if (!inserted && p.at_ms < it->second.at_ms) it->second = p;
  }
}

std::vector<PersonInsertion> InsertionIndicator::Persons() const {
  // A person's entry is the earliest arrival over all their requests.
  std::unordered_map<std::string, int64_t> entry_of_person;
  for (const auto& [request, facts] : requests_) {
    // No arrival yet, or no person behind it (pass night).
    if (!facts.first_arrival_ms || facts.person.empty()) continue;
    auto [it, inserted] = entry_of_person.try_emplace(facts.person, *facts.first_arrival_ms);
    if (!inserted) it->second = std::min(it->second, *facts.first_arrival_ms);
  }
  std::vector<PersonInsertion> out;
  out.reserve(entry_of_person.size());
  for (const auto& [person, entered] : entry_of_person) {
    PersonInsertion p;
    p.person = person;
    p.entered_ms = entered;
    if (auto proposal = first_proposal_of_person_.find(person); proposal != first_proposal_of_person_.end()) {
      p.first_proposal_ms = proposal->second.at_ms;
      p.first_proposal_source = proposal->second.by_workshop ? "workshop" : "dispatch";
    }
    out.push_back(std::move(p));
  }
  std::sort(out.begin(), out.end(), ByEntry);
  return out;
}

InsertionShare InsertionIndicator::ForPeriod(int64_t start_ms, int64_t end_ms) const {
  InsertionShare out;
  out.start_ms = start_ms;
  out.end_ms = end_ms;
  for (auto& p : Persons()) {
    if (p.entered_ms < start_ms || p.entered_ms >= end_ms) continue;  // first entry outside the period
    if (p.first_proposal_ms && *p.first_proposal_ms >= end_ms) {      // not known yet at the end
      p.first_proposal_ms.reset();
      p.first_proposal_source.clear();
    }
    int64_t deadline = p.entered_ms + kInsertionWindowMs;  // a proposal at the deadline still counts
    if (p.first_proposal_ms && *p.first_proposal_ms <= deadline) {
      p.outcome = InsertionOutcome::kMet;
      ++out.met;
    } else if (deadline < end_ms) {
      p.outcome = InsertionOutcome::kMissed;
      ++out.missed;
    } else {
      p.outcome = InsertionOutcome::kPending;
      ++out.pending;
    }
    ++out.cohort;
    out.persons.push_back(std::move(p));
  }
  return out;
}

InsertionShare ComputeInsertionShare(const std::vector<IndicatorEvent>& events, int64_t start_ms, int64_t end_ms) {
  InsertionIndicator indicator;
  for (const auto& e : events) indicator.Add(e);
  return indicator.ForPeriod(start_ms, end_ms);
}

}  // namespace relais
