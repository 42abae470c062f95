#pragma once
// The Masterplan indicator "share of people in emergency shelter who received an insertion proposal
// within 7 days", computed from the region's events (never typed in). Pure: no Redis, no gRPC, so the
// workshop's tests and the monitoring service compute it with the same code.
//
// The rule:
//  * A person ENTERED emergency shelter at their first `hold.arrived` event (beds). Its `request`
//    field names a dispatch request; the `request.created` event of that request names the `person`.
//    An arrival whose request names no person (a pass-night hold: `pass-night-<team>`) is not counted.
//  * An INSERTION PROPOSAL is a dispatch `insertion.proposed` event (source "dispatch") or a workshop
//    `case.preconised` event (source "workshop"); both carry `person`.
//  * The COHORT of a period [start, end) is the persons whose first entry falls in that period.
//  * A person of the cohort is MET when their first proposal came at most 7 days after their entry (a
//    proposal made before entry counts as met at entry); MISSED when the 7 days ended before the end of
//    the period without a proposal; PENDING when, at the end of the period, they are still inside their
//    7 days without a proposal. Pending persons are left out of the denominator.
//  * share = met / (met + missed). Events at or after the end of the period are not looked at, so the
//    figure of a past period is the same whenever it is computed.
//
// Events may be added in any order; only the four event types above are read, everything else is
// ignored. Memory grows with the number of requests and persons, not of events. Each person's first
// entry and first proposal are kept up to date as events are added, so a period is counted by one
// pass over the persons without copying an id (the monitoring service counts the month in progress
// every minute over the whole history).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace relais {

inline constexpr char kEventRequestCreated[] = "request.created";        // dispatch: request, person
inline constexpr char kEventHoldArrived[] = "hold.arrived";              // beds: request
inline constexpr char kEventInsertionProposed[] = "insertion.proposed";  // dispatch: person
inline constexpr char kEventCasePreconised[] = "case.preconised";        // workshop: person

inline constexpr int64_t kInsertionWindowMs = 7LL * 24 * 3600 * 1000;

// One event of the region's stream: its type, its time, its other fields (request, person, ...).
struct IndicatorEvent {
  std::string type;
  int64_t at_ms = 0;
  std::map<std::string, std::string> fields;

  // From a stream entry's fields as stored ("type", "at" in ms, then the others).
  static IndicatorEvent FromStreamEntry(const std::map<std::string, std::string>& entry);
};

enum class InsertionOutcome { kMet, kMissed, kPending };

// One person who entered emergency shelter.
struct PersonInsertion {
  std::string person;
  int64_t entered_ms = 0;                    // first hold.arrived
  std::optional<int64_t> first_proposal_ms;  // first insertion proposal (before the end of the period)
  std::string first_proposal_source;         // "dispatch" or "workshop"; empty without a proposal
  InsertionOutcome outcome = InsertionOutcome::kPending;  // meaningful in a period's answer only
};

// The indicator for one period [start_ms, end_ms).
struct InsertionShare {
  int64_t start_ms = 0;
  int64_t end_ms = 0;
  int cohort = 0;    // persons whose first entry falls in the period
  int met = 0;
  int missed = 0;
  int pending = 0;   // still inside their 7 days at the end, no proposal yet: not in the denominator
  std::vector<PersonInsertion> persons;  // the cohort, by entry time then person id

  int denominator() const { return met + missed; }
  double share() const { return denominator() == 0 ? 0.0 : static_cast<double>(met) / denominator(); }
};

class InsertionIndicator {
 public:
  InsertionIndicator() = default;
  // Requests point at their person's entry in `persons_`: moving keeps the entries where they are,
  // a copy would point into the original.
  InsertionIndicator(InsertionIndicator&&) = default;
  InsertionIndicator& operator=(InsertionIndicator&&) = default;
  InsertionIndicator(const InsertionIndicator&) = delete;
  InsertionIndicator& operator=(const InsertionIndicator&) = delete;

  void Add(const IndicatorEvent& event);

  // Every person with an entry: first entry and first proposal over every event added (outcome is
  // left kPending: it depends on a period). By entry time then person id.
  std::vector<PersonInsertion> Persons() const;

  // The indicator for [start_ms, end_ms), looking only at events before end_ms, with its cohort.
  InsertionShare ForPeriod(int64_t start_ms, int64_t end_ms) const;

  // The same counts without the cohort's list (`persons` left empty): no allocation.
  InsertionShare CountPeriod(int64_t start_ms, int64_t end_ms) const;

  // What is held (the monitoring service keeps one for its lifetime): one entry per request and one
  // per person, each id stored once.
  size_t requests() const { return requests_.size(); }

 private:
  struct Proposal {
    int64_t at_ms = 0;
    bool by_workshop = false;  // else from dispatch
  };
  struct PersonFacts {
    std::optional<int64_t> entered_ms;  // the earliest arrival over all their requests
    std::optional<Proposal> first_proposal;
  };
  // A request's person (from request.created) and its first arrival (from hold.arrived), in one entry
  // whichever of the two is read first. A request names one person: a second request.created of the
  // same request keeps the first.
  struct RequestFacts {
    PersonFacts* person = nullptr;  // into persons_ (an unordered_map never moves its entries)
    std::optional<int64_t> first_arrival_ms;
  };
  // One person as the answer shows them: a proposal at or after end_ms is not known yet.
  static PersonInsertion Describe(const std::string& person, const PersonFacts& facts, int64_t end_ms);
  // The outcome of a person who entered in [start_ms, end_ms), seen at end_ms; nullopt outside.
  static std::optional<InsertionOutcome> OutcomeIn(const PersonFacts& person, int64_t start_ms, int64_t end_ms);

  std::unordered_map<std::string, RequestFacts> requests_;
  std::unordered_map<std::string, PersonFacts> persons_;
};

// The same in one call, for a list of events.
InsertionShare ComputeInsertionShare(const std::vector<IndicatorEvent>& events, int64_t start_ms, int64_t end_ms);

}  // namespace relais
