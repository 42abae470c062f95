// Benchmark: a cold-night surge at the hotline. Operators (50 by default) each run the whole dispatch
// flow in a loop — record a person, create a request, rank the candidates, propose the best, accept —
// against 3,000 places in 100 pools, while shelters confirm their figures and record departures.
// Measured in the same run against the beds-only baseline: the same number of clients taking and
// releasing a place straight through the beds API (TakeHold + CancelHold).
//
// Usage: dispatch_surge_bench [--seconds S] [--operators N]
// Prints Markdown tables: flows/s and its ratio to the baseline, then p50/p99 per call type.
#include <grpcpp/grpcpp.h>

#include <cstdio>
#include <iostream>

#include "common/log.h"
#include "loadtests/driver.h"
#include "tests/support/harness.h"

namespace relais::bench {
namespace {

using namespace relais::v1;

constexpr int kShelters = 50;
constexpr int kPlacesPerPool = 30;  // 50 shelters x 2 publics x 30 = 3,000 places

std::string ShelterId(int i) { return "shelter-" + std::to_string(i); }

bool Setup(testing::Harness& h) {
  const char* communes[] = {"brussels", "ixelles", "anderlecht", "schaerbeek", "molenbeek-saint-jean", "saint-gilles"};
  for (int i = 0; i < kShelters; ++i) {
    CreateShelterRequest c;
    *c.mutable_shelter() = testing::MakeShelter(ShelterId(i), communes[i % 6]);
    c.set_idempotency_key("setup-shelter-" + std::to_string(i));
    CreateShelterResponse created;
    if (auto s = h.stub().CreateShelter(testing::Harness::As(testing::Admin()).get(), c, &created); !s.ok()) {
      std::cerr << "shelter: " << s.error_message() << "\n";
      return false;
    }
    for (const char* pub : {"single_men", "single_women"}) {
      DeclarePoolRequest d;
      d.set_shelter_id(ShelterId(i));
      d.set_public_(pub);
      d.mutable_figures()->set_places_in_service(kPlacesPerPool);
      d.set_idempotency_key("setup-pool-" + std::to_string(i) + pub);
      DeclarePoolResponse declared;
      if (auto s = h.stub().DeclarePool(testing::Harness::As(testing::Admin()).get(), d, &declared); !s.ok()) {
        std::cerr << "pool: " << s.error_message() << "\n";
        return false;
      }
    }
  }
  return true;
}

int Run(double seconds, int operators) {
  testing::RedisServer redis;
  testing::Harness h(redis);
  if (!Setup(h)) {
    std::cerr << "setup failed\n";
    return 1;
  }
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int c = 0; c < 8; ++c) {
    grpc::ChannelArguments args;
    args.SetInt("relais.bench.channel", c);
    channels.push_back(grpc::CreateCustomChannel("127.0.0.1:" + std::to_string(h.port()),
                                                 grpc::InsecureChannelCredentials(), args));
  }
  auto beds_stub = [&](int t) { return Beds::NewStub(channels[t % channels.size()]); };
  auto dispatch_stub = [&](int t) { return Dispatch::NewStub(channels[t % channels.size()]); };
  auto as = [](const Caller& c) { return testing::Harness::As(c, std::chrono::seconds(10)); };

  // Baseline: take and release a place straight through the beds API.
  Result baseline = Drive("beds only: TakeHold + CancelHold", operators, seconds, [&](int t, long seq) {
    auto beds = beds_stub(t);
    std::string key = "base-" + std::to_string(t) + "-" + std::to_string(seq);
    TakeHoldRequest take;
    take.set_pool_id(ShelterId(t % kShelters) + ":single_men");
    take.set_request_id("req-" + key);
    take.set_idempotency_key("take-" + key);
    TakeHoldResponse held;
    if (!beds->TakeHold(as(testing::Operator()).get(), take, &held).ok()) return false;
    CancelHoldRequest cancel;
    cancel.set_hold_id(held.hold().id());
    cancel.set_idempotency_key("cancel-" + key);
    CancelHoldResponse cancelled;
    return beds->CancelHold(as(testing::Operator()).get(), cancel, &cancelled).ok();
  });

  // Shelters keep confirming their figures and record departures while operators dispatch.
  std::atomic<bool> stop_shelters{false};
  std::atomic<long> shelter_updates{0};
  std::thread shelters([&] {
    auto beds = beds_stub(0);
    for (long i = 0; !stop_shelters; ++i) {
      std::string id = ShelterId(static_cast<int>(i % kShelters));
      ConfirmPoolRequest confirm;
      confirm.set_pool_id(id + (i % 2 ? ":single_men" : ":single_women"));
      confirm.set_idempotency_key("confirm-" + std::to_string(i));
      ConfirmPoolResponse confirmed;
      if (beds->ConfirmPool(as(testing::ShelterAccount(id)).get(), confirm, &confirmed).ok()) ++shelter_updates;
      RecordDepartureRequest leave;
      leave.set_pool_id(confirm.pool_id());
      leave.set_idempotency_key("leave-" + std::to_string(i));
      RecordDepartureResponse left;
      if (beds->RecordDeparture(as(testing::ShelterAccount(id)).get(), leave, &left).ok()) ++shelter_updates;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });

  CallTimings timings;
  std::atomic<long> placed{0}, gone{0}, no_candidate{0};
  Result surge = Drive("dispatch flow: person, request, rank, propose, accept", operators, seconds,
                       [&](int t, long seq) {
    auto d = dispatch_stub(t);
    Caller op = testing::Operator("op-" + std::to_string(t));
    std::string key = std::to_string(t) + "-" + std::to_string(seq);
    CreatePersonRequest person;
    person.mutable_person()->set_gender(seq % 2 ? GENDER_MAN : GENDER_WOMAN);
    person.mutable_person()->mutable_household()->set_adults(1);
    person.mutable_person()->add_languages("fr");
    person.set_idempotency_key("person-" + key);
    CreatePersonResponse created;
    if (!timings.Time("CreatePerson", [&] { return d->CreatePerson(as(op).get(), person, &created); }).ok()) return false;
    CreatePlaceRequestRequest request;
    request.set_person_id(created.person().id());
    request.add_preferred_communes(t % 2 ? "ixelles" : "anderlecht");
    request.set_idempotency_key("request-" + key);
    CreatePlaceRequestResponse made;
    if (!timings.Time("CreatePlaceRequest", [&] { return d->CreatePlaceRequest(as(op).get(), request, &made); }).ok()) {
      return false;
    }
    RankCandidatesRequest rank;
    rank.set_request_id(made.request().id());
    RankCandidatesResponse ranked;
    if (!timings.Time("RankCandidates", [&] { return d->RankCandidates(as(op).get(), rank, &ranked); }).ok()) return false;
    if (ranked.candidates_size() == 0) {
      ++no_candidate;
      return true;
    }
    ProposeRequest propose;
    propose.set_request_id(made.request().id());
    propose.set_pool_id(ranked.candidates(0).pool_id());
    propose.set_idempotency_key("propose-" + key);
    ProposeResponse proposed;
    if (!timings.Time("Propose", [&] { return d->Propose(as(op).get(), propose, &proposed); }).ok()) return false;
    AcceptProposalRequest accept;
    accept.set_proposal_id(proposed.proposal().id());
    accept.set_idempotency_key("accept-" + key);
    AcceptProposalResponse accepted;
    if (!timings.Time("AcceptProposal", [&] { return d->AcceptProposal(as(op).get(), accept, &accepted); }).ok()) {
      return false;
    }
    if (accepted.proposal().state() == PROPOSAL_STATE_ACCEPTED) ++placed;
    else ++gone;
    return true;
  }, &timings);
  stop_shelters = true;
  shelters.join();

  std::printf("| run | clients | ops/s | p50 ms | p99 ms | errors | ratio to beds-only |\n|---|---:|---:|---:|---:|---:|---:|\n");
  for (const Result& r : {baseline, surge}) {
    std::printf("| %s | %d | %.0f | %.2f | %.2f | %ld | %.2f |\n", r.name.c_str(), r.inflight, r.ops_per_second, r.p50_ms,
                r.p99_ms, r.errors, r.ops_per_second / baseline.ops_per_second);
  }
  std::printf("\nPlaced %ld, place gone at accept %ld, no candidate %ld; shelter updates %ld.\n\n", placed.load(),
              gone.load(), no_candidate.load(), shelter_updates.load());
  std::printf("| call | count | p50 ms | p99 ms |\n|---|---:|---:|---:|\n");
  for (auto& [name, v] : timings.Sorted()) {
    std::printf("| %s | %zu | %.2f | %.2f |\n", name.c_str(), v.size(), Percentile(v, 0.5), Percentile(v, 0.99));
  }
  return 0;
}

}  // namespace
}  // namespace relais::bench

int main(int argc, char** argv) {
  double seconds = 10;
  int operators = 50;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    bool has_value = i + 1 < argc;
    if (flag == "--seconds" && has_value) seconds = std::stod(argv[++i]);
    else if (flag == "--operators" && has_value) operators = std::stoi(argv[++i]);
    else {
      std::cerr << "usage: dispatch_surge_bench [--seconds S] [--operators N]\n";
      return 2;
    }
  }
  relais::log::SetLevel(relais::log::Level::kWarn);
  return relais::bench::Run(seconds, operators);
}
