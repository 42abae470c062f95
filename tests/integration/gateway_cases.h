#pragma once
// Workshop cases in the states the gateway tests need, made through the workshop's gRPC API on behalf
// of a given account (the services see an account's username as its subject, so a case registered
// "by op1" is op1's own). A préconisation needs a session that has started: cases to préconise go on
// past sessions of the schedule that still have room; sessions to close are taken far ahead, one each,
// so no helper touches a session another one uses ("next" is left to the tests).
#include <cstdint>
#include <string>

#include "relais/v1/workshop.grpc.pb.h"
#include "services/workshop/schedule.h"
#include "tests/support/harness.h"

namespace relais::testing {

class CaseMaker {
 public:
  explicit CaseMaker(Harness& services);

  // A referral with complete facts (it waits in the queue), of a fresh person who consented.
  std::string Registered(const Caller& by, const std::string& sending, const std::string& referent);
  // The same, on the agenda of a session that has started; `session` gets that session's id.
  std::string Scheduled(const Caller& by, const std::string& sending, const std::string& referent,
                        std::string* session = nullptr);
  // Préconised towards `receiving` (a maison d'accueil orientation): plan 1 awaits every party.
  std::string Preconised(const Caller& by, const std::string& sending, const std::string& referent,
                         const std::string& receiving);
  // Every party approved the plan towards `receiving`; with one of its priority places when `with_place`.
  std::string Approved(const std::string& receiving, bool with_place);
  // `service` has exactly one free priority place (declared as the places in use plus one).
  void FreePlace(const std::string& service);
  // A session no other helper uses, weeks ahead: fresh each call.
  std::string FutureSession();

  relais::v1::Case Get(const std::string& case_id);
  // A person of dispatch with a consent of scope ORIENTATION.
  std::string NewPerson();
  int64_t now_ms() const { return services_.clock().NowMs(); }

  // Bodies for the REST API (protobuf's JSON mapping).
  std::string FactsJson(const std::string& referent) const;  // complete facts
  std::string ConsentJson() const;                           // given an hour ago
  std::string PlanJson() const;                              // 6 months, one goal, one review date

 private:
  relais::v1::Workshop::Stub& w() { return services_.workshop(); }
  relais::v1::CaseFacts Facts(const std::string& referent) const;
  static std::string Key();

  Harness& services_;
  workshop::Schedule schedule_;
  int64_t agenda_from_ms_;  // past sessions from here on still have room
  int64_t future_from_ms_;  // sessions to close from here on are untouched
};

}  // namespace relais::testing
